// Copyright 2026 The cyclegc Authors.
//
// File: gc/handle.h
// -----------------------------------------------------------------------------
//
// `gc::Handle<T>` lets other threads hold on to a managed object. A heap and
// its objects belong to one thread, the heap's *owner* (the thread that made
// it, or the one that most recently installed it with a `gc::HeapScope`);
// `gc::Ref` counts without atomics and may be used there only. A handle may
// be held, copied and dropped on any thread (one atomic operation each, like
// `std::shared_ptr`), but only the owner of the object's heap may open it.
//
// Example:
//
//   gc::Handle<Node> h = gc::Share(node);   // on the owning thread
//   std::thread worker([h] {                // copied into another thread
//     gc::Handle<Node> copy = h;            // one atomic increment
//     bool local = copy.IsLocal();          // false here
//   });                                     // drops: one atomic decrement
//   worker.join();
//   gc::Ref<Node> back = h.Get();           // on the owning thread only
//   int64_t released = heap.DrainRemote();  // handles whose last copy died
//                                           // on another thread
//
// Rules:
//   * While any copy of a handle lives, it counts as one strong reference to
//     the object from outside its heap: the object stays alive and the
//     collector treats it as referenced from outside (a cycle through it is
//     not garbage).
//   * `Get()` on any thread but the owner of the object's heap is a
//     programming error: it fails loudly (in every build, `-c opt`
//     included), naming the type and both threads. So does `Get()` after the
//     heap is gone. `IsLocal()` says whether `Get()` may be called.
//   * When the last copy dies on the owner, the reference is dropped at once
//     (which may destroy the object). When it dies on another thread, the
//     release is queued and done on the owner: at the heap's next
//     collection, at `gc::Heap::DrainRemote()` (which returns how many it
//     released), or when the heap is destroyed. Destructors of managed
//     objects therefore always run on their heap's owner.
//   * Destroy every handle before its heap. A heap destroyed while handles
//     to its objects live reports how many through its report sink; those
//     objects are leaked (never destroyed: not on a wrong thread, not
//     twice), and dropping the handles later, on any thread, is safe.
//   * Cycles that run through handles (an object of heap A holds a handle to
//     an object of heap B, which holds one back) are never collected: each
//     collector sees only a reference from outside. Break them by hand.
//   * A default-constructed handle is null; `Get()` of it returns null.
//
// Threads: copying, moving, assigning and destroying distinct `Handle`
// objects is safe from any threads at once (as for `std::shared_ptr`); one
// `Handle` object written by one thread and read by another needs the
// program's synchronisation.

#ifndef CYCLEGC_INCLUDE_GC_HANDLE_H_
#define CYCLEGC_INCLUDE_GC_HANDLE_H_

#include <atomic>
#include <cstdint>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "gc/object.h"
#include "gc/ref.h"

namespace gc {

template <typename T>
class Handle;

namespace internal {

class RemoteReleases;

// What all copies of one handle share: made by `gc::Share`, freed on the
// owner of the object's heap once the last copy is gone and the reference
// it holds is released.
struct HandleBlock {
  std::atomic<int64_t> copies{1};
  Object* object;               // holds one strong reference
  RemoteReleases* remote;       // the release queue of the object's heap
  HandleBlock* next = nullptr;  // in that queue
};

// A new block holding a new reference to `object` (on its heap's owner;
// fails loudly elsewhere).
HandleBlock* ShareObject(Object* object);
// The last copy of `block` is gone: release now (on the owner) or queue.
void ReleaseHandle(HandleBlock* block) noexcept;
// The object of `block`; fails loudly, naming `type`, off the owner.
Object* OpenHandle(const HandleBlock* block, const std::type_info& type);
bool HandleIsLocal(const HandleBlock* block) noexcept;

inline void CopyHandle(HandleBlock* block) noexcept {
  if (block != nullptr) block->copies.fetch_add(1, std::memory_order_relaxed);
}
inline void DropHandle(HandleBlock* block) noexcept {
  if (block != nullptr &&
      block->copies.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    ReleaseHandle(block);
  }
}

}  // namespace internal

template <typename T>
class Handle {
 public:
  using element_type = T;

  constexpr Handle() noexcept = default;
  constexpr Handle(std::nullptr_t) noexcept {}  // NOLINT: implicit from null

  Handle(const Handle& other) noexcept : block_(other.block_) {
    internal::CopyHandle(block_);
  }
  Handle(Handle&& other) noexcept
      : block_(std::exchange(other.block_, nullptr)) {}
  // Implicit upcast.
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  Handle(const Handle<U>& other) noexcept  // NOLINT: implicit upcast
      : block_(other.block_) {
    internal::CopyHandle(block_);
  }
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  Handle(Handle<U>&& other) noexcept  // NOLINT: implicit upcast
      : block_(std::exchange(other.block_, nullptr)) {}

  ~Handle() { internal::DropHandle(block_); }

  Handle& operator=(const Handle& other) noexcept {
    Handle(other).swap(*this);
    return *this;
  }
  Handle& operator=(Handle&& other) noexcept {
    Handle(std::move(other)).swap(*this);
    return *this;
  }

  // Drops this copy and becomes null.
  void reset() noexcept {
    internal::DropHandle(std::exchange(block_, nullptr));
  }
  void swap(Handle& other) noexcept { std::swap(block_, other.block_); }

  // A new strong reference to the object (null for a null handle).
  // REQUIRES: this thread owns the object's heap (always checked).
  Ref<T> Get() const {
    if (block_ == nullptr) return nullptr;
    return internal::RefAccess::Share<T>(
        internal::OpenHandle(block_, typeid(T)));
  }

  // True on the owner of the object's heap (where Get() may be called);
  // false elsewhere, for a null handle and once the heap is gone.
  bool IsLocal() const noexcept { return internal::HandleIsLocal(block_); }

  explicit operator bool() const noexcept { return block_ != nullptr; }
  // True when both are copies of one `Share` (or both null).
  template <typename U>
  bool operator==(const Handle<U>& other) const noexcept {
    return block_ == other.block_;
  }

 private:
  template <typename U>
  friend class Handle;
  template <typename U>
  friend Handle<U> Share(const Ref<U>& ref);

  explicit Handle(internal::HandleBlock* block) noexcept : block_(block) {}

  internal::HandleBlock* block_ = nullptr;
};

// A handle to `ref`'s object (null for a null `ref`). Each call makes a new
// handle; its copies share one reference to the object.
// REQUIRES: on the owner of the object's heap, which is alive (fails loudly).
template <typename T>
Handle<T> Share(const Ref<T>& ref) {
  Object* object = internal::RefAccess::Get(ref);
  if (object == nullptr) return Handle<T>();
  return Handle<T>(internal::ShareObject(object));
}

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_HANDLE_H_
