// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/chunks.h
// -----------------------------------------------------------------------------
//
// The chunks behind a heap's free lists (see ChunkHeader in
// include/gc/internal/heap_core.h). A chunk is mapped from the system,
// kChunkBytes long and aligned to its size, so that a block finds its chunk
// by masking its address; chunks are mapped kChunksMapped at a time. Chunks
// with free blocks on their own list wait in a list per size class until the
// heap's list of that class runs dry. A chunk that becomes entirely free is a
// spare, for any size class. Spares go back to the system only at the end of
// a full collection, and only those no allocation needed since the previous
// one (the low-water mark of the spares, less kSpareChunks), at most
// kMostReleased per collection: a program whose memory use swings keeps what
// its swings need (on a virtual machine, unmapping a chunk costs more than
// filling it), and after a spike the memory goes back within a few full
// collections, at a bounded cost each.
//
// Invariants:
//   * `used` of a chunk counts its blocks not on its own `free` list.
//   * A chunk is on `partial[c]` iff its `partial` flag is set; then its
//     `free` list is not empty and `used` > 0.
//   * The blocks on a heap's list of class c all belong to one chunk.
//   * `all` links every chunk of the heap (`count` of them), spares included.
//   * low_water <= spare_count.

#ifndef CYCLEGC_GC_INTERNAL_CHUNKS_H_
#define CYCLEGC_GC_INTERNAL_CHUNKS_H_

#include <cstdint>

#include "gc/internal/heap_core.h"

namespace gc::internal {

class HeapState;

struct ChunkPool {
  static constexpr int kSpareChunks = 4;
  static constexpr int kMostReleased = 256;  // 16 MiB
  static constexpr int kChunksMapped = 32;

  ChunkHeader* partial[kNumSizeClasses] = {};
  ChunkHeader* spare = nullptr;
  int spare_count = 0;
  ChunkHeader* all = nullptr;
  int64_t count = 0;      // chunks handed out (spares included)
  int64_t low_water = 0;  // fewest spares since the last ReleaseIdleChunks
  char* next_unused = nullptr;  // mapped, not handed out yet
  int64_t unused_chunks = 0;
};

// Unmaps the spares no allocation needed since the last call (see above).
// At the end of each full collection.
void ReleaseIdleChunks(ChunkPool& pool);

// Unmaps every chunk of `pool` (when its heap state dies).
void ReleaseAllChunks(ChunkPool& pool);

// Exiled blocks. An object that moved to another heap (gc/isolate.h) keeps
// its block, in a chunk of the heap it came from (`ChunkHeader::heap`),
// which counts it as used. When it dies, `ReturnExiledBlock` (any thread)
// queues the block for that heap's owner (RemoteReleases), who frees it at
// its next collection; if that heap's state died meanwhile, the chunk is an
// orphan (kept mapped by `OrphanExiledChunks`, no pool's), and the block's
// return lowers its count: the last one unmaps it. One process-wide mutex
// guards the orphans.
void ReturnExiledBlock(void* block) noexcept;

// When `heap`'s state dies (before ReleaseAllChunks): its chunks that still
// have exiled blocks become orphans.
void OrphanExiledChunks(HeapState& heap) noexcept;

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_CHUNKS_H_
