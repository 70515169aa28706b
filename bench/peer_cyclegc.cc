// Copyright 2026 The cyclegc Authors.
//
// The cyclegc peer: bench/workloads.h on gc::Ref / gc::Make, default
// thresholds (700, 10, 10), collections timed by the heap's own callback.
//
//   peer_cyclegc strong|weak WORKLOAD [N]
//
// `strong`: parent / prev pointers are gc::Ref (cycles: the collector works).
// `weak`: they are gc::WeakRef (no cycles; reference counting alone).

#include <string>

#include "absl/time/time.h"
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
  heap.AddCallback([](gc::Phase phase, const gc::CollectionInfo& info) {
    if (phase == gc::Phase::kStop) {
      Pauses().Record(absl::ToDoubleMilliseconds(info.duration));
    }
  });
  Result result = RunWorkload<P>(invocation.workload, invocation.n);
  result.extra.emplace_back("live_objects_after",
                            static_cast<double>(heap.LiveObjects()));
  // Objects examined by all collections, and the collector's time per one.
  double candidates = 0;
  double seconds = 0;
  for (const gc::GenerationStats& stats : heap.GetStats()) {
    candidates += static_cast<double>(stats.candidates);
    seconds += absl::ToDoubleSeconds(stats.total_duration);
  }
  result.extra.emplace_back("examined", candidates);
  if (candidates > 0) {
    result.extra.emplace_back("ns_per_examined", seconds * 1e9 / candidates);
  }
  return result;
}

}  // namespace bench

int main(int argc, char** argv) {
  return bench::StrongWeakMain<bench::CycleGcPolicy<true>,
                               bench::CycleGcPolicy<false>>(
      argc, argv, "cyclegc", "cyclegc-weak", /*has_pause_hook=*/true,
      [](auto policy, const bench::Invocation& invocation) {
        return bench::Run<decltype(policy)>(invocation);
      });
}
