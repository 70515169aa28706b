// Copyright 2026 The cyclegc Authors.
//
// Why is an object alive: Heap::FindRootPath.

#include <algorithm>
#include <vector>

#include "gc/heap.h"
#include "gc/internal/heap_graph.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/round.h"

namespace gc {

using internal::HeapGraph;

std::vector<Ref<Object>> Heap::FindRootPath(const Object& object) const {
  internal::CheckOwnObject(*state_, object, "FindRootPath");
  // During a collection the lists and counts are half updated: no answer.
  if (state_->collecting()) return {};
  internal::FinishRound(*state_);  // the round under way, at once
  const HeapGraph graph(*state_, /*with_referrers=*/false);
  const uint32_t target = graph.IdOf(object);
  if (target == HeapGraph::kNone) return {};  // untracked or dying
  // Breadth first from every root at once: the first root to reach the
  // target is at the shortest distance.
  const std::vector<uint32_t> from = graph.ReachedFrom(target);
  if (from[target] == HeapGraph::kNone) return {};  // cyclic garbage
  std::vector<uint32_t> ids{target};
  while (from[ids.back()] != ids.back()) ids.push_back(from[ids.back()]);
  std::vector<Ref<Object>> chain;
  chain.reserve(ids.size());
  for (auto id = ids.rbegin(); id != ids.rend(); ++id) {
    chain.push_back(internal::RefAccess::Share<Object>(graph.At(*id)));
  }
  return chain;
}

}  // namespace gc
