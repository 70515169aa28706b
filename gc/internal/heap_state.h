// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/heap_state.h
// -----------------------------------------------------------------------------
//
// The state behind a `gc::Heap`: its object lists, generation counters,
// settings, callbacks, weak reference table and statistics.
//
// Lists. Each tracked object sits in exactly one list (ListId): the
// generations, objects born during a collection, the permanent (frozen)
// generation, or the garbage of the running collection. A list is an array of
// object pointers; the object's GcHeader holds its position. Removing an
// object leaves a null slot (a tombstone) so that running iterations stay
// valid. Tombstones go in bounded steps, never in one pass over a whole list:
//   * a collection drops those of the slots it examined (work it has done
//     already), after its survivors are promoted;
//   * once tombstones outnumber a list's objects, an incremental compaction
//     slides the objects down over them, at most kCompactionSlotsPerDeath
//     slots per death (one outside a collection, or in it: at its end).
//     Meanwhile slots [0, write) are compacted, [write, read) are empty and
//     [read, size) are not visited yet; a generation boundary moves down to
//     `write` when `read` reaches it. A collection whose candidates begin
//     below `read` first finishes it, which costs at most its own slots.
//
// Generations. One array holds all three, oldest first:
//
//   lists[kListGenerations]:  | generation 2 | generation 1 | generation 0 |
//                             0          gen1_begin    gen0_begin      size
//
// New objects are appended (generation 0). A collection of generation g
// examines the suffix from GenerationBegin(g); its garbage moves to the
// unreachable list; its survivors stay where they are and are promoted by
// moving the boundaries (like CPython's list splice, in O(1)).
//
// Lifetime. A `HeapState` is made by `gc::Heap` and registered under a 16-bit
// id that objects carry in their header bits. When the `gc::Heap` is
// destroyed the state is *detached* (`owner == nullptr`, nothing tracked) and
// lives on until its last object is freed, so that an object can always find
// its weak references and allocator.
//
// Invariants:
//   * For every non-null `lists[l][i]`: its bits say list `l`, its header
//     index is `i`, it is not dying, and its heap id is this heap's.
//   * `tombstones[l]` is the number of null slots in `lists[l]`.
//   * 0 <= gen1_begin <= gen0_begin <= lists[kListGenerations].size().
//   * kListBorn and kListUnreachable are empty between collections.
//   * A detached state tracks nothing.

#ifndef CYCLEGC_GC_INTERNAL_HEAP_STATE_H_
#define CYCLEGC_GC_INTERNAL_HEAP_STATE_H_

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <typeinfo>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gc/heap.h"
#include "gc/internal/chunks.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/heap_core.h"
#include "gc/internal/pointer_map.h"
#include "gc/internal/type_sizes.h"
#include "gc/object.h"
#include "gc/weak_ref.h"

namespace gc::internal {

class RemoteReleases;

class HeapState : public HeapCore {
 public:
  explicit HeapState(Heap* owner);
  ~HeapState();
  HeapState(const HeapState&) = delete;
  HeapState& operator=(const HeapState&) = delete;

  // The heap state of a managed object.
  static HeapState* Of(const Object& object) {
    return registry_[ObjectAccess::Bits(object) >> kHeapIdShift];
  }
  static HeapState* FromCore(HeapCore* core) {
    return static_cast<HeapState*>(core);
  }
  static HeapState* FromHeap(const Heap& heap) { return heap.state_; }

  // True when `object` is in list `list` of this heap.
  bool InList(const Object& object, ListId list) const {
    return (ObjectAccess::Bits(object) & (kListMask | kHeapIdMask)) ==
           (list | id_bits);
  }

  // Appends `object` to `list`. May throw std::bad_alloc (nothing changed).
  void Link(Object* object, ListId list);
  // Appends; REQUIRES capacity reserved in `list`. Never throws.
  void LinkReserved(Object* object, ListId list);
  // Removes a tracked `object` from its list (leaves a tombstone); outside
  // collections, a step of the list's compaction (see "Lists" above).
  void Unlink(Object* object);

  // Slots a compaction may visit per death (see "Lists" above).
  static constexpr size_t kCompactionSlotsPerDeath = 8;
  // The incremental compaction of one list (see "Lists" above).
  struct Compaction {
    size_t read = 0;
    size_t write = 0;
    bool active = false;
  };
  // Starts the compaction of `list` if tombstones outnumber its objects and
  // visits at most `budget` of its slots. REQUIRES: !collecting_lists.
  void StepCompaction(ListId list, size_t budget);
  // Finishes the compaction of `list` if it has gone past slot `from` (costs
  // the slots from its `read` on, fewer than those from `from` on).
  void FinishCompactionPast(ListId list, size_t from);
  // Drops the tombstones of the slots from `from` on (keeping the
  // generation boundaries), or finishes the compaction if it has gone past
  // `from`. REQUIRES: !collecting_lists.
  void CompactFrom(ListId list, size_t from);
  // Live (non-tombstone) objects in `list`.
  int64_t ListSize(ListId list) const {
    return static_cast<int64_t>(lists[list].size()) - tombstones[list];
  }

  // The slots of generation g (0..2) in lists[kListGenerations].
  size_t GenerationBegin(int g) const {
    return g == 2 ? 0 : g == 1 ? gen1_begin : gen0_begin;
  }
  size_t GenerationEnd(int g) const {
    return g == 2   ? gen1_begin
           : g == 1 ? gen0_begin
                    : lists[kListGenerations].size();
  }
  // Live objects of generation g (walks its slots).
  int64_t GenerationSize(int g) const;
  // Makes everything from GenerationBegin(g) on part of generation g + 1
  // (generation 2 for g = 2): the promotion of a collection's survivors.
  void Promote(int g) {
    PromoteGenerationLive(g);
    const size_t end = lists[kListGenerations].size();
    if (g >= 1) gen1_begin = end;
    gen0_begin = end;
  }
  // Appends the objects born during a collection to generation 0.
  void AdoptBorn();

  // The generation (0..2) that slot `index` of lists[kListGenerations] is in.
  int GenerationOfSlot(size_t index) const {
    return index >= gen0_begin ? 0 : index >= gen1_begin ? 1 : 2;
  }
  // generation_live for Promote(g) (see there).
  void PromoteGenerationLive(int g) {
    generation_live[g >= 1 ? 2 : 1] +=
        generation_live[0] + (g >= 1 ? generation_live[1] : 0);
    if (g >= 1) generation_live[1] = 0;
    generation_live[0] = 0;
  }

  // A tracked object died: unlink it and lower count[0].
  void OnTrackedDeath(Object* object);

  // Runs the automatic collection if one is due (after count[0] grew).
  void MaybeCollectAutomatically();
  // Chooses the generation to collect automatically (CPython's rule).
  int ChooseAutomaticGeneration() const;

  // Sends a line to the report sink (debug output) or the error reporter.
  // Never throws: a sink that throws is reported to stderr instead.
  void Report(std::string_view line) const;
  void ReportError(std::string_view line) const;
  // The same for a line built by `make` (a callable returning std::string),
  // which may run out of memory: the fixed line `fallback` is reported then.
  template <typename Make>
  requires std::is_invocable_r_v<std::string, Make>
  void Report(Make&& make, std::string_view fallback = kUndescribed) const {
    const std::optional<std::string> line = BuildLine(std::forward<Make>(make));
    Report(line ? std::string_view(*line) : fallback);
  }
  template <typename Make>
  requires std::is_invocable_r_v<std::string, Make>
  void ReportError(Make&& make,
                   std::string_view fallback = kUndescribed) const {
    const std::optional<std::string> line = BuildLine(std::forward<Make>(make));
    ReportError(line ? std::string_view(*line) : fallback);
  }
  // Reports the exception being handled, thrown by user code `where` ("gc:
  // exception in <where>: <what>"). Call only inside a catch block.
  void ReportException(std::string_view where) const;
  // The same, `where` built by `make` (see Report).
  template <typename Make>
  requires std::is_invocable_r_v<std::string, Make>
  void ReportException(Make&& make) const {
    const std::optional<std::string> where =
        BuildLine(std::forward<Make>(make));
    ReportException(where ? std::string_view(*where) : kUnnamedCode);
  }

  Heap* owner;  // null once the gc::Heap is gone (detached)
  // The thread that owns the heap (gc/internal/owner.h): the one that made
  // it or most recently installed it with a HeapScope. Atomic only so that
  // the checks of a misbehaving thread are no data race themselves.
  std::atomic<std::thread::id> owner_thread{std::this_thread::get_id()};
  std::array<std::vector<Object*>, kNumLists> lists;
  std::array<int64_t, kNumLists> tombstones{};
  size_t gen1_begin = 0;  // see "Generations" above
  size_t gen0_begin = 0;
  // Live objects of each generation, kept as they come and go (Link,
  // Unlink, Promote, Freeze, Unfreeze): GenerationSize(g) without a walk.
  std::array<int64_t, 3> generation_live{};
  std::array<Compaction, kNumLists> compaction{};
  // The most slots the generations had at the end of a collection since the
  // last full one (which gives back room beyond four times that).
  size_t generations_peak = 0;
  // While a collection holds slot positions (from gathering its candidates
  // to promoting its survivors): new objects go to kListBorn and no list is
  // compacted.
  bool collecting_lists = false;
  // During that time, the first candidate slot until the candidates are
  // split (SIZE_MAX otherwise).
  size_t candidates_begin = SIZE_MAX;
  // While the collector breaks garbage in place and destroys it in list
  // order: the garbage not swept yet has kMarked set, and its deaths are left
  // to the sweep (see Release in gc/internal/reaper.cc).
  bool sweeping = false;

  // True for a candidate of the running collection.
  bool IsCandidate(const Object& object) const {
    return InList(object, kListGenerations) &&
           HeaderOf(const_cast<Object*>(&object))->index >= candidates_begin;
  }

  std::array<int64_t, 3> count{};
  std::array<int64_t, 3> threshold{700, 10, 10};
  bool enabled = true;
  bool collecting = false;
  int debug = 0;
  int64_t long_lived_total = 0;
  int64_t long_lived_pending = 0;
  std::array<GenerationStats, 3> stats{};
  absl::Duration slow_collection = absl::ZeroDuration();  // <= 0: off

  std::vector<std::pair<CallbackId, CollectionCallback>> callbacks;
  CallbackId next_callback_id = 1;
  std::vector<Ref<Object>> garbage;
  TextSink report_sink;
  TextSink error_reporter;
  // gc::ScopedCallback and gc::ScopedReportSink objects that name this heap
  // (its destructor checks that none is left, in debug builds).
  int64_t scoped_handles = 0;
  ShutdownReport shutdown_report = ShutdownReport::kCount;
  // Keys of the diagnostics reported already ("<kind> <type>"): each problem
  // is reported once per heap, not at every collection.
  std::unordered_set<std::string> reported_once;
  // True the first time `key` is seen (also when out of memory to note it).
  bool FirstReport(std::string_view key);

  // Head of each object's weak reference list (objects with kHasWeak).
  PointerMap<WeakRefBase*> weak_heads;

  // Sizes of the tracked objects made while kDebugVerify was set (the
  // verifier scans them for references their Trace does not report).
  PointerMap<uint32_t> object_sizes;

  // The allocation size of each tracked type made here (CountByType).
  TypeSizes type_sizes;

  // The chunks behind the free lists; unmapped with the heap state at the
  // latest.
  ChunkPool chunks;

  // Scratch of the collector, kept to reuse its capacity.
  std::vector<Object*> mark_stack;

  // gc::Handle: the handles of this heap's objects and the releases other
  // threads queued (made by the first gc::Share; remote_releases.h).
  std::unique_ptr<RemoteReleases> remote;

 private:
  // The line `make` builds; none if building it ran out of memory (then
  // kUndescribed, which needs no allocation, is reported instead).
  static constexpr std::string_view kUndescribed =
      "gc: out of memory while describing an event";
  static constexpr std::string_view kUnnamedCode =
      "user code (out of memory while naming it)";
  template <typename Make>
  static std::optional<std::string> BuildLine(Make&& make) {
    try {
      return make();
    } catch (const std::bad_alloc&) {
      return std::nullopt;
    }
  }

  // Moves the objects of the slots from `c.read` on down over the empty
  // slots [c.write, c.read), visiting at most `budget` slots. At the end of
  // the list it drops the empty tail and returns true.
  bool Slide(ListId list, Compaction& c, size_t budget);

  static HeapState* registry_[1 << 16];
  uint32_t id_;
};

// Makes room for `needed` elements, growing geometrically: an exact reserve
// would copy the whole vector on every call that grows it. May throw
// std::bad_alloc (then nothing changed).
template <typename T>
void ReserveGrowing(std::vector<T>& vector, size_t needed) {
  if (needed > vector.capacity()) {
    vector.reserve(std::max(needed, 2 * vector.capacity()));
  }
}

// A readable name for the dynamic type of `object` (demangled).
std::string TypeName(const Object& object);
// The same for a type (its name as the compiler mangled it if demangling
// fails).
std::string TypeName(const std::type_info& type);

// Fails loudly unless 0 <= generation <= 2 (`function` names the caller).
void CheckGeneration(const char* function, int generation);

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_HEAP_STATE_H_
