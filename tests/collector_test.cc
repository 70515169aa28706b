// Copyright 2026 The cyclegc Authors.
//
// Trial deletion: which objects the collector frees, which it keeps, and how
// it copes with a Trace that misreports its edges.

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

using CollectorTest = HeapTest;

TEST_F(CollectorTest, SelfCycleIsCollected) {
  Counters counters;
  gc::Ref<Node> a = gc::Make<Node>(1, &counters);
  a->parent = a;
  a.reset();
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(Collect(), 1);
  EXPECT_EQ(counters.destroyed, 1);
}

TEST_F(CollectorTest, TwoAndThreeObjectCyclesAreCollected) {
  Counters counters;
  gc::Ref<Link> two = MakeRing(2, &counters);
  gc::Ref<Link> three = MakeRing(3, &counters);
  two.reset();
  three.reset();
  EXPECT_EQ(Collect(), 5);
  EXPECT_EQ(counters.destroyed, 5);
  EXPECT_EQ(Collect(), 0);
}

TEST_F(CollectorTest, ParentChildTreeIsCollected) {
  Counters counters;
  gc::Ref<Node> root = gc::Make<Node>(0, &counters);
  for (int i = 0; i < 10; ++i) {
    gc::Ref<Node> child = gc::Make<Node>(i, &counters);
    child->parent = root;
    for (int j = 0; j < 3; ++j) {
      gc::Ref<Node> leaf = gc::Make<Node>(j, &counters);
      leaf->parent = child;
      child->children.push_back(leaf);
    }
    root->children.push_back(child);
  }
  root.reset();
  EXPECT_EQ(Collect(), 41);
  EXPECT_EQ(counters.destroyed, 41);
}

TEST_F(CollectorTest, CycleReachableFromExternalRefSurvives) {
  Counters counters;
  gc::Ref<Link> ring = MakeRing(4, &counters);
  gc::Ref<gc::Object> external = ring->next;  // second ring member
  ring.reset();
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(counters.destroyed, 0);
  external.reset();
  EXPECT_EQ(Collect(), 4);
  EXPECT_EQ(counters.destroyed, 4);
}

// The mark pass meets the cycle (made first) before the holder that keeps it
// alive (made last, the only object referenced from outside): the cycle is
// noted as tentatively unreachable, then reached, and must survive.
TEST_F(CollectorTest, CycleReachedLaterInListOrderSurvives) {
  Counters counters;
  gc::Ref<Link> ring = MakeRing(50, &counters);
  gc::Ref<Link> holder = gc::Make<Link>(&counters);
  holder->next = ring;
  ring.reset();
  EXPECT_EQ(Collect(0), 0);
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(Collect(), 0);
  holder.reset();  // acyclic: the holder dies, the ring is garbage
  EXPECT_EQ(counters.destroyed, 1);
  EXPECT_EQ(Collect(), 50);
  EXPECT_EQ(counters.destroyed, 51);
}

TEST_F(CollectorTest, CycleHeldByUntrackedObjectSurvives) {
  class Holder : public gc::Object {  // untracked: its Ref is external
   public:
    gc::Ref<Link> held;
  };
  Counters counters;
  gc::Ref<Holder> holder = gc::Make<Holder>();
  holder->held = MakeRing(3, &counters);
  EXPECT_EQ(Collect(), 0);
  holder.reset();  // the ring is now garbage
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(Collect(), 3);
  EXPECT_EQ(counters.destroyed, 3);
}

TEST_F(CollectorTest, GarbageReachableFromCycleIsFreedToo) {
  Counters counters;
  gc::Ref<Node> a = gc::Make<Node>(1, &counters);
  a->parent = a;
  gc::Ref<Leaf> leaf = gc::Make<Leaf>(&counters);
  class LeafHolder : public gc::Object {
   public:
    void Trace(gc::Visitor& visitor) override { visitor.Visit(leaf); }
    gc::Ref<Leaf> leaf;
  };
  gc::Ref<LeafHolder> holder = gc::Make<LeafHolder>();
  holder->leaf = leaf;
  a->children.push_back(gc::Make<Node>(2, &counters));
  leaf.reset();
  holder.reset();  // acyclic: freed at once with its leaf
  EXPECT_EQ(counters.destroyed, 1);
  a.reset();
  EXPECT_EQ(Collect(), 2);  // a and the child only it references
  EXPECT_EQ(counters.destroyed, 3);
}

TEST_F(CollectorTest, OldObjectKeepsYoungCycleAliveInYoungCollection) {
  Counters counters;
  gc::Ref<Node> old = gc::Make<Node>(0, &counters);
  Collect();  // old is in generation 2 now
  gc::Ref<Link> ring = MakeRing(3, &counters);
  old->children.push_back(gc::Make<Node>(1, &counters));
  ring.reset();
  // The young child is referenced from the old generation only.
  EXPECT_EQ(Collect(0), 3);  // the ring goes; the child survives
  EXPECT_EQ(counters.destroyed, 3);
  EXPECT_EQ(heap_.GetObjects(1).size(), 1u);
}

TEST_F(CollectorTest, YoungCycleWithOldMemberWaitsForOlderCollection) {
  Counters counters;
  gc::Ref<Link> a = gc::Make<Link>(&counters);
  Collect();  // a is old
  gc::Ref<Link> b = gc::Make<Link>(&counters);
  a->next = b;
  b->next = a;
  a.reset();
  b.reset();
  EXPECT_EQ(Collect(0), 0);  // b is referenced from the old a
  EXPECT_EQ(Collect(1), 0);  // still: a is in generation 2
  EXPECT_EQ(Collect(2), 2);
  EXPECT_EQ(counters.destroyed, 2);
}

TEST_F(CollectorTest, DestructorSeesNullReferencesOfBrokenCycle) {
  class Observer : public gc::Object {
   public:
    explicit Observer(std::vector<bool>* seen) : seen(seen) {}
    ~Observer() override { seen->push_back(next == nullptr); }
    void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
    gc::Ref<Observer> next;
    std::vector<bool>* seen;
  };
  std::vector<bool> seen;
  gc::Ref<Observer> a = gc::Make<Observer>(&seen);
  gc::Ref<Observer> b = gc::Make<Observer>(&seen);
  a->next = b;
  b->next = a;
  a.reset();
  b.reset();
  EXPECT_EQ(Collect(), 2);
  // The sweep resets every reference of the garbage before it destroys any
  // of it: both destructors see null.
  EXPECT_EQ(seen, (std::vector<bool>{true, true}));
}

// Garbage broken in place is destroyed in list order, which is the order
// it was made in: its memory goes back while it is still in cache, in the
// order the next allocations reuse it.
TEST_F(CollectorTest, GarbageIsDestroyedInTheOrderItWasMade) {
  class Numbered : public gc::Object {
   public:
    Numbered(int id, std::vector<int>* order) : id(id), order(order) {}
    ~Numbered() override { order->push_back(id); }
    void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
    int id;
    std::vector<int>* order;
    gc::Ref<Numbered> next;
  };
  std::vector<int> order;
  {
    // Each node references the one made before it; the first, the last.
    gc::Ref<Numbered> first = gc::Make<Numbered>(0, &order);
    gc::Ref<Numbered> last = first;
    for (int i = 1; i < 6; ++i) {
      gc::Ref<Numbered> node = gc::Make<Numbered>(i, &order);
      node->next = last;
      last = node;
    }
    first->next = last;
  }
  EXPECT_EQ(Collect(), 6);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

// A ring node whose Trace throws once nothing references it any more: when
// the collector resets the references of a garbage ring, the node's
// predecessor has been reset first, so its own reset fails and its reference
// to the next node stays.
class ThrowsWhenOrphaned : public gc::Object {
 public:
  ThrowsWhenOrphaned(Counters* c, bool throws) : counters(c), throws(throws) {}
  ~ThrowsWhenOrphaned() override { ++counters->destroyed; }
  void Trace(gc::Visitor& visitor) override {
    if (throws && gc::RefCount(*this) == 0) {
      throw std::runtime_error("orphaned trace");
    }
    visitor.Visit(next);
  }
  Counters* counters;
  bool throws;
  gc::Ref<ThrowsWhenOrphaned> next;
};

// Garbage rings of ThrowsWhenOrphaned nodes.
class CollectorSweepTest : public HeapTest {
 protected:
  // Collects a garbage ring of `n` nodes in which node `thrower` throws as
  // above, and checks that every node is destroyed exactly once.
  void CollectRingWithThrower(int n, int thrower) {
    Counters counters;
    {
      std::vector<gc::Ref<ThrowsWhenOrphaned>> nodes;
      for (int i = 0; i < n; ++i) {
        nodes.push_back(gc::Make<ThrowsWhenOrphaned>(&counters, i == thrower));
      }
      for (int i = 0; i < n; ++i) nodes[i]->next = nodes[(i + 1) % n];
    }
    EXPECT_EQ(Collect(), n);
    EXPECT_EQ(counters.destroyed, n);
    EXPECT_TRUE(errors_.Contains("orphaned trace"));
    EXPECT_EQ(heap_.LiveObjects(), 0);
  }
};

// The node after the thrower outlives the resets, and dies only when the
// thrower is destroyed, before its own turn to be destroyed comes: it is
// destroyed once, in its turn.
TEST_F(CollectorSweepTest, GarbageDyingLateBeforeItsTurnIsDestroyedOnce) {
  CollectRingWithThrower(4, /*thrower=*/1);
}

// Here the node kept alive by the thrower comes first: at its turn it is
// alive, so it stays a survivor, and it dies after its turn, when the thrower
// is destroyed. It is destroyed once, by the end of the collection.
TEST_F(CollectorSweepTest, GarbageDyingLateAfterItsTurnIsDestroyedOnce) {
  CollectRingWithThrower(2, /*thrower=*/1);
}

TEST_F(CollectorTest, CollectedObjectsLeaveTheGenerations) {
  gc::Ref<Link> ring = MakeRing(10);
  ring.reset();
  EXPECT_EQ(heap_.GetObjects().size(), 10u);
  Collect(0);
  EXPECT_TRUE(heap_.GetObjects().empty());
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

TEST_F(CollectorTest, UntrackedObjectsAreNeverCandidates) {
  std::vector<gc::Ref<Leaf>> leaves;
  for (int i = 0; i < 100; ++i) leaves.push_back(gc::Make<Leaf>());
  gc::Ref<Node> node = gc::Make<Node>();
  Collect();
  EXPECT_EQ(heap_.GetStats()[2].candidates, 1);
}

// A Trace that throws: the collection keeps everything and says why.
class ThrowingTrace : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(next);
    if (armed) throw std::runtime_error("trace failed");
  }
  gc::Ref<ThrowingTrace> next;
  bool armed = true;
};

TEST_F(CollectorTest, ThrowingTraceKeepsEverythingAndIsReported) {
  Counters counters;
  gc::Ref<Link> ring = MakeRing(3, &counters);
  gc::Ref<ThrowingTrace> bad = gc::Make<ThrowingTrace>();
  bad->next = bad;
  ThrowingTrace* raw = bad.get();
  ring.reset();
  bad.reset();
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_TRUE(errors_.Contains("trace failed"));
  EXPECT_EQ(heap_.GetObjects().size(), 4u);
  raw->armed = false;  // fixed: now everything goes
  EXPECT_EQ(Collect(), 4);
  EXPECT_EQ(counters.destroyed, 3);
}

// A Trace that reports an edge three times over-counts internal references.
// The object it over-counts is referenced from outside: it must survive.
class OverVisit : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    for (int i = 0; i < 3; ++i) visitor.Visit(next);
    visitor.Visit(self);
  }
  gc::Ref<gc::Object> next;
  gc::Ref<OverVisit> self;
};

TEST_F(CollectorTest, OvercountingTraceNeverFreesLiveObject) {
  Counters counters;
  gc::Ref<Link> target = gc::Make<Link>(&counters);  // external reference
  gc::Ref<OverVisit> liar = gc::Make<OverVisit>();
  liar->next = target;
  liar->self = liar;
  liar.reset();  // liar is garbage; target has refcount 2 and 3 "edges"
  EXPECT_EQ(Collect(), 1);
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(gc::RefCount(*target), 1);
  EXPECT_TRUE(errors_.Contains("report more references to <gc_test::Link"));
}

// Trace reporting fewer edges than held: objects leak until the hidden edge
// goes, but nothing live is freed.
class HiddenEdge : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override { visitor.Visit(shown); }
  gc::Ref<gc::Object> shown;
  gc::Ref<gc::Object> hidden;
};

TEST_F(CollectorTest, UndercountingTraceLeaksButFreesNothingLive) {
  Counters counters;
  gc::Ref<HiddenEdge> a = gc::Make<HiddenEdge>();
  gc::Ref<Link> b = gc::Make<Link>(&counters);
  a->hidden = b;
  b->next = a;
  a.reset();
  b.reset();
  EXPECT_EQ(Collect(), 0);  // b looks externally referenced
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(heap_.LiveObjects(), 2);
  // Break the cycle by hand so the fixture's leak check holds.
  std::vector<gc::Ref<gc::Object>> all = heap_.GetObjects();
  for (auto& object : all) {
    if (auto edge = gc::DynamicRefCast<HiddenEdge>(object))
      edge->hidden.reset();
  }
}

TEST_F(CollectorTest, TenMillionNodeCycleIsCollected) {
  constexpr int kLength = 10'000'000;
  heap_.Disable();
  heap_.SetDebug(0);  // scale, not invariants: the verifier is linear too
  Counters counters;
  gc::Ref<Link> ring = MakeRing(kLength, &counters);
  EXPECT_EQ(Collect(), 0);
  ring.reset();
  EXPECT_EQ(Collect(), kLength);
  EXPECT_EQ(counters.destroyed, kLength);
}

TEST_F(CollectorTest, TenMillionNodeLiveChainSurvivesFullCollection) {
  constexpr int kLength = 10'000'000;
  heap_.Disable();
  heap_.SetDebug(0);  // scale, not invariants: the verifier is linear too
  gc::Ref<Link> ring = MakeRing(kLength);
  gc::Ref<gc::Object> second = ring->next;
  ring.reset();
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(heap_.LiveObjects(), kLength);
  second.reset();
  EXPECT_EQ(Collect(), kLength);
}

// More candidates than fit in the caches: the mark pass leaves the reached
// objects ahead of its scan to the scan, and goes depth first once it meets
// mostly unreached ones. In list order: a tree linked in allocation order
// (and objects of it reached only from later ones), garbage 2-cycles that
// point into the tree, then objects reached only from the tree. Exactly the
// garbage is freed.
TEST_F(CollectorTest, LargeHeapFreesExactlyTheGarbageWhateverTheLinkOrder) {
  constexpr int kTree = 30000;
  constexpr int kCycles = 20000;  // 40,000 garbage objects
  constexpr int kLate = 5000;
  heap_.Disable();
  heap_.SetDebug(0);  // scale, not invariants: the verifier is linear too
  Counters live;
  Counters dead;
  std::vector<Node*> tree;  // not held: only the root is
  gc::Ref<Node> root = gc::Make<Node>(0, &live);
  tree.push_back(root.get());
  std::vector<Node*> orphans;  // made in the tree's part, reached later
  for (int i = 1; i < kTree; ++i) {
    gc::Ref<Node> child = gc::Make<Node>(i, &live);
    if (i % 100 == 0) {
      // Referenced only by a late object; its own child only by it.
      gc::Ref<Node> grandchild = gc::Make<Node>(-i, &live);
      grandchild->parent = child;
      child->children.push_back(std::move(grandchild));
      orphans.push_back(child.get());
      orphans.back()->children.push_back(gc::Make<Node>(i, &live));
      continue;
    }
    Node* parent = tree[static_cast<size_t>(i - 1) / 4 % tree.size()];
    child->parent = gc::Ref<Node>(parent);
    tree.push_back(child.get());
    parent->children.push_back(std::move(child));
  }
  for (int i = 0; i < kCycles; ++i) {
    gc::Ref<Node> a = gc::Make<Node>(i, &dead);
    gc::Ref<Node> b = gc::Make<Node>(i, &dead);
    a->parent = b;
    b->parent = a;
    a->children.push_back(gc::Ref<Node>(tree[static_cast<size_t>(i) %
                                            tree.size()]));
  }
  for (int i = 0; i < kLate; ++i) {
    gc::Ref<Node> late = gc::Make<Node>(i, &live);
    late->parent = gc::Ref<Node>(tree[static_cast<size_t>(i) * 7 %
                                      tree.size()]);
    if (static_cast<size_t>(i) < orphans.size()) {
      late->children.push_back(gc::Ref<Node>(orphans[static_cast<size_t>(i)]));
    }
    tree[static_cast<size_t>(i) * 5 % tree.size()]->children.push_back(
        std::move(late));
  }
  const int64_t live_objects = heap_.LiveObjects() - 2 * kCycles;
  EXPECT_EQ(Collect(), 2 * kCycles);
  EXPECT_EQ(dead.destroyed, 2 * kCycles);
  EXPECT_EQ(live.destroyed, 0);
  EXPECT_EQ(heap_.LiveObjects(), live_objects);
  EXPECT_EQ(Collect(), 0);  // the survivors, now in one old generation
  EXPECT_EQ(live.destroyed, 0);
  root.reset();
  EXPECT_EQ(Collect(), live_objects);
  EXPECT_EQ(live.destroyed, live_objects);
}

}  // namespace
}  // namespace gc_test
