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
//     already), after its survivors are promoted; HoleEnd, an upper bound
//     of the tombstones' slots, spares it the walk when there are none;
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
// Collection phase (CollectionPhase, one value at a time):
//
//   kIdle -> kRunning -> kExamining -> kHandlingGarbage [-> kSweeping ->
//   kHandlingGarbage] -> kRunning -> kIdle
//
//   * kRunning: a collection runs (callbacks, counts, reports) but holds no
//     slot position; lists behave as between collections.
//   * kExamining: from gathering the candidates (slots from
//     candidates_begin() on) until they are split into survivors and
//     garbage. New objects go to kListBorn and no list is compacted (so in
//     every phase from here to the release of the lists).
//   * kHandlingGarbage: steps 5-9 (gc/internal/collector.h).
//   * kSweeping: the garbage is broken in place and destroyed in list order:
//     the garbage not swept yet is marked (ObjectBits::IsUnswept), and its
//     deaths are left to the sweep (see Release in gc/internal/reaper.cc).
//
// Lifetime. A `HeapState` is made by `gc::Heap` and registered under a 12-bit
// id that objects carry in their header bits. When the `gc::Heap` is
// destroyed the state is *detached* (Detach: `owner() == nullptr`, nothing
// tracked) and lives on until its last object is freed (NoteObjectFreed), so
// that an object can always find its weak references and allocator. Both
// delete it through DeleteIfOrphaned, the one place that does.
//
// Fields. The list storage (lists, tombstones, generation boundaries,
// compactions) is public so that tests can read and deliberately corrupt it;
// the library changes it only through the operations below. The phase, the
// owner, the live counts per generation and the long-lived counters are
// private: only their operations change them.
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

#include "absl/base/optimization.h"
#include "absl/time/time.h"
#include "gc/heap.h"
#include "gc/internal/check.h"
#include "gc/internal/chunks.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/heap_core.h"
#include "gc/internal/object_bits.h"
#include "gc/internal/pointer_map.h"
#include "gc/internal/type_sizes.h"
#include "gc/internal/weak_cells.h"
#include "gc/object.h"
#include "gc/weak_ref.h"

namespace gc::internal {

class RemoteReleases;
class Round;
struct RoundArrays;

// The second word of an object's GcHeader (a weak cell index, or a round
// member index) that trial deletion took out while its count used the word
// (gc/internal/trial_deletion.cc).
struct SavedWord {
  Object* object;
  uint32_t word;
};

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
    return (ObjectAccess::Bits(object) & kListAndHeapMask) ==
           (list | id_bits);
  }

  // ---- Lifetime (heap_state.cc) ----

  // The gc::Heap; null once detached.
  Heap* owner() const { return owner_; }
  // Untracks every object (whatever is still referenced lives on,
  // untracked), drops the lists and sinks, and detaches the state from its
  // gc::Heap; deletes it if no object of it is left (else the last one
  // does). REQUIRES: idle, attached. `this` may be gone on return.
  void Detach();
  // A managed object of `heap` was freed: deletes the state if that was its
  // last object and it is detached.
  static void NoteObjectFreed(HeapState* heap) {
    --heap->live_objects;
    heap->DeleteIfOrphaned();
  }

  // ---- Collection phase (see above) ----
  enum class CollectionPhase : uint8_t {
    kIdle,
    kRunning,
    kExamining,
    kHandlingGarbage,
    kSweeping,
  };
  CollectionPhase phase() const { return phase_; }
  // True while a collection of this heap runs (any phase but kIdle).
  bool collecting() const { return phase_ != CollectionPhase::kIdle; }
  // True while a collection holds slot positions (kExamining and later,
  // until ReleaseLists): new objects go to kListBorn, no list is compacted.
  bool holds_lists() const { return phase_ >= CollectionPhase::kExamining; }
  bool sweeping() const { return phase_ == CollectionPhase::kSweeping; }
  // The first candidate slot while examining (SIZE_MAX otherwise).
  size_t candidates_begin() const {
    return phase_ == CollectionPhase::kExamining ? candidates_begin_
                                                 : SIZE_MAX;
  }
  // kIdle -> kRunning.
  void BeginCollection() {
    CYCLEGC_DCHECK(phase_ == CollectionPhase::kIdle);
    phase_ = CollectionPhase::kRunning;
  }
  // kRunning -> kExamining: the candidates are the generations' slots from
  // `begin` on.
  void BeginExamination(size_t begin) {
    CYCLEGC_DCHECK(phase_ == CollectionPhase::kRunning);
    candidates_begin_ = begin;
    phase_ = CollectionPhase::kExamining;
  }
  // kExamining -> kHandlingGarbage: the candidates are split.
  void EndExamination() {
    CYCLEGC_DCHECK(phase_ == CollectionPhase::kExamining);
    phase_ = CollectionPhase::kHandlingGarbage;
  }
  // kHandlingGarbage <-> kSweeping.
  void SetSweeping(bool sweeping) {
    CYCLEGC_DCHECK(phase_ == (sweeping ? CollectionPhase::kHandlingGarbage
                                       : CollectionPhase::kSweeping));
    phase_ = sweeping ? CollectionPhase::kSweeping
                      : CollectionPhase::kHandlingGarbage;
  }
  // After a collection of `generation` whose candidates began at `begin`
  // (any phase from kRunning on -> kRunning): promotes the survivors, adopts
  // the born, lets go of the slot positions and drops the examined slots'
  // tombstones; `dead_before` (the tombstones when it began) gives the
  // deaths that drive the compactions. A full collection gives back
  // scratch and room no collection needed since the last one.
  void ReleaseLists(int generation, size_t begin,
                    const std::array<int64_t, kNumLists>& dead_before);
  // kRunning -> kIdle.
  void EndCollection() {
    CYCLEGC_DCHECK(phase_ == CollectionPhase::kRunning);
    phase_ = CollectionPhase::kIdle;
  }

  // ---- Lists (heap_lists.cc) ----

  // Appends `object` to `list`. May throw std::bad_alloc (nothing changed).
  // Inline: it runs at every tracked allocation, and only growing the list
  // needs more than a few instructions.
  void Link(Object* object, ListId list) {
    const std::vector<Object*>& slots = lists[list];
    if (ABSL_PREDICT_FALSE(slots.size() == slots.capacity())) {
      GrowList(list);  // may throw: nothing changed yet
    }
    LinkReserved(object, list);
  }
  // Appends; REQUIRES capacity reserved in `list`. Never throws.
  void LinkReserved(Object* object, ListId list) {
    std::vector<Object*>& slots = lists[list];
    CYCLEGC_DCHECK(slots.size() < slots.capacity());
    slots.push_back(object);  // within capacity: does not allocate
    HeaderOf(object)->index = static_cast<uint32_t>(slots.size() - 1);
    ObjectBits::SetList(ObjectBits::Of(*object), list);
    if (list == kListGenerations) ++generation_live_[0];  // appended: the end
  }
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
  // visits at most `budget` of its slots. REQUIRES: !holds_lists().
  void StepCompaction(ListId list, size_t budget);
  // Whether StepCompaction would do anything: a compaction of `list` is
  // under way, or due (its tombstones, more than 1,024, outnumber its
  // objects).
  bool CompactionWanted(ListId list) const {
    const int64_t dead = tombstones[list];
    return compaction[list].active ||
           (dead > 1024 && dead * 2 > static_cast<int64_t>(lists[list].size()));
  }
  // Finishes the compaction of `list` if it has gone past slot `from` (costs
  // the slots from its `read` on, fewer than those from `from` on).
  void FinishCompactionPast(ListId list, size_t from);
  // Drops the tombstones of the slots from `from` on (keeping the
  // generation boundaries), or finishes the compaction if it has gone past
  // `from`. REQUIRES: !holds_lists().
  void CompactFrom(ListId list, size_t from);
  // Empties `list` (its objects have left it: tombstones only).
  void ClearList(ListId list) {
    CYCLEGC_DCHECK(ListSize(list) == 0);
    lists[list].clear();
    tombstones[list] = 0;
    hole_end_[list] = 0;
  }
  // No tombstone of `list` is at this slot or above (0: none may be),
  // but those in a compaction's gap (see "Lists" above). An upper bound:
  // a collection whose examined slots have no tombstone does not walk them
  // again to drop them.
  size_t HoleEnd(ListId list) const { return hole_end_[list]; }
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
  // Live objects of generation g, in O(1) (kept as objects come and go).
  int64_t GenerationSize(int g) const { return generation_live_[g]; }
  // The same for all three (generation 0 first).
  const std::array<int64_t, 3>& GenerationSizes() const {
    return generation_live_;
  }
  // Live objects of generation g, found by walking its slots (the
  // verifier's check of GenerationSize).
  int64_t CountGeneration(int g) const;
  // Appends the objects born during a collection to generation 0.
  void AdoptBorn();

  // The generation (0..2) that slot `index` of lists[kListGenerations] is in.
  int GenerationOfSlot(size_t index) const {
    return index >= gen0_begin ? 0 : index >= gen1_begin ? 1 : 2;
  }

  // Moves every object of the generations to the permanent generation
  // (gc::Heap::Freeze). REQUIRES: !collecting().
  void Freeze();
  // Moves the permanent generation into generation 2 (gc::Heap::Unfreeze).
  // REQUIRES: !collecting().
  void Unfreeze();

  // A tracked object died: unlink it and lower count[0] (and the round
  // under way forgets it). Inline: it runs at every tracked death.
  void OnTrackedDeath(Object* object) {
    if (ABSL_PREDICT_FALSE(ObjectBits::InRound(ObjectBits::Of(*object)))) {
      ForgetRoundMember(object);
    }
    Unlink(object);
    if (ABSL_PREDICT_FALSE(!object_sizes.empty())) object_sizes.Erase(object);
    if (count[0] > 0) --count[0];
  }

  // ---- Rounds of the pause budget (round.cc, round_lists.cc) ----

  // Moves the tracked `object` of the generations to the end of them (a
  // tombstone stays). REQUIRES: room reserved, no compaction under way.
  void MoveToEnd(Object* object);
  // After a verification of a round over the slots from `begin` on (any
  // phase from kRunning on -> kRunning): those slots' objects join
  // generation 2 (the others keep their generation), the born join
  // generation 0, `moved` tombstones drive the compaction.
  void ReleaseRoundLists(size_t begin, int64_t moved);
  // A member of the round (kInRound) dies or leaves the heap: the round
  // forgets it and the bit is cleared.
  void ForgetRoundMember(Object* object);

  // ---- Automatic collection policy (collection_policy.cc) ----

  // Runs the automatic collection if one is due (after count[0] grew).
  void MaybeCollectAutomatically();
  // Chooses the generation to collect automatically (CPython's rule), or -1.
  int ChooseAutomaticGeneration() const;
  // The counts as a collection of `generation` starts: count[g+1] += 1,
  // count[0..g] = 0.
  void CountCollectionStart(int generation);
  // A collection of `generation` left `survivors` of its candidates: the
  // long-lived counters (a full collection is due only once a quarter of
  // what the last one left has been added to generation 2 since).
  void RecordSurvivors(int generation, int64_t survivors);

  // ---- Reporting (heap_report.cc) ----

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

  // (Private fields sit among the public ones where they were public before,
  // so that the fields Track and Unlink touch share cache lines.)
 private:
  Heap* owner_;  // null once the gc::Heap is gone (detached)

 public:
  // The thread that owns the heap (gc/internal/owner.h): the one that made
  // it or most recently installed it with a HeapScope. Atomic only so that
  // the checks of a misbehaving thread are no data race themselves.
  std::atomic<std::thread::id> owner_thread{std::this_thread::get_id()};
  // List storage (see "Fields" above: public for tests only).
  std::array<std::vector<Object*>, kNumLists> lists;
  std::array<int64_t, kNumLists> tombstones{};
  size_t gen1_begin = 0;  // see "Generations" above
  size_t gen0_begin = 0;

 private:
  // See HoleEnd. Raised where a slot is emptied (Unlink, MoveToEnd);
  // lowered where a compaction has dropped the tombstones from a slot on.
  std::array<size_t, kNumLists> hole_end_{};

  // Live objects of each generation, kept as they come and go (Link,
  // Unlink, Promote, Freeze, Unfreeze): GenerationSize(g) without a walk.
  std::array<int64_t, 3> generation_live_{};

 public:
  std::array<Compaction, kNumLists> compaction{};

 private:
  // The most slots the generations had at the end of a collection since the
  // last full one (which gives back room beyond four times that).
  size_t generations_peak_ = 0;
  CollectionPhase phase_ = CollectionPhase::kIdle;
  size_t candidates_begin_ = SIZE_MAX;  // see candidates_begin()

 public:

  // True for a candidate of the running collection (while examining).
  bool IsCandidate(const Object& object) const {
    return InList(object, kListGenerations) &&
           HeaderOf(const_cast<Object*>(&object))->index >= candidates_begin();
  }

  std::array<int64_t, 3> count{};
  std::array<int64_t, 3> threshold{700, 10, 10};
  bool enabled = true;
  int debug = 0;

 private:
  // The long-lived counters (RecordSurvivors).
  int64_t long_lived_total_ = 0;
  int64_t long_lived_pending_ = 0;

 public:
  std::array<GenerationStats, 3> stats{};
  // The pause budget (zero: off), the round under way (gc/internal/round.h;
  // null when none) and the arrays the last one left (kept for the next
  // while the budget is on), and whether ScheduleCollection asked for a
  // full collection that has not started yet.
  absl::Duration pause_budget = absl::ZeroDuration();
  std::unique_ptr<RoundArrays> round_spare;
  std::unique_ptr<Round> round;
  bool full_scheduled = false;
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

  // The weak cells of this heap's objects (those with kHasWeak).
  WeakCells weak_cells;

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
  std::vector<SavedWord> saved_words;  // trial deletion (step 3)

  // gc::Handle: the handles of this heap's objects and the releases other
  // threads queued (remote_releases.h). Null until the first gc::Share or
  // gc::Isolate needs it.
  RemoteReleases* remote() const { return remote_.get(); }
  // Makes it if needed. May throw std::bad_alloc (then nothing changed).
  RemoteReleases& EnsureRemote();

 private:
  std::unique_ptr<RemoteReleases> remote_;

  // Deletes the state if it is detached and holds no object: the one place
  // that deletes a HeapState.
  void DeleteIfOrphaned() {
    if (live_objects == 0 && owner_ == nullptr) delete this;
  }
  // Makes everything from GenerationBegin(g) on part of generation g + 1
  // (generation 2 for g = 2): the promotion of a collection's survivors.
  void Promote(int g);
  // Drops every list (objects untracked first), as Detach does.
  void UntrackAll();

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

  // Makes room for one more slot in `list`, growing it geometrically. May
  // throw std::bad_alloc (then nothing changed).
  void GrowList(ListId list);

  // Moves the objects of the slots from `c.read` on down over the empty
  // slots [c.write, c.read), visiting at most `budget` slots. At the end of
  // the list it drops the empty tail and returns true.
  bool Slide(ListId list, Compaction& c, size_t budget);

  static HeapState* registry_[kMaxHeapId + 1];
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
