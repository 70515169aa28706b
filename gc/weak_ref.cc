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

struct WeakRefBase::Callback {
  ErasedCallback function;
  bool pending = false;  // queued in the reaper's FIFO, not yet run
};

void WeakRefBase::AttachSlow(Object* target) {
  // REQUIRES: this is neither attached nor pending.
  CYCLEGC_DCHECK(target_ == nullptr &&
                 (callback_ == nullptr || !callback_->pending));
  const uint32_t bits = ObjectAccess::Bits(*target);
  if (ObjectBits::IsDying(bits) || !ObjectBits::IsManaged(bits)) return;
  // May throw: then nothing changed.
  LinkAfter(HeapState::Of(*target)->weak_cells.CellFor(*target));
  target_ = target;
}

void WeakRefBase::TakePendingPlace(WeakRefBase& other) noexcept {
  if (!callback_->pending) return;
  // Takes `other`'s place in the FIFO; allocates nothing.
  prev = other.prev;
  next = other.next;
  other.prev = other.next = nullptr;
  Reaper::Get().pending().Replaced(this);
}

void WeakRefBase::CancelPending() noexcept {
  if (callback_->pending) Reaper::Get().pending().Remove(this);
}

void WeakRefBase::DropCallback() noexcept {
  CYCLEGC_DCHECK(!callback_->pending);
  delete callback_;
  callback_ = nullptr;
}

void WeakRefBase::SetCallback(ErasedCallback callback) {
  CYCLEGC_DCHECK(callback_ == nullptr);
  callback_ = new Callback{std::move(callback)};
}

WeakLink* WeakRefList::CellOf(const HeapState& heap, const Object& object) {
  if (!ObjectBits::HasWeak(ObjectBits::Of(object))) return nullptr;
  return WeakCellAt(heap.weak_cells.IndexOf(object));
}

void WeakRefList::ClearAll(HeapState& heap, Object* object) {
  CYCLEGC_DCHECK(ObjectBits::HasWeak(ObjectBits::Of(*object)));
  WeakLink* cell = CellOf(heap, *object);
  // The ring runs newest first from cell->next; queue callbacks oldest
  // first, walking it backwards.
  WeakRefBase* chain_head = nullptr;
  WeakRefBase* chain_tail = nullptr;
  for (WeakLink* link = cell->prev; link != cell;) {
    WeakRefBase* ref = Ref(link);
    link = link->prev;
    ref->target_ = nullptr;
    ref->prev = ref->next = nullptr;
    if (ref->callback_ != nullptr) {
      ref->callback_->pending = true;
      ref->prev = chain_tail;
      if (chain_tail != nullptr) {
        chain_tail->next = ref;
      } else {
        chain_head = ref;
      }
      chain_tail = ref;
    }
  }
  cell->prev = cell->next = cell;
  heap.weak_cells.Release(*object);
  if (chain_head == nullptr) return;
  Reaper::Get().pending().AppendChain(chain_head, chain_tail);
}

void WeakRefList::PendingFifo::AppendChain(WeakRefBase* first,
                                           WeakRefBase* last) {
  first->prev = tail_;
  if (tail_ != nullptr) {
    tail_->next = first;
  } else {
    head_ = first;
  }
  tail_ = last;
}

// The FIFO's links are null at its ends; head_ and tail_ stand for them.
WeakRefBase* WeakRefList::PendingFifo::PopFront() {
  WeakRefBase* ref = head_;
  if (ref == nullptr) return nullptr;
  Remove(ref);
  return ref;
}

void WeakRefList::PendingFifo::Remove(WeakRefBase* ref) {
  CYCLEGC_DCHECK(ref->callback_->pending);
  WeakRefBase* prev = Ref(ref->prev);
  WeakRefBase* next = Ref(ref->next);
  if (prev != nullptr) {
    prev->next = next;
  } else {
    head_ = next;
  }
  if (next != nullptr) {
    next->prev = prev;
  } else {
    tail_ = prev;
  }
  ref->prev = ref->next = nullptr;
  ref->callback_->pending = false;
}

void WeakRefList::PendingFifo::Replaced(WeakRefBase* ref) {
  CYCLEGC_DCHECK(ref->callback_->pending);
  WeakRefBase* prev = Ref(ref->prev);
  WeakRefBase* next = Ref(ref->next);
  if (prev != nullptr) {
    prev->next = ref;
  } else {
    head_ = ref;
  }
  if (next != nullptr) {
    next->prev = ref;
  } else {
    tail_ = ref;
  }
}

bool WeakRefList::RunOnePending() {
  WeakRefBase* ref = Reaper::Get().pending().PopFront();
  if (ref == nullptr) return false;
  // One-shot: the callback leaves the weak reference before it runs, so the
  // callback may destroy or re-point its own weak reference.
  std::unique_ptr<WeakRefBase::Callback> callback(
      std::exchange(ref->callback_, nullptr));
  try {
    callback->function(*ref);
  } catch (...) {
    HeapState::FromCore(CurrentHeapCore())
        ->ReportException("a weak reference callback");
  }
  return true;
}

bool WeakRefList::IsTargetSlot(const HeapState& heap, const Object& target,
                               const void* slot) {
  const WeakLink* cell = CellOf(heap, target);
  if (cell == nullptr) return false;
  bool found = false;
  ForEachIn(cell, [&](const WeakRefBase* ref) {
    found |= static_cast<const void*>(&ref->target_) == slot;
  });
  return found;
}

bool WeakRefList::Consistent(const WeakLink* cell, const Object** target) {
  *target = nullptr;
  const WeakLink* link = cell;
  do {
    if (link->next == nullptr || link->next->prev != link) return false;
    link = link->next;
    if (link == cell) break;
    const WeakRefBase* ref = Ref(link);
    if (*target == nullptr) *target = ref->target_;
    if (ref->target_ == nullptr || ref->target_ != *target) return false;
    if (ref->callback_ != nullptr && ref->callback_->pending) return false;
  } while (true);
  return true;
}

}  // namespace gc::internal
