// Copyright 2026 The cyclegc Authors.
//
// A port of the scenarios of CPython's Lib/test/test_gc.py where `__del__`
// methods allocate or collect while objects are being torn down (test_del,
// the "trashcan" tests) or while automatic collection is disabled. A Python
// `__del__` run by a reference count death is a C++ destructor here.
//
// CPython test (test_gc.py) -> C++ test (GcDestructorTest):
//   GCTests.test_del, test_del_newclass
//     -> DestructorMayTriggerAutomaticCollection
//     -> DestructorAllocatingDuringCollectionStartsNoNestedCollection
//   GCTests.test_trashcan
//     -> CollectFromDestructorsDuringDeepTeardownIsSafe
//     -> CollectFromDestructorRunsWhileSiblingsAwaitDestruction
//   GCTests.test_trashcan_threads
//     -> DeepTeardownOnSeveralThreadsDestroysEverything
//   GCTogglingTests.test_indirect_calls_with_gc_disabled
//     -> DisabledHeapDoesNotCollectFromAnyAllocation
//   GCTests.test_get_count
//     -> HeapCountTest.TrackedAllocationsAndDeallocationsMoveCountZero
//        (tests/heap_test.cc)
//   GCTests.test_collect_generations
//     -> HeapCountTest.CollectSetsCountsAsCPythonDoes (tests/heap_test.cc)
//
// Not ported: test_get_count's and test_function's exact numbers of
// interpreter allocations (CPython internals).
//
// Deliberately different: test_trashcan_threads runs two threads on one
// interpreter; a cyclegc heap belongs to one thread at a time, so each
// thread tears down its nests on its own default heap.

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <thread>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/cpython/cpython_types.h"
#include "tests/test_types.h"

namespace gc_test::cpython {
namespace {

using GcDestructorTest = HeapTest;

// A destructor that allocates tracked objects (`__del__` calling dir(self)).
class AllocatesOnDeath : public gc::Object {
 public:
  explicit AllocatesOnDeath(int n, Counters* c = nullptr) : n_(n), c_(c) {}
  ~AllocatesOnDeath() override {
    if (c_ != nullptr) ++c_->destroyed;
    std::vector<gc::Ref<gc::Object>> made;
    for (int i = 0; i < n_; ++i) made.push_back(gc::Make<List>());
  }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(self); }
  gc::Ref<gc::Object> self;

 private:
  int n_;
  Counters* c_;
};

TEST_F(GcDestructorTest, DestructorMayTriggerAutomaticCollection) {
  heap_.Disable();
  Counters ring_counters;
  gc::Ref<Link> ring = MakeRing(2, &ring_counters);
  gc::Ref<AllocatesOnDeath> a = gc::Make<AllocatesOnDeath>(3);
  ring.reset();
  ASSERT_TRUE(heap_.SetThreshold(1).ok());
  heap_.Enable();
  a.reset();  // the destructor's allocations start a collection
  EXPECT_GE(heap_.GetStats()[0].collections, 1);
  EXPECT_EQ(ring_counters.destroyed, 2);
}

TEST_F(GcDestructorTest,
       DestructorAllocatingDuringCollectionStartsNoNestedCollection) {
  int starts = 0;
  ScopedCallback count_starts(heap_,
                              [&](gc::Phase phase, const gc::CollectionInfo&) {
                                if (phase == gc::Phase::kStart) ++starts;
                              });
  Counters counters;
  gc::Ref<AllocatesOnDeath> a = gc::Make<AllocatesOnDeath>(10, &counters);
  a->self = a;
  a.reset();
  ASSERT_TRUE(heap_.SetThreshold(1).ok());
  EXPECT_EQ(Collect(), 1);
  EXPECT_EQ(counters.destroyed, 1);
  EXPECT_EQ(starts, 1);
}

// A tracked object whose destructor runs a full collection every 17th time
// and counts the calls made while no collection was running.
class Ouch : public gc::Object {
 public:
  Ouch(int* deaths, int* ran) : deaths_(deaths), ran_(ran) {}
  ~Ouch() override {
    if (++*deaths_ % 17 != 0) return;
    gc::Heap& heap = gc::Heap::Current();
    if (!heap.IsCollecting()) ++*ran_;
    heap.Collect();
  }
  void Trace(gc::Visitor&) override {}

 private:
  int* deaths_;
  int* ran_;
};

TEST_F(GcDestructorTest, CollectFromDestructorsDuringDeepTeardownIsSafe) {
  // CPython nests 150 deep; deeper here than the reaper's inline stack.
  constexpr int kN = 1000;
  ASSERT_TRUE(heap_.SetThreshold(50).ok());  // automatic collections too
  int deaths = 0;
  int ran = 0;
  Counters garbage;
  for (int round = 0; round < 2; ++round) {
    gc::Ref<Link> ring = MakeRing(5, &garbage);  // found by those collections
    ring.reset();
    gc::Ref<List> t = gc::Make<List>();
    gc::Ref<List> u = gc::Make<List>();
    gc::Ref<Dict> v = gc::Make<Dict>();
    for (gc::Ref<List>* nest : {&t, &u}) {
      for (int i = 0; i < kN; ++i) {
        gc::Ref<List> outer = gc::Make<List>();
        outer->items = {*nest, gc::Make<Ouch>(&deaths, &ran)};
        *nest = outer;
      }
    }
    for (int i = 0; i < kN; ++i) {
      gc::Ref<Dict> outer = gc::Make<Dict>();
      outer->items[1] = v;
      outer->items[2] = gc::Make<Ouch>(&deaths, &ran);
      v = outer;
    }
  }
  EXPECT_EQ(deaths, 2 * 3 * kN);
  EXPECT_EQ(garbage.destroyed, 10);
  // Every 17th death collected, outside any collection (as in CPython): each
  // Collect() from a destructor runs (see the test below).
  EXPECT_EQ(ran, deaths / 17);
  EXPECT_GE(heap_.GetStats()[2].collections, ran);
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

// An untracked object whose destructor runs a full collection, noting
// whether one was running already.
class CollectsOnDeath : public gc::Object {
 public:
  explicit CollectsOnDeath(std::vector<bool>* inside) : inside_(inside) {}
  ~CollectsOnDeath() override {
    inside_->push_back(gc::Heap::Current().IsCollecting());
    gc::Heap::Current().Collect();
  }
  std::vector<gc::Ref<gc::Object>> children;

 private:
  std::vector<bool>* inside_;
};

// A Collect() called from a destructor outside any collection runs, and its
// drain destroys only what that collection freed: objects the outer teardown
// had deferred (here the first child) are destroyed by the outer teardown,
// outside any collection. test_trashcan's `gc.collect()` every 17th
// `__del__` runs each time, as in CPython.
TEST_F(GcDestructorTest,
       CollectFromDestructorRunsWhileSiblingsAwaitDestruction) {
  std::vector<bool> inside;
  gc::Ref<CollectsOnDeath> parent = gc::Make<CollectsOnDeath>(&inside);
  parent->children = {gc::Make<CollectsOnDeath>(&inside),
                      gc::Make<CollectsOnDeath>(&inside)};
  parent.reset();  // both children are deferred while parent is destroyed
  // No collection freed any of them: none runs inside one.
  EXPECT_EQ(inside, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(heap_.GetStats()[2].collections, 3);
}

// test_trashcan_threads: a list subtype whose destructor allocates, nested
// 60 deep and torn down over and over on two threads at once (each on its
// own default heap).
class CountedList : public List {
 public:
  CountedList(std::atomic<int64_t>* inits, std::atomic<int64_t>* dels)
      : dels_(dels) {
    ++*inits;
  }
  ~CountedList() override {
    ++*dels_;
    gc::Make<List>();  // allocates while being destroyed
  }

 private:
  std::atomic<int64_t>* dels_;
};

TEST_F(GcDestructorTest, DeepTeardownOnSeveralThreadsDestroysEverything) {
  constexpr int kNesting = 60;
  constexpr int kRounds = 300;
  std::atomic<int64_t> inits{0};
  std::atomic<int64_t> dels{0};
  auto run = [&] {
    for (int round = 0; round < kRounds; ++round) {
      gc::Ref<List> x = gc::Make<CountedList>(&inits, &dels);
      for (int i = 0; i < kNesting; ++i) {
        gc::Ref<List> c = gc::Make<CountedList>(&inits, &dels);
        c->items.push_back(x);
        x = gc::Make<List>();
        x->items.push_back(c);
      }
    }
    gc::Heap::Current().Collect();
  };
  std::thread first(run);
  std::thread second(run);
  first.join();
  second.join();
  EXPECT_EQ(inits.load(), 2 * kRounds * (kNesting + 1));
  EXPECT_EQ(dels.load(), inits.load());
}

TEST_F(GcDestructorTest, DisabledHeapDoesNotCollectFromAnyAllocation) {
  ASSERT_TRUE(heap_.SetThreshold(1000, 0, 0).ok());
  std::vector<gc::Ref<gc::Object>> junk;
  {
    GcDetector detector;
    AllocateUntilCollected(detector, 10000, junk, [] {});
    ASSERT_TRUE(detector.happened()) << "no collection in 10000 allocations";
  }
  junk.clear();
  heap_.Disable();
  const int64_t collections = heap_.GetStats()[0].collections;
  GcDetector detector;
  EXPECT_EQ(AllocateUntilCollected(detector, 10000, junk, [] {}), 10000);
  // Nor from allocations made indirectly: in destructors and weak callbacks.
  for (int i = 0; i < 1000; ++i) gc::Make<AllocatesOnDeath>(3);
  gc::Ref<Node> watched = gc::Make<Node>();
  gc::WeakRef<Node> w(watched, [&](const gc::WeakRef<Node>&) {
    for (int i = 0; i < 2000; ++i) junk.push_back(gc::Make<List>());
  });
  watched.reset();
  EXPECT_FALSE(detector.happened());
  EXPECT_EQ(heap_.GetStats()[0].collections, collections);
  heap_.Enable();
  junk.clear();
}

}  // namespace
}  // namespace gc_test::cpython
