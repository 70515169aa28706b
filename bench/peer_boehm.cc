// Copyright 2026 The cyclegc Authors.
//
// The Boehm-Demers-Weiser GC peer (Debian's libgc-dev): bench/workloads.h on
// GC_MALLOC'd nodes and gc_allocator vectors, conservative stack scanning.
// The program starts no thread, so Boehm marks on the main thread only (the
// other peers collect on one thread too). Collections
// are timed by GC_set_on_collection_event. Built by bench/run_peers.sh:
//
//   g++ -std=c++20 -O2 -I. bench/peer_boehm.cc -lgc -o peer_boehm
//   peer_boehm default WORKLOAD [N]

#include <gc/gc.h>
#include <gc/gc_allocator.h>

#include <new>
#include <vector>

#include "bench/peer_main.h"
#include "bench/workloads.h"

namespace bench {

struct BoehmPolicy {
  template <typename N>
  struct Base {};
  template <typename N>
  struct LeafBase {};

  template <typename N>
  using Ptr = N*;
  template <typename N>
  using Edge = N*;
  template <typename N>
  using Back = N*;
  template <typename N>
  using Vec = std::vector<N*, gc_allocator<N*>>;
  template <typename N>
  using Roots = std::vector<N*, gc_allocator<N*>>;

  static constexpr bool kStrongBack = true;
  static constexpr bool kCollects = true;
  static constexpr bool kHasYoung = false;

  template <typename N>
  static N* New() {
    constexpr bool kLeaf = std::is_base_of_v<LeafBase<N>, N>;
    void* memory = kLeaf ? GC_MALLOC_ATOMIC(sizeof(N)) : GC_MALLOC(sizeof(N));
    if (memory == nullptr) throw std::bad_alloc();
    return ::new (memory) N();
  }
  static void Collect() { GC_gcollect(); }
  static void CollectYoung() {}
  static void SetAutomatic(bool on) {
    if (on) {
      GC_enable();
    } else {
      GC_disable();
    }
  }
};

double collection_start = 0;

void OnCollectionEvent(GC_EventType event) {
  if (event == GC_EVENT_START) {
    collection_start = PauseSeconds();
  } else if (event == GC_EVENT_END) {
    Pauses().Record((PauseSeconds() - collection_start) * 1e3);
  }
}

}  // namespace bench

int main(int argc, char** argv) {
  const bench::Invocation invocation = bench::ParseArgs(argc, argv);
  GC_INIT();
  GC_set_on_collection_event(bench::OnCollectionEvent);
  bench::Result result =
      bench::RunWorkload<bench::BoehmPolicy>(invocation.workload, invocation.n);
  if (result.skipped.empty()) {
    result.extra.emplace_back("gc_heap_bytes",
                              static_cast<double>(GC_get_heap_size()));
  }
  bench::PrintResult("boehm", invocation, result, /*has_pause_hook=*/true);
  return 0;
}
