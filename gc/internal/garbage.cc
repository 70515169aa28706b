// Copyright 2026 The cyclegc Authors.
//
// The handling of the garbage a collection found: steps 5-9 of
// gc/internal/collector.h (ordered destruction, weak references, finalizers,
// resurrection, breaking the cycles), or step 9 alone, in place, when the
// other steps have nothing to do.

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gc/internal/collection.h"
#include "gc/internal/reaper.h"
#include "gc/internal/verifier.h"
#include "gc/internal/weak_ref_list.h"

namespace gc::internal {
namespace {

// Step 9: resets every visited reference.
class ClearVisitor final : public Visitor {
 public:
  void Finish() { Flush(); }

 private:
  // Resets all the slots first, then drops the references: a death (an
  // untracked object destroyed at once when the reaper has no memory, see
  // reaper.h) cannot free memory that a later slot of the batch is in.
  void VisitEdges(Object** const* slots, size_t count) override {
    Object* targets[kBatchSize];
    size_t n = 0;
    for (size_t i = 0; i < count; ++i) {
      Object* object = *slots[i];
      if (object == nullptr) continue;  // a slot visited twice
      *slots[i] = nullptr;
      targets[n++] = object;
    }
    for (size_t i = 0; i < n; ++i) ObjectAccess::DecRef(targets[i]);
  }
};

}  // namespace

// Steps 5-9 over the garbage FindGarbage noted (kUnreached set): returns the
// number of objects collected; sets info.uncollectable.
int64_t Collection::HandleGarbage(CollectionInfo& info) {
  const bool verify = (heap_.debug & kDebugVerify) != 0;
  if (!NeedsFullProtocol()) return BreakCyclesInPlace(verify);
  LinkUnreachable();
  if (verify) VerifyHeap(heap_, VerifyPoint::kAfterSplit, generation_);
  if ((garbage_bits_ & kMayRequireOrder) != 0) {
    info.uncollectable = SaveUncollectable();
    garbage_bits_ |= kHasWeak;  // user code ran: look again
  }
  if ((heap_.debug & kDebugCollectable) != 0) ReportCollectable();
  if ((garbage_bits_ & kHasWeak) != 0) ClearWeakRefs();
  if ((garbage_bits_ & kHasFinalizer) != 0 && RunFinalizers()) {
    KeepResurrected();
  }
  return BreakCycles();
}

// Back from the unreachable list to the generations (at their end: the
// promotion at the end of the collection puts it in generation g + 1).
void Collection::MoveToSurvivors(Object* object) {
  ObjectBits::ClearMark(ObjectBits::Of(*object));
  heap_.Unlink(object);
  heap_.LinkReserved(object, kListGenerations);
}

// Moves the garbage noted by FindGarbage from the generations to the
// unreachable list, in place; clears its kUnreached.
void Collection::LinkUnreachable() {
  std::vector<Object*>& unreachable = List(kListUnreachable);
  for (size_t i = 0; i < unreachable.size(); ++i) {
    Object* object = unreachable[i];
    heap_.Unlink(object);
    HeaderOf(object)->index = static_cast<uint32_t>(i);
    uint32_t& bits = ObjectBits::Of(*object);
    ObjectBits::SetReached(bits);
    ObjectBits::SetList(bits, kListUnreachable);
  }
}

// Keeps `object` alive in Garbage() and the survivors' generation.
void Collection::KeepGarbage(Object* object) {
  MoveToSurvivors(object);
  try {
    heap_.garbage.push_back(RefAccess::Share<Object>(object));
  } catch (const std::bad_alloc&) {
    heap_.ReportError([&] {
      return absl::StrCat("gc: out of memory listing ", Describe(*object),
                          " in Garbage()");
    });
  }
}

// Step 5, for one unreachable `object` not marked yet that may require
// ordered destruction: if it does, marks it kKeptForOrder with all it
// reaches. False if a Trace threw or memory ran out (then everything is
// kept).
bool Collection::MarkOrderedFrom(Object* object, MarkVisitor& mark) {
  bool ordered = true;
  try {
    ordered = object->RequiresOrderedDestruction();
  } catch (...) {
    heap_.ReportError([&] {
      return absl::StrCat("gc: exception in RequiresOrderedDestruction() of ",
                          Describe(*object), "; treated as true");
    });
  }
  if (!ordered) return true;
  std::vector<Object*>& stack = heap_.mark_stack;
  try {
    mark.MarkAndStack(object);
    while (!stack.empty()) {
      Object* next = stack.back();
      stack.pop_back();
      if (!Trace(next, mark)) return false;
    }
  } catch (const std::bad_alloc&) {
    return false;
  }
  return true;
}

// Step 5. Returns the number of uncollectable objects.
int64_t Collection::SaveUncollectable() {
  std::vector<Object*>& unreachable = List(kListUnreachable);
  MarkVisitor mark(heap_, kListUnreachable, 0, /*unmarked=*/0,
                   heap_.mark_stack);
  bool keep_all = false;
  for (size_t i = 0; i < unreachable.size() && !keep_all; ++i) {
    Object* object = unreachable[i];
    if (object == nullptr) continue;
    const uint32_t bits = ObjectBits::Of(*object);
    if (!ObjectBits::MayRequireOrder(bits) || ObjectBits::IsKeptForOrder(bits)) {
      continue;
    }
    keep_all = !MarkOrderedFrom(object, mark);
  }
  heap_.mark_stack.clear();
  if (keep_all) {  // a Trace threw: keep everything, as plain survivors
    for (Object* object : unreachable) {
      if (object != nullptr) MoveToSurvivors(object);
    }
    return 0;
  }
  int64_t uncollectable = 0;
  for (Object* object : unreachable) {
    if (object == nullptr ||
        !ObjectBits::IsKeptForOrder(ObjectBits::Of(*object))) {
      continue;
    }
    if ((heap_.debug & kDebugUncollectable) != 0) {
      heap_.Report([&] {
        return absl::StrCat("gc: uncollectable ", Describe(*object));
      });
    }
    KeepGarbage(object);
    ++uncollectable;
  }
  return uncollectable;
}

// kDebugCollectable: names each object about to be collected.
void Collection::ReportCollectable() {
  for (Object* object : List(kListUnreachable)) {
    if (object != nullptr) {
      heap_.Report(
          [&] { return absl::StrCat("gc: collectable ", Describe(*object)); });
    }
  }
}

// Step 6.
void Collection::ClearWeakRefs() {
  for (Object* object : List(kListUnreachable)) {
    if (object != nullptr && ObjectBits::HasWeak(ObjectBits::Of(*object))) {
      WeakRefList::ClearAll(heap_, object);
    }
  }
}

// Step 7. Returns whether any finalizer ran.
bool Collection::RunFinalizers() {
  bool any = false;
  std::vector<Object*>& unreachable = List(kListUnreachable);
  for (size_t i = 0; i < unreachable.size(); ++i) {
    Object* object = unreachable[i];
    if (object == nullptr) continue;  // died during an earlier finalizer
    uint32_t& bits = ObjectBits::Of(*object);
    if (!ObjectBits::HasFinalizer(bits) || ObjectBits::IsFinalized(bits)) {
      continue;
    }
    ObjectBits::SetFinalized(bits);
    any = true;
    try {
      object->Finalize();
    } catch (...) {
      heap_.ReportException(
          [&] { return absl::StrCat("Finalize() of ", TypeName(*object)); });
    }
  }
  return any;
}

// Step 8.
void Collection::KeepResurrected() {
  const bool ok = ComputeReachable(kListUnreachable, 0, nullptr);
  for (Object* object : List(kListUnreachable)) {
    if (object == nullptr) continue;
    uint32_t& bits = ObjectBits::Of(*object);
    if (!ok || !ObjectBits::IsUnreached(bits)) {
      MoveToSurvivors(object);
    } else {
      ObjectBits::SetReached(bits);  // still garbage
    }
  }
}

// Step 9. Returns the number of objects found to be garbage.
int64_t Collection::BreakCycles() {
  std::vector<Object*>& unreachable = List(kListUnreachable);
  const int64_t garbage = heap_.ListSize(kListUnreachable);
  if ((heap_.debug & kDebugSaveAll) != 0) {
    for (Object* object : unreachable) {
      if (object != nullptr) KeepGarbage(object);
    }
  } else {
    // About as many deaths as objects: room for them up front.
    Reaper::Get().Reserve(unreachable.size());
    ClearAll(unreachable);
    // Anything left is referenced from where no Trace reported it; it may
    // die later.
    for (Object* object : unreachable) {
      if (object != nullptr) MoveToSurvivors(object);
    }
  }
  heap_.ClearList(kListUnreachable);
  return garbage;
}

// Step 9 for garbage that is still in the generations (no weak references,
// finalizers or ordered destruction: steps 5-8 have nothing to do), marked
// (kUnreached, now kUnswept). The heap sweeps: each object's references are
// reset, then, in list order, each garbage object that died is destroyed at
// once (deaths of garbage not swept yet are left to the sweep, see Release),
// which frees the memory in the order it was allocated, while it is still in
// cache. Whatever does not die stays where it is, a survivor.
int64_t Collection::BreakCyclesInPlace(bool verify) {
  std::vector<Object*> garbage;
  garbage.swap(List(kListUnreachable));  // the unreachable list stays empty
  if (verify) {
    VerifyHeap(heap_, VerifyPoint::kBeforeSweep, generation_,
               static_cast<int64_t>(garbage.size()));
  }
  heap_.SetSweeping(true);
  ClearAll(garbage);
  for (Object* object : garbage) {
    // Not yet swept, so not yet destroyed: each destructor below may run
    // user code (which may even collect other heaps), but a death of this
    // heap's unswept garbage is left to this loop.
    uint32_t& bits = ObjectBits::Of(*object);
    ObjectBits::SetSwept(bits);
    if (ObjectBits::IsDying(bits)) DestroyNow(object);
  }
  heap_.SetSweeping(false);
  const auto count = static_cast<int64_t>(garbage.size());
  garbage.clear();
  garbage.swap(List(kListUnreachable));  // keep the reserved storage
  return count;
}

// Resets every reference that the Trace of each of `objects` reports. Deaths
// are deferred (or left to the sweep) until this returns, so every object
// stays readable.
void Collection::ClearAll(const std::vector<Object*>& objects) {
  ClearVisitor clear;
  for (Object* object : objects) {
    if (object != nullptr) Trace(object, clear);
  }
}

}  // namespace gc::internal
