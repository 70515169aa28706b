// Copyright 2026 The cyclegc Authors.
//
// Soak of the random programs with the pause budget on (budget_program.h):
//   bazel run --config=opt //tests/reliability:budget_soak -- --programs=100000
//   bazel run //tests/reliability:budget_soak -- --seed=42 --programs=1
// Stops at the first failure, printing it (and the seed that reproduces it).

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/reliability/budget_program.h"
#include "tests/reliability/random_program.h"

int main(int argc, char** argv) {
  uint64_t seed = 1;
  int64_t programs = 100'000;
  int operations = 300;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    bool ok = false;
    if (absl::StartsWith(arg, "--seed=")) {
      ok = absl::SimpleAtoi(arg.substr(7), &seed);
    } else if (absl::StartsWith(arg, "--programs=")) {
      ok = absl::SimpleAtoi(arg.substr(11), &programs);
    } else if (absl::StartsWith(arg, "--operations=")) {
      ok = absl::SimpleAtoi(arg.substr(13), &operations);
    }
    if (!ok) {
      std::fprintf(stderr,
                   "usage: budget_soak [--seed=N] [--programs=N] "
                   "[--operations=N]\n");
      return 2;
    }
  }
  gc_reliability::BudgetProgramStats stats;
  const absl::Time start = absl::Now();
  for (int64_t i = 0; i < programs; ++i, ++seed) {
    gc_reliability::CrashContext context(
        "budget program seed " + std::to_string(seed) +
        " (bazel run //tests/reliability:budget_soak -- --seed=" +
        std::to_string(seed) + " --programs=1)");
    const absl::Status status =
        gc_reliability::RunBudgetProgram(seed, &stats, operations);
    if (!status.ok()) {
      std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
      return 1;
    }
    if ((i + 1) % 10'000 == 0) {
      std::printf("%s (%.0fs)\n", stats.ToString().c_str(),
                  absl::ToDoubleSeconds(absl::Now() - start));
      std::fflush(stdout);
    }
  }
  std::printf("%s\n", stats.ToString().c_str());
  return 0;
}
