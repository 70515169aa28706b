// Copyright 2026 The cyclegc Authors.
//
// File: gc/heap.h
// -----------------------------------------------------------------------------
//
// A `gc::Heap` owns managed objects and the generational cycle collector
// that frees their garbage cycles. Every thread has a current heap, on which
// `gc::Make` allocates: the thread's default heap unless a `gc::HeapScope`
// installs another one.
//
// Example:
//
//   gc::Heap& heap = gc::Heap::Current();
//   absl::Status s = heap.SetThreshold(10000, 10, 10);
//   gc::Heap own;                          // e.g. one heap per interpreter
//   {
//     gc::HeapScope scope(own);            // own is current until scope ends
//     gc::Ref<Node> x = gc::Make<Node>(7); // lives in own
//   }
//   int64_t found = own.Collect();         // full collection
//
// Generations (CPython semantics). Tracked objects enter generation 0.
// `count[0]` is tracked allocations minus tracked deallocations since the last
// collection of generation 0 (never below 0); `count[1]` counts generation-0
// collections since the last generation-1 collection; `count[2]` likewise for
// generation 1. An automatic collection starts when a tracked allocation
// makes `count[0] > threshold[0]`, collection is enabled, `threshold[0] != 0`
// and no collection is running. It collects the oldest generation whose count
// exceeds its threshold, except that generation 2 is collected only when the
// objects that survived generation 1 since the last full collection exceed
// 25% of those that survived that full collection.
//
// Collecting generation g merges generations 0..g, finds unreachable cycles by
// trial deletion, destroys them, moves survivors to generation g+1
// (generation 2 survivors stay), sets `count[g+1] += 1` and `count[0..g] = 0`.
//
// Threading: a heap and its objects belong to one thread at a time, its
// *owner*: the thread that made it, or the thread that most recently installed
// it with a `gc::HeapScope` (that is the hand-over; the previous owner must no
// longer touch it). Its objects may be used on the owner only. Different
// threads use different heaps freely. In debug builds (without NDEBUG) and on
// heaps with kDebugVerify, `gc::Make`, `Collect` and the heap's API fail
// loudly off the owner, naming the heap, the type and both threads; debug
// builds also check every reference count change of a tracked object. With
// `-c opt` (NDEBUG) and without kDebugVerify nothing is checked and nothing
// is paid. Objects must not reference objects of another heap (cycles across
// heaps are never collected); heaps with kDebugVerify report such references.
//
// What may run inside a collection: `Trace` (only visits), `Finalize`,
// destructors, weak reference callbacks and collection callbacks. All but
// `Trace` may allocate, drop references, use weak references and call
// `Collect()` (which returns 0 while a collection runs).

#ifndef CYCLEGC_INCLUDE_GC_HEAP_H_
#define CYCLEGC_INCLUDE_GC_HEAP_H_

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "gc/allocator.h"
#include "gc/leak_hunt_types.h"
#include "gc/object.h"
#include "gc/ref.h"

namespace gc {

namespace internal {
class HeapState;
}  // namespace internal
template <typename T>
class Isolated;  // gc/isolate.h

// Debug flags (`Heap::SetDebug`), with CPython's values.
inline constexpr int kDebugStats = 1;          // a few lines per collection
inline constexpr int kDebugCollectable = 2;    // each collectable object
inline constexpr int kDebugUncollectable = 4;  // each uncollectable object
inline constexpr int kDebugSaveAll = 32;       // keep garbage in Garbage()
inline constexpr int kDebugLeak =
    kDebugCollectable | kDebugUncollectable | kDebugSaveAll;
// cyclegc's own: verify the heap's invariants around every collection phase
// (fails loudly on corruption), check the calling thread (see "Threading"
// above), and report through the error reporter, once per type and heap:
//   * a pointer to another tracked object of the collection that a Trace does
//     not report. The verifier sees only the object's own bytes (sizeof(T),
//     word-aligned), and only objects made while kDebugVerify was set that
//     the collection examines. It does NOT see references held in memory the
//     object owns elsewhere: the elements of a std::vector, std::map, ... (use
//     the container overloads of `Visitor::Visit`), the captures of a
//     std::function or lambda (use `gc::Function`), or a Ref inside an
//     untracked object;
//   * a Trace that visits the same `Ref` twice (it keeps the object alive);
//   * objects that reference objects of another heap.
// Costs time linear in the objects collected; for tests and debug builds.
inline constexpr int kDebugVerify = 256;
// Every flag above; CYCLEGC_DEBUG with other bits is rejected.
inline constexpr int kDebugAllFlags = kDebugLeak | kDebugStats | kDebugVerify;

enum class Phase { kStart, kStop };

// What a collection callback is told. On `Phase::kStart` the counts and the
// duration are 0.
struct CollectionInfo {
  int generation = 0;
  int64_t collected = 0;      // unreachable objects destroyed (or saved)
  int64_t uncollectable = 0;  // unreachable objects left in Garbage()
  int64_t candidates = 0;     // objects examined
  // Wall-clock time of the collection (finalizers, destructors and weak
  // callbacks it ran included; collection callbacks excluded): on a busy
  // machine it also counts time other threads and processes had the core.
  // CPU time is not measured: reading a thread's CPU clock is a system call,
  // which on some machines costs more than a young collection.
  absl::Duration duration;
  // A pause of a round (an incremental full collection, see
  // Heap::SetPauseBudget): 1, 2, ... within the round; 0 for a collection
  // that is not sliced.
  int64_t pause = 0;
  // True on the last pause of a round.
  bool round_finished = false;
};

// Totals per generation since the heap was made (`Heap::GetStats`).
struct GenerationStats {
  int64_t collections = 0;
  int64_t collected = 0;
  int64_t uncollectable = 0;
  int64_t candidates = 0;
  absl::Duration total_duration;  // wall clock, as CollectionInfo::duration
  // Pauses of rounds longer than the pause budget (Heap::SetPauseBudget).
  int64_t overruns = 0;
};

// What a heap's destructor says of the objects still referenced when it is
// destroyed (`Heap::SetShutdownReport`), through the report sink.
enum class ShutdownReport {
  kOff,    // nothing
  kCount,  // one line with their number (the default)
  kList,   // that line, then one line per type: "gc:   3 Node", most first
};

using CallbackId = int64_t;
using CollectionCallback =
    std::function<void(Phase phase, const CollectionInfo& info)>;
// Receives one line of text (without a trailing newline).
using TextSink = std::function<void(std::string_view line)>;

class Heap {
 public:
  static constexpr int kNumGenerations = 3;
  static constexpr int64_t kMaxThreshold = 0x7fffffff;

  Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // Removes the collection callbacks first (they often capture state that is
  // gone by now), then runs a last full collection. That collection's
  // reports (objects still referenced, see SetShutdownReport; whether some
  // of them form cycles, which nothing collects any more; uncollectable
  // objects) go to the report sink: a heap you made still calls its sink,
  // which must outlive the heap or be removed first (gc::ScopedReportSink
  // does both). The default heap of a thread, destroyed when the thread exits
  // (for the main thread, after `main`'s locals are gone), calls no sink nor
  // error reporter: its reports go to stderr. Objects still referenced
  // become untracked and live on until their last reference goes. Never
  // frees a live object. The destroying thread becomes the heap's owner.
  // REQUIRES: the heap is not current on this thread (no HeapScope names it),
  // no collection of it is running, its previous owner no longer uses it,
  // and no gc::ScopedCallback or gc::ScopedReportSink names it (checked in
  // debug builds).
  ~Heap();

  // This thread's current heap.
  static Heap& Current();

  // Thresholds, default {700, 10, 10}. A negative threshold, or one above
  // kMaxThreshold, is rejected with InvalidArgumentError naming the value,
  // and no threshold changes. The one-argument form sets threshold 0 only.
  std::array<int64_t, 3> GetThreshold() const;
  absl::Status SetThreshold(int64_t threshold0);
  absl::Status SetThreshold(int64_t threshold0, int64_t threshold1);
  absl::Status SetThreshold(int64_t threshold0, int64_t threshold1,
                            int64_t threshold2);
  std::array<int64_t, 3> GetCount() const;

  // Automatic collection on (the default) or off. Collect() always works.
  // As CPython's gc.isenabled(), IsEnabled() reports this switch only: it
  // stays true after SetThreshold(0), which also stops automatic collection.
  void Enable();
  void Disable();
  bool IsEnabled() const;

  // Reads CYCLEGC_THRESHOLD ("700,10,10", "700,10" or "700") and
  // CYCLEGC_DEBUG (a number made of the kDebug* flags). Malformed text, or
  // debug bits that name no flag, return InvalidArgumentError quoting the
  // text (and the unknown bits) and change nothing. Unset variables change
  // nothing.
  absl::Status ConfigureFromEnv();

  // Collects `generation` (0..2, default 2: full) and returns collected +
  // uncollectable objects. Runs even when automatic collection is disabled.
  // Returns 0 at once while a collection of this heap is running. A
  // generation outside 0..2 is a programming error: fails loudly.
  int64_t Collect(int generation = 2);
  bool IsCollecting() const;

  // --- Pause budget (opt-in incremental full collections)
  //
  // Zero (the default): off, every collection runs at once. On, a full
  // collection that falls due (by the thresholds, or ScheduleCollection)
  // becomes a *round* spread over pauses of at most `budget` each: one after
  // each automatic collection that follows (young and middle collections
  // still run at once) and one at each Step. Everything that was cyclic
  // garbage when a round started is collected by its end (unless a
  // WeakRef::Lock or a finalizer made it reachable again first); garbage
  // made during a round waits for the next one; nothing live is freed.
  // A round is one collection of generation 2 in GetCount and GetStats
  // (collections + 1 when it starts; collected, candidates and durations
  // add up its pauses); callbacks see each pause as a collection of
  // generation 2 with CollectionInfo::pause and round_finished. A pause
  // longer than the budget (one group of connected garbage with its
  // finalizers, one Trace, or finishing a round at once) counts in
  // GenerationStats::overruns. Collect(), Freeze(), Unfreeze(),
  // SetPauseBudget() and the leak-hunting calls first finish the round
  // under way at once.
  //
  //   absl::Status s = heap.SetPauseBudget(absl::Milliseconds(1));
  //   ...
  //   while (heap.Step(absl::Milliseconds(2))) {}  // at an idle point
  //
  // A negative budget is an InvalidArgumentError (nothing changes); so is
  // any budget during a collection of this heap (FailedPreconditionError).
  absl::Status SetPauseBudget(absl::Duration budget);
  absl::Duration GetPauseBudget() const;
  // A full collection is due now: it runs at the next automatic collection
  // or Step (as a round when the budget is on).
  void ScheduleCollection();
  // Collection work at an idle point, for at most `max_time` (and the
  // budget). Returns true while a round is unfinished: call it until it
  // returns false. Does nothing and returns false when no round is under
  // way or due, or during a collection of this heap. Budget off: runs a due
  // full collection at once and returns false.
  bool Step(absl::Duration max_time);

  // Collection callbacks: every collection calls each with kStart before it
  // starts and kStop after it ends, except the last one that the heap's
  // destructor runs (it removes them first). A callback that throws is
  // reported through the error reporter; the collection and other callbacks
  // go on. Callbacks may add or remove callbacks (effective from the next
  // collection). RemoveCallback returns false for an unknown id.
  // gc::ScopedCallback removes its callback when it goes out of scope.
  CallbackId AddCallback(CollectionCallback callback);
  bool RemoveCallback(CallbackId id);

  std::array<GenerationStats, 3> GetStats() const;

  // Uncollectable objects (and, under kDebugSaveAll, all garbage found). The
  // heap holds a strong reference to each; the program may clear the list.
  std::vector<Ref<Object>>& Garbage();

  void SetDebug(int flags);
  int GetDebug() const;

  // Moves every tracked object into a permanent generation that no
  // collection examines, and zeroes the counts; Unfreeze() moves them back
  // into generation 2.
  void Freeze();
  void Unfreeze();
  int64_t GetFreezeCount() const;

  // Live tracked objects: all of them (the permanent generation included),
  // or those of one generation (0..2). Objects that a running collection is
  // examining are not listed.
  std::vector<Ref<Object>> GetObjects() const;
  std::vector<Ref<Object>> GetObjects(int generation) const;

  // The live tracked objects whose Trace visits `object` (each once), and
  // the live tracked objects that `object`'s Trace visits. Both run Trace
  // over objects: linear in the heap for GetReferrers.
  std::vector<Ref<Object>> GetReferrers(const Object& object) const;
  std::vector<Ref<Object>> GetReferents(Object& object) const;

  // Managed objects made on this heap and not yet freed (tracked or not).
  int64_t LiveObjects() const;

  // --- Leak hunting (see also gc/growth_tracker.h, gc/collection_timeline.h)
  //
  // These read the tracked objects and run their Trace; they never change
  // the heap. Each is linear in the tracked objects and iterative.

  // What is alive, by type: the live tracked objects (all generations and
  // the permanent one), most numerous first, ties by name. `type_name` is
  // the demangled C++ name; `bytes` what the allocations asked for, GcHeader
  // included (from the size recorded per type, not a walk of memory).
  std::vector<TypeCount> CountByType() const;

  // Why is `object` still alive? A shortest chain of tracked objects: the
  // front is referenced from outside the tracked objects (its reference
  // count exceeds the references tracked objects hold to it: a Ref on the
  // stack, in a global, in an untracked object, in Garbage()), each element
  // holds the next through its Trace, and the back is `object`. `{object}`
  // when `object` itself is referenced from outside; empty when it is
  // cyclic garbage waiting for a collection, untracked or dying, or when a
  // collection of this heap is running (a callback, a finalizer).
  // REQUIRES: `object` is a managed object of this heap (fails loudly).
  std::vector<Ref<Object>> FindRootPath(const Object& object) const;

  // A picture of `objects` and what is near them, as Graphviz DOT text
  // (render with `dot -Tsvg`). See gc::DotOptions for what is drawn. Each
  // node shows the type, address, reference count and how many of those
  // references come from outside the tracked objects; cyclic garbage is
  // drawn inside `subgraph cluster_garbage`, objects held by Garbage() in
  // red. A cut picture says so in a note node.
  // Errors: InvalidArgumentError for a null object, a negative depth or
  // max_nodes < 1; FailedPreconditionError while a collection of this heap
  // is running. REQUIRES: `objects` are managed objects of this heap (fails
  // loudly).
  // The references in `objects` (one per element: a braced list or the
  // caller's vector) are held only to ask and are not counted as references
  // from outside.
  absl::StatusOr<std::string> ToDot(absl::Span<const Ref<Object>> objects,
                                    const DotOptions& options = {}) const;

  // Reports every collection that takes longer than `threshold` through the
  // report sink ("gc: slow collection of generation 1: 3.2ms > 1ms, ..."),
  // like asyncio's slow-callback warning. Zero or negative: off (default).
  void SetSlowCollectionThreshold(absl::Duration threshold);
  absl::Duration GetSlowCollectionThreshold() const;

  // Where kDebugStats and heap reports go (default: lines on stderr; null
  // restores it). The sink must outlive the heap, or be removed first: the
  // destructor's last collection still reports to it (see ~Heap).
  // gc::ScopedReportSink sets a sink for a scope.
  void SetReportSink(TextSink sink);
  // Where errors from user code (throwing callbacks, finalizers) and misuse
  // diagnostics go (default: lines on stderr).
  void SetErrorReporter(TextSink reporter);

  // What the destructor reports of the objects still referenced (default:
  // ShutdownReport::kCount).
  void SetShutdownReport(ShutdownReport report);
  ShutdownReport GetShutdownReport() const;

  // Releases the references of the gc::Handles whose last copy died on
  // another thread (gc/handle.h), which may destroy objects, and returns
  // how many it released. Collections do it too, first. REQUIRES: on the
  // owner (always checked).
  int64_t DrainRemote();

  // Puts a graph taken out of its heap by gc::Isolate into this heap's
  // generation 0 (counting as allocations) and returns its root; see
  // gc/isolate.h. REQUIRES: on the owner; no allocator of its own (both
  // always checked).
  template <typename T>
  Ref<T> Adopt(Isolated<T>&& isolated);

  // Gives the heap another allocator (null: ::operator new). The allocator
  // must outlive every object allocated with it.
  // REQUIRES: no object made on this heap is alive (FailedPrecondition).
  absl::Status SetAllocator(Allocator* allocator);

 private:
  friend class internal::HeapState;
  internal::HeapState* state_;
};

// Makes `heap` this thread's current heap until the scope ends, then restores
// the previous one, and makes this thread the heap's owner (it stays the
// owner after the scope ends). Scopes nest.
class HeapScope {
 public:
  explicit HeapScope(Heap& heap);
  HeapScope(const HeapScope&) = delete;
  HeapScope& operator=(const HeapScope&) = delete;
  ~HeapScope();

 private:
  void* previous_;
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_HEAP_H_
