// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/weak_ref_list.h
// -----------------------------------------------------------------------------
//
// The weak references to one object form a ring through its weak cell
// (include/gc/internal/weak_cell.h; the heap's cells: weak_cells.h). When
// the object dies the ring is cleared: every weak reference expires, the
// cell goes back to the heap, and those with a callback move to the
// reaper's pending FIFO (threaded through the same links), from which the
// reaper runs them.
//
// Invariants:
//   * A WeakRefBase is in at most one list: attached (target_ != nullptr, in
//     its target's ring) or pending (its callback's `pending`, in the
//     reaper's FIFO).
//   * A pending weak reference has target_ == nullptr and a callback.

#ifndef CYCLEGC_GC_INTERNAL_WEAK_REF_LIST_H_
#define CYCLEGC_GC_INTERNAL_WEAK_REF_LIST_H_

#include "gc/object.h"
#include "gc/weak_ref.h"

namespace gc::internal {

class HeapState;

class WeakRefList {
 public:
  // Expires every weak reference to `object`, queues their callbacks and
  // gives its cell back. REQUIRES: `object` has kHasWeak.
  static void ClearAll(HeapState& heap, Object* object);

  // Runs the oldest pending callback; false when none is pending.
  static bool RunOnePending();

  // The cell of `object` (null without kHasWeak).
  static WeakLink* CellOf(const HeapState& heap, const Object& object);
  // Calls `f(ref)` for every weak reference in the ring of `cell`.
  template <typename F>
  static void ForEachIn(const WeakLink* cell, F&& f) {
    for (const WeakLink* link = cell->next; link != cell; link = link->next) {
      f(Ref(link));
    }
  }

  // True if `slot` is the referent field of a weak reference to `target`.
  static bool IsTargetSlot(const HeapState& heap, const Object& target,
                           const void* slot);

  // True if the cell `cell` is a ring linked both ways whose weak references
  // point at one object and are not pending; sets `*target` to that object
  // (null for an empty ring).
  static bool Consistent(const WeakLink* cell, const Object** target);

  // The weak references whose callbacks wait to run, oldest first: a FIFO
  // threaded through their prev_/next_ links, each one marked pending_. Only
  // its own operations link or unlink them. Trivially destructible, and
  // constant-initialised (it lives in the thread's Reaper).
  class PendingFifo {
   public:
    constexpr PendingFifo() = default;

    bool empty() const { return head_ == nullptr; }
    // Appends the chain `first`..`last` (linked both ways through
    // prev_/next_, each marked pending_; first->prev_ is ignored).
    void AppendChain(WeakRefBase* first, WeakRefBase* last);
    // Unlinks and returns the oldest (no longer pending), or null.
    WeakRefBase* PopFront();
    // Unlinks `ref` (pending) from wherever it is; it is no longer pending.
    void Remove(WeakRefBase* ref);
    // `ref` took the links of a pending reference that moved into it (its
    // prev_/next_ are the old one's): its neighbours now point at it.
    void Replaced(WeakRefBase* ref);

   private:
    WeakRefBase* head_ = nullptr;
    WeakRefBase* tail_ = nullptr;
  };

 private:
  static WeakRefBase* Ref(WeakLink* link) {
    return static_cast<WeakRefBase*>(link);
  }
  static const WeakRefBase* Ref(const WeakLink* link) {
    return static_cast<const WeakRefBase*>(link);
  }
  static WeakLink* Link(WeakRefBase* ref) { return ref; }
};

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_WEAK_REF_LIST_H_
