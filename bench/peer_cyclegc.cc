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

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/cyclegc_policy.h"
#include "bench/peer_main.h"
#include "bench/workloads.h"
#include "gc/gc.h"

namespace bench {

template <typename P>
Result Run(const Invocation& invocation) {
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

}  // namespace bench

int main(int argc, char** argv) {
  auto run = [](auto policy, const bench::Invocation& invocation) {
    return bench::Run<decltype(policy)>(invocation);
  };
  if (argc >= 2 && std::string(argv[1]) == "acyclic") {
    const bench::Invocation invocation = bench::ParseArgs(argc, argv);
    bench::PrintResult("cyclegc-acyclic", invocation,
                       run(bench::CycleGcPolicy<false, true>(), invocation),
                       /*has_pause_hook=*/true);
    return 0;
  }
  return bench::StrongWeakMain<bench::CycleGcPolicy<true>,
                               bench::CycleGcPolicy<false>>(
      argc, argv, "cyclegc", "cyclegc-weak", /*has_pause_hook=*/true, run);
}
