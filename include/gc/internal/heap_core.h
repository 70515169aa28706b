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
#include <cstring>
#include <new>

#include "absl/base/optimization.h"
#include "gc/allocator.h"
#include "gc/object.h"

namespace gc::internal {

// Small objects (up to 240 bytes with their header) come from per-heap free
// lists, one per 16-byte size class 1..15; class 0 means "from the
// allocator". Sanitizer builds pool nothing, so that every object is a
// separate allocation the sanitizer can watch.
inline constexpr uint32_t kNumSizeClasses = 16;
constexpr uint32_t SizeClassFor(std::size_t size) {
#if defined(__SANITIZE_ADDRESS__)
  (void)size;
  return 0;
#else
  return size <= 16 * (kNumSizeClasses - 1)
             ? static_cast<uint32_t>((size + 15) / 16)
             : 0;
#endif
}
inline uint32_t SizeClassOf(uint32_t bits) {
  return (bits & kSizeClassMask) >> kSizeClassShift;
}

struct HeapCore {
  uint32_t id_bits = 0;
  int64_t live_objects = 0;
  Allocator* allocator = nullptr;  // null: free lists and ::operator new
  void* free_lists[kNumSizeClasses] = {};
};

// Carves a new chunk into blocks of `size_class` and returns one.
void* RefillSizeClass(HeapCore* core, uint32_t size_class);

// The heap that gc::Make uses on this thread (null until first needed).
extern constinit thread_local HeapCore* tls_current_heap;
HeapCore* CurrentHeapCoreSlow();
inline HeapCore* CurrentHeapCore() {
  HeapCore* core = tls_current_heap;
  return ABSL_PREDICT_TRUE(core != nullptr) ? core : CurrentHeapCoreSlow();
}

// REQUIRES: `size_class` is SizeClassFor(size), or 0.
inline void* AllocateOn(HeapCore* core, std::size_t size, uint32_t size_class) {
  if (size_class != 0) {
    void*& head = core->free_lists[size_class];
    if (ABSL_PREDICT_TRUE(head != nullptr)) {
      void* block = head;
      std::memcpy(&head, block, sizeof(void*));
      // The next allocation reads the new head's link: start that miss now.
      __builtin_prefetch(head, 1);
      return block;
    }
    return RefillSizeClass(core, size_class);
  }
  if (core->allocator == nullptr) return ::operator new(size);
  return core->allocator->Allocate(size);
}
inline void DeallocateOn(HeapCore* core, void* memory,
                         uint32_t size_class) noexcept {
  if (size_class != 0) {
    std::memcpy(memory, &core->free_lists[size_class], sizeof(void*));
    core->free_lists[size_class] = memory;
  } else if (core->allocator == nullptr) {
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
