// Copyright 2026 The cyclegc Authors.
//
// The automatic-collection policy (CPython's): when a collection is due,
// which generation it collects, and the counters that decide it.

#include "gc/internal/collector.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/round.h"

namespace gc::internal {

int HeapState::ChooseAutomaticGeneration() const {
  for (int g = 2; g >= 0; --g) {
    if (count[g] <= threshold[g]) continue;
    // A full collection only when enough objects await it (amortised cost).
    if (g == 2 && long_lived_pending_ <= long_lived_total_ / 4) continue;
    return g;
  }
  return -1;
}

void HeapState::MaybeCollectAutomatically() {
  if (count[0] <= threshold[0] || !enabled || threshold[0] == 0 || collecting() ||
      owner_ == nullptr) {
    return;
  }
  int generation = ChooseAutomaticGeneration();
  // The pause budget (gc/internal/round.h), or a ScheduleCollection.
  if (pause_budget > absl::ZeroDuration() || full_scheduled) {
    CollectAutomaticallyWithBudget(*this, generation);
    return;
  }
  if (generation >= 0) RunCollection(*this, generation);
}

void HeapState::CountCollectionStart(int generation) {
  if (generation == 2) full_scheduled = false;  // the full collection starts
  if (generation + 1 < Heap::kNumGenerations) ++count[generation + 1];
  for (int g = 0; g <= generation; ++g) count[g] = 0;
}

void HeapState::RecordSurvivors(int generation, int64_t survivors) {
  if (generation == 1) long_lived_pending_ += survivors;
  if (generation == 2) {
    long_lived_pending_ = 0;
    long_lived_total_ = survivors;
  }
}

}  // namespace gc::internal
