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
#include <vector>

#include "absl/time/time.h"
#include "bench/peer_main.h"
#include "bench/workloads.h"
#include "gc/gc.h"

namespace bench {

template <bool kStrong>
struct CycleGcPolicy : SmartPointerTypes<gc::Ref, gc::WeakRef, kStrong> {
  template <typename N>
  struct Base : gc::Object {
    void Trace(gc::Visitor& visitor) override {
      static_cast<N*>(this)->ForEachEdge(
          [&visitor](auto& ref) { visitor.Visit(ref); });
    }
  };
  template <typename N>
  struct LeafBase : gc::Object {};  // no Trace: untracked

  static constexpr bool kCollects = true;
  static constexpr bool kHasYoung = true;

  template <typename N>
  static gc::Ref<N> New() {
    return gc::Make<N>();
  }
  static void Collect() { gc::Heap::Current().Collect(); }
  static void CollectYoung() { gc::Heap::Current().Collect(0); }
  static void SetAutomatic(bool on) {
    if (on) {
      gc::Heap::Current().Enable();
    } else {
      gc::Heap::Current().Disable();
    }
  }
};

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
