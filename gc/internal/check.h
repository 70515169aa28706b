// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/check.h
// -----------------------------------------------------------------------------
//
// The library's checks of itself and its one fatal-error path.
//
//   * CYCLEGC_DCHECK(condition): a REQUIRES or invariant of the library's own
//     code. Checked in test and debug builds (NDEBUG unset: `bazel test`,
//     fastbuild), compiled out in `-c opt` (NDEBUG set). A failure is a bug
//     in the library, never in the caller's code: it prints the condition and
//     where it is, and aborts.
//   * FatalError(message): the misuse the library cannot recover from (a heap
//     destroyed during its own collection, a second owner thread, a corrupt
//     heap found by the verifier, ...). Prints `message` to stderr and
//     aborts; never allocates beyond what `message` holds already.

#ifndef CYCLEGC_GC_INTERNAL_CHECK_H_
#define CYCLEGC_GC_INTERNAL_CHECK_H_

#include <string_view>

namespace gc::internal {

// Prints `message` (and a newline) to stderr and aborts.
[[noreturn]] void FatalError(std::string_view message);

// The failure of CYCLEGC_DCHECK.
[[noreturn]] void CheckFailed(const char* condition, const char* file,
                              int line);

}  // namespace gc::internal

#ifdef NDEBUG
// Compiled out, but still parsed (no unused-variable warnings either way).
#define CYCLEGC_DCHECK(condition) \
  do {                            \
    if (false && (condition)) {   \
    }                             \
  } while (false)
#else
#define CYCLEGC_DCHECK(condition)                                         \
  do {                                                                    \
    if (!(condition)) {                                                   \
      ::gc::internal::CheckFailed(#condition, __FILE__, __LINE__);        \
    }                                                                     \
  } while (false)
#endif

#endif  // CYCLEGC_GC_INTERNAL_CHECK_H_
