// Copyright 2026 The cyclegc Authors.
//
// gc::Handle (include/gc/handle.h): held, copied and dropped on any thread,
// opened on the owner of the object's heap only; releases of a last copy
// dropped elsewhere run on the owner (collections, DrainRemote, the heap's
// destruction); a heap destroyed while handles live leaks their objects.

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace {

using gc_test::Counters;
using gc_test::HeapTest;
using gc_test::Lines;
using gc_test::Link;
using gc_test::Node;

// Records the thread its destructor ran on.
class Witness : public gc::Object {
 public:
  explicit Witness(std::atomic<int>* deaths, std::thread::id* died_on)
      : deaths_(deaths), died_on_(died_on) {}
  ~Witness() override {
    *died_on_ = std::this_thread::get_id();
    deaths_->fetch_add(1);
  }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
  gc::Ref<gc::Object> next;

 private:
  std::atomic<int>* deaths_;
  std::thread::id* died_on_;
};

// Runs `fn` on a new thread and waits for it; `fn` (and what it captured)
// is destroyed on that thread.
template <typename Fn>
void OnOtherThread(Fn&& fn) {
  std::thread thread(std::forward<Fn>(fn));
  thread.join();
}

using HandleTest = HeapTest;

TEST_F(HandleTest, GetOnTheOwnerReturnsTheObject) {
  gc::Ref<Node> node = gc::Make<Node>(7);
  gc::Handle<Node> handle = gc::Share(node);
  EXPECT_TRUE(handle.IsLocal());
  EXPECT_EQ(handle.Get(), node);
  EXPECT_EQ(handle.Get()->value, 7);
}

TEST_F(HandleTest, NullHandleIsNotLocalAndGetsNull) {
  gc::Handle<Node> handle;
  EXPECT_FALSE(handle);
  EXPECT_FALSE(handle.IsLocal());
  EXPECT_EQ(handle.Get(), nullptr);
  EXPECT_FALSE(gc::Share(gc::Ref<Node>()));
}

TEST_F(HandleTest, HandleCountsAsOneReferenceFromOutside) {
  Counters counters;
  gc::Ref<Node> node = gc::Make<Node>(1, &counters);
  gc::Handle<Node> handle = gc::Share(node);
  EXPECT_EQ(gc::RefCount(*node), 2);
  gc::Handle<Node> copy = handle;  // copies share one reference
  EXPECT_EQ(gc::RefCount(*node), 2);
  node->parent = node;  // a cycle, held only by the handle once node goes
  node.reset();
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(counters.destroyed, 0);
  handle.reset();
  EXPECT_EQ(counters.destroyed, 0);
  copy.reset();  // last copy, on the owner: released at once
  EXPECT_EQ(Collect(), 1);
  EXPECT_EQ(counters.destroyed, 1);
}

TEST_F(HandleTest, IsLocalIsFalseOnAnotherThread) {
  gc::Handle<Node> handle = gc::Share(gc::Make<Node>());
  bool local = true;
  OnOtherThread([handle, &local] {
    gc::Handle<Node> copy = handle;
    local = copy.IsLocal();
  });
  EXPECT_FALSE(local);
  EXPECT_TRUE(handle.IsLocal());
}

TEST_F(HandleTest, LastCopyDroppedElsewhereIsReleasedByDrainRemote) {
  std::atomic<int> deaths{0};
  std::thread::id died_on;
  gc::Handle<Witness> handle = gc::Share(gc::Make<Witness>(&deaths, &died_on));
  OnOtherThread([h = std::move(handle)]() mutable { h.reset(); });
  EXPECT_EQ(deaths.load(), 0);  // queued, not released on the other thread
  EXPECT_EQ(heap_.DrainRemote(), 1);
  EXPECT_EQ(deaths.load(), 1);
  EXPECT_EQ(died_on, std::this_thread::get_id());
  EXPECT_EQ(heap_.DrainRemote(), 0);
}

TEST_F(HandleTest, CollectionReleasesQueuedHandlesFirst) {
  std::atomic<int> deaths{0};
  std::thread::id died_on;
  gc::Ref<Witness> a = gc::Make<Witness>(&deaths, &died_on);
  a->next = a;  // a cycle held by the handle alone
  gc::Handle<Witness> handle = gc::Share(a);
  a.reset();
  OnOtherThread([h = std::move(handle)]() mutable { h.reset(); });
  EXPECT_EQ(deaths.load(), 0);
  EXPECT_EQ(Collect(), 1);  // released, then found to be garbage
  EXPECT_EQ(deaths.load(), 1);
  EXPECT_EQ(died_on, std::this_thread::get_id());
}

TEST_F(HandleTest, ManyThreadsCopyAndDropWhileTheOwnerCollects) {
  constexpr int kThreads = 4;
  constexpr int kHandles = 64;
  std::atomic<int> deaths{0};
  std::thread::id died_on;
  std::vector<gc::Handle<Witness>> handles;
  for (int i = 0; i < kHandles; ++i) {
    handles.push_back(gc::Share(gc::Make<Witness>(&deaths, &died_on)));
  }
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([copies = handles, &done]() mutable {
      for (int round = 0; round < 200; ++round) {
        for (gc::Handle<Witness>& h : copies) {
          gc::Handle<Witness> again = h;
          EXPECT_FALSE(again.IsLocal());
        }
      }
      copies.clear();
      done.fetch_add(1);
    });
  }
  handles.clear();  // the owner's copies go first: the threads' go last
  while (done.load() < kThreads) {
    Collect(0);
    std::this_thread::yield();
  }
  for (std::thread& thread : threads) thread.join();
  Collect();
  EXPECT_EQ(deaths.load(), kHandles);
  EXPECT_EQ(died_on, std::this_thread::get_id());
  EXPECT_EQ(heap_.DrainRemote(), 0);
}

TEST(HandleHeapTest, HeapDestroyedQueuedReleasesRunOnItsOwner) {
  std::atomic<int> deaths{0};
  std::thread::id died_on;
  auto heap = std::make_unique<gc::Heap>();
  gc::Handle<Witness> handle;
  {
    gc::HeapScope scope(*heap);
    handle = gc::Share(gc::Make<Witness>(&deaths, &died_on));
  }
  OnOtherThread([h = std::move(handle)]() mutable { h.reset(); });
  EXPECT_EQ(deaths.load(), 0);
  heap.reset();
  EXPECT_EQ(deaths.load(), 1);
  EXPECT_EQ(died_on, std::this_thread::get_id());
}

TEST(HandleHeapTest, HeapDestroyedWhileHandlesLiveLeaksTheirObjects) {
  Lines errors;
  std::atomic<int> deaths{0};
  std::thread::id died_on;
  auto heap = std::make_unique<gc::Heap>();
  heap->SetErrorReporter(errors.Sink());
  std::vector<gc::Handle<Witness>> handles;
  {
    gc::HeapScope scope(*heap);
    for (int i = 0; i < 3; ++i) {
      gc::Ref<Witness> w = gc::Make<Witness>(&deaths, &died_on);
      w->next = w;  // cycles too stay
      handles.push_back(gc::Share(w));
    }
    handles.push_back(handles[0]);  // a copy is not another handle
  }
  heap.reset();
  EXPECT_TRUE(errors.Contains("heap destroyed while 3 gc::Handle(s)"))
      << (errors.lines.empty() ? "" : errors.lines[0]);
  EXPECT_EQ(deaths.load(), 0);
  EXPECT_FALSE(handles[0].IsLocal());
  // Dropping them later, on another thread and on this one, is safe.
  OnOtherThread([moved = std::vector<gc::Handle<Witness>>(
                     handles.begin(), handles.begin() + 2)]() mutable {
    gc::Handle<Witness> copy = moved[0];
    moved.clear();
  });
  handles.clear();
  EXPECT_EQ(deaths.load(), 0);
}

TEST(HandleHeapTest, HandleMayOutliveItsHeapOnAnotherThread) {
  std::atomic<int> deaths{0};
  std::thread::id died_on;
  std::atomic<bool> heap_gone{false};
  gc::Handle<Witness> handle;
  auto heap = std::make_unique<gc::Heap>();
  {
    gc::HeapScope scope(*heap);
    handle = gc::Share(gc::Make<Witness>(&deaths, &died_on));
  }
  heap->SetErrorReporter([](std::string_view) {});
  std::thread holder([h = handle, &heap_gone]() mutable {
    while (!heap_gone.load()) std::this_thread::yield();
    EXPECT_FALSE(h.IsLocal());
    gc::Handle<Witness> copy = h;
    h.reset();
  });
  handle.reset();  // on the owner, but a copy lives on the holder thread
  heap.reset();
  heap_gone.store(true);
  holder.join();
  EXPECT_EQ(deaths.load(), 0);
}

class HandleDeathTest : public ::testing::Test {
 protected:
  HandleDeathTest() { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(HandleDeathTest, GetOnAnotherThreadFailsNamingTypeAndThreads) {
  EXPECT_DEATH(
      {
        gc::Heap heap;
        gc::HeapScope scope(heap);
        gc::Handle<Node> handle = gc::Share(gc::Make<Node>());
        OnOtherThread([handle] { (void)handle.Get(); });
      },
      "gc::Handle<gc_test::Node>::Get on thread [0-9]+, but the object's "
      "heap #[0-9]+ belongs to thread [0-9]+");
}

TEST_F(HandleDeathTest, GetAfterTheHeapIsGoneFails) {
  EXPECT_DEATH(
      {
        gc::Handle<Node> handle;
        {
          gc::Heap heap;
          heap.SetErrorReporter([](std::string_view) {});
          gc::HeapScope scope(heap);
          handle = gc::Share(gc::Make<Node>());
        }
        (void)handle.Get();
      },
      "gc::Handle<gc_test::Node>::Get on thread [0-9]+, but the object's "
      "heap is gone");
}

TEST_F(HandleDeathTest, ShareOnAnotherThreadFails) {
  EXPECT_DEATH(
      {
        gc::Heap heap;
        gc::HeapScope scope(heap);
        gc::Ref<Link> link = gc::Make<Link>();
        Link* raw = link.get();
        OnOtherThread([raw] {
          // Not even the Ref is ours here: Share from the raw object.
          gc::Handle<gc::Object> h =
              gc::Share(gc::Ref<gc::Object>(static_cast<gc::Object*>(raw)));
        });
      },
      "on thread [0-9]+, but heap #[0-9]+ belongs to thread");
}

}  // namespace
