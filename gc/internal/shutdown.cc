// Copyright 2026 The cyclegc Authors.

#include "gc/internal/shutdown.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gc/internal/edge_visitor.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/safe_trace.h"

namespace gc::internal {
namespace {

// The tracked objects of a heap between collections, numbered by their slot:
// the generations first, then the permanent generation.
class Survivors {
 public:
  explicit Survivors(const HeapState& heap)
      : heap_(heap), permanent_base_(heap.lists[kListGenerations].size()) {}

  size_t size() const {
    return permanent_base_ + heap_.lists[kListPermanent].size();
  }
  Object* At(size_t id) const {
    return id < permanent_base_ ? heap_.lists[kListGenerations][id]
                                : heap_.lists[kListPermanent][id -
                                                              permanent_base_];
  }
  // The number of a tracked object of this heap; -1 for any other.
  int64_t IdOf(const Object& object) const {
    if (heap_.InList(object, kListGenerations)) {
      return HeaderOf(const_cast<Object*>(&object))->index;
    }
    if (heap_.InList(object, kListPermanent)) {
      return static_cast<int64_t>(permanent_base_ +
                                  HeaderOf(const_cast<Object*>(&object))->index);
    }
    return -1;
  }

 private:
  const HeapState& heap_;
  const size_t permanent_base_;
};

// The edges between survivors, as compressed rows; self-references apart.
struct Graph {
  std::vector<size_t> begin;  // node v's targets: [begin[v], begin[v + 1])
  std::vector<uint32_t> targets;
  std::vector<bool> self_loop;
};

Graph BuildGraph(const Survivors& survivors) {
  Graph graph;
  const size_t n = survivors.size();
  graph.begin.reserve(n + 1);
  graph.self_loop.assign(n, false);
  for (size_t v = 0; v < n; ++v) {
    graph.begin.push_back(graph.targets.size());
    Object* object = survivors.At(v);
    if (object == nullptr) continue;
    EdgeVisitor edges([&](Object*& slot) {
      const int64_t w = survivors.IdOf(*slot);
      if (w < 0) return;
      if (static_cast<size_t>(w) == v) {
        graph.self_loop[v] = true;
      } else {
        graph.targets.push_back(static_cast<uint32_t>(w));
      }
    });
    // A Trace that throws: its edges stay unknown.
    TryTrace(object, edges, /*finish=*/true, RethrowOutOfMemory);
  }
  graph.begin.push_back(graph.targets.size());
  return graph;
}

// Tarjan's strongly connected components over a graph, with an explicit
// call stack: counts the nodes on cycles (in a component of two or more, or
// with an edge to themselves).
class CycleCounter {
 public:
  explicit CycleCounter(const Graph& graph)
      : graph_(graph),
        order_(graph.self_loop.size(), kUnseen),
        low_(graph.self_loop.size(), 0),
        on_stack_(graph.self_loop.size(), false) {}

  // Visits every node reachable from `root` that no call visited yet.
  void From(uint32_t root) {
    if (order_[root] != kUnseen) return;
    Enter(root);
    while (!calls_.empty()) Step();
  }
  int64_t on_cycles() const { return on_cycles_; }

 private:
  static constexpr uint32_t kUnseen = UINT32_MAX;

  void Enter(uint32_t v) {
    order_[v] = low_[v] = next_order_++;
    stack_.push_back(v);
    on_stack_[v] = true;
    calls_.emplace_back(v, graph_.begin[v]);
  }
  // Follows the next edge of the node on top of the call stack, or returns
  // from it when it has none left.
  void Step() {
    const uint32_t v = calls_.back().first;
    const size_t edge = calls_.back().second;
    if (edge == graph_.begin[v + 1]) {
      Return(v);
      return;
    }
    ++calls_.back().second;
    const uint32_t w = graph_.targets[edge];
    if (order_[w] == kUnseen) {
      Enter(w);
    } else if (on_stack_[w]) {
      low_[v] = std::min(low_[v], order_[w]);
    }
  }
  void Return(uint32_t v) {
    calls_.pop_back();
    if (!calls_.empty()) {
      const uint32_t parent = calls_.back().first;
      low_[parent] = std::min(low_[parent], low_[v]);
    }
    if (low_[v] != order_[v]) return;
    int64_t component = 0;  // pops v's component
    uint32_t w;
    do {
      w = stack_.back();
      stack_.pop_back();
      on_stack_[w] = false;
      ++component;
    } while (w != v);
    if (component > 1 || graph_.self_loop[v]) on_cycles_ += component;
  }

  const Graph& graph_;
  std::vector<uint32_t> order_, low_;
  std::vector<bool> on_stack_;
  std::vector<uint32_t> stack_;
  std::vector<std::pair<uint32_t, size_t>> calls_;  // node, next edge
  uint32_t next_order_ = 0;
  int64_t on_cycles_ = 0;
};

}  // namespace

int64_t CountObjectsOnCycles(HeapState& heap) {
  const Survivors survivors(heap);
  const Graph graph = BuildGraph(survivors);
  CycleCounter counter(graph);
  for (uint32_t root = 0; root < survivors.size(); ++root) {
    if (survivors.At(root) != nullptr) counter.From(root);
  }
  return counter.on_cycles();
}

namespace {

void ReportTypes(HeapState& heap) {
  std::map<std::string, int64_t> by_type;
  const Survivors survivors(heap);
  for (size_t id = 0; id < survivors.size(); ++id) {
    if (Object* object = survivors.At(id)) ++by_type[TypeName(*object)];
  }
  std::vector<std::pair<std::string, int64_t>> sorted(by_type.begin(),
                                                      by_type.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) {
                     return a.second > b.second;
                   });
  for (const auto& [type, count] : sorted) {
    heap.Report([&] { return absl::StrCat("gc:   ", count, " ", type); });
  }
}

}  // namespace

void ReportSurvivors(HeapState& heap) {
  const int64_t survivors =
      heap.ListSize(kListGenerations) + heap.ListSize(kListPermanent);
  if (survivors == 0 || heap.shutdown_report == ShutdownReport::kOff) return;
  heap.Report([&] {
    return absl::StrCat(
        "gc: ", survivors,
        " objects still referenced when their heap was destroyed; they are "
        "no longer tracked");
  });
  try {
    if (heap.shutdown_report == ShutdownReport::kList) ReportTypes(heap);
    const int64_t on_cycles = CountObjectsOnCycles(heap);
    if (on_cycles == 0) return;
    heap.Report([&] {
      return absl::StrCat(
          "gc: ", on_cycles,
          " of them form reference cycles, which nothing collects any more: "
          "they leak once their last outside reference goes (drop them "
          "before the heap, or break the cycles)");
    });
  } catch (const std::bad_alloc&) {
    heap.Report("gc: out of memory while describing the objects still "
                "referenced");
  }
}

void ReportShutdownGarbage(const HeapState& heap,
                           const std::vector<Ref<Object>>& garbage) {
  if (garbage.empty() || (heap.debug & kDebugSaveAll) != 0) return;
  if ((heap.debug & kDebugUncollectable) == 0) {
    heap.Report([&] {
      return absl::StrCat("gc: ", garbage.size(),
                          " uncollectable objects at shutdown; use "
                          "SetDebug(gc::kDebugUncollectable) to list them");
    });
    return;
  }
  heap.Report([&] {
    return absl::StrCat("gc: ", garbage.size(),
                        " uncollectable objects at shutdown");
  });
  for (const Ref<Object>& object : garbage) {
    heap.Report(
        [&] { return absl::StrCat("gc:   <", TypeName(*object), ">"); });
  }
}

}  // namespace gc::internal
