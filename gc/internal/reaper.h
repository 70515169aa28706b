// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/reaper.h
// -----------------------------------------------------------------------------
//
// The reaper destroys objects whose reference count reached zero, one at a
// time, on the thread that dropped the last reference (CPython's
// "trashcan"). A death that happens while another destruction (or a
// collection) is running on the thread is deferred onto a stack instead of
// recursing, so destroying a chain of any length uses constant stack depth.
// It also holds the weak reference callbacks that wait to run.
//
// Protocol for a death (refcount reached zero):
//   1. `PrepareDeath`: the object is marked dying, untracked, and its weak
//      references are cleared (callbacks queued). From here on no collector
//      and no weak reference can reach it.
//   2. If the reaper is active, the object is pushed and left for the active
//      drain (unless its heap is sweeping garbage in place and it is garbage
//      not swept yet, ObjectBits::IsUnswept: then the sweep destroys it);
//      otherwise it is destroyed and the reaper drains.
//   3. Draining destroys deferred objects until none is left, then runs one
//      pending weak callback, and repeats until both are empty.
//
// Invariants:
//   * Every deferred object is dying, untracked and has no weak references.
//   * Deferring never fails: when the spill vector cannot grow, a tracked
//     object is chained through its GcHeader (free once untracked), and an
//     untracked one (which no collector list can hold) is destroyed at once
//     (its destructor's own deaths may nest, one stack frame each, while
//     memory stays short). The next deferral that can allocate moves the
//     chain onto the spill first, so the deferred objects stay one stack,
//     newest on top.
//   * The thread-local state is trivially destructible: deaths during thread
//     and process exit (after thread_local destructors ran) still work.

#ifndef CYCLEGC_GC_INTERNAL_REAPER_H_
#define CYCLEGC_GC_INTERNAL_REAPER_H_

#include <cstddef>
#include <vector>

#include "absl/base/optimization.h"
#include "gc/object.h"
#include "gc/internal/weak_ref_list.h"
#include "gc/weak_ref.h"

namespace gc::internal {

class Reaper {
 public:
  // This thread's reaper.
  static Reaper& Get();

  bool active() const { return active_; }
  // Sets `active` and returns its previous value.
  bool Activate() {
    bool was = active_;
    active_ = true;
    return was;
  }
  void Restore(bool was_active) { active_ = was_active; }

  void Defer(Object* object) {
    if (ABSL_PREDICT_TRUE(spill_ == nullptr && size_ < kInline)) {
      inline_[size_++] = object;  // the common case, kept inline
      return;
    }
    DeferBeyondInline(object);
  }
  // Makes room for `n` more deferred deaths, so that a burst of them (a
  // collection breaking its garbage) does not regrow the stack step by step.
  // Out of memory it does nothing: deferring still never fails.
  void Reserve(size_t n) noexcept;
  // Deferred objects waiting.
  size_t size() const {
    return size_ + (spill_ != nullptr ? spill_->size() : 0) + chained_;
  }
  // Destroys deferred objects beyond the first `floor` (those deferred
  // before a nested drainer started belong to the outer drain) and runs
  // pending weak callbacks, until none is left. Safe to call while another
  // drain is running on the thread.
  void Drain(size_t floor = 0);

  // Pending weak reference callbacks (see WeakRefList::PendingFifo).
  WeakRefList::PendingFifo& pending() { return pending_; }

 private:
  friend void Release(Object* object);
  // The newest deferred object (chain, then spill, then inline), or null.
  Object* Pop() {
    if (ABSL_PREDICT_TRUE(chain_ == nullptr && spill_ == nullptr)) {
      return size_ == 0 ? nullptr : inline_[--size_];
    }
    return PopBeyondInline();
  }
  // Defer when the inline slots are full or the spill is in use; Pop when
  // the spill or the chain is.
  void DeferBeyondInline(Object* object);
  Object* PopBeyondInline();
  // Defer without allocating (see the invariants).
  void DeferWithoutMemory(Object* object);
  // Moves the chain onto the spill, keeping the order. May throw
  // std::bad_alloc (nothing moved). REQUIRES: spill_ != nullptr.
  void UnchainIntoSpill();

  static constexpr size_t kInline = 64;
  Object* inline_[kInline] = {};
  size_t size_ = 0;
  std::vector<Object*>* spill_ = nullptr;  // deferred objects beyond kInline
  Object* chain_ = nullptr;  // newest deferred objects, linked by GcHeader
  size_t chained_ = 0;
  bool active_ = false;
  WeakRefList::PendingFifo pending_;
};

// Step 1 of the protocol above.
void PrepareDeath(Object* object);
// Runs the destructor and frees the memory of a prepared object.
void DestroyNow(Object* object);

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_REAPER_H_
