// Copyright 2026 The cyclegc Authors.
//
// File: gc/scoped.h
// -----------------------------------------------------------------------------
//
// Collection callbacks and report sinks that end with a scope. A callback or
// sink often captures local state; the plain calls (`Heap::AddCallback`,
// `Heap::SetReportSink`) keep it until it is removed by hand, and a heap's
// destructor still reports to its sink. These handles remove what they
// installed when they go out of scope, so the natural code is the safe code:
//
//   std::vector<std::string> report;
//   gc::ScopedReportSink sink(heap, [&report](std::string_view line) {
//     report.emplace_back(line);
//   });                                  // removed before `report` goes
//   gc::ScopedCallback callback(heap, [](gc::Phase, const gc::CollectionInfo&) {
//     // ...
//   });                                  // removed at the end of the scope
//
// REQUIRES: a handle does not outlive its heap (declare the heap first).
// Debug builds, and heaps with kDebugVerify, check it: a heap destroyed while
// a handle names it fails loudly. Use a handle on the heap's owner thread.

#ifndef CYCLEGC_INCLUDE_GC_SCOPED_H_
#define CYCLEGC_INCLUDE_GC_SCOPED_H_

#include "gc/heap.h"

namespace gc {

// Adds a collection callback; removes it when destroyed.
class ScopedCallback {
 public:
  ScopedCallback(Heap& heap, CollectionCallback callback);
  ScopedCallback(const ScopedCallback&) = delete;
  ScopedCallback& operator=(const ScopedCallback&) = delete;
  ~ScopedCallback();

  CallbackId id() const { return id_; }

 private:
  Heap& heap_;
  CallbackId id_;
};

// Makes `sink` the heap's report sink; when destroyed, puts back the sink
// that was there before (null: stderr). Nested scopes must end in reverse
// order of their start, as scopes do.
class ScopedReportSink {
 public:
  ScopedReportSink(Heap& heap, TextSink sink);
  ScopedReportSink(const ScopedReportSink&) = delete;
  ScopedReportSink& operator=(const ScopedReportSink&) = delete;
  ~ScopedReportSink();

 private:
  Heap& heap_;
  TextSink previous_;
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_SCOPED_H_
