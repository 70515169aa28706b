// Copyright 2026 The cyclegc Authors.
//
// A picture of an object's neighbourhood: Heap::ToDot (Graphviz DOT text).
//
// The neighbourhood is a breadth-first search from the given objects over
// the directions asked for, to `depth` edges; the first `max_nodes` objects
// it meets are drawn (the given ones first), the rest only counted. Edges
// between drawn objects are drawn, whichever direction found them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gc/heap.h"
#include "gc/internal/heap_graph.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/round.h"

namespace gc {
namespace {

using internal::HeapGraph;
using internal::HeapState;

constexpr uint32_t kNotDrawn = UINT32_MAX;

absl::Status CheckOptions(absl::Span<const Ref<Object>> objects,
                          const DotOptions& options) {
  if (options.depth < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ToDot: DotOptions::depth must be >= 0; got ", options.depth));
  }
  if (options.max_nodes < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ToDot: DotOptions::max_nodes must be >= 1; got ", options.max_nodes));
  }
  for (size_t i = 0; i < objects.size(); ++i) {
    if (objects[i] == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ToDot: object ", i, " of ", objects.size(), " is null"));
    }
  }
  return absl::OkStatus();
}

// A DOT double-quoted string (a newline becomes a line break).
std::string Quote(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";  // a line break in a label
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Which objects to draw, in the order met.
struct Neighbourhood {
  std::vector<uint32_t> drawn;           // graph ids, breadth-first order
  std::vector<uint32_t> drawn_at;        // per graph id: index in `drawn`
  std::vector<const Object*> untracked;  // given objects not in the graph
  int64_t cut = 0;  // objects within depth that max_nodes left out
};

Neighbourhood Explore(const HeapGraph& graph,
                      absl::Span<const Ref<Object>> objects,
                      const DotOptions& options) {
  Neighbourhood hood;
  hood.drawn_at.assign(graph.size(), kNotDrawn);
  std::vector<int32_t> depth(graph.size(), -1);
  std::vector<uint32_t> queue;
  int64_t shown = 0;
  auto meet = [&](uint32_t id, int32_t d) {
    if (depth[id] >= 0) return;
    depth[id] = d;
    queue.push_back(id);
    if (shown < options.max_nodes) {
      hood.drawn_at[id] = static_cast<uint32_t>(hood.drawn.size());
      hood.drawn.push_back(id);
      ++shown;
    } else {
      ++hood.cut;
    }
  };
  absl::flat_hash_set<const Object*> untracked_seen;
  for (const Ref<Object>& object : objects) {
    const uint32_t id = graph.IdOf(*object);
    if (id != HeapGraph::kNone) {
      meet(id, 0);
    } else if (untracked_seen.insert(object.get()).second) {
      if (shown < options.max_nodes) {
        hood.untracked.push_back(object.get());
        ++shown;
      } else {
        ++hood.cut;
      }
    }
  }
  for (size_t head = 0; head < queue.size(); ++head) {
    const uint32_t id = queue[head];
    const int32_t d = depth[id];
    if (d >= options.depth) continue;
    if (options.referents) {
      graph.ForEachReferent(id, [&](uint32_t target) { meet(target, d + 1); });
    }
    if (options.referrers) {
      for (uint32_t source : graph.Referrers(id)) meet(source, d + 1);
    }
  }
  return hood;
}

std::string NodeLine(const std::string& name, const Object& object,
                     absl::string_view refs, absl::string_view fill,
                     bool given) {
  const std::string label =
      absl::StrCat(internal::TypeName(object), "\n0x",
                   absl::Hex(reinterpret_cast<uintptr_t>(&object)), "\n", refs);
  return absl::StrCat("  ", name, " [label=", Quote(label), ", fillcolor=\"",
                      fill, "\"", given ? ", penwidth=2.5" : "", "];\n");
}

}  // namespace

absl::StatusOr<std::string> Heap::ToDot(absl::Span<const Ref<Object>> objects,
                                        const DotOptions& options) const {
  if (absl::Status bad = CheckOptions(objects, options); !bad.ok()) return bad;
  for (const Ref<Object>& object : objects) {
    internal::CheckOwnObject(*state_, *object, "ToDot");
  }
  if (state_->collecting()) {
    return absl::FailedPreconditionError(
        "ToDot: a collection of this heap is running (called from a "
        "callback, finalizer or destructor); call it between collections");
  }
  internal::FinishRound(*state_);  // the round under way, at once
  HeapGraph graph(*state_, options.referrers);
  // The Refs passed in (one per element) are held only to ask: not
  // references from outside.
  absl::flat_hash_map<const Object*, int64_t> held_here;
  for (const Ref<Object>& object : objects) {
    ++held_here[object.get()];
    const uint32_t id = graph.IdOf(*object);
    if (id != HeapGraph::kNone) graph.DiscountReference(id);
  }
  auto refcount = [&](const Object& object) {
    auto it = held_here.find(&object);
    return RefCount(object) - (it == held_here.end() ? 0 : it->second);
  };
  const std::vector<uint32_t> reached = graph.ReachedFrom();
  const Neighbourhood hood = Explore(graph, objects, options);
  absl::flat_hash_set<const Object*> given, in_garbage_list;
  for (const Ref<Object>& object : objects) given.insert(object.get());
  for (const Ref<Object>& object : state_->garbage) {
    if (object != nullptr) in_garbage_list.insert(object.get());
  }

  std::string out =
      "digraph cyclegc {\n"
      "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=10];\n"
      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", "
      "fontsize=10];\n"
      "  edge [color=\"#555555\"];\n";
  std::string garbage_nodes;
  for (size_t i = 0; i < hood.drawn.size(); ++i) {
    const uint32_t id = hood.drawn[i];
    const Object& object = *graph.At(id);
    const int64_t outside = graph.ExternalRefs(id);
    const bool is_garbage = reached[id] == HeapGraph::kNone;
    const char* fill = is_garbage                          ? "#d9d9d9"
                       : in_garbage_list.contains(&object) ? "#ffb3b3"
                       : outside > 0                       ? "#cfe2ff"
                                                           : "#ffffff";
    const std::string refs =
        absl::StrCat("refcount ", refcount(object), ", ", outside,
                     " from outside", is_garbage ? "\ncyclic garbage" : "",
                     in_garbage_list.contains(&object) ? "\nin Garbage()" : "");
    const std::string line = NodeLine(absl::StrCat("n", i), object, refs, fill,
                                      given.contains(&object));
    absl::StrAppend(is_garbage ? &garbage_nodes : &out, is_garbage ? "  " : "",
                    line);
  }
  for (size_t i = 0; i < hood.untracked.size(); ++i) {
    const Object& object = *hood.untracked[i];
    absl::StrAppend(&out, NodeLine(absl::StrCat("u", i), object,
                                   absl::StrCat("refcount ", refcount(object),
                                                ", untracked"),
                                   "#fff2cc", true));
  }
  if (!garbage_nodes.empty()) {
    absl::StrAppend(&out,
                    "  subgraph cluster_garbage {\n"
                    "    label=\"cyclic garbage (freed by the next "
                    "collection)\";\n"
                    "    style=dashed; color=\"#888888\";\n",
                    garbage_nodes, "  }\n");
  }
  for (size_t i = 0; i < hood.drawn.size(); ++i) {
    graph.ForEachReferent(hood.drawn[i], [&](uint32_t target) {
      if (hood.drawn_at[target] != kNotDrawn) {
        absl::StrAppend(&out, "  n", i, " -> n", hood.drawn_at[target], ";\n");
      }
    });
  }
  if (hood.cut > 0) {
    absl::StrAppend(
        &out, "  cut [shape=note, style=filled, fillcolor=\"#ffe0b3\", label=",
        Quote(absl::StrCat("cut at max_nodes = ", options.max_nodes, ": ",
                           hood.cut, " more objects within depth ",
                           options.depth, " not drawn")),
        "];\n");
  }
  out += "}\n";
  return out;
}

}  // namespace gc
