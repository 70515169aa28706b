// Copyright 2026 The cyclegc Authors.
//
// Managed objects and strong references: counting, casts, hashing,
// deterministic and iterative destruction.

#include <cstdint>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace gc_test {
namespace {

TEST(RefLayoutTest, RefIsOnePointerWide) {
  EXPECT_EQ(sizeof(gc::Ref<Node>), sizeof(void*));
  EXPECT_EQ(sizeof(gc::Ref<gc::Object>), sizeof(void*));
}

TEST(RefLayoutTest, ObjectHeaderIsVtablePlusEightBytes) {
  // vtable pointer + 32-bit refcount + 32-bit bits; tracked objects carry a
  // further 8-byte GcHeader in front (see gc/object.h).
  EXPECT_EQ(sizeof(gc::Object), sizeof(void*) + 8);
  EXPECT_EQ(sizeof(gc::internal::GcHeader), 8u);
}

using RefTest = HeapTest;

TEST_F(RefTest, MakeReturnsTheOnlyReference) {
  gc::Ref<Node> a = gc::Make<Node>(1);
  EXPECT_EQ(gc::RefCount(*a), 1);
  EXPECT_EQ(a->value, 1);
}

TEST_F(RefTest, CopiesCountAndMovesDoNot) {
  gc::Ref<Node> a = gc::Make<Node>(1);
  gc::Ref<Node> b = a;
  EXPECT_EQ(gc::RefCount(*a), 2);
  gc::Ref<Node> c = std::move(b);
  EXPECT_EQ(gc::RefCount(*a), 2);
  EXPECT_FALSE(b);  // NOLINT: moved-from is null
  c = nullptr;
  EXPECT_EQ(gc::RefCount(*a), 1);
}

TEST_F(RefTest, LastReferenceDestroysAtOnce) {
  Counters counters;
  gc::Ref<Node> a = gc::Make<Node>(1, &counters);
  gc::Ref<Node> b = a;
  a.reset();
  EXPECT_EQ(counters.destroyed, 0);
  b = nullptr;
  EXPECT_EQ(counters.destroyed, 1);
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

TEST_F(RefTest, SelfAssignmentKeepsObject) {
  Counters counters;
  gc::Ref<Node> a = gc::Make<Node>(1, &counters);
  gc::Ref<Node>& alias = a;
  a = alias;
  EXPECT_EQ(gc::RefCount(*a), 1);
  EXPECT_EQ(counters.destroyed, 0);
}

TEST_F(RefTest, UpcastAndStaticCast) {
  gc::Ref<Node> a = gc::Make<Node>(5);
  gc::Ref<gc::Object> o = a;
  EXPECT_EQ(gc::RefCount(*a), 2);
  gc::Ref<Node> c = gc::StaticRefCast<Node>(o);
  EXPECT_EQ(c.get(), a.get());
  EXPECT_EQ(gc::RefCount(*a), 3);
  EXPECT_TRUE(o == a);
}

TEST_F(RefTest, DynamicCastIsNullForWrongType) {
  gc::Ref<gc::Object> o = gc::Make<Node>(1);
  gc::Ref<Leaf> none = gc::DynamicRefCast<Leaf>(o);
  EXPECT_FALSE(none);
  EXPECT_EQ(gc::RefCount(*o), 1);
  gc::Ref<Node> node = gc::DynamicRefCast<Node>(o);
  ASSERT_TRUE(node);
  EXPECT_EQ(gc::RefCount(*o), 2);
}

TEST_F(RefTest, ComparesAndHashes) {
  gc::Ref<Node> a = gc::Make<Node>(1);
  gc::Ref<Node> b = a;
  gc::Ref<Node> c = gc::Make<Node>(2);
  EXPECT_TRUE(a == b);
  EXPECT_TRUE(a != c);
  EXPECT_TRUE(a != nullptr);
  EXPECT_TRUE(gc::Ref<Node>() == nullptr);
  absl::flat_hash_set<gc::Ref<Node>> set;
  set.insert(a);
  set.insert(b);
  set.insert(c);
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.contains(b));
  std::hash<gc::Ref<Node>> hasher;
  EXPECT_EQ(hasher(a), hasher(b));
}

class SelfReferrer : public gc::Object {
 public:
  SelfReferrer() { registry.push_back(gc::Ref<SelfReferrer>(this)); }
  gc::Ref<SelfReferrer> Self() { return gc::Ref<SelfReferrer>(this); }
  static std::vector<gc::Ref<SelfReferrer>> registry;
};
std::vector<gc::Ref<SelfReferrer>> SelfReferrer::registry;

TEST_F(RefTest, RefFromThisInConstructorAndMethods) {
  gc::Ref<SelfReferrer> a = gc::Make<SelfReferrer>();
  EXPECT_EQ(gc::RefCount(*a), 2);  // a + registry
  gc::Ref<SelfReferrer> self = a->Self();
  EXPECT_EQ(gc::RefCount(*a), 3);
  SelfReferrer::registry.clear();
  EXPECT_EQ(gc::RefCount(*a), 2);
}

TEST(RefDeathTest, RefFromUnmanagedObjectFailsLoudly) {
  EXPECT_DEATH(
      {
        Leaf on_stack;
        gc::Ref<Leaf> bad(&on_stack);
      },
      "not made by gc::Make");
}

class ResurrectInDestructor : public gc::Object {
 public:
  ~ResurrectInDestructor() override {
    gc::Ref<ResurrectInDestructor> again(this);
  }
};

TEST(RefDeathTest, RefFromDyingObjectFailsLoudly) {
  EXPECT_DEATH({ gc::Make<ResurrectInDestructor>(); },
               "whose destructor is running");
}

TEST_F(RefTest, UntrackedTypeIsNotTrackedAndDoesNotCount) {
  gc::Ref<Leaf> leaf = gc::Make<Leaf>();
  EXPECT_FALSE(gc::IsTracked(*leaf));
  EXPECT_EQ(heap_.GetCount()[0], 0);
  gc::Ref<Node> node = gc::Make<Node>();
  EXPECT_TRUE(gc::IsTracked(*node));
  EXPECT_EQ(heap_.GetCount()[0], 1);
  EXPECT_EQ(heap_.LiveObjects(), 2);
}

class ThrowingConstructor : public gc::Object {
 public:
  explicit ThrowingConstructor(gc::WeakRef<gc::Object>* watcher) {
    *watcher = gc::Ref<gc::Object>(this);
    throw std::runtime_error("no");
  }
  void Trace(gc::Visitor&) override {}
};

TEST_F(RefTest, ThrowingConstructorLeaksNothing) {
  gc::WeakRef<gc::Object> watcher;
  EXPECT_THROW(gc::Make<ThrowingConstructor>(&watcher), std::runtime_error);
  EXPECT_TRUE(watcher.expired());
  EXPECT_EQ(heap_.LiveObjects(), 0);
  EXPECT_EQ(heap_.GetCount()[0], 0);
  EXPECT_TRUE(heap_.GetObjects().empty());
}

class AlignedNode : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
  alignas(16) long double value = 1.5L;
  gc::Ref<AlignedNode> next;
};

TEST_F(RefTest, OverAlignedTrackedTypeIsAligned) {
  gc::Ref<AlignedNode> a = gc::Make<AlignedNode>();
  gc::Ref<AlignedNode> b = gc::Make<AlignedNode>();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(&a->value) % 16, 0u);
  a->next = b;
  b->next = a;
  a.reset();
  b.reset();
  EXPECT_EQ(Collect(), 2);
}

// A destructor that drops the next link: destroying the head of a long chain
// must not recurse once per link.
TEST_F(RefTest, DestroyingTenMillionNodeChainIsIterative) {
  constexpr int kLength = 10'000'000;
  heap_.Disable();
  heap_.SetDebug(0);  // scale, not invariants: the verifier is linear too
  Counters counters;
  gc::Ref<Link> head = gc::Make<Link>(&counters);
  {
    gc::Ref<Link> tail = head;
    for (int i = 1; i < kLength; ++i) {
      gc::Ref<Link> next = gc::Make<Link>(&counters);
      tail->next = next;
      tail = std::move(next);
    }
  }
  EXPECT_EQ(heap_.LiveObjects(), kLength);
  head.reset();
  EXPECT_EQ(counters.destroyed, kLength);
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

TEST_F(RefTest, DestroyingWideFanOutIsIterative) {
  Counters counters;
  gc::Ref<Node> root = gc::Make<Node>(0, &counters);
  for (int i = 0; i < 100'000; ++i) {
    root->children.push_back(gc::Make<Node>(i, &counters));
  }
  root.reset();
  EXPECT_EQ(counters.destroyed, 100'001);
}

}  // namespace
}  // namespace gc_test
