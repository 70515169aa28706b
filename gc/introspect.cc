// Copyright 2026 The cyclegc Authors.
//
// The heap's introspection and freezing: GetObjects, GetReferrers,
// GetReferents, Freeze and Unfreeze.

#include <vector>

#include "gc/heap.h"
#include "gc/internal/edge_visitor.h"
#include "gc/internal/heap_state.h"
#include "gc/visitor.h"

namespace gc {
namespace {

using internal::HeapState;
using internal::kListGen0;
using internal::kListGen2;
using internal::kListPermanent;
using internal::ListId;
using internal::ObjectAccess;
using internal::RefAccess;

// Live: tracked by this heap in a generation or the permanent generation
// (not dying, not examined by a running collection).
bool IsListed(const HeapState& heap, const Object& object) {
  const uint32_t bits = ObjectAccess::Bits(object);
  const uint32_t list = bits & internal::kListMask;
  return (bits & internal::kHeapIdMask) == heap.id_bits && list >= kListGen0 &&
         list <= kListPermanent;
}

void AppendLive(const std::vector<Object*>& list,
                std::vector<Ref<Object>>& out) {
  for (Object* object : list) {
    if (object != nullptr) out.push_back(RefAccess::Share<Object>(object));
  }
}

}  // namespace

void Heap::Freeze() {
  if (state_->collecting) {
    state_->ReportError("gc: Freeze() during a collection is ignored");
    return;
  }
  int64_t total = state_->ListSize(kListPermanent);
  for (int g = 0; g < kNumGenerations; ++g) {
    total += state_->ListSize(static_cast<ListId>(kListGen0 + g));
  }
  state_->lists[kListPermanent].reserve(total);  // then Link cannot throw
  for (int g = 0; g < kNumGenerations; ++g) {
    const ListId list = static_cast<ListId>(kListGen0 + g);
    for (Object* object : state_->lists[list]) {
      if (object != nullptr) state_->Link(object, kListPermanent);
    }
    state_->lists[list].clear();
    state_->tombstones[list] = 0;
  }
  state_->count = {};
}

void Heap::Unfreeze() {
  if (state_->collecting) {
    state_->ReportError("gc: Unfreeze() during a collection is ignored");
    return;
  }
  state_->lists[kListGen2].reserve(state_->lists[kListGen2].size() +
                                   state_->ListSize(kListPermanent));
  for (Object* object : state_->lists[kListPermanent]) {
    if (object != nullptr) state_->Link(object, kListGen2);
  }
  state_->lists[kListPermanent].clear();
  state_->tombstones[kListPermanent] = 0;
}

int64_t Heap::GetFreezeCount() const {
  return state_->ListSize(kListPermanent);
}

std::vector<Ref<Object>> Heap::GetObjects() const {
  std::vector<Ref<Object>> out;
  for (int list = kListGen0; list <= int{kListPermanent}; ++list) {
    AppendLive(state_->lists[list], out);
  }
  return out;
}

std::vector<Ref<Object>> Heap::GetObjects(int generation) const {
  internal::CheckGeneration("GetObjects", generation);
  std::vector<Ref<Object>> out;
  AppendLive(state_->lists[static_cast<ListId>(kListGen0 + generation)], out);
  return out;
}

std::vector<Ref<Object>> Heap::GetReferrers(const Object& object) const {
  std::vector<Ref<Object>> out;
  for (int list = kListGen0; list <= int{kListPermanent}; ++list) {
    const std::vector<Object*>& objects = state_->lists[list];
    for (size_t i = 0; i < objects.size(); ++i) {
      Object* candidate = objects[i];
      if (candidate == nullptr) continue;
      bool found = false;
      internal::EdgeVisitor finder(
          [&](Object*& slot) { found |= slot == &object; });
      candidate->Trace(finder);
      finder.Finish();
      if (found) out.push_back(RefAccess::Share<Object>(candidate));
    }
  }
  return out;
}

std::vector<Ref<Object>> Heap::GetReferents(Object& object) const {
  std::vector<Ref<Object>> found;
  internal::EdgeVisitor collector([&](Object*& slot) {
    if (IsListed(*state_, *slot))
      found.push_back(RefAccess::Share<Object>(slot));
  });
  if ((ObjectAccess::Bits(object) & internal::kDying) == 0) {
    object.Trace(collector);
    collector.Finish();
  }
  return found;
}

}  // namespace gc
