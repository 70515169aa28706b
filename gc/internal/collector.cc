// Copyright 2026 The cyclegc Authors.
//
// RunCollection (gc/internal/collector.h): the sequence of a collection, and
// its steps 2 and 10 (gathering the candidates, splitting them into
// survivors and garbage, and what follows the collection). Trial deletion is
// in trial_deletion.cc, the handling of the garbage in garbage.cc, the
// choice of when and what to collect in collection_policy.cc.

#include "gc/internal/collector.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gc/internal/collection.h"
#include "gc/internal/page_advice.h"
#include "gc/internal/reaper.h"
#include "gc/internal/remote_releases.h"
#include "gc/internal/verifier.h"

namespace gc::internal {

std::string Describe(const Object& object) {
  return absl::StrCat("<", TypeName(object), " 0x",
                      absl::Hex(reinterpret_cast<uintptr_t>(&object)), ">");
}

void ReportTraceException(const HeapState& heap, const Object& object) {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    // Most likely the collector's own stack, growing as the Trace reports
    // edges. Counting or marking then keeps every candidate; breaking
    // cycles keeps what this object references.
    heap.ReportError(
        [&] {
          return absl::StrCat("gc: out of memory while tracing ",
                              Describe(object),
                              "; the objects it references are kept");
        },
        "gc: out of memory while tracing; the objects it references are "
        "kept");
  } catch (...) {
    heap.ReportException(
        [&] { return absl::StrCat("Trace() of ", Describe(object)); });
  }
}

namespace {

// ReserveGrowing for scratch that may be as large as the heap: new storage
// (untouched yet) of kHugeScratchBytes or more gets huge pages.
template <typename T>
void ReserveScratch(std::vector<T>& scratch, size_t needed) {
  const T* const storage = scratch.data();
  ReserveGrowing(scratch, needed);
  if (scratch.data() != storage) {
    AdviseHugePages(scratch.data(), scratch.capacity() * sizeof(T));
  }
}

}  // namespace

// Step 2. The candidates are the generations' slots from begin_ on; they
// stay where they are. Reserves the unreachable list for all of them (address
// space: only the slots used are touched), so that noting garbage does not
// regrow it, and room to save the GcHeader words of those that hold a weak
// cell or a round member index there (step 3); the generations get room for
// garbage moving back only when it takes the full protocol (see
// FindGarbage). False (nothing done) if out of memory.
bool Collection::Gather() {
  const size_t candidates = List(kListGenerations).size() - begin_;
  try {
    ReserveScratch(List(kListUnreachable), candidates);
    // Kept between collections (HeapState::ReleaseLists): no huge pages,
    // which would keep up to 2 MiB more resident than it uses. The words of
    // a round's members are saved too (any candidate may be one then).
    ReserveGrowing(heap_.saved_words,
                   heap_.round != nullptr
                       ? candidates
                       : std::min(candidates, heap_.weak_cells.used()));
    heap_.mark_stack.reserve(64);
  } catch (const std::bad_alloc&) {
    heap_.ReportError("gc: collection skipped: out of memory");
    return false;
  }
  heap_.BeginExamination(begin_);
  return true;
}

// The live objects among the candidates.
int64_t Collection::CountCandidates() {
  std::vector<Object*>& generations = List(kListGenerations);
  auto candidates = static_cast<int64_t>(generations.size() - begin_);
  for (size_t i = begin_; i < generations.size(); ++i) {
    candidates -= generations[i] == nullptr;
  }
  return candidates;
}

// Steps 3-4 over the candidates, which stay where they are. The garbage is
// noted in the unreachable list's storage (not linked yet: see
// LinkUnreachable), kUnreached still set (the survivors have it clear); the
// candidates are split (EndExamination). Returns the number of garbage
// objects.
int64_t Collection::FindGarbage() {
  std::vector<Object*>& generations = List(kListGenerations);
  std::vector<Object*>& garbage = List(kListUnreachable);
  const bool ok = ComputeReachable(kListGenerations, begin_, &garbage);
  if (!ok) {
    // Keep everything (a Trace threw).
    garbage.clear();
    for (size_t i = begin_; i < generations.size(); ++i) {
      if (generations[i] != nullptr) {
        ObjectBits::SetReached(ObjectBits::Of(*generations[i]));
      }
    }
  }
  size_t kept = 0;
  for (Object* object : garbage) {
    const uint32_t bits = ObjectBits::Of(*object);
    if (!ObjectBits::IsUnreached(bits)) continue;  // reached after all
    garbage_bits_ |= bits;
    garbage[kept++] = object;
  }
  garbage.resize(kept);
  heap_.EndExamination();
  if (kept != 0 && NeedsFullProtocol()) {
    // Every garbage object may go back to the generations (uncollectable,
    // resurrected, or kept by kDebugSaveAll): make room now, so that moving
    // one never allocates.
    try {
      ReserveGrowing(generations, generations.size() + kept);
    } catch (const std::bad_alloc&) {
      for (Object* object : garbage) {
        ObjectBits::SetReached(ObjectBits::Of(*object));
      }
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

void Collection::Run(CollectionInfo& info) {
  const bool verify = (heap_.debug & kDebugVerify) != 0;
  if (verify) VerifyHeap(heap_, VerifyPoint::kBetweenCollections, generation_);
  heap_.AdoptBorn();  // normally empty: born during an earlier collection
  if (!Gather()) return;
  if (verify) {
    if (!partial_) VerifyHeap(heap_, VerifyPoint::kAfterGather, generation_);
    CheckTraceCoverage(heap_);
    CheckHeapCrossing(heap_);
  }
  info.candidates = CountCandidates();
  const int64_t dead_before = heap_.tombstones[kListGenerations];
  const int64_t garbage = FindGarbage();
  // Less the candidates that died meanwhile (a reporter dropped them).
  const int64_t survivors = info.candidates - garbage -
                            (heap_.tombstones[kListGenerations] - dead_before);
  if (!partial_) heap_.RecordSurvivors(generation_, survivors);
  info.collected = HandleGarbage(info);
}

namespace {

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

// kDebugStats, as a collection starts.
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

// Steps 2-10 but the callbacks: the collection proper, with every death
// deferred until the reaper drains, then the lists let go.
void CollectDeferringDeaths(HeapState& heap, CollectionInfo& info) {
  const int generation = info.generation;
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
  heap.ReleaseLists(generation, begin, dead_before);
  if ((heap.debug & kDebugVerify) != 0) {
    VerifyHeap(heap, VerifyPoint::kBetweenCollections, generation);
  }
}

void RecordStats(HeapState& heap, const CollectionInfo& info) {
  GenerationStats& stats = heap.stats[info.generation];
  // A round is one collection, however many pauses it takes.
  if (info.pause <= 1) ++stats.collections;
  if (info.pause > 0 && info.duration > heap.pause_budget) ++stats.overruns;
  stats.collected += info.collected;
  stats.uncollectable += info.uncollectable;
  stats.candidates += info.candidates;
  stats.total_duration += info.duration;
}

// kDebugStats and the slow-collection report, as a collection ends.
void ReportEnd(HeapState& heap, const CollectionInfo& info) {
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
      return absl::StrCat("gc: slow collection of generation ",
                          info.generation, ": ",
                          absl::FormatDuration(info.duration), " > ",
                          absl::FormatDuration(heap.slow_collection), ", ",
                          info.candidates, " objects examined, ",
                          info.collected + info.uncollectable, " unreachable");
    });
  }
}

}  // namespace

int64_t RunCollection(HeapState& heap, int generation) {
  CollectionInfo info;
  info.generation = generation;
  RunAsCollection(heap, info, [&](CollectionInfo& running) {
    heap.CountCollectionStart(generation);
    CollectDeferringDeaths(heap, running);
  });
  return info.collected + info.uncollectable;
}

void RunAsCollection(HeapState& heap, CollectionInfo& info,
                     absl::FunctionRef<void(CollectionInfo&)> work) {
  CYCLEGC_DCHECK(info.generation >= 0 &&
                 info.generation < Heap::kNumGenerations);
  CYCLEGC_DCHECK(heap.owner() != nullptr);
  // Handles whose last copy died on another thread (gc/handle.h).
  if (heap.remote() != nullptr) heap.remote()->Drain();
  heap.BeginCollection();
  InvokeCallbacks(heap, Phase::kStart, info);
  if ((heap.debug & kDebugStats) != 0) ReportStart(heap, info.generation);
  const absl::Time start = absl::Now();
  work(info);
  info.duration = absl::Now() - start;
  RecordStats(heap, info);
  ReportEnd(heap, info);
  InvokeCallbacks(heap, Phase::kStop, info);
  heap.EndCollection();
}

}  // namespace gc::internal
