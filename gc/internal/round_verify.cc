// Copyright 2026 The cyclegc Authors.
//
// Steps 5-6 of a round (gc/internal/round.h): verifying the suspected
// groups, in batches that fit the pause, by an ordinary trial deletion over
// each batch (a Collection, gc/internal/collection.h), and letting go of the
// members.

#include <time.h>

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

// The CPU time of the calling thread, in seconds.
double ThreadSeconds() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) +
         1e-9 * static_cast<double>(now.tv_nsec);
}

}  // namespace

// Step 5: batches of groups, as many as the time left allows by the cost
// measured so far (at least one group per pause that begins in this step).
bool Round::VerifyStep(CollectionInfo& info) {
  // At least one group per pause, if the pause began here: a pause that
  // did the work of an earlier stage leaves the first group to the next.
  bool first = verify_first_;
  auto next = [&](uint32_t member) {
    return static_cast<uint32_t>(a_.counts[member]);  // the ring's link
  };
  std::vector<Object*>& batch = a_.batch;
  while (cursor_ < a_.roots.size()) {
    // A batch moves to the end of the generations, which needs the
    // compaction under way (if any) finished: in steps, not in one go.
    if (!CompactGenerations(false)) return false;
    const size_t at = cursor_;
    double room = 1e300;
    if (deadline_ != absl::InfiniteFuture()) {
      // Three quarters of the time left: a batch's cost per object varies
      // (the destructors' frees, cold objects) by 2-3x from one to the next.
      room = 0.75 * absl::ToDoubleSeconds(deadline_ - absl::Now()) /
             seconds_per_object_;
    }
    batch.clear();
    while (cursor_ < a_.roots.size()) {
      const size_t before = batch.size();
      const uint32_t root = a_.roots[cursor_];
      for (uint32_t m = next(root);; m = next(m)) {  // the ring, root last
        if (a_.members[m] != nullptr) batch.push_back(a_.members[m]);
        if (m == root) break;
      }
      if ((before > 0 || !first) && static_cast<double>(batch.size()) > room) {
        batch.resize(before);  // the group waits for the next batch
        break;
      }
      ++cursor_;
    }
    if (batch.empty()) return false;  // the next group does not fit
    // Room for the batch (round_room.cc), made in steps first if need be:
    // then the batch is chosen again with the time left.
    if (!RoomFor(batch.size())) {
      cursor_ = at;
      batch.clear();
      if (!TimeLeft()) return false;
      continue;
    }
    first = false;
    {
      // The cost by the thread's CPU time: the time the thread waited for
      // a core is not the batch's, and would shrink the next ones.
      const double start = ThreadSeconds();
      VerifyBatch(info);
      const double seconds = ThreadSeconds() - start;
      // A slower batch sets the estimate, a faster one halves the gap: the
      // next batch errs small rather than past the deadline.
      const double sample = seconds / static_cast<double>(batch.size());
      seconds_per_object_ = std::max(
          {0.5 * seconds_per_object_ + 0.5 * sample, sample, 1e-9});
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
  if (!TidyGenerations()) return false;
  stage_ = Stage::kDone;
  return true;
}

}  // namespace gc::internal
