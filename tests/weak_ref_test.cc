// Copyright 2026 The cyclegc Authors.
//
// Weak references: expiry by refcount and by the collector, re-pointing,
// callbacks and their ordering, copies and moves.

#include <string>
#include <utility>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

using WeakRefTest = HeapTest;

TEST_F(WeakRefTest, DoesNotKeepReferentAlive) {
  Counters counters;
  gc::Ref<Node> c = gc::Make<Node>(1, &counters);
  gc::WeakRef<Node> w = c;
  EXPECT_EQ(gc::RefCount(*c), 1);
  EXPECT_FALSE(w.expired());
  EXPECT_EQ(w.Lock(), c);
  c.reset();
  EXPECT_EQ(counters.destroyed, 1);
  EXPECT_TRUE(w.expired());
  EXPECT_EQ(w.Lock(), nullptr);
}

TEST_F(WeakRefTest, EmptyIsExpiredFromTheStart) {
  gc::WeakRef<Node> empty;
  EXPECT_TRUE(empty.expired());
  EXPECT_FALSE(empty.Lock());
  gc::WeakRef<Node> from_null = gc::Ref<Node>();
  EXPECT_TRUE(from_null.expired());
}

TEST_F(WeakRefTest, ClearedWhenCycleCollected) {
  gc::Ref<Link> ring = MakeRing(3);
  gc::WeakRef<Link> w = ring;
  gc::WeakRef<gc::Object> w2 = ring->next;
  ring.reset();
  EXPECT_FALSE(w.expired());
  EXPECT_EQ(Collect(), 3);
  EXPECT_TRUE(w.expired());
  EXPECT_TRUE(w2.expired());
}

TEST_F(WeakRefTest, RepointsAtAnotherObject) {
  gc::Ref<Node> a = gc::Make<Node>(1);
  gc::Ref<Node> b = gc::Make<Node>(2);
  gc::WeakRef<Node> w = a;
  w = b;
  a.reset();
  EXPECT_EQ(w.Lock(), b);
  w = nullptr;
  EXPECT_TRUE(w.expired());
  w = b;
  b.reset();
  EXPECT_TRUE(w.expired());
}

TEST_F(WeakRefTest, UpcastWeakRef) {
  gc::Ref<Node> a = gc::Make<Node>(1);
  gc::WeakRef<gc::Object> w = a;
  EXPECT_EQ(w.Lock(), a);
}

TEST_F(WeakRefTest, CopiesAndMovesFollowTheReferent) {
  gc::Ref<Node> a = gc::Make<Node>(1);
  gc::WeakRef<Node> w = a;
  gc::WeakRef<Node> copy = w;
  gc::WeakRef<Node> moved = std::move(w);
  EXPECT_TRUE(w.expired());  // NOLINT: moved-from is expired
  std::vector<gc::WeakRef<Node>> many(100, copy);
  a.reset();
  EXPECT_TRUE(copy.expired());
  EXPECT_TRUE(moved.expired());
  for (const auto& weak : many) EXPECT_TRUE(weak.expired());
}

TEST_F(WeakRefTest, ManyWeakRefsDestroyedInAnyOrder) {
  gc::Ref<Node> a = gc::Make<Node>(1);
  std::vector<std::unique_ptr<gc::WeakRef<Node>>> weaks;
  for (int i = 0; i < 10; ++i) {
    weaks.push_back(std::make_unique<gc::WeakRef<Node>>(a));
  }
  weaks.erase(weaks.begin() + 5);
  weaks.erase(weaks.begin());
  weaks.pop_back();
  a.reset();
  for (const auto& weak : weaks) EXPECT_TRUE(weak->expired());
}

TEST_F(WeakRefTest, CallbackRunsOnceAfterReferentDied) {
  Counters counters;
  gc::Ref<Node> c = gc::Make<Node>(1, &counters);
  int calls = 0;
  gc::WeakRef<Node> watched(c, [&](const gc::WeakRef<Node>& self) {
    ++calls;
    EXPECT_EQ(counters.destroyed, 1);
    EXPECT_FALSE(self.Lock());
    EXPECT_EQ(&self, &watched);
  });
  c.reset();
  EXPECT_EQ(calls, 1);
  gc::Ref<Node> d = gc::Make<Node>(2);
  watched = d;  // one-shot: no callback for the new referent
  d.reset();
  EXPECT_EQ(calls, 1);
}

TEST_F(WeakRefTest, CallbackRunsAfterCollectorClearedGarbage) {
  Counters counters;
  gc::Ref<Link> ring = MakeRing(2, &counters);
  int calls = 0;
  gc::WeakRef<Link> watched(ring, [&](const gc::WeakRef<Link>&) {
    ++calls;
    EXPECT_EQ(counters.destroyed, 2);  // after all garbage is destroyed
    EXPECT_TRUE(heap_.IsCollecting());
  });
  ring.reset();
  EXPECT_EQ(Collect(), 2);
  EXPECT_EQ(calls, 1);
}

TEST_F(WeakRefTest, CallbackSeesOtherWeakRefsToSameGarbageCleared) {
  gc::Ref<Link> ring = MakeRing(2);
  gc::WeakRef<Link> other = ring;
  gc::WeakRef<gc::Object> other_member = ring->next;
  bool saw_cleared = false;
  gc::WeakRef<Link> watched(ring, [&](const gc::WeakRef<Link>&) {
    saw_cleared = other.expired() && other_member.expired();
  });
  ring.reset();
  Collect();
  EXPECT_TRUE(saw_cleared);
}

TEST_F(WeakRefTest, DestroyedWeakRefNeverRunsItsCallback) {
  gc::Ref<Node> c = gc::Make<Node>(1);
  int calls = 0;
  {
    gc::WeakRef<Node> watched(c, [&](const gc::WeakRef<Node>&) { ++calls; });
  }
  c.reset();
  EXPECT_EQ(calls, 0);
}

// A weak reference held by garbage is destroyed with it: its callback never
// runs, even though its referent is garbage too.
class Watcher : public gc::Object {
 public:
  explicit Watcher(int* calls) : calls(calls) {}
  void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
  gc::Ref<Watcher> next;
  gc::WeakRef<Watcher> watch;
  int* calls;
};

TEST_F(WeakRefTest, WeakRefThatIsGarbageNeverRunsCallback) {
  int calls = 0;
  gc::Ref<Watcher> a = gc::Make<Watcher>(&calls);
  gc::Ref<Watcher> b = gc::Make<Watcher>(&calls);
  a->next = b;
  b->next = a;
  int* counter = &calls;
  a->watch = gc::WeakRef<Watcher>(
      b, [counter](const gc::WeakRef<Watcher>&) { ++*counter; });
  gc::WeakRef<Watcher> outside(
      b, [counter](const gc::WeakRef<Watcher>&) { *counter += 100; });
  a.reset();
  b.reset();
  EXPECT_EQ(Collect(), 2);
  EXPECT_EQ(calls, 100);  // only the weak reference outside the garbage
}

TEST_F(WeakRefTest, MovedWeakRefTakesItsCallbackAlong) {
  gc::Ref<Node> c = gc::Make<Node>(1);
  int calls = 0;
  gc::WeakRef<Node> first(c, [&](const gc::WeakRef<Node>&) { ++calls; });
  gc::WeakRef<Node> copy = first;  // copies do not inherit the callback
  gc::WeakRef<Node> second = std::move(first);
  c.reset();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(copy.expired());
}

TEST_F(WeakRefTest, ThrowingCallbackIsReported) {
  gc::Ref<Node> c = gc::Make<Node>(1);
  int later = 0;
  gc::WeakRef<Node> bad(c, [](const gc::WeakRef<Node>&) {
    throw std::runtime_error("weak callback broke");
  });
  gc::WeakRef<Node> good(c, [&](const gc::WeakRef<Node>&) { ++later; });
  c.reset();
  EXPECT_EQ(later, 1);
  EXPECT_TRUE(errors_.Contains("weak callback broke"));
}

TEST_F(WeakRefTest, CallbackMayAllocateAndDropReferences) {
  gc::Ref<Node> c = gc::Make<Node>(1);
  gc::Ref<Node> made;
  Counters counters;
  gc::Ref<Node> dropped = gc::Make<Node>(3, &counters);
  gc::WeakRef<Node> watched(c, [&](const gc::WeakRef<Node>&) {
    made = gc::Make<Node>(2);
    dropped.reset();
    gc::WeakRef<Node> fresh = made;
    EXPECT_EQ(fresh.Lock(), made);
  });
  c.reset();
  ASSERT_TRUE(made);
  EXPECT_EQ(counters.destroyed, 1);
}

TEST_F(WeakRefTest, WeakParentsLeaveNoGarbage) {
  class Child;
  class Parent : public gc::Object {
   public:
    void Trace(gc::Visitor& visitor) override {
      for (auto& child : children) visitor.Visit(child);
    }
    std::vector<gc::Ref<gc::Object>> children;
  };
  class WeakChild : public gc::Object {
   public:
    void Trace(gc::Visitor&) override {}
    gc::WeakRef<Parent> parent;
  };
  Counters counters;
  for (int i = 0; i < 100; ++i) {
    gc::Ref<Parent> parent = gc::Make<Parent>();
    for (int j = 0; j < 5; ++j) {
      gc::Ref<WeakChild> child = gc::Make<WeakChild>();
      child->parent = parent;
      parent->children.push_back(child);
    }
  }
  EXPECT_EQ(heap_.LiveObjects(), 0);  // all freed by reference counting
  EXPECT_EQ(Collect(), 0);
}

}  // namespace
}  // namespace gc_test
