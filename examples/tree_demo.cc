// Copyright 2026 The cyclegc Authors.
//
// tree_demo: the smallest tour of cyclegc. It builds a tree whose children
// hold strong pointers to their parents (every edge is part of a cycle, which
// reference counting alone would leak), drops it, and prints what the cycle
// collector reports. Then it does the same with weak parent pointers, which
// leave the collector nothing to do.
//
//   bazel run -c opt //examples:tree_demo

#include <cstdint>
#include <cstdio>
#include <vector>

#include "gc/gc.h"

namespace {

class Node : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }
  gc::Ref<Node> parent;  // strong: a cycle with the parent's children list
  std::vector<gc::Ref<Node>> children;
};

class WeakNode : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<WeakNode>& child : children) visitor.Visit(child);
  }
  gc::WeakRef<WeakNode> parent;  // weak: no cycle
  std::vector<gc::Ref<WeakNode>> children;
};

template <typename N>
gc::Ref<N> BuildTree(int depth, int fan_out) {
  gc::Ref<N> node = gc::Make<N>();
  if (depth > 1) {
    for (int i = 0; i < fan_out; ++i) {
      gc::Ref<N> child = BuildTree<N>(depth - 1, fan_out);
      child->parent = node;
      node->children.push_back(child);
    }
  }
  return node;
}

template <typename N>
void Run(const char* title) {
  gc::Heap heap;  // a fresh heap for each run
  gc::HeapScope scope(heap);
  heap.AddCallback([](gc::Phase phase, const gc::CollectionInfo& info) {
    if (phase == gc::Phase::kStop && info.collected > 0) {
      std::printf(
          "  collection of generation %d: %lld examined, %lld "
          "collected\n",
          info.generation, static_cast<long long>(info.candidates),
          static_cast<long long>(info.collected));
    }
  });
  std::printf("%s\n", title);
  for (int round = 0; round < 5; ++round) {
    gc::Ref<N> root = BuildTree<N>(6, 6);  // 9,331 nodes
  }                                        // each tree is dropped here
  std::printf("  after dropping 5 trees: %lld objects alive\n",
              static_cast<long long>(heap.LiveObjects()));
  const int64_t found = heap.Collect();
  std::printf("  a full collection found %lld more; %lld objects alive\n",
              static_cast<long long>(found),
              static_cast<long long>(heap.LiveObjects()));
  const auto stats = heap.GetStats();
  std::printf("  collections per generation: %lld / %lld / %lld\n",
              static_cast<long long>(stats[0].collections),
              static_cast<long long>(stats[1].collections),
              static_cast<long long>(stats[2].collections));
}

}  // namespace

int main() {
  Run<Node>("Trees with strong parent pointers (cycles):");
  Run<WeakNode>("Trees with weak parent pointers (no cycles):");
  return 0;
}
