// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/remote_releases.h
// -----------------------------------------------------------------------------
//
// What other threads hand back to one heap's owner:
//   * its handles (`gc::Handle`, include/gc/handle.h): how many live, and the
//     queue of those whose last copy died on another thread, whose
//     references the owner releases;
//   * the blocks of its chunks that objects which moved to other heaps
//     (gc/isolate.h) held until they died there (gc/internal/chunks.h).
//
// Threads. Each queue is a lock-free stack of `HandleBlock`s: any thread
// pushes (one compare-and-swap), the owner takes all of it at once (one
// exchange), so there is no ABA. Everything else is the owner's.
//
// Lifetime. Made by the heap's first `gc::Share` or `gc::Isolate`, owned by
// the `HeapState`.
// `Close` (the heap's destructor) releases what is queued; the handles then
// still alive keep their objects, which are never released: the state, which
// lives until its last object is freed, and this record with it, live for
// the rest of the process. Blocks pushed after `Close` stay on the queue
// (reachable, so leak checkers see the objects as held on purpose).
//
// Invariants:
//   * `live_` counts the blocks made here and not yet released: each holds
//     one strong reference to its object.
//   * A block on the queue has no copies left.

#ifndef CYCLEGC_GC_INTERNAL_REMOTE_RELEASES_H_
#define CYCLEGC_GC_INTERNAL_REMOTE_RELEASES_H_

#include <atomic>
#include <cstdint>
#include <thread>

#include "gc/handle.h"
#include "gc/object.h"

namespace gc::internal {

class HeapState;

class RemoteReleases {
 public:
  explicit RemoteReleases(HeapState& heap) : heap_(heap) {}
  RemoteReleases(const RemoteReleases&) = delete;
  RemoteReleases& operator=(const RemoteReleases&) = delete;

  // A block holding a new reference to `object`. On the owner only.
  HandleBlock* NewBlock(Object* object);

  // The last copy of `block` died: released at once on the owner of an open
  // heap, else queued. Any thread.
  void Post(HandleBlock* block) noexcept;

  // Releases the queued handles (their objects may die) and returns how
  // many; frees the returned blocks. On the owner of an open heap only.
  int64_t Drain();

  // Exiled blocks (gc/internal/chunks.h). An object of this heap's chunks
  // left it (on the owner).
  void NoteExiled() { exiled_any_ = true; }
  bool exiled_any() const { return exiled_any_; }
  // Queues a block that came back. Any thread.
  void PushBlock(void* block) noexcept;
  // Takes the queued blocks, linked through their first word.
  void* TakeBlocks() noexcept {
    return blocks_.exchange(nullptr, std::memory_order_acquire);
  }

  // At the heap's destruction (on its owner): drains, then leaks the objects
  // of the handles still alive, and returns how many those are.
  int64_t Close();

  // True while the heap is alive and this thread owns it. Any thread.
  bool OnOwner() const noexcept;
  bool open() const noexcept { return open_.load(std::memory_order_acquire); }
  const HeapState& heap() const { return heap_; }

 private:
  void Release(HandleBlock* block);

  HeapState& heap_;
  std::atomic<HandleBlock*> queue_{nullptr};
  std::atomic<void*> blocks_{nullptr};
  bool exiled_any_ = false;
  std::atomic<bool> open_{true};
  int64_t live_ = 0;
};

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_REMOTE_RELEASES_H_
