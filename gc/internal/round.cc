// Copyright 2026 The cyclegc Authors.
//
// A round of an incremental full collection (gc/internal/round.h): its
// stages, and the pauses that drive it.

#include "gc/internal/round.h"

#include <algorithm>
#include <new>
#include <numeric>
#include <utility>

#include "gc/internal/collection.h"
#include "gc/internal/collector.h"
#include "gc/internal/edge_visitor.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/reaper.h"
#include "gc/internal/safe_trace.h"
#include "gc/internal/verifier.h"

namespace gc::internal {

Round::Round(HeapState& heap)
    : heap_(heap), cursor_(heap.lists[kListGenerations].size()) {
  members_.reserve(cursor_);
  counts_.reserve(cursor_);
  gathered_refs_.reserve(cursor_);
}

bool Round::TimeLeft() const {
  return deadline_ == absl::InfiniteFuture() || absl::Now() < deadline_;
}

bool Round::Continue() {
  if (deadline_ == absl::InfiniteFuture() || ++units_ < quantum_) return true;
  units_ = 0;
  const absl::Time now = absl::Now();
  if (now >= deadline_) return false;
  // About one look at the clock per 5 microseconds of work.
  if (now - last_check_ < absl::Microseconds(5)) {
    quantum_ = std::min<int64_t>(2 * quantum_, 1024);
  } else if (quantum_ > 1) {
    quantum_ /= 2;
  }
  last_check_ = now;
  return true;
}

uint32_t Round::IndexOf(Object* object) const {
  const uint32_t member = heap_.weak_cells.RoundMemberOf(*object);
  CYCLEGC_DCHECK(member < members_.size() && members_[member] == object);
  return member;
}

void Round::LetGo(Object* object) {
  heap_.weak_cells.ForgetRoundMember(*object);
  ObjectBits::ClearInRound(ObjectBits::Of(*object));
}

// Traces member `member` and calls `on_member` with the index of each
// member it references. False if the Trace threw (reported).
template <typename Fn>
bool Round::TraceMembers(uint32_t member, Fn&& on_member) {
  const uint32_t match = kInRound | heap_.id_bits;
  EdgeVisitor visit([&](Object*& target) {
    if ((ObjectBits::Of(*target) & (kInRound | kHeapIdMask)) != match) return;
    on_member(IndexOf(target));
  });
  return SafeTrace(heap_, members_[member], visit);
}

bool Round::Work(absl::Time deadline, CollectionInfo& info) {
  deadline_ = deadline;
  units_ = 0;
  quantum_ = 1;
  last_check_ = absl::Now();
  gathered_ = 0;
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
  }
  info.candidates += gathered_;
  return stage_ == Stage::kDone;
}

// Step 1, walking the generations' slots down from the end.
bool Round::GatherStep() {
  const std::vector<Object*>& slots = heap_.lists[kListGenerations];
  while (cursor_ > 0) {
    --cursor_;
    if (cursor_ >= slots.size()) continue;  // compacted away
    Object* object = slots[cursor_];
    if (object == nullptr) continue;
    uint32_t& bits = ObjectBits::Of(*object);
    if (ObjectBits::InRound(bits)) continue;  // slid down from above
    const auto member = static_cast<uint32_t>(members_.size());
    try {
      members_.push_back(object);
      counts_.push_back(ObjectAccess::RefCountField(*object));
      gathered_refs_.push_back(ObjectAccess::RefCountField(*object));
      heap_.weak_cells.SetRoundMember(*object, member);
    } catch (const std::bad_alloc&) {
      members_.resize(member);
      counts_.resize(member);
      gathered_refs_.resize(member);
      throw;
    }
    ObjectBits::SetInRound(bits);
    ++alive_;
    ++gathered_;
    if (!Continue()) return false;
  }
  stage_ = Stage::kSubtract;
  cursor_ = 0;
  return true;
}

// Step 2.
bool Round::SubtractStep() {
  while (cursor_ < members_.size()) {
    const auto member = static_cast<uint32_t>(cursor_++);
    if (members_[member] == nullptr) continue;
    TraceMembers(member, [&](uint32_t target) { --counts_[target]; });
    if (!Continue()) return false;
  }
  stage_ = Stage::kMark;
  cursor_ = 0;
  reached_.assign(members_.size(), 0);
  return true;
}

// Step 3.
bool Round::MarkStep() {
  auto drain = [&] {
    while (!stack_.empty()) {
      const uint32_t member = stack_.back();
      stack_.pop_back();
      if (members_[member] == nullptr) continue;
      TraceMembers(member, [&](uint32_t target) {
        if (reached_[target] != 0) return;
        reached_[target] = 1;
        stack_.push_back(target);
      });
      if (!Continue()) return false;
    }
    return true;
  };
  if (!drain()) return false;
  while (cursor_ < members_.size()) {
    const auto member = static_cast<uint32_t>(cursor_++);
    if (members_[member] == nullptr || reached_[member] != 0) continue;
    // References gone since the gathering (their holders died, perhaps
    // before their Trace was subtracted) no longer count: the count may
    // only err low, which costs a verification, never a missed group.
    const int64_t now = ObjectAccess::RefCountField(*members_[member]);
    if (counts_[member] - std::max<int64_t>(0, gathered_refs_[member] - now) <=
        0) {
      continue;
    }
    reached_[member] = 1;
    stack_.push_back(member);
    if (!drain()) return false;
  }
  std::vector<uint32_t>().swap(stack_);
  std::vector<int64_t>().swap(counts_);
  std::vector<uint32_t>().swap(gathered_refs_);
  stage_ = Stage::kGroup;
  cursor_ = 0;
  parent_.resize(members_.size());
  std::iota(parent_.begin(), parent_.end(), 0u);
  return true;
}

uint32_t Round::Find(uint32_t member) {
  uint32_t root = member;
  while (parent_[root] != root) root = parent_[root];
  while (parent_[member] != root) {
    const uint32_t next = parent_[member];
    parent_[member] = root;
    member = next;
  }
  return root;
}

// Step 4: the suspected, joined along their edges to each other.
bool Round::GroupStep() {
  while (cursor_ < members_.size()) {
    const auto member = static_cast<uint32_t>(cursor_++);
    if (!Suspected(member)) continue;
    TraceMembers(member, [&](uint32_t target) {
      if (!Suspected(target)) return;
      const uint32_t a = Find(member);
      const uint32_t b = Find(target);
      if (a != b) parent_[std::max(a, b)] = std::min(a, b);
    });
    if (!Continue()) return false;
  }
  stage_ = Stage::kChain;
  cursor_ = 0;
  head_.assign(members_.size(), kNone);
  next_.assign(members_.size(), kNone);
  return true;
}

// Step 4, end: each group's members chained from its root.
bool Round::ChainStep() {
  while (cursor_ < members_.size()) {
    const auto member = static_cast<uint32_t>(cursor_++);
    if (!Suspected(member)) continue;
    const uint32_t root = Find(member);
    if (head_[root] == kNone) roots_.push_back(root);
    ++suspected_;
    next_[member] = head_[root];
    head_[root] = member;
    if (!Continue()) return false;
  }
  std::vector<uint32_t>().swap(parent_);
  std::vector<uint8_t>().swap(reached_);
  stage_ = Stage::kVerify;
  cursor_ = 0;
  return true;
}

// Step 5: batches of groups, as many as the time left allows by the cost
// measured so far (at least one group).
bool Round::VerifyStep(CollectionInfo& info) {
  while (cursor_ < roots_.size()) {
    double room = 1e300;
    if (deadline_ != absl::InfiniteFuture()) {
      room =
          absl::ToDoubleSeconds(deadline_ - absl::Now()) / seconds_per_object_;
    }
    batch_.clear();
    while (cursor_ < roots_.size()) {
      size_t size = 0;
      for (uint32_t m = head_[roots_[cursor_]]; m != kNone; m = next_[m]) {
        size += members_[m] != nullptr;
      }
      if (!batch_.empty() && static_cast<double>(batch_.size() + size) > room) {
        break;
      }
      for (uint32_t m = head_[roots_[cursor_]]; m != kNone; m = next_[m]) {
        if (members_[m] != nullptr) batch_.push_back(members_[m]);
      }
      ++cursor_;
    }
    if (!batch_.empty()) {
      const absl::Time start = absl::Now();
      VerifyBatch(info);
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
      // Weighted toward the latest, so that a slow batch shrinks the next.
      seconds_per_object_ =
          std::max(0.5 * seconds_per_object_ +
                       0.5 * seconds / static_cast<double>(batch_.size()),
                   1e-9);
      batch_.clear();
    }
    if (!TimeLeft()) return false;
  }
  std::vector<uint32_t>().swap(head_);
  std::vector<uint32_t>().swap(next_);
  std::vector<uint32_t>().swap(roots_);
  std::vector<Object*>().swap(batch_);
  stage_ = Stage::kRelease;
  cursor_ = 0;
  survivors_ = alive_;
  return true;
}

void Round::VerifyBatch(CollectionInfo& info) {
  std::vector<Object*>& slots = heap_.lists[kListGenerations];
  heap_.FinishCompactionPast(kListGenerations, 0);
  ReserveGrowing(slots, slots.size() + batch_.size());  // may throw
  const size_t begin = slots.size();
  for (Object* object : batch_) heap_.MoveToEnd(object);
  // As CollectDeferringDeaths: no memory is freed under the collector.
  Reaper& reaper = Reaper::Get();
  const bool was_active = reaper.Activate();
  const size_t outer_deaths = reaper.size();
  CollectionInfo found;
  found.generation = 2;
  Collection(heap_, begin).Run(found);
  reaper.Drain(outer_deaths);
  reaper.Restore(was_active);
  heap_.ReleaseRoundLists(begin, static_cast<int64_t>(batch_.size()));
  if ((heap_.debug & kDebugVerify) != 0) {
    VerifyHeap(heap_, VerifyPoint::kBetweenCollections, 2);
  }
  info.collected += found.collected;
  info.uncollectable += found.uncollectable;
}

// Step 6.
bool Round::ReleaseStep() {
  while (cursor_ < members_.size()) {
    Object* object = members_[cursor_++];
    if (object == nullptr) continue;
    LetGo(object);
    if (!Continue()) return false;
  }
  stage_ = Stage::kDone;
  std::vector<Object*>().swap(members_);
  return true;
}

void Round::Forget(Object* object) {
  members_[IndexOf(object)] = nullptr;
  heap_.weak_cells.ForgetRoundMember(*object);
  --alive_;
}

void Round::Abandon() {
  // In the release, the members before the cursor have let go already (and
  // may be gone).
  const size_t from = stage_ == Stage::kRelease ? cursor_ : 0;
  for (size_t i = from; i < members_.size(); ++i) {
    if (members_[i] != nullptr) LetGo(members_[i]);
  }
  survivors_ = alive_;
  std::vector<Object*>().swap(members_);
  stage_ = Stage::kDone;
}

// ---- The pauses ----

void HeapState::ForgetRoundMember(Object* object) {
  if (round != nullptr) round->Forget(object);
  ObjectBits::ClearInRound(ObjectBits::Of(*object));
}

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
