// Copyright 2026 The cyclegc Authors.
//
// A port of the weak reference scenarios of CPython's Lib/test/test_gc.py:
// weak reference callbacks, finalizers and destructors that look at garbage
// while it is being collected (the bug 1055820 family, bpo-38006, gh-91636,
// gh-132413).
//
// CPython test (test_gc.py) -> C++ test (GcWeakRefTest unless named):
//   GCTests.test_bug1055820b
//     -> WeakRefCallbacksOfCollectedCycleSeeAllReferentsCleared
//   GCTogglingTests.test_bug1055820c
//     -> Bug1055820Test.
//        CallbackOfOldObjectFreedByYoungCollectionSeesYoungGarbageCleared
//   GCTogglingTests.test_bug1055820d
//     -> Bug1055820Test.
//        DestructorOfOldObjectFreedByYoungCollectionSeesYoungGarbageCleared
//   GCTests.test_trash_weakref_clear
//     -> WeakRefCallbackNotCalledForGarbageWeakRef
//   GCTests.test_function_tp_clear_leaves_consistent_state
//     -> WeakRefMadeByFinalizerToGarbageIsClearedBeforeDestructorsRun
//   GCTests.test_datetime_weakref_cycle
//     -> FinalizerSeesWeakRefsToGarbageAlreadyCleared
//   (the deliberate difference below)
//     -> WeakRefCallbackInsideResurrectedObjectStillRuns
//
// A Python `__del__` run by the collector is `Finalize()`; one run by a
// reference count death (test_bug1055820d) is a destructor.
//
// Deliberately different in cyclegc:
// - Weak references to garbage are cleared before finalizers run (PEP 442,
//   CPython up to 3.13). CPython 3.14 clears weak references without a
//   callback only after the finalizers, so that test_datetime_weakref_cycle's
//   finalizer still reaches the garbage through one; here it finds it
//   expired.
// - A weak reference callback that lives inside a resurrected garbage object
//   still runs: cyclegc cancels callbacks by destroying the WeakRef with its
//   garbage owner, and a resurrected owner is not destroyed. CPython drops
//   the callbacks of weak references that are garbage, resurrected or not.

#include <functional>
#include <utility>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/cpython/cpython_types.h"
#include "tests/test_types.h"

namespace gc_test::cpython {
namespace {

using GcWeakRefTest = ProbeTest;

TEST_F(GcWeakRefTest, WeakRefCallbacksOfCollectedCycleSeeAllReferentsCleared) {
  std::vector<gc::Ref<Node>> cs = {MakeSelfLoop(0), MakeSelfLoop(1)};
  std::vector<gc::Ref<Node>> ouch;
  int calls = 0;
  std::vector<gc::WeakRef<Node>> wrs;
  wrs.reserve(cs.size());  // callbacks capture `wrs`: no reallocation
  for (const gc::Ref<Node>& c : cs) {
    wrs.emplace_back(c, [&](const gc::WeakRef<Node>&) {
      ++calls;
      ouch.clear();
      for (const gc::WeakRef<Node>& wr : wrs) ouch.push_back(wr.Lock());
    });
  }
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(calls, 0);
  // The bug was that a callback materialized a strong reference to an
  // instance that the collector then cleared anyway.
  cs.clear();
  EXPECT_EQ(Collect(), 2);
  EXPECT_EQ(calls, 2);
  ASSERT_EQ(ouch.size(), 2u);
  for (const gc::Ref<Node>& x : ouch) EXPECT_EQ(x, nullptr);
  ouch.clear();
}

// Shared by the two bug 1055820 scenarios below: c0 is old (generation 2)
// and kept alive only by c1, a young self-loop; c2 is another young
// self-loop with a callback-free weak reference. All three are garbage, but
// a young collection examines c1 and c2 only; breaking c1 frees c0, whose
// death runs user code that looks at c2.
class Bug1055820Test : public GcWeakRefTest {
 protected:
  // Lets the young collection happen "naturally": allocate until it does.
  void AllocateJunkUntilCollected() {
    GcDetector detector;
    std::vector<gc::Ref<gc::Object>> junk;
    AllocateUntilCollected(detector, 10000, junk,
                           [&] { EXPECT_TRUE(ouch_.empty()); });
    ASSERT_TRUE(detector.happened()) << "no collection in 10000 allocations";
    EXPECT_EQ(heap_.GetStats()[2].collections, 1);  // only the one by hand
  }

  gc::WeakRef<Node> c2wr_;
  std::vector<gc::Ref<Node>> ouch_;
};

TEST_F(Bug1055820Test,
       CallbackOfOldObjectFreedByYoungCollectionSeesYoungGarbageCleared) {
  gc::Ref<Node> c0 = MakeSelfLoop(0);
  Collect();  // c0 is in generation 2
  gc::Ref<Node> c1 = MakeSelfLoop(1);
  c1->children.push_back(c0);
  c0->parent.reset();  // now only c1 keeps c0 alive
  gc::Ref<Node> c2 = MakeSelfLoop(2);
  c2wr_ = c2;  // no callback
  int calls = 0;
  gc::WeakRef<Node> c0wr(c0, [&](const gc::WeakRef<Node>&) {
    ++calls;
    ouch_ = {c2wr_.Lock()};
  });
  c0.reset();
  c1.reset();
  c2.reset();
  AllocateJunkUntilCollected();
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(ouch_.size(), 1u);
  EXPECT_EQ(ouch_[0], nullptr);  // c2 was not resurrected half-cleared
  ouch_.clear();
}

// A self-loop whose destructor runs a hook (a `__del__` on refcount death).
class D : public Node {
 public:
  explicit D(std::function<void()> on_death) : on_death_(std::move(on_death)) {}
  ~D() override { on_death_(); }

 private:
  std::function<void()> on_death_;
};

TEST_F(Bug1055820Test,
       DestructorOfOldObjectFreedByYoungCollectionSeesYoungGarbageCleared) {
  ASSERT_TRUE(heap_.SetThreshold(1000, 0, 0).ok());
  gc::Ref<Node> d0 = gc::Make<D>([this] { ouch_ = {c2wr_.Lock()}; });
  d0->parent = d0;
  Collect();  // d0 is in generation 2
  gc::Ref<Node> c1 = MakeSelfLoop(1);
  c1->children.push_back(d0);
  d0->parent.reset();  // now only c1 keeps d0 alive
  gc::Ref<Node> c2 = MakeSelfLoop(2);
  c2wr_ = c2;
  d0.reset();
  c1.reset();
  c2.reset();
  AllocateJunkUntilCollected();
  ASSERT_EQ(ouch_.size(), 1u);  // else the destructor did not run
  EXPECT_EQ(ouch_[0], nullptr);
  ouch_.clear();
}

// test_trash_weakref_clear (bpo-38006):
//
//   Z <- Y <- A--+--> W: weak ref to Z, with a callback
//             ^  |
//             +--+
//
// Y is untracked (no Trace), so the collector cannot see that Z is garbage;
// A and W (in a cycle of its own) are. Z dies when breaking A frees Y; W's
// callback must not run, since W is garbage.
class Hider : public gc::Object {  // ContainerNoGC
 public:
  gc::Ref<gc::Object> value;
};

class WeakHolder : public gc::Object {
 public:
  explicit WeakHolder(Counters* c) : counters(c) {}
  ~WeakHolder() override { ++counters->destroyed; }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(self); }
  gc::Ref<WeakHolder> self;
  gc::WeakRef<Node> wz;
  Counters* counters;
};

TEST_F(GcWeakRefTest, WeakRefCallbackNotCalledForGarbageWeakRef) {
  Counters counters;
  int calls = 0;
  {
    gc::Ref<List> a = gc::Make<List>(&counters);
    gc::Ref<Hider> y = gc::Make<Hider>();
    gc::Ref<Node> z = gc::Make<Node>(0, &counters);
    y->value = z;
    gc::Ref<WeakHolder> w = gc::Make<WeakHolder>(&counters);
    w->self = w;  // keeps W alive longer: a cycle of its own
    w->wz = gc::WeakRef<Node>(z, [&](const gc::WeakRef<Node>&) { ++calls; });
    a->items = {a, y, w};
  }
  EXPECT_EQ(Collect(), 2);  // A and W; Z dies by reference counting
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(counters.destroyed, 3);  // A, Z and W
}

// gh-91636: LateFin's destructor reaches `func` through a weak reference
// that Cyclic's finalizer made while `func` was already garbage.
class LateFin : public gc::Object {
 public:
  explicit LateFin(gc::Ref<gc::Object>* func) : func_(func) {}
  ~LateFin() override { *func_ = ref.Lock(); }
  gc::WeakRef<gc::Object> ref;

 private:
  gc::Ref<gc::Object>* func_;
};

class Cyclic : public gc::Object {
 public:
  Cyclic(gc::Ref<gc::Object> func, gc::Ref<LateFin> latefin,
         gc::Ref<LateFin>* global_latefin)
      : func(std::move(func)),
        latefin(std::move(latefin)),
        global_latefin_(global_latefin) {}
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(func);
    visitor.Visit(latefin);
  }
  void Finalize() override {
    latefin->ref = func;       // a weak reference to garbage, made late
    global_latefin_->reset();  // only this object keeps latefin now
  }
  gc::Ref<gc::Object> func;
  gc::Ref<LateFin> latefin;

 private:
  gc::Ref<LateFin>* global_latefin_;
};

TEST_F(GcWeakRefTest,
       WeakRefMadeByFinalizerToGarbageIsClearedBeforeDestructorsRun) {
  Counters counters;
  gc::Ref<gc::Object> func_seen;
  gc::Ref<LateFin> latefin = gc::Make<LateFin>(&func_seen);
  {
    gc::Ref<Link> func = gc::Make<Link>(&counters);
    func->next = gc::Make<Cyclic>(func, latefin, &latefin);
  }
  EXPECT_EQ(Collect(), 2);
  EXPECT_FALSE(latefin);
  EXPECT_EQ(func_seen, nullptr);  // the weak reference was cleared
  EXPECT_EQ(counters.destroyed, 1);
}

// l = [C()]; l.append(l), where C's finalizer reaches l weakly.
class WeakUser : public Probe {
 public:
  WeakUser(Log* log, bool* saw_target) : Probe(log, 0), saw_(saw_target) {}
  void Trace(gc::Visitor&) override {}  // tracked, no strong edges
  void Finalize() override {
    Probe::Finalize();
    *saw_ = !target.expired();
  }
  gc::WeakRef<gc::Object> target;

 private:
  bool* saw_;
};

TEST_F(GcWeakRefTest, FinalizerSeesWeakRefsToGarbageAlreadyCleared) {
  bool saw_target = true;
  {
    gc::Ref<WeakUser> c = gc::Make<WeakUser>(&log_, &saw_target);
    gc::Ref<List> l = gc::Make<List>();
    l->items = {c, l};
    c->target = l;
  }
  EXPECT_EQ(Collect(), 2);
  EXPECT_EQ(log_.finalized, std::vector<int>{0});  // "__del__ called"
  EXPECT_FALSE(saw_target);  // CPython 3.14 would still reach l
}

TEST_F(GcWeakRefTest, WeakRefCallbackInsideResurrectedObjectStillRuns) {
  class Watcher : public SelfCycle {
   public:
    using SelfCycle::SelfCycle;
    gc::WeakRef<Node> watch;
  };
  int calls = 0;
  {
    gc::Ref<Watcher> a = gc::Make<Watcher>(&log_, 0, Effect::kResurrect);
    a->ref = a;
    a->watch = gc::WeakRef<Node>(MakeSelfLoop(1),
                                 [&](const gc::WeakRef<Node>&) { ++calls; });
  }
  EXPECT_EQ(Collect(), 1);  // the self-loop; the watcher is resurrected
  EXPECT_EQ(log_.survivors.size(), 1u);
  EXPECT_EQ(calls, 1);  // CPython: 0, the weak reference was garbage
  log_.survivors.clear();
  EXPECT_EQ(Collect(), 1);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace gc_test::cpython
