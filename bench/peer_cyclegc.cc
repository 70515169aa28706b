// Copyright 2026 The cyclegc Authors.
//
// The cyclegc peer: bench/workloads.h on gc::Ref / gc::Make, default
// thresholds (700, 10, 10), collections timed from the heap's own callbacks.
//
//   peer_cyclegc strong|weak|acyclic WORKLOAD [N]
//
// `strong`: parent / prev pointers are gc::Ref (cycles: the collector works).
// `weak`: they are gc::WeakRef (no cycles; reference counting frees
// everything, but the nodes are tracked, and examined by the collector).
// `acyclic`: weak too, and the node types promise they are acyclic
// (`kAcyclic`, gc/object.h): not tracked, never examined.
//
// The heap honours CYCLEGC_THRESHOLD (gc::Heap::ConfigureFromEnv): for
// instance CYCLEGC_THRESHOLD=0 runs a workload without automatic
// collections, which shows what the collector's share of it is. The
// published runs leave it unset.

#include <string>

#include "bench/cyclegc_policy.h"
#include "bench/cyclegc_run.h"
#include "bench/peer_main.h"

int main(int argc, char** argv) {
  auto run = [](auto policy, const bench::Invocation& invocation) {
    return bench::RunCycleGc<decltype(policy)>(invocation);
  };
  if (argc >= 2 && std::string(argv[1]) == "acyclic") {
    const bench::Invocation invocation = bench::ParseArgs(argc, argv);
    bench::PrintResult("cyclegc-acyclic", invocation,
                       bench::RunCycleGcAcyclic(invocation),
                       /*has_pause_hook=*/true);
    return 0;
  }
  return bench::StrongWeakMain<bench::CycleGcPolicy<true>,
                               bench::CycleGcPolicy<false>>(
      argc, argv, "cyclegc", "cyclegc-weak", /*has_pause_hook=*/true, run);
}
