// Copyright 2026 The cyclegc Authors.
//
// The executor of examples/executor.h as a benchmark (issue 18): 1,000,000
// tasks made on the scheduler thread and completed by workers, each task's
// work building and dropping a 100-node tree with parent pointers on the
// worker's heap, results posted back through handles and the callbacks run
// on the scheduler. Prints the throughput with 1 and 2 workers (target: 2
// workers at least 1.5x one), the peak resident set after 100,000 and after
// 1,000,000 tasks (target: within 1.2x), and what is left at shutdown.
//
//   bazel run -c opt //bench:executor_bench [-- TASKS]

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "examples/example_util.h"
#include "examples/executor.h"
#include "gc/gc.h"

namespace {

struct Figures {
  double tasks_per_second = 0;
  int64_t peak_at_tenth = 0;
  int64_t peak_at_end = 0;
  int64_t live_at_end = 0;
  bool right = false;
};

Figures RunOnce(executor::Mode mode, int workers, int64_t tasks) {
  gc::Heap heap;
  Figures figures;
  {
    gc::HeapScope scope(heap);
    executor::Options options;
    options.mode = mode;
    options.tasks = tasks;
    options.workers = workers;
    options.every = tasks / 10;
    options.progress = [&figures, tasks](int64_t done) {
      if (done == tasks / 10)
        figures.peak_at_tenth = example::PeakResidentBytes();
    };
    const absl::Time start = absl::Now();
    const executor::Report report = executor::Run(options);
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    figures.peak_at_end = example::PeakResidentBytes();
    figures.tasks_per_second = static_cast<double>(tasks) / seconds;
    figures.right = report.checksum == report.expected &&
                    report.finished + report.cancelled == tasks;
    heap.Collect();
    figures.live_at_end = heap.LiveObjects();
  }
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t tasks = argc > 1 ? std::atoll(argv[1]) : 1000000;
  std::printf("executor_bench: %lld tasks, a 100-node tree each\n",
              static_cast<long long>(tasks));
  std::printf("%-8s %-7s %14s %16s %16s %6s %8s\n", "way", "workers", "tasks/s",
              "peak RSS @10%", "peak RSS @100%", "live", "results");
  double one = 0;
  for (executor::Mode mode :
       {executor::Mode::kHandles, executor::Mode::kIsolate}) {
    for (int workers : {1, 2}) {
      const Figures f = example::InChildProcess<Figures>(
          [&] { return RunOnce(mode, workers, tasks); });
      if (mode == executor::Mode::kHandles && workers == 1) {
        one = f.tasks_per_second;
      }
      std::printf(
          "%-8s %-7d %14.0f %16s %16s %6lld %8s\n",
          mode == executor::Mode::kHandles ? "handles" : "isolate", workers,
          f.tasks_per_second, example::Bytes(f.peak_at_tenth).c_str(),
          example::Bytes(f.peak_at_end).c_str(),
          static_cast<long long>(f.live_at_end), f.right ? "right" : "WRONG");
      if (mode == executor::Mode::kHandles && workers == 2) {
        std::printf("  2 workers / 1 worker (handles): %.2fx\n",
                    f.tasks_per_second / one);
      }
    }
  }
  return 0;
}
