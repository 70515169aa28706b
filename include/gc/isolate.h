// Copyright 2026 The cyclegc Authors.
//
// File: gc/isolate.h
// -----------------------------------------------------------------------------
//
// Moving a whole graph of managed objects to another heap (another thread's)
// in one step, instead of sharing it: `gc::Isolate` takes the graph out of
// its heap, `gc::Heap::Adopt` puts it into another one.
//
// Example:
//
//   // On the thread that owns root's heap:
//   absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(root));
//   if (!iso.ok()) { ... root still holds the object; iso.status() says
//                    which object is referenced from outside ... }
//   // ... hand *iso to the other thread (movable, not copyable) ...
//   gc::Ref<Node> adopted = other_heap.Adopt(std::move(*iso));  // there
//
// `Isolate(std::move(root))` succeeds when nothing outside the graph
// reachable from `root` (through `Trace`) references into it: every
// object's reference count is explained by the references inside the graph
// (the edges its `Trace` reports) and by `root` itself, and no object of the
// graph is the target of a weak reference that lives outside the graph. It
// walks the graph once, iteratively (a chain of millions of objects is
// fine), and:
//   * on success, takes the graph out of its heap (its generation counts
//     drop as for deaths; weak references between objects of the graph move
//     with them) and returns it in an `Isolated`, owned by no heap; `root`
//     is null then;
//   * otherwise returns `absl::FailedPreconditionError` naming an object
//     referenced from outside (its type and address), and changes nothing:
//     `root` still holds the object. Also FailedPreconditionError: a heap
//     with its own allocator (`SetAllocator`), a heap that is collecting,
//     an object of another heap in the graph. A null `root` is
//     InvalidArgumentError.
//
// `heap.Adopt(std::move(isolated))` puts the graph into `heap`'s generation
// 0 (counting as allocations there: it may start an automatic collection)
// and returns the root. An `Isolated` destroyed without `Adopt` is adopted
// by the current heap of the destroying thread, and its root dropped:
// acyclic parts die at once, cycles at that heap's next collection.
//
// REQUIRES (the program's responsibility, which the collector cannot see):
// the graph holds no hidden edges (a `Ref` its `Trace` does not visit, for
// example inside an untracked object or a `std::function`), no `Handle`
// whose object is in the graph, and no weak reference to an object outside
// it. `Isolate` runs on the owner of root's heap and `Adopt` on the owner of
// `heap` (both always checked: they fail loudly elsewhere); `Adopt` on a
// heap with its own allocator refuses: it reports a FailedPrecondition error
// through that heap's error reporter, returns a null `Ref` and leaves the
// `Isolated` as it was (adopt it elsewhere). An `Isolated` dropped while the
// current heap has its own allocator is reported there, and its objects are
// leaked (never destroyed, never freed). The memory of moved objects
// stays valid wherever they later die: an object that came from another
// heap's free lists gives its memory back to that heap (its owner takes it
// back at its next collection), or, once that heap is gone, to the system.

#ifndef CYCLEGC_INCLUDE_GC_ISOLATE_H_
#define CYCLEGC_INCLUDE_GC_ISOLATE_H_

#include <utility>

#include "absl/status/statusor.h"
#include "gc/heap.h"
#include "gc/object.h"
#include "gc/ref.h"

namespace gc {
namespace internal {

struct IsolatedGraph;

// Takes the graph reachable from `root` out of its heap (see above); on
// success the graph holds `root`'s reference.
absl::StatusOr<IsolatedGraph*> IsolateGraph(Object* root);
// Puts `graph` into `heap` and returns its root (holding the graph's
// reference to it); frees `graph`. A heap with its own allocator refuses:
// reports the error, returns null and leaves `graph` as it was.
Object* AdoptGraph(Heap& heap, IsolatedGraph* graph);
// Adopts `graph` into this thread's current heap and drops its root.
void DropIsolated(IsolatedGraph* graph) noexcept;

}  // namespace internal

// A graph that left its heap and waits for `Heap::Adopt`. Movable, not
// copyable. Moved-from: empty (destroying it does nothing).
template <typename T>
class Isolated {
 public:
  Isolated(Isolated&& other) noexcept
      : graph_(std::exchange(other.graph_, nullptr)) {}
  Isolated& operator=(Isolated&& other) noexcept {
    if (this != &other) {
      Reset();
      graph_ = std::exchange(other.graph_, nullptr);
    }
    return *this;
  }
  Isolated(const Isolated&) = delete;
  Isolated& operator=(const Isolated&) = delete;
  ~Isolated() { Reset(); }

  // False once adopted or moved from.
  explicit operator bool() const noexcept { return graph_ != nullptr; }

 private:
  template <typename U>
  friend absl::StatusOr<Isolated<U>> Isolate(Ref<U>&& root);
  friend class Heap;

  explicit Isolated(internal::IsolatedGraph* graph) : graph_(graph) {}
  void Reset() noexcept {
    if (graph_ != nullptr) {
      internal::DropIsolated(std::exchange(graph_, nullptr));
    }
  }

  internal::IsolatedGraph* graph_ = nullptr;
};

template <typename T>
absl::StatusOr<Isolated<T>> Isolate(Ref<T>&& root) {
  absl::StatusOr<internal::IsolatedGraph*> graph =
      internal::IsolateGraph(internal::RefAccess::Get(root));
  if (!graph.ok()) return graph.status();
  internal::RefAccess::Release(root);  // its reference is the graph's now
  return Isolated<T>(*graph);
}

template <typename T>
Ref<T> Heap::Adopt(Isolated<T>&& isolated) {
  if (isolated.graph_ == nullptr) return nullptr;
  Object* root = internal::AdoptGraph(*this, isolated.graph_);
  if (root == nullptr) return nullptr;  // refused: `isolated` keeps the graph
  isolated.graph_ = nullptr;
  return internal::RefAccess::Adopt<T>(root);
}

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_ISOLATE_H_
