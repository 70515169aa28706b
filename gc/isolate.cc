// Copyright 2026 The cyclegc Authors.
//
// gc::Isolate and gc::Heap::Adopt (include/gc/isolate.h).
//
// Isolate walks the graph from the root once, breadth first and iteratively:
// `objects` in visiting order, `in[i]` the edges into objects[i] from the
// graph (plus the root's reference). A visited object has kMarked (a
// collector scratch bit, clear between collections), and its position in
// `objects` is in a table. Then the counts and the weak references are
// checked, and only then is anything changed.

#include "gc/isolate.h"

#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gc/heap.h"
#include "gc/internal/check.h"
#include "gc/internal/edge_visitor.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/object_bits.h"
#include "gc/internal/owner.h"
#include "gc/internal/remote_releases.h"
#include "gc/internal/safe_trace.h"
#include "gc/internal/weak_ref_list.h"

namespace gc {
namespace internal {

// A graph that left its heap: every object (root first), holding the
// root's reference, and what its heap kept about the objects.
struct IsolatedGraph {
  std::vector<Object*> objects;
  int64_t tracked = 0;
  // The weak references to each object that had any: a ring of them
  // without a cell (the cell stayed with the heap), by one of its links.
  std::vector<std::pair<Object*, WeakLink*>> weak_rings;
  std::vector<std::pair<Object*, uint32_t>> object_sizes;  // kDebugVerify
  std::vector<std::pair<Object*, uint32_t>> type_sizes;    // one per type
};

namespace {

// "a <type> at <address>", as Isolate's errors name an object.
std::string Subject(const Object& object) {
  return absl::StrFormat("a %s at %p", TypeName(object),
                         static_cast<const void*>(&object));
}

// The walk and its checks; changes nothing but scratch (see the file
// comment), which Unmark clears.
class GraphWalk {
 public:
  explicit GraphWalk(HeapState& heap) : heap_(heap) {}
  ~GraphWalk() { Unmark(); }

  absl::Status Walk(Object* root);
  absl::Status CheckCounts() const;
  absl::Status CheckWeakRefs() const;
  std::vector<Object*>& objects() { return objects_; }

 private:
  uint32_t& Slot(Object* object) { return slots_[object]; }
  absl::Status Visit(Object* object);
  void Unmark();
  // The memory of `object`: [begin, end).
  static std::pair<uintptr_t, uintptr_t> Extent(const HeapState& heap,
                                                Object* object);

  HeapState& heap_;
  std::vector<Object*> objects_;
  std::vector<uint32_t> in_;
  absl::flat_hash_map<Object*, uint32_t> slots_;  // position in objects_
};

absl::Status GraphWalk::Visit(Object* object) {
  uint32_t& bits = ObjectAccess::Bits(*object);
  if (ObjectBits::IsVisited(bits)) {
    ++in_[Slot(object)];
    return absl::OkStatus();
  }
  if (ObjectBits::HeapBits(bits) != heap_.id_bits) {
    return absl::FailedPreconditionError(
        absl::StrCat("gc::Isolate: ", Subject(*object),
                     " in the graph belongs to another heap"));
  }
  if (ObjectBits::IsDying(bits)) {
    return absl::FailedPreconditionError(
        absl::StrCat("gc::Isolate: ", Subject(*object), " is being destroyed"));
  }
  Slot(object) = static_cast<uint32_t>(objects_.size());
  ObjectBits::SetVisited(bits);
  objects_.push_back(object);
  in_.push_back(1);
  return absl::OkStatus();
}

absl::Status GraphWalk::Walk(Object* root) {
  absl::Status status = Visit(root);
  if (!status.ok()) return status;
  EdgeVisitor visitor([&](Object*& slot) {
    if (status.ok()) status = Visit(slot);
  });
  for (size_t i = 0; i < objects_.size() && status.ok(); ++i) {
    Object* object = objects_[i];
    if (!ObjectBits::HasHeader(ObjectAccess::Bits(*object))) continue;
    if (!SafeTrace(heap_, object, visitor)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "gc::Isolate: the Trace of ", Subject(*object), " threw"));
    }
  }
  return status;
}

absl::Status GraphWalk::CheckCounts() const {
  for (size_t i = 0; i < objects_.size(); ++i) {
    const int64_t count = RefCount(*objects_[i]);
    if (count == in_[i]) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        "gc::Isolate: ", Subject(*objects_[i]),
        " is referenced from outside the graph (", count,
        " strong references, ", in_[i] - (i == 0 ? 1 : 0),
        " of them from inside", i == 0 ? ", plus the root" : "", ")"));
  }
  return absl::OkStatus();
}

std::pair<uintptr_t, uintptr_t> GraphWalk::Extent(const HeapState& heap,
                                                  Object* object) {
  const uint32_t bits = ObjectAccess::Bits(*object);
  const size_t prefix = ObjectBits::PrefixSize(bits);
  const uintptr_t begin =
      reinterpret_cast<uintptr_t>(dynamic_cast<void*>(object)) - prefix;
  size_t size = BlockBytes(SizeClassOf(bits));
  if (size == 0) size = heap.type_sizes.Find(typeid(*object));
  if (size == 0) size = malloc_usable_size(reinterpret_cast<void*>(begin));
  return {begin, begin + size};
}

absl::Status GraphWalk::CheckWeakRefs() const {
  std::vector<std::pair<uintptr_t, uintptr_t>> extents;
  for (Object* object : objects_) {
    if (!ObjectBits::HasWeak(ObjectAccess::Bits(*object))) continue;
    if (extents.empty()) {
      extents.reserve(objects_.size());
      for (Object* o : objects_) extents.push_back(Extent(heap_, o));
      std::sort(extents.begin(), extents.end());
    }
    bool outside = false;
    WeakRefList::ForEachIn(
        WeakRefList::CellOf(heap_, *object), [&](const WeakRefBase* ref) {
          const uintptr_t at = reinterpret_cast<uintptr_t>(ref);
          auto after = std::upper_bound(
              extents.begin(), extents.end(),
              std::pair<uintptr_t, uintptr_t>(at, UINTPTR_MAX));
          outside |= after == extents.begin() || at >= std::prev(after)->second;
        });
    if (outside) {
      return absl::FailedPreconditionError(absl::StrCat(
          "gc::Isolate: ", Subject(*object),
          " is the target of a weak reference from outside the graph"));
    }
  }
  return absl::OkStatus();
}

void GraphWalk::Unmark() {
  for (Object* object : objects_)
    ObjectBits::ClearMark(ObjectAccess::Bits(*object));
  objects_.clear();
}

// Takes the walked objects out of `heap` into `graph`.
void MoveOut(HeapState& heap, std::vector<Object*>& objects,
             IsolatedGraph& graph) {
  const std::type_info* last_type = nullptr;
  bool exiled = false;
  for (Object* object : objects) {
    const uint32_t bits = ObjectAccess::Bits(*object);
    if (ObjectBits::HasWeak(bits)) {
      // The cell stays here; its ring, if any, closes without it.
      WeakLink* cell = WeakRefList::CellOf(heap, *object);
      if (cell->next != cell) {
        graph.weak_rings.emplace_back(object, cell->next);
        cell->next->prev = cell->prev;
        cell->prev->next = cell->next;
        cell->prev = cell->next = cell;
      }
      heap.weak_cells.Release(*object);
    }
    if (ObjectBits::IsTracked(bits)) {
      ++graph.tracked;
      if (const uint32_t* size = heap.object_sizes.Find(object)) {
        graph.object_sizes.emplace_back(object, *size);
      }
      if (&typeid(*object) != last_type) {
        last_type = &typeid(*object);
        graph.type_sizes.emplace_back(object, heap.type_sizes.Find(*last_type));
      }
      heap.OnTrackedDeath(object);  // generation counts drop as for deaths
    }
    exiled |= SizeClassOf(bits) != 0;
    ObjectBits::ClearMark(ObjectAccess::Bits(*object));
  }
  heap.live_objects -= static_cast<int64_t>(objects.size());
  if (exiled) heap.remote()->NoteExiled();
  graph.objects = std::move(objects);
}

}  // namespace

absl::StatusOr<IsolatedGraph*> IsolateGraph(Object* root) {
  if (root == nullptr) {
    return absl::InvalidArgumentError("gc::Isolate of a null reference");
  }
  HeapState& heap = *HeapState::Of(*root);
  if (heap.owner() == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("gc::Isolate: the heap of ", Subject(*root), " is gone"));
  }
  CheckOwner(heap, "gc::Isolate", root);
  if (heap.allocator != nullptr) {
    return absl::FailedPreconditionError(
        "gc::Isolate: the heap has its own allocator (SetAllocator)");
  }
  if (heap.collecting()) {
    return absl::FailedPreconditionError(
        "gc::Isolate: a collection of the heap is running");
  }
  heap.EnsureRemote();  // before anything changes: it may throw
  auto graph = std::make_unique<IsolatedGraph>();
  GraphWalk walk(heap);
  absl::Status status = walk.Walk(root);
  if (status.ok()) status = walk.CheckCounts();
  if (status.ok()) status = walk.CheckWeakRefs();
  if (!status.ok()) return status;
  MoveOut(heap, walk.objects(), *graph);
  return graph.release();
}

Object* AdoptGraph(Heap& target, IsolatedGraph* graph) {
  HeapState& heap = *HeapState::FromHeap(target);
  CheckOwner(heap, "gc::Heap::Adopt");
  if (heap.allocator != nullptr) {
    heap.ReportError(
        "gc: FAILED_PRECONDITION: gc::Heap::Adopt on a heap with its own "
        "allocator (SetAllocator): objects from other heaps cannot live "
        "there; the gc::Isolated keeps its graph");
    return nullptr;
  }
  std::unique_ptr<IsolatedGraph> owned(graph);
  const ListId list = heap.holds_lists() ? kListBorn : kListGenerations;
  ReserveGrowing(heap.lists[list], heap.lists[list].size() + graph->tracked);
  size_t untracked_rings = 0;
  for (const auto& [object, ring] : graph->weak_rings) {
    untracked_rings += !ObjectBits::HasHeader(ObjectAccess::Bits(*object));
  }
  heap.weak_cells.Reserve(graph->weak_rings.size(), untracked_rings);
  for (const auto& [object, ring] : graph->weak_rings) {
    // A new cell closes the ring again.
    const uint32_t index = heap.weak_cells.Take();
    WeakLink* cell = WeakCellAt(index);
    cell->prev = ring->prev;
    cell->next = ring;
    ring->prev->next = cell;
    ring->prev = cell;
    heap.weak_cells.SetIndex(*object, index);
  }
  for (const auto& [object, size] : graph->object_sizes) {
    heap.object_sizes.GetOrInsert(object) = size;
  }
  for (const auto& [object, size] : graph->type_sizes) {
    if (size != 0) heap.type_sizes.Note(*object, size);
  }
  for (Object* object : graph->objects) {
    uint32_t& bits = ObjectAccess::Bits(*object);
    ObjectBits::SetHeapBits(bits, heap.id_bits);
    if (ObjectBits::HasHeader(bits) && !ObjectBits::IsAcyclic(bits)) {
      heap.LinkReserved(object, list);  // tracked where it came from
    }
  }
  heap.live_objects += static_cast<int64_t>(graph->objects.size());
  heap.count[0] += graph->tracked;
  Object* root = graph->objects.front();
  owned.reset();
  // The root's reference (now the caller's) keeps the graph alive.
  heap.MaybeCollectAutomatically();
  return root;
}

void DropIsolated(IsolatedGraph* graph) noexcept {
  HeapState* heap = HeapState::FromCore(CurrentHeapCore());
  Object* root = AdoptGraph(*heap->owner(), graph);
  if (root == nullptr) {  // refused (reported): the objects are leaked
    delete graph;
    return;
  }
  ObjectAccess::DecRef(root);
}

}  // namespace internal
}  // namespace gc
