// Copyright 2026 The cyclegc Authors.

#include "gc/internal/collector.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/reaper.h"
#include "gc/internal/remote_releases.h"
#include "gc/internal/verifier.h"
#include "gc/internal/weak_ref_list.h"
#include "gc/visitor.h"

namespace gc::internal {
namespace {

constexpr uint32_t kMatchMask = kListMask | kHeapIdMask;

uint32_t& BitsOf(Object* object) { return ObjectAccess::Bits(*object); }

// Steps 2-3: lowers gc_refs of every visited object of one list. An object's
// gc_refs is set from its refcount the first time the collection meets it
// (kMarked then set), so there is no separate pass to copy refcounts. Handles
// the edges of many objects per batch, prefetching their targets first.
class SubtractVisitor final : public Visitor {
 public:
  // Candidates: the objects of `list` from slot `from` on.
  SubtractVisitor(const HeapState& heap, ListId list, size_t from)
      : match_(list | heap.id_bits), from_(from) {}

  void Finish() { Flush(); }

  // Sets gc_refs of a candidate not met yet. The bits are read anyway (list
  // membership), and the refcount shares their word.
  static GcHeader* Meet(Object* object, uint32_t& bits) {
    GcHeader* header = HeaderOf(object);
    if ((bits & kMarked) == 0) {
      bits |= kMarked;
      header->gc_refs = ObjectAccess::RefCountField(*object);
    }
    return header;
  }

  std::vector<Object*> overcounted;  // reported more often than referenced

 private:
  void VisitEdges(Object** const* slots, size_t count) override {
    for (size_t i = 0; i < count; ++i) __builtin_prefetch(*slots[i], 1);
    for (size_t i = 0; i < count; ++i) {
      Object* object = *slots[i];
      uint32_t& bits = BitsOf(object);
      if ((bits & kMatchMask) != match_) continue;
      if (HeaderOf(object)->index < from_) continue;
      GcHeader* header = Meet(object, bits);
      if (ABSL_PREDICT_TRUE(header->gc_refs > 0)) {
        --header->gc_refs;
        continue;
      }
      // A Trace visits an edge twice, or one its object does not own. Keep
      // the object: it may well be referenced from outside.
      overcounted.push_back(object);
    }
  }

  uint32_t match_;
  size_t from_;
};

// Marks (toggles kMarked of) every visited object of one list whose kMarked
// is `unmarked`, and stacks it. Step 4 reaches objects by clearing the
// kMarked that step 2 set; step 5 marks by setting it.
class MarkVisitor final : public Visitor {
 public:
  MarkVisitor(const HeapState& heap, ListId list, size_t from,
              uint32_t unmarked, std::vector<Object*>& stack)
      : unmarked_(list | heap.id_bits | unmarked), from_(from), stack_(stack) {}

  void Finish() { Flush(); }
  bool Unmarked(Object* object) const {
    return (BitsOf(object) & (kMatchMask | kMarked)) == unmarked_;
  }
  void MarkAndStack(Object* object) {
    BitsOf(object) ^= kMarked;
    stack_.push_back(object);
  }

 private:
  void VisitEdges(Object** const* slots, size_t count) override {
    for (size_t i = 0; i < count; ++i) {
      Object* object = *slots[i];
      if (Unmarked(object) && HeaderOf(object)->index >= from_) {
        MarkAndStack(object);
      }
    }
  }

  uint32_t unmarked_;
  size_t from_;
  std::vector<Object*>& stack_;
};

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

// (absl::StrFormat is not used in this library: Debian's build of it cannot
// pass an exception through, so running out of memory inside it terminates.)
std::string Describe(const Object& object) {
  return absl::StrCat("<", TypeName(object), " 0x",
                      absl::Hex(reinterpret_cast<uintptr_t>(&object)), ">");
}

class Collection {
 public:
  Collection(HeapState& heap, int generation)
      : heap_(heap),
        generation_(generation),
        begin_(heap.GenerationBegin(generation)) {}

  // Runs steps 2-9 and fills `info`'s counts.
  void Run(CollectionInfo& info);

 private:
  std::vector<Object*>& List(ListId list) { return heap_.lists[list]; }

  // Traces `object` and, if `finish`, handles its edges now. False (and
  // reported) if that threw.
  template <typename V>
  bool SafeTrace(Object* object, V& visitor, bool finish = true);
  bool Gather();
  bool ComputeReachable(ListId list, size_t from,
                        std::vector<Object*>* unreached);
  void MoveToSurvivors(Object* object);
  int64_t FindGarbage();
  bool NeedsFullProtocol() const;
  void LinkUnreachable();
  int64_t SaveUncollectable();
  void ClearWeakRefs();
  bool RunFinalizers();
  void KeepResurrected();
  int64_t BreakCycles();
  int64_t BreakCyclesInPlace(bool verify);
  void ClearAll(const std::vector<Object*>& objects);
  void KeepGarbage(Object* object);

  HeapState& heap_;
  const int generation_;
  const size_t begin_;  // first candidate slot in lists[kListGenerations]
  // The union of the garbage's header bits: passes over the garbage that
  // have nothing to do (no weak references, no finalizer, no ordered
  // destruction) are skipped.
  uint32_t garbage_bits_ = 0;
};

template <typename V>
bool Collection::SafeTrace(Object* object, V& visitor, bool finish) {
  try {
    object->Trace(visitor);
    if (finish) visitor.Finish();
    return true;
  } catch (const std::bad_alloc&) {
    // Most likely the collector's own stack, growing as the Trace reports
    // edges. Counting or marking then keeps every candidate; breaking
    // cycles keeps what this object references.
    heap_.ReportError(
        [&] {
          return absl::StrCat("gc: out of memory while tracing ",
                              Describe(*object),
                              "; the objects it references are kept");
        },
        "gc: out of memory while tracing; the objects it references are "
        "kept");
  } catch (...) {
    heap_.ReportException(
        [&] { return absl::StrCat("Trace() of ", Describe(*object)); });
  }
  return false;
}

// Step 2. The candidates are the generations' slots from begin_ on; they
// stay where they are. Reserves the unreachable list for all of them (address
// space: only the slots used are touched), so that noting garbage does not
// regrow it; the generations get room for garbage moving back only when it
// takes the full protocol (see FindGarbage). False (nothing done) if out of
// memory.
bool Collection::Gather() {
  try {
    ReserveGrowing(List(kListUnreachable),
                   List(kListGenerations).size() - begin_);
    heap_.mark_stack.reserve(64);
  } catch (const std::bad_alloc&) {
    heap_.ReportError("gc: collection skipped: out of memory");
    return false;
  }
  heap_.candidates_begin = begin_;
  heap_.collecting_lists = true;
  return true;
}

// Steps 2-4 over the objects of `list` from slot `from` on: afterwards
// exactly those reachable from outside them have kMarked clear. The others
// (kMarked set) are appended to `unreached` if given; it may also hold objects
// reached later in the pass (kMarked clear). False if a Trace threw: the
// marks then vary.
bool Collection::ComputeReachable(ListId list, size_t from,
                                  std::vector<Object*>* unreached) {
  std::vector<Object*>& objects = List(list);
  SubtractVisitor subtract(heap_, list, from);
  for (size_t i = from; i < objects.size(); ++i) {
    Object* object = objects[i];
    if (object == nullptr) continue;
    SubtractVisitor::Meet(object, BitsOf(object));
    if (!SafeTrace(object, subtract, /*finish=*/false)) return false;
  }
  try {
    subtract.Finish();
  } catch (const std::bad_alloc&) {
    heap_.ReportError("gc: collection abandoned: out of memory");
    return false;
  }
  // Once per heap and type: the same Trace would say it at every collection.
  if (!subtract.overcounted.empty() &&
      heap_.FirstReport(
          absl::StrCat("overcounted ", TypeName(*subtract.overcounted[0])))) {
    heap_.ReportError([&] {
      return absl::StrCat(
          "gc: Trace() methods report more references to ",
          Describe(*subtract.overcounted[0]),
          " than it has (an edge visited twice, or one not owned); ",
          subtract.overcounted.size(),
          " such object(s) kept alive (reported once per type; kDebugVerify "
          "names a Trace that visits a slot twice)");
    });
  }
  // Step 4: clear kMarked of everything reachable from an object with
  // external references, in one pass over the list: what is not reached by
  // the time the pass meets it is noted in `unreached`, and may be reached
  // later.
  std::vector<Object*>& stack = heap_.mark_stack;
  stack.clear();
  MarkVisitor reach(heap_, list, from, kMarked, stack);
  bool ok = true;
  auto drain = [&] {
    while (ok && !stack.empty()) {
      Object* object = stack.back();
      stack.pop_back();
      ok = SafeTrace(object, reach);
    }
  };
  try {
    for (Object* object : subtract.overcounted) {
      if (reach.Unmarked(object)) reach.MarkAndStack(object);
    }
    drain();
    for (size_t i = from; ok && i < objects.size(); ++i) {
      Object* object = objects[i];
      if (object == nullptr || (BitsOf(object) & kMarked) == 0) continue;
      if (HeaderOf(object)->gc_refs == 0) {
        if (unreached != nullptr) unreached->push_back(object);  // reserved
        continue;
      }
      reach.MarkAndStack(object);
      drain();
    }
  } catch (const std::bad_alloc&) {
    heap_.ReportError("gc: collection abandoned: out of memory");
    ok = false;
  }
  stack.clear();
  return ok;
}

// Back from the unreachable list to the generations (at their end: the
// promotion at the end of the collection puts it in generation g + 1).
void Collection::MoveToSurvivors(Object* object) {
  BitsOf(object) &= ~kMarked;
  heap_.Unlink(object);
  heap_.LinkReserved(object, kListGenerations);
}

// Steps 2-4 over the candidates, which stay where they are. The garbage is
// noted in the unreachable list's storage (not linked yet: see
// LinkUnreachable), kMarked still set (the survivors have it clear). Returns
// the number of garbage objects.
int64_t Collection::FindGarbage() {
  std::vector<Object*>& generations = List(kListGenerations);
  std::vector<Object*>& garbage = List(kListUnreachable);
  const bool ok = ComputeReachable(kListGenerations, begin_, &garbage);
  if (!ok) {
    // Keep everything (a Trace threw).
    garbage.clear();
    for (size_t i = begin_; i < generations.size(); ++i) {
      if (generations[i] != nullptr) BitsOf(generations[i]) &= ~kMarked;
    }
  }
  size_t kept = 0;
  for (Object* object : garbage) {
    const uint32_t bits = BitsOf(object);
    if ((bits & kMarked) == 0) continue;  // reached after all
    garbage_bits_ |= bits;
    garbage[kept++] = object;
  }
  garbage.resize(kept);
  heap_.candidates_begin = SIZE_MAX;
  if (kept != 0 && NeedsFullProtocol()) {
    // Every garbage object may go back to the generations (uncollectable,
    // resurrected, or kept by kDebugSaveAll): make room now, so that moving
    // one never allocates.
    try {
      ReserveGrowing(generations, generations.size() + kept);
    } catch (const std::bad_alloc&) {
      for (Object* object : garbage) BitsOf(object) &= ~kMarked;
      garbage.clear();  // it stays where it is, a survivor
      heap_.ReportError("gc: collection abandoned: out of memory");
      garbage_bits_ = 0;
      return 0;
    }
  }
  return static_cast<int64_t>(kept);
}

// Whether the garbage needs the full protocol (steps 5-8, debug reports), or
// can go straight to step 9 from where it is.
bool Collection::NeedsFullProtocol() const {
  return (garbage_bits_ & (kMayRequireOrder | kHasWeak | kHasFinalizer)) != 0 ||
         (heap_.debug & (kDebugCollectable | kDebugSaveAll)) != 0;
}

// Moves the garbage noted by FindGarbage from the generations to the
// unreachable list, in place.
void Collection::LinkUnreachable() {
  std::vector<Object*>& unreachable = List(kListUnreachable);
  for (size_t i = 0; i < unreachable.size(); ++i) {
    Object* object = unreachable[i];
    heap_.Unlink(object);
    HeaderOf(object)->index = static_cast<uint32_t>(i);
    uint32_t& bits = BitsOf(object);
    bits = (bits & ~kMarked) | kListUnreachable;
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

// Step 5.
int64_t Collection::SaveUncollectable() {
  std::vector<Object*>& unreachable = List(kListUnreachable);
  std::vector<Object*>& stack = heap_.mark_stack;
  MarkVisitor mark(heap_, kListUnreachable, 0, /*unmarked=*/0, stack);
  bool keep_all = false;
  for (size_t i = 0; i < unreachable.size() && !keep_all; ++i) {
    Object* object = unreachable[i];
    if (object == nullptr || (BitsOf(object) & kMayRequireOrder) == 0 ||
        (BitsOf(object) & kMarked) != 0) {
      continue;
    }
    bool ordered = true;
    try {
      ordered = object->RequiresOrderedDestruction();
    } catch (...) {
      heap_.ReportError([&] {
        return absl::StrCat("gc: exception in RequiresOrderedDestruction() of ",
                            Describe(*object), "; treated as true");
      });
    }
    if (!ordered) continue;
    try {
      mark.MarkAndStack(object);
      while (!keep_all && !stack.empty()) {
        Object* next = stack.back();
        stack.pop_back();
        keep_all = !SafeTrace(next, mark);
      }
    } catch (const std::bad_alloc&) {
      keep_all = true;
    }
  }
  stack.clear();
  if (keep_all) {  // a Trace threw: keep everything, as plain survivors
    for (Object* object : unreachable) {
      if (object != nullptr) MoveToSurvivors(object);
    }
    return 0;
  }
  int64_t uncollectable = 0;
  for (Object* object : unreachable) {
    if (object == nullptr) continue;
    if ((BitsOf(object) & kMarked) != 0) {
      if ((heap_.debug & kDebugUncollectable) != 0) {
        heap_.Report([&] {
          return absl::StrCat("gc: uncollectable ", Describe(*object));
        });
      }
      KeepGarbage(object);
      ++uncollectable;
    }
  }
  return uncollectable;
}

// Step 6.
void Collection::ClearWeakRefs() {
  for (Object* object : List(kListUnreachable)) {
    if (object != nullptr && (BitsOf(object) & kHasWeak) != 0) {
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
    uint32_t& bits = BitsOf(object);
    if ((bits & kHasFinalizer) == 0 || (bits & kFinalized) != 0) continue;
    bits |= kFinalized;
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
    uint32_t& bits = BitsOf(object);
    if (!ok || (bits & kMarked) == 0) {
      MoveToSurvivors(object);
    } else {
      bits &= ~kMarked;  // still garbage
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
  unreachable.clear();
  heap_.tombstones[kListUnreachable] = 0;
  return garbage;
}

// Step 9 for garbage that is still in the generations (no weak references,
// finalizers or ordered destruction: steps 5-8 have nothing to do), marked.
// The heap sweeps: each object's references are reset, then, in list order,
// each garbage object that died is destroyed at once (deaths of garbage not
// swept yet are left to the sweep, see Release), which frees the memory in
// the order it was allocated, while it is still in cache. Whatever does not
// die stays where it is, a survivor.
int64_t Collection::BreakCyclesInPlace(bool verify) {
  std::vector<Object*> garbage;
  garbage.swap(List(kListUnreachable));  // the unreachable list stays empty
  if (verify) {
    VerifyHeap(heap_, VerifyPoint::kBeforeSweep, generation_,
               static_cast<int64_t>(garbage.size()));
  }
  heap_.sweeping = true;
  ClearAll(garbage);
  for (Object* object : garbage) {
    // Not yet swept, so not yet destroyed: each destructor below may run
    // user code (which may even collect other heaps), but a death of this
    // heap's marked garbage is left to this loop.
    uint32_t& bits = BitsOf(object);
    bits &= ~kMarked;
    if ((bits & kDying) != 0) DestroyNow(object);
  }
  heap_.sweeping = false;
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
    if (object != nullptr) SafeTrace(object, clear);
  }
}

void Collection::Run(CollectionInfo& info) {
  const bool verify = (heap_.debug & kDebugVerify) != 0;
  if (verify) VerifyHeap(heap_, VerifyPoint::kBetweenCollections, generation_);
  heap_.AdoptBorn();  // normally empty: born during an earlier collection
  if (!Gather()) return;
  if (verify) {
    VerifyHeap(heap_, VerifyPoint::kAfterGather, generation_);
    CheckTraceCoverage(heap_);
    CheckHeapCrossing(heap_);
  }
  std::vector<Object*>& generations = List(kListGenerations);
  info.candidates = static_cast<int64_t>(generations.size() - begin_);
  for (size_t i = begin_; i < generations.size(); ++i) {
    info.candidates -= generations[i] == nullptr;
  }
  const int64_t dead_before = heap_.tombstones[kListGenerations];
  const int64_t garbage = FindGarbage();
  // Less the candidates that died meanwhile (a reporter dropped them).
  const int64_t survivors = info.candidates - garbage -
                            (heap_.tombstones[kListGenerations] - dead_before);
  if (generation_ == 1) heap_.long_lived_pending += survivors;
  if (generation_ == 2) {
    heap_.long_lived_pending = 0;
    heap_.long_lived_total = survivors;
  }
  if (!NeedsFullProtocol()) {
    info.collected = BreakCyclesInPlace(verify);
    return;
  }
  LinkUnreachable();
  if (verify) VerifyHeap(heap_, VerifyPoint::kAfterSplit, generation_);

  if ((garbage_bits_ & kMayRequireOrder) != 0) {
    info.uncollectable = SaveUncollectable();
    garbage_bits_ |= kHasWeak;  // user code ran: look again
  }
  if ((heap_.debug & kDebugCollectable) != 0) {
    for (Object* object : List(kListUnreachable)) {
      if (object != nullptr) {
        heap_.Report([&] {
          return absl::StrCat("gc: collectable ", Describe(*object));
        });
      }
    }
  }
  if ((garbage_bits_ & kHasWeak) != 0) ClearWeakRefs();
  if ((garbage_bits_ & kHasFinalizer) != 0 && RunFinalizers()) {
    KeepResurrected();
  }
  info.collected = BreakCycles();
}

void InvokeCallbacks(HeapState& heap, Phase phase, const CollectionInfo& info) {
  if (heap.callbacks.empty()) return;
  // Callbacks may add or remove callbacks: call the ones present now.
  decltype(heap.callbacks) callbacks;
  try {
    callbacks = heap.callbacks;
  } catch (const std::bad_alloc&) {
    heap.ReportError("gc: out of memory: collection callbacks not called");
    return;
  }
  for (auto& [id, callback] : callbacks) {
    try {
      callback(phase, info);
    } catch (...) {
      heap.ReportException("collection callback");
    }
  }
}

void ReportStart(HeapState& heap, int generation) {
  heap.Report([&] {
    return absl::StrCat("gc: collecting generation ", generation, "...");
  });
  heap.Report([&] {
    return absl::StrCat(
        "gc: objects in each generation: ", heap.GenerationSize(0), " ",
        heap.GenerationSize(1), " ", heap.GenerationSize(2));
  });
  heap.Report([&] {
    return absl::StrCat("gc: objects in permanent generation: ",
                        heap.ListSize(kListPermanent));
  });
}

}  // namespace

int64_t RunCollection(HeapState& heap, int generation) {
  // Handles whose last copy died on another thread (gc/handle.h).
  if (heap.remote != nullptr) heap.remote->Drain();
  heap.collecting = true;
  CollectionInfo info;
  info.generation = generation;
  InvokeCallbacks(heap, Phase::kStart, info);
  if ((heap.debug & kDebugStats) != 0) ReportStart(heap, generation);
  const absl::Time start = absl::Now();

  if (generation + 1 < Heap::kNumGenerations) ++heap.count[generation + 1];
  for (int g = 0; g <= generation; ++g) heap.count[g] = 0;

  // Every death until the drain below is deferred: no memory is freed while
  // the collector holds pointers into the lists.
  Reaper& reaper = Reaper::Get();
  const bool was_active = reaper.Activate();
  const size_t outer_deaths = reaper.size();  // not ours to destroy
  // The candidates' slots, from `begin` on, never include a compaction's
  // empty slots.
  const size_t begin = heap.GenerationBegin(generation);
  heap.FinishCompactionPast(kListGenerations, begin);
  const auto dead_before = heap.tombstones;
  Collection(heap, generation).Run(info);
  reaper.Drain(outer_deaths);
  reaper.Restore(was_active);
  heap.Promote(generation);  // survivors, resurrected and kept garbage
  heap.AdoptBorn();          // objects made during the collection: generation 0
  heap.collecting_lists = false;
  // The deaths of this collection drive the compactions as those outside
  // collections do; the examined slots lose their tombstones at once.
  heap.generations_peak =
      std::max(heap.generations_peak, heap.lists[kListGenerations].size());
  for (ListId list : {kListGenerations, kListPermanent}) {
    const int64_t deaths = heap.tombstones[list] - dead_before[list];
    if (list == kListGenerations) heap.CompactFrom(list, begin);
    if (deaths > 0) {
      heap.StepCompaction(list, static_cast<size_t>(deaths) *
                                    HeapState::kCompactionSlotsPerDeath);
    }
  }
  if (generation == 2) {
    // Scratch as large as the whole heap: give it back.
    std::vector<Object*>().swap(heap.lists[kListUnreachable]);
    std::vector<Object*>().swap(heap.mark_stack);
    // So is the room of the generations that no collection since the last
    // full one needed, after a spike (this collection compacted them:
    // copying them costs less than examining them did).
    std::vector<Object*>& generations = heap.lists[kListGenerations];
    if (generations.capacity() >
        4 * std::max(heap.generations_peak, generations.size()) + 1024) {
      generations.shrink_to_fit();  // keeps them if out of memory
    }
    heap.generations_peak = 0;
    ReleaseIdleChunks(heap.chunks);  // and memory no allocation needed
  }
  if ((heap.debug & kDebugVerify) != 0) {
    VerifyHeap(heap, VerifyPoint::kBetweenCollections, generation);
  }

  info.duration = absl::Now() - start;
  GenerationStats& stats = heap.stats[generation];
  ++stats.collections;
  stats.collected += info.collected;
  stats.uncollectable += info.uncollectable;
  stats.candidates += info.candidates;
  stats.total_duration += info.duration;
  if ((heap.debug & kDebugStats) != 0) {
    heap.Report([&] {
      char line[128];
      std::snprintf(line, sizeof(line),
                    "gc: done, %lld unreachable, %lld uncollectable, %.4fs "
                    "elapsed",
                    static_cast<long long>(info.collected + info.uncollectable),
                    static_cast<long long>(info.uncollectable),
                    absl::ToDoubleSeconds(info.duration));
      return std::string(line);
    });
  }
  if (heap.slow_collection > absl::ZeroDuration() &&
      info.duration > heap.slow_collection) {
    heap.Report([&] {
      return absl::StrCat("gc: slow collection of generation ", generation,
                          ": ", absl::FormatDuration(info.duration), " > ",
                          absl::FormatDuration(heap.slow_collection), ", ",
                          info.candidates, " objects examined, ",
                          info.collected + info.uncollectable, " unreachable");
    });
  }
  InvokeCallbacks(heap, Phase::kStop, info);
  heap.collecting = false;
  return info.collected + info.uncollectable;
}

}  // namespace gc::internal
