// Copyright 2026 The cyclegc Authors.
//
// The lists of a heap state: linking and unlinking, the incremental
// compaction, the generations' boundaries and live counts, promotion,
// freezing and the teardown of a detached heap (see "Lists" and
// "Generations" in gc/internal/heap_state.h).

#include <algorithm>
#include <new>
#include <vector>

#include "gc/internal/heap_state.h"

namespace gc::internal {

void HeapState::GrowList(ListId list) {
  ReserveGrowing(lists[list], lists[list].size() + 1);
}

void HeapState::Unlink(Object* object) {
  uint32_t& bits = ObjectAccess::Bits(*object);
  const ListId list = ObjectBits::List(bits);
  if (list == kListGenerations) {
    --generation_live_[GenerationOfSlot(HeaderOf(object)->index)];
  }
  const size_t index = HeaderOf(object)->index;
  lists[list][index] = nullptr;
  ++tombstones[list];
  hole_end_[list] = std::max(hole_end_[list], index + 1);
  ObjectBits::Untrack(bits);
  if (!holds_lists() && CompactionWanted(list)) {
    StepCompaction(list, kCompactionSlotsPerDeath);
  }
}

void HeapState::StepCompaction(ListId list, size_t budget) {
  CYCLEGC_DCHECK(!holds_lists());
  if (!CompactionWanted(list)) return;
  Compaction& c = compaction[list];
  if (!c.active) c = Compaction{0, 0, true};
  if (Slide(list, c, budget)) c.active = false;
}

void HeapState::FinishCompactionPast(ListId list, size_t from) {
  Compaction& c = compaction[list];
  if (c.active && c.read > from) {
    Slide(list, c, SIZE_MAX);
    c.active = false;
  }
}

void HeapState::CompactFrom(ListId list, size_t from) {
  CYCLEGC_DCHECK(!holds_lists());
  FinishCompactionPast(list, from);
  // A compaction under way has read none of the slots from `from` on, and
  // every tombstone there is below HoleEnd.
  if (from < hole_end_[list]) {
    Compaction suffix{from, from, true};
    Slide(list, suffix, SIZE_MAX);
    hole_end_[list] = from;
  }
}

bool HeapState::Slide(ListId list, Compaction& c, size_t budget) {
  std::vector<Object*>& slots = lists[list];
  const bool generations = list == kListGenerations;
  const size_t end =
      budget < slots.size() - c.read ? c.read + budget : slots.size();
  while (c.read < end) {
    // A generation boundary at the read position moves to the write
    // position; up to the next boundary ahead, the slots just slide.
    size_t stop = end;
    if (generations) {
      if (gen1_begin == c.read) gen1_begin = c.write;
      if (gen0_begin == c.read) gen0_begin = c.write;
      if (gen1_begin > c.read) stop = std::min(stop, gen1_begin);
      if (gen0_begin > c.read) stop = std::min(stop, gen0_begin);
    }
    for (; c.read < stop; ++c.read) {
      Object* object = slots[c.read];
      if (object == nullptr) continue;
      if (c.write != c.read) {
        slots[c.write] = object;
        slots[c.read] = nullptr;
        HeaderOf(object)->index = static_cast<uint32_t>(c.write);
      }
      ++c.write;
    }
  }
  if (c.read < slots.size()) return false;
  if (generations) {  // a boundary at the end of the list
    gen1_begin = std::min(gen1_begin, c.write);
    gen0_begin = std::min(gen0_begin, c.write);
  }
  tombstones[list] -= static_cast<int64_t>(slots.size() - c.write);
  slots.resize(c.write);
  hole_end_[list] = std::min(hole_end_[list], c.write);
  return true;
}

int64_t HeapState::CountGeneration(int g) const {
  int64_t size = 0;
  const std::vector<Object*>& slots = lists[kListGenerations];
  for (size_t i = GenerationBegin(g); i < GenerationEnd(g); ++i) {
    size += slots[i] != nullptr;
  }
  return size;
}

void HeapState::Promote(int g) {
  generation_live_[g >= 1 ? 2 : 1] +=
      generation_live_[0] + (g >= 1 ? generation_live_[1] : 0);
  if (g >= 1) generation_live_[1] = 0;
  generation_live_[0] = 0;
  const size_t end = lists[kListGenerations].size();
  if (g >= 1) gen1_begin = end;
  gen0_begin = end;
}

void HeapState::AdoptBorn() {
  std::vector<Object*>& born = lists[kListBorn];
  if (born.empty()) return;
  std::vector<Object*>& generations = lists[kListGenerations];
  try {
    ReserveGrowing(generations, generations.size() + born.size());
  } catch (const std::bad_alloc&) {
    return;  // they stay in kListBorn, tracked; the next collection retries
  }
  for (Object* object : born) {
    if (object != nullptr) LinkReserved(object, kListGenerations);
  }
  born.clear();
  tombstones[kListBorn] = 0;
  hole_end_[kListBorn] = 0;
}

void HeapState::ReleaseLists(
    int generation, size_t begin,
    const std::array<int64_t, kNumLists>& dead_before) {
  CYCLEGC_DCHECK(phase_ != CollectionPhase::kIdle &&
                 phase_ != CollectionPhase::kSweeping);
  Promote(generation);  // survivors, resurrected and kept garbage
  AdoptBorn();          // objects made during the collection: generation 0
  phase_ = CollectionPhase::kRunning;
  // The deaths of this collection drive the compactions as those outside
  // collections do; the examined slots lose their tombstones at once.
  generations_peak_ =
      std::max(generations_peak_, lists[kListGenerations].size());
  for (ListId list : {kListGenerations, kListPermanent}) {
    const int64_t deaths = tombstones[list] - dead_before[list];
    if (list == kListGenerations) CompactFrom(list, begin);
    if (deaths > 0) {
      StepCompaction(list, static_cast<size_t>(deaths) *
                               HeapState::kCompactionSlotsPerDeath);
    }
  }
  if (generation != 2) return;
  // Scratch as large as the whole heap: give it back.
  std::vector<Object*>().swap(lists[kListUnreachable]);
  std::vector<Object*>().swap(mark_stack);
  // The saved words' room is in proportion to the weak cells in use, not to
  // the heap: kept (faulting it in again at every full collection cost more
  // than the collection's work on it) unless the cells in use shrank.
  if (saved_words.capacity() > 2 * weak_cells.used() + 1024) {
    std::vector<SavedWord>().swap(saved_words);
  }
  // So is the room of the generations that no collection since the last
  // full one needed, after a spike (this collection compacted them:
  // copying them costs less than examining them did).
  std::vector<Object*>& generations = lists[kListGenerations];
  if (generations.capacity() >
      4 * std::max(generations_peak_, generations.size()) + 1024) {
    generations.shrink_to_fit();  // keeps them if out of memory
  }
  generations_peak_ = 0;
  ReleaseIdleChunks(chunks);  // and memory no allocation needed
}

void HeapState::Freeze() {
  CYCLEGC_DCHECK(!collecting());
  std::vector<Object*>& generations = lists[kListGenerations];
  ReserveGrowing(  // then Link cannot throw
      lists[kListPermanent], lists[kListPermanent].size() + generations.size());
  for (Object* object : generations) {
    if (object != nullptr) Link(object, kListPermanent);
  }
  generations.clear();
  tombstones[kListGenerations] = 0;
  hole_end_[kListGenerations] = 0;
  compaction[kListGenerations] = {};
  gen1_begin = gen0_begin = 0;
  generation_live_ = {};
  count = {};
}

void HeapState::Unfreeze() {
  CYCLEGC_DCHECK(!collecting());
  // Generation 2 grows by the frozen objects: rebuild the generations as
  // generation 2, the frozen objects, generation 1, generation 0.
  std::vector<Object*>& generations = lists[kListGenerations];
  std::vector<Object*>& frozen = lists[kListPermanent];
  std::vector<Object*> rebuilt;
  rebuilt.reserve(generations.size() + frozen.size());
  auto append = [&](const std::vector<Object*>& from, size_t begin,
                    size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (from[i] != nullptr) rebuilt.push_back(from[i]);
    }
  };
  append(generations, 0, gen1_begin);
  append(frozen, 0, frozen.size());
  const size_t new_gen1_begin = rebuilt.size();
  append(generations, gen1_begin, gen0_begin);
  const size_t new_gen0_begin = rebuilt.size();
  append(generations, gen0_begin, generations.size());
  generations.swap(rebuilt);
  frozen.clear();
  tombstones[kListPermanent] = 0;
  tombstones[kListGenerations] = 0;
  hole_end_[kListPermanent] = hole_end_[kListGenerations] = 0;
  compaction = {};
  gen1_begin = new_gen1_begin;
  gen0_begin = new_gen0_begin;
  generation_live_ = {static_cast<int64_t>(generations.size() - gen0_begin),
                      static_cast<int64_t>(gen0_begin - gen1_begin),
                      static_cast<int64_t>(gen1_begin)};
  for (size_t i = 0; i < generations.size(); ++i) {
    HeaderOf(generations[i])->index = static_cast<uint32_t>(i);
    ObjectBits::SetList(ObjectBits::Of(*generations[i]), kListGenerations);
  }
}

void HeapState::UntrackAll() {
  for (int list = kListGenerations; list <= int{kListPermanent}; ++list) {
    for (Object* object : lists[list]) {
      if (object == nullptr) continue;
      ObjectBits::Untrack(ObjectBits::Of(*object));
    }
  }
  for (auto& list : lists) std::vector<Object*>().swap(list);
  tombstones = {};
  hole_end_ = {};
  compaction = {};
  gen1_begin = gen0_begin = 0;
  generation_live_ = {};
  std::vector<Object*>().swap(mark_stack);
  std::vector<SavedWord>().swap(saved_words);
}

}  // namespace gc::internal
