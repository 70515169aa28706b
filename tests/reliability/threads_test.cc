// Copyright 2026 The cyclegc Authors.
//
// Several threads, each with its own heap, at once: random programs checked
// against the oracle, and garbage built and collected. Runs under
// ThreadSanitizer in tools/test.sh (tag "threads").

#include <cstdint>
#include <thread>
#include <vector>

#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/reliability/random_program.h"
#include "tests/reliability/stress.h"

namespace gc_reliability {
namespace {

constexpr int kThreads = 4;

TEST(ThreadsTest, RandomProgramsOnSeveralThreadsAgreeWithTheOracle) {
  constexpr int kProgramsPerThread = 500;
  std::vector<std::string> failures(kThreads);
  std::vector<ProgramStats> stats(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures, &stats] {
      const uint64_t first = 2'000'000 + t * kProgramsPerThread;
      for (uint64_t seed = first; seed < first + kProgramsPerThread; ++seed) {
        const absl::Status status = RunProgram(ProgramForSeed(seed), &stats[t]);
        if (!status.ok()) {
          failures[t] = "seed " + std::to_string(seed) + ": " +
                        std::string(status.message());
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], "") << "thread " << t;
    EXPECT_EQ(stats[t].programs, kProgramsPerThread);
  }
}

TEST(ThreadsTest, EachThreadBuildsAndCollectsOnItsOwnHeaps) {
  std::vector<int64_t> made(kThreads), destroyed(kThreads), left(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &made, &destroyed, &left] {
      for (int round = 0; round < 5; ++round) {
        gc::Heap heap;  // heaps are made and destroyed while others run
        heap.SetDebug(gc::kDebugVerify);
        gc::HeapScope scope(heap);
        made[t] += BuildAndDropGraphs(5'000, &destroyed[t]);
        heap.Collect();
        left[t] += heap.LiveObjects();
      }
      // And the thread's default heap.
      made[t] += BuildAndDropGraphs(5'000, &destroyed[t]);
      gc::Heap::Current().Collect();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(left[t], 0) << "thread " << t;
    EXPECT_EQ(destroyed[t], made[t]) << "thread " << t;
  }
}

}  // namespace
}  // namespace gc_reliability
