// Copyright 2026 The cyclegc Authors.
//
// File: tests/reliability/budget_program.h
// -----------------------------------------------------------------------------
//
// Random programs with the pause budget on (API.md, "Pause budget"): rounds
// of full collections sliced into pauses (ScheduleCollection, Step, and the
// automatic collections that follow), interleaved with every mutation a
// program can make between pauses: allocating, adding edges, moving `Ref`s
// between objects, dropping roots (the last reference to objects the round
// has examined), locking weak references (reviving garbage), finalizers
// that resurrect their object, freezing, collecting by hand, changing the
// budget.
//
// The exact timing of a sliced collection depends on the clock, so instead
// of the step-by-step oracle of random_program.h these programs check the
// rules that hold whatever the timing:
//   * nothing reachable from the program's roots (or from what finalizers
//     saved) is ever freed: the check walks the real graph, and every
//     pointer it meets must be one of the live objects;
//   * a weak reference expires only when its object is no longer reachable;
//   * when a round finishes, everything that was unreachable when it started
//     is gone, unless it was made reachable again (a WeakRef::Lock, or a
//     finalizer, of it or of what reached it) meanwhile;
//   * at the end, when the roots are dropped and Collect() runs, every object
//     is freed.
//
// Example:
//
//   absl::Status status = RunBudgetProgram(seed, &stats);

#ifndef CYCLEGC_TESTS_RELIABILITY_BUDGET_PROGRAM_H_
#define CYCLEGC_TESTS_RELIABILITY_BUDGET_PROGRAM_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace gc_reliability {

struct BudgetProgramStats {
  int64_t programs = 0;
  int64_t operations = 0;
  int64_t rounds = 0;       // rounds finished
  int64_t pauses = 0;       // pauses of rounds
  int64_t collected = 0;    // by pauses of rounds
  int64_t revived = 0;      // garbage made reachable again during a round
  int64_t resurrected = 0;  // finalizers that resurrected their object

  void Add(const BudgetProgramStats& other);
  std::string ToString() const;
};

// Runs the program of `seed` (about `operations` operations) on a fresh
// heap; OK, or the first broken rule with the seed and operation number.
absl::Status RunBudgetProgram(uint64_t seed, BudgetProgramStats* stats,
                              int operations = 300);

}  // namespace gc_reliability

#endif  // CYCLEGC_TESTS_RELIABILITY_BUDGET_PROGRAM_H_
