// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/collection.h
// -----------------------------------------------------------------------------
//
// One running collection of one heap (the steps of gc/internal/collector.h),
// shared by the files of the collector, one per part of the protocol:
//
//   collector.cc       RunCollection (steps 1 and 10), gathering the
//                      candidates and splitting them (step 2, after 4)
//   trial_deletion.cc  steps 3-4 (and their rerun in step 8)
//   garbage.cc         the handling of the garbage (steps 5-9)
//
// The meanings of the mark bit in each step are in gc/internal/object_bits.h.

#ifndef CYCLEGC_GC_INTERNAL_COLLECTION_H_
#define CYCLEGC_GC_INTERNAL_COLLECTION_H_

#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gc/heap.h"
#include "gc/internal/gc_header.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/object_bits.h"
#include "gc/internal/safe_trace.h"
#include "gc/visitor.h"

namespace gc::internal {

// Marks (toggles the mark bit of) every visited object of one list whose
// mark bit is `unmarked`, and stacks it. Step 4 reaches objects by clearing
// the mark that step 3 set (ObjectBits::kUnreached); step 5 marks by setting
// it (ObjectBits::kKeptForOrder).
class MarkVisitor final : public Visitor {
 public:
  MarkVisitor(const HeapState& heap, ListId list, size_t from,
              uint32_t unmarked, std::vector<Object*>& stack)
      : unmarked_(list | heap.id_bits | unmarked), from_(from), stack_(stack) {}

  void Finish() { Flush(); }
  bool Unmarked(Object* object) const {
    return (ObjectBits::Of(*object) & (kListAndHeapMask | kMarked)) ==
           unmarked_;
  }
  void MarkAndStack(Object* object) {
    ObjectBits::Of(*object) ^= kMarked;
    stack_.push_back(object);
  }

 private:
  // The targets are prefetched first: a batch holds the edges of many
  // objects when the caller traces without finishing (see MarkReachable).
  void VisitEdges(Object** const* slots, size_t count) override {
    for (size_t i = 0; i < count; ++i) __builtin_prefetch(*slots[i], 1);
    for (size_t i = 0; i < count; ++i) {
      Object* object = *slots[i];
      if (Unmarked(object) && HeaderOf(object)->index >= from_) {
        MarkAndStack(object);
      }
    }
  }

  uint32_t unmarked_;
  size_t from_;
  std::vector<Object*>& stack_;
};

class Collection {
 public:
  Collection(HeapState& heap, int generation)
      : heap_(heap),
        generation_(generation),
        begin_(heap.GenerationBegin(generation)) {}
  // A verification of a round (gc/internal/round.h): the candidates are the
  // generations' slots from `begin` on, whatever generation they are in;
  // the long-lived counters are left to the end of the round.
  Collection(HeapState& heap, size_t begin)
      : heap_(heap), generation_(2), begin_(begin), partial_(true) {}

  // Runs steps 2-9 and fills `info`'s counts.
  void Run(CollectionInfo& info);

 private:
  std::vector<Object*>& List(ListId list) { return heap_.lists[list]; }

  // Traces `object` (SafeTrace: a Trace that throws is reported) and, if
  // `finish`, handles its edges now. False if that threw.
  template <typename V>
  bool Trace(Object* object, V& visitor, bool finish = true) {
    return SafeTrace(heap_, object, visitor, finish);
  }

  // collector.cc: step 2 and the split after step 4.
  bool Gather();
  int64_t CountCandidates();
  int64_t FindGarbage();
  bool NeedsFullProtocol() const;

  // trial_deletion.cc: steps 3-4.
  bool ComputeReachable(ListId list, size_t from,
                        std::vector<Object*>* unreached);
  bool SubtractInternalRefs(ListId list, size_t from,
                            std::vector<SavedWord>& saved,
                            std::vector<Object*>& overcounted);
  void ReportOvercounted(const std::vector<Object*>& overcounted);
  bool MarkReachable(ListId list, size_t from,
                     const std::vector<Object*>& overcounted,
                     std::vector<Object*>* unreached);

  // garbage.cc: steps 5-9.
  int64_t HandleGarbage(CollectionInfo& info);
  void MoveToSurvivors(Object* object);
  void LinkUnreachable();
  int64_t SaveUncollectable();
  bool MarkOrderedFrom(Object* object, MarkVisitor& mark);
  void ReportCollectable();
  void ClearWeakRefs();
  bool RunFinalizers();
  void KeepResurrected();
  int64_t BreakCycles();
  int64_t BreakCyclesInPlace(bool verify);
  void ClearAll(const std::vector<Object*>& objects);
  void KeepGarbage(Object* object);

  HeapState& heap_;
  const int generation_;
  const size_t begin_;  // first candidate slot in lists[kListGenerations]
  const bool partial_ = false;  // a round's verification
  // The union of the garbage's header bits: passes over the garbage that
  // have nothing to do (no weak references, no finalizer, no ordered
  // destruction) are skipped.
  uint32_t garbage_bits_ = 0;
};

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_COLLECTION_H_
