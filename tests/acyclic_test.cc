// Copyright 2026 The cyclegc Authors.
//
// Acyclic types (`static constexpr bool kAcyclic = true`, gc/object.h): never
// tracked nor examined, destroyed by reference counting alone, weakly
// referenced through their header's cell, moved by gc::Isolate; a broken
// promise leaks its cycle and frees nothing that is referenced.

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

// A tree node with a weak parent: strong edges go down only.
class TreeNode : public gc::Object {
 public:
  static constexpr bool kAcyclic = true;
  explicit TreeNode(Counters* c = nullptr) : counters(c) {}
  ~TreeNode() override {
    if (counters != nullptr) ++counters->destroyed;
  }
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<gc::Object>& child : children) visitor.Visit(child);
  }
  gc::Ref<TreeNode> AddChild() {
    gc::Ref<TreeNode> child = gc::Make<TreeNode>(counters);
    child->parent = gc::Ref<TreeNode>(this);
    children.push_back(child);
    return child;
  }

  Counters* counters;
  gc::WeakRef<TreeNode> parent;
  std::vector<gc::Ref<gc::Object>> children;  // may hold tracked objects
};

// Takes the promise back.
class TrackedTreeNode : public TreeNode {
 public:
  static constexpr bool kAcyclic = false;
};

// A tracked holder of any object.
class Holder : public gc::Object {
 public:
  explicit Holder(Counters* c) : counters(c) {}
  ~Holder() override { ++counters->destroyed; }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(held); }
  Counters* counters;
  gc::Ref<gc::Object> held;
};

class AcyclicTest : public HeapTest {};

TEST_F(AcyclicTest, IsNeitherTrackedNorCounted) {
  const std::array<int64_t, 3> before = heap_.GetCount();
  gc::Ref<TreeNode> root = gc::Make<TreeNode>();
  for (int i = 0; i < 10; ++i) root->AddChild();
  EXPECT_FALSE(gc::IsTracked(*root));
  EXPECT_FALSE(gc::IsTracked(*root->children[0]));
  EXPECT_EQ(heap_.GetCount(), before);
  EXPECT_EQ(heap_.LiveObjects(), 11);
  EXPECT_TRUE(heap_.GetObjects().empty());
  gc::CollectionInfo seen;
  ScopedCallback callback(heap_,
                          [&](gc::Phase phase, const gc::CollectionInfo& info) {
                            if (phase == gc::Phase::kStop) seen = info;
                          });
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(seen.candidates, 0);
  EXPECT_EQ(heap_.LiveObjects(), 11);
}

TEST_F(AcyclicTest, ADerivedTypeMayTakeThePromiseBack) {
  gc::Ref<TrackedTreeNode> node = gc::Make<TrackedTreeNode>();
  EXPECT_TRUE(gc::IsTracked(*node));
  EXPECT_EQ(heap_.GetCount()[0], 1);
  node->children.push_back(node);  // a cycle: the collector's to free
  node = nullptr;
  EXPECT_EQ(Collect(), 1);
}

TEST_F(AcyclicTest, DiesByReferenceCountingAtOnce) {
  Counters counters;
  gc::Ref<TreeNode> root = gc::Make<TreeNode>(&counters);
  gc::Ref<TreeNode> child = root->AddChild();
  child->AddChild();
  child = nullptr;
  EXPECT_EQ(counters.destroyed, 0);
  root = nullptr;  // the whole tree, without a collection
  EXPECT_EQ(counters.destroyed, 3);
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

TEST_F(AcyclicTest, WeakReferencesAreClearedAndCalledBack) {
  gc::Ref<TreeNode> root = gc::Make<TreeNode>();
  gc::Ref<TreeNode> child = root->AddChild();
  int called = 0;
  gc::WeakRef<TreeNode> watched(root, [&](const gc::WeakRef<TreeNode>& self) {
    EXPECT_EQ(self.Lock(), nullptr);
    ++called;
  });
  EXPECT_EQ(child->parent.Lock(), root);
  gc::WeakRef<TreeNode> copy = child->parent;
  root = nullptr;  // the child lives on (held here)
  EXPECT_TRUE(child->parent.expired());
  EXPECT_EQ(copy.Lock(), nullptr);
  EXPECT_EQ(called, 1);
}

TEST_F(AcyclicTest, ABrokenPromiseLeaksTheCycleAndFreesNothingReferenced) {
  Counters counters;
  gc::Ref<TreeNode> a = gc::Make<TreeNode>(&counters);
  gc::Ref<TreeNode> b = gc::Make<TreeNode>(&counters);
  a->children.push_back(b);
  b->children.push_back(a);  // the promise broken
  gc::WeakRef<TreeNode> weak_a = a;
  a = nullptr;
  b = nullptr;
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(counters.destroyed, 0);
  ASSERT_NE(weak_a.Lock(), nullptr);
  // Breaking the cycle by hand frees both.
  gc::Ref<TreeNode> a_again = weak_a.Lock();
  std::vector<gc::Ref<gc::Object>> held = std::move(a_again->children);
  a_again = nullptr;
  EXPECT_EQ(counters.destroyed, 0);  // b holds a
  held.clear();
  EXPECT_EQ(counters.destroyed, 2);
}

TEST_F(AcyclicTest, ACycleThroughOneKeepsItsTrackedObjectsAlive) {
  Counters counters;
  // tracked -> acyclic -> the same tracked: the collector sees the acyclic
  // object's reference as one from outside, and keeps everything.
  gc::Ref<Holder> holder = gc::Make<Holder>(&counters);
  gc::Ref<TreeNode> acyclic = gc::Make<TreeNode>(&counters);
  holder->held = acyclic;
  acyclic->children.push_back(holder);
  gc::WeakRef<Holder> weak = holder;
  holder = nullptr;
  acyclic = nullptr;
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(counters.destroyed, 0);
  // Still whole: the cycle can be broken by hand, which frees both.
  gc::Ref<Holder> again = weak.Lock();
  ASSERT_NE(again, nullptr);
  ASSERT_NE(again->held, nullptr);
  again->held = nullptr;  // the acyclic object goes, and its reference
  EXPECT_EQ(counters.destroyed, 1);
  again = nullptr;
  EXPECT_EQ(counters.destroyed, 2);
  EXPECT_TRUE(weak.expired());
}

TEST(AcyclicHeapTest, OutlivesItsHeap) {
  Counters counters;
  gc::Ref<TreeNode> root;
  gc::WeakRef<TreeNode> weak;
  {
    gc::Heap heap;
    gc::HeapScope scope(heap);
    root = gc::Make<TreeNode>(&counters);
    root->AddChild();
    weak = root;
  }  // the heap goes: its objects live on while referenced
  EXPECT_EQ(counters.destroyed, 0);
  EXPECT_EQ(weak.Lock(), root);
  EXPECT_EQ(root->children.size(), 1u);
  root = nullptr;
  EXPECT_EQ(counters.destroyed, 2);
  EXPECT_TRUE(weak.expired());
}

TEST_F(AcyclicTest, IsolateMovesItAndItStaysUntracked) {
  gc::Heap other;
  other.SetDebug(gc::kDebugVerify);
  gc::Ref<TreeNode> root = gc::Make<TreeNode>();
  gc::Ref<TreeNode> child = root->AddChild();
  root->children.push_back(gc::Make<Node>(7));  // tracked, below
  gc::WeakRef<TreeNode> weak_root = root;
  child = nullptr;
  weak_root = nullptr;
  absl::StatusOr<gc::Isolated<TreeNode>> isolated =
      gc::Isolate(std::move(root));
  ASSERT_TRUE(isolated.ok()) << isolated.status();
  EXPECT_EQ(heap_.LiveObjects(), 0);
  gc::Ref<TreeNode> adopted = other.Adopt(std::move(*isolated));
  ASSERT_NE(adopted, nullptr);
  EXPECT_EQ(other.LiveObjects(), 3);
  EXPECT_FALSE(gc::IsTracked(*adopted));
  EXPECT_FALSE(gc::IsTracked(*adopted->children[0]));
  EXPECT_TRUE(gc::IsTracked(*adopted->children[1]));
  EXPECT_EQ(other.GetObjects().size(), 1u);
  EXPECT_EQ(other.GetCount()[0], 1);
  gc::WeakRef<TreeNode> weak_child =
      gc::StaticRefCast<TreeNode>(adopted->children[0]);
  EXPECT_EQ(weak_child.Lock()->parent.Lock(), adopted);
  adopted = nullptr;
  EXPECT_EQ(other.LiveObjects(), 0);
  EXPECT_TRUE(weak_child.expired());
}

}  // namespace
}  // namespace gc_test
