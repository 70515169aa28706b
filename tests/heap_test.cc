// Copyright 2026 The cyclegc Authors.
//
// The heap's generations, counts, thresholds, configuration, callbacks,
// statistics, scopes and destruction.

#include <array>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

using Counts = std::array<int64_t, 3>;

using HeapCountTest = HeapTest;

TEST_F(HeapCountTest, DefaultThresholdsAreCPythons) {
  EXPECT_EQ(heap_.GetThreshold(), (Counts{700, 10, 10}));
  EXPECT_TRUE(heap_.IsEnabled());
  EXPECT_EQ(gc::Heap().GetDebug(), 0);
  EXPECT_EQ(heap_.GetCount(), (Counts{0, 0, 0}));
}

TEST_F(HeapCountTest, TrackedAllocationsAndDeallocationsMoveCountZero) {
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 5; ++i) nodes.push_back(gc::Make<Node>(i));
  EXPECT_EQ(heap_.GetCount(), (Counts{5, 0, 0}));
  nodes.pop_back();
  EXPECT_EQ(heap_.GetCount(), (Counts{4, 0, 0}));
  for (int i = 0; i < 3; ++i) gc::Make<Leaf>();  // untracked: no change
  EXPECT_EQ(heap_.GetCount(), (Counts{4, 0, 0}));
}

TEST_F(HeapCountTest, CountZeroNeverGoesBelowZero) {
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 3; ++i) nodes.push_back(gc::Make<Node>(i));
  Collect(0);
  EXPECT_EQ(heap_.GetCount()[0], 0);
  nodes.clear();  // three tracked deallocations
  EXPECT_EQ(heap_.GetCount()[0], 0);
}

TEST_F(HeapCountTest, CollectSetsCountsAsCPythonDoes) {
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 4; ++i) nodes.push_back(gc::Make<Node>(i));
  Collect(0);
  EXPECT_EQ(heap_.GetCount(), (Counts{0, 1, 0}));
  Collect(0);
  EXPECT_EQ(heap_.GetCount(), (Counts{0, 2, 0}));
  nodes.push_back(gc::Make<Node>(9));
  Collect(1);
  EXPECT_EQ(heap_.GetCount(), (Counts{0, 0, 1}));
  Collect(2);
  EXPECT_EQ(heap_.GetCount(), (Counts{0, 0, 0}));
}

TEST_F(HeapCountTest, SurvivorsMoveToTheNextGeneration) {
  gc::Ref<Node> a = gc::Make<Node>(1);
  EXPECT_EQ(heap_.GetObjects(0).size(), 1u);
  Collect(0);
  EXPECT_TRUE(heap_.GetObjects(0).empty());
  ASSERT_EQ(heap_.GetObjects(1).size(), 1u);
  EXPECT_EQ(heap_.GetObjects(1)[0], a);
  Collect(1);
  EXPECT_TRUE(heap_.GetObjects(1).empty());
  EXPECT_EQ(heap_.GetObjects(2).size(), 1u);
  Collect(2);  // generation 2 survivors stay
  EXPECT_EQ(heap_.GetObjects(2).size(), 1u);
  EXPECT_EQ(heap_.GetObjects().size(), 1u);
}

TEST_F(HeapCountTest, YoungCollectionExaminesOnlyYoungObjects) {
  std::vector<gc::Ref<Node>> old;
  for (int i = 0; i < 50; ++i) old.push_back(gc::Make<Node>(i));
  Collect(2);
  for (int i = 0; i < 7; ++i) old.push_back(gc::Make<Node>(i));
  Collect(0);
  EXPECT_EQ(heap_.GetStats()[0].candidates, 7);
  EXPECT_EQ(heap_.GetStats()[2].candidates, 50);
}

TEST_F(HeapCountTest, StatsChangeOnlyForTheGenerationCollected) {
  gc::Ref<Link> ring = MakeRing(3);
  ring.reset();
  EXPECT_EQ(Collect(1), 3);
  auto stats = heap_.GetStats();
  EXPECT_EQ(stats[0].collections, 0);
  EXPECT_EQ(stats[1].collections, 1);
  EXPECT_EQ(stats[1].collected, 3);
  EXPECT_EQ(stats[1].candidates, 3);
  EXPECT_EQ(stats[2].collections, 0);
  EXPECT_EQ(stats[2].collected, 0);
  Collect(0);
  stats = heap_.GetStats();
  EXPECT_EQ(stats[0].collections, 1);
  EXPECT_EQ(stats[0].collected, 0);
  EXPECT_EQ(stats[1].collections, 1);
}

TEST_F(HeapCountTest, AutomaticCollectionStartsAboveThresholdZero) {
  ASSERT_TRUE(heap_.SetThreshold(10, 10, 10).ok());
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 10; ++i) nodes.push_back(gc::Make<Node>(i));
  EXPECT_EQ(heap_.GetStats()[0].collections, 0);
  EXPECT_EQ(heap_.GetCount()[0], 10);
  nodes.push_back(gc::Make<Node>(10));  // count 11 > 10
  EXPECT_EQ(heap_.GetStats()[0].collections, 1);
  EXPECT_EQ(heap_.GetCount(), (Counts{0, 1, 0}));
}

TEST_F(HeapCountTest, AutomaticCollectionPicksOldestGenerationOverThreshold) {
  ASSERT_TRUE(heap_.SetThreshold(1, 2, 100).ok());
  std::vector<gc::Ref<Node>> nodes;
  // Every second allocation makes count[0] = 2 > 1 and collects; the fourth
  // such collection finds count[1] = 3 > 2 and collects generation 1.
  for (int i = 0; i < 12; ++i) nodes.push_back(gc::Make<Node>(i));
  auto stats = heap_.GetStats();
  EXPECT_EQ(stats[0].collections, 5);
  EXPECT_EQ(stats[1].collections, 1);
  EXPECT_EQ(stats[2].collections, 0);
  EXPECT_EQ(heap_.GetCount(), (Counts{0, 2, 1}));
}

TEST_F(HeapCountTest, FullCollectionWaitsForTwentyFivePercentNewSurvivors) {
  ASSERT_TRUE(heap_.SetThreshold(0, 1, 0).ok());  // automatic off for now
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 1000; ++i) nodes.push_back(gc::Make<Node>(i));
  Collect(2);  // 1000 long-lived objects
  for (int i = 0; i < 200; ++i) nodes.push_back(gc::Make<Node>(i));
  Collect(0);
  Collect(1);  // 200 objects pending a full collection; count[2] = 1
  EXPECT_EQ(heap_.GetCount(), (Counts{0, 0, 1}));
  const int64_t full_before = heap_.GetStats()[2].collections;
  ASSERT_TRUE(heap_.SetThreshold(1, 0, 0).ok());
  // Generation 2 is over its threshold, but 200 <= 1000 / 4: the automatic
  // collection falls through to generation 0.
  nodes.push_back(gc::Make<Node>(0));
  nodes.push_back(gc::Make<Node>(0));
  EXPECT_EQ(heap_.GetStats()[0].collections, 2);
  EXPECT_EQ(heap_.GetStats()[2].collections, full_before);
  // Generation-1 collections keep adding pending objects; past 250 the next
  // automatic collection is a full one.
  for (int i = 0; i < 200; ++i) nodes.push_back(gc::Make<Node>(i));
  EXPECT_GT(heap_.GetStats()[2].collections, full_before);
}

TEST_F(HeapCountTest, DisabledHeapDoesNotCollectAutomatically) {
  ASSERT_TRUE(heap_.SetThreshold(5).ok());
  heap_.Disable();
  EXPECT_FALSE(heap_.IsEnabled());
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 50; ++i) nodes.push_back(gc::Make<Node>(i));
  EXPECT_EQ(heap_.GetStats()[0].collections, 0);
  EXPECT_EQ(heap_.GetCount()[0], 50);
  gc::Ref<Link> ring = MakeRing(2);
  ring.reset();
  EXPECT_EQ(Collect(0), 2);  // by hand still works
  heap_.Enable();
  for (int i = 0; i < 6; ++i) nodes.push_back(gc::Make<Node>(i));
  EXPECT_EQ(heap_.GetStats()[0].collections, 2);
}

TEST_F(HeapCountTest, ThresholdZeroDisablesAutomaticCollection) {
  ASSERT_TRUE(heap_.SetThreshold(0).ok());
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 1000; ++i) nodes.push_back(gc::Make<Node>(i));
  EXPECT_EQ(heap_.GetStats()[0].collections, 0);
}

using ThresholdTest = HeapTest;

TEST_F(ThresholdTest, SetsAllThreeOrOnlyTheFirst) {
  ASSERT_TRUE(heap_.SetThreshold(10000, 20, 30).ok());
  EXPECT_EQ(heap_.GetThreshold(), (Counts{10000, 20, 30}));
  ASSERT_TRUE(heap_.SetThreshold(2000).ok());
  EXPECT_EQ(heap_.GetThreshold(), (Counts{2000, 20, 30}));
  ASSERT_TRUE(heap_.SetThreshold(5, 6).ok());
  EXPECT_EQ(heap_.GetThreshold(), (Counts{5, 6, 30}));
}

TEST_F(ThresholdTest, NegativeValueIsRejectedAndNothingChanges) {
  absl::Status bad = heap_.SetThreshold(-1, 10, 10);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("-1"), absl::string_view::npos) << bad;
  EXPECT_EQ(heap_.GetThreshold(), (Counts{700, 10, 10}));
  bad = heap_.SetThreshold(100, 10, -7);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("threshold2"), absl::string_view::npos);
  EXPECT_EQ(heap_.GetThreshold(), (Counts{700, 10, 10}));
}

TEST_F(ThresholdTest, ValuesThatCouldOverflowAreRejected) {
  absl::Status bad = heap_.SetThreshold(INT64_MAX);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("9223372036854775807"), absl::string_view::npos);
  EXPECT_TRUE(heap_.SetThreshold(gc::Heap::kMaxThreshold).ok());
  EXPECT_FALSE(heap_.SetThreshold(1, gc::Heap::kMaxThreshold + 1, 1).ok());
  EXPECT_EQ(heap_.GetThreshold()[0], gc::Heap::kMaxThreshold);
}

class EnvTest : public HeapTest {
 protected:
  void TearDown() override {
    unsetenv("CYCLEGC_THRESHOLD");
    unsetenv("CYCLEGC_DEBUG");
    HeapTest::TearDown();
  }
};

TEST_F(EnvTest, ReadsThresholdsAndDebug) {
  setenv("CYCLEGC_THRESHOLD", "1000,20,30", 1);
  setenv("CYCLEGC_DEBUG", "1", 1);
  ASSERT_TRUE(heap_.ConfigureFromEnv().ok());
  EXPECT_EQ(heap_.GetThreshold(), (Counts{1000, 20, 30}));
  EXPECT_EQ(heap_.GetDebug(), gc::kDebugStats);
  setenv("CYCLEGC_THRESHOLD", " 900 ", 1);
  unsetenv("CYCLEGC_DEBUG");
  ASSERT_TRUE(heap_.ConfigureFromEnv().ok());
  EXPECT_EQ(heap_.GetThreshold(), (Counts{900, 20, 30}));
  EXPECT_EQ(heap_.GetDebug(), gc::kDebugStats);
}

TEST_F(EnvTest, MalformedTextIsQuotedAndChangesNothing) {
  for (const char* text : {"abc", "700,,10", "1,2,3,4", "", "7e2", "700;10"}) {
    setenv("CYCLEGC_THRESHOLD", text, 1);
    setenv("CYCLEGC_DEBUG", "1", 1);
    absl::Status status = heap_.ConfigureFromEnv();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(status.message().find(std::string("\"") + text + "\""),
              absl::string_view::npos)
        << status;
    EXPECT_EQ(heap_.GetThreshold(), (Counts{700, 10, 10}));
    EXPECT_EQ(heap_.GetDebug(), gc::kDebugVerify);
  }
  setenv("CYCLEGC_THRESHOLD", "100", 1);
  setenv("CYCLEGC_DEBUG", "lots", 1);
  absl::Status status = heap_.ConfigureFromEnv();
  EXPECT_NE(status.message().find("\"lots\""), absl::string_view::npos);
  EXPECT_EQ(heap_.GetThreshold(), (Counts{700, 10, 10}));
  setenv("CYCLEGC_THRESHOLD", "-5", 1);
  unsetenv("CYCLEGC_DEBUG");
  status = heap_.ConfigureFromEnv();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("\"-5\""), absl::string_view::npos);
  EXPECT_EQ(heap_.GetThreshold(), (Counts{700, 10, 10}));
}

using CallbackTest = HeapTest;

struct Event {
  gc::Phase phase;
  gc::CollectionInfo info;
};

TEST_F(CallbackTest, CalledWithStartThenStopAndTheRightGeneration) {
  std::vector<Event> events;
  ScopedCallback callback_scope(
      heap_, [&](gc::Phase phase, const gc::CollectionInfo& info) {
        events.push_back({phase, info});
      });
  gc::Ref<Link> ring = MakeRing(4);
  ring.reset();
  gc::Ref<Node> live = gc::Make<Node>();
  EXPECT_EQ(Collect(1), 4);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].phase, gc::Phase::kStart);
  EXPECT_EQ(events[0].info.generation, 1);
  EXPECT_EQ(events[0].info.collected, 0);
  EXPECT_EQ(events[0].info.duration, absl::ZeroDuration());
  EXPECT_EQ(events[1].phase, gc::Phase::kStop);
  EXPECT_EQ(events[1].info.generation, 1);
  EXPECT_EQ(events[1].info.collected, 4);
  EXPECT_EQ(events[1].info.uncollectable, 0);
  EXPECT_EQ(events[1].info.candidates, 5);
  EXPECT_GT(events[1].info.duration, absl::ZeroDuration());
}

TEST_F(CallbackTest, AutomaticCollectionsCallCallbacksToo) {
  int starts = 0, stops = 0;
  ScopedCallback callback_scope(
      heap_, [&](gc::Phase phase, const gc::CollectionInfo&) {
        (phase == gc::Phase::kStart ? starts : stops)++;
      });
  ASSERT_TRUE(heap_.SetThreshold(3).ok());
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 8; ++i) nodes.push_back(gc::Make<Node>(i));
  EXPECT_EQ(starts, 2);
  EXPECT_EQ(stops, 2);
}

TEST_F(CallbackTest, ThrowingCallbackIsReportedAndCollectionCompletes) {
  int later_calls = 0;
  ScopedCallback thrower(heap_, [](gc::Phase, const gc::CollectionInfo&) {
    throw std::runtime_error("callback broke");
  });
  ScopedCallback counter(
      heap_, [&](gc::Phase, const gc::CollectionInfo&) { ++later_calls; });
  Counters counters;
  gc::Ref<Link> ring = MakeRing(3, &counters);
  ring.reset();
  EXPECT_EQ(Collect(), 3);
  EXPECT_EQ(counters.destroyed, 3);
  EXPECT_EQ(later_calls, 2);
  EXPECT_TRUE(errors_.Contains("callback broke"));
  EXPECT_EQ(errors_.lines.size(), 2u);  // once for kStart, once for kStop
}

TEST_F(CallbackTest, RemovedCallbackIsNotCalled) {
  int calls = 0;
  gc::CallbackId id = heap_.AddCallback(
      [&](gc::Phase, const gc::CollectionInfo&) { ++calls; });  // removed below
  Collect();
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(heap_.RemoveCallback(id));
  EXPECT_FALSE(heap_.RemoveCallback(id));
  Collect();
  EXPECT_EQ(calls, 2);
}

TEST_F(CallbackTest, CollectFromCallbackReturnsZero) {
  std::vector<int64_t> nested;
  ScopedCallback callback_scope(heap_,
                                [&](gc::Phase, const gc::CollectionInfo&) {
                                  EXPECT_TRUE(heap_.IsCollecting());
                                  nested.push_back(heap_.Collect());
                                });
  gc::Ref<Link> ring = MakeRing(2);
  ring.reset();
  EXPECT_EQ(Collect(), 2);
  EXPECT_EQ(nested, (std::vector<int64_t>{0, 0}));
  EXPECT_FALSE(heap_.IsCollecting());
}

class CollectsInDestructor : public gc::Object {
 public:
  explicit CollectsInDestructor(int64_t* result) : result(result) {}
  ~CollectsInDestructor() override { *result = gc::Heap::Current().Collect(); }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(self); }
  gc::Ref<CollectsInDestructor> self;
  int64_t* result;
};

TEST_F(CallbackTest, CollectFromDestructorDuringCollectionReturnsZero) {
  int64_t result = -1;
  gc::Ref<CollectsInDestructor> a = gc::Make<CollectsInDestructor>(&result);
  a->self = a;
  a.reset();
  EXPECT_EQ(Collect(), 1);
  EXPECT_EQ(result, 0);
}

TEST_F(CallbackTest, CollectFromDestructorOutsideCollectionRuns) {
  int64_t result = -1;
  gc::Ref<Link> ring = MakeRing(3);
  ring.reset();
  gc::Make<CollectsInDestructor>(&result);  // dies at once, collects
  EXPECT_EQ(result, 3);
}

TEST_F(CallbackTest, SlowCollectionIsReported) {
  Lines report;
  heap_.SetReportSink(report.Sink());
  heap_.SetSlowCollectionThreshold(absl::Nanoseconds(1));
  EXPECT_EQ(heap_.GetSlowCollectionThreshold(), absl::Nanoseconds(1));
  gc::Ref<Link> ring = MakeRing(3);
  ring.reset();
  Collect(1);
  ASSERT_EQ(report.lines.size(), 1u);
  EXPECT_TRUE(report.Contains("gc: slow collection of generation 1: "));
  EXPECT_TRUE(report.Contains("3 objects examined, 3 unreachable"));
  heap_.SetSlowCollectionThreshold(absl::Hours(1));
  Collect();
  EXPECT_EQ(report.lines.size(), 1u);
}

TEST(CollectDeathTest, GenerationOutOfRangeFailsLoudly) {
  gc::Heap heap;
  EXPECT_DEATH(heap.Collect(3), "generation must be 0, 1 or 2; got 3");
  EXPECT_DEATH(heap.Collect(-1), "got -1");
}

TEST(HeapScopeTest, CurrentHeapFollowsScopes) {
  gc::Heap& default_heap = gc::Heap::Current();
  gc::Heap a, b;
  {
    gc::HeapScope scope_a(a);
    EXPECT_EQ(&gc::Heap::Current(), &a);
    {
      gc::HeapScope scope_b(b);
      EXPECT_EQ(&gc::Heap::Current(), &b);
      gc::Ref<Node> x = gc::Make<Node>(7);
      EXPECT_EQ(b.LiveObjects(), 1);
      EXPECT_EQ(a.LiveObjects(), 0);
    }
    EXPECT_EQ(&gc::Heap::Current(), &a);
  }
  EXPECT_EQ(&gc::Heap::Current(), &default_heap);
}

TEST(HeapScopeTest, EachThreadHasItsOwnDefaultHeap) {
  gc::Heap* main_heap = &gc::Heap::Current();
  gc::Heap* other_heap = nullptr;
  int64_t other_collected = -1;
  std::thread thread([&] {
    other_heap = &gc::Heap::Current();
    gc::Ref<Link> ring = MakeRing(5);
    ring.reset();
    other_collected = gc::Heap::Current().Collect();
  });
  thread.join();
  EXPECT_NE(other_heap, main_heap);
  EXPECT_EQ(other_collected, 5);
}

TEST(HeapDestructionTest, CollectsGarbageAndKeepsLiveObjectsAlive) {
  Counters counters;
  gc::Ref<Node> survivor;
  gc::WeakRef<Node> weak;
  Lines report;
  {
    gc::Heap heap;
    heap.SetReportSink(report.Sink());
    gc::HeapScope scope(heap);
    gc::Ref<Link> ring = MakeRing(3, &counters);
    ring.reset();
    survivor = gc::Make<Node>(42, &counters);
    survivor->children.push_back(gc::Make<Node>(43, &counters));
    survivor->children[0]->parent = survivor;  // a live cycle
    weak = survivor;
    gc::Ref<Node> scoped_copy = survivor;
  }
  EXPECT_EQ(counters.destroyed, 3);  // the garbage ring only
  EXPECT_TRUE(report.Contains("2 objects still referenced"));
  ASSERT_TRUE(survivor);
  EXPECT_FALSE(gc::IsTracked(*survivor));
  EXPECT_EQ(survivor->value, 42);
  EXPECT_EQ(weak.Lock(), survivor);
  // Live on until the last reference goes; break the cycle by hand.
  survivor->children.clear();
  survivor.reset();
  EXPECT_EQ(counters.destroyed, 5);
  EXPECT_TRUE(weak.expired());
}

TEST(HeapDestructionTest, ObjectsOutliveHeapAndFreeItsStateLast) {
  Counters counters;
  std::vector<gc::Ref<gc::Object>> keep;
  for (int round = 0; round < 3; ++round) {
    gc::Heap heap;
    heap.SetReportSink([](std::string_view) {});
    gc::HeapScope scope(heap);
    keep.push_back(gc::Make<Leaf>(&counters));
    keep.push_back(gc::Make<Node>(round, &counters));
  }
  EXPECT_EQ(counters.destroyed, 0);
  keep.clear();
  EXPECT_EQ(counters.destroyed, 6);
}

TEST(HeapDestructionDeathTest, DestroyingTheCurrentHeapFailsLoudly) {
  EXPECT_DEATH(
      {
        auto* heap = new gc::Heap;
        gc::HeapScope scope(*heap);
        delete heap;
      },
      "current heap");
}

TEST_F(HeapCountTest, ManyHeapsAliveAtOnce) {
  std::vector<std::unique_ptr<gc::Heap>> heaps;
  for (int i = 0; i < 100; ++i) heaps.push_back(std::make_unique<gc::Heap>());
  Counters counters;
  for (auto& heap : heaps) {
    gc::HeapScope scope(*heap);
    gc::Ref<Link> ring = MakeRing(2, &counters);
  }
  int64_t collected = 0;
  for (auto& heap : heaps) collected += heap->Collect();
  EXPECT_EQ(collected, 200);
  EXPECT_EQ(counters.destroyed, 200);
}

}  // namespace
}  // namespace gc_test
