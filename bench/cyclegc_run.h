// Copyright 2026 The cyclegc Authors.
//
// File: bench/cyclegc_run.h
// -----------------------------------------------------------------------------
//
// How peer_cyclegc runs a workload of bench/workloads.h with a cyclegc
// policy (bench/cyclegc_policy.h): on the current heap, with the heap's
// CYCLEGC_THRESHOLD honoured, collections timed by the heap's callbacks.
// The acyclic variant is compiled in a translation unit of its own
// (peer_cyclegc_acyclic.cc), so that it does not move GCC's inlining in the
// strong and weak variants' code.

#ifndef CYCLEGC_BENCH_CYCLEGC_RUN_H_
#define CYCLEGC_BENCH_CYCLEGC_RUN_H_

#include <cstdio>
#include <cstdlib>

#include "bench/peer_main.h"
#include "bench/workloads.h"
#include "gc/gc.h"

namespace bench {

template <typename P>
Result RunCycleGc(const Invocation& invocation) {
  if (!P::kStrongBack && !HasBackPointers(invocation.workload)) {
    return Skipped("no back pointers to weaken: same as cyclegc");
  }
  gc::Heap& heap = gc::Heap::Current();
  if (const absl::Status status = heap.ConfigureFromEnv(); !status.ok()) {
    std::fprintf(stderr, "peer_cyclegc: %s\n", status.ToString().c_str());
    std::exit(2);
  }
  // Pauses by PauseSeconds, like the other peers' (the same clock as
  // info.duration, but read by the harness); and all objects examined.
  double start = 0;
  double examined = 0;
  double examining_seconds = 0;
  const gc::CallbackId id =
      heap.AddCallback([&](gc::Phase phase, const gc::CollectionInfo& info) {
        if (phase == gc::Phase::kStart) {
          start = PauseSeconds();
          return;
        }
        const double seconds = PauseSeconds() - start;
        Pauses().Record(seconds * 1e3);
        examined += static_cast<double>(info.candidates);
        examining_seconds += seconds;
      });
  Result result = RunWorkload<P>(invocation.workload, invocation.n);
  heap.RemoveCallback(id);  // it refers to locals
  result.extra.emplace_back("live_objects_after",
                            static_cast<double>(heap.LiveObjects()));
  result.extra.emplace_back("examined", examined);
  if (examined > 0) {
    result.extra.emplace_back("ns_per_examined",
                              examining_seconds * 1e9 / examined);
  }
  return result;
}

// RunCycleGc with CycleGcAcyclicPolicy (peer_cyclegc_acyclic.cc).
Result RunCycleGcAcyclic(const Invocation& invocation);

}  // namespace bench

#endif  // CYCLEGC_BENCH_CYCLEGC_RUN_H_
