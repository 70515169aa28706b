// Copyright 2026 The cyclegc Authors.
//
// The heap's introspection and freezing: GetObjects, GetReferrers,
// GetReferents, Freeze and Unfreeze.

#include <vector>

#include "gc/heap.h"
#include "gc/internal/edge_visitor.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/owner.h"
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
  const uint32_t bits = ObjectAccess::Bits(object);
  const uint32_t list = bits & internal::kListMask;
  return (bits & internal::kHeapIdMask) == heap.id_bits &&
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
  if (state_->collecting) {
    state_->ReportError("gc: Freeze() during a collection is ignored");
    return;
  }
  std::vector<Object*>& generations = state_->lists[kListGenerations];
  internal::ReserveGrowing(  // then Link cannot throw
      state_->lists[kListPermanent],
      state_->lists[kListPermanent].size() + generations.size());
  for (Object* object : generations) {
    if (object != nullptr) state_->Link(object, kListPermanent);
  }
  generations.clear();
  state_->tombstones[kListGenerations] = 0;
  state_->compaction[kListGenerations] = {};
  state_->gen1_begin = state_->gen0_begin = 0;
  state_->generation_live = {};
  state_->count = {};
}

void Heap::Unfreeze() {
  internal::GuardOwner(*state_, "gc::Heap::Unfreeze");
  if (state_->collecting) {
    state_->ReportError("gc: Unfreeze() during a collection is ignored");
    return;
  }
  // Generation 2 grows by the frozen objects: rebuild the generations as
  // generation 2, the frozen objects, generation 1, generation 0.
  std::vector<Object*>& generations = state_->lists[kListGenerations];
  std::vector<Object*>& frozen = state_->lists[kListPermanent];
  std::vector<Object*> rebuilt;
  rebuilt.reserve(generations.size() + frozen.size());
  auto append = [&](const std::vector<Object*>& from, size_t begin,
                    size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (from[i] != nullptr) rebuilt.push_back(from[i]);
    }
  };
  append(generations, 0, state_->gen1_begin);
  append(frozen, 0, frozen.size());
  const size_t gen1_begin = rebuilt.size();
  append(generations, state_->gen1_begin, state_->gen0_begin);
  const size_t gen0_begin = rebuilt.size();
  append(generations, state_->gen0_begin, generations.size());
  generations.swap(rebuilt);
  frozen.clear();
  state_->tombstones[kListPermanent] = 0;
  state_->tombstones[kListGenerations] = 0;
  state_->compaction = {};
  state_->gen1_begin = gen1_begin;
  state_->gen0_begin = gen0_begin;
  state_->generation_live = {
      static_cast<int64_t>(generations.size() - gen0_begin),
      static_cast<int64_t>(gen0_begin - gen1_begin),
      static_cast<int64_t>(gen1_begin)};
  for (size_t i = 0; i < generations.size(); ++i) {
    internal::HeaderOf(generations[i])->index = static_cast<uint32_t>(i);
    uint32_t& bits = ObjectAccess::Bits(*generations[i]);
    bits = (bits & ~internal::kListMask) | kListGenerations;
  }
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
      candidate->Trace(finder);
      finder.Finish();
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
  if ((ObjectAccess::Bits(object) & internal::kDying) == 0) {
    object.Trace(collector);
    collector.Finish();
  }
  return found;
}

}  // namespace gc
