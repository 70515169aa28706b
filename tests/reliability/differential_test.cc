// Copyright 2026 The cyclegc Authors.
//
// Differential random testing: thousands of random programs over the public
// API, each run side by side with the oracle (random_program.h). A failure
// prints the seed, the first disagreement and the program's operations;
// reproduce with
//   bazel run //tests/reliability:soak -- --seed=SEED --programs=1

#include <dirent.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/reliability/random_program.h"

namespace gc_reliability {
namespace {

constexpr int64_t kPrograms = 10'000;

// CYCLEGC_RANDOM_SEED moves the seeds the test tries (default 1).
uint64_t FirstSeed() {
  const char* text = std::getenv("CYCLEGC_RANDOM_SEED");
  uint64_t seed = 1;
  if (text != nullptr && !absl::SimpleAtoi(text, &seed)) {
    ADD_FAILURE() << "CYCLEGC_RANDOM_SEED is not a number: " << text;
  }
  return seed;
}

// Runs the programs of seeds [first, first + count) with `options`.
ProgramStats RunSeeds(uint64_t first, int64_t count, size_t max_bytes,
                      const ProgramOptions& options) {
  ProgramStats stats;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    CrashContext context(absl::StrCat(
        "random program seed ", seed,
        options.default_allocator ? " on the default allocator" : "",
        " (bazel run //tests/reliability:soak -- --max_bytes=", max_bytes,
        options.default_allocator ? " --default_allocator" : "",
        " --seed=", seed, " --programs=1)"));
    const absl::Status status =
        RunProgram(ProgramForSeed(seed, max_bytes), &stats, options);
    EXPECT_TRUE(status.ok()) << "seed " << seed << ": " << status.message();
    if (!status.ok()) break;
  }
  std::printf("%s\n", stats.ToString().c_str());
  return stats;
}

// The programs reach every kind of event the oracle models.
void ExpectEveryKindOfEvent(const ProgramStats& stats) {
  EXPECT_EQ(stats.programs, kPrograms);
  EXPECT_GT(stats.collections, kPrograms);
  EXPECT_GT(stats.collected, 0);
  EXPECT_GT(stats.uncollectable, 0);
  EXPECT_GT(stats.finalized, 0);
  EXPECT_GT(stats.weak_callbacks, 0);
}

TEST(DifferentialTest, RandomProgramsAgreeWithTheOracle) {
  const ProgramStats stats =
      RunSeeds(FirstSeed(), kPrograms, kDefaultProgramBytes, {});
  ExpectEveryKindOfEvent(stats);
  EXPECT_GT(stats.allocations, 0);  // all of them by the counting allocator
}

// The same programs on the path every user takes: the heap's free lists.
TEST(DifferentialTest, RandomProgramsAgreeWithTheOracleOnTheDefaultAllocator) {
  ProgramOptions options;
  options.default_allocator = true;
  const ProgramStats stats =
      RunSeeds(FirstSeed(), kPrograms, kDefaultProgramBytes, options);
  ExpectEveryKindOfEvent(stats);
  EXPECT_EQ(stats.allocations, 0);  // none by the counting allocator
}

TEST(DifferentialTest, LongProgramsAgreeWithTheOracle) {
  for (bool default_allocator : {false, true}) {
    ProgramOptions options;
    options.default_allocator = default_allocator;
    EXPECT_EQ(RunSeeds(1'000'000, 200, 8192, options).programs, 200);
  }
}

// The fuzzer's seed corpus doubles as regression inputs.
TEST(DifferentialTest, CorpusProgramsAgreeWithTheOracle) {
  const std::string dir = "tests/reliability/corpus";
  DIR* handle = opendir(dir.c_str());
  ASSERT_NE(handle, nullptr) << "no corpus at " << dir;
  int files = 0;
  while (dirent* entry = readdir(handle)) {
    const std::string name = entry->d_name;
    if (name.empty() || name[0] == '.') continue;
    std::ifstream file(dir + "/" + name, std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                                     std::istreambuf_iterator<char>());
    CrashContext context("corpus program " + name);
    for (bool default_allocator : {false, true}) {
      ProgramOptions options;
      options.default_allocator = default_allocator;
      const absl::Status status = RunProgram(bytes, nullptr, options);
      EXPECT_TRUE(status.ok())
          << name << (default_allocator ? " (default allocator)" : "") << ": "
          << status.message();
    }
    ++files;
  }
  closedir(handle);
  EXPECT_GT(files, 0);
}

TEST(DifferentialTest, SeedsAreReproducible) {
  EXPECT_EQ(ProgramForSeed(7), ProgramForSeed(7));
  EXPECT_NE(ProgramForSeed(7), ProgramForSeed(8));
  const std::vector<uint8_t> bytes = ProgramForSeed(7);
  EXPECT_EQ(DescribeProgram(bytes), DescribeProgram(bytes));
}

TEST(DifferentialTest, ExhaustedBytesEndTheProgram) {
  EXPECT_TRUE(RunProgram({}).ok());
  const std::vector<uint8_t> one = {0};
  EXPECT_TRUE(RunProgram(one).ok());
}

}  // namespace
}  // namespace gc_reliability
