// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/weak_ref_list.h
// -----------------------------------------------------------------------------
//
// The weak references to one object form a doubly linked list threaded
// through the `WeakRefBase`s themselves; its head is in the heap state's
// `weak_heads` table, and the object carries kHasWeak while the list is
// non-empty. When the object dies the list is cleared: every weak reference
// expires, and those with a callback move to the reaper's pending FIFO
// (threaded through the same links), from which the reaper runs them.
//
// Invariants:
//   * A WeakRefBase is in at most one list: attached (target_ != nullptr, in
//     its target's list) or pending (pending_, in the reaper's FIFO).
//   * A pending weak reference has target_ == nullptr and a callback.

#ifndef CYCLEGC_GC_INTERNAL_WEAK_REF_LIST_H_
#define CYCLEGC_GC_INTERNAL_WEAK_REF_LIST_H_

#include "gc/object.h"
#include "gc/weak_ref.h"

namespace gc::internal {

class HeapState;

class WeakRefList {
 public:
  // Expires every weak reference to `object` and queues their callbacks.
  // REQUIRES: `object` has kHasWeak.
  static void ClearAll(HeapState& heap, Object* object);

  // Runs the oldest pending callback; false when none is pending.
  static bool RunOnePending();

  // The weak reference after `ref` in its list (null at the end).
  static const WeakRefBase* Next(const WeakRefBase* ref) { return ref->next_; }

  // Number of weak references to `object`.
  static int CountFor(const Object& object);

  // True if `slot` is the referent field of a weak reference to `target`.
  static bool IsTargetSlot(const Object& target, const void* slot);

  // True if the list starting at `head` is linked both ways, holds no
  // pending reference, and points at `object` throughout.
  static bool Consistent(const Object& object, const WeakRefBase* head);

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
};

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_WEAK_REF_LIST_H_
