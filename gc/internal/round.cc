// Copyright 2026 The cyclegc Authors.
//
// A round of an incremental full collection (gc/internal/round.h): its
// frame (the work of a pause, the deaths of members, the arrays). The
// stages are in round_classify.cc and round_verify.cc.

#include "gc/internal/round.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "gc/internal/heap_state.h"

namespace gc::internal {

void RoundArrays::Clear() {
  members.clear();
  counts.clear();
  links.clear();
  roots.clear();
  stack.clear();
  batch.clear();
}

Round::Round(HeapState& heap)
    : heap_(heap), cursor_(heap.lists[kListGenerations].size()) {
  if (heap.round_spare != nullptr) {
    a_ = std::move(*heap.round_spare);
    heap.round_spare.reset();
  }
  // The members: the objects of the generations now (the slots less their
  // tombstones), and a few that compaction slides down from above.
  const size_t expected =
      cursor_ - static_cast<size_t>(heap.tombstones[kListGenerations]);
  a_.members.reserve(expected + expected / 16);
  a_.counts.reserve(expected + expected / 16);
  a_.links.reserve(expected + expected / 16);
}

RoundArrays Round::TakeArrays() {
  a_.Clear();
  return std::move(a_);
}

bool Round::TimeLeft() const {
  return deadline_ == absl::InfiniteFuture() || absl::Now() < deadline_;
}

bool Round::CheckClock() {
  units_ = 0;
  const absl::Time now = absl::Now();
  if (now >= deadline_) return false;
  // About one look at the clock per 20 microseconds of work (2% of a 1 ms
  // budget; where reading the clock is a system call, it costs about 1).
  if (now - last_check_ < absl::Microseconds(20)) {
    quantum_ = std::min<int64_t>(2 * quantum_, 512);
  } else if (quantum_ > 1) {
    quantum_ /= 2;
  }
  last_check_ = now;
  return true;
}

bool Round::Work(absl::Time deadline, CollectionInfo& info) {
  deadline_ = deadline;
  units_ = 0;
  // No deadline: the clock is never read.
  quantum_ = deadline == absl::InfiniteFuture() ? INT64_MAX : 1;
  last_check_ = absl::Now();
  gathered_ = 0;
  verify_first_ = stage_ == Stage::kVerify;
  bool more = true;
  while (more && stage_ != Stage::kDone) {
    switch (stage_) {
      case Stage::kGather:
        more = GatherStep();
        break;
      case Stage::kSubtract:
        more = SubtractStep();
        break;
      case Stage::kMark:
        more = MarkStep();
        break;
      case Stage::kGroup:
        more = GroupStep();
        break;
      case Stage::kChain:
        more = ChainStep();
        break;
      case Stage::kVerify:
        more = VerifyStep(info);
        break;
      case Stage::kRelease:
        more = ReleaseStep();
        break;
      case Stage::kDone:
        break;
    }
    // The next stage's units may cost far more (the mark's Traces follow
    // edges across the heap where the subtraction walked in order): the
    // clock is read after each, until the quantum has adapted again.
    if (more && quantum_ != INT64_MAX) quantum_ = 1;
  }
  info.candidates += gathered_;
  return stage_ == Stage::kDone;
}

void Round::Forget(Object* object) {
  a_.members[IndexOf(object)] = nullptr;
  heap_.weak_cells.ForgetRoundMember(*object);
  --alive_;
}

void Round::Abandon() {
  // In the release, the members before the cursor have let go already (and
  // may be gone).
  const size_t from = stage_ == Stage::kRelease ? cursor_ : 0;
  for (size_t i = from; i < a_.members.size(); ++i) {
    if (a_.members[i] != nullptr) LetGo(a_.members[i]);
  }
  survivors_ = alive_;
  a_ = RoundArrays();
  stage_ = Stage::kDone;
}

void HeapState::ForgetRoundMember(Object* object) {
  if (round != nullptr) round->Forget(object);
  ObjectBits::ClearInRound(ObjectBits::Of(*object));
}

}  // namespace gc::internal
