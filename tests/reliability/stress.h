// Copyright 2026 The cyclegc Authors.
//
// File: tests/reliability/stress.h
// -----------------------------------------------------------------------------
//
// Workloads shared by the stress tests (stress_test.cc, in CI) and their long
// versions (stress_long_test.cc, manual): wide fan-outs, many heaps at once,
// and rounds of building and dropping graphs with the process's resident
// memory measured before and after.

#ifndef CYCLEGC_TESTS_RELIABILITY_STRESS_H_
#define CYCLEGC_TESTS_RELIABILITY_STRESS_H_

#include <cstdint>
#include <vector>

#include "gc/gc.h"

namespace gc_reliability {

// A tracked node with any number of strong edges; counts destructions.
class FanNode : public gc::Object {
 public:
  explicit FanNode(int64_t* destroyed) : destroyed_(destroyed) {}
  ~FanNode() override { ++*destroyed_; }
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<FanNode>& edge : edges) visitor.Visit(edge);
  }
  std::vector<gc::Ref<FanNode>> edges;

 private:
  int64_t* destroyed_;
};

// One node holding `width` references to leaves that each point back at it:
// `width` two-node cycles through one hub. Returns the hub (the only
// external reference). Allocates on the current heap.
gc::Ref<FanNode> MakeFanOut(int64_t width, int64_t* destroyed);

// Builds a mix of garbage on the current heap (rings, a fan-out, trees with
// parent pointers, weak references), `scale` objects or so, and drops it;
// returns the number of objects made. Collections run automatically.
int64_t BuildAndDropGraphs(int64_t scale, int64_t* destroyed);

// The process's resident set size in bytes (VmRSS in /proc/self/status), or
// -1 if unknown.
int64_t ResidentBytes();

// True when built with a sanitizer that holds freed memory back (ASan's
// quarantine) or shadows it (TSan), which makes RSS meaningless here.
bool SanitizerKeepsMemory();

}  // namespace gc_reliability

#endif  // CYCLEGC_TESTS_RELIABILITY_STRESS_H_
