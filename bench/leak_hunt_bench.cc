// Copyright 2026 The cyclegc Authors.
//
// How long the leak-hunting calls take on large heaps: a heap of N objects
// (a wide tree: a root with N - 1 children spread over 1000 parents) and a
// chain of N nodes. Prints one line per call. Not a test: figures only.
//
//   bazel run --config=opt //bench:leak_hunt_bench -- 1000000

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gc/gc.h"

namespace {

class Node : public gc::Object {
 public:
  std::vector<gc::Ref<Node>> children;
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }
};

void Time(const char* shape, const char* what, const std::function<void()>& f) {
  const absl::Time start = absl::Now();
  f();
  std::printf("%-6s %-40s %8.1f ms\n", shape, what,
              absl::ToDoubleMilliseconds(absl::Now() - start));
}

void Measure(const char* shape, gc::Heap& heap, const gc::Ref<Node>& root,
             Node* deep) {
  Time(shape, "CountByType", [&] { (void)heap.CountByType(); });
  Time(shape, "GrowthTracker (first look + Update)", [&] {
    gc::GrowthTracker growth(heap);
    (void)growth.Update();
  });
  Time(shape, "FindRootPath (deepest object)", [&] {
    const size_t n = heap.FindRootPath(*deep).size();
    if (n == 0) std::abort();
  });
  Time(shape, "ToDot (deepest, depth 2, both ways)", [&] {
    if (!heap.ToDot({gc::Ref<gc::Object>(deep)}).ok()) std::abort();
  });
  Time(shape, "ToDot (root, depth 2, max_nodes 500)", [&] {
    if (!heap.ToDot({root}).ok()) std::abort();
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1000000;
  gc::Heap heap;
  gc::HeapScope scope(heap);
  heap.Disable();
  {
    gc::Ref<Node> root = gc::Make<Node>();
    std::vector<Node*> parents;
    for (int i = 0; i < 1000 && i + 1 < n; ++i) {
      root->children.push_back(gc::Make<Node>());
      parents.push_back(root->children.back().get());
    }
    for (int i = 1001; i < n; ++i) {
      parents[i % parents.size()]->children.push_back(gc::Make<Node>());
    }
    std::printf("heap of %d objects:\n", n);
    Measure("wide", heap, root, parents.back()->children.back().get());
  }
  {
    gc::Ref<Node> head = gc::Make<Node>();
    Node* tail = head.get();
    for (int i = 1; i < n; ++i) {
      tail->children.push_back(gc::Make<Node>());
      tail = tail->children[0].get();
    }
    std::printf("chain of %d nodes:\n", n);
    Measure("chain", heap, head, tail);
    Time("chain", "Collect() (for scale)", [&] { heap.Collect(); });
  }
  return 0;
}
