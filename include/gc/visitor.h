// Copyright 2026 The cyclegc Authors.
//
// File: gc/visitor.h
// -----------------------------------------------------------------------------
//
// `gc::Visitor` is what an object's `Trace` reports its strong edges to. The
// collector passes different visitors to `Trace`: one subtracts internal
// references, one marks what is reachable, one resets the references of
// garbage to break its cycles, one lists referents. A `Trace` therefore only
// calls `Visit`, once per owned `gc::Ref`, and never assumes which visitor it
// has.
//
// Example:
//
//   void Trace(gc::Visitor& visitor) override {
//     visitor.Visit(parent);                         // may be null
//     for (gc::Ref<Node>& child : children) visitor.Visit(child);
//   }
//
// `Visit` accepts a `Ref` to any managed type, tracked or not, and null ones.

#ifndef CYCLEGC_INCLUDE_GC_VISITOR_H_
#define CYCLEGC_INCLUDE_GC_VISITOR_H_

#include <cstddef>

#include "absl/base/optimization.h"
#include "gc/object.h"
#include "gc/ref.h"

namespace gc {

class Visitor {
 public:
  // Reports the strong edge held in `ref`. The visitor may reset `ref` (when
  // it breaks a garbage cycle). Cheap: it only notes the slot; the visitor
  // processes noted slots in batches.
  template <typename T>
  void Visit(Ref<T>& ref) {
    if (ref.ptr_ != nullptr) {
      if (ABSL_PREDICT_FALSE(count_ == kBatchSize)) Flush();
      batch_[count_++] = &ref.ptr_;
    }
  }

 protected:
  static constexpr size_t kBatchSize = 64;

  Visitor() = default;
  Visitor(const Visitor&) = delete;
  Visitor& operator=(const Visitor&) = delete;
  ~Visitor() = default;

  // Hands the noted slots to VisitEdges and forgets them. Whoever calls
  // Trace calls Flush before using what the visitor found.
  void Flush() {
    if (count_ == 0) return;
    const size_t count = count_;
    count_ = 0;
    VisitEdges(batch_, count);
  }

  // Called with the slots of the references visited, in order: non-null
  // when visited, though an earlier slot's handling may have reset a slot
  // visited twice.
  virtual void VisitEdges(Object** const* slots, size_t count) = 0;

 private:
  Object** batch_[kBatchSize];
  size_t count_ = 0;
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_VISITOR_H_
