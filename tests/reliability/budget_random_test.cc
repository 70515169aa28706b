// Copyright 2026 The cyclegc Authors.
//
// Random programs with the pause budget on (budget_program.h): as many as the
// differential test runs of its own; the soak (budget_soak) runs more.
// Reproduce a failure with
//   bazel run //tests/reliability:budget_soak -- --seed=SEED --programs=1

#include <cstdint>
#include <cstdio>

#include "gtest/gtest.h"
#include "tests/reliability/budget_program.h"
#include "tests/reliability/random_program.h"

namespace gc_reliability {
namespace {

constexpr int64_t kPrograms = 10'000;

TEST(BudgetRandomTest, RandomProgramsKeepThePauseBudgetRules) {
  BudgetProgramStats stats;
  for (uint64_t seed = 1; seed <= kPrograms; ++seed) {
    CrashContext context("budget program seed " + std::to_string(seed));
    const absl::Status status = RunBudgetProgram(seed, &stats);
    ASSERT_TRUE(status.ok()) << status.message();
  }
  std::printf("%s\n", stats.ToString().c_str());
  // The programs reach what the rules are about.
  EXPECT_EQ(stats.programs, kPrograms);
  EXPECT_GT(stats.rounds, kPrograms);
  EXPECT_GT(stats.pauses, 10 * stats.rounds / 4);
  EXPECT_GT(stats.collected, 0);
  EXPECT_GT(stats.revived, 0);
  EXPECT_GT(stats.resurrected, 0);
}

}  // namespace
}  // namespace gc_reliability
