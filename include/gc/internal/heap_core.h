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
#if defined(__SANITIZE_ADDRESS__) && defined(CYCLEGC_ASAN_POOL)
#include <sanitizer/asan_interface.h>
#endif
#include "gc/allocator.h"
#include "gc/object.h"

namespace gc::internal {

// Small objects (up to 240 bytes with their header) come from per-heap free
// lists, one per 16-byte size class 1..15; class 0 means "from the
// allocator". ASan builds pool nothing, so that every object is a separate
// allocation with its own redzones and leak report, unless built with
// CYCLEGC_ASAN_POOL (`--config=asan_pool`): then the free lists are on and
// their free blocks are poisoned, so that a stale pointer into a free block
// is reported (use-after-poison).
#if defined(__SANITIZE_ADDRESS__) && defined(CYCLEGC_ASAN_POOL)
#define CYCLEGC_POISON_FREE_BLOCKS 1
#define CYCLEGC_POISON(address, size) ASAN_POISON_MEMORY_REGION(address, size)
#define CYCLEGC_UNPOISON(address, size) \
  ASAN_UNPOISON_MEMORY_REGION(address, size)
#else
#define CYCLEGC_POISON(address, size) ((void)(address), (void)(size))
#define CYCLEGC_UNPOISON(address, size) ((void)(address), (void)(size))
#endif
inline constexpr uint32_t kNumSizeClasses = 16;
// Size class c (1..15) holds blocks of c granules; 0: not from a free list.
inline constexpr std::size_t kSizeClassGranule = 16;
// The bytes of a block of `size_class`: the one definition.
constexpr std::size_t BlockBytes(uint32_t size_class) {
  return kSizeClassGranule * size_class;
}
constexpr uint32_t SizeClassFor(std::size_t size) {
#if defined(__SANITIZE_ADDRESS__) && !defined(CYCLEGC_ASAN_POOL)
  (void)size;
  return 0;
#else
  return size <= BlockBytes(kNumSizeClasses - 1)
             ? static_cast<uint32_t>((size + kSizeClassGranule - 1) /
                                     kSizeClassGranule)
             : 0;
#endif
}
inline uint32_t SizeClassOf(uint32_t bits) {
  return (bits & kSizeClassMask) >> kSizeClassShift;
}

// The free lists' memory comes in chunks of kChunkBytes, aligned to their
// size, each holding blocks of one size class after its ChunkHeader. A free
// block is either on the heap's list of its class (`HeapCore::free_lists`,
// taken from one chunk at a time) or on its own chunk's list, where
// DeallocateOn puts it. A chunk whose blocks are all on its own list is
// entirely free, and goes back to the system (gc/internal/chunks.cc).
inline constexpr std::size_t kChunkBytes = 64 * 1024;
struct HeapCore;
struct ChunkHeader {
  void* free = nullptr;  // blocks given back to this chunk
  uint32_t used = 0;     // blocks not on `free`: live, or on the heap's list
  uint32_t size_class = 0;
  bool partial = false;  // on the heap's list of chunks with free blocks
  // Its heap state died while blocks of it were exiled (gc/isolate.h):
  // unmapped when the last comes back (gc/internal/chunks.h).
  bool orphan = false;
  ChunkHeader* prev = nullptr;  // that list, or the heap's spare chunks
  ChunkHeader* next = nullptr;
  ChunkHeader* prev_chunk = nullptr;  // every chunk of the heap
  ChunkHeader* next_chunk = nullptr;
  // The heap whose pool the chunk belongs to: an object that moved to
  // another heap (gc/isolate.h) gives its block back to this one.
  HeapCore* heap = nullptr;
};
inline ChunkHeader* ChunkOf(void* block) {
  return reinterpret_cast<ChunkHeader*>(reinterpret_cast<uintptr_t>(block) &
                                        ~uintptr_t{kChunkBytes - 1});
}

struct HeapCore {
  uint32_t id_bits = 0;
  int64_t live_objects = 0;
  Allocator* allocator = nullptr;  // null: free lists and ::operator new
  void* free_lists[kNumSizeClasses] = {};
};

// Takes the free blocks of a chunk of `size_class` (a new one if no chunk has
// any) onto the heap's list, and returns one. May throw std::bad_alloc.
void* RefillSizeClass(HeapCore* core, uint32_t size_class);
// A block went back to `chunk`, which was not on the heap's list of chunks
// with free blocks, or is now entirely free.
void OnChunkFreed(HeapCore* core, ChunkHeader* chunk) noexcept;

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
      CYCLEGC_UNPOISON(block, BlockBytes(size_class));
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
    ChunkHeader* chunk = ChunkOf(memory);
    std::memcpy(memory, &chunk->free, sizeof(void*));
    chunk->free = memory;
    CYCLEGC_POISON(memory, BlockBytes(size_class));
    if (ABSL_PREDICT_FALSE(--chunk->used == 0 || !chunk->partial)) {
      OnChunkFreed(core, chunk);
    }
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
