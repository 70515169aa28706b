// Copyright 2026 The cyclegc Authors.

#include "gc/weak_ref.h"

#include <exception>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/reaper.h"
#include "gc/internal/weak_ref_list.h"

namespace gc::internal {

void WeakRefBase::Attach(Object* target) {
  // REQUIRES: this is neither attached nor pending.
  if (target == nullptr) return;
  uint32_t& bits = ObjectAccess::Bits(*target);
  if ((bits & kDying) != 0 || (bits & kManaged) == 0) return;  // expired
  HeapState* heap = HeapState::Of(*target);
  WeakRefBase*& head = heap->weak_heads.GetOrInsert(target);  // may throw:
                                                              // no change
  prev_ = nullptr;
  next_ = head;
  if (head != nullptr) head->prev_ = this;
  head = this;
  target_ = target;
  bits |= kHasWeak;
}

void WeakRefBase::Unlink() noexcept {
  if (target_ != nullptr) {
    if (prev_ != nullptr) {
      prev_->next_ = next_;
    } else {
      HeapState* heap = HeapState::Of(*target_);
      if (next_ != nullptr) {
        *heap->weak_heads.Find(target_) = next_;
      } else {
        heap->weak_heads.Erase(target_);
        ObjectAccess::Bits(*target_) &= ~kHasWeak;
      }
    }
    if (next_ != nullptr) next_->prev_ = prev_;
  } else if (pending_) {
    Reaper& reaper = Reaper::Get();
    (prev_ != nullptr ? prev_->next_ : reaper.pending_head) = next_;
    (next_ != nullptr ? next_->prev_ : reaper.pending_tail) = prev_;
    pending_ = false;
  }
  target_ = nullptr;
  prev_ = next_ = nullptr;
}

void WeakRefBase::TakeFrom(WeakRefBase& other) noexcept {
  // REQUIRES: this is neither attached nor pending, and has no callback.
  // Takes `other`'s place in whichever list holds it; allocates nothing.
  callback_ = std::move(other.callback_);
  if (other.target_ == nullptr && !other.pending_) return;
  target_ = other.target_;
  pending_ = other.pending_;
  prev_ = other.prev_;
  next_ = other.next_;
  if (target_ != nullptr) {
    if (prev_ != nullptr) {
      prev_->next_ = this;
    } else {
      *HeapState::Of(*target_)->weak_heads.Find(target_) = this;
    }
    if (next_ != nullptr) next_->prev_ = this;
  } else {
    Reaper& reaper = Reaper::Get();
    (prev_ != nullptr ? prev_->next_ : reaper.pending_head) = this;
    (next_ != nullptr ? next_->prev_ : reaper.pending_tail) = this;
  }
  other.target_ = nullptr;
  other.prev_ = other.next_ = nullptr;
  other.pending_ = false;
}

void WeakRefBase::Repoint(Object* target) {
  if (target == target_ && target != nullptr) return;
  Unlink();
  Attach(target);
}

void WeakRefBase::SetCallback(ErasedCallback callback) {
  callback_ = std::make_unique<ErasedCallback>(std::move(callback));
}

void WeakRefList::ClearAll(HeapState& heap, Object* object) {
  WeakRefBase* ref = *heap.weak_heads.Find(object);
  heap.weak_heads.Erase(object);
  ObjectAccess::Bits(*object) &= ~kHasWeak;
  // The list runs newest first; queue callbacks oldest first.
  WeakRefBase* chain_head = nullptr;
  WeakRefBase* chain_tail = nullptr;
  while (ref != nullptr) {
    WeakRefBase* next = ref->next_;
    ref->target_ = nullptr;
    ref->prev_ = ref->next_ = nullptr;
    if (ref->callback_ != nullptr) {
      ref->pending_ = true;
      ref->next_ = chain_head;
      if (chain_head != nullptr) {
        chain_head->prev_ = ref;
      } else {
        chain_tail = ref;
      }
      chain_head = ref;
    }
    ref = next;
  }
  if (chain_head == nullptr) return;
  Reaper& reaper = Reaper::Get();
  chain_head->prev_ = reaper.pending_tail;
  (reaper.pending_tail != nullptr ? reaper.pending_tail->next_
                                  : reaper.pending_head) = chain_head;
  reaper.pending_tail = chain_tail;
}

bool WeakRefList::RunOnePending() {
  Reaper& reaper = Reaper::Get();
  WeakRefBase* ref = reaper.pending_head;
  if (ref == nullptr) return false;
  reaper.pending_head = ref->next_;
  (reaper.pending_head != nullptr ? reaper.pending_head->prev_
                                  : reaper.pending_tail) = nullptr;
  ref->prev_ = ref->next_ = nullptr;
  ref->pending_ = false;
  // One-shot: the callback leaves the weak reference before it runs, so the
  // callback may destroy or re-point its own weak reference.
  std::unique_ptr<WeakRefBase::ErasedCallback> callback =
      std::move(ref->callback_);
  try {
    (*callback)(*ref);
  } catch (...) {
    HeapState::FromCore(CurrentHeapCore())
        ->ReportException("a weak reference callback");
  }
  return true;
}

bool WeakRefList::IsTargetSlot(const Object& target, const void* slot) {
  if ((ObjectAccess::Bits(target) & kHasWeak) == 0) return false;
  HeapState* heap = HeapState::Of(target);
  for (WeakRefBase* ref = *heap->weak_heads.Find(&target); ref != nullptr;
       ref = ref->next_) {
    if (static_cast<const void*>(&ref->target_) == slot) return true;
  }
  return false;
}

bool WeakRefList::Consistent(const Object& object, const WeakRefBase* head) {
  if (head->prev_ != nullptr) return false;
  for (const WeakRefBase* ref = head; ref != nullptr; ref = ref->next_) {
    if (ref->target_ != &object || ref->pending_) return false;
    if (ref->next_ != nullptr && ref->next_->prev_ != ref) return false;
  }
  return true;
}

int WeakRefList::CountFor(const Object& object) {
  if ((ObjectAccess::Bits(object) & kHasWeak) == 0) return 0;
  HeapState* heap = HeapState::Of(object);
  int n = 0;
  for (WeakRefBase* ref = *heap->weak_heads.Find(&object); ref != nullptr;
       ref = ref->next_) {
    ++n;
  }
  return n;
}

}  // namespace gc::internal
