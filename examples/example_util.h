// Copyright 2026 The cyclegc Authors.
//
// File: examples/example_util.h
// -----------------------------------------------------------------------------
//
// What the example programs share, so that each of them shows only its own
// experiment: boolean flags, a stopwatch, memory readings, a counting
// `gc::Allocator`, a forked child per experiment (for per-run peak memory),
// and a plain-text table printer. Every figure an example prints comes from
// these measurements in the same run; nothing is a constant.
//
// Example:
//
//   example::Table table({"variant", "time", "peak RSS"});
//   example::Stopwatch watch;
//   ...
//   table.AddRow({"default", example::Millis(watch.Elapsed()),
//                 example::Bytes(example::PeakResidentBytes())});
//   table.Print();

#ifndef CYCLEGC_EXAMPLES_EXAMPLE_UTIL_H_
#define CYCLEGC_EXAMPLES_EXAMPLE_UTIL_H_

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/time/time.h"
#include "gc/gc.h"

namespace example {

// --- Flags -------------------------------------------------------------------

// A boolean command-line flag: `--name` sets `*value` to true.
struct Flag {
  const char* name;  // with the leading "--"
  const char* help;
  bool* value;
};

// Sets the flags named in argv. Prints a usage text built from `about` and the
// flags, and exits, on `--help` (status 0) or any other argument (status 2).
void ParseFlags(int argc, char** argv, const char* about,
                std::initializer_list<Flag> flags);

// --- Time and memory ---------------------------------------------------------

// Measures elapsed time on the monotonic clock.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  absl::Duration Elapsed() const {
    return absl::FromChrono(std::chrono::steady_clock::now() - start_);
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Measures the CPU time this thread uses. Unlike a Stopwatch, it leaves out
// the time the thread waited while other processes had the cores, so figures
// stay comparable on a busy machine.
class CpuStopwatch {
 public:
  CpuStopwatch();
  absl::Duration Elapsed() const;

 private:
  absl::Duration start_;
};

// Measures, with a collection callback, the CPU time that `heap`'s
// collections take on this thread: in total and the longest one. Only the
// collections that start while it exists count. Declare it after the heap,
// so that it goes (and removes its callback) before the heap does.
class CollectionCpuTimer {
 public:
  explicit CollectionCpuTimer(gc::Heap& heap);
  CollectionCpuTimer(const CollectionCpuTimer&) = delete;
  CollectionCpuTimer& operator=(const CollectionCpuTimer&) = delete;
  ~CollectionCpuTimer();

  absl::Duration total() const { return total_; }
  absl::Duration longest() const { return longest_; }
  int longest_generation() const { return longest_generation_; }

 private:
  gc::Heap& heap_;
  gc::CallbackId id_;
  CpuStopwatch running_;
  absl::Duration total_, longest_;
  int longest_generation_ = 0;
};

// This process's resident set (VmRSS) and its high-water mark (VmHWM), in
// bytes, from /proc/self/status; 0 where that file is not available. Both are
// per process: they include the program, its libraries and everything else
// it allocated.
int64_t ResidentBytes();
int64_t PeakResidentBytes();

// Runs `run` in a forked child process and returns its result, so that the
// child's PeakResidentBytes() belongs to that run alone (it starts at the
// parent's resident set at the time of the fork). The child's output is
// flushed before the parent goes on. Exits the program if the child fails.
// REQUIRES: the calling process has a single thread.
template <typename Result>
Result InChildProcess(const std::function<Result()>& run);

// A `gc::Allocator` that counts what a heap allocates. It takes memory from
// malloc and measures each block with malloc_usable_size, so `live_bytes()`
// is the allocator's own accounting of the blocks in use, rounding included.
//
//   example::CountingAllocator allocator;  // must outlive the heap's objects
//   gc::Heap heap;
//   heap.SetAllocator(&allocator).IgnoreError();
class CountingAllocator : public gc::Allocator {
 public:
  void* Allocate(std::size_t size) override;
  void Deallocate(void* memory) noexcept override;

  int64_t allocations() const { return allocations_; }
  int64_t requested_bytes() const { return requested_bytes_; }  // in total
  int64_t live_bytes() const { return live_bytes_; }
  int64_t peak_live_bytes() const { return peak_live_bytes_; }

 private:
  int64_t allocations_ = 0;
  int64_t requested_bytes_ = 0;
  int64_t live_bytes_ = 0;
  int64_t peak_live_bytes_ = 0;
};

// --- Printing ----------------------------------------------------------------

std::string Count(int64_t n);              // "1,234,567"
std::string Millis(absl::Duration d);      // "12.34 ms"
std::string Bytes(int64_t bytes);          // "512 B", "12.3 KiB", "123.4 MiB"
std::string PerSecond(double per_second);  // "12.3 M/s"

// One figure of each generation, "12 / 3 / 1": `field` of `stats`, or the
// three values of `values` (a count or a threshold).
std::string PerGeneration(const std::array<gc::GenerationStats, 3>& stats,
                          int64_t gc::GenerationStats::*field);
std::string PerGeneration(const std::array<int64_t, 3>& values);

// Prints a heading: a blank line, the title and a rule.
void PrintHeading(const std::string& title);

// Prints `text` as a note under a table: a blank line, then the text wrapped
// at 80 columns and indented by two spaces.
void PrintNote(const std::string& text);

// A plain-text table. The first column is left-aligned, the others right.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void AddRow(std::vector<std::string> cells);
  void Print() const;

 private:
  std::vector<std::vector<std::string>> rows_;  // rows_[0]: the headers
};

// --- Implementation details --------------------------------------------------

namespace internal {
// Forks; the child calls `run(out)`, which fills `size` bytes at `out`; the
// parent receives those bytes into `out`.
void RunInChild(const std::function<void(void* out)>& run, void* out,
                std::size_t size);
}  // namespace internal

template <typename Result>
Result InChildProcess(const std::function<Result()>& run) {
  static_assert(std::is_trivially_copyable_v<Result>,
                "the result crosses a pipe as bytes");
  Result result{};
  internal::RunInChild(
      [&run](void* out) {
        const Result value = run();
        *static_cast<Result*>(out) = value;
      },
      &result, sizeof(result));
  return result;
}

}  // namespace example

#endif  // CYCLEGC_EXAMPLES_EXAMPLE_UTIL_H_
