// Copyright 2026 The cyclegc Authors.
//
// gc::Isolate / gc::Heap::Adopt (include/gc/isolate.h): a graph whose
// counts are explained by its own edges and its root leaves its heap in one
// step and is adopted by another; anything else is refused and nothing
// changes. Moved objects' memory stays valid wherever they die.

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace {

using gc_test::Counters;
using gc_test::HeapTest;
using gc_test::Leaf;
using gc_test::Link;
using gc_test::Node;

// A tree of `n` nodes (each child points back at its parent: cycles), with
// an untracked leaf under the root.
gc::Ref<Node> MakeTree(int n, Counters* counters) {
  gc::Ref<Node> root = gc::Make<Node>(0, counters);
  std::vector<gc::Ref<Node>> nodes{root};
  for (int i = 1; i < n; ++i) {
    gc::Ref<Node> child = gc::Make<Node>(i, counters);
    child->parent = nodes[(i - 1) / 2];
    nodes[(i - 1) / 2]->children.push_back(child);
    nodes.push_back(child);
  }
  return root;
}

class Holder : public gc::Object {
 public:
  explicit Holder(Counters* c = nullptr) : counters(c) {}
  ~Holder() override {
    if (counters != nullptr) ++counters->destroyed;
  }
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(node);
    visitor.Visit(leaf);
  }
  gc::Ref<Node> node;
  gc::Ref<Leaf> leaf;
  gc::WeakRef<Node> weak;
  Counters* counters;
};

using IsolateTest = HeapTest;

TEST_F(IsolateTest, TreeWithParentPointersMovesToAnotherHeap) {
  Counters counters;
  gc::Ref<Node> root = MakeTree(100, &counters);
  const int64_t count0 = heap_.GetCount()[0];
  ASSERT_EQ(heap_.LiveObjects(), 100);
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(root));
  ASSERT_TRUE(iso.ok()) << iso.status();
  EXPECT_EQ(root, nullptr);
  EXPECT_EQ(heap_.LiveObjects(), 0);
  EXPECT_EQ(heap_.GetCount()[0], count0 - 100);  // as for deaths
  EXPECT_TRUE(heap_.GetObjects().empty());

  gc::Heap other;
  other.SetDebug(gc::kDebugVerify);
  gc::HeapScope scope(other);
  const int64_t other_count0 = other.GetCount()[0];
  gc::Ref<Node> adopted = other.Adopt(std::move(*iso));
  EXPECT_FALSE(*iso);
  EXPECT_EQ(adopted->value, 0);
  EXPECT_EQ(other.LiveObjects(), 100);
  EXPECT_EQ(other.GetCount()[0], other_count0 + 100);  // as allocations
  EXPECT_EQ(other.GetObjects(0).size(), 100u);
  EXPECT_EQ(other.Collect(), 0);
  adopted.reset();
  EXPECT_EQ(counters.destroyed, 0);  // cycles: for the collector
  EXPECT_EQ(other.Collect(), 100);
  EXPECT_EQ(counters.destroyed, 100);
  EXPECT_EQ(other.LiveObjects(), 0);
}

TEST_F(IsolateTest, ReferenceFromOutsideIsRefusedAndNothingChanges) {
  Counters counters;
  gc::Ref<Node> root = MakeTree(10, &counters);
  gc::Ref<Node> inner = root->children[0]->children[1];
  const std::array<int64_t, 3> counts = heap_.GetCount();
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(root));
  ASSERT_FALSE(iso.ok());
  EXPECT_EQ(iso.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(iso.status().message().find("a gc_test::Node at"),
            std::string::npos)
      << iso.status();
  EXPECT_NE(iso.status().message().find("referenced from outside"),
            std::string::npos);
  EXPECT_NE(root, nullptr);  // still holds the object
  EXPECT_EQ(heap_.LiveObjects(), 10);
  EXPECT_EQ(heap_.GetCount(), counts);
  EXPECT_EQ(heap_.GetObjects().size(), 10u);
  // Drop the outside reference: now it moves.
  inner.reset();
  iso = gc::Isolate(std::move(root));
  ASSERT_TRUE(iso.ok()) << iso.status();
  root = heap_.Adopt(std::move(*iso));  // back home
  EXPECT_EQ(heap_.LiveObjects(), 10);
  root.reset();
  EXPECT_EQ(Collect(), 10);
}

TEST_F(IsolateTest, ExtraReferenceToTheRootIsRefused) {
  gc::Ref<Node> root = MakeTree(3, nullptr);
  gc::Ref<Node> again = root;
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(root));
  ASSERT_FALSE(iso.ok());
  EXPECT_NE(iso.status().message().find("plus the root"), std::string::npos)
      << iso.status();
  EXPECT_EQ(root, again);
}

TEST_F(IsolateTest, ObjectSharedWithAnotherGraphIsRefused) {
  gc::Ref<Node> shared = gc::Make<Node>(99);
  gc::Ref<Node> a = gc::Make<Node>(1);
  gc::Ref<Node> b = gc::Make<Node>(2);
  a->children.push_back(shared);
  b->children.push_back(shared);
  shared.reset();
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(a));
  ASSERT_FALSE(iso.ok());
  EXPECT_NE(a, nullptr);
  b.reset();  // now only a's graph holds it
  iso = gc::Isolate(std::move(a));
  EXPECT_TRUE(iso.ok()) << iso.status();
}

TEST_F(IsolateTest, WeakReferenceFromOutsideIsRefused) {
  gc::Ref<Node> root = MakeTree(4, nullptr);
  gc::WeakRef<Node> outside = root->children[1];
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(root));
  ASSERT_FALSE(iso.ok());
  EXPECT_NE(iso.status().message().find("weak reference from outside"),
            std::string::npos)
      << iso.status();
  EXPECT_FALSE(outside.expired());
  outside = gc::WeakRef<Node>();
  iso = gc::Isolate(std::move(root));
  EXPECT_TRUE(iso.ok()) << iso.status();
}

TEST_F(IsolateTest, WeakReferencesInsideTheGraphMoveWithIt) {
  Counters counters;
  gc::Ref<Holder> root = gc::Make<Holder>(&counters);
  root->node = gc::Make<Node>(5, &counters);
  root->leaf = gc::Make<Leaf>(&counters);
  root->weak = root->node;
  root->node->sibling = root->node;  // a weak self-reference, inside too
  absl::StatusOr<gc::Isolated<Holder>> iso = gc::Isolate(std::move(root));
  ASSERT_TRUE(iso.ok()) << iso.status();
  gc::Heap other;
  other.SetDebug(gc::kDebugVerify);
  gc::HeapScope scope(other);
  gc::Ref<Holder> adopted = other.Adopt(std::move(*iso));
  EXPECT_EQ(adopted->weak.Lock(), adopted->node);
  EXPECT_EQ(other.LiveObjects(), 3);
  adopted->node.reset();  // the weak references expire on the new heap
  EXPECT_TRUE(adopted->weak.expired());
  adopted.reset();
  EXPECT_EQ(counters.destroyed, 3);
}

TEST_F(IsolateTest, NullRootIsInvalid) {
  gc::Ref<Node> none;
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(none));
  EXPECT_EQ(iso.status().code(), absl::StatusCode::kInvalidArgument);
}

class CountingAllocator : public gc::Allocator {
 public:
  void* Allocate(size_t size) override { return ::operator new(size); }
  void Deallocate(void* memory) noexcept override { ::operator delete(memory); }
};

TEST(IsolateAllocatorTest, HeapWithItsOwnAllocatorRefuses) {
  CountingAllocator allocator;
  gc::Heap heap;
  ASSERT_TRUE(heap.SetAllocator(&allocator).ok());
  gc::HeapScope scope(heap);
  gc::Ref<Node> root = gc::Make<Node>();
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(root));
  EXPECT_EQ(iso.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(root, nullptr);
}

TEST_F(IsolateTest, AdoptIntoAHeapWithItsOwnAllocatorRefusesAndKeepsTheGraph) {
  Counters counters;
  absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(MakeTree(10, &counters));
  ASSERT_TRUE(iso.ok()) << iso.status();
  {
    CountingAllocator allocator;
    gc::Heap refusing;
    ASSERT_TRUE(refusing.SetAllocator(&allocator).ok());
    gc_test::Lines errors;
    refusing.SetErrorReporter(errors.Sink());
    gc::HeapScope scope(refusing);
    gc::Ref<Node> none = refusing.Adopt(std::move(*iso));
    EXPECT_EQ(none, nullptr);
    EXPECT_TRUE(*iso);  // the graph is still there, whole
    EXPECT_EQ(refusing.LiveObjects(), 0);
    EXPECT_TRUE(errors.Contains("FAILED_PRECONDITION"));
  }
  EXPECT_EQ(counters.destroyed, 0);
  gc::Ref<Node> root = heap_.Adopt(std::move(*iso));
  ASSERT_NE(root, nullptr);
  EXPECT_FALSE(*iso);
  EXPECT_EQ(heap_.LiveObjects(), 10);
  root.reset();
  heap_.Collect();
  EXPECT_EQ(counters.destroyed, 10);
}

TEST_F(IsolateTest, DroppedIsolatedIsAdoptedByTheCurrentHeap) {
  Counters counters;
  gc::Ref<Node> chain = gc::Make<Node>(0, &counters);
  chain->children.push_back(gc::Make<Node>(1, &counters));
  gc::Ref<Node> ring = MakeTree(5, &counters);
  {
    absl::StatusOr<gc::Isolated<Node>> a = gc::Isolate(std::move(chain));
    absl::StatusOr<gc::Isolated<Node>> b = gc::Isolate(std::move(ring));
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(heap_.LiveObjects(), 0);
  }
  EXPECT_EQ(counters.destroyed, 2);  // acyclic: at once
  EXPECT_EQ(heap_.LiveObjects(), 5);
  EXPECT_EQ(Collect(), 5);  // cycles: at the next collection
  EXPECT_EQ(counters.destroyed, 7);
}

TEST_F(IsolateTest, LongChainIsWalkedIteratively) {
  constexpr int kLength = 1000000;
  gc::Ref<Link> head = gc::Make<Link>();
  gc::Ref<Link> tail = head;
  for (int i = 1; i < kLength; ++i) {
    gc::Ref<Link> next = gc::Make<Link>();
    tail->next = next;
    tail = next;
  }
  tail->next = head;  // one big ring
  tail.reset();
  absl::StatusOr<gc::Isolated<Link>> iso = gc::Isolate(std::move(head));
  ASSERT_TRUE(iso.ok()) << iso.status();
  EXPECT_EQ(heap_.LiveObjects(), 0);
  head = heap_.Adopt(std::move(*iso));
  EXPECT_EQ(heap_.LiveObjects(), kLength);
  head.reset();
  EXPECT_EQ(Collect(), kLength);
}

TEST(IsolateHeapsTest, AdoptedObjectsOutliveTheHeapTheyCameFrom) {
  Counters counters;
  gc::Heap target;
  absl::StatusOr<gc::Isolated<Node>> iso =
      absl::FailedPreconditionError("unset");
  {
    gc::Heap origin;
    gc::HeapScope scope(origin);
    std::vector<gc::Ref<Node>> stay;  // keeps the origin's chunks in use
    for (int i = 0; i < 50; ++i) stay.push_back(gc::Make<Node>(i));
    iso = gc::Isolate(MakeTree(200, &counters));
    ASSERT_TRUE(iso.ok()) << iso.status();
  }  // the origin heap and its state are gone; its chunks with moved
     // blocks stay mapped
  gc::HeapScope scope(target);
  gc::Ref<Node> adopted = target.Adopt(std::move(*iso));
  for (int round = 0; round < 3; ++round) {  // reuse the memory around them
    std::vector<gc::Ref<Node>> churn;
    for (int i = 0; i < 1000; ++i) churn.push_back(gc::Make<Node>(i));
  }
  EXPECT_EQ(adopted->children[0]->value, 1);
  adopted.reset();
  EXPECT_EQ(target.Collect(), 200);
  EXPECT_EQ(counters.destroyed, 200);
}

TEST(IsolateHeapsTest, GraphsMoveBetweenThreadsAndTheirMemoryComesBack) {
  constexpr int kRounds = 200;
  Counters counters;  // written on the worker only, read after join
  gc::Heap origin;
  gc::HeapScope scope(origin);
  std::vector<absl::StatusOr<gc::Isolated<Node>>> graphs;
  for (int i = 0; i < kRounds; ++i) {
    graphs.push_back(gc::Isolate(MakeTree(20, &counters)));
    ASSERT_TRUE(graphs.back().ok());
  }
  std::thread worker([&graphs] {
    gc::Heap heap;
    gc::HeapScope worker_scope(heap);
    for (auto& graph : graphs) {
      gc::Ref<Node> root = heap.Adopt(std::move(*graph));
      root->children.clear();  // some die at once
      root.reset();
    }
    heap.Collect();
  });
  worker.join();
  EXPECT_EQ(counters.destroyed, kRounds * 20);
  EXPECT_EQ(origin.LiveObjects(), 0);
  origin.Collect();  // takes the returned blocks back
  std::vector<gc::Ref<Node>> again;
  for (int i = 0; i < kRounds * 20; ++i) again.push_back(gc::Make<Node>(i));
  EXPECT_EQ(origin.LiveObjects(), kRounds * 20);
}

}  // namespace
