// Copyright 2026 The cyclegc Authors.
//
// The heap verifier (kDebugVerify): it passes on a healthy heap through every
// kind of collection, fails loudly on corruption, and warns about references
// that a Trace does not report.

#include <vector>

#include "gc/gc.h"
#include "gc/internal/heap_state.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

using VerifierTest = HeapTest;

TEST_F(VerifierTest, HealthyHeapPassesEveryCollectionKind) {
  ASSERT_TRUE(heap_.SetThreshold(5, 2, 2).ok());
  std::vector<gc::Ref<Node>> keep;
  gc::WeakRef<Node> weak;
  for (int i = 0; i < 500; ++i) {
    gc::Ref<Link> ring = MakeRing(1 + i % 4);
    gc::Ref<Node> node = gc::Make<Node>(i);
    weak = node;
    if (i % 3 == 0) keep.push_back(node);
    if (i % 50 == 0) keep.clear();
  }
  for (int g = 0; g < 3; ++g) Collect(g);
  heap_.Freeze();
  Collect();
  heap_.Unfreeze();
  EXPECT_EQ(heap_.GetDebug(), gc::kDebugVerify);
  EXPECT_TRUE(errors_.lines.empty());
}

class HidesARef : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override { visitor.Visit(shown); }
  gc::Ref<gc::Object> shown;
  gc::Ref<gc::Object> hidden;    // Trace forgets this one
  gc::WeakRef<gc::Object> weak;  // weak: rightly not traced
};

TEST_F(VerifierTest, WarnsAboutRefHiddenFromTrace) {
  gc::Ref<HidesARef> a = gc::Make<HidesARef>();
  gc::Ref<Link> b = gc::Make<Link>();
  a->shown = b;
  a->weak = b;
  Collect();
  EXPECT_TRUE(errors_.lines.empty()) << errors_.lines[0];
  a->hidden = b;
  Collect();
  ASSERT_EQ(errors_.lines.size(), 1u);
  EXPECT_TRUE(errors_.Contains("HidesARef holds a pointer to a gc_test::Link"))
      << errors_.lines[0];
  EXPECT_TRUE(errors_.Contains("does not report"));
}

// Makes two tracked objects on a verifying heap, corrupts the heap's state
// with `corrupt`, and collects generation 0.
void CorruptAndCollect(void (*corrupt)(gc::internal::HeapState&)) {
  gc::Heap heap;
  heap.SetDebug(gc::kDebugVerify);
  gc::HeapScope scope(heap);
  gc::Ref<Node> a = gc::Make<Node>();
  gc::Ref<Node> b = gc::Make<Node>();
  corrupt(*gc::internal::HeapState::FromHeap(heap));
  heap.Collect(0);
}

TEST_F(VerifierTest, ReportsObjectsCrossingHeaps) {
  gc::Heap other;
  gc::Ref<Link> foreign;
  {
    gc::HeapScope scope(other);
    foreign = gc::Make<Link>();
  }
  gc::Ref<Link> local = gc::Make<Link>();
  Collect();
  EXPECT_TRUE(errors_.lines.empty());
  local->next = foreign;
  Collect();
  ASSERT_EQ(errors_.lines.size(), 1u);
  EXPECT_TRUE(errors_.Contains(
      "a gc_test::Link references a gc_test::Link made on another heap"))
      << errors_.lines[0];
  EXPECT_TRUE(errors_.Contains("objects must not cross heaps"));
  local.reset();
  foreign.reset();
}

TEST(VerifierDeathTest, CorruptTombstoneCountFailsLoudly) {
  EXPECT_DEATH(CorruptAndCollect([](gc::internal::HeapState& state) {
                 state.tombstones[gc::internal::kListGenerations] = 3;
               }),
               "heap verification failed: between collections: list 1 has 0 "
               "empty slots but counts 3");
}

TEST(VerifierDeathTest, GenerationBoundaryPastTheEndFailsLoudly) {
  EXPECT_DEATH(CorruptAndCollect([](gc::internal::HeapState& state) {
                 state.gen0_begin = 99;
               }),
               "generation boundaries 0 and 99 in a list of 2");
}

TEST(VerifierDeathTest, ObjectInWrongSlotFailsLoudly) {
  EXPECT_DEATH(CorruptAndCollect([](gc::internal::HeapState& state) {
                 auto& gen0 = state.lists[gc::internal::kListGenerations];
                 std::swap(gen0[0], gen0[1]);
               }),
               "has another index in its GcHeader");
}

}  // namespace
}  // namespace gc_test
