// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/heap_core.h
// -----------------------------------------------------------------------------
//
// The part of a heap that inline code (`gc::Make`) reads on every allocation.
// Not part of the public API. The full heap state is `internal::HeapState`
// (gc/internal/heap_state.h), which derives from `HeapCore`.
//
// Invariants:
//   * `live_objects` counts the managed objects made on this heap and not yet
//     freed, tracked or not. The heap state outlives its `gc::Heap` while it
//     is non-zero, so that any object can always reach its heap state through
//     the heap id in its header bits.
//   * `id_bits` is the heap id, shifted into place for an object's bits.

#ifndef CYCLEGC_INCLUDE_GC_INTERNAL_HEAP_CORE_H_
#define CYCLEGC_INCLUDE_GC_INTERNAL_HEAP_CORE_H_

#include <cstddef>
#include <cstdint>
#include <new>

#include "absl/base/optimization.h"
#include "gc/allocator.h"
#include "gc/object.h"

namespace gc::internal {

struct HeapCore {
  uint32_t id_bits = 0;
  int64_t live_objects = 0;
  Allocator* allocator = nullptr;  // null: ::operator new / delete
};

// The heap that gc::Make uses on this thread (null until first needed).
extern constinit thread_local HeapCore* tls_current_heap;
HeapCore* CurrentHeapCoreSlow();
inline HeapCore* CurrentHeapCore() {
  HeapCore* core = tls_current_heap;
  return ABSL_PREDICT_TRUE(core != nullptr) ? core : CurrentHeapCoreSlow();
}

inline void* AllocateOn(HeapCore* core, std::size_t size) {
  if (ABSL_PREDICT_TRUE(core->allocator == nullptr)) {
    return ::operator new(size);
  }
  return core->allocator->Allocate(size);
}
inline void DeallocateOn(HeapCore* core, void* memory) noexcept {
  if (ABSL_PREDICT_TRUE(core->allocator == nullptr)) {
    ::operator delete(memory);
  } else {
    core->allocator->Deallocate(memory);
  }
}

// Enters a newly constructed traced object of `size` bytes into generation 0
// and runs an automatic collection if one is due.
void Track(HeapCore* core, Object* object, std::size_t size);

}  // namespace gc::internal

#endif  // CYCLEGC_INCLUDE_GC_INTERNAL_HEAP_CORE_H_
