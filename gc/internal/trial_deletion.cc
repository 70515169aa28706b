// Copyright 2026 The cyclegc Authors.
//
// Trial deletion: steps 3-4 of a collection (gc/internal/collector.h), and
// their rerun over the unreachable list in step 8. Over the objects of one
// list from one slot on (the candidates), it finds those referenced from
// outside them and all they reach; the others are garbage.

#include <cstdint>
#include <new>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "gc/internal/collection.h"

namespace gc::internal {
namespace {

// Step 3: lowers the scratch count of every visited candidate. A candidate's
// count lives in its GcHeader's second word (gc_refs), set from its refcount
// the first time the collection meets it (marked kUnreached then), so there
// is no separate pass to copy refcounts. That word is the object's weak cell
// or round member index outside trial deletion (gc/internal/gc_header.h): a
// candidate with either (kHasWeak or kInRound) has it saved in `saved`
// first, and ComputeReachable puts it back. Handles the edges of many
// objects per batch, prefetching their targets first.
class SubtractVisitor final : public Visitor {
 public:
  // Candidates: the objects of `list` from slot `from` on.
  SubtractVisitor(const HeapState& heap, ListId list, size_t from,
                  std::vector<SavedWord>& saved)
      : match_(list | heap.id_bits), from_(from), saved_(saved) {}

  void Finish() { Flush(); }

  // The count of a candidate, set first if it was not met yet. The bits
  // are read anyway (list membership), and the refcount shares their word.
  // May throw std::bad_alloc (saving the word); nothing changed then.
  uint32_t& Meet(Object* object, uint32_t& bits) {
    GcHeader* header = HeaderOf(object);
    if (!ObjectBits::IsUnreached(bits)) {
      if (ABSL_PREDICT_FALSE((bits & (kHasWeak | kInRound)) != 0)) {
        saved_.push_back({object, header->weak_cell});
      }
      ObjectBits::SetUnreached(bits);
      header->gc_refs = ObjectAccess::RefCountField(*object);
    }
    return header->gc_refs;
  }

  std::vector<Object*> overcounted;  // reported more often than referenced

 private:
  void VisitEdges(Object** const* slots, size_t count) override {
    for (size_t i = 0; i < count; ++i) __builtin_prefetch(*slots[i], 1);
    for (size_t i = 0; i < count; ++i) {
      Object* object = *slots[i];
      uint32_t& bits = ObjectBits::Of(*object);
      if ((bits & kListAndHeapMask) != match_) continue;
      if (HeaderOf(object)->index < from_) continue;
      uint32_t& refs = Meet(object, bits);
      if (ABSL_PREDICT_TRUE(refs > 0)) {
        --refs;
        continue;
      }
      // A Trace visits an edge twice, or one its object does not own. Keep
      // the object: it may well be referenced from outside.
      overcounted.push_back(object);
    }
  }

  uint32_t match_;
  size_t from_;
  std::vector<SavedWord>& saved_;
};

}  // namespace

// Steps 3-4 over the objects of `list` from slot `from` on: afterwards
// exactly those reachable from outside them have kUnreached clear. The others
// (kUnreached set) are appended to `unreached` if given; it may also hold
// objects reached later in the pass (kUnreached clear). False if a Trace
// threw: the marks then vary.
// Whatever the outcome, every word step 3 saved is back in its object's
// header afterwards.
bool Collection::ComputeReachable(ListId list, size_t from,
                                  std::vector<Object*>* unreached) {
  std::vector<SavedWord> saved;
  std::vector<Object*> overcounted;
  bool ok = SubtractInternalRefs(list, from, saved, overcounted);
  if (ok) {
    ReportOvercounted(overcounted);
    ok = MarkReachable(list, from, overcounted, unreached);
  }
  for (const SavedWord& saved_word : saved) {
    HeaderOf(saved_word.object)->weak_cell = saved_word.word;
  }
  return ok;
}

// Step 3.
// Contracts:
//   * REQUIRES: no object of `list` from `from` on is marked kUnreached.
//   * Afterwards every such object is marked kUnreached, and its scratch
//     count (GcHeader::gc_refs; the words it held are in `saved`) is
//     its refcount less the edges to it from those objects: the references
//     from outside them. An object whose edges are more than its refcount
//     (an edge visited twice, or not owned) is in `overcounted` instead of
//     going below zero.
//   * False (the marks vary) if a Trace threw or memory ran out; reported.
bool Collection::SubtractInternalRefs(ListId list, size_t from,
                                      std::vector<SavedWord>& saved,
                                      std::vector<Object*>& overcounted) {
  std::vector<Object*>& objects = List(list);
  SubtractVisitor subtract(heap_, list, from, saved);
  try {
    for (size_t i = from; i < objects.size(); ++i) {
      Object* object = objects[i];
      if (object == nullptr) continue;
      subtract.Meet(object, ObjectBits::Of(*object));
      if (!Trace(object, subtract, /*finish=*/false)) return false;
    }
    subtract.Finish();
  } catch (const std::bad_alloc&) {
    heap_.ReportError("gc: collection abandoned: out of memory");
    return false;
  }
  overcounted.swap(subtract.overcounted);
  return true;
}

// Once per heap and type: the same Trace would say it at every collection.
void Collection::ReportOvercounted(const std::vector<Object*>& overcounted) {
  if (overcounted.empty() ||
      !heap_.FirstReport(
          absl::StrCat("overcounted ", TypeName(*overcounted[0])))) {
    return;
  }
  heap_.ReportError([&] {
    return absl::StrCat(
        "gc: Trace() methods report more references to ",
        Describe(*overcounted[0]),
        " than it has (an edge visited twice, or one not owned); ",
        overcounted.size(),
        " such object(s) kept alive (reported once per type; kDebugVerify "
        "names a Trace that visits a slot twice)");
  });
}

// Step 4.
// Contracts:
//   * REQUIRES: step 3 ran over the same objects (all marked kUnreached,
//     gc_refs = references from outside them).
//   * Clears kUnreached of every object with gc_refs > 0, of every
//     `overcounted` one, and of all they reach among the objects, in one pass
//     in list order: an object still marked when the pass meets it is noted
//     in `unreached` (if given; reserved by the caller), and may be reached
//     later. Afterwards exactly the objects reachable from outside are
//     unmarked.
//   * False (the marks vary) if a Trace threw or memory ran out; reported.
bool Collection::MarkReachable(ListId list, size_t from,
                               const std::vector<Object*>& overcounted,
                               std::vector<Object*>* unreached) {
  std::vector<Object*>& objects = List(list);
  std::vector<Object*>& stack = heap_.mark_stack;
  stack.clear();
  MarkVisitor reach(heap_, list, from, ObjectBits::kUnreached, stack);
  bool ok = true;
  // Traces without finishing, so that one batch of edges (prefetched
  // together) spans many objects; flushes when the stack runs dry.
  auto drain = [&] {
    while (ok && !stack.empty()) {
      while (ok && !stack.empty()) {
        Object* object = stack.back();
        stack.pop_back();
        ok = Trace(object, reach, /*finish=*/false);
      }
      if (ok) reach.Finish();
    }
  };
  try {
    for (Object* object : overcounted) {
      if (reach.Unmarked(object)) reach.MarkAndStack(object);
    }
    drain();
    for (size_t i = from; ok && i < objects.size(); ++i) {
      Object* object = objects[i];
      if (object == nullptr || !ObjectBits::IsUnreached(ObjectBits::Of(*object))) {
        continue;
      }
      if (HeaderOf(object)->gc_refs == 0) {
        if (unreached != nullptr) unreached->push_back(object);  // reserved
        continue;
      }
      reach.MarkAndStack(object);
      drain();
    }
  } catch (const std::bad_alloc&) {
    heap_.ReportError("gc: collection abandoned: out of memory");
    ok = false;
  }
  stack.clear();
  return ok;
}

}  // namespace gc::internal
