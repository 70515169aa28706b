// Copyright 2026 The cyclegc Authors.
//
// File: tests/test_types.h
// -----------------------------------------------------------------------------
//
// Managed types and a fixture shared by the tests. Each test gets a fresh
// heap, installed as the current heap, and a leak check at its end.

#ifndef CYCLEGC_TESTS_TEST_TYPES_H_
#define CYCLEGC_TESTS_TEST_TYPES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"

namespace gc_test {

// Counts destructions of the types below that are given a counter.
struct Counters {
  int64_t destroyed = 0;
  int64_t finalized = 0;
};

// A tracked node: strong parent and children, weak sibling.
class Node : public gc::Object {
 public:
  explicit Node(int v = 0, Counters* c = nullptr) : value(v), counters(c) {}
  ~Node() override {
    if (counters != nullptr) ++counters->destroyed;
  }

  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }

  int value;
  Counters* counters;
  gc::Ref<Node> parent;
  std::vector<gc::Ref<Node>> children;
  gc::WeakRef<Node> sibling;
};

// An untracked type: no Trace.
class Leaf : public gc::Object {
 public:
  explicit Leaf(Counters* c = nullptr) : counters(c) {}
  ~Leaf() override {
    if (counters != nullptr) ++counters->destroyed;
  }
  int payload = 0;
  Counters* counters;
};

// A tracked node with one generic edge.
class Link : public gc::Object {
 public:
  explicit Link(Counters* c = nullptr) : counters(c) {}
  ~Link() override {
    if (counters != nullptr) ++counters->destroyed;
  }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
  gc::Ref<gc::Object> next;
  Counters* counters;
};

// Builds a ring of `n` Links (each referencing the next) and returns the
// first one.
inline gc::Ref<Link> MakeRing(int n, Counters* counters = nullptr) {
  gc::Ref<Link> first = gc::Make<Link>(counters);
  gc::Ref<Link> last = first;
  for (int i = 1; i < n; ++i) {
    gc::Ref<Link> next = gc::Make<Link>(counters);
    last->next = next;
    last = next;
  }
  last->next = first;
  return first;
}

// Collects the text a heap reports, line by line.
struct Lines {
  std::vector<std::string> lines;
  gc::TextSink Sink() {
    return [this](std::string_view line) { lines.emplace_back(line); };
  }
  bool Contains(std::string_view needle) const {
    for (const std::string& line : lines) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return false;
  }
};

// Adds a collection callback for the scope's duration (callbacks that
// capture locals must not outlive them).
class ScopedCallback {
 public:
  ScopedCallback(gc::Heap& heap, gc::CollectionCallback callback)
      : heap_(heap), id_(heap.AddCallback(std::move(callback))) {}
  ~ScopedCallback() { heap_.RemoveCallback(id_); }
  gc::CallbackId id() const { return id_; }

 private:
  gc::Heap& heap_;
  gc::CallbackId id_;
};

// Gives each test a fresh heap, current for the test's duration, with the heap
// verifier on. At the end a full collection must leave no live object
// (override `expect_no_leaks_`).
class HeapTest : public ::testing::Test {
 protected:
  HeapTest() : scope_(heap_) {
    heap_.SetErrorReporter(errors_.Sink());
    heap_.SetDebug(gc::kDebugVerify);  // check invariants around every phase
  }
  void TearDown() override {
    if (!expect_no_leaks_) return;
    heap_.Collect();
    EXPECT_EQ(heap_.LiveObjects(), 0) << "objects leaked by the test";
  }

  int64_t Collect(int generation = 2) { return heap_.Collect(generation); }

  Lines errors_;
  bool expect_no_leaks_ = true;
  gc::Heap heap_;
  gc::HeapScope scope_;
};

}  // namespace gc_test

#endif  // CYCLEGC_TESTS_TEST_TYPES_H_
