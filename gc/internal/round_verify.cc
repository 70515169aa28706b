// Copyright 2026 The cyclegc Authors.
//
// Steps 5-6 of a round (gc/internal/round.h): verifying the suspected
// groups, in batches that fit the pause, by an ordinary trial deletion over
// each batch (a Collection, gc/internal/collection.h), and letting go of the
// members.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "gc/internal/collection.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/reaper.h"
#include "gc/internal/round.h"
#include "gc/internal/verifier.h"

namespace gc::internal {
namespace {

// Slots a compaction slides between two looks at the clock.
constexpr size_t kSlideSlots = 4096;

}  // namespace

// Step 5: batches of groups, as many as the time left allows by the cost
// measured so far (at least one group per pause).
bool Round::VerifyStep(CollectionInfo& info) {
  bool first = true;
  auto next = [&](uint32_t member) {
    return static_cast<uint32_t>(a_.counts[member]);  // the chain link
  };
  std::vector<Object*>& batch = a_.batch;
  while (cursor_ < a_.roots.size()) {
    // A batch moves to the end of the generations, which needs the
    // compaction under way (if any) finished: in steps, not in one go.
    while (heap_.compaction[kListGenerations].active) {
      heap_.StepCompaction(kListGenerations, kSlideSlots);
      if (!TimeLeft()) return false;
    }
    double room = 1e300;
    if (deadline_ != absl::InfiniteFuture()) {
      room =
          absl::ToDoubleSeconds(deadline_ - absl::Now()) / seconds_per_object_;
    }
    batch.clear();
    while (cursor_ < a_.roots.size()) {
      const uint32_t head = a_.heads[a_.roots[cursor_]];
      size_t size = 0;
      for (uint32_t m = head; m != kNone; m = next(m)) {
        size += a_.members[m] != nullptr;
      }
      if ((!batch.empty() || !first) &&
          static_cast<double>(batch.size() + size) > room) {
        break;
      }
      for (uint32_t m = head; m != kNone; m = next(m)) {
        if (a_.members[m] != nullptr) batch.push_back(a_.members[m]);
      }
      ++cursor_;
    }
    if (batch.empty()) return false;  // the next group does not fit
    first = false;
    {
      const absl::Time start = absl::Now();
      VerifyBatch(info);
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
      // Weighted toward the latest, so that a slow batch shrinks the next.
      seconds_per_object_ =
          std::max(0.5 * seconds_per_object_ +
                       0.5 * seconds / static_cast<double>(batch.size()),
                   1e-9);
      batch.clear();
    }
    if (!TimeLeft()) return false;
  }
  stage_ = Stage::kRelease;
  cursor_ = 0;
  survivors_ = alive_;
  return true;
}

void Round::VerifyBatch(CollectionInfo& info) {
  std::vector<Object*>& slots = heap_.lists[kListGenerations];
  heap_.FinishCompactionPast(kListGenerations, 0);
  ReserveGrowing(slots, slots.size() + a_.batch.size());  // may throw
  const size_t begin = slots.size();
  for (Object* object : a_.batch) heap_.MoveToEnd(object);
  // As CollectDeferringDeaths: no memory is freed under the collector.
  Reaper& reaper = Reaper::Get();
  const bool was_active = reaper.Activate();
  const size_t outer_deaths = reaper.size();
  CollectionInfo found;
  found.generation = 2;
  Collection(heap_, begin).Run(found);
  reaper.Drain(outer_deaths);
  reaper.Restore(was_active);
  heap_.ReleaseRoundLists(begin, static_cast<int64_t>(a_.batch.size()));
  if ((heap_.debug & kDebugVerify) != 0) {
    VerifyHeap(heap_, VerifyPoint::kBetweenCollections, 2);
  }
  info.collected += found.collected;
  info.uncollectable += found.uncollectable;
}

// Step 6.
bool Round::ReleaseStep() {
  while (cursor_ < a_.members.size()) {
    Object* object = a_.members[cursor_++];
    if (object == nullptr) continue;
    LetGo(object);
    if (!Continue()) return false;
  }
  stage_ = Stage::kDone;
  return true;
}

}  // namespace gc::internal
