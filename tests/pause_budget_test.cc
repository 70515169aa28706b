// Copyright 2026 The cyclegc Authors.
//
// The pause budget (API.md, "Pause budget (opt-in incremental full
// collections)"): one test per rule, and the adversary that makes trial
// deletion spread over pauses unsound by itself.

#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gc/gc.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/round.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

using gc::internal::HeapState;
using gc::internal::Round;

// Budget of 1 ns: every pause does one unit of work (one object gathered or
// traced, or one batch verified), so a round takes many pauses.
constexpr absl::Duration kTiny = absl::Nanoseconds(1);

class PauseBudgetTest : public HeapTest {
 protected:
  Round* round() { return HeapState::FromHeap(heap_)->round.get(); }
  // Steps until the round is finished; returns the number of steps.
  int StepToEnd() {
    int steps = 1;
    while (heap_.Step(kTiny)) ++steps;
    return steps;
  }
  // Cyclic garbage of `n` rings of 3 (counted in `counters`).
  void MakeGarbageRings(int n, Counters* counters) {
    for (int i = 0; i < n; ++i) MakeRing(3, counters);
  }
};

struct Pause {
  gc::Phase phase;
  gc::CollectionInfo info;
};

TEST_F(PauseBudgetTest, OffByDefaultAndStepRunsADueFullCollectionAtOnce) {
  EXPECT_EQ(heap_.GetPauseBudget(), absl::ZeroDuration());
  Counters counters;
  MakeGarbageRings(2, &counters);
  EXPECT_FALSE(heap_.Step(absl::Milliseconds(1)));  // nothing due
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(heap_.GetStats()[2].collections, 0);
  std::vector<Pause> seen;
  ScopedCallback cb(heap_, [&](gc::Phase phase, const gc::CollectionInfo& i) {
    seen.push_back({phase, i});
  });
  heap_.ScheduleCollection();
  EXPECT_FALSE(heap_.Step(absl::Milliseconds(1)));  // ran it, at once
  EXPECT_EQ(counters.destroyed, 6);
  EXPECT_EQ(heap_.GetStats()[2].collections, 1);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].info.generation, 2);
  EXPECT_EQ(seen[1].info.pause, 0);  // not sliced
  EXPECT_FALSE(seen[1].info.round_finished);
  EXPECT_FALSE(heap_.Step(absl::Milliseconds(1)));  // no longer due
  EXPECT_EQ(heap_.GetStats()[2].collections, 1);
}

TEST_F(PauseBudgetTest, ScheduledCollectionWithBudgetOffRunsAtNextAutomatic) {
  Counters counters;
  MakeGarbageRings(1, &counters);
  heap_.ScheduleCollection();
  std::vector<gc::Ref<Node>> kept;
  while (heap_.GetStats()[0].collections + heap_.GetStats()[1].collections +
             heap_.GetStats()[2].collections ==
         0) {
    kept.push_back(gc::Make<Node>());  // tracked: counts
  }
  EXPECT_EQ(heap_.GetStats()[2].collections, 1);
  EXPECT_EQ(heap_.GetStats()[0].collections, 0);
  EXPECT_EQ(counters.destroyed, 3);
}

TEST_F(PauseBudgetTest, NegativeBudgetIsAnInvalidArgumentAndChangesNothing) {
  ASSERT_TRUE(heap_.SetPauseBudget(absl::Milliseconds(3)).ok());
  absl::Status bad = heap_.SetPauseBudget(-absl::Nanoseconds(1));
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(heap_.GetPauseBudget(), absl::Milliseconds(3));
  ASSERT_TRUE(heap_.SetPauseBudget(absl::ZeroDuration()).ok());
  EXPECT_EQ(heap_.GetPauseBudget(), absl::ZeroDuration());
}

TEST_F(PauseBudgetTest, StepDoesNothingWithoutARoundUnderWayOrDue) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  Counters counters;
  MakeGarbageRings(1, &counters);
  EXPECT_FALSE(heap_.Step(absl::Milliseconds(5)));
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(heap_.GetStats()[2].collections, 0);
  EXPECT_EQ(round(), nullptr);
  Collect();  // before `counters` goes
  EXPECT_EQ(counters.destroyed, 3);
}

TEST_F(PauseBudgetTest, RoundIsOneCollectionSpreadOverNumberedPauses) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  Counters counters;
  MakeGarbageRings(3, &counters);
  gc::Ref<Node> live = gc::Make<Node>();
  live->children.push_back(gc::Make<Node>());
  std::vector<Pause> seen;
  ScopedCallback cb(heap_, [&](gc::Phase phase, const gc::CollectionInfo& i) {
    seen.push_back({phase, i});
  });
  const std::array<int64_t, 3> before = heap_.GetCount();
  heap_.ScheduleCollection();
  EXPECT_TRUE(heap_.Step(kTiny));
  // count is updated when the round starts, as for an ordinary collection.
  EXPECT_EQ(heap_.GetCount()[2], before[2]);
  EXPECT_EQ(heap_.GetCount()[0], 0);
  EXPECT_EQ(heap_.GetCount()[1], 0);
  EXPECT_EQ(heap_.GetStats()[2].collections, 1);
  const int steps = 1 + StepToEnd();
  EXPECT_GT(steps, 10);  // sliced: 11 objects gathered one per pause alone
  EXPECT_EQ(heap_.GetStats()[2].collections, 1);  // one per round
  EXPECT_EQ(counters.destroyed, 9);
  ASSERT_EQ(seen.size(), 2u * static_cast<size_t>(steps));
  int64_t collected = 0;
  int64_t candidates = 0;
  for (size_t i = 0; i < seen.size(); ++i) {
    const Pause& p = seen[i];
    EXPECT_EQ(p.phase, i % 2 == 0 ? gc::Phase::kStart : gc::Phase::kStop);
    EXPECT_EQ(p.info.generation, 2);
    EXPECT_EQ(p.info.pause, static_cast<int64_t>(i / 2 + 1));
    const bool last = i + 1 == seen.size();
    EXPECT_EQ(p.info.round_finished, last) << i;
    if (p.phase == gc::Phase::kStop) {
      collected += p.info.collected;
      candidates += p.info.candidates;
    }
  }
  EXPECT_EQ(collected, 9);
  EXPECT_EQ(candidates, 11);  // every object, gathered once
  const gc::GenerationStats stats = heap_.GetStats()[2];
  EXPECT_EQ(stats.collected, 9);
  EXPECT_EQ(stats.candidates, 11);
  EXPECT_EQ(stats.overruns, steps);  // 1 ns: every pause is longer
  EXPECT_FALSE(heap_.Step(kTiny));
}

// The adversary: P, Q and R are live, each held by one outside Ref, with
// P.a -> Q, P.b -> R, Q.x -> P. After P is traced, Q.w = move(P.b) and
// R.z = move(P.a); after Q is traced, R.y = move(Q.x). No count changes,
// each reference is subtracted twice and all three counts reach zero while
// they are alive. The verification in one pause keeps them.
TEST_F(PauseBudgetTest, AdversaryMovingRefsBetweenPausesFreesNothingLive) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  Counters counters;
  // Made R, Q, P: the round gathers from the end, so it traces P first.
  gc::Ref<Node> r = gc::Make<Node>(3, &counters);
  gc::Ref<Node> q = gc::Make<Node>(2, &counters);
  gc::Ref<Node> p = gc::Make<Node>(1, &counters);
  p->children.resize(2);
  q->children.resize(2);
  r->children.resize(2);
  p->children[0] = q;  // P.a
  p->children[1] = r;  // P.b
  q->children[0] = p;  // Q.x
  auto traced = [&](size_t n) {
    return round() != nullptr && round()->stage() == Round::Stage::kSubtract &&
           round()->cursor() == n;
  };
  heap_.ScheduleCollection();
  while (!traced(1)) ASSERT_TRUE(heap_.Step(kTiny));
  q->children[1] = std::move(p->children[1]);  // Q.w = P.b
  r->children[0] = std::move(p->children[0]);  // R.z = P.a
  while (!traced(2)) ASSERT_TRUE(heap_.Step(kTiny));
  r->children[1] = std::move(q->children[0]);  // R.y = Q.x
  while (round() != nullptr && round()->stage() != Round::Stage::kVerify) {
    heap_.Step(kTiny);
  }
  ASSERT_NE(round(), nullptr);
  EXPECT_EQ(round()->suspected(), 3);  // the classification was fooled
  StepToEnd();
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(p->value + q->value + r->value, 6);
  EXPECT_EQ(r->children[1], p);
  EXPECT_EQ(r->children[0], q);
  EXPECT_EQ(q->children[1], r);
  // Break the cycles for the leak check.
  for (Node* n : {p.get(), q.get(), r.get()}) n->children.clear();
}

TEST_F(PauseBudgetTest, GarbageMadeDuringARoundGoesByTheNextOne) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  Counters old_garbage;
  Counters new_garbage;
  MakeGarbageRings(2, &old_garbage);
  gc::Ref<Node> holder = gc::Make<Node>();
  holder->children.push_back(gc::Make<Node>(0, &new_garbage));
  holder->children[0]->parent = holder->children[0];  // a self loop
  heap_.ScheduleCollection();
  heap_.Step(kTiny);
  holder->children.clear();  // garbage now, during the round
  StepToEnd();
  EXPECT_EQ(old_garbage.destroyed, 6);
  // Not promised by this round (it may see the count drop in time); by the
  // end of the next one at the latest.
  EXPECT_LE(new_garbage.destroyed, 1);
  heap_.ScheduleCollection();
  StepToEnd();
  EXPECT_EQ(new_garbage.destroyed, 1);
}

TEST_F(PauseBudgetTest, DeathsOfExaminedObjectsLeaveNoDanglingRoundState) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  Counters counters;
  std::vector<gc::Ref<Node>> chain;
  for (int i = 0; i < 50; ++i) {
    chain.push_back(gc::Make<Node>(i, &counters));
    if (i > 0) chain[i - 1]->children.push_back(chain[i]);
  }
  MakeGarbageRings(5, &counters);
  heap_.ScheduleCollection();
  int step = 0;
  // Drop objects at every stage: gathered, traced, marked, grouped.
  while (heap_.Step(kTiny)) {
    if (++step % 7 == 0 && !chain.empty()) {
      chain.back()->children.clear();
      chain.pop_back();
      if (chain.size() > 1) chain[chain.size() - 2]->children.clear();
    }
  }
  EXPECT_EQ(counters.destroyed + static_cast<int64_t>(chain.size()), 50 + 15);
  EXPECT_EQ(round(), nullptr);
}

TEST_F(PauseBudgetTest, CollectFinishesTheRoundAtOnceThenCollects) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  Counters counters;
  MakeGarbageRings(2, &counters);
  heap_.ScheduleCollection();
  heap_.Step(kTiny);
  ASSERT_NE(round(), nullptr);
  std::vector<Pause> seen;
  ScopedCallback cb(heap_, [&](gc::Phase phase, const gc::CollectionInfo& i) {
    if (phase == gc::Phase::kStop) seen.push_back({phase, i});
  });
  Collect(0);
  EXPECT_EQ(round(), nullptr);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].info.pause, 2);
  EXPECT_TRUE(seen[0].info.round_finished);
  EXPECT_EQ(seen[0].info.collected, 6);
  EXPECT_EQ(seen[1].info.generation, 0);
  EXPECT_EQ(seen[1].info.pause, 0);
  EXPECT_EQ(counters.destroyed, 6);
  EXPECT_EQ(heap_.GetStats()[2].collections, 1);
  EXPECT_GE(heap_.GetStats()[2].overruns, 1);  // finishing at once
}

TEST_F(PauseBudgetTest, FreezeUnfreezeBudgetAndLeakHuntingFinishTheRound) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  gc::Ref<Node> live = gc::Make<Node>();
  int finished = 0;
  ScopedCallback cb(heap_, [&](gc::Phase phase, const gc::CollectionInfo& i) {
    finished += phase == gc::Phase::kStop && i.round_finished;
  });
  auto start = [&] {
    MakeGarbageRings(1, nullptr);
    heap_.ScheduleCollection();
    heap_.Step(kTiny);
    EXPECT_NE(round(), nullptr);
  };
  start();
  heap_.Freeze();
  EXPECT_EQ(round(), nullptr);
  heap_.Unfreeze();
  start();
  heap_.Unfreeze();
  EXPECT_EQ(round(), nullptr);
  start();
  heap_.CountByType();
  EXPECT_EQ(round(), nullptr);
  start();
  heap_.FindRootPath(*live);
  EXPECT_EQ(round(), nullptr);
  start();
  ASSERT_TRUE(heap_.ToDot({live}).ok());
  EXPECT_EQ(round(), nullptr);
  start();
  ASSERT_TRUE(heap_.SetPauseBudget(absl::Milliseconds(1)).ok());
  EXPECT_EQ(round(), nullptr);
  EXPECT_EQ(finished, 6);
  EXPECT_EQ(heap_.GetStats()[2].collections, 6);
}

TEST_F(PauseBudgetTest, YoungCollectionsRunBetweenPausesAndEachDrivesOne) {
  ASSERT_TRUE(heap_.SetPauseBudget(absl::Seconds(10)).ok());
  ASSERT_TRUE(heap_.SetThreshold(50, 1000, 1000).ok());
  Counters counters;
  MakeGarbageRings(2, &counters);
  std::vector<Pause> seen;
  ScopedCallback cb(heap_, [&](gc::Phase phase, const gc::CollectionInfo& i) {
    if (phase == gc::Phase::kStop) seen.push_back({phase, i});
  });
  // A round under way (ScheduleCollection and one tiny Step).
  heap_.ScheduleCollection();
  heap_.Step(kTiny);
  ASSERT_NE(round(), nullptr);
  Counters young;
  for (int i = 0; i < 60; ++i) {  // one automatic young collection
    gc::Ref<Node> n = gc::Make<Node>(0, &young);
    n->parent = n;
  }
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen[1].info.generation, 0);
  EXPECT_EQ(seen[1].info.pause, 0);
  EXPECT_GT(young.destroyed, 0);  // young cycles collected at once
  EXPECT_EQ(seen[2].info.generation, 2);
  EXPECT_EQ(seen[2].info.pause, 2);          // the round's pause after it
  EXPECT_TRUE(seen[2].info.round_finished);  // a 10 s budget is plenty
  EXPECT_EQ(counters.destroyed, 6);
  EXPECT_EQ(heap_.GetStats()[2].overruns, 0);
  Collect();  // the young garbage left, before `young` goes
}

TEST_F(PauseBudgetTest, RoundStillRunningWhenNextFullFallsDueIsFinishedFirst) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  ASSERT_TRUE(heap_.SetThreshold(20, 1, 1).ok());
  Counters counters;
  MakeGarbageRings(2, &counters);
  std::vector<gc::Ref<Node>> kept;
  for (int i = 0; i < 200; ++i) kept.push_back(gc::Make<Node>());
  heap_.ScheduleCollection();
  heap_.Step(kTiny);
  int rounds_finished = 0;
  ScopedCallback cb(heap_, [&](gc::Phase phase, const gc::CollectionInfo& i) {
    rounds_finished += phase == gc::Phase::kStop && i.round_finished;
  });
  const int64_t collections = heap_.GetStats()[2].collections;
  for (int i = 0; i < 2000 && heap_.GetStats()[2].collections == collections;
       ++i) {
    kept.push_back(gc::Make<Node>());
  }
  EXPECT_EQ(heap_.GetStats()[2].collections, collections + 1);
  EXPECT_GE(rounds_finished, 1);
  EXPECT_EQ(counters.destroyed, 6);
  heap_.Collect();
}

TEST_F(PauseBudgetTest, WeakRefsFinalizersAndResurrectionAsInACollection) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  Counters counters;
  gc::Ref<Node> a = gc::Make<Node>(1, &counters);
  a->parent = a;
  gc::WeakRef<Node> weak(a);
  a.reset();
  heap_.ScheduleCollection();
  StepToEnd();
  EXPECT_EQ(weak.Lock(), nullptr);
  EXPECT_EQ(counters.destroyed, 1);
}

TEST_F(PauseBudgetTest, WeakRefLockedBetweenPausesKeepsItsObject) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  Counters counters;
  gc::Ref<Node> a = gc::Make<Node>(1, &counters);
  a->parent = a;
  gc::WeakRef<Node> weak(a);
  a.reset();
  heap_.ScheduleCollection();
  gc::Ref<Node> back;
  for (int i = 0; heap_.Step(kTiny); ++i) {
    if (i == 3) back = weak.Lock();  // reachable again
  }
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(counters.destroyed, 0);
  back->parent.reset();
}

class Phoenix : public gc::Object {
 public:
  explicit Phoenix(std::vector<gc::Ref<Phoenix>>* saved) : saved_(saved) {}
  void Finalize() override { saved_->push_back(gc::Ref<Phoenix>(this)); }
  void Trace(gc::Visitor& v) override { v.Visit(next); }
  gc::Ref<Phoenix> next;
  std::vector<gc::Ref<Phoenix>>* saved_;
};

TEST_F(PauseBudgetTest, FinalizerResurrectsDuringVerification) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  std::vector<gc::Ref<Phoenix>> saved;
  {
    gc::Ref<Phoenix> a = gc::Make<Phoenix>(&saved);
    a->next = gc::Make<Phoenix>(&saved);
    a->next->next = a;
  }
  heap_.ScheduleCollection();
  StepToEnd();
  EXPECT_EQ(saved.size(), 2u);  // both finalized, both kept
  for (auto& p : saved) p->next.reset();
  saved.clear();
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

TEST_F(PauseBudgetTest, BudgetOnAndOffDestroyTheSameObjectsAfterCollect) {
  auto run = [](absl::Duration budget) {
    gc::Heap heap;
    gc::HeapScope scope(heap);
    heap.SetDebug(gc::kDebugVerify);
    EXPECT_TRUE(heap.SetPauseBudget(budget).ok());
    EXPECT_TRUE(heap.SetThreshold(30, 2, 2).ok());
    Counters counters;
    std::vector<gc::Ref<Node>> roots;
    uint32_t seed = 7;
    for (int i = 0; i < 3000; ++i) {
      seed = seed * 1103515245 + 12345;
      const uint32_t r = seed >> 8;
      if (roots.size() < 20 || r % 3 == 0) {
        roots.push_back(gc::Make<Node>(i, &counters));
      } else if (r % 3 == 1) {
        gc::Ref<Node>& from = roots[r % roots.size()];
        from->children.push_back(roots[(r / 7) % roots.size()]);
      } else {
        roots.erase(roots.begin() + (r % roots.size()));
      }
      if (i % 100 == 0) heap.Step(absl::Microseconds(20));
    }
    heap.Collect();
    const int64_t destroyed = counters.destroyed;
    for (auto& n : roots) n->children.clear();
    roots.clear();
    heap.Collect();
    return destroyed;
  };
  EXPECT_EQ(run(absl::ZeroDuration()), run(kTiny));
}

TEST_F(PauseBudgetTest, IsolatingRoundMembersLeavesNoRoundState) {
  ASSERT_TRUE(heap_.SetPauseBudget(kTiny).ok());
  gc::Ref<Node> root = gc::Make<Node>(1);
  root->children.push_back(gc::Make<Node>(2));
  Counters counters;
  MakeGarbageRings(2, &counters);
  heap_.ScheduleCollection();
  for (int i = 0; i < 6; ++i) heap_.Step(kTiny);  // all gathered
  ASSERT_NE(round(), nullptr);
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(root));
  ASSERT_TRUE(iso.ok()) << iso.status();
  StepToEnd();
  EXPECT_EQ(counters.destroyed, 6);
  gc::Heap other;
  gc::Ref<Node> adopted = other.Adopt(std::move(*iso));
  EXPECT_EQ(adopted->children[0]->value, 2);
}

TEST(HeapRegistryDeathTest, FailsClearlyPast4095HeapsAlive) {
  EXPECT_DEATH(
      {
        std::vector<std::unique_ptr<gc::Heap>> heaps;
        for (int i = 0; i < 5000; ++i)
          heaps.push_back(std::make_unique<gc::Heap>());
      },
      "more than 4095 heaps alive at once");
}

}  // namespace
}  // namespace gc_test
