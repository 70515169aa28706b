// Copyright 2026 The cyclegc Authors.
//
// A heap's owner (gc/heap.h, "Threading"): the thread that made it or most
// recently installed it with a HeapScope. Off the owner, debug builds and
// heaps with kDebugVerify fail loudly, naming the heap, the type and both
// threads.

#include <cstdint>
#include <thread>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace {

using gc_test::Link;
using gc_test::Node;

// Runs `fn` on a new thread and waits for it.
template <typename Fn>
void OnOtherThread(Fn fn) {
  std::thread thread(fn);
  thread.join();
}

class HeapOwnerDeathTest : public ::testing::Test {
 protected:
  HeapOwnerDeathTest() { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(HeapOwnerDeathTest, CollectOffTheOwnerFailsNamingHeapAndThreads) {
  EXPECT_DEATH(
      {
        gc::Heap heap;
        heap.SetDebug(gc::kDebugVerify);  // checked in -c opt too
        OnOtherThread([&heap] { heap.Collect(); });
      },
      "gc::Heap::Collect on thread [0-9]+, but heap #[0-9]+ belongs to "
      "thread [0-9]+");
}

TEST_F(HeapOwnerDeathTest, HeapApiOffTheOwnerFails) {
  EXPECT_DEATH(
      {
        gc::Heap heap;
        heap.SetDebug(gc::kDebugVerify);
        OnOtherThread([&heap] { (void)heap.SetThreshold(100); });
      },
      "gc::Heap::SetThreshold on thread");
  EXPECT_DEATH(
      {
        gc::Heap heap;
        heap.SetDebug(gc::kDebugVerify);
        OnOtherThread([&heap] { heap.AddCallback(nullptr); });
      },
      "gc::Heap::AddCallback on thread");
}

TEST_F(HeapOwnerDeathTest, MakeOnAHeapHandedOverToAnotherThreadFails) {
  EXPECT_DEATH(
      {
        gc::Heap heap;
        heap.SetDebug(gc::kDebugVerify);
        gc::HeapScope scope(heap);
        // The other thread takes the heap over, and this one goes on.
        OnOtherThread([&heap] { gc::HeapScope taken(heap); });
        gc::Ref<Node> node = gc::Make<Node>();
      },
      // gc::Make<T> checks inline in debug builds, Track with kDebugVerify.
      "gc::Make(<gc_test::Node>| \\(a gc_test::Node\\)) on thread [0-9]+, "
      "but heap #[0-9]+ belongs to thread [0-9]+");
}

TEST_F(HeapOwnerDeathTest, DebugBuildsCheckMakeOfUntrackedObjects) {
#ifdef NDEBUG
  GTEST_SKIP() << "debug builds only";
#endif
  EXPECT_DEATH(
      {
        gc::Heap heap;
        gc::HeapScope scope(heap);
        OnOtherThread([&heap] { gc::HeapScope taken(heap); });
        gc::Ref<gc_test::Leaf> leaf = gc::Make<gc_test::Leaf>();
      },
      "gc::Make<gc_test::Leaf> on thread");
}

TEST_F(HeapOwnerDeathTest, DebugBuildsCheckRefCopiesOnOtherThreads) {
#ifdef NDEBUG
  GTEST_SKIP() << "debug builds only";
#endif
  EXPECT_DEATH(
      {
        gc::Heap heap;
        gc::HeapScope scope(heap);
        gc::Ref<Node> node = gc::Make<Node>();
        OnOtherThread([&node] { gc::Ref<Node> copy = node; });
      },
      "a gc::Ref to a gc_test::Node was copied or dropped on thread [0-9]+, "
      "but heap #[0-9]+ belongs to thread [0-9]+");
}

TEST_F(HeapOwnerDeathTest, RefCountOverflowNamesARaceAsTheLikelyCause) {
  EXPECT_DEATH(
      {
        gc::Heap heap;
        gc::HeapScope scope(heap);
        gc::Ref<Node> node = gc::Make<Node>();
        gc::internal::ObjectAccess::RefCountField(*node) = UINT32_MAX;
        gc::Ref<Node> copy = node;
      },
      "reference count overflow on a gc_test::Node.*likely cause is a data "
      "race");
}

TEST(HeapOwnerTest, HeapScopeHandsTheHeapOverToAnotherThread) {
  gc::Heap heap;
  heap.SetDebug(gc::kDebugVerify);
  int64_t collected = -1;
  OnOtherThread([&heap, &collected] {
    gc::HeapScope scope(heap);  // this thread owns the heap from here
    gc::Ref<Link> ring = gc_test::MakeRing(4);
    ring.reset();
    collected = heap.Collect();
  });
  EXPECT_EQ(collected, 4);
  gc::HeapScope back(heap);  // and this one again
  gc::Ref<Node> node = gc::Make<Node>();
  EXPECT_EQ(heap.Collect(), 0);
}

TEST(HeapOwnerTest, AHeapMayBeDestroyedOnAnotherThreadOnceItsOwnerStopped) {
  gc_test::Counters counters;
  {
    gc::Heap heap;
    heap.SetDebug(gc::kDebugVerify);
    OnOtherThread([&heap, &counters] {
      gc::HeapScope scope(heap);
      gc_test::MakeRing(3, &counters);  // garbage for the last collection
    });
  }  // destroyed here: this thread becomes the owner for it
  EXPECT_EQ(counters.destroyed, 3);
}

TEST(HeapOwnerTest, ObjectsOfADestroyedHeapMayBeDroppedAnywhere) {
  gc::Ref<Node> survivor;
  OnOtherThread([&survivor] {
    gc::Heap heap;
    heap.SetShutdownReport(gc::ShutdownReport::kOff);
    gc::HeapScope scope(heap);
    survivor = gc::Make<Node>();
  });
  EXPECT_FALSE(gc::IsTracked(*survivor));
  survivor.reset();  // detached: nobody owns it any more
}

}  // namespace
