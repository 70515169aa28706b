// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/collector.h
// -----------------------------------------------------------------------------
//
// One collection of one heap: trial deletion over generations 0..g.
//
// Call sequence (`RunCollection`):
//   1. Callbacks get kStart; counts are updated (count[g+1] += 1,
//      count[0..g] = 0); the reaper is activated, so every death during the
//      collection is deferred and no memory is freed under the collector
//      (out of memory, an untracked object may die at once: see reaper.h;
//      no collector list holds one).
//   2. Gather: the candidates are generations 0..g, the suffix of the
//      generations array from GenerationBegin(g) (gc/internal/heap_state.h);
//      objects made from now on wait in the born list.
//   3. Subtract: every candidate is traced; each edge to a candidate lowers
//      that candidate's scratch count (gc_refs, the GcHeader word it shares
//      with the weak cell: gc/internal/gc_header.h). What remains counts
//      references from outside the candidates. A candidate's count is set
//      from its refcount when the pass first meets it (as an edge target or
//      in list order), which marks it kUnreached: there is no separate pass
//      to copy refcounts.
//      (The mark bit's meanings: gc/internal/object_bits.h.)
//   4. Mark, in one pass in list order: a candidate still unreached
//      (kUnreached set) with gc_refs > 0 is reached (kUnreached cleared) with
//      all it reaches among the candidates; one with gc_refs == 0 is noted
//      as tentatively unreachable. A reached candidate the scan has not
//      passed yet is left to it (its gc_refs made nonzero), so a heap linked
//      in allocation order is traced in list order; the pass goes depth
//      first once it meets more unreached candidates than it traces, and
//      throughout for candidates that fit in the caches
//      (gc/internal/trial_deletion.cc). Afterwards the noted objects still
//      unreached are the garbage. Survivors stay where they are. When the
//      garbage has no weak references, finalizers or ordered destruction
//      (and no debug flag asks for it), steps 5-8 have nothing to do and it
//      goes straight to step 9 from where it is; otherwise it moves to the
//      unreachable list.
//   5. Ordered destruction: unreachable objects that require it, and all
//      they reach, go to Garbage() and back to the generations
//      (uncollectable).
//   6. Weak references to the unreachable objects are cleared; their
//      callbacks are queued.
//   7. Finalize() runs once per unreachable object that has a finalizer and
//      has not run it.
//   8. If a finalizer ran: steps 2-4 are re-run over the unreachable list;
//      objects referenced from outside it (resurrected) and all they reach
//      go back to the generations.
//   9. Break: each remaining object's Trace runs with a visitor that resets
//      every visited reference (kDebugSaveAll: kept in Garbage() instead).
//      Objects still alive afterwards go back to the generations. Garbage
//      broken where it is (steps 5-8 skipped) stays marked (kUnswept) until
//      then, and the heap sweeps: deaths of it are left to the collector,
//      which then destroys the dead garbage in list order (the order it was
//      made in); a death after its turn is deferred as usual.
//  10. The reaper drains: deferred destructors, then weak callbacks. The
//      candidates' segment, and everything that went back, becomes
//      generation g+1 (2 stays 2); the born objects join generation 0.
//      Stats are updated and callbacks get kStop.
//
// Steps 5 to 7 run only when the garbage holds an object they concern.
//
// A Trace that throws during steps 3, 4 or 8 makes the collection keep every
// object it was examining; it is reported through the error reporter.

#ifndef CYCLEGC_GC_INTERNAL_COLLECTOR_H_
#define CYCLEGC_GC_INTERNAL_COLLECTOR_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "gc/heap.h"

namespace gc::internal {

class HeapState;

// Collects `generation` of `heap` (callbacks, stats and all) and returns
// collected + uncollectable objects.
// REQUIRES: 0 <= generation <= 2, no collection of `heap` is running, and
// `heap` is not detached.
int64_t RunCollection(HeapState& heap, int generation);

// Steps 1 and 10 around `work` (callbacks, stats, reports): a collection of
// info.generation as the program sees it, whose work (counts included) is
// `work`'s. RunCollection is one; a pause of a round (gc/internal/round.h)
// is another. Same REQUIRES as RunCollection.
void RunAsCollection(HeapState& heap, CollectionInfo& info,
                     absl::FunctionRef<void(CollectionInfo&)> work);

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_COLLECTOR_H_
