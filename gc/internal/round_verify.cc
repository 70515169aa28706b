// Copyright 2026 The cyclegc Authors.
//
// Steps 5-6 of a round (gc/internal/round.h): verifying the suspected
// groups, in batches that fit the pause, by an ordinary trial deletion over
// each batch (a Collection, gc/internal/collection.h), and letting go of the
// members.

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <new>
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
// Slots of the generations' new room faulted in between two looks at the
// clock (32 pages).
constexpr size_t kFaultSlots = 16384;

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
    return static_cast<uint32_t>(a_.counts[member]);  // the chain link
  };
  std::vector<Object*>& batch = a_.batch;
  std::vector<Object*>& slots = heap_.lists[kListGenerations];
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
    // Room for the batch at the end of the generations: their tombstones
    // (the round's earlier batches leave some) go first, by a compaction in
    // steps; growing the slots would copy them and fault fresh pages in one
    // go (18 ms for 4 MB on a 300,000-object heap).
    if (slots.size() + batch.size() > slots.capacity() &&
        heap_.tombstones[kListGenerations] > 0) {
      CompactGenerations(true);  // at least a step
      cursor_ = at;
      batch.clear();
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
  // As a full collection at once does, the round leaves the generations
  // without tombstones (in steps): else they pile up from round to round
  // (each batch leaves one per object it moved), until an allocation grows
  // the slots in one go (a tick of 11 ms in examples/responsive_loop).
  if (!CompactGenerations(!compacted_)) return false;
  compacted_ = true;
  if (!GrowGenerations()) return false;
  stage_ = Stage::kDone;
  return true;
}

bool Round::GrowGenerations() {
  std::vector<Object*>& slots = heap_.lists[kListGenerations];
  const size_t want = slots.size() + slots.size() / 4;
  if (grown_.capacity() == 0) {
    if (want <= slots.capacity()) return true;
    try {
      grown_.reserve(std::max(want, 2 * slots.capacity()));
    } catch (const std::bad_alloc&) {
      return true;  // the slots grow when they must, as without a budget
    }
  }
  // The pages are faulted in, a step at a time, by writing them.
  while (grown_.size() < want && want <= grown_.capacity()) {
    grown_.resize(std::min(want, grown_.size() + kFaultSlots));
    if (!TimeLeft()) return false;
  }
  if (slots.size() <= grown_.capacity()) {
    grown_.assign(slots.begin(), slots.end());  // within capacity
    slots.swap(grown_);
  }
  std::vector<Object*>().swap(grown_);
  return true;
}

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

}  // namespace gc::internal
