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

// The batching of trial deletion's visitors: a batch's edge targets are
// prefetched, then held while the batch before is handled
// (`Derived::Handle(targets, count)`), so that a whole batch of tracing lies
// between a target's prefetch and its use. Finish handles both.
template <typename Derived>
class HeldBatchVisitor : public Visitor {
 public:
  void Finish() {
    Flush();
    Handled(count_held_);
    count_held_ = 0;
  }

 private:
  void VisitEdges(Object** const* slots, size_t count) override {
    Object** next = targets_[held_ ^ 1];
    for (size_t i = 0; i < count; ++i) {
      next[i] = *slots[i];
      __builtin_prefetch(next[i], 1);
    }
    Handled(count_held_);
    held_ ^= 1;
    count_held_ = count;
  }
  void Handled(size_t count) {
    static_cast<Derived*>(this)->Handle(targets_[held_], count);
  }

  Object* targets_[2][kBatchSize];
  unsigned held_ = 0;
  size_t count_held_ = 0;
};

// Step 3: lowers the scratch count of every visited candidate. A candidate's
// count lives in its GcHeader's second word (gc_refs), set from its refcount
// the first time the collection meets it (marked kUnreached then), so there
// is no separate pass to copy refcounts. That word is the object's weak cell
// or round member index outside trial deletion (gc/internal/gc_header.h): a
// candidate with either (kHasWeak or kInRound) has it saved in `saved`
// first, and ComputeReachable puts it back. Handles the edges of many
// objects per batch (HeldBatchVisitor).
class SubtractVisitor final : public HeldBatchVisitor<SubtractVisitor> {
 public:
  // Candidates: the objects of `list` from slot `from` on.
  SubtractVisitor(const HeapState& heap, ListId list, size_t from,
                  std::vector<SavedWord>& saved)
      : match_(list | heap.id_bits), from_(from), saved_(saved) {}

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
  friend class HeldBatchVisitor<SubtractVisitor>;
  // (The order of the subtractions does not change their result.)
  void Handle(Object* const* targets, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      Object* object = targets[i];
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

// Step 4's visitor. A visited candidate still marked kUnreached is reached:
// either it is left to the scan of the candidates in list order, which
// traces it when it gets there (it is ahead of the scan: its scratch count is
// made nonzero, as an object referenced from outside has it, and kUnreached
// stays set until the scan), or it is unmarked and stacked, to be traced now
// (depth first). The first keeps a heap linked in allocation order
// sequential; the second keeps an object's trace next to its first touch
// when the links go anywhere. Handles the edges of many objects per batch
// (HeldBatchVisitor); which side of the scan a target is on is decided when
// its batch is handled.
class ReachVisitor final : public HeldBatchVisitor<ReachVisitor> {
 public:
  ReachVisitor(const HeapState& heap, ListId list, size_t from,
               std::vector<Object*>& stack)
      : marked_(list | heap.id_bits | ObjectBits::kUnreached),
        from_(from),
        scanned_(from),
        stack_(stack) {}

  // The scan has passed the slots below `slot`.
  void ScannedTo(size_t slot) { scanned_ = slot; }
  // From now on no reached object is left to the scan (all depth first).
  void StopLeavingAhead() { leave_ahead_ = false; }
  bool leaves_ahead() const { return leave_ahead_; }

 private:
  friend class HeldBatchVisitor<ReachVisitor>;
  void Handle(Object* const* targets, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      Object* object = targets[i];
      uint32_t& bits = ObjectBits::Of(*object);
      if ((bits & (kListAndHeapMask | kMarked)) != marked_) continue;
      GcHeader* header = HeaderOf(object);
      if (header->index < from_) continue;
      if (leave_ahead_ && header->index >= scanned_) {
        if (header->gc_refs == 0) header->gc_refs = 1;
        continue;
      }
      ObjectBits::SetReached(bits);
      stack_.push_back(object);
    }
  }

  uint32_t marked_;
  size_t from_;
  size_t scanned_;
  bool leave_ahead_ = true;
  std::vector<Object*>& stack_;
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
  std::vector<SavedWord>& saved = heap_.saved_words;
  saved.clear();  // keeps the capacity of earlier collections
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
//     in list order that traces each reached object once (ReachVisitor): an
//     object still marked when the pass meets it is noted in `unreached` (if
//     given; reserved by the caller), and may be reached later. Afterwards
//     exactly the objects reachable from outside are unmarked.
//   * False (the marks vary) if a Trace threw or memory ran out; reported.
bool Collection::MarkReachable(ListId list, size_t from,
                               const std::vector<Object*>& overcounted,
                               std::vector<Object*>* unreached) {
  std::vector<Object*>& objects = List(list);
  std::vector<Object*>& stack = heap_.mark_stack;
  stack.clear();
  ReachVisitor reach(heap_, list, from, stack);
  bool ok = true;
  // Traces the stacked objects without finishing, so that one batch of edges
  // (prefetched together) spans many objects; flushes when the stack runs
  // dry.
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
  // Leaving reached objects to the scan pays out of cache, while the scan
  // finds most objects reached; once it meets more unreached ones than it
  // traced (the links do not follow the list, or much is garbage), the rest
  // of the pass goes depth first. Fewer candidates than kScanOrderMin fit in
  // the caches: depth first throughout (no flush before each unreached one).
  constexpr size_t kScanOrderMin = 16384;
  if (objects.size() - from < kScanOrderMin) reach.StopLeavingAhead();
  int64_t traced = 0;
  int64_t met_unreached = 0;
  try {
    for (Object* object : overcounted) {
      uint32_t& bits = ObjectBits::Of(*object);
      if (ObjectBits::IsUnreached(bits)) {
        ObjectBits::SetReached(bits);
        stack.push_back(object);
      }
    }
    drain();
    for (size_t i = from; ok && i < objects.size(); ++i) {
      Object* object = objects[i];
      if (object == nullptr) continue;
      uint32_t& bits = ObjectBits::Of(*object);
      if (!ObjectBits::IsUnreached(bits)) continue;  // traced already
      GcHeader* header = HeaderOf(object);
      if (header->gc_refs == 0 && reach.leaves_ahead()) {
        // Edges noted but not handled yet may reach it: handle them first.
        reach.ScannedTo(i);
        reach.Finish();
        drain();
        if (!ok) break;
        if (!ObjectBits::IsUnreached(bits)) continue;
        if (header->gc_refs == 0 && ++met_unreached > traced + 64) {
          reach.StopLeavingAhead();
        }
      }
      if (header->gc_refs == 0) {
        if (unreached != nullptr) unreached->push_back(object);  // reserved
        continue;
      }
      ObjectBits::SetReached(bits);
      if (reach.leaves_ahead()) {
        ++traced;
        reach.ScannedTo(i + 1);
        ok = Trace(object, reach, /*finish=*/false);
        if (ok && !stack.empty()) drain();
      } else {
        stack.push_back(object);
        drain();
      }
    }
    reach.ScannedTo(objects.size());  // everything is behind now
    if (ok) reach.Finish();
    drain();
  } catch (const std::bad_alloc&) {
    heap_.ReportError("gc: collection abandoned: out of memory");
    ok = false;
  }
  stack.clear();
  return ok;
}

}  // namespace gc::internal
