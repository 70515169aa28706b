// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/chunks.h
// -----------------------------------------------------------------------------
//
// The chunks behind a heap's free lists (see ChunkHeader in
// include/gc/internal/heap_core.h). A chunk is mapped from the system,
// kChunkBytes long and aligned to its size, so that a block finds its chunk
// by masking its address. Chunks with free blocks on their own list wait in
// a list per size class until the heap's list of that class runs dry. A chunk
// that becomes entirely free is kept as a spare (up to kSpareChunks, so that
// a program allocating and freeing around a chunk boundary does not map and
// unmap it each time) or unmapped at once: memory goes back to the system one
// chunk at a time, at a bounded cost per freed block.
//
// Invariants:
//   * `used` of a chunk counts its blocks not on its own `free` list.
//   * A chunk is on `partial[c]` iff its `partial` flag is set; then its
//     `free` list is not empty and `used` > 0.
//   * The blocks on a heap's list of class c all belong to one chunk.
//   * `all` links every chunk of the heap (`count` of them), spares included.

#ifndef CYCLEGC_GC_INTERNAL_CHUNKS_H_
#define CYCLEGC_GC_INTERNAL_CHUNKS_H_

#include <cstdint>

#include "gc/internal/heap_core.h"

namespace gc::internal {

struct ChunkPool {
  static constexpr int kSpareChunks = 4;

  ChunkHeader* partial[kNumSizeClasses] = {};
  ChunkHeader* spare = nullptr;
  int spare_count = 0;
  ChunkHeader* all = nullptr;
  int64_t count = 0;  // chunks mapped
};

// Unmaps every chunk of `pool` (when its heap state dies).
void ReleaseAllChunks(ChunkPool& pool);

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_CHUNKS_H_
