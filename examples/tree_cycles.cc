// Copyright 2026 The cyclegc Authors.
//
// tree_cycles: parent/child trees, the experiment a reference-counting memory
// manager is judged by. A child that holds its parent strongly puts every
// edge of the tree in a cycle: reference counting alone would leak all of it,
// and the cycle collector has to find it. For n in 0..19 (--large: 0..39) the
// program builds n trees of depth 5 (6 top nodes, 6 children per node: 9,330
// nodes a tree, the shape of tests/seed_workload_test.cc) and drops each at
// once: 190 trees (--large: 780).
//
// Four ways to run it, side by side, each in its own child process so that
// its peak memory is its own:
//   * strong parents, default thresholds (700, 10, 10);
//   * weak parents: no cycles, every tree dies by reference counting (the
//     nodes are still tracked, and examined by young collections);
//   * weak parents, and the node type promises acyclic (kAcyclic): not
//     tracked, never examined;
//   * strong parents, thresholds (10000, 10, 10) and (10000, 100, 100).
// A collection callback prints CPython's gc.callbacks view of the first
// collections ("phase: generation collected uncollectable").
//
//   bazel run -c opt //examples:tree_cycles [-- --callbacks] [--large]

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/str_format.h"
#include "examples/example_util.h"
#include "gc/gc.h"

namespace {

constexpr int kDepth = 5;
constexpr int kFanOut = 6;

// A tree node that owns its children and holds its parent strongly.
class Node : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }
  gc::Ref<Node> parent;  // strong: child <-> parent is a cycle
  std::vector<gc::Ref<Node>> children;
};

// The same node with a weak parent pointer. Only children are strong edges.
class WeakNode : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<WeakNode>& child : children) visitor.Visit(child);
  }
  gc::WeakRef<WeakNode> parent;  // weak: never traced, never a cycle
  std::vector<gc::Ref<WeakNode>> children;
};

// The same, promising that no cycle can form: its objects are not tracked.
class AcyclicNode : public gc::Object {
 public:
  static constexpr bool kAcyclic = true;
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<AcyclicNode>& child : children) visitor.Visit(child);
  }
  gc::WeakRef<AcyclicNode> parent;
  std::vector<gc::Ref<AcyclicNode>> children;
};

// Gives `node` (at `depth`) its children down to kDepth. Recursion is only
// kDepth deep.
template <typename N>
void Grow(const gc::Ref<N>& node, int depth) {
  if (depth == kDepth) return;
  node->children.reserve(kFanOut);
  for (int i = 0; i < kFanOut; ++i) {
    gc::Ref<N> child = gc::Make<N>();
    child->parent = node;
    node->children.push_back(child);
    Grow(child, depth + 1);
  }
}

// Round n builds and drops n trees.
template <typename N>
void BuildAndDropTrees(int rounds) {
  for (int n = 0; n < rounds; ++n) {
    for (int t = 0; t < n; ++t) {
      std::vector<gc::Ref<N>> tree;  // the 6 top nodes
      for (int i = 0; i < kFanOut; ++i) {
        tree.push_back(gc::Make<N>());
        Grow(tree.back(), 1);
      }
    }  // dropped: with strong parents, every node is still referenced
  }
}

enum class Parents { kStrong, kWeak, kWeakAcyclic };

struct Variant {
  const char* name;
  Parents parents;
  std::array<int64_t, 3> thresholds;
};

// What one variant measured (crosses the pipe from its child process).
struct Result {
  int64_t nodes;
  std::array<gc::GenerationStats, 3> stats;  // during the loop
  int64_t found_after;               // by a full Collect() after the loop
  absl::Duration gc_cpu, wall, cpu;  // collections; the whole loop
  int64_t peak_heap_bytes;           // managed objects, by the heap's allocator
  int64_t start_rss;                 // of the child process, before the run
  int64_t peak_rss;
};

Result Run(const Variant& variant, int rounds, int callback_lines) {
  example::CountingAllocator allocator;  // outlives the heap's objects
  int lines = 0;  // the callback's: outlives the heap's last collection
  gc::Heap heap;
  gc::HeapScope scope(heap);
  if (!heap.SetAllocator(&allocator).ok() ||
      !heap.SetThreshold(variant.thresholds[0], variant.thresholds[1],
                         variant.thresholds[2])
           .ok()) {
    std::abort();
  }
  heap.AddCallback([&](gc::Phase phase, const gc::CollectionInfo& info) {
    if (lines++ >= callback_lines) return;
    std::printf("    %s: generation=%d collected=%lld uncollectable=%lld\n",
                phase == gc::Phase::kStart ? "start" : "stop", info.generation,
                static_cast<long long>(info.collected),
                static_cast<long long>(info.uncollectable));
  });
  std::printf("  %s: %s\n", variant.name,
              callback_lines < 100 ? "the first callbacks (--callbacks: all)"
                                   : "every collection callback");

  example::CollectionCpuTimer gc_cpu(heap);
  Result result{};
  result.start_rss = example::ResidentBytes();
  example::Stopwatch watch;
  example::CpuStopwatch cpu;
  switch (variant.parents) {
    case Parents::kStrong:
      BuildAndDropTrees<Node>(rounds);
      break;
    case Parents::kWeak:
      BuildAndDropTrees<WeakNode>(rounds);
      break;
    case Parents::kWeakAcyclic:
      BuildAndDropTrees<AcyclicNode>(rounds);
      break;
  }
  result.wall = watch.Elapsed();
  result.cpu = cpu.Elapsed();
  result.gc_cpu = gc_cpu.total();
  result.stats = heap.GetStats();
  result.found_after = heap.Collect();
  result.nodes = allocator.allocations();
  result.peak_heap_bytes = allocator.peak_live_bytes();
  result.peak_rss = example::PeakResidentBytes();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  bool all_callbacks = false;
  bool large = false;
  example::ParseFlags(
      argc, argv, "tree_cycles: parent/child trees, strong or weak parents.",
      {{"--callbacks", "print every collection callback, not the first four",
        &all_callbacks},
       {"--large", "rounds 0..39 instead of 0..19", &large}});
  const int rounds = large ? 40 : 20;
  const Variant variants[] = {
      {"strong parents, 700/10/10", Parents::kStrong, {700, 10, 10}},
      {"weak parents, 700/10/10", Parents::kWeak, {700, 10, 10}},
      {"weak parents, acyclic type", Parents::kWeakAcyclic, {700, 10, 10}},
      {"strong parents, 10000/10/10", Parents::kStrong, {10000, 10, 10}},
      {"strong parents, 10000/100/100", Parents::kStrong, {10000, 100, 100}},
  };
  example::PrintHeading("tree_cycles: parent/child trees, built and dropped");
  example::Table table({"parents, thresholds", "collections", "collected",
                        "left over", "gc time", "wall time", "CPU time",
                        "peak heap", "peak RSS"});
  Result r{};
  for (const Variant& variant : variants) {
    r = example::InChildProcess<Result>(
        [&] { return Run(variant, rounds, all_callbacks ? 1 << 30 : 4); });
    table.AddRow(
        {variant.name,
         example::PerGeneration(r.stats, &gc::GenerationStats::collections),
         example::PerGeneration(r.stats, &gc::GenerationStats::collected),
         example::Count(r.found_after), example::Millis(r.gc_cpu),
         example::Millis(r.wall), example::Millis(r.cpu),
         example::Bytes(r.peak_heap_bytes), example::Bytes(r.peak_rss)});
  }
  std::printf("\n");
  table.Print();
  example::PrintNote(absl::StrFormat(
      "Each variant made %s nodes, in a child process of its own. "
      "collections, collected: per generation (g0 / g1 / g2) during the loop. "
      "left over: what a full Collect() found after it. gc time, CPU time: "
      "CPU time in collections, and in the whole loop (which leaves out the "
      "time other processes had the core). peak heap: managed objects, by "
      "the heap's allocator. peak RSS: the child process (the last one "
      "started at %s).",
      example::Count(r.nodes), example::Bytes(r.start_rss)));
  return 0;
}
