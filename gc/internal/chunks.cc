// Copyright 2026 The cyclegc Authors.

#include "gc/internal/chunks.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>

#include "gc/internal/heap_state.h"
#include "gc/internal/remote_releases.h"

namespace gc::internal {
namespace {

// The first block's offset in a chunk of blocks of `block` bytes: after the
// header, on a multiple of the block size.
size_t FirstBlock(size_t block) {
  return (sizeof(ChunkHeader) + block - 1) / block * block;
}
uint32_t Capacity(uint32_t size_class) {
  const size_t block = BlockBytes(size_class);
  return static_cast<uint32_t>((kChunkBytes - FirstBlock(block)) / block);
}

void Push(ChunkHeader*& head, ChunkHeader* chunk) {
  chunk->prev = nullptr;
  chunk->next = head;
  if (head != nullptr) head->prev = chunk;
  head = chunk;
}
void Remove(ChunkHeader*& head, ChunkHeader* chunk) {
  if (chunk->prev != nullptr) chunk->prev->next = chunk->next;
  if (chunk->next != nullptr) chunk->next->prev = chunk->prev;
  if (head == chunk) head = chunk->next;
  chunk->prev = chunk->next = nullptr;
}

// Maps a chunk aligned to its size, from the current run of chunks mapped
// at once (fewer system calls). May throw std::bad_alloc.
ChunkHeader* MapChunk(ChunkPool& pool) {
  if (pool.unused_chunks == 0) {
    constexpr size_t kBytes = (ChunkPool::kChunksMapped + 1) * kChunkBytes;
    void* raw = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
    const uintptr_t aligned = (start + kChunkBytes - 1) & ~(kChunkBytes - 1);
    const uintptr_t end = aligned + ChunkPool::kChunksMapped * kChunkBytes;
    if (aligned > start) munmap(raw, aligned - start);
    if (start + kBytes > end) {
      munmap(reinterpret_cast<void*>(end), start + kBytes - end);
    }
    pool.next_unused = reinterpret_cast<char*>(aligned);
    pool.unused_chunks = ChunkPool::kChunksMapped;
  }
  void* memory = pool.next_unused;
  pool.next_unused += kChunkBytes;
  --pool.unused_chunks;
  ChunkHeader* chunk = new (memory) ChunkHeader;
  chunk->next_chunk = pool.all;
  if (pool.all != nullptr) pool.all->prev_chunk = chunk;
  pool.all = chunk;
  ++pool.count;
  return chunk;
}

// Forgets `chunk` (no longer any list's); the caller unmaps it.
void Forget(ChunkPool& pool, ChunkHeader* chunk) {
  if (chunk->prev_chunk != nullptr) {
    chunk->prev_chunk->next_chunk = chunk->next_chunk;
  }
  if (chunk->next_chunk != nullptr) {
    chunk->next_chunk->prev_chunk = chunk->prev_chunk;
  }
  if (pool.all == chunk) pool.all = chunk->next_chunk;
  --pool.count;
  // The next mapping at this address must not inherit the poisoned blocks.
  CYCLEGC_UNPOISON(chunk, kChunkBytes);
}

// Forgets and unmaps `chunks` (sorted by address), adjacent ones in one call.
void Unmap(ChunkPool& pool, ChunkHeader** chunks, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && reinterpret_cast<char*>(chunks[j]) ==
                        reinterpret_cast<char*>(chunks[j - 1]) + kChunkBytes) {
      ++j;
    }
    for (size_t k = i; k < j; ++k) Forget(pool, chunks[k]);
    munmap(chunks[i], (j - i) * kChunkBytes);
    i = j;
  }
}

// Puts every block of `chunk` but the first onto `head` (empty), in address
// order, and returns the first.
void* Carve(ChunkHeader* chunk, uint32_t size_class, void*& head) {
  const size_t block = BlockBytes(size_class);
  const uint32_t blocks = Capacity(size_class);
  char* first = reinterpret_cast<char*>(chunk) + FirstBlock(block);
  CYCLEGC_UNPOISON(first, blocks * block);
  chunk->size_class = size_class;
  chunk->used = blocks;
  chunk->free = nullptr;
  for (uint32_t i = blocks - 1; i >= 1; --i) {
    void* next = head;
    std::memcpy(first + i * block, &next, sizeof(void*));
    head = first + i * block;
    CYCLEGC_POISON(head, block);
  }
  return first;
}

}  // namespace

void* RefillSizeClass(HeapCore* core, uint32_t size_class) {
  ChunkPool& pool = HeapState::FromCore(core)->chunks;
  void*& head = core->free_lists[size_class];
  ChunkHeader* chunk = pool.partial[size_class];
  if (chunk == nullptr) {
    if (pool.spare != nullptr) {
      chunk = pool.spare;
      Remove(pool.spare, chunk);
      --pool.spare_count;
      if (pool.spare_count < pool.low_water) pool.low_water = pool.spare_count;
    } else {
      chunk = MapChunk(pool);  // may throw: nothing changed
      chunk->heap = core;
    }
    return Carve(chunk, size_class, head);
  }
  // Its free blocks become the heap's list.
  Remove(pool.partial[size_class], chunk);
  chunk->partial = false;
  head = chunk->free;
  chunk->free = nullptr;
  chunk->used = Capacity(size_class);
  void* block = head;
  CYCLEGC_UNPOISON(block, BlockBytes(size_class));
  std::memcpy(&head, block, sizeof(void*));
  return block;
}

void OnChunkFreed(HeapCore* core, ChunkHeader* chunk) noexcept {
  ChunkPool& pool = HeapState::FromCore(core)->chunks;
  if (chunk->used != 0) {
    Push(pool.partial[chunk->size_class], chunk);
    chunk->partial = true;
    return;
  }
  if (chunk->partial) {
    Remove(pool.partial[chunk->size_class], chunk);
    chunk->partial = false;
  }
  Push(pool.spare, chunk);
  ++pool.spare_count;
}

void ReleaseIdleChunks(ChunkPool& pool) {
  ChunkHeader* idle[ChunkPool::kMostReleased];
  size_t n = 0;
  while (n < ChunkPool::kMostReleased &&
         static_cast<int64_t>(n) < pool.low_water - ChunkPool::kSpareChunks) {
    idle[n] = pool.spare;
    Remove(pool.spare, idle[n++]);
    --pool.spare_count;
  }
  std::sort(idle, idle + n);
  Unmap(pool, idle, n);
  pool.low_water = pool.spare_count;
}

// --- Exiled blocks (gc/isolate.h) -------------------------------------------

namespace {

// Guards the orphan flags and the `used` counts of orphaned chunks.
std::mutex& ExileMutex() {
  static std::mutex* mutex = new std::mutex;  // never destroyed
  return *mutex;
}

// The link a block on a list keeps in its first word.
void* NextBlock(void* block) {
  void* next;
  std::memcpy(&next, block, sizeof(void*));
  return next;
}

}  // namespace

void ReturnExiledBlock(void* block) noexcept {
  ChunkHeader* chunk = ChunkOf(block);
  std::lock_guard<std::mutex> lock(ExileMutex());
  if (!chunk->orphan) {
    // Its heap state lives (it orphans its chunks under this mutex).
    HeapState::FromCore(chunk->heap)->remote->PushBlock(block);
    return;
  }
  if (--chunk->used == 0) {
    CYCLEGC_UNPOISON(chunk, kChunkBytes);
    munmap(chunk, kChunkBytes);
  }
}

void OrphanExiledChunks(HeapState& heap) noexcept {
  RemoteReleases* remote = heap.remote.get();
  if (remote == nullptr || !remote->exiled_any()) return;
  std::lock_guard<std::mutex> lock(ExileMutex());
  // Every object of the heap is dead: what a chunk still counts as used,
  // beyond the blocks returned and those on the heap's lists, is exiled.
  for (void* block = remote->TakeBlocks(); block != nullptr;) {
    void* next = NextBlock(block);
    --ChunkOf(block)->used;
    block = next;
  }
  for (uint32_t size_class = 1; size_class < kNumSizeClasses; ++size_class) {
    void* block = heap.free_lists[size_class];
    heap.free_lists[size_class] = nullptr;
    while (block != nullptr) {
      CYCLEGC_UNPOISON(block, sizeof(void*));
      void* next = NextBlock(block);
      --ChunkOf(block)->used;
      block = next;
    }
  }
  ChunkPool& pool = heap.chunks;
  for (ChunkHeader* chunk = pool.all; chunk != nullptr;) {
    ChunkHeader* next = chunk->next_chunk;
    if (chunk->used > 0) {
      chunk->orphan = true;
      Forget(pool, chunk);  // ReleaseAllChunks leaves it mapped
    }
    chunk = next;
  }
}

void ReleaseAllChunks(ChunkPool& pool) {
  while (pool.all != nullptr) {
    ChunkHeader* chunk = pool.all;
    Unmap(pool, &chunk, 1);
  }
  if (pool.unused_chunks > 0) {
    munmap(pool.next_unused, pool.unused_chunks * kChunkBytes);
  }
  pool = ChunkPool{};
}

}  // namespace gc::internal
