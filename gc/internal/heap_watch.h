// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/heap_watch.h
// -----------------------------------------------------------------------------
//
// `HeapWatch`: ties a helper that must not outlive its heap
// (`gc::GrowthTracker`, `gc::CollectionTimeline`) to the heap, through a
// collection callback that owns a guard. A heap drops its callbacks first
// when it is destroyed; if the helper still lives then, the guard's
// destructor notices: in debug builds it fails loudly, naming the helper;
// otherwise the helper no longer touches the heap (it just stops).
//
// Example:
//
//   watch_ = std::make_unique<HeapWatch>(heap, "CollectionTimeline",
//       [this](gc::Phase phase, const gc::CollectionInfo& info) { ... });
//
// Invariants:
//   * While `heap_gone_` is false, the heap holds the callback `id_`, whose
//     guard points back at this watch.

#ifndef CYCLEGC_GC_INTERNAL_HEAP_WATCH_H_
#define CYCLEGC_GC_INTERNAL_HEAP_WATCH_H_

#include "gc/heap.h"

namespace gc::internal {

class HeapWatch {
 public:
  // `what` (a string literal) names the helper in the failure message;
  // `on_collection` (may be empty) is called as a collection callback.
  HeapWatch(Heap& heap, const char* what, CollectionCallback on_collection);
  HeapWatch(const HeapWatch&) = delete;
  HeapWatch& operator=(const HeapWatch&) = delete;
  // Removes the callback (unless the heap is gone).
  ~HeapWatch();

  // False once the heap was destroyed before this watch (release builds).
  bool heap_alive() const { return !heap_gone_; }

 private:
  struct Guard;

  Heap* heap_;
  Guard* guard_;
  CallbackId id_ = 0;
  bool heap_gone_ = false;
};

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_HEAP_WATCH_H_
