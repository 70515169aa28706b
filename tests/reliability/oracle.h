// Copyright 2026 The cyclegc Authors.
//
// File: tests/reliability/oracle.h
// -----------------------------------------------------------------------------
//
// A model of one gc::Heap that knows nothing of the library's code: the
// object graph (edges in order, reference counts), generations, counts,
// thresholds, weak references with callbacks, finalizers that resurrect, and
// ordered destruction. The random program interpreter (random_program.h)
// applies each operation to the real heap and to the oracle, then compares
// everything observable.
//
// Semantics modelled (include/gc/*.h, /work/shared/design/API.md):
//   * A reference count that reaches zero kills the object at once; its
//     edges are released (iteratively), its weak references expire and their
//     callbacks run after the whole cascade, unless the weak reference died
//     with its holder in the meantime.
//   * A tracked allocation enters generation 0 and raises count[0]; a tracked
//     death lowers it (never below 0). An automatic collection follows a
//     tracked allocation when count[0] > threshold[0], collection is enabled
//     and threshold[0] != 0; it collects the oldest generation whose count
//     exceeds its threshold (generation 2 only when the long-lived objects
//     pending exceed a quarter of those that survived the last full one).
//   * Collect(g): counts; trial deletion over generations 0..g; reachable
//     objects move to g+1 (2 stays); unreachable objects with ordered
//     destruction and all they reach go to Garbage(); weak references to the
//     rest are cleared; finalizers run once; whatever a finalizer resurrected
//     and all it reaches survive; the rest is destroyed (or saved to
//     Garbage() under kDebugSaveAll). Returns collected + uncollectable.
//
// Invariants:
//   * `rc` of a live object is the number of roots, edges of live objects,
//     saved entries and Garbage() entries that hold it.
//   * A dead object has no edges.

#ifndef CYCLEGC_TESTS_RELIABILITY_ORACLE_H_
#define CYCLEGC_TESTS_RELIABILITY_ORACLE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gc_reliability {

// What a finalizable object's Finalize() does besides recording that it ran.
enum class FinalAction : uint8_t {
  kNothing,
  kResurrect,  // stores a Ref to itself in the saved list
  kAllocate,   // makes a new tracked object and stores it in the saved list
               // (if that allocation fails, Finalize() throws bad_alloc)
};

// The generation of an object in the permanent (frozen) generation.
inline constexpr int kPermanent = 3;

struct ModelObject {
  bool created = false;  // false: an id reserved for a finalizer's allocation
  bool alive = false;
  bool tracked = false;
  bool has_finalizer = false;  // its type overrides Finalize()
  bool ordered_type = false;   // its type overrides RequiresOrdered...()
  bool ordered = false;        // what RequiresOrderedDestruction() returns
  FinalAction action = FinalAction::kNothing;
  int child = -1;  // id reserved for a kAllocate finalizer's object
  bool finalized = false;
  bool collected = false;  // destroyed as cyclic garbage (edges may be reset)
  int gen = 0;             // 0..2, or kPermanent
  int64_t rc = 0;
  std::vector<int> edges;
  int inner_weak = -1;  // its own weak slot (index into weaks), or -1
};

struct ModelWeak {
  int target = -1;  // referent id, -1: expired
  int token = -1;   // armed callback, -1: none
  int holder = -1;  // object that holds this weak reference, -1: external
  bool pending = false;
};

// One collection as a collection callback sees it at kStop.
struct ModelCollection {
  int generation = 0;
  int64_t collected = 0;
  int64_t uncollectable = 0;
  int64_t candidates = 0;
  bool operator==(const ModelCollection&) const = default;
};

// Totals of one generation's collections (gc::GenerationStats).
struct ModelStats {
  int64_t collections = 0;
  int64_t collected = 0;
  int64_t uncollectable = 0;
  int64_t candidates = 0;
};

class Oracle {
 public:
  Oracle(int roots, int external_weaks);

  // --- Objects ---------------------------------------------------------------
  // Counts one allocation from the heap's allocator; false if it is the one
  // that fails (the `fail_allocation`th; -1: none fails).
  bool Allocate() { return ++allocations_ != fail_allocation_; }
  void SetFailingAllocation(int64_t n) { fail_allocation_ = n; }
  int64_t allocations() const { return allocations_; }
  // Error reports expected so far (finalizers whose allocation failed).
  int64_t expected_errors() const { return expected_errors_; }
  // The order in which the heap ran finalizers (ids, appended as they run).
  // The API leaves that order open, but it decides which finalizer's
  // allocation is the failing one, so the oracle follows it.
  void FollowFinalizeOrder(const std::vector<int>* order) {
    finalize_order_ = order;
  }

  // Reserves an id (not created yet).
  int Reserve();
  // Creates `id` (reserved) with one temporary reference; tracked objects
  // enter generation 0 and raise count[0]. `child`: the id reserved for what
  // a kAllocate finalizer makes. Returns the generation of the
  // automatic collection that follows, or -1.
  int Create(int id, bool tracked, bool has_finalizer, bool ordered_type,
             FinalAction action, int child = -1);
  void IncRef(int id);
  // Drops one reference; kills what reaches zero (iteratively), then runs
  // the weak callbacks that became due (unless a collection is running).
  void DecRef(int id);

  void AddEdge(int from, int to);
  // Removes edge `index` of `from`, then drops its reference.
  void RemoveEdge(int from, int index);
  void SetRoot(int slot, int id);  // id -1: null; takes a new reference
  void SetOrdered(int id, bool ordered);

  // --- Weak references -------------------------------------------------------
  // Move-assigns a new weak reference (with callback `token`, or -1).
  void AssignWeak(int slot, int target, int token);
  // WeakRef::operator=(Ref) / reset(): re-points, keeps the callback.
  void RepointWeak(int slot, int target);
  // The weak slot held by object `holder` (made on first use).
  int InnerWeak(int holder);

  // --- Saved list (resurrections) and Garbage()
  // -------------------------------
  void DropSaved(int id);    // one entry holding `id`
  void DropGarbage(int id);  // one entry holding `id`

  // --- Heap settings ---------------------------------------------------------
  void SetThreshold(std::array<int64_t, 3> threshold) {
    threshold_ = threshold;
  }
  void SetEnabled(bool enabled) { enabled_ = enabled; }
  void SetSaveAll(bool save_all) { save_all_ = save_all; }
  void Freeze();
  void Unfreeze();

  // Collects `generation` and returns collected + uncollectable.
  int64_t Collect(int generation);

  // --- What the interpreter compares -----------------------------------------
  const std::vector<ModelObject>& objects() const { return objects_; }
  const std::vector<ModelWeak>& weaks() const { return weaks_; }
  const std::vector<int>& roots() const { return roots_; }
  const std::vector<int>& saved() const { return saved_; }
  const std::vector<int>& garbage() const { return garbage_; }
  const std::array<int64_t, 3>& count() const { return count_; }
  const std::vector<int>& fired() const { return fired_; }  // per token
  int64_t live() const { return live_; }
  // Collections since the last call.
  std::vector<ModelCollection> TakeCollections();
  const std::array<ModelStats, 3>& totals() const { return totals_; }
  // Ids of live objects, ascending.
  std::vector<int> LiveIds() const;
  int NewToken();

 private:
  void Kill(int id, bool by_collector);
  void Release(std::vector<int>& pending);
  void FlushCallbacks();
  void Move(std::vector<int>& from, int id);
  // Objects of `set` (flags by id) reachable from `starts` through edges
  // that stay inside `set`; marks them in `reached`.
  void Closure(const std::vector<char>& set, std::vector<int> starts,
               std::vector<char>& reached) const;
  int AutomaticGeneration() const;
  // Trial deletion over `members`: flags (by id) the members referenced from
  // outside `members` and everything they reach within it.
  std::vector<char> Reachable(const std::vector<int>& members) const;
  // Sorts `ids` (finalizers about to run) into the heap's order.
  void OrderLikeHeap(std::vector<int>& ids);

  std::vector<ModelObject> objects_;
  std::vector<ModelWeak> weaks_;
  std::vector<int> roots_;
  std::vector<int> saved_;
  std::vector<int> garbage_;
  std::vector<int> fired_;
  std::vector<int> release_stack_;
  std::vector<ModelCollection> collections_;
  std::array<ModelStats, 3> totals_{};
  std::array<int64_t, 3> count_{};
  std::array<int64_t, 3> threshold_{700, 10, 10};
  int64_t long_lived_total_ = 0;
  int64_t long_lived_pending_ = 0;
  int64_t live_ = 0;
  int64_t allocations_ = 0;
  int64_t fail_allocation_ = -1;
  int64_t expected_errors_ = 0;
  const std::vector<int>* finalize_order_ = nullptr;
  size_t finalize_cursor_ = 0;
  bool enabled_ = true;
  bool save_all_ = false;
  bool collecting_ = false;
};

}  // namespace gc_reliability

#endif  // CYCLEGC_TESTS_RELIABILITY_ORACLE_H_
