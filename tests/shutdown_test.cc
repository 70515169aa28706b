// Copyright 2026 The cyclegc Authors.
//
// Settings and reports around a heap's life: the shutdown report of objects
// still referenced, cycles among them, IsEnabled with threshold 0, debug
// bits from the environment, and the durations a collection reports.

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace {

using gc_test::HeapTest;
using gc_test::Lines;
using gc_test::Link;
using gc_test::Node;

// Destroys a heap on which `build` left objects referenced from `kept`, and
// returns what it reported.
template <typename Build>
Lines DestroyHeapWith(gc::ShutdownReport* setting, Build build,
                      std::vector<gc::Ref<gc::Object>>& kept) {
  Lines report;
  auto heap = std::make_unique<gc::Heap>();
  heap->SetReportSink(report.Sink());
  if (setting != nullptr) heap->SetShutdownReport(*setting);
  {
    gc::HeapScope scope(*heap);
    build(kept);
  }
  heap.reset();
  return report;
}

// Three Nodes and a Link referenced from outside, no cycle among them.
void KeepAcyclic(std::vector<gc::Ref<gc::Object>>& kept) {
  for (int i = 0; i < 3; ++i) kept.push_back(gc::Make<Node>());
  kept.push_back(gc::Make<Link>());
}

TEST(ShutdownReportTest, DefaultIsOneLineWithTheCount) {
  EXPECT_EQ(gc::Heap().GetShutdownReport(), gc::ShutdownReport::kCount);
  std::vector<gc::Ref<gc::Object>> kept;
  Lines report = DestroyHeapWith(nullptr, KeepAcyclic, kept);
  EXPECT_EQ(report.lines,
            std::vector<std::string>{
                "gc: 4 objects still referenced when their heap was "
                "destroyed; they are no longer tracked"});
}

TEST(ShutdownReportTest, OffSaysNothing) {
  gc::ShutdownReport off = gc::ShutdownReport::kOff;
  std::vector<gc::Ref<gc::Object>> kept;
  Lines report = DestroyHeapWith(&off, KeepAcyclic, kept);
  EXPECT_TRUE(report.lines.empty());
}

TEST(ShutdownReportTest, ListAddsOneLinePerTypeMostNumerousFirst) {
  gc::ShutdownReport list = gc::ShutdownReport::kList;
  std::vector<gc::Ref<gc::Object>> kept;
  Lines report = DestroyHeapWith(&list, KeepAcyclic, kept);
  ASSERT_EQ(report.lines.size(), 3u);
  EXPECT_EQ(report.lines[1], "gc:   3 gc_test::Node");
  EXPECT_EQ(report.lines[2], "gc:   1 gc_test::Link");
}

TEST(ShutdownReportTest, LiveCyclesAmongSurvivorsAreCalledOut) {
  std::vector<gc::Ref<gc::Object>> kept;
  Lines report = DestroyHeapWith(
      nullptr,
      [](std::vector<gc::Ref<gc::Object>>& kept) {
        kept.push_back(gc_test::MakeRing(3));  // on a cycle: 3
        gc::Ref<Node> self = gc::Make<Node>();
        self->parent = self;  // on a cycle: itself
        kept.push_back(self);
        gc::Ref<Node> tail = gc::Make<Node>();  // reached from a cycle only
        self->children.push_back(tail);
        kept.push_back(tail);
      },
      kept);
  ASSERT_EQ(report.lines.size(), 2u) << testing::PrintToString(report.lines);
  EXPECT_EQ(report.lines[0].rfind("gc: 5 objects still referenced", 0), 0u);
  EXPECT_EQ(report.lines[1].rfind("gc: 4 of them form reference cycles", 0),
            0u);
  // Untracked now: break them by hand, as the report says.
  gc::StaticRefCast<Link>(kept[0])->next.reset();
  gc::StaticRefCast<Node>(kept[1])->parent.reset();
}

using EnabledTest = HeapTest;

TEST_F(EnabledTest, IsEnabledStaysTrueAfterThresholdZeroAsInCPython) {
  ASSERT_TRUE(heap_.SetThreshold(0).ok());
  EXPECT_TRUE(heap_.IsEnabled());
  for (int i = 0; i < 2000; ++i) gc_test::MakeRing(2);
  EXPECT_EQ(heap_.GetStats()[0].collections, 0);  // yet nothing automatic
  EXPECT_EQ(Collect(), 4000);
}

class DebugEnvTest : public HeapTest {
 protected:
  void TearDown() override {
    unsetenv("CYCLEGC_DEBUG");
    HeapTest::TearDown();
  }
};

TEST_F(DebugEnvTest, UnknownDebugBitsAreRejectedQuotingThem) {
  setenv("CYCLEGC_DEBUG", "99999", 1);
  absl::Status status = heap_.ConfigureFromEnv();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  // 99999 = 0x1869f; the known flags are 0x127.
  EXPECT_NE(status.message().find("CYCLEGC_DEBUG=\"99999\" has unknown debug "
                                  "bits 99992 (0x18698)"),
            absl::string_view::npos)
      << status;
  EXPECT_EQ(heap_.GetDebug(), gc::kDebugVerify);
  setenv("CYCLEGC_DEBUG", "295", 1);  // every flag: accepted
  EXPECT_TRUE(heap_.ConfigureFromEnv().ok());
  EXPECT_EQ(heap_.GetDebug(), gc::kDebugLeak | gc::kDebugStats |
                                  gc::kDebugVerify);
  heap_.SetDebug(gc::kDebugVerify);
}

using DurationTest = HeapTest;

TEST_F(DurationTest, CollectionDurationIsWhatTheStatsAddUp) {
  absl::Duration reported = absl::InfiniteDuration();
  gc::ScopedCallback callback(
      heap_, [&](gc::Phase phase, const gc::CollectionInfo& info) {
        if (phase == gc::Phase::kStop) reported = info.duration;
      });
  heap_.Disable();  // one collection: the one below
  for (int i = 0; i < 20000; ++i) gc_test::MakeRing(2);
  EXPECT_EQ(Collect(), 40000);
  const gc::GenerationStats stats = heap_.GetStats()[2];
  EXPECT_GT(stats.total_duration, absl::ZeroDuration());
  EXPECT_EQ(reported, stats.total_duration);  // one full collection
  heap_.Enable();
}

}  // namespace
