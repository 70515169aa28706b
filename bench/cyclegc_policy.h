// Copyright 2026 The cyclegc Authors.
//
// File: bench/cyclegc_policy.h
// -----------------------------------------------------------------------------
//
// The bench/workloads.h policy of cyclegc, on the current heap: nodes derive
// from gc::Object and trace what `ForEachEdge` visits; leaves have no Trace
// (untracked). `kStrong` false makes parent / prev pointers gc::WeakRef;
// `kAcyclicNodes` (with weak back pointers only) has the node types promise
// they are acyclic (`kAcyclic`, gc/object.h): not tracked.

#ifndef CYCLEGC_BENCH_CYCLEGC_POLICY_H_
#define CYCLEGC_BENCH_CYCLEGC_POLICY_H_

#include "bench/workloads.h"
#include "gc/gc.h"

namespace bench {

template <bool kStrong, bool kAcyclicNodes = false>
struct CycleGcPolicy : SmartPointerTypes<gc::Ref, gc::WeakRef, kStrong> {
  static_assert(!(kStrong && kAcyclicNodes),
                "strong back pointers make cycles: the promise would break");
  template <typename N>
  struct Base : gc::Object {
    static constexpr bool kAcyclic = kAcyclicNodes;
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

}  // namespace bench

#endif  // CYCLEGC_BENCH_CYCLEGC_POLICY_H_
