// Copyright 2026 The cyclegc Authors.
//
// File: bench/cyclegc_policy.h
// -----------------------------------------------------------------------------
//
// The bench/workloads.h policy of cyclegc, on the current heap: nodes derive
// from gc::Object and trace what `ForEachEdge` visits; leaves have no Trace
// (untracked). `kStrong` false makes parent / prev pointers gc::WeakRef.
// CycleGcAcyclicPolicy: weak, and the node types promise they are acyclic
// (`kAcyclic`, gc/object.h): not tracked.

#ifndef CYCLEGC_BENCH_CYCLEGC_POLICY_H_
#define CYCLEGC_BENCH_CYCLEGC_POLICY_H_

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

// Weak back pointers, and node types that promise acyclic (kAcyclic): not
// tracked. (A policy of its own, so that the other two's code is what it
// was: a second template parameter moved GCC's inlining in their
// allocation loops by 8% of their instructions.)
struct CycleGcAcyclicPolicy : CycleGcPolicy<false> {
  template <typename N>
  struct Base : CycleGcPolicy<false>::Base<N> {
    static constexpr bool kAcyclic = true;
  };
};

}  // namespace bench

#endif  // CYCLEGC_BENCH_CYCLEGC_POLICY_H_
