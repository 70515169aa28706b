// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/weak_cell.h
// -----------------------------------------------------------------------------
//
// The weak cells: what `gc::WeakRef`'s inline code needs to find the weak
// references of an object. Not part of the public API; the heap's side (who
// owns which cell, allocation, the slow paths) is gc/internal/weak_cells.h.
//
// The weak references to one object form a ring, doubly linked through the
// `WeakLink` at the start of each `WeakRefBase`, closed by the object's weak
// cell: a `WeakLink` of its own (16 bytes), kept in the pages below from the
// object's first weak reference until the object dies. Making, copying,
// moving and dropping a weak reference is a link or unlink in that ring: no
// hash lookup, no allocation, whatever the heap's size.
//
// A cell has a 32-bit index, global across heaps: page `index >>
// kWeakCellPageShift` of `weak_cell_pages`, slot `index & kWeakCellSlotMask`.
// Index 0 means "no cell" (page 0 is never used). A tracked object keeps
// its cell's index in its GcHeader (`weak_cell`), an untracked one in its
// heap's table (the slow path).
//
// Invariants:
//   * An object has kHasWeak exactly while it has a cell.
//   * A cell in use is a ring: `prev` and `next` are never null (both the
//     cell itself when no weak reference points at the object), and every
//     other link of the ring is a WeakRefBase whose target is the object.
//   * A page's entry is written only while its owning heap takes or gives
//     back the page number (gc/internal/weak_cells.cc), so the heap's owner
//     thread may read its cells' entries without synchronisation.

#ifndef CYCLEGC_INCLUDE_GC_INTERNAL_WEAK_CELL_H_
#define CYCLEGC_INCLUDE_GC_INTERNAL_WEAK_CELL_H_

#include "gc/config.h"  // first gc header: stops below C++20

#include <cstdint>

#include "gc/internal/gc_header.h"
#include "gc/internal/header_bits.h"
#include "gc/object.h"

namespace gc::internal {

// A link of a weak reference ring (and a whole cell).
// Outside a ring or list, a weak reference's links are null (the verifier
// scans live objects for pointers, and must find no stale ones); a cell's
// are set when it is taken.
struct WeakLink {
  WeakLink* prev;
  WeakLink* next;
};

inline constexpr int kWeakCellPageShift = 12;  // 4096 cells (64 KiB) a page
inline constexpr uint32_t kWeakCellSlotMask = (1u << kWeakCellPageShift) - 1;
inline constexpr uint32_t kWeakCellPageCount = 1u << (32 - kWeakCellPageShift);

// Every heap's pages of cells, by page number: the page's address less
// 16 bytes for each index below the page's first (0: not in use), so that
// a cell's address is its page's entry plus 16 bytes times its index.
extern uintptr_t weak_cell_pages[kWeakCellPageCount];

// The cell of index `index`. REQUIRES: `index` is in use.
inline WeakLink* WeakCellAt(uint32_t index) {
  return reinterpret_cast<WeakLink*>(
      weak_cell_pages[index >> kWeakCellPageShift] +
      uintptr_t{index} * sizeof(WeakLink));
}

// True when the inline path can find the cell of an object with these bits
// (a live object with a GcHeader and a cell: WeakCellInHeader); otherwise
// the slow path decides.
inline bool HasWeakCellInHeader(uint32_t bits) {
  return (bits & (kHasHeader | kHasWeak | kDying)) == (kHasHeader | kHasWeak);
}
// REQUIRES: HasWeakCellInHeader.
inline WeakLink* WeakCellInHeader(Object* object) {
  return WeakCellAt(HeaderOf(object)->weak_cell);
}

}  // namespace gc::internal

#endif  // CYCLEGC_INCLUDE_GC_INTERNAL_WEAK_CELL_H_
