// Copyright 2026 The cyclegc Authors.
//
// A port of the introspection scenarios of CPython's Lib/test/test_gc.py:
// get_referents, get_referrers, get_objects, is_tracked, freeze, and the
// collection callbacks.
//
// CPython test (test_gc.py) -> C++ test (GcIntrospectionTest unless named):
//   GCTests.test_get_referents -> GetReferentsListsTheTrackedObjectsTraced
//   GCTests.test_get_referents_on_capsule
//     -> GetReferentsOfUntrackedObjectIsEmpty
//   GCTests.test_get_objects_during_gc
//     -> GetObjectsAndReferrersDuringCollectionOmitGarbage
//   (gc.get_referrers, used by test_get_objects_during_gc)
//     -> GetReferrersFindsContainers
//   GCTests.test_is_tracked -> TracedTypesAreTrackedAndOthersAreNot
//   GCTests.test_get_objects, test_get_objects_generations
//     -> GetObjectsFindsNewCycleInGenerationZeroOnly
//     -> HeapCountTest.SurvivorsMoveToTheNextGeneration (tests/heap_test.cc)
//   GCTests.test_get_objects_arguments
//     -> GetObjectsIsTheUnionOfAllGenerations
//     -> GcIntrospectionDeathTest.GetObjectsOfBadGenerationFailsLoudly
//   GCTests.test_get_stats
//     -> HeapCountTest.StatsChangeOnlyForTheGenerationCollected
//        (tests/heap_test.cc)
//   GCTests.test_freeze
//     -> FreezeCountsObjectsAndUnfreezeMovesThemToTheOldestGeneration
//     -> FreezeHidesObjectsFromCollection
//   GCTests.test_traverse_frozen_objects
//     -> CycleReferencingFrozenObjectIsCollectedAndLeavesItIntact
//   GCTests.test_deferred_refcount_frozen
//     -> CollectWhileEverythingIsFrozenExaminesNothing
//   GCCallbackTests.test_collect, test_collect_generation
//     -> EveryCallbackSeesStartThenStopWithTheGeneration
//   GCCallbackTests.test_refcount_errors
//     -> CollectorTest.OvercountingTraceNeverFreesLiveObject
//        (tests/collector_test.cc; a refcount cannot be broken through the
//        API, a Trace that over-reports edges is the C++ counterpart)
//
// Not ported (no C++ meaning): test_get_objects_arguments' TypeError cases
// (static types); test_get_referents with several arguments (the C++ API
// takes one object).
//
// Deliberately different in cyclegc:
// - GetReferents lists only live tracked objects (API.md); CPython's
//   get_referents also lists atomic objects such as ints.
// - test_is_tracked: whether an object is tracked is decided by its type
//   overriding Trace, not by its fields (a type with an empty Trace is
//   tracked, like 3.14's `__slots__ = ()` classes).

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/cpython/cpython_types.h"
#include "tests/test_types.h"

namespace gc_test::cpython {
namespace {

using GcIntrospectionTest = HeapTest;
using Objects = std::vector<gc::Ref<gc::Object>>;

Objects Sorted(Objects objects) {
  std::sort(objects.begin(), objects.end());
  return objects;
}

bool Contains(const Objects& objects, const gc::Object* object) {
  return std::any_of(
      objects.begin(), objects.end(),
      [&](const gc::Ref<gc::Object>& o) { return o.get() == object; });
}

TEST_F(GcIntrospectionTest, GetReferentsListsTheTrackedObjectsTraced) {
  gc::Ref<Node> one = gc::Make<Node>(1);
  gc::Ref<Node> three = gc::Make<Node>(3);
  gc::Ref<Leaf> untracked = gc::Make<Leaf>();
  gc::Ref<List> alist = gc::Make<List>();
  alist->items = {one, untracked, nullptr, three};
  EXPECT_EQ(Sorted(heap_.GetReferents(*alist)), Sorted({one, three}));
  gc::Ref<Tuple> atuple = gc::Make<Tuple>(alist->items);
  EXPECT_EQ(Sorted(heap_.GetReferents(*atuple)), Sorted({one, three}));
  gc::Ref<Dict> adict = gc::Make<Dict>();
  adict->items[1] = three;
  adict->items[5] = untracked;
  EXPECT_EQ(heap_.GetReferents(*adict), Objects{three});
  EXPECT_TRUE(heap_.GetReferents(*one).empty());  // traces nothing
}

TEST_F(GcIntrospectionTest, GetReferentsOfUntrackedObjectIsEmpty) {
  class Capsule : public gc::Object {  // untracked, yet holds a reference
   public:
    gc::Ref<Node> held;
  };
  gc::Ref<Capsule> untracked = gc::Make<Capsule>();
  untracked->held = gc::Make<Node>();
  EXPECT_FALSE(gc::IsTracked(*untracked));
  EXPECT_TRUE(heap_.GetReferents(*untracked).empty());
  gc::Ref<Link> tracked = gc::Make<Link>();
  tracked->next = untracked->held;
  EXPECT_EQ(heap_.GetReferents(*tracked), Objects{untracked->held});
}

TEST_F(GcIntrospectionTest, GetReferrersFindsContainers) {
  gc::Ref<Node> x = gc::Make<Node>();
  gc::Ref<List> list = gc::Make<List>();
  list->items = {x, x};  // listed once
  gc::Ref<Dict> dict = gc::Make<Dict>();
  dict->items[1] = x;
  gc::Ref<Node> child = gc::Make<Node>();
  child->parent = x;
  x->children.push_back(child);        // x refers to child, not to itself
  class Capsule : public gc::Object {  // untracked: not a referrer
   public:
    gc::Ref<Node> held;
  };
  gc::Ref<Capsule> capsule = gc::Make<Capsule>();
  capsule->held = x;
  EXPECT_EQ(Sorted(heap_.GetReferrers(*x)), Sorted({list, dict, child}));
  EXPECT_EQ(heap_.GetReferrers(*child), Objects{x});
  x->children.clear();
}

// test_get_objects_during_gc (gh-125859): a finalizer asks for the objects
// and the referrers while the collector holds its garbage.
class GetObjectsOnFinalize : public gc::Object {
 public:
  explicit GetObjectsOnFinalize(const gc::Object* live) : live_(live) {}
  void Trace(gc::Visitor& visitor) override { visitor.Visit(cycle); }
  void Finalize() override {
    collected = true;
    gc::Heap& heap = gc::Heap::Current();
    const Objects objects = heap.GetObjects();
    saw_self = Contains(objects, this);
    saw_live = Contains(objects, live_);
    referrers = heap.GetReferrers(*this).size();
  }
  ~GetObjectsOnFinalize() override {
    dying_listed = Contains(gc::Heap::Current().GetObjects(), this);
  }
  gc::Ref<GetObjectsOnFinalize> cycle;
  static inline bool collected, saw_self, saw_live, dying_listed;
  static inline size_t referrers;

 private:
  const gc::Object* live_;
};

TEST_F(GcIntrospectionTest, GetObjectsAndReferrersDuringCollectionOmitGarbage) {
  gc::Ref<Node> live = gc::Make<Node>();
  GetObjectsOnFinalize::collected = false;
  GetObjectsOnFinalize::saw_self = GetObjectsOnFinalize::dying_listed = true;
  GetObjectsOnFinalize::saw_live = false;
  GetObjectsOnFinalize::referrers = 99;
  gc::Ref<GetObjectsOnFinalize> obj =
      gc::Make<GetObjectsOnFinalize>(live.get());
  obj->cycle = obj;
  obj.reset();
  EXPECT_EQ(Collect(), 1);
  EXPECT_TRUE(GetObjectsOnFinalize::collected);
  EXPECT_FALSE(GetObjectsOnFinalize::saw_self);
  EXPECT_TRUE(GetObjectsOnFinalize::saw_live);
  EXPECT_EQ(GetObjectsOnFinalize::referrers, 0u);
  EXPECT_FALSE(GetObjectsOnFinalize::dying_listed);
}

TEST_F(GcIntrospectionTest, TracedTypesAreTrackedAndOthersAreNot) {
  class EmptyTrace : public gc::Object {  // like a class with no fields
   public:
    void Trace(gc::Visitor&) override {}
  };
  class DerivedLeaf : public Leaf {};  // inherits "no Trace"
  class DerivedNode : public Node {};  // inherits Node's Trace
  class TracedLeaf : public Leaf {
   public:
    void Trace(gc::Visitor&) override {}
  };
  EXPECT_FALSE(gc::IsTracked(*gc::Make<Leaf>()));
  EXPECT_FALSE(gc::IsTracked(*gc::Make<DerivedLeaf>()));
  Log log;
  EXPECT_FALSE(gc::IsTracked(*gc::Make<Probe>(&log, 0)));  // a finalizer
  EXPECT_TRUE(gc::IsTracked(*gc::Make<SelfCycle>(&log, 1)));
  EXPECT_TRUE(gc::IsTracked(*gc::Make<Node>()));
  EXPECT_TRUE(gc::IsTracked(*gc::Make<DerivedNode>()));
  EXPECT_TRUE(gc::IsTracked(*gc::Make<TracedLeaf>()));
  EXPECT_TRUE(gc::IsTracked(*gc::Make<EmptyTrace>()));
  EXPECT_TRUE(gc::IsTracked(*gc::Make<List>()));
  EXPECT_TRUE(gc::IsTracked(*gc::Make<Dict>()));
}

TEST_F(GcIntrospectionTest, GetObjectsFindsNewCycleInGenerationZeroOnly) {
  Collect();
  gc::Ref<List> l = gc::Make<List>();
  l->items.push_back(l);
  EXPECT_TRUE(Contains(heap_.GetObjects(), l.get()));
  EXPECT_TRUE(Contains(heap_.GetObjects(0), l.get()));
  EXPECT_FALSE(Contains(heap_.GetObjects(1), l.get()));
  EXPECT_FALSE(Contains(heap_.GetObjects(2), l.get()));
  Collect();
  EXPECT_FALSE(Contains(heap_.GetObjects(0), l.get()));
  EXPECT_TRUE(Contains(heap_.GetObjects(2), l.get()));
  l->items.clear();
}

// Makes objects in every generation and the permanent one.
void SpreadObjects(gc::Heap& heap, std::vector<gc::Ref<Node>>& keep) {
  for (int i = 0; i < 3; ++i) keep.push_back(gc::Make<Node>(i));
  heap.Freeze();
  for (int g = 2; g >= 0; --g) {
    keep.push_back(gc::Make<Node>(g));
    if (g > 0) heap.Collect(g - 1);  // moves it one generation up per call
  }
}

TEST_F(GcIntrospectionTest, GetObjectsIsTheUnionOfAllGenerations) {
  std::vector<gc::Ref<Node>> keep;
  SpreadObjects(heap_, keep);
  EXPECT_EQ(heap_.GetFreezeCount(), 3);
  size_t total = heap_.GetFreezeCount();
  for (int g = 0; g < 3; ++g) {
    EXPECT_FALSE(heap_.GetObjects(g).empty()) << g;
    total += heap_.GetObjects(g).size();
  }
  EXPECT_EQ(heap_.GetObjects().size(), total);
  EXPECT_EQ(total, keep.size());
  heap_.Unfreeze();
}

TEST(GcIntrospectionDeathTest, GetObjectsOfBadGenerationFailsLoudly) {
  gc::Heap heap;
  EXPECT_DEATH(heap.GetObjects(1000), "generation must be 0, 1 or 2; got 1000");
  EXPECT_DEATH(heap.GetObjects(-1000), "got -1000");
}

TEST_F(GcIntrospectionTest,
       FreezeCountsObjectsAndUnfreezeMovesThemToTheOldestGeneration) {
  std::vector<gc::Ref<Node>> keep;
  for (int i = 0; i < 5; ++i) keep.push_back(gc::Make<Node>(i));
  gc::Ref<Leaf> untracked = gc::Make<Leaf>();
  Collect(0);
  heap_.Freeze();
  EXPECT_EQ(heap_.GetFreezeCount(), 5);
  EXPECT_EQ(heap_.GetCount(), (std::array<int64_t, 3>{0, 0, 0}));
  for (int g = 0; g < 3; ++g) EXPECT_TRUE(heap_.GetObjects(g).empty()) << g;
  EXPECT_EQ(heap_.GetObjects().size(), 5u);
  heap_.Unfreeze();
  EXPECT_EQ(heap_.GetFreezeCount(), 0);
  EXPECT_EQ(heap_.GetObjects(2).size(), 5u);
}

TEST_F(GcIntrospectionTest, FreezeHidesObjectsFromCollection) {
  Counters counters;
  MakeRing(3, &counters);
  heap_.Freeze();
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(counters.destroyed, 0);
  heap_.Unfreeze();
  EXPECT_EQ(Collect(), 3);
  EXPECT_EQ(counters.destroyed, 3);
}

TEST_F(GcIntrospectionTest,
       CycleReferencingFrozenObjectIsCollectedAndLeavesItIntact) {
  gc::Ref<List> x = gc::Make<List>();
  x->items = {gc::Make<Node>(1), gc::Make<Node>(2), gc::Make<Node>(3)};
  heap_.Freeze();
  gc::Ref<List> y = gc::Make<List>();
  y->items = {x, y};
  y.reset();
  EXPECT_EQ(Collect(), 1);
  EXPECT_EQ(gc::RefCount(*x), 1);
  EXPECT_EQ(x->items.size(), 3u);
  EXPECT_EQ(heap_.GetFreezeCount(), 4);
  heap_.Unfreeze();
  EXPECT_TRUE(Contains(heap_.GetObjects(2), x.get()));
}

TEST_F(GcIntrospectionTest, CollectWhileEverythingIsFrozenExaminesNothing) {
  std::vector<gc::Ref<Node>> keep;
  for (int i = 0; i < 10; ++i) keep.push_back(gc::Make<Node>(i));
  MakeRing(2);
  int64_t candidates = -1;
  ScopedCallback watch(heap_,
                       [&](gc::Phase phase, const gc::CollectionInfo& info) {
                         if (phase == gc::Phase::kStop) {
                           candidates = info.candidates;
                         }
                       });
  heap_.Freeze();
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(candidates, 0);
  heap_.Unfreeze();
  EXPECT_EQ(Collect(), 2);
  EXPECT_EQ(candidates, 12);
}

TEST_F(GcIntrospectionTest, EveryCallbackSeesStartThenStopWithTheGeneration) {
  struct Visit {
    int callback;
    gc::Phase phase;
    int generation;
  };
  std::vector<Visit> visits;
  auto record = [&](int callback) {
    return
        [&visits, callback](gc::Phase phase, const gc::CollectionInfo& info) {
          visits.push_back({callback, phase, info.generation});
        };
  };
  ScopedCallback cb1(heap_, record(1));
  ScopedCallback cb2(heap_, record(2));
  for (int generation : {2, 0}) {
    visits.clear();
    Collect(generation);
    ASSERT_EQ(visits.size(), 4u);
    const std::vector<std::pair<int, gc::Phase>> expected = {
        {1, gc::Phase::kStart},
        {2, gc::Phase::kStart},
        {1, gc::Phase::kStop},
        {2, gc::Phase::kStop}};
    for (size_t i = 0; i < visits.size(); ++i) {
      EXPECT_EQ(visits[i].callback, expected[i].first) << i;
      EXPECT_EQ(visits[i].phase, expected[i].second) << i;
      EXPECT_EQ(visits[i].generation, generation) << i;
    }
  }
}

}  // namespace
}  // namespace gc_test::cpython
