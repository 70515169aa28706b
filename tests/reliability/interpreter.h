// Copyright 2026 The cyclegc Authors.
//
// File: tests/reliability/interpreter.h
// -----------------------------------------------------------------------------
//
// Runs one random program (random_program.h) on a fresh heap and on the
// oracle. Each operation method changes both the same way, then `Check`
// compares them. Operations on objects take oracle ids; -1 (no live object to
// pick) makes most of them do nothing.
//
// Invariants:
//   * Until the first failure, the oracle and the heap agree after every
//     operation; the interpreter holds no reference that the oracle does not
//     know of between operations.
//   * After a failure no operation runs; the destructor drops everything.

#ifndef CYCLEGC_TESTS_RELIABILITY_INTERPRETER_H_
#define CYCLEGC_TESTS_RELIABILITY_INTERPRETER_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "gc/gc.h"
#include "tests/reliability/oracle.h"
#include "tests/reliability/program_world.h"
#include "tests/reliability/random_program.h"

namespace gc_reliability {

inline constexpr int kRoots = 6;
inline constexpr int kWeaks = 4;
inline constexpr int64_t kMaxLive = 40;

// The heap's allocator: ::operator new, except that the n-th allocation
// throws std::bad_alloc. Counts what is out.
class ScheduledAllocator : public gc::Allocator {
 public:
  explicit ScheduledAllocator(int64_t fail_at) : fail_at_(fail_at) {}
  void* Allocate(std::size_t size) override;
  void Deallocate(void* memory) noexcept override;
  int64_t allocations() const { return allocations_; }
  int64_t failed() const { return failed_; }
  int64_t outstanding() const { return outstanding_; }

 private:
  int64_t fail_at_;
  int64_t allocations_ = 0;
  int64_t failed_ = 0;
  int64_t outstanding_ = 0;
};

class Interpreter {
 public:
  explicit Interpreter(const ProgramOptions& options);
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;
  ~Interpreter();

  // Runs the program and its teardown; stops at the first disagreement.
  absl::Status Run(absl::Span<const uint8_t> bytes, ProgramStats& stats);
  const std::vector<std::string>& trace() const { return trace_; }

 private:
  bool ok() const { return failure_.empty(); }
  void Fail(std::string message);
  void Log(std::string line);

  // Decodes and runs one operation (random_program.cc).
  void Step(ByteReader& in);

  // Operations (interpreter.cc).
  int PickLive(uint8_t choice) const;
  TestObject* Raw(int id);
  // kind 0: untracked, 1: Tracked, 2: Finalizable, 3: Ordered,
  // 4: FinalizableOrdered. Stores the object in root `slot`, or in `holder`'s
  // edges if holder >= 0.
  void Make(int kind, FinalAction action, int slot, int holder);
  gc::Ref<gc::Object> MakeKind(int kind, int id, FinalAction action, int child);
  void AddEdge(int from, int to);
  void RemoveEdge(int from, uint8_t choice);
  void SetRoot(int slot, int id);
  void AssignWeak(int slot, int target, bool with_callback);
  void RepointWeak(int slot, int target);
  void LockWeak(int slot, int root);
  void InnerWeak(int holder, int target);
  void SetOrdered(int id, bool ordered);
  void Collect(int generation);
  void SetThreshold(std::array<int64_t, 3> threshold);
  void SetEnabled(bool enabled);
  void Freeze(bool freeze);
  void DropListEntry(bool garbage, uint8_t choice);
  void SetDebugFlags(uint8_t choice);
  // Drops every reference, then collects until nothing is left.
  void Teardown();

  // Compares the heap with the oracle (checker.cc).
  void Check();
  void CheckObjects();
  void CheckReferences();
  void CheckHeap();

  gc::WeakRef<gc::Object> NewWeak(int target, int token);

  World world_;                   // outlives the heap
  ScheduledAllocator allocator_;  // outlives the objects
  gc::Heap heap_;
  gc::HeapScope scope_;
  Oracle oracle_;
  std::array<gc::Ref<gc::Object>, kRoots> roots_;
  std::array<gc::WeakRef<gc::Object>, kWeaks> weaks_;
  std::vector<std::string> trace_;
  std::string failure_;
};

}  // namespace gc_reliability

#endif  // CYCLEGC_TESTS_RELIABILITY_INTERPRETER_H_
