// Copyright 2026 The cyclegc Authors.

#include "gc/weak_ref.h"

#include <exception>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gc/internal/check.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/reaper.h"
#include "gc/internal/weak_ref_list.h"

namespace gc::internal {

void WeakRefBase::Attach(Object* target) {
  // REQUIRES: this is neither attached nor pending.
  CYCLEGC_DCHECK(target_ == nullptr && !pending_);
  if (target == nullptr) return;
  uint32_t& bits = ObjectAccess::Bits(*target);
  if (ObjectBits::IsDying(bits) || !ObjectBits::IsManaged(bits)) return;  // expired
  HeapState* heap = HeapState::Of(*target);
  WeakRefBase*& head = heap->weak_heads.GetOrInsert(target);  // may throw:
                                                              // no change
  prev_ = nullptr;
  next_ = head;
  if (head != nullptr) head->prev_ = this;
  head = this;
  target_ = target;
  ObjectBits::SetHasWeak(bits);
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
        ObjectBits::ClearHasWeak(ObjectBits::Of(*target_));
      }
    }
    if (next_ != nullptr) next_->prev_ = prev_;
  } else if (pending_) {
    Reaper::Get().pending().Remove(this);
  }
  target_ = nullptr;
  prev_ = next_ = nullptr;
}

void WeakRefBase::TakeFrom(WeakRefBase& other) noexcept {
  // REQUIRES: this is neither attached nor pending, and has no callback.
  CYCLEGC_DCHECK(target_ == nullptr && !pending_ && callback_ == nullptr);
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
    Reaper::Get().pending().Replaced(this);
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
  CYCLEGC_DCHECK(ObjectBits::HasWeak(ObjectBits::Of(*object)));
  WeakRefBase* ref = *heap.weak_heads.Find(object);
  heap.weak_heads.Erase(object);
  ObjectBits::ClearHasWeak(ObjectBits::Of(*object));
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
  Reaper::Get().pending().AppendChain(chain_head, chain_tail);
}

void WeakRefList::PendingFifo::AppendChain(WeakRefBase* first,
                                           WeakRefBase* last) {
  first->prev_ = tail_;
  (tail_ != nullptr ? tail_->next_ : head_) = first;
  tail_ = last;
}

WeakRefBase* WeakRefList::PendingFifo::PopFront() {
  WeakRefBase* ref = head_;
  if (ref == nullptr) return nullptr;
  head_ = ref->next_;
  (head_ != nullptr ? head_->prev_ : tail_) = nullptr;
  ref->prev_ = ref->next_ = nullptr;
  ref->pending_ = false;
  return ref;
}

void WeakRefList::PendingFifo::Remove(WeakRefBase* ref) {
  CYCLEGC_DCHECK(ref->pending_);
  (ref->prev_ != nullptr ? ref->prev_->next_ : head_) = ref->next_;
  (ref->next_ != nullptr ? ref->next_->prev_ : tail_) = ref->prev_;
  ref->prev_ = ref->next_ = nullptr;
  ref->pending_ = false;
}

void WeakRefList::PendingFifo::Replaced(WeakRefBase* ref) {
  CYCLEGC_DCHECK(ref->pending_);
  (ref->prev_ != nullptr ? ref->prev_->next_ : head_) = ref;
  (ref->next_ != nullptr ? ref->next_->prev_ : tail_) = ref;
}

bool WeakRefList::RunOnePending() {
  WeakRefBase* ref = Reaper::Get().pending().PopFront();
  if (ref == nullptr) return false;
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
  if (!ObjectBits::HasWeak(ObjectBits::Of(target))) return false;
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
  if (!ObjectBits::HasWeak(ObjectBits::Of(object))) return 0;
  HeapState* heap = HeapState::Of(object);
  int n = 0;
  for (WeakRefBase* ref = *heap->weak_heads.Find(&object); ref != nullptr;
       ref = ref->next_) {
    ++n;
  }
  return n;
}

}  // namespace gc::internal
