// Copyright 2026 The cyclegc Authors.
//
// The interpreter of random programs: decodes one operation at a time,
// applies it to the real heap and to the oracle, and compares (checker.cc).

#include "tests/reliability/random_program.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/reliability/interpreter.h"

namespace gc_reliability {
namespace {

// Operations and how often a random byte picks each.
enum class Op : uint8_t {
  kMakeTracked,
  kMakeUntracked,
  kAddEdge,
  kRemoveEdge,
  kSetRoot,
  kDropRoot,
  kAssignWeak,
  kRepointWeak,
  kLockWeak,
  kInnerWeak,
  kSetOrdered,
  kCollect,
  kSetThreshold,
  kToggleEnabled,
  kFreeze,
  kUnfreeze,
  kDropSaved,
  kDropGarbage,
  kSetDebug,
};

struct Weighted {
  Op op;
  int weight;
};

constexpr Weighted kOps[] = {
    {Op::kMakeTracked, 14}, {Op::kMakeUntracked, 3}, {Op::kAddEdge, 16},
    {Op::kRemoveEdge, 6},   {Op::kSetRoot, 5},       {Op::kDropRoot, 6},
    {Op::kAssignWeak, 3},   {Op::kRepointWeak, 2},   {Op::kLockWeak, 2},
    {Op::kInnerWeak, 3},    {Op::kSetOrdered, 2},    {Op::kCollect, 5},
    {Op::kSetThreshold, 2}, {Op::kToggleEnabled, 1}, {Op::kFreeze, 1},
    {Op::kUnfreeze, 1},     {Op::kDropSaved, 3},     {Op::kDropGarbage, 3},
    {Op::kSetDebug, 1},
};

constexpr int TotalWeight() {
  int total = 0;
  for (const Weighted& w : kOps) total += w.weight;
  return total;
}
static_assert(TotalWeight() <= 256);

Op DecodeOp(uint8_t byte) {
  int pick = byte % TotalWeight();
  for (const Weighted& w : kOps) {
    if (pick < w.weight) return w.op;
    pick -= w.weight;
  }
  return kOps[0].op;
}

constexpr FinalAction kActions[] = {
    FinalAction::kNothing, FinalAction::kResurrect, FinalAction::kAllocate};

}  // namespace

void Interpreter::Step(ByteReader& in) {
  const Op op = DecodeOp(in.Next());
  switch (op) {
    case Op::kMakeTracked:
    case Op::kMakeUntracked: {
      const int kind = op == Op::kMakeUntracked ? 0 : 1 + in.Next() % 4;
      const FinalAction action = kActions[in.Next() % 3];
      const uint8_t target = in.Next();
      // An even target byte names a root slot, an odd one a holder's edge.
      const int holder = target % 2 == 0 ? -1 : PickLive(in.Next());
      Make(kind, action, target / 2 % kRoots, holder);
      break;
    }
    case Op::kAddEdge: {
      const int from = PickLive(in.Next());
      AddEdge(from, PickLive(in.Next()));
      break;
    }
    case Op::kRemoveEdge: {
      const int from = PickLive(in.Next());
      RemoveEdge(from, in.Next());
      break;
    }
    case Op::kSetRoot: {
      const int slot = in.Next() % kRoots;
      SetRoot(slot, PickLive(in.Next()));
      break;
    }
    case Op::kDropRoot:
      SetRoot(in.Next() % kRoots, -1);
      break;
    case Op::kAssignWeak: {
      const int slot = in.Next() % kWeaks;
      const int target = PickLive(in.Next());
      AssignWeak(slot, target, in.Next() % 2 == 0);
      break;
    }
    case Op::kRepointWeak: {
      const int slot = in.Next() % kWeaks;
      const uint8_t choice = in.Next();
      RepointWeak(slot, choice % 4 == 0 ? -1 : PickLive(choice / 4));
      break;
    }
    case Op::kLockWeak: {
      const int slot = in.Next() % kWeaks;
      LockWeak(slot, in.Next() % kRoots);
      break;
    }
    case Op::kInnerWeak: {
      const int holder = PickLive(in.Next());
      InnerWeak(holder, PickLive(in.Next()));
      break;
    }
    case Op::kSetOrdered: {
      const int id = PickLive(in.Next());
      SetOrdered(id, in.Next() % 2 == 0);
      break;
    }
    case Op::kCollect:
      Collect(in.Next() % 3);
      break;
    case Op::kSetThreshold: {
      const int64_t t0 = in.Next() % 10;
      const int64_t t1 = in.Next() % 4;
      SetThreshold({t0, t1, in.Next() % 4});
      break;
    }
    case Op::kToggleEnabled:
      SetEnabled(!heap_.IsEnabled());
      break;
    case Op::kFreeze:
      Freeze(true);
      break;
    case Op::kUnfreeze:
      Freeze(false);
      break;
    case Op::kDropSaved:
      DropListEntry(/*garbage=*/false, in.Next());
      break;
    case Op::kDropGarbage:
      DropListEntry(/*garbage=*/true, in.Next());
      break;
    case Op::kSetDebug:
      SetDebugFlags(in.Next());
      break;
  }
}

absl::Status Interpreter::Run(absl::Span<const uint8_t> bytes,
                              ProgramStats& stats) {
  ByteReader in(bytes);
  while (!in.done() && ok()) {
    Step(in);
    ++stats.operations;
    Check();
  }
  if (ok()) Teardown();
  stats.objects += static_cast<int64_t>(oracle_.objects().size());
  for (const ModelStats& totals : oracle_.totals()) {
    stats.collections += totals.collections;
    stats.collected += totals.collected;
    stats.uncollectable += totals.uncollectable;
  }
  for (const ModelObject& object : oracle_.objects()) {
    stats.finalized += object.finalized ? 1 : 0;
  }
  for (int fired : oracle_.fired()) stats.weak_callbacks += fired;
  stats.allocations += allocator_.allocations();
  stats.failed_allocations += allocator_.failed();
  if (ok()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(failure_, "\nprogram (",
                                          trace_.size(), " operations):\n  ",
                                          absl::StrJoin(trace_, "\n  ")));
}

std::vector<uint8_t> ProgramForSeed(uint64_t seed, size_t max_bytes) {
  uint64_t state = seed;
  auto next = [&state] {  // splitmix64
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  const size_t min_bytes = std::min<size_t>(16, max_bytes);
  const size_t length =
      min_bytes + static_cast<size_t>(next() % (max_bytes - min_bytes + 1));
  std::vector<uint8_t> bytes(length);
  for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(next() >> 56);
  return bytes;
}

void ProgramStats::Add(const ProgramStats& other) {
  programs += other.programs;
  operations += other.operations;
  objects += other.objects;
  collections += other.collections;
  collected += other.collected;
  uncollectable += other.uncollectable;
  finalized += other.finalized;
  weak_callbacks += other.weak_callbacks;
  allocations += other.allocations;
  failed_allocations += other.failed_allocations;
}

std::string ProgramStats::ToString() const {
  return absl::StrCat(programs, " programs, ", operations, " operations, ",
                      objects, " objects, ", collections, " collections, ",
                      collected, " collected, ", uncollectable,
                      " uncollectable, ", finalized, " finalized, ",
                      weak_callbacks, " weak callbacks, ", allocations,
                      " allocations, ", failed_allocations, " failed");
}

absl::Status RunProgram(absl::Span<const uint8_t> bytes, ProgramStats* stats,
                        const ProgramOptions& options) {
  ProgramStats local;
  local.programs = 1;
  absl::Status status;
  {
    Interpreter interpreter(options);
    status = interpreter.Run(bytes, local);
  }
  if (stats != nullptr) stats->Add(local);
  return status;
}

std::string DescribeProgram(absl::Span<const uint8_t> bytes) {
  Interpreter interpreter({});
  ProgramStats unused;
  (void)interpreter.Run(bytes, unused);
  return absl::StrJoin(interpreter.trace(), "\n");
}

}  // namespace gc_reliability
