// Copyright 2026 The cyclegc Authors.
//
// The pauses of a round (gc/internal/round.h): starting one, running one
// pause as a collection of generation 2, finishing it at once, and when the
// automatic collections and gc::Heap::Step give it a pause.

#include <algorithm>
#include <memory>
#include <new>
#include <utility>

#include "gc/internal/collector.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/round.h"

namespace gc::internal {
void RunRoundPause(HeapState& heap, absl::Duration slice) {
  Round& round = *heap.round;
  CollectionInfo info;
  info.generation = 2;
  info.pause = ++round.pauses;
  RunAsCollection(heap, info, [&](CollectionInfo& running) {
    if (running.pause == 1) heap.CountCollectionStart(2);
    // A margin for what follows the last look at the clock.
    const absl::Time deadline = slice == absl::InfiniteDuration()
                                    ? absl::InfiniteFuture()
                                    : absl::Now() + slice * 0.85;
    bool finished = true;
    try {
      finished = round.Work(deadline, running);
    } catch (const std::bad_alloc&) {
      heap.ReportError(
          "gc: out of memory: the round of the full collection "
          "is abandoned");
      round.Abandon();
    }
    running.round_finished = finished;
    if (finished) {
      heap.RecordSurvivors(2, round.survivors());
      // The arrays (their capacity) wait for the next round.
      heap.round_spare.reset(new (std::nothrow)
                                 RoundArrays(round.TakeArrays()));
      heap.round.reset();
    }
  });
}

namespace {

// Makes the round; false (a full collection ran at once instead) if out of
// memory.
bool MakeRound(HeapState& heap) {
  try {
    heap.round = std::make_unique<Round>(heap);
    return true;
  } catch (const std::bad_alloc&) {
    heap.ReportError("gc: out of memory: a full collection runs at once");
    RunCollection(heap, 2);
    return false;
  }
}

}  // namespace

void StartRound(HeapState& heap) {
  if (MakeRound(heap)) RunRoundPause(heap, heap.pause_budget);
}

void FinishRound(HeapState& heap) {
  if (heap.round != nullptr && !heap.collecting()) {
    RunRoundPause(heap, absl::InfiniteDuration());
  }
}

void CollectAutomaticallyWithBudget(HeapState& heap, int generation) {
  if (heap.pause_budget <= absl::ZeroDuration()) {  // ScheduleCollection
    RunCollection(heap, 2);
    return;
  }
  if (generation == 2 || (heap.full_scheduled && heap.round == nullptr)) {
    FinishRound(heap);  // the next full collection fell due first
    StartRound(heap);
    return;
  }
  if (generation < 0) return;
  const absl::Time start = absl::Now();
  RunCollection(heap, generation);
  if (heap.round == nullptr || heap.collecting()) return;
  const absl::Duration left = heap.pause_budget - (absl::Now() - start);
  if (left >= heap.pause_budget / 8) RunRoundPause(heap, left);
}

bool StepRound(HeapState& heap, absl::Duration max_time) {
  if (heap.collecting()) return false;
  const bool due = heap.full_scheduled || heap.ChooseAutomaticGeneration() == 2;
  if (heap.pause_budget <= absl::ZeroDuration()) {
    if (due) RunCollection(heap, 2);
    return false;
  }
  if (heap.round == nullptr && (!due || !MakeRound(heap))) return false;
  RunRoundPause(heap, std::min(max_time, heap.pause_budget));
  return heap.round != nullptr;
}

}  // namespace gc::internal
