// Copyright 2026 The cyclegc Authors.

#include "gc/internal/verifier.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gc/internal/edge_visitor.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/weak_ref_list.h"
#include "gc/visitor.h"

namespace gc::internal {
namespace {

[[noreturn]] void Corrupt(const std::string& what) {
  std::fprintf(stderr, "gc: heap verification failed: %s\n", what.c_str());
  std::abort();
}

const char* PointName(VerifyPoint point) {
  switch (point) {
    case VerifyPoint::kBetweenCollections:
      return "between collections";
    case VerifyPoint::kAfterGather:
      return "after gathering candidates";
    case VerifyPoint::kAfterSplit:
      return "after splitting survivors from garbage";
  }
  return "?";
}

void VerifyList(const HeapState& heap, ListId list, const char* where) {
  const std::vector<Object*>& slots = heap.lists[list];
  int64_t nulls = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    const Object* object = slots[i];
    if (object == nullptr) {
      ++nulls;
      continue;
    }
    const uint32_t bits = ObjectAccess::Bits(*object);
    auto fail = [&](const char* what) {
      Corrupt(absl::StrFormat("%s: list %d slot %d holds a %s at %p that %s",
                              where, list, i, TypeName(*object),
                              static_cast<const void*>(object), what));
    };
    if ((bits & kListMask) != list) fail("names another list");
    if ((bits & kHeapIdMask) != heap.id_bits) fail("belongs to another heap");
    if ((bits & kHasHeader) == 0) fail("has no GcHeader");
    if ((bits & kDying) != 0) fail("is dying");
    if ((bits & kMarked) != 0) fail("is still marked");
    if (HeaderOf(const_cast<Object*>(object))->index != i) {
      fail("has another index in its GcHeader");
    }
  }
  if (nulls != heap.tombstones[list]) {
    Corrupt(absl::StrCat(where, ": list ", list, " has ", nulls,
                         " empty slots but counts ", heap.tombstones[list]));
  }
}

}  // namespace

void VerifyHeap(const HeapState& heap, VerifyPoint point, int generation) {
  const char* where = PointName(point);
  // The young generations (0..g, and 1), so that the cost stays proportional
  // to the collection; everything on a full collection.
  const int last_generation = generation < 2 ? 1 : 2;
  for (int g = 0; g <= last_generation; ++g) {
    VerifyList(heap, static_cast<ListId>(kListGen0 + g), where);
  }
  if (generation == 2) VerifyList(heap, kListPermanent, where);
  VerifyList(heap, kListWorking, where);
  VerifyList(heap, kListUnreachable, where);
  if (point != VerifyPoint::kAfterGather && heap.ListSize(kListWorking) != 0) {
    Corrupt(absl::StrCat(where, ": the working list is not empty"));
  }
  if (point == VerifyPoint::kBetweenCollections &&
      heap.ListSize(kListUnreachable) != 0) {
    Corrupt(absl::StrCat(where, ": the unreachable list is not empty"));
  }
  if (point == VerifyPoint::kAfterGather) {
    for (int g = 0; g <= generation; ++g) {
      if (!heap.lists[kListGen0 + g].empty()) {
        Corrupt(absl::StrCat(where, ": generation ", g, " is not empty"));
      }
    }
    for (Object* object : heap.lists[kListWorking]) {
      if (object != nullptr &&
          HeaderOf(object)->gc_refs != ObjectAccess::RefCountField(*object)) {
        Corrupt(absl::StrCat(where, ": a ", TypeName(*object),
                             " has gc_refs other than its refcount"));
      }
    }
  }
  for (int g = 0; g < 3; ++g) {
    if (heap.count[g] < 0) Corrupt(absl::StrCat("count[", g, "] < 0"));
  }
  if (generation < 2) return;
  for (const auto& [object, head] : heap.weak_heads) {
    if ((ObjectAccess::Bits(*object) & kHasWeak) == 0 || head == nullptr) {
      Corrupt(absl::StrCat(where, ": weak reference table entry for a ",
                           TypeName(*object), " without kHasWeak"));
    }
    if (!WeakRefList::Consistent(*object, head)) {
      Corrupt(absl::StrCat(where, ": broken weak reference list of a ",
                           TypeName(*object)));
    }
  }
}

void CheckTraceCoverage(HeapState& heap) {
  if (heap.object_sizes.empty()) return;
  absl::flat_hash_set<std::string> warned;
  for (Object* object : heap.lists[kListWorking]) {
    if (object == nullptr) continue;
    auto size = heap.object_sizes.find(object);
    if (size == heap.object_sizes.end()) continue;
    absl::flat_hash_set<const void*> reported;
    EdgeVisitor recorder([&](Object*& slot) { reported.insert(&slot); });
    try {
      object->Trace(recorder);
      recorder.Finish();
    } catch (...) {
      continue;  // the collection reports throwing Traces
    }
    // Word-aligned slots inside the object, after the vtable pointer and the
    // refcount/bits word, that hold a pointer to a candidate.
    const char* begin = reinterpret_cast<const char*>(object);
    for (size_t offset = 2 * sizeof(void*);
         offset + sizeof(void*) <= size->second; offset += sizeof(void*)) {
      const void* slot = begin + offset;
      const Object* value;
      std::memcpy(&value, slot, sizeof(value));
      // object_sizes lists live objects only, so `value` may be read once
      // found there.
      if (value == nullptr || !heap.object_sizes.contains(value) ||
          !heap.InList(*value, kListWorking) || reported.contains(slot) ||
          WeakRefList::IsTargetSlot(*value, slot)) {
        continue;
      }
      std::string type = TypeName(*object);
      if (!warned.insert(type).second) continue;
      heap.ReportError(absl::StrFormat(
          "gc: a %s holds a pointer to a %s at offset %d that its Trace() "
          "does not report; a Ref it does not visit makes cycles through "
          "it uncollectable",
          type, TypeName(*value), offset));
    }
  }
}

void CheckHeapCrossing(HeapState& heap) {
  for (Object* object : heap.lists[kListWorking]) {
    if (object == nullptr) continue;
    const Object* foreign = nullptr;
    EdgeVisitor finder([&](Object*& slot) {
      if ((ObjectAccess::Bits(*slot) & kHeapIdMask) != heap.id_bits) {
        foreign = slot;
      }
    });
    try {
      object->Trace(finder);
      finder.Finish();
    } catch (...) {
      continue;  // the collection reports throwing Traces
    }
    if (foreign == nullptr) continue;
    heap.ReportError(absl::StrFormat(
        "gc: a %s references a %s made on another heap (id %d, this heap "
        "is %d); objects must not cross heaps: each heap belongs to one "
        "thread, and cycles across heaps are never collected",
        TypeName(*object), TypeName(*foreign),
        ObjectAccess::Bits(*foreign) >> kHeapIdShift,
        heap.id_bits >> kHeapIdShift));
    return;  // once per collection
  }
}

}  // namespace gc::internal
