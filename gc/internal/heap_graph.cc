// Copyright 2026 The cyclegc Authors.

#include "gc/internal/heap_graph.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "gc/internal/check.h"

namespace gc::internal {

HeapGraph::HeapGraph(const HeapState& heap, bool with_referrers)
    : heap_(heap),
      generations_(static_cast<uint32_t>(heap.lists[kListGenerations].size())) {
  CYCLEGC_DCHECK(!heap.collecting());
  internal_.assign(generations_ + heap.lists[kListPermanent].size(), 0);
  const uint32_t n = size();
  for (uint32_t id = 0; id < n; ++id) {
    if (At(id) != nullptr)
      ForEachReferent(id, [&](uint32_t t) { ++internal_[t]; });
  }
  if (!with_referrers) return;
  // Counting sort of the edges by target: offsets, then a second Trace pass.
  referrer_begin_.assign(n + 1, 0);
  for (uint32_t id = 0; id < n; ++id) {
    referrer_begin_[id + 1] = referrer_begin_[id] + internal_[id];
  }
  referrers_.resize(referrer_begin_[n]);
  std::vector<uint32_t> next(referrer_begin_.begin(),
                             referrer_begin_.end() - 1);
  for (uint32_t id = 0; id < n; ++id) {
    if (At(id) == nullptr) continue;
    ForEachReferent(id, [&](uint32_t t) {
      // A Trace that reports more now than in the first pass (it must not)
      // cannot write past its target's range.
      if (next[t] < referrer_begin_[t + 1]) referrers_[next[t]++] = id;
    });
  }
}

uint32_t HeapGraph::IdOf(const Object& object) const {
  const uint32_t bits = ObjectAccess::Bits(object);
  if (ObjectBits::HeapBits(bits) != heap_.id_bits) return kNone;
  const uint32_t list = bits & kListMask;
  if (list != kListGenerations && list != kListPermanent) return kNone;
  // Listed, hence traced: it has a GcHeader.
  const uint32_t index = HeaderOf(const_cast<Object*>(&object))->index;
  return list == kListGenerations ? index : generations_ + index;
}

std::vector<uint32_t> HeapGraph::ReachedFrom(uint32_t stop_at) const {
  const uint32_t n = size();
  std::vector<uint32_t> from(n, kNone);
  std::vector<uint32_t> queue;
  for (uint32_t id = 0; id < n; ++id) {
    if (At(id) != nullptr && ExternalRefs(id) > 0) {
      from[id] = id;
      queue.push_back(id);
    }
  }
  if (stop_at != kNone && from[stop_at] != kNone) return from;
  for (size_t head = 0; head < queue.size(); ++head) {
    const uint32_t id = queue[head];
    bool found = false;
    ForEachReferent(id, [&](uint32_t target) {
      if (from[target] != kNone) return;
      from[target] = id;
      queue.push_back(target);
      found |= target == stop_at;
    });
    if (found) break;
  }
  return from;
}

void HeapGraph::ReportThrowingTrace(const Object& object) const {
  heap_.ReportException(
      [&] { return absl::StrCat("Trace of a ", TypeName(object)); });
}

void CheckOwnObject(const HeapState& heap, const Object& object,
                    const char* function) {
  const uint32_t bits = ObjectAccess::Bits(object);
  if (ObjectBits::HeapBits(bits) == heap.id_bits && ObjectBits::IsManaged(bits)) {
    return;
  }
  char address[32];
  std::snprintf(address, sizeof(address), "%p",
                static_cast<const void*>(&object));
  FatalError(absl::StrCat("gc::Heap::", function, ": the ", TypeName(object),
                          " at ", address,
                          " is not a managed object of this heap (",
                          !ObjectBits::IsManaged(bits) ? "not made by gc::Make"
                                                 : "it belongs to another heap",
                          ")"));
}

}  // namespace gc::internal
