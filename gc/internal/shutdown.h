// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/shutdown.h
// -----------------------------------------------------------------------------
//
// What a heap's destructor says of the objects that survive its last
// collection (`gc::ShutdownReport`): how many there are, by type if asked,
// and how many of them form reference cycles. Once untracked, such a cycle is
// never collected: it leaks as soon as its last outside reference goes, so
// the report says so.

#ifndef CYCLEGC_GC_INTERNAL_SHUTDOWN_H_
#define CYCLEGC_GC_INTERNAL_SHUTDOWN_H_

#include <cstdint>
#include <vector>

#include "gc/ref.h"

namespace gc::internal {

class HeapState;

// Reports the tracked objects of `heap` (after the destructor's last
// collection: every one is referenced from outside) through its report sink,
// as its shutdown_report setting says. Linear in the objects and their edges,
// iterative. Never throws.
void ReportSurvivors(HeapState& heap);

// Reports the uncollectable objects that the last collection of `heap`
// left in `garbage` (its Garbage(), taken from it): their number, or, with
// kDebugUncollectable, each of them. Nothing with kDebugSaveAll (they were
// kept on purpose). Never throws.
void ReportShutdownGarbage(const HeapState& heap,
                           const std::vector<Ref<Object>>& garbage);

// How many of the tracked objects of `heap` lie on a reference cycle among
// them (a strongly connected component of two or more objects, or an object
// that references itself). May throw std::bad_alloc.
int64_t CountObjectsOnCycles(HeapState& heap);

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_SHUTDOWN_H_
