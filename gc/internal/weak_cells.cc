// Copyright 2026 The cyclegc Authors.

#include "gc/internal/weak_cells.h"

#include <mutex>
#include <new>
#include <vector>

#include "gc/internal/check.h"
#include "gc/internal/object_bits.h"

namespace gc::internal {

constinit uintptr_t weak_cell_pages[kWeakCellPageCount] = {};

namespace {

// The page numbers: handed out from 1 on, and reused once given back. A
// std::mutex (as the heap registry's), which ThreadSanitizer sees: the
// system's Abseil is not built for it, so it cannot see absl::Mutex.
std::mutex& PageNumbersMutex() {
  static std::mutex* mutex = new std::mutex;  // never destroyed
  return *mutex;
}
uint32_t next_page_number = 1;  // guarded by PageNumbersMutex()
// Never freed: heaps may give pages back during process exit.
std::vector<uint32_t>* free_page_numbers = nullptr;  // guarded, too

// Enters `page` under a free page number. Throws std::bad_alloc when none is
// left (every number in use: 2^32 cells).
uint32_t TakePageNumber(WeakLink* page) {
  std::lock_guard<std::mutex> lock(PageNumbersMutex());
  uint32_t number;
  if (free_page_numbers != nullptr && !free_page_numbers->empty()) {
    number = free_page_numbers->back();
    free_page_numbers->pop_back();
  } else if (next_page_number < kWeakCellPageCount) {
    number = next_page_number++;
  } else {
    throw std::bad_alloc();
  }
  weak_cell_pages[number] =
      reinterpret_cast<uintptr_t>(page) -
      (uintptr_t{number} << kWeakCellPageShift) * sizeof(WeakLink);
  return number;
}

void GivePageNumber(uint32_t number) noexcept {
  std::lock_guard<std::mutex> lock(PageNumbersMutex());
  weak_cell_pages[number] = 0;
  try {
    if (free_page_numbers == nullptr) {
      free_page_numbers = new std::vector<uint32_t>;
    }
    free_page_numbers->push_back(number);
  } catch (const std::bad_alloc&) {
    // Out of memory: the number is not reused, which is harmless.
  }
}

// A free cell's link to the next free cell (its index) lives in `next`.
uint32_t NextFree(const WeakLink* cell) {
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(cell->next));
}
void SetNextFree(WeakLink* cell, uint32_t index) {
  cell->prev = nullptr;
  cell->next = reinterpret_cast<WeakLink*>(static_cast<uintptr_t>(index));
}

}  // namespace

WeakCells::~WeakCells() {
  CYCLEGC_DCHECK(used_ == 0);
  for (uint32_t page : pages_) {
    WeakLink* memory = WeakCellAt(page << kWeakCellPageShift);
    GivePageNumber(page);
    ::operator delete(memory);
  }
}

uint32_t WeakCells::IndexOf(const Object& object) const {
  const uint32_t bits = ObjectBits::Of(object);
  CYCLEGC_DCHECK(ObjectBits::HasWeak(bits));
  if (ObjectBits::HasHeader(bits)) {
    return HeaderOf(const_cast<Object*>(&object))->weak_cell;
  }
  const uint32_t* index = untracked_.Find(&object);
  CYCLEGC_DCHECK(index != nullptr);
  return *index;
}

WeakLink* WeakCells::CellFor(Object& object) {
  uint32_t& bits = ObjectBits::Of(object);
  if (ObjectBits::HasWeak(bits)) return WeakCellAt(IndexOf(object));
  const uint32_t index = Take();  // may throw: nothing changed
  if (ObjectBits::HasHeader(bits)) {
    GcHeader* header = HeaderOf(&object);
    if (ObjectBits::InRound(bits)) {  // the cell displaces the member index
      try {
        parked_.GetOrInsert(&object) = header->round_member;
      } catch (const std::bad_alloc&) {
        Give(index);
        throw;
      }
    }
    header->weak_cell = index;
  } else {
    try {
      untracked_.GetOrInsert(&object) = index;
    } catch (const std::bad_alloc&) {
      Give(index);
      throw;
    }
  }
  ObjectBits::SetHasWeak(bits);
  return WeakCellAt(index);
}

void WeakCells::Release(Object& object) noexcept {
  const uint32_t index = IndexOf(object);
  ClearIndex(object);
  Give(index);
}

void WeakCells::SetIndex(Object& object, uint32_t index) noexcept {
  uint32_t& bits = ObjectBits::Of(object);
  CYCLEGC_DCHECK(!ObjectBits::HasWeak(bits));
  CYCLEGC_DCHECK(!ObjectBits::InRound(bits));  // an arrival (gc::Adopt)
  if (ObjectBits::HasHeader(bits)) {
    HeaderOf(&object)->weak_cell = index;
  } else {
    untracked_.GetOrInsert(&object) = index;  // reserved: does not throw
  }
  ObjectBits::SetHasWeak(bits);
}

void WeakCells::ClearIndex(Object& object) noexcept {
  uint32_t& bits = ObjectBits::Of(object);
  if (!ObjectBits::HasHeader(bits)) {
    untracked_.Erase(&object);
  } else if (ObjectBits::InRound(bits)) {  // the member index comes back
    uint32_t* parked = parked_.Find(&object);
    CYCLEGC_DCHECK(parked != nullptr);
    HeaderOf(&object)->round_member = *parked;
    parked_.Erase(&object);
  }
  ObjectBits::ClearHasWeak(bits);
}

uint32_t WeakCells::Take() {
  uint32_t index;
  if (free_ != 0) {
    index = free_;
    free_ = NextFree(WeakCellAt(index));
    --free_count_;
  } else {
    if (bump_ == bump_end_) AddPage();  // may throw: nothing changed
    index = bump_++;
  }
  WeakLink* cell = WeakCellAt(index);
  cell->prev = cell->next = cell;
  ++used_;
  return index;
}

void WeakCells::Give(uint32_t index) noexcept {
  WeakLink* cell = WeakCellAt(index);
  CYCLEGC_DCHECK(cell->prev == cell && cell->next == cell);
  SetNextFree(cell, free_);
  free_ = index;
  ++free_count_;
  --used_;
}

void WeakCells::Reserve(size_t cells, size_t untracked) {
  while (spare() < cells) AddPage();
  untracked_.Reserve(untracked_.size() + untracked);
}

void WeakCells::AddPage() {
  pages_.reserve(pages_.size() + 1);
  auto* memory =
      static_cast<WeakLink*>(::operator new(kSlots * sizeof(WeakLink)));
  uint32_t number;
  try {
    number = TakePageNumber(memory);
  } catch (const std::bad_alloc&) {
    ::operator delete(memory);
    throw;
  }
  pages_.push_back(number);
  // The newest page's cells not handed out yet go to the free list.
  while (bump_ != bump_end_) {
    SetNextFree(WeakCellAt(bump_), free_);
    free_ = bump_++;
    ++free_count_;
  }
  bump_ = number << kWeakCellPageShift;
  bump_end_ = bump_ + kSlots;
}

}  // namespace gc::internal
