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

#include "gc/object.h"
#include "gc/ref.h"

namespace gc {

class Visitor {
 public:
  // Reports the strong edge held in `ref`. The visitor may reset `ref` (when
  // it breaks a garbage cycle).
  template <typename T>
  void Visit(Ref<T>& ref) {
    if (ref.ptr_ != nullptr) VisitEdge(ref.ptr_);
  }

 protected:
  Visitor() = default;
  Visitor(const Visitor&) = delete;
  Visitor& operator=(const Visitor&) = delete;
  ~Visitor() = default;

  // Called with the slot of each non-null reference.
  virtual void VisitEdge(Object*& slot) = 0;
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_VISITOR_H_
