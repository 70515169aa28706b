// Copyright 2026 The cyclegc Authors.
//
// A port of the finalizer scenarios of CPython's Lib/test/test_gc.py:
// resurrection, is_finalized, and a finalizer that frees other garbage while
// the collector runs finalizers. A Python `__del__` that runs on cyclic
// garbage is `gc::Object::Finalize()`.
//
// CPython test (test_gc.py) -> C++ test (GcFinalizerTest unless named):
//   GCTests.test_is_finalized
//     -> IsFinalizedTurnsTrueWhenFinalizeRan
//   GCTests.test_resurrection_only_happens_once_per_object
//     -> FinalizationTest.ResurrectedObjectSurvivesAndIsNotFinalizedAgain
//        (finalization_test.cc, with test_finalization.py's twin)
//   GCTests.test_resurrection_is_transitive
//     -> ResurrectionKeepsEverythingTheObjectReaches
//   GCTests.test_resurrection_does_not_block_cleanup_of_other_objects
//     -> ResurrectionDoesNotBlockCleanupOfOtherGarbage
//   GCTests.test_bug21435
//     -> FinalizerDroppingGarbageReferencesIsSafe
//   (PEP 442 semantics that test_gc.py does not test on its own: an
//   exception escaping `__del__` is reported and ignored; resurrected
//   objects move to the next generation like other survivors)
//     -> FinalizerExceptionIsReportedAndCollectionGoesOn
//     -> ResurrectedObjectMovesToTheNextGeneration
//
// Deliberately different in cyclegc:
// - test_is_finalized resurrects an acyclic object from `__del__`; in
//   cyclegc only cyclic garbage is finalized, so the Lazarus here is a
//   self-loop.

#include <stdexcept>
#include <utility>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/cpython/cpython_types.h"
#include "tests/test_types.h"

namespace gc_test::cpython {
namespace {

using GcFinalizerTest = ProbeTest;

TEST_F(GcFinalizerTest, IsFinalizedTurnsTrueWhenFinalizeRan) {
  gc::Ref<Leaf> untracked = gc::Make<Leaf>();
  EXPECT_FALSE(gc::IsFinalized(*untracked));
  gc::Ref<SelfCycle> lazarus = MakeSelfCycle(&log_, 0, Effect::kResurrect);
  EXPECT_FALSE(gc::IsFinalized(*lazarus));
  lazarus.reset();
  Collect();
  ASSERT_EQ(log_.survivors.size(), 1u);
  EXPECT_TRUE(gc::IsFinalized(*log_.survivors[0]));
}

// A probe with one generic strong edge.
class Holder : public Probe {
 public:
  using Probe::Probe;
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(held);
    visitor.Visit(attr);
  }
  gc::Ref<gc::Object> held;
  gc::Ref<gc::Object> attr;

 protected:
  void BreakLinks() override { attr.reset(); }
};

TEST_F(GcFinalizerTest, ResurrectionKeepsEverythingTheObjectReaches) {
  heap_.Disable();
  Counters counters;
  gc::Ref<Holder> laz = gc::Make<Holder>(&log_, 0, Effect::kResurrect);
  gc::Ref<List> cargo = gc::Make<List>(&counters);
  cargo->items = {cargo, laz};  // a self-loop, and a cycle with laz
  laz->held = cargo;
  const List* cargo_id = cargo.get();
  laz.reset();
  cargo.reset();
  EXPECT_EQ(Collect(), 0);
  ASSERT_EQ(log_.survivors.size(), 1u);
  gc::Ref<Holder> instance = gc::StaticRefCast<Holder>(log_.survivors[0]);
  log_.survivors.clear();
  EXPECT_EQ(counters.destroyed, 0);
  ASSERT_EQ(instance->held.get(), cargo_id);
  const auto& items = gc::StaticRefCast<List>(instance->held)->items;
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].get(), cargo_id);
  EXPECT_EQ(items[1], instance);
  instance.reset();
  EXPECT_EQ(Collect(), 2);
  EXPECT_EQ(counters.destroyed, 1);
  EXPECT_EQ(log_.destroyed, std::vector<int>{0});
  EXPECT_EQ(log_.finalized, std::vector<int>{0});
}

TEST_F(GcFinalizerTest, ResurrectionDoesNotBlockCleanupOfOtherGarbage) {
  constexpr int kN = 100;
  heap_.Disable();
  auto totals = [&] {
    gc::GenerationStats s = heap_.GetStats()[2];
    return std::make_pair(s.collected, s.uncollectable);
  };
  auto make_plain_garbage = [] {
    for (int i = 0; i < kN; ++i) MakeSelfLoop(i);
  };
  // No problems if just collecting plain self-loops.
  auto before = totals();
  make_plain_garbage();
  EXPECT_EQ(Collect(), kN);
  auto after = totals();
  EXPECT_EQ(after.first - before.first, kN);
  EXPECT_EQ(after.second - before.second, 0);
  // A resurrected object is not counted as collected.
  before = after;
  MakeSelfCycle(&log_, 0, Effect::kResurrect);
  EXPECT_EQ(Collect(), 0);
  after = totals();
  EXPECT_EQ(after, before);
  // It does not prevent anything else from being collected.
  before = after;
  make_plain_garbage();
  MakeSelfCycle(&log_, 1, Effect::kResurrect);
  EXPECT_EQ(Collect(), kN);
  after = totals();
  EXPECT_EQ(after.first - before.first, kN);
  EXPECT_EQ(after.second - before.second, 0);
  // The two resurrected objects go once nothing holds them.
  before = after;
  EXPECT_EQ(log_.survivors.size(), 2u);
  log_.survivors.clear();
  EXPECT_EQ(Collect(), 2);
  after = totals();
  EXPECT_EQ(after.first - before.first, 2);
  EXPECT_EQ(after.second - before.second, 0);
  EXPECT_EQ(log_.finalized, (std::vector<int>{0, 1}));
}

// b's finalizer drops its reference to a, so a dies (by reference counting)
// while the collector still runs finalizers; the rest of the garbage must
// stay consistent.
TEST_F(GcFinalizerTest, FinalizerDroppingGarbageReferencesIsSafe) {
  Counters counters;
  {
    gc::Ref<Link> a = gc::Make<Link>(&counters);
    gc::Ref<Holder> b = gc::Make<Holder>(&log_, 0, Effect::kSuicide);
    b->held = gc::Make<Link>(&counters);  // B(A())
    a->next = b;
    b->attr = a;
  }
  Collect();
  // Objects freed by reference counting while finalizers run are not
  // counted as collected (CPython counts what is left after finalizers).
  EXPECT_EQ(log_.finalized, std::vector<int>{0});
  EXPECT_EQ(log_.destroyed, std::vector<int>{0});
  EXPECT_EQ(counters.destroyed, 2);
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

class ThrowingFinalizer : public SelfCycle {
 public:
  using SelfCycle::SelfCycle;
  void Finalize() override {
    SelfCycle::Finalize();
    throw std::runtime_error("finalizer broke");
  }
};

TEST_F(GcFinalizerTest, FinalizerExceptionIsReportedAndCollectionGoesOn) {
  {
    gc::Ref<ThrowingFinalizer> bad = gc::Make<ThrowingFinalizer>(&log_, 0);
    bad->ref = bad;
    MakeSelfCycle(&log_, 1);
  }
  EXPECT_EQ(Collect(), 2);
  EXPECT_EQ(SortedIds(log_.finalized), (std::vector<int>{0, 1}));
  EXPECT_EQ(SortedIds(log_.destroyed), (std::vector<int>{0, 1}));
  ASSERT_EQ(errors_.lines.size(), 1u);
  EXPECT_TRUE(errors_.Contains("finalizer broke"));
  EXPECT_TRUE(errors_.Contains("ThrowingFinalizer"));
}

TEST_F(GcFinalizerTest, ResurrectedObjectMovesToTheNextGeneration) {
  MakeSelfCycle(&log_, 0, Effect::kResurrect);
  EXPECT_EQ(Collect(0), 0);
  ASSERT_EQ(log_.survivors.size(), 1u);
  EXPECT_TRUE(heap_.GetObjects(0).empty());
  EXPECT_EQ(heap_.GetObjects(1), std::vector{log_.survivors[0]});
}

}  // namespace
}  // namespace gc_test::cpython
