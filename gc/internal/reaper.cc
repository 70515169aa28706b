// Copyright 2026 The cyclegc Authors.

#include "gc/internal/reaper.h"

#include <cstring>
#include <memory>
#include <new>

#include "gc/internal/check.h"
#include "gc/internal/chunks.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/weak_cell.h"
#include "gc/internal/weak_ref_list.h"

namespace gc::internal {
namespace {
// Zero-initialised and trivially destructible (see the invariants).
constinit thread_local Reaper tls_reaper;
}  // namespace

Reaper& Reaper::Get() { return tls_reaper; }

void Reaper::DeferBeyondInline(Object* object) {
  CYCLEGC_DCHECK(spill_ != nullptr || size_ == kInline);
  try {
    if (spill_ == nullptr) spill_ = new std::vector<Object*>;
    if (chain_ != nullptr) UnchainIntoSpill();
    spill_->push_back(object);
    return;
  } catch (const std::bad_alloc&) {
    // Out of memory: fall through.
  }
  DeferWithoutMemory(object);
}

void Reaper::Reserve(size_t n) noexcept {
  if (spill_ == nullptr && size_ + n <= kInline) return;  // room inline
  try {
    if (spill_ == nullptr) {
      // Set only once it has room: an empty spill would send every deferral
      // to push_back, past the free inline slots.
      auto spill = std::make_unique<std::vector<Object*>>();
      spill->reserve(n);
      spill_ = spill.release();
    } else {
      spill_->reserve(spill_->size() + n);
    }
  } catch (const std::bad_alloc&) {
    // Deferring grows the spill, or chains, as usual.
  }
}

void Reaper::UnchainIntoSpill() {
  CYCLEGC_DCHECK(spill_ != nullptr);
  spill_->reserve(spill_->size() + chained_ + 1);  // may throw: nothing moved
  const size_t base = spill_->size();
  spill_->resize(base + chained_);
  // The chain is newest first; the spill keeps the oldest at its bottom.
  for (size_t i = base + chained_; i > base; --i) {
    Object* chained = chain_;
    std::memcpy(&chain_, HeaderOf(chained), sizeof(Object*));
    (*spill_)[i - 1] = chained;
  }
  chained_ = 0;
}

void Reaper::DeferWithoutMemory(Object* object) {
  if (!ObjectBits::HasHeader(ObjectBits::Of(*object))) {
    DestroyNow(object);
    return;
  }
  static_assert(sizeof(GcHeader) >= sizeof(Object*));
  std::memcpy(HeaderOf(object), &chain_, sizeof(Object*));
  chain_ = object;
  ++chained_;
}

Object* Reaper::PopBeyondInline() {
  if (chain_ != nullptr) {
    Object* object = chain_;
    std::memcpy(&chain_, HeaderOf(object), sizeof(Object*));
    --chained_;
    return object;
  }
  if (spill_ != nullptr) {
    if (!spill_->empty()) {
      Object* object = spill_->back();
      spill_->pop_back();
      return object;
    }
    delete spill_;
    spill_ = nullptr;
  }
  return size_ == 0 ? nullptr : inline_[--size_];
}

void Reaper::Drain(size_t floor) {
  do {
    while (size() > floor) DestroyNow(Pop());
  } while (WeakRefList::RunOnePending());
  // A reserved spill left empty goes, unless objects are chained above the
  // inline ones (then later deferrals must stay above the chain: see Pop).
  if (spill_ != nullptr && spill_->empty() && chain_ == nullptr) {
    delete spill_;
    spill_ = nullptr;
  }
}

void Release(Object* object) {
  PrepareDeath(object);
  Reaper& reaper = tls_reaper;
  if (reaper.active_) {
    uint32_t& bits = ObjectBits::Of(*object);
    if (ObjectBits::IsMarked(bits)) {
      // Unswept garbage: the sweep destroys it.
      if (HeapState::Of(*object)->sweeping()) return;
      // A candidate that died mid-collection: ours now.
      ObjectBits::ClearMark(bits);
    }
    reaper.Defer(object);
    return;
  }
  reaper.active_ = true;
  DestroyNow(object);
  // Most deaths defer nothing and queue no callback.
  if (reaper.size_ != 0 || reaper.spill_ != nullptr ||
      reaper.chain_ != nullptr || !reaper.pending_.empty()) {
    reaper.Drain();
  }
  reaper.active_ = false;
}

void PrepareDeath(Object* object) {
  uint32_t& bits = ObjectAccess::Bits(*object);
  ObjectBits::SetDying(bits);
  if ((bits & (kListMask | kHasWeak)) == 0) return;
  // The weak cell is out of the object (a miss): asked for before the
  // generations' slot (another one) is written.
  if ((bits & (kHasHeader | kHasWeak)) == (kHasHeader | kHasWeak)) {
    __builtin_prefetch(WeakCellInHeader(object));
  }
  HeapState* heap = HeapState::Of(*object);
  if (ObjectBits::IsTracked(bits)) heap->OnTrackedDeath(object);
  if (ObjectBits::HasWeak(bits)) WeakRefList::ClearAll(*heap, object);
}

void DestroyNow(Object* object) {
  const uint32_t bits = ObjectAccess::Bits(*object);
  HeapState* heap = HeapState::Of(*object);
  const size_t prefix = ObjectBits::PrefixSize(bits);
  char* memory = static_cast<char*>(dynamic_cast<void*>(object)) - prefix;
  object->~Object();
  const uint32_t size_class = SizeClassOf(bits);
  // An object that moved here from another heap (gc/isolate.h) gives its
  // block back to the heap whose chunk holds it.
  HeapCore* core = heap;
  if (size_class != 0 && ABSL_PREDICT_FALSE(ChunkOf(memory)->heap != core)) {
    ReturnExiledBlock(memory);
  } else {
    DeallocateOn(heap, memory, size_class);
  }
  HeapState::NoteObjectFreed(heap);
}

}  // namespace gc::internal
