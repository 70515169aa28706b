// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/edge_visitor.h
// -----------------------------------------------------------------------------
//
// `EdgeVisitor<Fn>`: the library's visitors. `Fn` is called with each
// visited slot (`Object*&`, never null), in visiting order, when the batch
// is flushed: by `Finish()`, or when the batch fills during a Trace.
//
// Example:
//
//   EdgeVisitor count([&](Object*& slot) { ++edges; });
//   object->Trace(count);
//   count.Finish();

#ifndef CYCLEGC_GC_INTERNAL_EDGE_VISITOR_H_
#define CYCLEGC_GC_INTERNAL_EDGE_VISITOR_H_

#include <cstddef>
#include <utility>

#include "gc/object.h"
#include "gc/visitor.h"

namespace gc::internal {

template <typename Fn>
class EdgeVisitor final : public Visitor {
 public:
  explicit EdgeVisitor(Fn fn) : fn_(std::move(fn)) {}

  // Handles the edges noted so far.
  void Finish() { Flush(); }

 private:
  void VisitEdges(Object** const* slots, size_t count) override {
    for (size_t i = 0; i < count; ++i) {
      if (*slots[i] != nullptr) fn_(*slots[i]);
    }
  }

  Fn fn_;
};

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_EDGE_VISITOR_H_
