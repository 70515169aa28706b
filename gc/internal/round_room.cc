// Copyright 2026 The cyclegc Authors.
//
// Room for a round's verification (gc/internal/round.h, step 5), made in
// steps that stop at the pause's deadline: a batch moves to the end of the
// generations and its Collection reserves scratch for all of it, and
// growing either in one go copies it and faults its new pages at once, a
// pause of 9-40 ms on a heap of 300,000 objects.

#include <algorithm>
#include <cstddef>
#include <new>
#include <vector>

#include "gc/internal/heap_state.h"
#include "gc/internal/round.h"

namespace gc::internal {
namespace {

// Slots a compaction slides between two looks at the clock.
constexpr size_t kSlideSlots = 4096;
// Bytes of a new room faulted in between two looks at the clock: 4 pages
// (a page fault costs 10-30 us on a virtual machine).
constexpr size_t kFaultBytes = 16 * 1024;

}  // namespace

bool Round::CompactGenerations(bool start) {
  HeapState::Compaction& c = heap_.compaction[kListGenerations];
  if (start && !c.active && heap_.tombstones[kListGenerations] > 0) {
    c = HeapState::Compaction{0, 0, true};
  }
  while (c.active) {
    heap_.StepCompaction(kListGenerations, kSlideSlots);
    if (!TimeLeft()) return !c.active;
  }
  return true;
}

template <typename T>
bool Round::Grow(std::vector<T>& vector, std::vector<T>& spare, size_t want) {
  if (deadline_ == absl::InfiniteFuture()) {
    // The round is finished at once: growing in one go costs less.
    std::vector<T>().swap(spare);
    return true;
  }
  if (spare.capacity() == 0) {
    if (want <= vector.capacity()) return true;
    try {
      spare.reserve(std::max(want, 2 * vector.capacity()));
    } catch (const std::bad_alloc&) {
      return true;  // it grows when it must, as without a budget
    }
  }
  // The pages are faulted in by writing them, a step at a time. Between
  // pauses `vector` may have grown by itself past the room.
  const size_t step = std::max<size_t>(1, kFaultBytes / sizeof(T));
  while (spare.size() < want && want <= spare.capacity()) {
    spare.resize(std::min(want, spare.size() + step));
    if (!TimeLeft()) return false;
  }
  if (vector.size() <= spare.capacity() && vector.capacity() < want) {
    spare.assign(vector.begin(), vector.end());  // within the capacity
    vector.swap(spare);
  }
  std::vector<T>().swap(spare);
  return true;
}

bool Round::RoomFor(size_t objects) {
  std::vector<Object*>& slots = heap_.lists[kListGenerations];
  const size_t needed = slots.size() + objects;
  if (needed > slots.capacity()) {
    if (heap_.tombstones[kListGenerations] > 0) {
      CompactGenerations(true);
      return false;  // then again: the compaction may not be enough
    }
    if (!Grow(slots, grown_, needed + slots.size() / 8)) return false;
  }
  // Collection::Gather's reserves for the batch's candidates.
  std::vector<Object*>& unreachable = heap_.lists[kListUnreachable];
  if (objects > unreachable.capacity() && !Grow(unreachable, grown_, objects)) {
    return false;
  }
  return objects <= heap_.saved_words.capacity() ||
         Grow(heap_.saved_words, grown_words_, objects);
}

bool Round::TidyGenerations() {
  if (!CompactGenerations(!compacted_)) return false;
  compacted_ = true;
  const size_t slots = heap_.lists[kListGenerations].size();
  return Grow(heap_.lists[kListGenerations], grown_, slots + slots / 4);
}

}  // namespace gc::internal
