// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/round.h
// -----------------------------------------------------------------------------
//
// A round: a full collection spread over pauses of at most the pause budget
// (gc::Heap::SetPauseBudget). Young and middle collections are unchanged.
//
// Between the pauses of a round the program runs: it allocates, moves
// `Ref`s, locks weak references, drops objects. Trial deletion spread over
// several pauses is not sound by itself (moves between pauses alone can make
// live objects look unreferenced: the P, Q, R adversary of
// tests/pause_budget_test.cc), so the pauses only *classify*; what is freed
// is decided by an ordinary trial deletion inside one pause:
//
//   1. Gather: the objects of the generations when the round starts become
//      its members (header bit kInRound, gc/internal/object_bits.h), walking
//      the slots down from the end (compaction only moves objects down, so
//      none present at the start is missed); each member's count starts at
//      its refcount.
//   2. Subtract: each member is traced; each edge to a member lowers the
//      target's count.
//   3. Mark: members with a count above zero, and all members they reach,
//      are live; the others are *suspected*. A count first loses the
//      references the member lost since it was gathered: a holder that died
//      (a young collection between pauses may free garbage that references
//      older garbage) before its Trace was subtracted would otherwise keep
//      the older garbage out of the round.
//   4. Group: the suspected are split into weakly connected groups (union-
//      find over their edges to each other).
//   5. Verify: groups, in batches that fit the pause, move to the end of the
//      generations and a Collection over those slots (gc/internal/
//      collection.h, the steps of gc/internal/collector.h as they are) runs
//      trial deletion with the counts and Traces of that moment, and
//      handles what it finds as any collection does (weak references,
//      finalizers, resurrection, breaking cycles). The batch's survivors go
//      back to generation 2.
//   6. Release: the members lose kInRound, and the generations their
//      tombstones (a compaction, as a full collection at once does); if
//      they fill 4/5 of their capacity, they move to a larger room faulted
//      in steps.
//
// Files: round.cc (the round's frame: work, deaths, arrays),
// round_classify.cc (steps 1-4), round_verify.cc (steps 5-6), round_room.cc
// (room for step 5 in the generations and the collector's scratch),
// round_lists.cc (what step 5 does to the generations), round_pauses.cc
// (the pauses: when they run, and for how long).
//
// Steps 1-4 and 6 stop at the pause's deadline after any object; step 5
// after any batch (one group at least in a pause that begins in step 5, a
// further one only if its measured cost fits; the compaction of the
// generations under way, and room for the batch at their end and in the
// collector's scratch, are made first, in steps: round_room.cc): a pause is
// longer than the budget only by one group, one Trace, or when the round is
// finished at once. No step touches fresh memory in one go: the arrays are
// kept from round to round (RoundArrays) and grow with the cursors.
//
// Garbage when the round starts stays garbage (only WeakRef::Lock can reach
// it, which makes it live): its counts and edges do not change, so the
// classification suspects it and its group is verified, and collected,
// within the round. A wrong classification of live objects only costs a
// verification. The round's state is outside the objects but for kInRound
// and each member's index in `RoundArrays::members`, which the GcHeader's
// second word holds (or, for a member with a weak cell, the weak cell
// table: see gc/internal/gc_header.h and WeakCells::RoundMemberOf), so that
// an edge's target is found in O(1). A member that dies, or leaves the heap
// (Isolate), is forgotten at once (HeapState::OnTrackedDeath -> Forget), so
// no state of the round points to freed memory.

#ifndef CYCLEGC_GC_INTERNAL_ROUND_H_
#define CYCLEGC_GC_INTERNAL_ROUND_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "gc/heap.h"
#include "gc/internal/check.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/object_bits.h"
#include "gc/object.h"

namespace gc::internal {

// The arrays of a round, by member index. Kept between rounds
// (HeapState::round_spare) with their capacity, so that each round does not
// fault its memory in anew (a round would otherwise touch fresh pages in
// bursts at the start of its stages).
struct RoundArrays {
  std::vector<Object*> members;  // null once forgotten
  // kSubtract, kMark: refcount less the members' edges, or kReached (the
  // mark reached it); from kChain: the next member of its group's ring
  // (ChainStep).
  std::vector<int32_t> counts;
  // The refcount when gathered, until the mark's cursor passes the member;
  // then its union-find parent (a parent's index is never above its
  // child's).
  std::vector<uint32_t> links;
  std::vector<uint32_t> roots;   // the groups, by root (kChain on)
  std::vector<uint32_t> stack;   // kMark
  std::vector<Object*> batch;    // kVerify

  // Empties every array (keeping the capacity).
  void Clear();
};

class Round {
 public:
  enum class Stage : uint8_t {
    kGather,
    kSubtract,
    kMark,
    kGroup,
    kChain,
    kVerify,
    kRelease,
    kDone
  };

  // Starts a round over the generations of `heap` (nothing gathered yet),
  // with the arrays `heap.round_spare` kept, if any.
  explicit Round(HeapState& heap);
  Round(const Round&) = delete;
  Round& operator=(const Round&) = delete;

  // Works until `deadline` (absl::InfiniteFuture(): to the end) and returns
  // true when the round is finished. Adds what it gathered to
  // `info.candidates` and what verification found to `info.collected` and
  // `info.uncollectable`. REQUIRES: a collection of the heap is running
  // (kRunning: the pause).
  bool Work(absl::Time deadline, CollectionInfo& info);

  // `object` (a member) dies or leaves the heap: forgets it.
  void Forget(Object* object);
  // Clears kInRound of every member (the heap goes away).
  void Abandon();
  // The arrays, emptied, for the next round (REQUIRES: finished).
  RoundArrays TakeArrays();

  Stage stage() const { return stage_; }
  // Members handled by the current stage so far (for tests).
  size_t cursor() const { return cursor_; }
  // Members the classification suspected (kVerify on; for tests).
  int64_t suspected() const { return suspected_; }
  // Members alive when the release began (the long-lived count).
  int64_t survivors() const { return survivors_; }
  // Pauses so far.
  int64_t pauses = 0;

 private:
  static constexpr int32_t kReached = INT32_MIN;

  // One unit of work done: false once the deadline has passed (checked
  // every `quantum_` units, a number that adapts to the clock's cost).
  bool Continue() { return ++units_ < quantum_ || CheckClock(); }
  bool CheckClock();
  // Whether the deadline has not passed (always checks the clock).
  bool TimeLeft() const;
  // The member index of `object` (REQUIRES: a member, kInRound).
  uint32_t IndexOf(Object* object) const;
  // `object` is no longer a member: clears kInRound (and what the weak cell
  // table parked for it).
  void LetGo(Object* object);
  template <typename Fn>
  bool TraceMembers(uint32_t member, Fn&& on_member);

  // round_classify.cc: steps 1-4.
  bool GatherStep();
  bool SubtractStep();
  bool MarkStep();
  bool GroupStep();
  bool ChainStep();
  uint32_t Find(uint32_t member);
  // Not forgotten, and not reached by the mark (kMark done, until kChain
  // passes it).
  bool Suspected(uint32_t member) const {
    return a_.members[member] != nullptr && a_.counts[member] != kReached;
  }

  // round_verify.cc: steps 5-6.
  bool VerifyStep(CollectionInfo& info);
  // Verifies `a_.batch` in one Collection (see step 5).
  void VerifyBatch(CollectionInfo& info);
  bool ReleaseStep();
  // round_room.cc: room for the verification, made in steps.
  //
  // Finishes the compaction of the generations under way, if any (after
  // starting one if `start` and they have tombstones), in steps: false if
  // the deadline passed first.
  bool CompactGenerations(bool start);
  // Moves `vector` (its elements, in place) to a room of at least `want`
  // elements whose pages `spare` faults in a step at a time, unless it has
  // that room already: growing it in one go (by an allocation, or the
  // collector's reserve for a batch) copies it and faults all of its new
  // pages at once (9-18 ms for the generations of 200,000 to 300,000
  // objects). False if the deadline passed first.
  template <typename T>
  bool Grow(std::vector<T>& vector, std::vector<T>& spare, size_t want);
  // Whether the generations and the collector's scratch have room for a
  // batch of `objects` (true also when Grow could not reserve: the
  // collector then grows them in one go); if not, makes it in steps (a
  // compaction of the generations if they have tombstones, else Grow) and
  // returns false.
  bool RoomFor(size_t objects);
  // Step 6, end: as a full collection at once does, the round leaves the
  // generations without tombstones (a compaction in steps): else they pile
  // up from round to round (each batch leaves one per object it moved)
  // until an allocation grows the slots in one go (an 11 ms tick in
  // examples/responsive_loop). Then Grow gives them a quarter more room
  // than they use. False if the deadline passed first.
  bool TidyGenerations();

  HeapState& heap_;
  Stage stage_ = Stage::kGather;
  size_t cursor_;  // kGather: the next slot is cursor_ - 1; else a member
  absl::Time deadline_;
  int64_t units_ = 0;
  int64_t quantum_ = 1;
  absl::Time last_check_;
  int64_t alive_ = 0;
  int64_t survivors_ = 0;
  int64_t suspected_ = 0;
  int64_t gathered_ = 0;  // this pause (info.candidates)
  RoundArrays a_;
  double seconds_per_object_ = 2e-7;  // verification's cost, measured
  bool verify_first_ = false;  // the pause began in kVerify
  bool compacted_ = false;     // kRelease started its compaction
  std::vector<Object*> grown_;  // Grow's room under way (one at a time)
  std::vector<SavedWord> grown_words_;
};

inline uint32_t Round::IndexOf(Object* object) const {
  const uint32_t member = heap_.weak_cells.RoundMemberOf(*object);
  CYCLEGC_DCHECK(member < a_.members.size() && a_.members[member] == object);
  return member;
}

inline void Round::LetGo(Object* object) {
  heap_.weak_cells.ForgetRoundMember(*object);
  ObjectBits::ClearInRound(ObjectBits::Of(*object));
}

// round_pauses.cc: the pauses that drive the round.

// Starts a round of `heap` and runs its first pause. REQUIRES: budget on, no
// round under way, no collection running.
void StartRound(HeapState& heap);
// One pause of the round under way, for at most `slice` (infinite: finishes
// it at once). REQUIRES: a round under way, no collection running.
void RunRoundPause(HeapState& heap, absl::Duration slice);
// Finishes the round under way at once, if any (one pause); nothing during
// a collection.
void FinishRound(HeapState& heap);
// The automatic collection of `generation` (-1: none due by the
// thresholds) when the budget is on or ScheduleCollection asked for one.
void CollectAutomaticallyWithBudget(HeapState& heap, int generation);
// gc::Heap::Step.
bool StepRound(HeapState& heap, absl::Duration max_time);

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_ROUND_H_
