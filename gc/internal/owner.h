// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/owner.h
// -----------------------------------------------------------------------------
//
// Thread ownership of a heap. A heap's owner is the thread that made it, or
// the thread that most recently installed it with a `gc::HeapScope` (the
// hand-over). `HeapState::owner_thread` records it; the heap's destructor
// makes the destroying thread the owner for its last collection.
//
// Checks, which fail loudly naming the heap, the type and both threads:
//   * in debug builds (!NDEBUG in the code that includes the public headers):
//     `gc::Make`, and reference count changes on tracked objects;
//   * in debug builds of the library, or on a heap with kDebugVerify:
//     `gc::Make` of tracked objects, `Collect` and the heap's API.
// In `-c opt` without kDebugVerify nothing is checked and nothing is paid:
// the inline checks are compiled out, and the library's test only a flag
// that the same calls test anyway.
//
// Objects whose heap is gone (detached) are not checked: no thread owns them.

#ifndef CYCLEGC_GC_INTERNAL_OWNER_H_
#define CYCLEGC_GC_INTERNAL_OWNER_H_

#include <atomic>
#include <string>
#include <thread>

#include "gc/heap.h"
#include "gc/internal/heap_state.h"
#include "gc/object.h"

namespace gc::internal {

#ifdef NDEBUG
inline constexpr bool kLibraryDebugBuild = false;
#else
inline constexpr bool kLibraryDebugBuild = true;
#endif

// A thread's id as the failure messages print it.
std::string ThreadName(std::thread::id id);

// True when the heap's API checks its caller's thread.
inline bool ChecksOwner(const HeapState& heap) {
  return kLibraryDebugBuild || (heap.debug & kDebugVerify) != 0;
}

// Fails loudly unless this thread owns `heap` (a detached heap passes).
// `what` names the call ("gc::Heap::Collect"); `object`, if given, the
// object concerned.
void CheckOwner(const HeapState& heap, const char* what,
                const Object* object = nullptr);

// CheckOwner, when ChecksOwner(heap): the guard of the heap's API.
inline void GuardOwner(const HeapState& heap, const char* what) {
  if (ChecksOwner(heap)) CheckOwner(heap, what);
}

// Makes this thread the owner of `heap`.
inline void TakeOwnership(HeapState& heap) {
  heap.owner_thread.store(std::this_thread::get_id(),
                          std::memory_order_relaxed);
}

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_OWNER_H_
