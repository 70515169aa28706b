// Copyright 2026 The cyclegc Authors.
//
// What a round's verification (gc/internal/round.h) does to the generations:
// moving a batch of members to their end, and giving the batch's survivors
// back to generation 2 afterwards (see "Generations" in
// gc/internal/heap_state.h).

#include <algorithm>
#include <vector>

#include "gc/internal/heap_state.h"

namespace gc::internal {

void HeapState::MoveToEnd(Object* object) {
  std::vector<Object*>& slots = lists[kListGenerations];
  CYCLEGC_DCHECK(InList(*object, kListGenerations));
  CYCLEGC_DCHECK(slots.size() < slots.capacity());
  CYCLEGC_DCHECK(!compaction[kListGenerations].active ||
                 compaction[kListGenerations].read == 0);
  const size_t index = HeaderOf(object)->index;
  --generation_live_[GenerationOfSlot(index)];
  slots[index] = nullptr;
  ++tombstones[kListGenerations];
  hole_end_[kListGenerations] =
      std::max(hole_end_[kListGenerations], index + 1);
  slots.push_back(object);  // reserved: does not throw
  HeaderOf(object)->index = static_cast<uint32_t>(slots.size() - 1);
  ++generation_live_[0];
}

void HeapState::ReleaseRoundLists(size_t begin, int64_t moved) {
  CYCLEGC_DCHECK(phase_ != CollectionPhase::kIdle &&
                 phase_ != CollectionPhase::kSweeping);
  phase_ = CollectionPhase::kRunning;
  CompactFrom(kListGenerations, begin);  // the batch's slots, without gaps
  // Each survivor of the batch (in generation 0, at the end) trades places
  // with the first slot of generation 1, which trades with the first of
  // generation 0; both boundaries move up one: the survivor is the last of
  // generation 2, and the others keep their generations.
  std::vector<Object*>& slots = lists[kListGenerations];
  for (size_t s = begin; s < slots.size(); ++s) {
    CYCLEGC_DCHECK(s >= gen0_begin);
    Object* survivor = slots[s];
    Object* first1 = slots[gen1_begin];
    Object* first0 = slots[gen0_begin];
    slots[s] = first0;
    slots[gen0_begin] = first1;
    slots[gen1_begin] = survivor;
    for (size_t i : {s, gen0_begin, gen1_begin}) {
      if (slots[i] != nullptr) {
        HeaderOf(slots[i])->index = static_cast<uint32_t>(i);
      } else {  // a tombstone moved up
        hole_end_[kListGenerations] =
            std::max(hole_end_[kListGenerations], i + 1);
      }
    }
    ++gen1_begin;
    ++gen0_begin;
    --generation_live_[0];
    ++generation_live_[2];
  }
  AdoptBorn();  // objects made during the verification: generation 0
  if (moved > 0) {
    StepCompaction(kListGenerations,
                   static_cast<size_t>(moved) * kCompactionSlotsPerDeath);
  }
}

}  // namespace gc::internal
