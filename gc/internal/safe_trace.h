// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/safe_trace.h
// -----------------------------------------------------------------------------
//
// The one way the library calls user `Trace` methods: a Trace may throw
// (std::bad_alloc from a visitor that grows a stack, or anything from user
// code), and the library's own state must stay consistent when it does.
//
//   * TryTrace: traces, and on an exception calls `on_throw` inside the catch
//     block (it may rethrow with `throw;`, or report the exception) and
//     returns false.
//   * Rethrow, RethrowOutOfMemory: `on_throw` for callers that pass the
//     exception on (introspection) or skip the object (the verifier).
//   * SafeTrace: TryTrace that reports the exception through the heap's
//     error reporter (the collector's way: the objects the Trace was to
//     report are kept; the leak-hunting graph's: the edges so far count).

#ifndef CYCLEGC_GC_INTERNAL_SAFE_TRACE_H_
#define CYCLEGC_GC_INTERNAL_SAFE_TRACE_H_

#include <new>
#include <string>

#include "gc/internal/heap_state.h"
#include "gc/object.h"

namespace gc::internal {

std::string Describe(const Object& object);

// Calls `object->Trace(visitor)` and, if `finish`, `visitor.Finish()`.
// Returns true if neither threw; else calls `on_throw()` inside the catch
// block and returns false (unless `on_throw` rethrows).
template <typename V, typename OnThrow>
bool TryTrace(Object* object, V& visitor, bool finish, OnThrow&& on_throw) {
  try {
    object->Trace(visitor);
    if (finish) visitor.Finish();
    return true;
  } catch (...) {
    on_throw();
  }
  return false;
}

// For TryTrace's `on_throw`: lets the exception being handled reach the
// caller (introspection: the user's own call gets the user's exception).
inline void Rethrow() { throw; }
// For TryTrace's `on_throw`: lets std::bad_alloc reach the caller and
// swallows anything else (checks that skip an object whose Trace throws,
// which the collection reports).
inline void RethrowOutOfMemory() {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (...) {
  }
}

// Reports the exception being handled, thrown while tracing `object`, through
// `heap`'s error reporter. Call only inside a catch block.
void ReportTraceException(const HeapState& heap, const Object& object);

// TryTrace, reporting an exception through `heap` (ReportTraceException).
template <typename V>
bool SafeTrace(const HeapState& heap, Object* object, V& visitor,
               bool finish = true) {
  return TryTrace(object, visitor, finish,
                  [&] { ReportTraceException(heap, *object); });
}

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_SAFE_TRACE_H_
