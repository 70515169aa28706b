// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/heap_graph.h
// -----------------------------------------------------------------------------
//
// `HeapGraph`: the references among a heap's tracked objects, as the
// leak-hunting calls (`Heap::FindRootPath`, `Heap::ToDot`) need them. Made
// between collections; everything is iterative and linear in the tracked
// objects and their edges.
//
// Ids. Every slot of the generations list, then every slot of the permanent
// list, gets an id (its slot index, the permanent ones after the
// generations): no table from object to id is needed, the GcHeader's index
// gives it. Empty slots (tombstones) have ids too, with no object.
//
// Made in one pass (two with referrers): each tracked object's Trace runs
// once and every edge to a tracked object of this heap counts as an
// internal reference of its target. An object whose reference count
// exceeds its internal references is referenced from outside the tracked
// objects: a root. Objects that no root reaches are cyclic garbage.
//
// Example:
//
//   HeapGraph graph(heap, /*with_referrers=*/false);
//   std::vector<uint32_t> from = graph.ReachedFrom();
//   bool garbage = from[graph.IdOf(*x)] == HeapGraph::kNone;
//
// Invariants:
//   * internal_[id] is the number of edges to At(id) from tracked objects.
//   * With referrers: referrers_[referrer_begin_[id] ..
//     referrer_begin_[id + 1]) are the ids of those edges' sources.

#ifndef CYCLEGC_GC_INTERNAL_HEAP_GRAPH_H_
#define CYCLEGC_GC_INTERNAL_HEAP_GRAPH_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "gc/internal/edge_visitor.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/safe_trace.h"
#include "gc/object.h"

namespace gc::internal {

class HeapGraph {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // REQUIRES: no collection of `heap` is running. May throw std::bad_alloc.
  HeapGraph(const HeapState& heap, bool with_referrers);

  uint32_t size() const { return static_cast<uint32_t>(internal_.size()); }
  // The object with `id`, or null for an empty slot.
  Object* At(uint32_t id) const {
    return id < generations_ ? heap_.lists[kListGenerations][id]
                             : heap_.lists[kListPermanent][id - generations_];
  }
  // The id of `object`, or kNone unless it is a live tracked object of this
  // heap.
  uint32_t IdOf(const Object& object) const;

  // Counts one reference to At(id) as internal: one the caller holds only
  // to ask (e.g. the Refs passed to ToDot). Before ReachedFrom.
  void DiscountReference(uint32_t id) { ++internal_[id]; }

  // References to At(id) that no tracked object's Trace explains.
  int64_t ExternalRefs(uint32_t id) const {
    return RefCount(*At(id)) - static_cast<int64_t>(internal_[id]);
  }

  // Calls `fn(target_id)` for each edge of At(id)'s Trace to a tracked
  // object of this heap (a Trace that throws is reported; its edges so far
  // count).
  template <typename Fn>
  void ForEachReferent(uint32_t id, Fn fn) const {
    EdgeVisitor visitor([&](Object*& target) {
      const uint32_t target_id = IdOf(*target);
      if (target_id != kNone) fn(target_id);
    });
    TraceSafely(*At(id), visitor);
  }

  // The ids of the objects whose Trace visits At(id), once per edge.
  // REQUIRES: made with referrers.
  absl::Span<const uint32_t> Referrers(uint32_t id) const {
    CYCLEGC_DCHECK(!referrer_begin_.empty());
    return absl::MakeConstSpan(referrers_.data() + referrer_begin_[id],
                               referrer_begin_[id + 1] - referrer_begin_[id]);
  }

  // A breadth-first search from every root at once: for each object, the id
  // it was first reached from (its own id for a root), or kNone when no
  // root reaches it (cyclic garbage, or an empty slot). With `stop_at`, the
  // search may stop once that id is reached (the rest is then incomplete).
  std::vector<uint32_t> ReachedFrom(uint32_t stop_at = kNone) const;

 private:
  template <typename Visitor>
  // A Trace that throws is reported; the edges it visited so far count.
  void TraceSafely(Object& object, Visitor& visitor) const {
    TryTrace(&object, visitor, /*finish=*/false,
             [&] { ReportThrowingTrace(object); });
    visitor.Finish();
  }
  void ReportThrowingTrace(const Object& object) const;

  const HeapState& heap_;
  uint32_t generations_;  // slots of the generations list (ids before these)
  std::vector<uint32_t> internal_;
  std::vector<uint32_t> referrer_begin_;
  std::vector<uint32_t> referrers_;
};

// Fails loudly (naming `function`) unless `object` is a managed object of
// `heap`.
void CheckOwnObject(const HeapState& heap, const Object& object,
                    const char* function);

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_HEAP_GRAPH_H_
