// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/verifier.h
// -----------------------------------------------------------------------------
//
// The heap verifier (kDebugVerify). A young collection verifies generations 0
// and 1 and the collector's own lists; a full collection verifies all lists
// and every weak reference list. Like CPython's validate_list, each check
// states which invariants hold at one point of the collection protocol
// (gc/internal/collector.h), and so documents them:
//
//   | where                | invariants checked                               |
//   |----------------------|--------------------------------------------------|
//   | kBetweenCollections  | every list: slot i holds an object whose bits    |
//   |                      | name the list and this heap, whose GcHeader      |
//   |                      | index is i, that is not dying nor marked;        |
//   |                      | tombstone counts match; a running compaction's   |
//   |                      | gap is empty; generation boundaries              |
//   |                      | are ordered; the unreachable and born lists are  |
//   |                      | empty; every weak reference list is linked both  |
//   |                      | ways and points at its object                    |
//   | kAfterGather         | the above, and the candidates start where        |
//   |                      | generation g starts                              |
//   | kAfterSplit          | the above, except that the unreachable list      |
//   |                      | holds the garbage (unmarked) and the born list   |
//   |                      | what finalizers made                             |
//   | kBeforeSweep         | the above, except that the garbage is still in   |
//   |                      | the generations, marked (and nothing else is),   |
//   |                      | and the unreachable list is empty (garbage       |
//   |                      | broken in place)                                 |
//
// A broken invariant is heap corruption: the verifier prints what it found
// and aborts. `CheckTraceCoverage` is a diagnostic, not a check: it scans
// each working object's own bytes (sizeof its type, word-aligned; objects
// made while kDebugVerify was set) for pointers to other working objects that
// its Trace did not report (a Trace that misses a `Ref` member, or a raw
// pointer), and notes a Trace that visits one slot twice; it warns through
// the error reporter, once per type and heap. It cannot see references held
// outside the object's own bytes (container buffers, std::function captures,
// untracked objects). `CheckHeapCrossing` reports references between heaps,
// which the library does not support (a heap and its objects belong to one
// thread), once per pair of types and heap.

#ifndef CYCLEGC_GC_INTERNAL_VERIFIER_H_
#define CYCLEGC_GC_INTERNAL_VERIFIER_H_

#include <cstdint>

namespace gc::internal {

class HeapState;

enum class VerifyPoint {
  kBetweenCollections,
  kAfterGather,
  kAfterSplit,
  kBeforeSweep
};

// Fails loudly if `heap` breaks the invariants of `point`.
// `marked`: how many objects of the generations are marked (kBeforeSweep:
// the garbage; 0 elsewhere).
void VerifyHeap(const HeapState& heap, VerifyPoint point, int generation,
                int64_t marked = 0);

// Warns about references hidden from Trace among the candidates.
void CheckTraceCoverage(HeapState& heap);

// Reports (once per collection) a working object that references an object
// of another heap.
void CheckHeapCrossing(HeapState& heap);

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_VERIFIER_H_
