// Copyright 2026 The cyclegc Authors.
//
// User code that misbehaves inside the collector: destructors, finalizers,
// weak reference callbacks and collection callbacks that allocate, drop
// references, use weak references, collect, or throw. Each must leave the
// heap consistent (the fixture's verifier is on), free nothing twice and
// leak nothing.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

// Where user code runs.
enum class Hook { kDestructor, kFinalizer, kWeakCallback, kCollectionCallback };
// What it does there.
enum class Action {
  kAllocateCycle,  // makes a fresh garbage cycle
  kDropReference,  // drops the last reference to another object
  kWeakRefs,       // makes a weak reference to a live object and locks it
  kCollect,        // calls Collect()
  kThrow,          // throws (not from destructors)
};

// Test-name parts, indexed by the enums above.
constexpr const char* kHookNames[] = {"Destructor", "Finalizer", "WeakCallback",
                                      "CollectionCallback"};
constexpr const char* kActionNames[] = {"AllocatesCycle", "DropsReference",
                                        "UsesWeakRefs", "Collects", "Throws"};
std::string Name(Hook hook) { return kHookNames[static_cast<int>(hook)]; }
std::string Name(Action action) {
  return kActionNames[static_cast<int>(action)];
}

// A garbage-cycle member that runs `hook_action` in its destructor or
// finalizer.
class Actor : public gc::Object {
 public:
  explicit Actor(std::function<void()>* action, bool in_destructor,
                 Counters* counters)
      : action_(action), in_destructor_(in_destructor), counters_(counters) {}
  ~Actor() override {
    ++counters_->destroyed;
    if (in_destructor_) (*action_)();
  }
  void Finalize() override {
    ++counters_->finalized;
    if (!in_destructor_) (*action_)();
  }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
  gc::Ref<gc::Object> next;

 private:
  std::function<void()>* action_;
  bool in_destructor_;
  Counters* counters_;
};

class HostileTest
    : public HeapTest,
      public ::testing::WithParamInterface<std::tuple<Hook, Action>> {};

TEST_P(HostileTest, CollectionCompletesAndNothingLeaks) {
  const auto [hook, action] = GetParam();
  Counters counters;       // the actors
  Counters side_counters;  // objects the actions make or drop
  gc::Ref<Link> victim = gc::Make<Link>(&side_counters);
  gc::Ref<Node> live = gc::Make<Node>(7, &side_counters);
  std::vector<int64_t> nested_collects;
  int actions_run = 0;
  std::function<void()> run = [&] {
    ++actions_run;
    switch (action) {
      case Action::kAllocateCycle:
        MakeRing(3, &side_counters);
        break;
      case Action::kDropReference:
        victim.reset();
        break;
      case Action::kWeakRefs: {
        gc::WeakRef<Node> weak = live;
        gc::Ref<Node> locked = weak.Lock();
        EXPECT_EQ(locked, live);
        break;
      }
      case Action::kCollect:
        nested_collects.push_back(heap_.Collect());
        break;
      case Action::kThrow:
        throw std::runtime_error("hostile " + Name(hook));
    }
  };
  std::function<void()> nothing = [] {};

  const bool in_destructor = hook == Hook::kDestructor;
  std::function<void()>* actor_action =
      (hook == Hook::kDestructor || hook == Hook::kFinalizer) ? &run : &nothing;
  gc::Ref<Actor> a = gc::Make<Actor>(actor_action, in_destructor, &counters);
  gc::Ref<Actor> b = gc::Make<Actor>(actor_action, in_destructor, &counters);
  a->next = b;
  b->next = a;
  std::unique_ptr<gc::WeakRef<Actor>> watcher;
  if (hook == Hook::kWeakCallback) {
    watcher = std::make_unique<gc::WeakRef<Actor>>(
        a, [&](const gc::WeakRef<Actor>&) { run(); });
  }
  std::unique_ptr<ScopedCallback> callback;
  if (hook == Hook::kCollectionCallback) {
    callback = std::make_unique<ScopedCallback>(
        heap_, [&](gc::Phase phase, const gc::CollectionInfo&) {
          if (phase == gc::Phase::kStop && actions_run == 0) run();
        });
  }
  a.reset();
  b.reset();

  EXPECT_EQ(Collect(), 2);
  EXPECT_EQ(counters.destroyed, 2);
  EXPECT_GE(actions_run, 1);
  if (action == Action::kCollect) {
    for (int64_t nested : nested_collects) EXPECT_EQ(nested, 0);
  }
  if (action == Action::kThrow) {
    EXPECT_TRUE(errors_.Contains("hostile")) << "exception not reported";
  }
  if (action == Action::kDropReference) {
    EXPECT_FALSE(victim);
  }
  callback.reset();
  watcher.reset();
  // Whatever the actions made is garbage now and must go.
  live.reset();
  victim.reset();
  Collect();
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

std::vector<std::tuple<Hook, Action>> AllCases() {
  std::vector<std::tuple<Hook, Action>> cases;
  for (Hook hook : {Hook::kDestructor, Hook::kFinalizer, Hook::kWeakCallback,
                    Hook::kCollectionCallback}) {
    for (Action action :
         {Action::kAllocateCycle, Action::kDropReference, Action::kWeakRefs,
          Action::kCollect, Action::kThrow}) {
      if (hook == Hook::kDestructor && action == Action::kThrow) continue;
      cases.emplace_back(hook, action);
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(
    AllHooks, HostileTest, ::testing::ValuesIn(AllCases()),
    [](const ::testing::TestParamInfo<std::tuple<Hook, Action>>& info) {
      return Name(std::get<0>(info.param)) + Name(std::get<1>(info.param));
    });

using TrashcanTest = HeapTest;

// CPython's test_trashcan: destroying a deep structure whose destructors
// call Collect() every few objects.
class Collector : public gc::Object {
 public:
  explicit Collector(int index, Counters* counters)
      : index_(index), counters_(counters) {}
  ~Collector() override {
    ++counters_->destroyed;
    // Young collections often, a full one now and then (a full collection
    // per few objects of a long live chain would be quadratic).
    if (index_ % 7 == 0) gc::Heap::Current().Collect(index_ % 2);
    if (index_ % 20'011 == 0) gc::Heap::Current().Collect(2);
    if (index_ % 11 == 0) MakeRing(2);  // fresh garbage while destroying
  }
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(next);
    visitor.Visit(side);
  }
  gc::Ref<Collector> next;
  gc::Ref<gc::Object> side;

 private:
  int index_;
  Counters* counters_;
};

constexpr int kDeepLength = 200'000;

// A chain of kDeepLength Collectors, every fifth with a side ring if
// `side_rings`, closed into one big cycle if `closed`. Returns its head.
gc::Ref<Collector> MakeDeepChain(Counters* counters, bool side_rings,
                                 bool closed) {
  gc::Ref<Collector> head = gc::Make<Collector>(0, counters);
  gc::Ref<Collector> tail = head;
  for (int i = 1; i < kDeepLength; ++i) {
    tail->next = gc::Make<Collector>(i, counters);
    tail = tail->next;
    if (side_rings && i % 5 == 0) tail->side = MakeRing(3);
  }
  if (closed) tail->next = head;
  return head;
}

TEST_F(TrashcanTest, DeepStructureWhoseDestructorsCollect) {
  Counters counters;
  gc::Ref<Collector> head =
      MakeDeepChain(&counters, /*side_rings=*/true, /*closed=*/false);
  head.reset();  // iterative destruction, collecting as it goes
  EXPECT_EQ(counters.destroyed, kDeepLength);
  Collect();
}

TEST_F(TrashcanTest, DeepGarbageCycleWhoseDestructorsCollect) {
  Counters counters;
  MakeDeepChain(&counters, /*side_rings=*/false, /*closed=*/true);
  EXPECT_EQ(Collect(), kDeepLength);
  EXPECT_EQ(counters.destroyed, kDeepLength);
}

// A 10-million-node chain of objects with finalizers, dropped as garbage
// (its ends joined) and collected: every finalizer runs once.
class Finalizable : public gc::Object {
 public:
  explicit Finalizable(int64_t* finalized) : finalized_(finalized) {}
  void Finalize() override { ++*finalized_; }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
  gc::Ref<Finalizable> next;

 private:
  int64_t* finalized_;
};

TEST_F(TrashcanTest, TenMillionNodeChainWithFinalizers) {
  constexpr int kLength = 10'000'000;
  heap_.Disable();
  heap_.SetDebug(0);  // scale, not invariants
  int64_t finalized = 0;
  gc::Ref<Finalizable> head = gc::Make<Finalizable>(&finalized);
  gc::Ref<Finalizable> tail = head;
  for (int i = 1; i < kLength; ++i) {
    tail->next = gc::Make<Finalizable>(&finalized);
    tail = tail->next;
  }
  tail->next = head;
  tail.reset();
  head.reset();
  EXPECT_EQ(Collect(), kLength);
  EXPECT_EQ(finalized, kLength);
  EXPECT_EQ(heap_.LiveObjects(), 0);
  // And a plain chain with finalizers dies by reference counting alone,
  // without finalizers (they are for cyclic garbage).
  gc::Ref<Finalizable> chain = gc::Make<Finalizable>(&finalized);
  tail = chain;
  for (int i = 1; i < kLength; ++i) {
    tail->next = gc::Make<Finalizable>(&finalized);
    tail = tail->next;
  }
  tail.reset();
  chain.reset();
  EXPECT_EQ(heap_.LiveObjects(), 0);
  EXPECT_EQ(finalized, kLength);
}

}  // namespace
}  // namespace gc_test

namespace gc_test {
namespace {

// A Trace that throws, for the error reporter to hear about.
class ThrowingTrace : public gc::Object {
 public:
  void Trace(gc::Visitor&) override { throw std::runtime_error("trace"); }
};

// Sinks that throw lose nothing: the collection completes, the garbage is
// collected, and the lines go to stderr instead.
TEST_F(HeapTest, ThrowingReportSinkAndErrorReporterLoseNothing) {
  int reports = 0;
  int errors = 0;
  heap_.SetReportSink([&](std::string_view) {
    ++reports;
    throw std::runtime_error("report sink");
  });
  heap_.SetErrorReporter([&](std::string_view) {
    ++errors;
    throw std::runtime_error("error reporter");
  });
  heap_.SetDebug(gc::kDebugVerify | gc::kDebugStats | gc::kDebugCollectable);
  Counters counters;
  MakeRing(10, &counters);
  gc::Ref<ThrowingTrace> thrower = gc::Make<ThrowingTrace>();
  testing::internal::CaptureStderr();
  const int64_t collected = Collect(0);  // the Trace throws: nothing collected
  const std::string first = testing::internal::GetCapturedStderr();
  EXPECT_EQ(collected, 0);
  EXPECT_GE(errors, 1);
  EXPECT_NE(first.find("gc: the error reporter threw"), std::string::npos);
  EXPECT_NE(first.find("exception in Trace()"), std::string::npos);
  thrower.reset();
  testing::internal::CaptureStderr();
  EXPECT_EQ(Collect(), 10);
  const std::string second = testing::internal::GetCapturedStderr();
  EXPECT_EQ(counters.destroyed, 10);
  EXPECT_GE(reports, 1);
  EXPECT_NE(second.find("gc: the report sink threw"), std::string::npos);
  EXPECT_NE(second.find("gc: collectable"), std::string::npos);
  heap_.SetReportSink(nullptr);
  heap_.SetErrorReporter(errors_.Sink());
}

}  // namespace
}  // namespace gc_test
