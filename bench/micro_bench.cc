// Copyright 2026 The cyclegc Authors.
//
// Google Benchmark microbenchmarks of cyclegc's hot paths, each beside the
// std::shared_ptr operation a user would compare it with:
//
//   bazel run -c opt //bench:micro_bench
//   bazel run -c opt //bench:micro_bench -- --benchmark_filter=Collect
//
// Every benchmark runs on a fresh gc::Heap with default thresholds.

#include <cstdint>
#include <memory>
#include <vector>

#include "bench/cyclegc_policy.h"
#include "bench/workloads.h"
#include "benchmark/benchmark.h"
#include "gc/gc.h"

namespace bench {
namespace {

using P = CycleGcPolicy<true>;
using Node = ListNode<P>;   // tracked: next, prev
using Untracked = Leaf<P>;  // no Trace
struct PlainNode {
  std::shared_ptr<PlainNode> next;
  std::weak_ptr<PlainNode> prev;
};

// A fresh heap, current for the benchmark's duration.
class FreshHeap {
 public:
  FreshHeap() : scope_(heap_) {}
  gc::Heap& heap() { return heap_; }

 private:
  gc::Heap heap_;
  gc::HeapScope scope_;
};

void BM_MakeDropTracked(benchmark::State& state) {
  FreshHeap fresh;
  for (auto _ : state) {
    gc::Ref<Node> node = gc::Make<Node>();
    benchmark::DoNotOptimize(node);
  }
}
BENCHMARK(BM_MakeDropTracked);

void BM_MakeDropUntracked(benchmark::State& state) {
  FreshHeap fresh;
  for (auto _ : state) {
    gc::Ref<Untracked> leaf = gc::Make<Untracked>();
    benchmark::DoNotOptimize(leaf);
  }
}
BENCHMARK(BM_MakeDropUntracked);

void BM_MakeSharedDrop(benchmark::State& state) {
  for (auto _ : state) {
    std::shared_ptr<PlainNode> node = std::make_shared<PlainNode>();
    benchmark::DoNotOptimize(node);
  }
}
BENCHMARK(BM_MakeSharedDrop);

void BM_RefCopy(benchmark::State& state) {
  FreshHeap fresh;
  gc::Ref<Node> node = gc::Make<Node>();
  for (auto _ : state) {
    gc::Ref<Node> copy = node;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_RefCopy);

void BM_SharedPtrCopy(benchmark::State& state) {
  std::shared_ptr<PlainNode> node = std::make_shared<PlainNode>();
  for (auto _ : state) {
    std::shared_ptr<PlainNode> copy = node;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_SharedPtrCopy);

void BM_WeakRefMakeDrop(benchmark::State& state) {
  FreshHeap fresh;
  gc::Ref<Node> node = gc::Make<Node>();
  for (auto _ : state) {
    gc::WeakRef<Node> weak = node;
    benchmark::DoNotOptimize(weak);
  }
}
BENCHMARK(BM_WeakRefMakeDrop);

void BM_WeakPtrMakeDrop(benchmark::State& state) {
  std::shared_ptr<PlainNode> node = std::make_shared<PlainNode>();
  for (auto _ : state) {
    std::weak_ptr<PlainNode> weak = node;
    benchmark::DoNotOptimize(weak);
  }
}
BENCHMARK(BM_WeakPtrMakeDrop);

void BM_WeakRefCopy(benchmark::State& state) {
  FreshHeap fresh;
  gc::Ref<Node> node = gc::Make<Node>();
  gc::WeakRef<Node> weak = node;
  for (auto _ : state) {
    gc::WeakRef<Node> copy = weak;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_WeakRefCopy);

void BM_WeakPtrCopy(benchmark::State& state) {
  std::shared_ptr<PlainNode> node = std::make_shared<PlainNode>();
  std::weak_ptr<PlainNode> weak = node;
  for (auto _ : state) {
    std::weak_ptr<PlainNode> copy = weak;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_WeakPtrCopy);

// Make and drop a weak reference to each of range(0) referents in turn, in
// the order they were made; each referent also holds one long-lived weak
// reference (many weakly referenced objects). Time per make and drop.
void BM_WeakRefMakeDropMany(benchmark::State& state) {
  FreshHeap fresh;
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<gc::Ref<Node>> nodes;
  std::vector<gc::WeakRef<Node>> held;
  nodes.reserve(n);
  held.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    nodes.push_back(gc::Make<Node>());
    held.emplace_back(nodes.back());
  }
  size_t i = 0;
  for (auto _ : state) {
    gc::WeakRef<Node> weak = nodes[i];
    benchmark::DoNotOptimize(weak);
    if (++i == n) i = 0;
  }
}
BENCHMARK(BM_WeakRefMakeDropMany)->Arg(1)->Arg(1000000);

void BM_WeakPtrMakeDropMany(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<std::shared_ptr<PlainNode>> nodes;
  std::vector<std::weak_ptr<PlainNode>> held;
  nodes.reserve(n);
  held.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    nodes.push_back(std::make_shared<PlainNode>());
    held.emplace_back(nodes.back());
  }
  size_t i = 0;
  for (auto _ : state) {
    std::weak_ptr<PlainNode> weak = nodes[i];
    benchmark::DoNotOptimize(weak);
    if (++i == n) i = 0;
  }
}
BENCHMARK(BM_WeakPtrMakeDropMany)->Arg(1)->Arg(1000000);

// Make an object, the first weak reference to it, and drop both.
void BM_MakeWeakDropTracked(benchmark::State& state) {
  FreshHeap fresh;
  for (auto _ : state) {
    gc::Ref<Node> node = gc::Make<Node>();
    gc::WeakRef<Node> weak = node;
    benchmark::DoNotOptimize(weak);
  }
}
BENCHMARK(BM_MakeWeakDropTracked);

void BM_MakeSharedWeakDrop(benchmark::State& state) {
  for (auto _ : state) {
    std::shared_ptr<PlainNode> node = std::make_shared<PlainNode>();
    std::weak_ptr<PlainNode> weak = node;
    benchmark::DoNotOptimize(weak);
  }
}
BENCHMARK(BM_MakeSharedWeakDrop);

void BM_WeakRefLock(benchmark::State& state) {
  FreshHeap fresh;
  gc::Ref<Node> node = gc::Make<Node>();
  gc::WeakRef<Node> weak = node;
  for (auto _ : state) {
    gc::Ref<Node> locked = weak.Lock();
    benchmark::DoNotOptimize(locked);
  }
}
BENCHMARK(BM_WeakRefLock);

void BM_WeakPtrLock(benchmark::State& state) {
  std::shared_ptr<PlainNode> node = std::make_shared<PlainNode>();
  std::weak_ptr<PlainNode> weak = node;
  for (auto _ : state) {
    std::shared_ptr<PlainNode> locked = weak.lock();
    benchmark::DoNotOptimize(locked);
  }
}
BENCHMARK(BM_WeakPtrLock);

// The counter `per_object`: CPU time per object (state.range(0) objects per
// iteration), printed as a time ("52.5ns").
benchmark::Counter PerObject(const benchmark::State& state) {
  return benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(0)),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Makes `pairs` garbage 2-cycles.
void MakeGarbagePairs(int64_t pairs) {
  for (int64_t i = 0; i < pairs; ++i) {
    gc::Ref<Node> a = gc::Make<Node>();
    gc::Ref<Node> b = gc::Make<Node>();
    a->next = b;
    b->next = a;
  }
}

// A young collection that finds 350 garbage 2-cycles (700 objects), next to
// an old live heap of range(0) objects. Time per collection.
void BM_YoungCollection(benchmark::State& state) {
  FreshHeap fresh;
  fresh.heap().Disable();
  RootsOf<P, TreeNode<P>> old(1);
  if (state.range(0) > 0) LiveTree<P>(old, state.range(0));
  fresh.heap().Collect();
  for (auto _ : state) {
    state.PauseTiming();
    MakeGarbagePairs(350);
    state.ResumeTiming();
    fresh.heap().Collect(0);
  }
  state.SetItemsProcessed(state.iterations() * 700);
}
BENCHMARK(BM_YoungCollection)
    ->Arg(0)
    ->Arg(1000000)
    ->Unit(benchmark::kMicrosecond);

// A full collection of a live tree of range(0) objects (fan-out 6, parent
// pointers). items_per_second is objects examined per second.
void BM_FullCollectionLive(benchmark::State& state) {
  FreshHeap fresh;
  fresh.heap().Disable();
  RootsOf<P, TreeNode<P>> roots(1);
  LiveTree<P>(roots, state.range(0));
  fresh.heap().Collect();  // all in the oldest generation
  for (auto _ : state) fresh.heap().Collect();
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["per_object"] = PerObject(state);
}
BENCHMARK(BM_FullCollectionLive)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond);

// A full collection that frees range(0) objects in garbage 2-cycles.
void BM_FullCollectionGarbage(benchmark::State& state) {
  FreshHeap fresh;
  fresh.heap().Disable();
  for (auto _ : state) {
    state.PauseTiming();
    MakeGarbagePairs(state.range(0) / 2);
    state.ResumeTiming();
    fresh.heap().Collect();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["per_object"] = PerObject(state);
}
BENCHMARK(BM_FullCollectionGarbage)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
