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

}  // namespace

int64_t CountObjectsOnCycles(HeapState& heap) {
  const Survivors survivors(heap);
  const Graph graph = BuildGraph(survivors);
  const size_t n = survivors.size();
  // Tarjan's strongly connected components, with an explicit call stack.
  constexpr uint32_t kUnseen = UINT32_MAX;
  std::vector<uint32_t> order(n, kUnseen), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<uint32_t> stack;
  std::vector<std::pair<uint32_t, size_t>> calls;  // node, next edge
  uint32_t next_order = 0;
  int64_t on_cycles = 0;
  auto enter = [&](uint32_t v) {
    order[v] = low[v] = next_order++;
    stack.push_back(v);
    on_stack[v] = true;
    calls.emplace_back(v, graph.begin[v]);
  };
  for (uint32_t root = 0; root < n; ++root) {
    if (survivors.At(root) == nullptr || order[root] != kUnseen) continue;
    enter(root);
    while (!calls.empty()) {
      const uint32_t v = calls.back().first;
      const size_t edge = calls.back().second;
      if (edge < graph.begin[v + 1]) {
        ++calls.back().second;
        const uint32_t w = graph.targets[edge];
        if (order[w] == kUnseen) {
          enter(w);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], order[w]);
        }
        continue;
      }
      calls.pop_back();
      if (!calls.empty()) {
        const uint32_t parent = calls.back().first;
        low[parent] = std::min(low[parent], low[v]);
      }
      if (low[v] != order[v]) continue;
      int64_t component = 0;
      uint32_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        ++component;
      } while (w != v);
      if (component > 1 || graph.self_loop[v]) on_cycles += component;
    }
  }
  return on_cycles;
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
