// Copyright 2026 The cyclegc Authors.
//
// Diagnostics of Trace mistakes (kDebugVerify and the collector): what they
// say, and that each problem is reported once, not at every collection.

#include <string>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace {

using gc_test::HeapTest;
using gc_test::Lines;

int CountLines(const Lines& lines, const std::string& needle) {
  int n = 0;
  for (const std::string& line : lines.lines) {
    n += line.find(needle) != std::string::npos;
  }
  return n;
}

// Visits its member twice: the collector sees a reference too many.
class Twice : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(next);
    visitor.Visit(next);
  }
  gc::Ref<Twice> next;
};

// Holds a Ref that its Trace forgets.
class Forgetful : public gc::Object {
 public:
  void Trace(gc::Visitor&) override {}
  gc::Ref<Forgetful> next;
};

using DiagnosticsTest = HeapTest;

TEST_F(DiagnosticsTest, TraceVisitingASlotTwiceIsReportedOncePerType) {
  for (int i = 0; i < 3; ++i) {
    gc::Ref<Twice> a = gc::Make<Twice>();
    gc::Ref<Twice> b = gc::Make<Twice>();
    a->next = b;
    b->next = a;
    Collect();
    a->next.reset();
    b->next.reset();
  }
  EXPECT_EQ(CountLines(errors_, "the Trace() of a (anonymous namespace)::Twice "
                                "visits the same Ref twice (at offset 16)"),
            1)
      << testing::PrintToString(errors_.lines);
}

TEST_F(DiagnosticsTest, GarbageCycleVisitedTwiceIsReportedOnceNotPerCollection) {
  gc::Ref<Twice> a = gc::Make<Twice>();
  gc::Ref<Twice> b = gc::Make<Twice>();
  a->next = b;
  b->next = a;
  Twice* raw = a.get();
  a.reset();
  b.reset();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Collect(), 0);  // kept forever
  EXPECT_EQ(CountLines(errors_, "report more references to"), 1)
      << testing::PrintToString(errors_.lines);
  raw->next.reset();  // breaks the cycle by hand
}

TEST_F(DiagnosticsTest, RefHiddenFromTraceIsReportedOnceAcrossCollections) {
  gc::Ref<Forgetful> a = gc::Make<Forgetful>();
  gc::Ref<Forgetful> b = gc::Make<Forgetful>();
  a->next = b;
  for (int i = 0; i < 5; ++i) Collect();
  EXPECT_EQ(CountLines(errors_, "that its Trace() does not report"), 1)
      << testing::PrintToString(errors_.lines);
  a->next.reset();
}

TEST_F(DiagnosticsTest, EachHeapReportsItsOwnProblemsOnce) {
  Lines other_errors;
  {
    gc::Heap other;
    other.SetErrorReporter(other_errors.Sink());
    other.SetDebug(gc::kDebugVerify);
    gc::HeapScope scope(other);
    gc::Ref<Forgetful> a = gc::Make<Forgetful>();
    a->next = gc::Make<Forgetful>();
    other.Collect();
    other.Collect();
    a->next.reset();
  }
  gc::Ref<Forgetful> a = gc::Make<Forgetful>();
  a->next = gc::Make<Forgetful>();
  Collect();
  EXPECT_EQ(CountLines(other_errors, "does not report"), 1);
  EXPECT_EQ(CountLines(errors_, "does not report"), 1);
  a->next.reset();
}

}  // namespace
