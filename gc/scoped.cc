// Copyright 2026 The cyclegc Authors.

#include "gc/scoped.h"

#include <utility>

#include "gc/internal/heap_state.h"

namespace gc {

using internal::HeapState;

ScopedCallback::ScopedCallback(Heap& heap, CollectionCallback callback)
    : heap_(heap), id_(heap.AddCallback(std::move(callback))) {
  ++HeapState::FromHeap(heap_)->scoped_handles;
}

ScopedCallback::~ScopedCallback() {
  --HeapState::FromHeap(heap_)->scoped_handles;
  heap_.RemoveCallback(id_);
}

ScopedReportSink::ScopedReportSink(Heap& heap, TextSink sink) : heap_(heap) {
  HeapState* state = HeapState::FromHeap(heap_);
  previous_ = std::exchange(state->report_sink, nullptr);
  heap_.SetReportSink(std::move(sink));
  ++state->scoped_handles;
}

ScopedReportSink::~ScopedReportSink() {
  --HeapState::FromHeap(heap_)->scoped_handles;
  heap_.SetReportSink(std::move(previous_));
}

}  // namespace gc
