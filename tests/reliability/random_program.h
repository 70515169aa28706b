// Copyright 2026 The cyclegc Authors.
//
// File: tests/reliability/random_program.h
// -----------------------------------------------------------------------------
//
// Random programs over cyclegc's public API, run side by side with a model of
// the heap (oracle.h) that says what must happen. One decoder turns bytes into
// operations; a seed gives bytes (ProgramForSeed), and so does the fuzzer, so
// the differential test, the soak binary and the fuzz target run the very same
// programs.
//
// A program allocates tracked and untracked objects (some with finalizers
// that resurrect their object or allocate, some with ordered destruction),
// adds and removes edges, holds and drops external references, makes, re-points
// and locks weak references (with callbacks, some held inside objects),
// freezes and unfreezes, changes thresholds and debug flags, drops entries of
// Garbage() and of the list resurrected objects live in, and collects any
// generation; automatic collections run when the thresholds say so. Each heap
// runs with kDebugVerify.
//
// After every operation everything observable must agree with the oracle:
// which objects are alive (each destructor ran exactly once, when the oracle
// says), reference counts, edges, finalizer runs, tracked and finalized
// flags, generations and the permanent generation, counts, collection
// results (what each collection callback saw and what Collect() returned),
// per-generation statistics, Garbage() and the saved list, weak references
// (expired exactly when the oracle cleared them) and weak callbacks (each ran
// when and as often as the oracle says), LiveObjects(), and no error reports.
// At the end the program drops every reference; collections must then free
// every object, and the heap's allocator must have no memory out.
//
// Example:
//
//   ProgramStats stats;
//   absl::Status status = RunProgram(ProgramForSeed(42), &stats);

#ifndef CYCLEGC_TESTS_RELIABILITY_RANDOM_PROGRAM_H_
#define CYCLEGC_TESTS_RELIABILITY_RANDOM_PROGRAM_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace gc_reliability {

// The longest program ProgramForSeed makes by default (about 3 bytes per
// operation).
inline constexpr size_t kDefaultProgramBytes = 512;

// Reads a program's choices; zeros once the bytes run out.
class ByteReader {
 public:
  explicit ByteReader(absl::Span<const uint8_t> bytes) : bytes_(bytes) {}
  bool done() const { return position_ >= bytes_.size(); }
  uint8_t Next() { return done() ? 0 : bytes_[position_++]; }

 private:
  absl::Span<const uint8_t> bytes_;
  size_t position_ = 0;
};

// The program of `seed`: between 16 and `max_bytes` pseudo-random bytes
// (splitmix64), the same on every platform.
std::vector<uint8_t> ProgramForSeed(uint64_t seed,
                                    size_t max_bytes = kDefaultProgramBytes);

// How to run a program.
struct ProgramOptions {
  // The heap's allocator throws std::bad_alloc at its n-th allocation (1 is
  // the first); -1: never. The oracle knows which allocation fails: a
  // gc::Make that fails must throw to its caller and change nothing, a
  // failing gc::Make inside Finalize() must be reported and dropped.
  int64_t fail_allocation = -1;
  // The heap keeps its default allocator (the per-heap free lists, which
  // every user and benchmark takes) instead of the counting one; then no
  // allocation fails and `fail_allocation` must be -1.
  bool default_allocator = false;
};

// What the programs did, summed over runs.
struct ProgramStats {
  int64_t programs = 0;
  int64_t operations = 0;
  int64_t objects = 0;
  int64_t collections = 0;  // automatic and by hand
  int64_t collected = 0;
  int64_t uncollectable = 0;
  int64_t finalized = 0;
  int64_t weak_callbacks = 0;
  int64_t allocations = 0;  // by the heap's allocator
  int64_t failed_allocations = 0;

  void Add(const ProgramStats& other);
  std::string ToString() const;
};

// Runs the program encoded by `bytes` on a fresh heap and the oracle. OK, or
// the first disagreement followed by the trace of the program's operations.
// Adds what it did to `*stats` (if not null).
absl::Status RunProgram(absl::Span<const uint8_t> bytes,
                        ProgramStats* stats = nullptr,
                        const ProgramOptions& options = {});

// The operations of the program encoded by `bytes`, one per line (what
// RunProgram appends to a failure).
std::string DescribeProgram(absl::Span<const uint8_t> bytes);

// While it lives, a crash (abort, a fatal signal, a sanitizer report) first
// prints `what` to stderr, e.g. the seed that reproduces the program.
class CrashContext {
 public:
  explicit CrashContext(const std::string& what);
  CrashContext(const CrashContext&) = delete;
  CrashContext& operator=(const CrashContext&) = delete;
  ~CrashContext();
};

}  // namespace gc_reliability

#endif  // CYCLEGC_TESTS_RELIABILITY_RANDOM_PROGRAM_H_
