// Copyright 2026 The cyclegc Authors.
//
// File: gc/weak_ref.h
// -----------------------------------------------------------------------------
//
// `gc::WeakRef<T>` refers to a managed object without keeping it alive and is
// never traced. It becomes null ("expired") when its referent dies, whether
// by reference counting or by the cycle collector. Weak references break
// parent/child cycles: a child that holds its parent weakly leaves nothing
// for the collector to do.
//
// Example:
//
//   gc::WeakRef<Node> w = node;             // does not keep node alive
//   if (gc::Ref<Node> strong = w.Lock()) {  // null once node is gone
//     strong->value = 1;
//   }
//   gc::WeakRef<Node> watched(node, [](const gc::WeakRef<Node>& self) {
//     // Runs once, after the referent died; self.Lock() is null here.
//   });
//
// Callbacks. A weak reference made with a callback calls it once, after its
// referent died: when the destruction that killed the referent has finished
// (for a collection: after all garbage is cleared and destroyed). A callback
// may allocate, drop references, make and lock weak references and call
// `Collect()`; an exception it throws is reported through the current
// heap's error reporter and dropped. Destroying (or re-pointing) a weak
// reference before its callback ran cancels the callback, so a weak reference
// that is itself part of garbage never runs its callback. Copies do not
// inherit the callback; moves take it along.
//
// REQUIRES: a weak reference, like a `Ref`, is used on the thread that owns
// its referent's heap.

#ifndef CYCLEGC_INCLUDE_GC_WEAK_REF_H_
#define CYCLEGC_INCLUDE_GC_WEAK_REF_H_

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include "absl/base/optimization.h"
#include "gc/internal/weak_cell.h"
#include "gc/object.h"
#include "gc/ref.h"

namespace gc {
namespace internal {

// The untyped part of a weak reference: a link of its referent's ring
// (include/gc/internal/weak_cell.h), the referent, and the callback if any.
// 32 bytes.
class WeakRefBase : private WeakLink {
 public:
  // True when the referent is gone (or there never was one).
  bool expired() const noexcept { return target_ == nullptr; }

 protected:
  using ErasedCallback = std::function<void(const WeakRefBase&)>;

  // The constructors set every field (each on its own: see LinkAfter); the
  // links are null outside a ring (see WeakLink).
  WeakRefBase() : WeakLink{nullptr, nullptr}, target_(nullptr) {}
  explicit WeakRefBase(Object* target) {
    if (target != nullptr && ABSL_PREDICT_TRUE(HasWeakCellInHeader(
                                 ObjectAccess::Bits(*target)))) {
      LinkAfter(WeakCellInHeader(target));
      target_ = target;
      return;
    }
    prev = next = nullptr;
    target_ = nullptr;
    if (target != nullptr) AttachSlow(target);
  }
  WeakRefBase(const WeakRefBase& other) {
    if (other.target_ != nullptr) {
      LinkAfter(const_cast<WeakRefBase*>(&other));
    } else {
      prev = next = nullptr;
    }
    target_ = other.target_;
  }
  WeakRefBase(WeakRefBase&& other) noexcept {
    prev = next = nullptr;
    target_ = nullptr;
    TakeFrom(other);
  }
  WeakRefBase& operator=(const WeakRefBase& other) {
    if (this == &other) return *this;
    if (callback_ != nullptr) {
      Repoint(other.target_);  // newest among callbacks, as if made now
    } else {
      Unlink();
      CopyFrom(other);
    }
    return *this;
  }
  WeakRefBase& operator=(WeakRefBase&& other) noexcept {
    if (this != &other) {
      Unlink();
      if (callback_ != nullptr) DropCallback();
      TakeFrom(other);
    }
    return *this;
  }
  ~WeakRefBase() {
    Leave();
    if (callback_ != nullptr) DropCallback();
  }

  // Points at `target` (null or a dying object: expired), cancelling any
  // callback still pending for the old referent.
  void Repoint(Object* target) {
    if (target == target_ && target != nullptr) return;
    Unlink();
    Attach(target);
  }
  void SetCallback(ErasedCallback callback);

  Object* target_;  // set by every constructor

 private:
  friend class WeakRefList;
  struct Callback;  // the function, and whether it waits to run

  // Joins `target`'s ring (expired if `target` is null, dying or not
  // managed). REQUIRES: in no ring and not pending, links null.
  void Attach(Object* target) {
    if (target == nullptr) return;
    if (ABSL_PREDICT_FALSE(!HasWeakCellInHeader(ObjectAccess::Bits(*target)))) {
      AttachSlow(target);
      return;
    }
    LinkAfter(WeakCellInHeader(target));
    target_ = target;
  }
  void AttachSlow(Object* target);
  // Joins the ring of `other`'s referent, next to it. REQUIRES: as Attach.
  void CopyFrom(const WeakRefBase& other) {
    if (other.target_ == nullptr) return;
    LinkAfter(const_cast<WeakRefBase*>(&other));
    target_ = other.target_;
  }
  // Takes `other`'s place and callback. REQUIRES: as Attach, no callback.
  void TakeFrom(WeakRefBase& other) noexcept {
    callback_ = other.callback_;
    other.callback_ = nullptr;
    if (other.target_ != nullptr) {
      target_ = other.target_;
      other.target_ = nullptr;
      WeakLink* before = other.prev;
      WeakLink* after = other.next;
      other.prev = other.next = nullptr;
      // One store at a time (not a pair): Unlink reads them one at a time.
      prev = before;
      before->next = this;
      next = after;
      after->prev = this;
    } else if (callback_ != nullptr) {
      TakePendingPlace(other);
    }
  }
  void TakePendingPlace(WeakRefBase& other) noexcept;
  void LinkAfter(WeakLink* at) {
    WeakLink* after = at->next;
    // One store at a time, not a pair that the compiler may merge into one
    // 16-byte store: the unlink reads each alone, and a load of half a
    // wider store waits for the store to complete instead of forwarding.
    after->prev = this;
    next = after;
    at->next = this;
    prev = at;
  }
  // Leaves the ring (expired now), or the pending callbacks: cancels a
  // pending callback but keeps it.
  void Unlink() noexcept {
    if (target_ != nullptr) {
      prev->next = next;
      next->prev = prev;
      prev = next = nullptr;
      target_ = nullptr;
    } else if (callback_ != nullptr) {
      CancelPending();
    }
  }
  // Unlink, for the destructor: leaves the links as they are.
  void Leave() noexcept {
    if (target_ != nullptr) {
      prev->next = next;
      next->prev = prev;
    } else if (callback_ != nullptr) {
      CancelPending();
    }
  }
  void CancelPending() noexcept;
  // Destroys the callback. REQUIRES: not pending (Unlink first).
  void DropCallback() noexcept;

  Callback* callback_ = nullptr;
};

}  // namespace internal

template <typename T>
class WeakRef : public internal::WeakRefBase {
 public:
  using Callback = std::function<void(const WeakRef&)>;

  // An expired weak reference.
  WeakRef() = default;

  // A weak reference to `ref`'s object (expired if `ref` is null).
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  WeakRef(const Ref<U>& ref)  // NOLINT: implicit, like std::weak_ptr
      : WeakRefBase(internal::RefAccess::Get(ref)) {}

  // As above, and calls `callback` once after the referent died.
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  WeakRef(const Ref<U>& ref, Callback callback)
      : WeakRefBase(internal::RefAccess::Get(ref)) {
    if (callback) {
      SetCallback([callback = std::move(callback)](const WeakRefBase& self) {
        callback(static_cast<const WeakRef&>(self));
      });
    }
  }

  WeakRef(const WeakRef&) = default;
  WeakRef(WeakRef&&) noexcept = default;
  WeakRef& operator=(const WeakRef&) = default;
  WeakRef& operator=(WeakRef&&) noexcept = default;

  // Re-points at another object (keeps the callback, for the new referent).
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  WeakRef& operator=(const Ref<U>& ref) {
    Repoint(internal::RefAccess::Get(ref));
    return *this;
  }
  WeakRef& operator=(std::nullptr_t) {
    Repoint(nullptr);
    return *this;
  }

  // A strong reference to the referent, or null if it is gone.
  Ref<T> Lock() const { return internal::RefAccess::Share<T>(target_); }

  void reset() { Repoint(nullptr); }
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_WEAK_REF_H_
