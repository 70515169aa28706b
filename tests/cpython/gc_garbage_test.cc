// Copyright 2026 The cyclegc Authors.
//
// A port of the scenarios of CPython's Lib/test/test_gc.py about gc.garbage
// (uncollectable cycles, DEBUG_SAVEALL), the DEBUG_* report flags and what
// happens to garbage when the interpreter (here: the heap) shuts down. A
// legacy finalizer (`tp_del`) is RequiresOrderedDestruction() here.
//
// CPython test (test_gc.py) -> C++ test (GcGarbageTest unless named):
//   GCTests.test_legacy_finalizer, test_legacy_finalizer_newclass
//     -> UncollectableCycleGoesToGarbageAndOthersAreCollected
//   GCTests.test_saveall -> SaveAllKeepsGarbageInGarbageList
//   GCCallbackTests.test_collect_garbage
//     -> CallbackSeesUncollectableCountsAndMayCleanGarbage
//   GCTests.test_garbage_at_shutdown
//     -> UncollectableAtShutdownIsReported
//     -> UncollectableAtShutdownIsListedWithDebugUncollectable
//     -> SaveAllAtShutdownReportsNoUncollectables
//   GCTests.test_gc_main_module_at_shutdown
//     -> HeapDestructionFinalizesAndFreesCycles
//   GCTests.test_global_del_SystemExit
//     -> HeapDestroyedByExceptionUnwindingFinalizesCycles
//   test_main()'s set_debug(debug & ~DEBUG_LEAK) and the gc module's
//   documented DEBUG_* flags (no test of their own in test_gc.py)
//     -> StatsDebugLinesDescribeEachCollection
//     -> CollectableDebugLinesNameTheType
//     -> UncollectableDebugLinesNameTheType
//     -> DebugLeakSavesAndReportsAllGarbage
//
// Not ported: test_gc_ordinary_module_at_shutdown (modules).
//
// Deliberately different in cyclegc:
// - Report lines name an object by its C++ type and address
//   ("<gc_test::Link 0x...>"): there is no repr().
// - The shutdown report is a line to the heap's report sink, not a
//   ResourceWarning; objects that outlive their heap stay alive untracked.
// - test_collect_garbage's second collection finds 2 uncollectables in
//   CPython only because the test's loop variable `e` still holds one pair;
//   here nothing holds them and all 4 are found again.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/cpython/cpython_types.h"
#include "tests/test_types.h"

namespace gc_test::cpython {
namespace {

using GcGarbageTest = HeapTest;

// The number of lines that start with `prefix` and contain `needle`.
int CountLines(const Lines& report, std::string_view prefix,
               std::string_view needle = "") {
  int n = 0;
  for (const std::string& line : report.lines) {
    if (line.rfind(prefix, 0) == 0 && line.find(needle) != std::string::npos) {
      ++n;
    }
  }
  return n;
}

// An object with a legacy finalizer and one generic edge.
class Legacy : public gc::Object {
 public:
  explicit Legacy(Counters* c) : counters(c) {}
  ~Legacy() override { ++counters->destroyed; }
  bool RequiresOrderedDestruction() const override { return true; }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(a); }
  gc::Ref<gc::Object> a;
  Counters* counters;
};

TEST_F(GcGarbageTest, UncollectableCycleGoesToGarbageAndOthersAreCollected) {
  Counters counters;
  gc::Ref<Legacy> a = gc::Make<Legacy>(&counters);
  a->a = a;
  const gc::Object* id_a = a.get();
  gc::Ref<Link> b = gc::Make<Link>(&counters);
  b->next = b;
  EXPECT_EQ(Collect(), 0);
  a.reset();
  b.reset();
  EXPECT_EQ(Collect(), 2);  // b collected, a uncollectable
  EXPECT_EQ(counters.destroyed, 1);
  EXPECT_EQ(heap_.GetStats()[2].uncollectable, 1);
  std::vector<gc::Ref<gc::Object>>& garbage = heap_.Garbage();
  ASSERT_EQ(garbage.size(), 1u);
  ASSERT_EQ(garbage[0].get(), id_a) << "didn't find a in garbage";
  gc::StaticRefCast<Legacy>(garbage[0])->a.reset();  // del obj.a
  garbage.clear();
  EXPECT_EQ(counters.destroyed, 2);
}

TEST_F(GcGarbageTest, SaveAllKeepsGarbageInGarbageList) {
  // Make sure nothing else is waiting for collection.
  Collect();
  ASSERT_TRUE(heap_.Garbage().empty());
  Counters counters;
  gc::Ref<List> l = gc::Make<List>(&counters);
  l->items.push_back(l);
  const List* id_l = l.get();
  const int debug = heap_.GetDebug();
  heap_.SetDebug(debug | gc::kDebugSaveAll);
  l.reset();
  EXPECT_EQ(Collect(), 1);
  heap_.SetDebug(debug);
  EXPECT_EQ(heap_.GetStats()[2].collected, 1);
  ASSERT_EQ(heap_.Garbage().size(), 1u);
  gc::Ref<gc::Object> obj = heap_.Garbage().back();
  heap_.Garbage().pop_back();
  EXPECT_EQ(obj.get(), id_l);
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(gc::StaticRefCast<List>(obj)->items[0], obj);  // intact
  obj.reset();
  EXPECT_EQ(Collect(), 1);  // garbage again, and freed this time
  EXPECT_EQ(counters.destroyed, 1);
}

TEST_F(GcGarbageTest, CallbackSeesUncollectableCountsAndMayCleanGarbage) {
  struct Visit {
    int callback;
    gc::Phase phase;
    gc::CollectionInfo info;
  };
  std::vector<Visit> visits;
  bool cleanup = false;
  ScopedCallback cb1(heap_, [&](gc::Phase phase, const gc::CollectionInfo& i) {
    visits.push_back({1, phase, i});
  });
  ScopedCallback cb2(heap_, [&](gc::Phase phase, const gc::CollectionInfo& i) {
    visits.push_back({2, phase, i});
    if (phase == gc::Phase::kStop && cleanup) {
      ReleaseUncollectables(heap_.Garbage());
    }
  });
  // Both callbacks saw one start and one stop, with these counts at stop.
  auto expect_visits = [&](int64_t collected, int64_t uncollectable) {
    ASSERT_EQ(visits.size(), 4u);
    for (const Visit& v : visits) {
      if (v.phase != gc::Phase::kStop) continue;
      EXPECT_EQ(v.info.collected, collected);
      EXPECT_EQ(v.info.uncollectable, uncollectable);
    }
  };
  // Each pair is two uncollectable objects; the self-loop is collectable.
  Counters counters;
  Uncollectable::MakeGarbagePair(&counters);
  Uncollectable::MakeGarbagePair(&counters);
  MakeSelfLoop(666);
  EXPECT_EQ(Collect(), 5);
  expect_visits(1, 4);
  ASSERT_EQ(heap_.Garbage().size(), 4u);
  for (const gc::Ref<gc::Object>& e : heap_.Garbage()) {
    EXPECT_TRUE(gc::DynamicRefCast<Uncollectable>(e));
  }
  // Now the second callback cleans the uncollectables up.
  cleanup = true;
  visits.clear();
  heap_.Garbage().clear();  // they are still garbage cycles
  EXPECT_EQ(Collect(), 4);
  expect_visits(0, 4);
  EXPECT_TRUE(heap_.Garbage().empty());
  EXPECT_EQ(counters.destroyed, 4);
}

// test_garbage_at_shutdown's script: x = X('first'); x.x = x;
// x.y = X('second'); del x; gc.set_debug(flags), then the interpreter (here:
// the heap) shuts down.
class ShutdownWitness : public gc::Object {
 public:
  bool RequiresOrderedDestruction() const override { return true; }
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(x);
    visitor.Visit(y);
  }
  gc::Ref<ShutdownWitness> x;
  gc::Ref<ShutdownWitness> y;
};

Lines DestroyHeapHoldingUncollectables(int debug) {
  Lines report;
  gc::WeakRef<ShutdownWitness> first;
  {
    gc::Heap heap;
    heap.SetReportSink(report.Sink());
    {
      gc::HeapScope scope(heap);
      gc::Ref<ShutdownWitness> x = gc::Make<ShutdownWitness>();
      x->x = x;
      x->y = gc::Make<ShutdownWitness>();
      first = x;
    }
    heap.SetDebug(debug);
  }
  // Both live on, untracked, after their heap; break the cycle to free them.
  gc::Ref<ShutdownWitness> x = first.Lock();
  EXPECT_TRUE(x);
  if (x) {
    EXPECT_FALSE(gc::IsTracked(*x));
    x->x.reset();
    x.reset();
  }
  EXPECT_TRUE(first.expired());
  return report;
}

TEST(GcShutdownTest, UncollectableAtShutdownIsReported) {
  Lines report = DestroyHeapHoldingUncollectables(0);
  EXPECT_TRUE(report.Contains("gc: 2 uncollectable objects at shutdown; use"))
      << ::testing::PrintToString(report.lines);
  EXPECT_FALSE(report.Contains("ShutdownWitness"));
  EXPECT_EQ(CountLines(report, "gc: uncollectable <"), 0);
}

TEST(GcShutdownTest, UncollectableAtShutdownIsListedWithDebugUncollectable) {
  Lines report = DestroyHeapHoldingUncollectables(gc::kDebugUncollectable);
  EXPECT_TRUE(report.Contains("gc: 2 uncollectable objects at shutdown"))
      << ::testing::PrintToString(report.lines);
  // One line per object when found, and the list at shutdown.
  EXPECT_EQ(CountLines(report, "gc: uncollectable <", "ShutdownWitness 0x"), 2);
  EXPECT_EQ(CountLines(report, "gc:   <", "ShutdownWitness>"), 2);
}

TEST(GcShutdownTest, SaveAllAtShutdownReportsNoUncollectables) {
  Lines report = DestroyHeapHoldingUncollectables(gc::kDebugSaveAll);
  EXPECT_FALSE(report.Contains("uncollectable objects at shutdown"))
      << ::testing::PrintToString(report.lines);
}

TEST(GcShutdownTest, HeapDestructionFinalizesAndFreesCycles) {
  Log log;
  Counters counters;
  {
    gc::Heap heap;
    gc::HeapScope scope(heap);
    gc::Ref<List> l = gc::Make<List>(&counters);
    l->items = {gc::Make<SelfCycle>(&log, 0), l};  // l = [C()]; l.append(l)
  }
  EXPECT_EQ(log.finalized, std::vector<int>{0});  // "__del__ called"
  EXPECT_EQ(log.destroyed, std::vector<int>{0});
  EXPECT_EQ(counters.destroyed, 1);
}

TEST(GcShutdownTest, HeapDestroyedByExceptionUnwindingFinalizesCycles) {
  Log log;
  EXPECT_THROW(
      {
        gc::Heap heap;
        gc::HeapScope scope(heap);
        MakeSelfCycle(&log, 0);  // a.link = a
        throw std::runtime_error("SystemExit");
      },
      std::runtime_error);
  EXPECT_EQ(log.finalized, std::vector<int>{0});
  EXPECT_EQ(log.destroyed, std::vector<int>{0});
}

// Report lines of one collection: a garbage ring of three Links, a live
// Node and a pair of Uncollectables.
class GcDebugTest : public GcGarbageTest {
 protected:
  void CollectWithDebug(int flags) {
    heap_.SetReportSink(report_.Sink());
    heap_.SetDebug(flags);
    MakeRing(3, &counters_);
    Uncollectable::MakeGarbagePair(&counters_);
    Collect();
    heap_.SetDebug(0);
  }
  void TearDown() override {
    live_.reset();
    ReleaseUncollectables(heap_.Garbage());
    heap_.Garbage().clear();
    GcGarbageTest::TearDown();
  }
  Lines report_;
  Counters counters_;
  gc::Ref<Node> live_ = gc::Make<Node>();
};

TEST_F(GcDebugTest, StatsDebugLinesDescribeEachCollection) {
  CollectWithDebug(gc::kDebugStats);
  ASSERT_EQ(report_.lines.size(), 4u)
      << ::testing::PrintToString(report_.lines);
  EXPECT_EQ(report_.lines[0], "gc: collecting generation 2...");
  EXPECT_EQ(report_.lines[1], "gc: objects in each generation: 6 0 0");
  EXPECT_EQ(report_.lines[2], "gc: objects in permanent generation: 0");
  EXPECT_EQ(
      report_.lines[3].rfind("gc: done, 5 unreachable, 2 uncollectable, ", 0),
      0u)
      << report_.lines[3];
  EXPECT_NE(report_.lines[3].find("s elapsed"), std::string::npos);
  EXPECT_EQ(counters_.destroyed, 3);
}

TEST_F(GcDebugTest, CollectableDebugLinesNameTheType) {
  CollectWithDebug(gc::kDebugCollectable);
  EXPECT_EQ(CountLines(report_, "gc: collectable <gc_test::Link 0x"), 3)
      << ::testing::PrintToString(report_.lines);
  EXPECT_EQ(report_.lines.size(), 3u);  // nothing about the uncollectables
  EXPECT_EQ(counters_.destroyed, 3);    // reported and still collected
}

TEST_F(GcDebugTest, UncollectableDebugLinesNameTheType) {
  CollectWithDebug(gc::kDebugUncollectable);
  EXPECT_EQ(CountLines(report_,
                       "gc: uncollectable <gc_test::cpython::Uncollectable 0x"),
            2)
      << ::testing::PrintToString(report_.lines);
  EXPECT_EQ(report_.lines.size(), 2u);
  EXPECT_EQ(heap_.Garbage().size(), 2u);
}

TEST_F(GcDebugTest, DebugLeakSavesAndReportsAllGarbage) {
  CollectWithDebug(gc::kDebugLeak);
  EXPECT_EQ(CountLines(report_, "gc: collectable <", "Link"), 3);
  EXPECT_EQ(CountLines(report_, "gc: uncollectable <", "Uncollectable"), 2);
  EXPECT_EQ(heap_.Garbage().size(), 5u);
  EXPECT_EQ(counters_.destroyed, 0);  // saved, not freed
  EXPECT_EQ(heap_.GetStats()[2].collected, 3);
  EXPECT_EQ(heap_.GetStats()[2].uncollectable, 2);
}

}  // namespace
}  // namespace gc_test::cpython
