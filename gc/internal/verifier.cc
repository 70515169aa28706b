// Copyright 2026 The cyclegc Authors.

#include "gc/internal/verifier.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gc/internal/check.h"
#include "gc/internal/edge_visitor.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/safe_trace.h"
#include "gc/internal/weak_ref_list.h"
#include "gc/visitor.h"

namespace gc::internal {
namespace {

[[noreturn]] void Corrupt(const std::string& what) {
  FatalError(absl::StrCat("gc: heap verification failed: ", what));
}

const char* PointName(VerifyPoint point) {
  switch (point) {
    case VerifyPoint::kBetweenCollections:
      return "between collections";
    case VerifyPoint::kAfterGather:
      return "after gathering candidates";
    case VerifyPoint::kAfterSplit:
      return "after splitting survivors from garbage";
    case VerifyPoint::kBeforeSweep:
      return "before sweeping garbage in place";
  }
  return "?";
}

// Checks the slots of `list` from `from` on (and the tombstone count when
// that is all of them). Marked objects are corrupt unless `marked_ok`;
// returns how many there are.
int64_t VerifyList(const HeapState& heap, ListId list, const char* where,
                   size_t from = 0, bool marked_ok = false) {
  const std::vector<Object*>& slots = heap.lists[list];
  const HeapState::Compaction& compaction = heap.compaction[list];
  int64_t nulls = 0;
  int64_t marked = 0;
  for (size_t i = from; i < slots.size(); ++i) {
    const Object* object = slots[i];
    if (object == nullptr) {
      ++nulls;
      // From HoleEnd on only a compaction's gap may be empty.
      if (i >= heap.HoleEnd(list) &&
          !(compaction.active && compaction.write <= i &&
            i < compaction.read)) {
        Corrupt(absl::StrCat(where, ": list ", list, " slot ", i,
                             " is empty past the last hole known, ",
                             heap.HoleEnd(list)));
      }
      continue;
    }
    const uint32_t bits = ObjectAccess::Bits(*object);
    auto fail = [&](const char* what) {
      Corrupt(absl::StrCat(where, ": list ", list, " slot ", i, " holds a ",
                           TypeName(*object), " at 0x",
                           absl::Hex(reinterpret_cast<uintptr_t>(object)),
                           " that ", what));
    };
    if (ObjectBits::List(bits) != list) fail("names another list");
    if (ObjectBits::HeapBits(bits) != heap.id_bits) fail("belongs to another heap");
    if (!ObjectBits::HasHeader(bits)) fail("has no GcHeader");
    if (ObjectBits::IsDying(bits)) fail("is dying");
    if (ObjectBits::IsMarked(bits)) {
      if (!marked_ok) fail("is still marked");
      ++marked;
    }
    if (HeaderOf(const_cast<Object*>(object))->index != i) {
      fail("has another index in its GcHeader");
    }
  }
  if (compaction.active &&
      (compaction.write > compaction.read || compaction.read > slots.size())) {
    Corrupt(absl::StrCat(where, ": list ", list, " is compacted up to ",
                         compaction.write, " from ", compaction.read,
                         " in a list of ", slots.size()));
  }
  for (size_t i = std::max(from, compaction.write);
       compaction.active && i < compaction.read; ++i) {
    if (slots[i] != nullptr) {
      Corrupt(absl::StrCat(where, ": list ", list, " slot ", i,
                           " is in the compaction's gap but holds an object"));
    }
  }
  if (from == 0 && nulls != heap.tombstones[list]) {
    Corrupt(absl::StrCat(where, ": list ", list, " has ", nulls,
                         " empty slots but counts ", heap.tombstones[list]));
  }
  return marked;
}

// Every cell in use is a ring of weak references to one object, which has
// kHasWeak and this cell's index; every untracked object with a cell too.
void VerifyWeakCells(const HeapState& heap, const char* where) {
  heap.weak_cells.ForEachInUse([&](uint32_t index, const WeakLink* cell) {
    const Object* object;
    if (!WeakRefList::Consistent(cell, &object)) {
      Corrupt(absl::StrCat(where, ": broken weak reference ring in cell ",
                           index));
    }
    if (object != nullptr &&
        (!ObjectBits::HasWeak(ObjectBits::Of(*object)) ||
         heap.weak_cells.IndexOf(*object) != index)) {
      Corrupt(absl::StrCat(where, ": weak cell ", index, " of a ",
                           TypeName(*object), " that does not name it"));
    }
  });
  heap.weak_cells.ForEachUntracked([&](const Object* object, uint32_t index) {
    if (!ObjectBits::HasWeak(ObjectBits::Of(*object)) ||
        WeakCellAt(index)->prev == nullptr) {
      Corrupt(absl::StrCat(where, ": weak cell table entry for a ",
                           TypeName(*object), " without a cell"));
    }
  });
}

}  // namespace

void VerifyHeap(const HeapState& heap, VerifyPoint point, int generation,
                int64_t marked) {
  const char* where = PointName(point);
  const size_t size = heap.lists[kListGenerations].size();
  if (heap.gen1_begin > heap.gen0_begin || heap.gen0_begin > size) {
    Corrupt(absl::StrCat(where, ": generation boundaries ", heap.gen1_begin,
                         " and ", heap.gen0_begin, " in a list of ", size));
  }
  // Generations 0 and 1 on young collections, so that the cost stays
  // proportional to the collection; everything on a full collection.
  const int64_t marked_found =
      VerifyList(heap, kListGenerations, where,
                 generation < 2 ? heap.GenerationBegin(1) : 0,
                 /*marked_ok=*/point == VerifyPoint::kBeforeSweep);
  if (marked_found != marked) {
    Corrupt(absl::StrCat(where, ": ", marked_found,
                         " marked objects in the generations, not ", marked));
  }
  if (generation == 2) VerifyList(heap, kListPermanent, where);
  VerifyList(heap, kListUnreachable, where);
  VerifyList(heap, kListBorn, where);
  if (point != VerifyPoint::kAfterSplit &&
      heap.ListSize(kListUnreachable) != 0) {
    Corrupt(absl::StrCat(where, ": the unreachable list is not empty"));
  }
  if (point != VerifyPoint::kAfterSplit && point != VerifyPoint::kBeforeSweep &&
      heap.ListSize(kListBorn) != 0) {
    Corrupt(absl::StrCat(where, ": objects born in a collection are left"));
  }
  if (point == VerifyPoint::kAfterGather &&
      heap.candidates_begin() != heap.GenerationBegin(generation)) {
    Corrupt(absl::StrCat(where, ": candidates start at ", heap.candidates_begin(),
                         ", not at generation ", generation));
  }
  for (int g = 0; g < 3; ++g) {
    if (heap.count[g] < 0) Corrupt(absl::StrCat("count[", g, "] < 0"));
  }
  // The live counts per generation (walks generation 2 on full ones only).
  for (int g = 0; g <= (generation < 2 ? 1 : 2); ++g) {
    if (heap.GenerationSize(g) != heap.CountGeneration(g)) {
      Corrupt(absl::StrCat(where, ": generation ", g, " holds ",
                           heap.CountGeneration(g), " objects but counts ",
                           heap.GenerationSize(g)));
    }
  }
  if (generation < 2) return;
  VerifyWeakCells(heap, where);
}

namespace {

// Reports (once per type and heap) an object whose Trace visited one slot
// twice. `slots`: the slots its Trace visited, sorted.
void ReportVisitedTwice(HeapState& heap, const Object& object,
                        const std::vector<const void*>& slots) {
  const auto twice = std::adjacent_find(slots.begin(), slots.end());
  if (twice == slots.end()) return;
  std::string type = TypeName(object);
  if (!heap.FirstReport(absl::StrCat("twice ", type))) return;
  const intptr_t offset = static_cast<const char*>(*twice) -
                          reinterpret_cast<const char*>(&object);
  heap.ReportError([&] {
    return absl::StrCat(
        "gc: the Trace() of a ", type, " visits the same Ref twice (",
        offset >= 0 && offset < 1 << 20
            ? absl::StrCat("at offset ", offset)
            : std::string("outside the object"),
        "); each Ref must be visited once, else the collector sees a "
        "reference too many and keeps cycles through it forever");
  });
}

// CheckTraceCoverage, but may throw std::bad_alloc.
void CheckTraceCoverageOrThrow(HeapState& heap) {
  std::vector<const void*> reported;
  const std::vector<Object*>& generations = heap.lists[kListGenerations];
  for (size_t i = heap.candidates_begin(); i < generations.size(); ++i) {
    Object* object = generations[i];
    if (object == nullptr) continue;
    const uint32_t* size = heap.object_sizes.Find(object);
    if (size == nullptr) continue;
    reported.clear();
    EdgeVisitor recorder([&](Object*& slot) { reported.push_back(&slot); });
    // Out of memory, the check is skipped (see below); the collection
    // reports other throwing Traces.
    if (!TryTrace(object, recorder, /*finish=*/true, RethrowOutOfMemory)) {
      continue;
    }
    std::sort(reported.begin(), reported.end());
    ReportVisitedTwice(heap, *object, reported);
    // Word-aligned slots inside the object, after the vtable pointer and the
    // refcount/bits word, that hold a pointer to a candidate.
    const char* begin = reinterpret_cast<const char*>(object);
    for (size_t offset = 2 * sizeof(void*); offset + sizeof(void*) <= *size;
         offset += sizeof(void*)) {
      const void* slot = begin + offset;
      const Object* value;
      std::memcpy(&value, slot, sizeof(value));
      // object_sizes lists live objects only, so `value` may be read once
      // found there.
      if (value == nullptr || !heap.object_sizes.Contains(value) ||
          !heap.IsCandidate(*value) ||
          std::binary_search(reported.begin(), reported.end(), slot) ||
          WeakRefList::IsTargetSlot(heap, *value, slot)) {
        continue;
      }
      std::string type = TypeName(*object);
      if (!heap.FirstReport(absl::StrCat("hidden ", type))) continue;
      heap.ReportError([&] {
        return absl::StrCat(
            "gc: a ", type, " holds a pointer to a ", TypeName(*value),
            " at offset ", offset,
            " that its Trace() does not report; a Ref it does not visit "
            "makes cycles through it uncollectable");
      });
    }
  }
}

}  // namespace

void CheckTraceCoverage(HeapState& heap) {
  if (heap.object_sizes.empty()) return;
  try {
    CheckTraceCoverageOrThrow(heap);
  } catch (const std::bad_alloc&) {
    heap.ReportError(
        "gc: out of memory: the check for references hidden from Trace() "
        "(kDebugVerify) was skipped");
  }
}

void CheckHeapCrossing(HeapState& heap) {
  const std::vector<Object*>& generations = heap.lists[kListGenerations];
  for (size_t i = heap.candidates_begin(); i < generations.size(); ++i) {
    Object* object = generations[i];
    if (object == nullptr) continue;
    const Object* foreign = nullptr;
    EdgeVisitor finder([&](Object*& slot) {
      if (ObjectBits::HeapBits(ObjectBits::Of(*slot)) != heap.id_bits) {
        foreign = slot;
      }
    });
    // The collection reports throwing Traces.
    if (!TryTrace(object, finder, /*finish=*/true, [] {})) continue;
    if (foreign == nullptr ||
        !heap.FirstReport(absl::StrCat("crossing ", TypeName(*object), " ",
                                       TypeName(*foreign)))) {
      continue;
    }
    heap.ReportError([&] {
      return absl::StrCat(
          "gc: a ", TypeName(*object), " references a ", TypeName(*foreign),
          " made on another heap (id ",
          ObjectAccess::Bits(*foreign) >> kHeapIdShift, ", this heap is ",
          heap.id_bits >> kHeapIdShift,
          "); objects must not cross heaps: each heap belongs to one "
          "thread, and cycles across heaps are never collected");
    });
    return;  // at most once per collection
  }
}

}  // namespace gc::internal
