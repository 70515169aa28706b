// Copyright 2026 The cyclegc Authors.
//
// The std::shared_ptr peer: bench/workloads.h on std::make_shared.
//
//   peer_shared_ptr strong|weak WORKLOAD [N]
//
// `weak`: parent / prev pointers are std::weak_ptr, the reference-counting
// ideal (no cycles). `strong`: they are std::shared_ptr, and every cycle
// leaks; the leak is reported as `leaked_bytes` (malloc'd bytes still in use
// after the workload).

#include <memory>
#include <vector>

#include "bench/peer_main.h"
#include "bench/workloads.h"

namespace bench {

template <bool kStrong>
struct SharedPtrPolicy
    : SmartPointerTypes<std::shared_ptr, std::weak_ptr, kStrong> {
  template <typename N>
  struct Base {};
  template <typename N>
  struct LeafBase {};

  static constexpr bool kCollects = false;
  static constexpr bool kHasYoung = false;

  template <typename N>
  static std::shared_ptr<N> New() {
    return std::make_shared<N>();
  }
  static void Collect() {}
  static void CollectYoung() {}
  static void SetAutomatic(bool) {}
};

template <typename P>
Result Run(const Invocation& invocation) {
  if (!P::kStrongBack && !HasBackPointers(invocation.workload)) {
    return Skipped(invocation.workload == "graph_churn"
                       ? "random graph edges cannot be made weak"
                       : "no back pointers to weaken: same as shared_ptr");
  }
  const int64_t before = MallocInUse();
  Result result = RunWorkload<P>(invocation.workload, invocation.n);
  result.extra.emplace_back("leaked_bytes",
                            static_cast<double>(MallocInUse() - before));
  return result;
}

}  // namespace bench

int main(int argc, char** argv) {
  return bench::StrongWeakMain<bench::SharedPtrPolicy<true>,
                               bench::SharedPtrPolicy<false>>(
      argc, argv, "shared_ptr-strong", "shared_ptr-weak",
      /*has_pause_hook=*/false,
      [](auto policy, const bench::Invocation& invocation) {
        return bench::Run<decltype(policy)>(invocation);
      });
}
