// Copyright 2026 The cyclegc Authors.
//
// A port of CPython's Lib/test/test_finalization.py (PEP 442 finalization:
// finalizers of objects alone, in self-cycles and in cyclic chains, with and
// without resurrection, and legacy finalizers). The facts carry over, the
// code does not: a Python `__del__` is `gc::Object::Finalize()`, a legacy
// `tp_del` is `RequiresOrderedDestruction()`, `id(obj)` is an int id.
//
// CPython test (test_finalization.py) -> C++ test (FinalizationTest unless
// named):
//   SimpleFinalizationTest.test_simple
//     -> AcyclicObjectIsDestroyedWithoutFinalize
//   SimpleFinalizationTest.test_non_gc
//     -> UntrackedObjectIsDestroyedOnceByRefcount
//   SelfCycleFinalizationTest.test_simple
//     -> SelfCycleIsFinalizedOnceThenDestroyed
//   SelfCycleFinalizationTest.test_simple_resurrect
//     -> ResurrectedObjectSurvivesAndIsNotFinalizedAgain
//   SelfCycleFinalizationTest.test_simple_suicide
//     -> FinalizerThatBreaksItsOwnCycleIsDestroyedOnce
//   CycleChainFinalizationTest.test_<case>, for the cases homogenous,
//   homogenous_resurrect, homogenous_suicidal, heterogenous_suicidal_one,
//   heterogenous_suicidal_two, heterogenous_resurrect_one,
//   heterogenous_resurrect_two and heterogenous_resurrect_three
//     -> CPython/ChainFinalizationTest.EveryNodeIsFinalizedOnceAndDestroyed/
//        <Case> (Homogenous, HomogenousResurrect, ...)
//   LegacyFinalizationTest.test_legacy
//     -> OrderedDestructionOutsideCycleIsDestroyedByRefcount
//   LegacyFinalizationTest.test_legacy_self_cycle
//     -> OrderedDestructionSelfCycleStaysInGarbage
//   TestBase.tearDown (gc.garbage stays empty)
//     -> FinalizationTest::TearDown
//
// Not ported:
// - SimpleFinalizationTest.test_simple_resurrect, test_non_gc_resurrect and
//   LegacyFinalizationTest.test_legacy_resurrect: `__del__`/`tp_del` that
//   resurrects an object whose reference count reached zero. In C++ that
//   would be a destructor making a `gc::Ref` to `this`, which fails loudly
//   (tests/ref_test.cc: RefDeathTest.RefFromDyingObjectFailsLoudly).
//
// Deliberately different in cyclegc:
// - Finalize() is the cycle collector's hook only (gc/object.h): an object
//   freed by reference counting runs its destructor and never Finalize(),
//   whereas CPython calls `__del__` on every death (test_simple, test_non_gc,
//   test_legacy expect a `__del__` call there).
// - For the same reason, an object of cyclic garbage whose last reference is
//   dropped by another object's finalizer before its own turn is destroyed
//   without its Finalize() (CPython's dealloc would still call `__del__`).
//   The chain tests check that every probe was either finalized once or
//   killed that way (Log::killed), never both and never neither.
// - The finalizer tests of test_gc.py (resurrection, is_finalized,
//   bug21435) are in gc_finalizer_test.cc.

#include <initializer_list>
#include <numeric>
#include <string>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/cpython/cpython_types.h"
#include "tests/test_types.h"

namespace gc_test::cpython {
namespace {

std::vector<int> Ids(int n) {
  std::vector<int> ids(n);
  std::iota(ids.begin(), ids.end(), 0);
  return ids;
}

std::vector<int> SurvivorIds(const Log& log) {
  std::vector<int> ids;
  for (const gc::Ref<gc::Object>& s : log.survivors) {
    ids.push_back(gc::StaticRefCast<Probe>(s)->id());
  }
  return SortedIds(ids);
}

// No test here leaves anything in Heap::Garbage() (TestBase.tearDown), and
// no finalizer finds a broken object.
class FinalizationTest : public ProbeTest {
 protected:
  void TearDown() override {
    EXPECT_TRUE(heap_.Garbage().empty());
    ProbeTest::TearDown();
  }
  // Makes probe 0 as a self-cycle, drops it (cyclic garbage now) and returns
  // a weak reference to it.
  gc::WeakRef<SelfCycle> MakeGarbageSelfCycle(Effect effect) {
    return MakeSelfCycle(&log_, 0, effect);
  }
  // Probe 0 was finalized once and destroyed, and a second collection
  // neither finds nor finalizes anything.
  void ExpectFinalizedOnceAndGone(const gc::WeakRef<SelfCycle>& wr) {
    EXPECT_EQ(log_.finalized, std::vector<int>{0});
    EXPECT_EQ(log_.destroyed, std::vector<int>{0});
    EXPECT_TRUE(log_.survivors.empty());
    EXPECT_TRUE(wr.expired());
    EXPECT_EQ(Collect(), 0);
    EXPECT_EQ(log_.finalized, std::vector<int>{0});
    EXPECT_EQ(log_.destroyed, std::vector<int>{0});
  }
};

TEST_F(FinalizationTest, AcyclicObjectIsDestroyedWithoutFinalize) {
  gc::Ref<SelfCycle> s = gc::Make<SelfCycle>(&log_, 0);  // no self-loop
  gc::WeakRef<SelfCycle> wr = s;
  s.reset();
  EXPECT_EQ(log_.destroyed, std::vector<int>{0});
  EXPECT_TRUE(wr.expired());
  EXPECT_EQ(Collect(), 0);
  EXPECT_TRUE(log_.finalized.empty());  // CPython: one __del__ call
  EXPECT_EQ(log_.destroyed, std::vector<int>{0});
}

TEST_F(FinalizationTest, UntrackedObjectIsDestroyedOnceByRefcount) {
  gc::Ref<Probe> s = gc::Make<Probe>(&log_, 0);
  EXPECT_FALSE(gc::IsTracked(*s));
  s.reset();
  EXPECT_EQ(log_.destroyed, std::vector<int>{0});
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(log_.destroyed, std::vector<int>{0});
  EXPECT_TRUE(log_.finalized.empty());
}

TEST_F(FinalizationTest, SelfCycleIsFinalizedOnceThenDestroyed) {
  gc::WeakRef<SelfCycle> wr = MakeGarbageSelfCycle(Effect::kNone);
  EXPECT_TRUE(log_.finalized.empty());
  EXPECT_EQ(Collect(), 1);
  ExpectFinalizedOnceAndGone(wr);
}

// Also test_gc.py's test_resurrection_only_happens_once_per_object.
TEST_F(FinalizationTest, ResurrectedObjectSurvivesAndIsNotFinalizedAgain) {
  gc::WeakRef<SelfCycle> wr = MakeGarbageSelfCycle(Effect::kResurrect);
  EXPECT_EQ(Collect(), 0);  // resurrected: nothing collected
  EXPECT_EQ(log_.finalized, std::vector<int>{0});
  EXPECT_EQ(SurvivorIds(log_), std::vector<int>{0});
  EXPECT_TRUE(log_.destroyed.empty());
  EXPECT_TRUE(wr.expired());  // cleared before the finalizer ran
  ASSERT_EQ(log_.survivors.size(), 1u);
  EXPECT_TRUE(gc::IsTracked(*log_.survivors[0]));
  EXPECT_TRUE(gc::IsFinalized(*log_.survivors[0]));
  // The second time it is garbage, it is neither finalized nor resurrected.
  log_.survivors.clear();
  EXPECT_EQ(Collect(), 1);
  ExpectFinalizedOnceAndGone(wr);
}

TEST_F(FinalizationTest, FinalizerThatBreaksItsOwnCycleIsDestroyedOnce) {
  gc::WeakRef<SelfCycle> wr = MakeGarbageSelfCycle(Effect::kSuicide);
  // Freed by its own finalizer, not by breaking cycles: not counted as
  // collected (CPython counts what is left after finalizers too).
  EXPECT_EQ(Collect(), 0);
  ExpectFinalizedOnceAndGone(wr);
}

// test_finalization.py's ChainedBase: a ring where each node references its
// left and right neighbours.
class Chained : public Probe {
 public:
  using Probe::Probe;
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(left);
    visitor.Visit(right);
  }
  gc::Ref<Chained> left;
  gc::Ref<Chained> right;
  bool suicided = false;

 protected:
  // A neighbour that suicided has dropped its links; any other neighbour
  // still points back here.
  void CheckSanity() override {
    if (suicided) {
      Expect(!left && !right, "suicided but still linked");
      return;
    }
    Expect(left && right, "a link is missing");
    if (!left || !right) return;
    Expect(left->suicided ? !left->right : left->right.get() == this,
           "left.right is not self");
    Expect(right->suicided ? !right->left : right->left.get() == this,
           "right.left is not self");
  }
  // Drops both links; notes a neighbour that dies of it before it was
  // finalized.
  void BreakLinks() override {
    suicided = true;
    for (gc::Ref<Chained>* link : {&left, &right}) {
      if (*link && gc::RefCount(**link) == 1 && !gc::IsFinalized(**link)) {
        log()->killed.push_back((*link)->id());
      }
      link->reset();
    }
  }
};

struct ChainCase {
  const char* name;
  std::vector<Effect> effects;  // one node each, in ring order
};

class ChainFinalizationTest : public FinalizationTest,
                              public ::testing::WithParamInterface<ChainCase> {
 protected:
  // check_non_resurrecting_chain and check_resurrecting_chain in one.
  void Check() {
    const std::vector<Effect>& effects = GetParam().effects;
    const int n = static_cast<int>(effects.size());
    std::vector<gc::WeakRef<Chained>> wrs;
    std::vector<int> resurrectors;
    {
      std::vector<gc::Ref<Chained>> nodes;
      for (int i = 0; i < n; ++i) {
        nodes.push_back(gc::Make<Chained>(&log_, i, effects[i]));
        if (effects[i] == Effect::kResurrect) resurrectors.push_back(i);
      }
      for (int i = 0; i < n; ++i) {  // nodes[i].chain(nodes[i - 1])
        gc::Ref<Chained>& left = nodes[(i + n - 1) % n];
        nodes[i]->left = left;
        left->right = nodes[i];
      }
      for (const gc::Ref<Chained>& node : nodes) wrs.emplace_back(node);
    }
    Collect();
    // Every node was finalized once, or killed by a suicidal neighbour's
    // finalizer before its turn (CPython would finalize those too).
    std::vector<int> done = log_.finalized;
    done.insert(done.end(), log_.killed.begin(), log_.killed.end());
    EXPECT_EQ(SortedIds(done), Ids(n));
    EXPECT_EQ(SurvivorIds(log_), resurrectors);
    for (const auto& wr : wrs) EXPECT_TRUE(wr.expired());  // even survivors'
    if (resurrectors.empty()) {
      EXPECT_EQ(SortedIds(log_.destroyed), Ids(n));
    } else {  // the resurrectors keep the whole ring alive
      EXPECT_TRUE(log_.destroyed.empty());
    }
    const std::vector<int> finalized = log_.finalized;
    log_.survivors.clear();
    Collect();
    EXPECT_EQ(log_.finalized, finalized);  // nobody is finalized twice
    EXPECT_TRUE(log_.survivors.empty());
    EXPECT_EQ(SortedIds(log_.destroyed), Ids(n));
  }
};

TEST_P(ChainFinalizationTest, EveryNodeIsFinalizedOnceAndDestroyed) { Check(); }

std::vector<Effect> Repeat(std::vector<Effect> pattern, int times) {
  std::vector<Effect> out;
  for (int i = 0; i < times; ++i) {
    out.insert(out.end(), pattern.begin(), pattern.end());
  }
  return out;
}

constexpr Effect kS = Effect::kNone;  // SimpleChained
constexpr Effect kR = Effect::kResurrect;
constexpr Effect kX = Effect::kSuicide;

INSTANTIATE_TEST_SUITE_P(
    CPython, ChainFinalizationTest,
    ::testing::Values(
        ChainCase{"Homogenous", Repeat({kS}, 3)},
        ChainCase{"HomogenousResurrect", Repeat({kR}, 3)},
        ChainCase{"HomogenousSuicidal", Repeat({kX}, 3)},
        ChainCase{"HeterogenousSuicidalOne", Repeat({kX, kS}, 2)},
        ChainCase{"HeterogenousSuicidalTwo", {kX, kX, kS, kS}},
        ChainCase{"HeterogenousResurrectOne", Repeat({kR, kS}, 2)},
        ChainCase{"HeterogenousResurrectTwo", Repeat({kR, kS, kX}, 2)},
        ChainCase{"HeterogenousResurrectThree", {kR, kR, kS, kS, kX, kX}}),
    [](const ::testing::TestParamInfo<ChainCase>& info) {
      return std::string(info.param.name);
    });

// A legacy finalizer (tp_del): the collector leaves cycles through it alone.
class OrderedSelfCycle : public SelfCycle {
 public:
  using SelfCycle::SelfCycle;
  bool RequiresOrderedDestruction() const override { return true; }
};

TEST_F(FinalizationTest, OrderedDestructionOutsideCycleIsDestroyedByRefcount) {
  gc::Ref<OrderedSelfCycle> s = gc::Make<OrderedSelfCycle>(&log_, 0);
  gc::WeakRef<OrderedSelfCycle> wr = s;
  s.reset();
  EXPECT_EQ(log_.destroyed, std::vector<int>{0});
  EXPECT_TRUE(wr.expired());
  EXPECT_EQ(Collect(), 0);
  EXPECT_TRUE(log_.finalized.empty());
}

TEST_F(FinalizationTest, OrderedDestructionSelfCycleStaysInGarbage) {
  gc::Ref<OrderedSelfCycle> s = gc::Make<OrderedSelfCycle>(&log_, 0);
  s->ref = s;
  gc::WeakRef<OrderedSelfCycle> wr = s;
  s.reset();
  EXPECT_EQ(Collect(), 1);
  EXPECT_TRUE(log_.finalized.empty());
  EXPECT_TRUE(log_.destroyed.empty());
  ASSERT_EQ(heap_.Garbage().size(), 1u);
  EXPECT_EQ(heap_.Garbage()[0], wr.Lock());
  EXPECT_FALSE(wr.expired());  // uncollectable: its weak refs stay
  EXPECT_EQ(heap_.GetStats()[2].uncollectable, 1);
  // Break the cycle to allow collection.
  gc::StaticRefCast<OrderedSelfCycle>(heap_.Garbage()[0])->ref.reset();
  heap_.Garbage().clear();
  EXPECT_EQ(log_.destroyed, std::vector<int>{0});
  EXPECT_TRUE(wr.expired());
}

}  // namespace
}  // namespace gc_test::cpython
