// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/weak_cells.h
// -----------------------------------------------------------------------------
//
// `WeakCells`: a heap's weak cells (include/gc/internal/weak_cell.h has the
// layout and the ring invariants). The cells come from pages of
// kWeakCellSlotMask + 1 cells each, numbered in one process-wide space of
// page numbers (`weak_cell_pages`), so that any cell is found from its index
// without knowing its heap. A heap takes cells from its newest page, and
// reuses the cells it freed before, newest first.
//
// Which object has which cell: a tracked object (one with a GcHeader) keeps
// the index in its GcHeader (`weak_cell`), an untracked one in `untracked_`.
// `WeakCellInHeader` (the inline path), `IndexOf`, `CellFor`, `SetIndex`
// and `ClearIndex` are the only code that knows where.
//
// The GcHeader's second word has another owner (gc/internal/gc_header.h): a
// round of the pause budget keeps a member's index there (kInRound). When a
// member gets a cell, its index is parked in `parked_` and the cell takes
// the word; when the cell goes, the index goes back. `RoundMemberOf`,
// `SetRoundMember` and `ForgetRoundMember` find it wherever it is, in O(1):
// the word, or (for the few members with a cell) the parking.
//
// Invariants:
//   * `used_` cells are in use (rings); the others of the pages are free:
//     before `bump_` on the free list (prev == null, next: the next free
//     cell's index), or not handed out yet (from `bump_` to the page's end).
//   * Every page is this heap's until the table is destroyed, which
//     REQUIRES that no cell is in use (no object of the heap is left).

#ifndef CYCLEGC_GC_INTERNAL_WEAK_CELLS_H_
#define CYCLEGC_GC_INTERNAL_WEAK_CELLS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/base/optimization.h"
#include "gc/internal/check.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/object_bits.h"
#include "gc/internal/pointer_map.h"
#include "gc/internal/weak_cell.h"
#include "gc/object.h"

namespace gc::internal {

class WeakCells {
 public:
  WeakCells() = default;
  WeakCells(const WeakCells&) = delete;
  WeakCells& operator=(const WeakCells&) = delete;
  ~WeakCells();

  // The index of `object`'s cell (REQUIRES: kHasWeak).
  uint32_t IndexOf(const Object& object) const;
  // The cell of `object`, made (an empty ring) if it has none: sets kHasWeak.
  // REQUIRES: `object` is managed, not dying, and of this heap. Throws
  // std::bad_alloc, changing nothing, when out of memory.
  WeakLink* CellFor(Object& object);
  // Gives `object`'s cell back and clears kHasWeak. REQUIRES: kHasWeak, and
  // no weak reference left in the ring (the caller unlinked them).
  void Release(Object& object) noexcept;
  // Gives `object` the cell of index `index` (taken with Take, or moved
  // here): sets kHasWeak. REQUIRES: the object has no cell; for an untracked
  // object, room in the table (Reserve).
  void SetIndex(Object& object, uint32_t index) noexcept;
  // Forgets `object`'s cell without giving it back; clears kHasWeak.
  void ClearIndex(Object& object) noexcept;

  // A free cell, now in use as an empty ring. Throws std::bad_alloc,
  // changing nothing, when out of memory.
  uint32_t Take();
  // Gives back the cell of index `index`. REQUIRES: in use here, empty.
  void Give(uint32_t index) noexcept;
  // Makes sure `cells` more cells can be taken, and as many untracked
  // objects given one, without allocating. Throws std::bad_alloc, changing
  // nothing but spare capacity, when out of memory.
  void Reserve(size_t cells, size_t untracked);

  // The round member index of `object` (REQUIRES: kInRound, a GcHeader,
  // outside trial deletion).
  uint32_t RoundMemberOf(const Object& object) const {
    const uint32_t bits = ObjectBits::Of(object);
    if (ABSL_PREDICT_TRUE(!ObjectBits::HasWeak(bits))) {
      return HeaderOf(const_cast<Object*>(&object))->round_member;
    }
    const uint32_t* parked = parked_.Find(&object);
    CYCLEGC_DCHECK(parked != nullptr);
    return *parked;
  }
  // Gives `object` (a GcHeader; about to be kInRound, or kInRound) the round
  // member index `index`. Throws std::bad_alloc, changing nothing, when out
  // of memory.
  void SetRoundMember(Object& object, uint32_t index) {
    if (ObjectBits::HasWeak(ObjectBits::Of(object))) {
      parked_.GetOrInsert(&object) = index;
    } else {
      HeaderOf(&object)->round_member = index;
    }
  }
  // `object` leaves the round (it dies, or the round lets go of it): drops
  // what is parked for it. Call before clearing kInRound.
  void ForgetRoundMember(const Object& object) noexcept {
    if (ObjectBits::HasWeak(ObjectBits::Of(object))) parked_.Erase(&object);
  }
  // Round member indexes parked (members with a cell).
  size_t parked() const { return parked_.size(); }

  // Cells in use.
  size_t used() const { return used_; }
  // Calls `f(index, cell)` for every cell in use.
  template <typename F>
  void ForEachInUse(F&& f) const {
    for (uint32_t page : pages_) {
      const uint32_t first = page << kWeakCellPageShift;
      const uint32_t end = page == pages_.back() ? bump_ : first + kSlots;
      for (uint32_t index = first; index < end; ++index) {
        WeakLink* cell = WeakCellAt(index);
        if (cell->prev != nullptr) f(index, cell);
      }
    }
  }
  // Calls `f(object, index)` for every untracked object with a cell.
  template <typename F>
  void ForEachUntracked(F&& f) const {
    untracked_.ForEach([&](const void* key, uint32_t index) {
      f(static_cast<const Object*>(key), index);
    });
  }

 private:
  static constexpr uint32_t kSlots = kWeakCellSlotMask + 1;
  // Cells that Take can hand out without a new page.
  size_t spare() const { return free_count_ + (bump_end_ - bump_); }
  // Adds a page (bump_ at its start). Throws std::bad_alloc, changing
  // nothing, when out of memory or page numbers.
  void AddPage();

  std::vector<uint32_t> pages_;  // page numbers, oldest first
  uint32_t free_ = 0;            // head of the free list (0: empty)
  size_t free_count_ = 0;
  uint32_t bump_ = 0;  // next never-used index of the newest page
  uint32_t bump_end_ = 0;
  size_t used_ = 0;
  // Cell indexes of objects without a GcHeader.
  PointerMap<uint32_t> untracked_;
  // Round member indexes of members whose cell is in their GcHeader.
  PointerMap<uint32_t> parked_;
};

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_WEAK_CELLS_H_
