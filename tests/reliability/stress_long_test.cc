// Copyright 2026 The cyclegc Authors.
//
// The long versions of stress_test.cc (tagged manual; minutes, not CI):
//   bazel test --config=opt //tests/reliability:stress_long_test \
//     --test_output=all
// CYCLEGC_STRESS_ROUNDS sets the build/drop rounds (default 2000).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/reliability/stress.h"

namespace gc_reliability {
namespace {

int64_t Rounds() {
  const char* text = std::getenv("CYCLEGC_STRESS_ROUNDS");
  return text == nullptr ? 2000 : std::atoll(text);
}

TEST(StressLongTest, LongBuildAndDropRunDoesNotGrowMemory) {
  constexpr int64_t kScale = 200'000;
  gc::Heap heap;
  gc::HeapScope scope(heap);
  int64_t destroyed = 0;
  int64_t made = 0;
  for (int i = 0; i < 10; ++i) made += BuildAndDropGraphs(kScale, &destroyed);
  heap.Collect();
  const int64_t start = ResidentBytes();
  const int64_t rounds = Rounds();
  for (int64_t i = 0; i < rounds; ++i) {
    made += BuildAndDropGraphs(kScale, &destroyed);
    if (i % 100 == 99) {
      std::printf("round %lld: RSS %lld KiB\n", static_cast<long long>(i + 1),
                  static_cast<long long>(ResidentBytes() / 1024));
    }
  }
  heap.Collect();
  const int64_t end = ResidentBytes();
  std::printf("RSS %lld KiB -> %lld KiB over %lld rounds, %lld objects\n",
              static_cast<long long>(start / 1024),
              static_cast<long long>(end / 1024),
              static_cast<long long>(rounds), static_cast<long long>(made));
  EXPECT_EQ(destroyed, made);
  EXPECT_EQ(heap.LiveObjects(), 0);
  if (!SanitizerKeepsMemory()) EXPECT_LT(end - start, 8 << 20);
}

TEST(StressLongTest, TenMillionReferencesFromOneNode) {
  constexpr int64_t kWidth = 10'000'000;
  gc::Heap heap;
  gc::HeapScope scope(heap);
  int64_t destroyed = 0;
  gc::Ref<FanNode> hub = MakeFanOut(kWidth, &destroyed);
  hub.reset();
  EXPECT_EQ(heap.Collect(), kWidth + 1);
  EXPECT_EQ(destroyed, kWidth + 1);
}

TEST(StressLongTest, HundredHeapsWithLargeGraphs) {
  constexpr int kHeaps = 100;
  std::vector<std::unique_ptr<gc::Heap>> heaps;
  int64_t destroyed = 0;
  int64_t made = 0;
  for (int i = 0; i < kHeaps; ++i)
    heaps.push_back(std::make_unique<gc::Heap>());
  std::vector<gc::Ref<FanNode>> keep;
  for (int i = 0; i < kHeaps; ++i) {
    gc::HeapScope scope(*heaps[i]);
    made += BuildAndDropGraphs(100'000, &destroyed);
    keep.push_back(MakeFanOut(100'000, &destroyed));  // alive in every heap
    made += 100'001;
  }
  for (auto& heap : heaps) heap->Collect();
  keep.clear();
  for (auto& heap : heaps) {
    heap->Collect();
    EXPECT_EQ(heap->LiveObjects(), 0);
  }
  EXPECT_EQ(destroyed, made);
}

}  // namespace
}  // namespace gc_reliability
