// Copyright 2026 The cyclegc Authors.
//
// The pause budget of gc::Heap (opt-in incremental full collections): the
// API over the rounds of gc/internal/round.h.

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gc/heap.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/owner.h"
#include "gc/internal/round.h"

namespace gc {

absl::Status Heap::SetPauseBudget(absl::Duration budget) {
  internal::GuardOwner(*state_, "gc::Heap::SetPauseBudget");
  if (budget < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("SetPauseBudget: the budget must not be negative; got ",
                     absl::FormatDuration(budget)));
  }
  if (state_->collecting()) {
    return absl::FailedPreconditionError(
        "SetPauseBudget: a collection of this heap is running (called from "
        "a callback, finalizer or destructor)");
  }
  internal::FinishRound(*state_);
  state_->pause_budget = budget;
  if (budget == absl::ZeroDuration()) state_->round_spare.reset();
  return absl::OkStatus();
}

absl::Duration Heap::GetPauseBudget() const { return state_->pause_budget; }

void Heap::ScheduleCollection() {
  internal::GuardOwner(*state_, "gc::Heap::ScheduleCollection");
  state_->full_scheduled = true;
}

bool Heap::Step(absl::Duration max_time) {
  internal::GuardOwner(*state_, "gc::Heap::Step");
  return internal::StepRound(*state_, max_time);
}

}  // namespace gc
