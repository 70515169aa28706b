// Copyright 2026 The cyclegc Authors.
//
// What is alive, what grows and why an object is alive: Heap::CountByType,
// gc::GrowthTracker and Heap::FindRootPath.

#include <cstdint>
#include <string>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "test_types.h"

namespace gc_test {
namespace {

using LeakHuntTest = HeapTest;

// Too large for the heap's pools: allocated on its own.
class Big : public Node {
 public:
  char payload[400] = {};
};

// Untracked, but holds a strong reference (the collector cannot see it).
class Holder : public gc::Object {
 public:
  gc::Ref<Node> held;
};

const gc::TypeCount* Row(const std::vector<gc::TypeCount>& census,
                         const std::string& name) {
  for (const gc::TypeCount& row : census) {
    if (row.type_name == name) return &row;
  }
  return nullptr;
}

TEST_F(LeakHuntTest, CountByTypeCountsEveryGenerationAndThePermanentOne) {
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 3; ++i) nodes.push_back(gc::Make<Node>(i));
  heap_.Freeze();  // 3 permanent
  nodes.push_back(gc::Make<Node>(3));
  Collect();  // 1 in generation 2
  nodes.push_back(gc::Make<Node>(4));
  Collect(0);  // 1 in generation 1
  std::vector<gc::Ref<Link>> links{gc::Make<Link>(),
                                   gc::Make<Link>()};  // gen 0
  gc::Ref<Leaf> leaf = gc::Make<Leaf>();               // untracked: not counted
  ASSERT_EQ(heap_.GetFreezeCount(), 3);

  const std::vector<gc::TypeCount> census = heap_.CountByType();
  ASSERT_EQ(census.size(), 2u);
  EXPECT_EQ(census[0].type_name, "gc_test::Node");
  EXPECT_EQ(census[0].count, 5);
  EXPECT_EQ(census[0].bytes, 5 * static_cast<int64_t>(8 + sizeof(Node)));
  EXPECT_EQ(census[1].type_name, "gc_test::Link");
  EXPECT_EQ(census[1].count, 2);
  EXPECT_EQ(census[1].bytes, 2 * static_cast<int64_t>(8 + sizeof(Link)));
  heap_.Unfreeze();
}

TEST_F(LeakHuntTest, CountByTypeOrdersByCountThenName) {
  gc::Ref<Node> a = gc::Make<Node>();
  gc::Ref<Link> b = gc::Make<Link>();
  gc::Ref<Big> c = gc::Make<Big>();
  gc::Ref<Big> d = gc::Make<Big>();
  const std::vector<gc::TypeCount> census = heap_.CountByType();
  ASSERT_EQ(census.size(), 3u);
  EXPECT_EQ(census[0].type_name, "gc_test::(anonymous namespace)::Big");
  EXPECT_EQ(census[1].type_name, "gc_test::Link");  // tie: by name
  EXPECT_EQ(census[2].type_name, "gc_test::Node");
}

TEST_F(LeakHuntTest, CountByTypeBytesAreWhatTheAllocationsAskedFor) {
  gc::Ref<Big> big = gc::Make<Big>();
  gc::Ref<Big> other = gc::Make<Big>();
  const std::vector<gc::TypeCount> census = heap_.CountByType();
  const gc::TypeCount* row = Row(census, "gc_test::(anonymous namespace)::Big");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->bytes, 2 * static_cast<int64_t>(8 + sizeof(Big)));
}

TEST_F(LeakHuntTest, GrowthTrackerListsOnlyTypesThatRose) {
  std::vector<gc::Ref<Link>> links{gc::Make<Link>(), gc::Make<Link>(),
                                   gc::Make<Link>()};
  gc::GrowthTracker growth(heap_);
  std::vector<gc::Ref<Node>> nodes;
  for (int i = 0; i < 5; ++i) nodes.push_back(gc::Make<Node>(i));
  links.pop_back();  // Links shrink: not listed
  std::vector<gc::TypeGrowth> grown = growth.Update();
  ASSERT_EQ(grown.size(), 1u);
  EXPECT_EQ(grown[0].type_name, "gc_test::Node");
  EXPECT_EQ(grown[0].count, 5);
  EXPECT_EQ(grown[0].delta, 5);

  EXPECT_TRUE(growth.Update().empty());  // nothing rose since the last look

  links.push_back(gc::Make<Link>());  // 3 again: +1 since the last look
  nodes.push_back(gc::Make<Node>());
  nodes.push_back(gc::Make<Node>());  // +2
  grown = growth.Update();
  ASSERT_EQ(grown.size(), 2u);
  EXPECT_EQ(grown[0].type_name, "gc_test::Node");  // largest rise first
  EXPECT_EQ(grown[0].delta, 2);
  EXPECT_EQ(grown[0].count, 7);
  EXPECT_EQ(grown[1].type_name, "gc_test::Link");
  EXPECT_EQ(grown[1].delta, 1);
  EXPECT_EQ(grown[1].count, 3);
}

TEST_F(LeakHuntTest, GrowthTrackerHoldsNoReferences) {
  Counters counters;
  gc::GrowthTracker growth(heap_);
  gc::Ref<Node> node = gc::Make<Node>(1, &counters);
  EXPECT_EQ(growth.Update().size(), 1u);
  node.reset();
  EXPECT_EQ(counters.destroyed, 1);  // at once: the tracker kept nothing
  EXPECT_TRUE(growth.Update().empty());
}

TEST_F(LeakHuntTest, FindRootPathIsTheObjectWhenItIsHeldFromOutside) {
  gc::Ref<Node> x = gc::Make<Node>();
  gc::Ref<Node> holder = gc::Make<Node>();
  holder->children.push_back(x);  // also held by a tracked object
  const std::vector<gc::Ref<gc::Object>> chain = heap_.FindRootPath(*x);
  ASSERT_EQ(chain.size(), 1u);
  EXPECT_EQ(chain[0], x);
}

TEST_F(LeakHuntTest, FindRootPathFollowsAShortestChainThroughCycles) {
  // root -> a -> b -> c -> x and root -> d -> x, with cycles a <-> b and
  // x -> root.
  gc::Ref<Node> root = gc::Make<Node>(0);
  std::vector<gc::Ref<Node>> n;
  for (int i = 1; i <= 5; ++i) n.push_back(gc::Make<Node>(i));
  gc::Ref<Node> a = n[0], b = n[1], c = n[2], d = n[3], x = n[4];
  root->children = {a, d};
  a->children = {b};
  b->children = {c, a};
  c->children = {x};
  d->children = {x};
  x->parent = root;
  n.clear();
  a.reset(), b.reset(), c.reset(), d.reset();
  Node* target = x.get();
  x.reset();

  const std::vector<gc::Ref<gc::Object>> chain = heap_.FindRootPath(*target);
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(chain[0], root);
  EXPECT_EQ(chain[1], root->children[1]);  // d
  EXPECT_EQ(chain[2].get(), target);
  root->children.clear();
}

TEST_F(LeakHuntTest, FindRootPathWalksARingFromItsHeldMember) {
  gc::Ref<Link> first = MakeRing(6);
  gc::Object* fourth = first.get();
  for (int i = 0; i < 3; ++i) {
    fourth = static_cast<Link*>(fourth)->next.get();
  }
  const std::vector<gc::Ref<gc::Object>> chain = heap_.FindRootPath(*fourth);
  ASSERT_EQ(chain.size(), 4u);
  EXPECT_EQ(chain.front(), first);
  EXPECT_EQ(chain.back().get(), fourth);
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    EXPECT_EQ(gc::StaticRefCast<Link>(chain[i])->next, chain[i + 1]);
  }
}

TEST_F(LeakHuntTest, FindRootPathStartsAtObjectsHeldByUntrackedObjects) {
  gc::Ref<Holder> holder = gc::Make<Holder>();  // untracked: "outside"
  holder->held = gc::Make<Node>(1);
  holder->held->children.push_back(gc::Make<Node>(2));
  Node* inner = holder->held->children[0].get();
  const std::vector<gc::Ref<gc::Object>> chain = heap_.FindRootPath(*inner);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0], holder->held);
  EXPECT_EQ(chain[1].get(), inner);
}

TEST_F(LeakHuntTest, FindRootPathIsEmptyForCyclicGarbage) {
  gc::Ref<Link> ring = MakeRing(3);
  gc::Object* member = ring->next.get();
  ring.reset();  // garbage waiting for a collection
  EXPECT_TRUE(heap_.FindRootPath(*member).empty());
  EXPECT_EQ(Collect(), 3);
}

TEST_F(LeakHuntTest, FindRootPathIsEmptyForUntrackedObjects) {
  gc::Ref<Leaf> leaf = gc::Make<Leaf>();
  EXPECT_TRUE(heap_.FindRootPath(*leaf).empty());
}

TEST_F(LeakHuntTest, FindRootPathCoversThePermanentGeneration) {
  gc::Ref<Node> root = gc::Make<Node>();
  heap_.Freeze();
  root->children.push_back(gc::Make<Node>());  // generation 0
  const std::vector<gc::Ref<gc::Object>> chain =
      heap_.FindRootPath(*root->children[0]);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0], root);
  heap_.Unfreeze();
}

TEST_F(LeakHuntTest, FindRootPathHandlesALongChainWithoutRecursion) {
  constexpr int kLength = 200000;
  gc::Ref<Node> head = gc::Make<Node>(0);
  Node* tail = head.get();
  for (int i = 1; i < kLength; ++i) {
    tail->children.push_back(gc::Make<Node>(i));
    tail = tail->children[0].get();
  }
  const std::vector<gc::Ref<gc::Object>> chain = heap_.FindRootPath(*tail);
  ASSERT_EQ(chain.size(), static_cast<size_t>(kLength));
  EXPECT_EQ(chain.front(), head);
}

TEST_F(LeakHuntTest, FindRootPathIsEmptyDuringACollection) {
  gc::Ref<Node> x = gc::Make<Node>();
  size_t length = 99;
  ScopedCallback callback(heap_, [&](gc::Phase, const gc::CollectionInfo&) {
    length = heap_.FindRootPath(*x).size();
  });
  Collect();
  EXPECT_EQ(length, 0u);
  EXPECT_EQ(heap_.FindRootPath(*x).size(), 1u);  // between collections
}

using LeakHuntDeathTest = LeakHuntTest;

TEST_F(LeakHuntDeathTest, FindRootPathOfAnotherHeapsObjectFailsLoudly) {
  gc::Heap other;
  gc::Ref<Node> foreign;
  {
    gc::HeapScope scope(other);
    foreign = gc::Make<Node>();
  }
  EXPECT_DEATH(heap_.FindRootPath(*foreign), "belongs to another heap");
  EXPECT_DEATH((void)heap_.ToDot({foreign}), "belongs to another heap");
  foreign.reset();
}

#ifndef NDEBUG
// A tracker or timeline that outlives its heap (checked in debug builds).
TEST_F(LeakHuntDeathTest, HelpersOutlivingTheirHeapFailLoudly) {
  EXPECT_DEATH(
      {
        auto* heap = new gc::Heap;
        gc::GrowthTracker growth(*heap);
        delete heap;
      },
      "GrowthTracker outlived its gc::Heap");
  EXPECT_DEATH(
      {
        auto* heap = new gc::Heap;
        gc::CollectionTimeline timeline(*heap);
        delete heap;
      },
      "CollectionTimeline outlived its gc::Heap");
}
#endif

}  // namespace
}  // namespace gc_test
