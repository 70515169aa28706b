// Copyright 2026 The cyclegc Authors.
//
// The heap's introspection and freezing: GetObjects, GetReferrers,
// GetReferents, Freeze and Unfreeze.

#include <vector>

#include "gc/heap.h"
#include "gc/internal/edge_visitor.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/owner.h"
#include "gc/internal/round.h"
#include "gc/internal/safe_trace.h"
#include "gc/visitor.h"

namespace gc {
namespace {

using internal::HeapState;
using internal::kListBorn;
using internal::kListGenerations;
using internal::kListPermanent;
using internal::ObjectAccess;
using internal::RefAccess;

// Live: tracked by this heap in a generation or the permanent generation
// (not dying, not examined by a running collection).
bool IsListed(const HeapState& heap, const Object& object) {
  const uint32_t bits = internal::ObjectBits::Of(object);
  const uint32_t list = internal::ObjectBits::List(bits);
  return internal::ObjectBits::HeapBits(bits) == heap.id_bits &&
         list >= kListGenerations && list <= kListPermanent;
}

void AppendLive(const std::vector<Object*>& list, size_t begin, size_t end,
                std::vector<Ref<Object>>& out) {
  for (size_t i = begin; i < end; ++i) {
    if (list[i] != nullptr) out.push_back(RefAccess::Share<Object>(list[i]));
  }
}

}  // namespace

void Heap::Freeze() {
  internal::GuardOwner(*state_, "gc::Heap::Freeze");
  if (state_->collecting()) {
    state_->ReportError("gc: Freeze() during a collection is ignored");
    return;
  }
  internal::FinishRound(*state_);
  state_->Freeze();
}

void Heap::Unfreeze() {
  internal::GuardOwner(*state_, "gc::Heap::Unfreeze");
  if (state_->collecting()) {
    state_->ReportError("gc: Unfreeze() during a collection is ignored");
    return;
  }
  internal::FinishRound(*state_);
  state_->Unfreeze();
}

int64_t Heap::GetFreezeCount() const {
  return state_->ListSize(kListPermanent);
}

std::vector<Ref<Object>> Heap::GetObjects() const {
  internal::GuardOwner(*state_, "gc::Heap::GetObjects");
  std::vector<Ref<Object>> out;
  for (int list = kListGenerations; list <= int{kListPermanent}; ++list) {
    const std::vector<Object*>& objects = state_->lists[list];
    AppendLive(objects, 0, objects.size(), out);
  }
  return out;
}

std::vector<Ref<Object>> Heap::GetObjects(int generation) const {
  internal::GuardOwner(*state_, "gc::Heap::GetObjects");
  internal::CheckGeneration("GetObjects", generation);
  std::vector<Ref<Object>> out;
  AppendLive(state_->lists[kListGenerations],
             state_->GenerationBegin(generation),
             state_->GenerationEnd(generation), out);
  if (generation == 0) {  // made during a running collection
    const std::vector<Object*>& born = state_->lists[kListBorn];
    AppendLive(born, 0, born.size(), out);
  }
  return out;
}

std::vector<Ref<Object>> Heap::GetReferrers(const Object& object) const {
  internal::GuardOwner(*state_, "gc::Heap::GetReferrers");
  std::vector<Ref<Object>> out;
  for (int list = kListGenerations; list <= int{kListPermanent}; ++list) {
    const std::vector<Object*>& objects = state_->lists[list];
    for (size_t i = 0; i < objects.size(); ++i) {
      Object* candidate = objects[i];
      if (candidate == nullptr) continue;
      bool found = false;
      internal::EdgeVisitor finder(
          [&](Object*& slot) { found |= slot == &object; });
      internal::TryTrace(candidate, finder, /*finish=*/true,
                         internal::Rethrow);
      if (found) out.push_back(RefAccess::Share<Object>(candidate));
    }
  }
  return out;
}

std::vector<Ref<Object>> Heap::GetReferents(Object& object) const {
  internal::GuardOwner(*state_, "gc::Heap::GetReferents");
  std::vector<Ref<Object>> found;
  internal::EdgeVisitor collector([&](Object*& slot) {
    if (IsListed(*state_, *slot))
      found.push_back(RefAccess::Share<Object>(slot));
  });
  if (!internal::ObjectBits::IsDying(internal::ObjectBits::Of(object))) {
    internal::TryTrace(&object, collector, /*finish=*/true,
                       internal::Rethrow);
  }
  return found;
}

}  // namespace gc
