// Copyright 2026 The cyclegc Authors.
//
// gc::Handle (include/gc/handle.h): sharing, opening and releasing handles;
// the queue behind them is gc/internal/remote_releases.h.

#include "gc/handle.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gc/heap.h"
#include "gc/internal/check.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/owner.h"
#include "gc/internal/remote_releases.h"

namespace gc {
namespace internal {

HandleBlock* ShareObject(Object* object) {
  CheckAdoptable(object);
  HeapState* heap = HeapState::Of(*object);
  if (heap->owner() == nullptr) {
    FatalError(
        absl::StrCat("gc: gc::Share of a ", TypeName(*object),
                     " whose heap is gone: only objects of a live heap can "
                     "be shared"));
  }
  CheckOwner(*heap, "gc::Share", object);
  return heap->EnsureRemote().NewBlock(object);
}

void ReleaseHandle(HandleBlock* block) noexcept { block->remote->Post(block); }

Object* OpenHandle(const HandleBlock* block, const std::type_info& type) {
  const RemoteReleases& remote = *block->remote;
  if (remote.OnOwner()) return block->object;
  const std::string here = ThreadName(std::this_thread::get_id());
  if (!remote.open()) {
    FatalError(absl::StrCat(
        "gc: gc::Handle<", TypeName(type), ">::Get on thread ", here,
        ", but the object's heap is gone (destroy every handle "
        "before its heap)"));
  }
  const HeapState& heap = remote.heap();
  FatalError(absl::StrCat(
      "gc: gc::Handle<", TypeName(type), ">::Get on thread ", here,
      ", but the object's heap #", heap.id_bits >> kHeapIdShift,
      " belongs to thread ",
      ThreadName(heap.owner_thread.load(std::memory_order_relaxed)),
      ". Only the owner of an object's heap may use it: send the handle "
      "there (IsLocal() tells where Get() may be called)"));
}

bool HandleIsLocal(const HandleBlock* block) noexcept {
  return block != nullptr && block->remote->OnOwner();
}

}  // namespace internal

int64_t Heap::DrainRemote() {
  internal::CheckOwner(*state_, "gc::Heap::DrainRemote");
  if (state_->remote() == nullptr) return 0;
  return state_->remote()->Drain();
}

}  // namespace gc
