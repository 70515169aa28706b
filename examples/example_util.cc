// Copyright 2026 The cyclegc Authors.

#include "examples/example_util.h"

#include <malloc.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <sstream>
#include <string_view>

#include "absl/strings/str_format.h"

namespace example {

void ParseFlags(int argc, char** argv, const char* about,
                std::initializer_list<Flag> flags) {
  auto usage = [&](FILE* out) {
    std::fprintf(out, "%s\n\nFlags:\n", about);
    for (const Flag& flag : flags) {
      std::fprintf(out, "  %-14s %s\n", flag.name, flag.help);
    }
  };
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help") {
      usage(stdout);
      std::exit(0);
    }
    const Flag* match =
        std::find_if(flags.begin(), flags.end(),
                     [&](const Flag& flag) { return arg == flag.name; });
    if (match == flags.end()) {
      std::fprintf(stderr, "unknown argument: %s\n\n", argv[i]);
      usage(stderr);
      std::exit(2);
    }
    *match->value = true;
  }
}

namespace {

// The value of `key` ("VmRSS:", "VmHWM:") in /proc/self/status, in bytes.
int64_t StatusBytes(std::string_view key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, key.size(), key) != 0) continue;
    long long kib = 0;  // the line reads "VmRSS:     1234 kB"
    return std::sscanf(line.c_str() + key.size(), "%lld", &kib) == 1
               ? kib * 1024
               : 0;
  }
  return 0;
}

}  // namespace

namespace {
absl::Duration ThreadCpuTime() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return absl::DurationFromTimespec(now);
}
}  // namespace

CpuStopwatch::CpuStopwatch() : start_(ThreadCpuTime()) {}
absl::Duration CpuStopwatch::Elapsed() const {
  return ThreadCpuTime() - start_;
}

CollectionCpuTimer::CollectionCpuTimer(gc::Heap& heap)
    : heap_(heap),
      id_(heap.AddCallback(
          [this](gc::Phase phase, const gc::CollectionInfo& info) {
            if (phase == gc::Phase::kStart) {
              running_ = CpuStopwatch();
              return;
            }
            const absl::Duration took = running_.Elapsed();
            total_ += took;
            if (took > longest_) {
              longest_ = took;
              longest_generation_ = info.generation;
            }
          })) {}

CollectionCpuTimer::~CollectionCpuTimer() { heap_.RemoveCallback(id_); }

int64_t ResidentBytes() { return StatusBytes("VmRSS:"); }
int64_t PeakResidentBytes() { return StatusBytes("VmHWM:"); }

void* CountingAllocator::Allocate(std::size_t size) {
  void* memory = std::malloc(size);
  if (memory == nullptr) throw std::bad_alloc();
  ++allocations_;
  requested_bytes_ += static_cast<int64_t>(size);
  live_bytes_ += static_cast<int64_t>(malloc_usable_size(memory));
  peak_live_bytes_ = std::max(peak_live_bytes_, live_bytes_);
  return memory;
}

void CountingAllocator::Deallocate(void* memory) noexcept {
  live_bytes_ -= static_cast<int64_t>(malloc_usable_size(memory));
  std::free(memory);
}

std::string Count(int64_t n) {
  const std::string digits = absl::StrFormat("%d", n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Millis(absl::Duration d) {
  return absl::StrFormat("%.2f ms", absl::ToDoubleMilliseconds(d));
}

std::string Bytes(int64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (bytes < 1024) return absl::StrFormat("%d B", bytes);
  if (bytes < (1 << 20)) return absl::StrFormat("%.1f KiB", b / 1024);
  return absl::StrFormat("%.1f MiB", b / (1 << 20));
}

std::string PerSecond(double per_second) {
  return absl::StrFormat("%.1f M/s", per_second / 1e6);
}

std::string PerGeneration(const std::array<gc::GenerationStats, 3>& stats,
                          int64_t gc::GenerationStats::*field) {
  return PerGeneration({stats[0].*field, stats[1].*field, stats[2].*field});
}

std::string PerGeneration(const std::array<int64_t, 3>& values) {
  return absl::StrFormat("%s / %s / %s", Count(values[0]), Count(values[1]),
                         Count(values[2]));
}

void PrintHeading(const std::string& title) {
  std::printf("\n%s\n%s\n", title.c_str(),
              std::string(title.size(), '=').c_str());
}

void PrintNote(const std::string& text) {
  std::istringstream words(text);
  std::printf("\n ");
  std::size_t column = 1;
  for (std::string word; words >> word;) {
    if (column + 1 + word.size() > 80) {
      std::printf("\n ");
      column = 1;
    }
    std::printf(" %s", word.c_str());
    column += 1 + word.size();
  }
  std::printf("\n");
}

Table::Table(std::vector<std::string> headers) {
  rows_.push_back(std::move(headers));
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(rows_[0].size());
  rows_.push_back(std::move(cells));
}

void Table::Print() const {
  std::vector<std::size_t> widths(rows_[0].size(), 0);
  for (const auto& row : rows_) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const int width = static_cast<int>(widths[c]);
      line += c == 0 ? absl::StrFormat("  %-*s", width, row[c])
                     : absl::StrFormat("  %*s", width, row[c]);
    }
    std::printf("%s\n", line.c_str());
  };
  print_row(rows_[0]);
  std::vector<std::string> rule;
  for (std::size_t width : widths) rule.push_back(std::string(width, '-'));
  print_row(rule);
  for (std::size_t r = 1; r < rows_.size(); ++r) print_row(rows_[r]);
  std::fflush(stdout);
}

namespace internal {

void RunInChild(const std::function<void(void* out)>& run, void* out,
                std::size_t size) {
  std::fflush(nullptr);  // or the child would print the parent's buffer again
  int fds[2];
  if (pipe(fds) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(1);
  }
  if (pid == 0) {
    close(fds[0]);
    run(out);
    const bool written = write(fds[1], out, size) == static_cast<ssize_t>(size);
    std::fflush(nullptr);
    _exit(written ? 0 : 1);  // no atexit handlers, no static destructors
  }
  close(fds[1]);
  std::size_t received = 0;
  while (received < size) {
    const ssize_t n =
        read(fds[0], static_cast<char*>(out) + received, size - received);
    if (n <= 0) break;
    received += static_cast<std::size_t>(n);
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (received != size || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "the child process for this run failed\n");
    std::exit(1);
  }
}

}  // namespace internal
}  // namespace example
