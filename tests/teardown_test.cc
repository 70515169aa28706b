// Copyright 2026 The cyclegc Authors.
//
// Teardown that cannot dangle: scoped callbacks and sinks, what a heap's
// destructor calls, and the default heap of a thread at thread exit.

#include <string>
#include <thread>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace {

using gc_test::Lines;
using gc_test::Link;
using gc_test::Node;

TEST(ScopedCallbackTest, CallbackIsRemovedAtTheEndOfItsScope) {
  gc::Heap heap;
  int calls = 0;
  {
    gc::ScopedCallback callback(
        heap, [&calls](gc::Phase, const gc::CollectionInfo&) { ++calls; });
    heap.Collect();
    EXPECT_EQ(calls, 2);  // kStart and kStop
  }
  heap.Collect();
  EXPECT_EQ(calls, 2);
}

TEST(ScopedReportSinkTest, SinkIsUsedInItsScopeThenThePreviousOneIsBack) {
  gc::Heap heap;
  heap.SetDebug(gc::kDebugStats);
  Lines outer, inner;
  heap.SetReportSink(outer.Sink());
  {
    gc::ScopedReportSink sink(heap, inner.Sink());
    heap.Collect(0);
  }
  EXPECT_FALSE(inner.lines.empty());
  EXPECT_TRUE(outer.lines.empty());
  const size_t inner_lines = inner.lines.size();
  heap.Collect(0);
  EXPECT_EQ(inner.lines.size(), inner_lines);
  EXPECT_FALSE(outer.lines.empty());
  heap.SetReportSink(nullptr);
}

TEST(ScopedHandleDeathTest, HeapDestroyedBeforeItsScopedHandlesFailsLoudly) {
  EXPECT_DEATH(
      {
        auto* heap = new gc::Heap;
        heap->SetDebug(gc::kDebugVerify);  // checked in -c opt too
        gc::ScopedCallback callback(*heap,
                                    [](gc::Phase, const gc::CollectionInfo&) {});
        delete heap;
      },
      "gc::Heap destroyed while 1 gc::ScopedCallback / gc::ScopedReportSink "
      "still name it");
  EXPECT_DEATH(
      {
        auto* heap = new gc::Heap;
        heap->SetDebug(gc::kDebugVerify);
        gc::ScopedReportSink sink(*heap, [](std::string_view) {});
        delete heap;
      },
      "still name it");
}

TEST(HeapDestructorTest, CallsNoCallbackButReportsToTheSinkOfAHeapYouMade) {
  Lines report;
  int callback_calls = 0;
  gc::Ref<Node> survivor;
  {
    gc::Heap heap;
    heap.SetReportSink(report.Sink());
    heap.AddCallback([&callback_calls](gc::Phase, const gc::CollectionInfo&) {
      ++callback_calls;
    });
    gc::HeapScope scope(heap);
    survivor = gc::Make<Node>();
  }
  EXPECT_EQ(callback_calls, 0);
  EXPECT_TRUE(report.Contains("1 objects still referenced"));
}

// The sink and error reporter of a thread's default heap capture a local of
// the thread's code; at thread exit the heap's last collection reports a
// survivor. They must not be called once that code has returned: the lines
// go to stderr.
TEST(DefaultHeapTest, AtThreadExitReportsToStderrAndCallsNoSink) {
  static gc::Ref<Node> survivor;
  static bool code_done = false;
  static int calls_after_exit = 0;
  testing::internal::CaptureStderr();
  std::thread thread([] {
    std::vector<std::string> local;
    auto sink = [&local](std::string_view line) {
      if (code_done) ++calls_after_exit;
      local.emplace_back(line);
    };
    gc::Heap::Current().SetReportSink(sink);
    gc::Heap::Current().SetErrorReporter(sink);
    survivor = gc::Make<Node>();
    survivor->children.push_back(gc::Make<Node>());
    survivor->children[0]->parent = survivor;  // a cycle outliving the heap
    code_done = true;
  });
  thread.join();
  const std::string stderr_text = testing::internal::GetCapturedStderr();
  EXPECT_EQ(calls_after_exit, 0);
  EXPECT_NE(stderr_text.find("2 objects still referenced"), std::string::npos)
      << stderr_text;
  EXPECT_NE(stderr_text.find("2 of them form reference cycles"),
            std::string::npos)
      << stderr_text;
  survivor->children.clear();
  survivor.reset();
}

}  // namespace
