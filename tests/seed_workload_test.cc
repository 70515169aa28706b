// Copyright 2026 The cyclegc Authors.
//
// The seed workload: parent/child trees with strong parent pointers, built
// and dropped in rounds, under different thresholds. Behaviour, not speed:
// nothing leaks, and the generations that find the garbage are the ones
// CPython's collector would use for the same shape.

#include <array>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

constexpr int kDepth = 5;
constexpr int kFanOut = 6;
constexpr int64_t kNodesPerTree = 9330;  // 6 + 36 + 216 + 1296 + 7776
constexpr int64_t kTrees = 190;          // n trees for n in 0..19

class TreeNode : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<TreeNode>& child : children) visitor.Visit(child);
  }
  gc::Ref<TreeNode> parent;  // strong: every edge is part of a cycle
  std::vector<gc::Ref<TreeNode>> children;
};

class WeakTreeNode : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<WeakTreeNode>& child : children) visitor.Visit(child);
  }
  gc::WeakRef<WeakTreeNode> parent;  // weak: no cycles at all
  std::vector<gc::Ref<WeakTreeNode>> children;
};

// A tree of depth 5: 6 top nodes at depth 1 (the tree itself is a plain local
// vector), each with 6 children per node down to depth 5.
template <typename N>
void Grow(const gc::Ref<N>& node, int depth) {
  if (depth == kDepth) return;
  node->children.reserve(kFanOut);
  for (int i = 0; i < kFanOut; ++i) {
    gc::Ref<N> child = gc::Make<N>();
    child->parent = node;
    node->children.push_back(child);
    Grow(child, depth + 1);
  }
}

struct Outcome {
  std::array<int64_t, 3> collected{};
  int64_t found_after_loop = 0;
  int64_t live_after = 0;
};

template <typename N>
Outcome RunSeed(gc::Heap& heap) {
  Outcome outcome;
  ScopedCallback callback(
      heap, [&](gc::Phase phase, const gc::CollectionInfo& info) {
        if (phase == gc::Phase::kStop) {
          outcome.collected[info.generation] += info.collected;
        }
      });
  for (int n = 0; n < 20; ++n) {
    for (int t = 0; t < n; ++t) {
      std::vector<gc::Ref<N>> tree;
      for (int i = 0; i < kFanOut; ++i) {
        tree.push_back(gc::Make<N>());
        Grow(tree.back(), 1);
      }
    }  // dropped at once
  }
  std::array<int64_t, 3> in_loop = outcome.collected;
  outcome.found_after_loop = heap.Collect();
  outcome.collected = in_loop;
  outcome.live_after = heap.LiveObjects();
  std::printf("collected per generation: %lld / %lld / %lld, then %lld\n",
              static_cast<long long>(in_loop[0]),
              static_cast<long long>(in_loop[1]),
              static_cast<long long>(in_loop[2]),
              static_cast<long long>(outcome.found_after_loop));
  return outcome;
}

using SeedWorkloadTest = HeapTest;

TEST_F(SeedWorkloadTest, TreeHasTheStatedSize) {
  std::vector<gc::Ref<TreeNode>> tree;
  for (int i = 0; i < kFanOut; ++i) {
    tree.push_back(gc::Make<TreeNode>());
    Grow(tree.back(), 1);
  }
  EXPECT_EQ(heap_.LiveObjects(), kNodesPerTree);
}

TEST_F(SeedWorkloadTest, DefaultThresholdsCollectTreesInOlderGenerations) {
  Outcome outcome = RunSeed<TreeNode>(heap_);
  EXPECT_EQ(outcome.live_after, 0);
  // CPython (one tracked object per node) reports 0 / 646,880 / 1,116,490
  // for this loop: generation 0 only ever sees the tree being built.
  EXPECT_EQ(outcome.collected[0], 0);
  EXPECT_GT(outcome.collected[1], kTrees * kNodesPerTree / 5);
  EXPECT_GT(outcome.collected[2], kTrees * kNodesPerTree / 5);
  EXPECT_EQ(outcome.collected[0] + outcome.collected[1] + outcome.collected[2] +
                outcome.found_after_loop,
            kTrees * kNodesPerTree);
}

TEST_F(SeedWorkloadTest, LargeThresholdZeroShiftsWorkToGenerationZero) {
  ASSERT_TRUE(heap_.SetThreshold(10000, 10, 10).ok());
  Outcome outcome = RunSeed<TreeNode>(heap_);
  EXPECT_EQ(outcome.live_after, 0);
  const int64_t in_loop =
      outcome.collected[0] + outcome.collected[1] + outcome.collected[2];
  // CPython: 774,390 / 875,465 / 66,865.
  EXPECT_GT(outcome.collected[0], in_loop * 3 / 10);
  EXPECT_GT(outcome.collected[1], outcome.collected[2]);
  EXPECT_EQ(in_loop + outcome.found_after_loop, kTrees * kNodesPerTree);
}

TEST_F(SeedWorkloadTest, WeakParentsLeaveNothingToCollect) {
  Outcome outcome = RunSeed<WeakTreeNode>(heap_);
  EXPECT_EQ(outcome.live_after, 0);
  EXPECT_EQ(outcome.collected, (std::array<int64_t, 3>{0, 0, 0}));
  EXPECT_EQ(outcome.found_after_loop, 0);
}

}  // namespace
}  // namespace gc_test
