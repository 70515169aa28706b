// Copyright 2026 The cyclegc Authors.
//
// The registry of heap states (the ids objects carry), their lifetime
// (detaching, deletion once orphaned) and the tracking of new objects.

#include "gc/internal/heap_state.h"

#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gc/internal/chunks.h"
#include "gc/internal/owner.h"
#include "gc/internal/remote_releases.h"  // ~HeapState deletes `remote_`
#include "gc/internal/round.h"            // ~HeapState deletes `round`

namespace gc::internal {
namespace {

// Ids in use; id 0 is never given out (it marks unmanaged objects).
std::mutex& RegistryMutex() {
  static std::mutex* mutex = new std::mutex;
  return *mutex;
}
std::vector<uint32_t>& FreeIds() {
  static std::vector<uint32_t>* ids = new std::vector<uint32_t>;
  return *ids;
}
uint32_t next_unused_id = 1;

}  // namespace

HeapState* HeapState::registry_[kMaxHeapId + 1];

RemoteReleases& HeapState::EnsureRemote() {
  if (remote_ == nullptr) remote_ = std::make_unique<RemoteReleases>(*this);
  return *remote_;
}

HeapState::HeapState(Heap* heap) : owner_(heap) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  if (!FreeIds().empty()) {
    id_ = FreeIds().back();
    FreeIds().pop_back();
  } else if (next_unused_id <= kMaxHeapId) {
    // Room for every id ever given out, so that returning one (in the
    // destructor) never allocates. May throw: nothing taken yet.
    FreeIds().reserve(next_unused_id);
    id_ = next_unused_id++;
  } else {
    FatalError(absl::StrCat("gc::Heap: more than ", kMaxHeapId,
                            " heaps alive at once; cannot make another"));
  }
  id_bits = id_ << kHeapIdShift;
  registry_[id_] = this;
}

HeapState::~HeapState() {
  OrphanExiledChunks(*this);  // gc/isolate.h: blocks of objects that moved
  ReleaseAllChunks(chunks);
  std::lock_guard<std::mutex> lock(RegistryMutex());
  registry_[id_] = nullptr;
  FreeIds().push_back(id_);
}

void HeapState::Detach() {
  CYCLEGC_DCHECK(!collecting() && owner_ != nullptr);
  UntrackAll();
  // Sinks may hold references: drop them while attached.
  report_sink = nullptr;
  error_reporter = nullptr;
  owner_ = nullptr;
  DeleteIfOrphaned();  // else: the last object does
}

void Track(HeapCore* core, Object* object, std::size_t size) {
  HeapState* heap = HeapState::FromCore(core);
  heap->type_sizes.Note(*object, TracedAllocationSize(
                                     ObjectAccess::Bits(*object), size));
  heap->Link(object, heap->holds_lists() ? kListBorn : kListGenerations);
  if ((heap->debug & kDebugVerify) != 0) {
    CheckOwner(*heap, "gc::Make", object);  // aborts off the owner
    try {
      heap->object_sizes.GetOrInsert(object) = static_cast<uint32_t>(size);
    } catch (const std::bad_alloc&) {
      // Only the verifier's scan of this object is lost.
    }
  }
  ++heap->count[0];
  heap->MaybeCollectAutomatically();
}

}  // namespace gc::internal
