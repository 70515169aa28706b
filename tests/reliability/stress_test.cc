// Copyright 2026 The cyclegc Authors.
//
// Stress at a scale that fits CI: a node holding 1,000,000 references, 100
// heaps alive at once, and rounds of building and dropping graphs that must
// not grow the process's memory. (10,000,000-node chains and cycles are in
// tests/collector_test.cc, ref_test.cc and hostile_test.cc; longer runs of
// these are in stress_long_test.cc.)

#include "tests/reliability/stress.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"

namespace gc_reliability {
namespace {

class StressTest : public ::testing::Test {
 protected:
  StressTest() : scope_(heap_) {}
  gc::Heap heap_;
  gc::HeapScope scope_;
};

TEST_F(StressTest, MillionReferencesFromOneNodeAreCollectedAndDestroyed) {
  constexpr int64_t kWidth = 1'000'000;
  int64_t destroyed = 0;
  gc::Ref<FanNode> hub = MakeFanOut(kWidth, &destroyed);
  gc::WeakRef<FanNode> weak = hub;
  EXPECT_EQ(heap_.Collect(), 0);  // all reachable
  EXPECT_EQ(heap_.LiveObjects(), kWidth + 1);
  hub.reset();  // a million cycles through the hub: garbage
  EXPECT_EQ(destroyed, 0);
  EXPECT_EQ(heap_.Collect(), kWidth + 1);
  EXPECT_EQ(destroyed, kWidth + 1);
  EXPECT_TRUE(weak.expired());
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

TEST_F(StressTest, MillionReferencesFromOneNodeDieByReferenceCount) {
  constexpr int64_t kWidth = 1'000'000;
  int64_t destroyed = 0;
  gc::Ref<FanNode> hub = gc::Make<FanNode>(&destroyed);
  for (int64_t i = 0; i < kWidth; ++i) {
    hub->edges.push_back(gc::Make<FanNode>(&destroyed));
  }
  hub.reset();  // acyclic: freed at once, no collection needed
  EXPECT_EQ(destroyed, kWidth + 1);
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

TEST(StressManyHeapsTest, HundredHeapsAliveAtOnce) {
  constexpr int kHeaps = 100;
  constexpr int64_t kScale = 2'000;
  std::vector<std::unique_ptr<gc::Heap>> heaps;
  std::vector<gc::Ref<FanNode>> survivors;
  int64_t destroyed = 0;
  int64_t made = 0;
  for (int i = 0; i < kHeaps; ++i) {
    heaps.push_back(std::make_unique<gc::Heap>());
    heaps.back()->SetDebug(gc::kDebugVerify);
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < kHeaps; ++i) {  // interleaved: all heaps hold objects
      gc::HeapScope scope(*heaps[i]);
      made += BuildAndDropGraphs(kScale, &destroyed);
      survivors.push_back(MakeFanOut(10, &destroyed));
      made += 11;
    }
  }
  for (int i = 0; i < kHeaps; ++i) {
    EXPECT_EQ(heaps[i]->LiveObjects() > 0, true);
    heaps[i]->Collect();
    EXPECT_EQ(heaps[i]->LiveObjects(), 22) << "heap " << i;
  }
  survivors.clear();
  for (int i = 0; i < kHeaps; ++i) {
    heaps[i]->Collect();
    EXPECT_EQ(heaps[i]->LiveObjects(), 0) << "heap " << i;
  }
  heaps.clear();
  EXPECT_EQ(destroyed, made);
}

// Memory after many rounds of building and dropping graphs is what it was
// after the first few (warm-up) rounds.
TEST_F(StressTest, BuildingAndDroppingGraphsDoesNotGrowMemory) {
  constexpr int kWarmUp = 5;
  constexpr int kRounds = 100;
  constexpr int64_t kScale = 50'000;
  int64_t destroyed = 0;
  int64_t made = 0;
  for (int i = 0; i < kWarmUp; ++i) {
    made += BuildAndDropGraphs(kScale, &destroyed);
  }
  heap_.Collect();
  const int64_t start = ResidentBytes();
  for (int i = 0; i < kRounds; ++i) {
    made += BuildAndDropGraphs(kScale, &destroyed);
  }
  heap_.Collect();
  const int64_t end = ResidentBytes();
  EXPECT_EQ(destroyed, made);
  EXPECT_EQ(heap_.LiveObjects(), 0);
  std::printf("RSS %lld KiB -> %lld KiB over %d rounds of %lld objects\n",
              static_cast<long long>(start / 1024),
              static_cast<long long>(end / 1024), kRounds,
              static_cast<long long>(kScale));
  if (SanitizerKeepsMemory() || start < 0) {
    GTEST_SKIP() << "RSS not meaningful under this sanitizer";
  }
  EXPECT_LT(end - start, 4 << 20) << "memory grew";
}

}  // namespace
}  // namespace gc_reliability
