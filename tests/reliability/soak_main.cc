// Copyright 2026 The cyclegc Authors.
//
// The soak run of the differential random programs: as many programs as
// asked for (or for as long as asked), from a given seed on. Prints totals
// and, on the first failure, the seed, the disagreement and the program.
//
//   bazel run -c opt //tests/reliability:soak -- --programs=1000000
//   bazel run //tests/reliability:soak -- --seconds=600 --seed=5000000
//   bazel run //tests/reliability:soak -- --seed=42 --programs=1 --print
//
// Flags: --seed=N (first seed, default 1), --programs=N (default 1000000),
// --seconds=N (stop after N seconds, default: no limit), --max_bytes=N
// (longest program, default 512), --default_allocator (the heap keeps its
// free lists instead of the counting allocator), --print (print each
// program's operations),
// --write=DIR (also write each program's bytes to DIR/seed-N, e.g. to seed
// the fuzzer's corpus).

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/reliability/random_program.h"

namespace {

bool ParseFlag(std::string_view arg, std::string_view name, int64_t* value) {
  if (arg.substr(0, name.size()) != name || arg.substr(name.size(), 1) != "=") {
    return false;
  }
  arg.remove_prefix(name.size() + 1);
  if (!absl::SimpleAtoi(std::string(arg), value)) {
    std::fprintf(stderr, "soak: bad value for %s\n", std::string(name).c_str());
    std::exit(2);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t seed = 1;
  int64_t programs = 1'000'000;
  int64_t seconds = -1;
  int64_t max_bytes = gc_reliability::kDefaultProgramBytes;
  bool print = false;
  gc_reliability::ProgramOptions options;
  std::string write_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (ParseFlag(arg, "--seed", &seed) ||
        ParseFlag(arg, "--programs", &programs) ||
        ParseFlag(arg, "--seconds", &seconds) ||
        ParseFlag(arg, "--max_bytes", &max_bytes)) {
      continue;
    }
    if (arg.substr(0, 8) == "--write=") {
      write_dir = std::string(arg.substr(8));
      continue;
    }
    if (arg == "--print") {
      print = true;
      continue;
    }
    if (arg == "--default_allocator") {
      options.default_allocator = true;
      continue;
    }
    std::fprintf(stderr, "soak: unknown flag %s (see soak_main.cc)\n", argv[i]);
    return 2;
  }
  const absl::Time start = absl::Now();
  const absl::Time deadline =
      seconds < 0 ? absl::InfiniteFuture() : start + absl::Seconds(seconds);
  gc_reliability::ProgramStats stats;
  for (int64_t n = 0; n < programs && absl::Now() < deadline; ++n) {
    const uint64_t program_seed = static_cast<uint64_t>(seed + n);
    const std::vector<uint8_t> bytes = gc_reliability::ProgramForSeed(
        program_seed, static_cast<size_t>(max_bytes));
    gc_reliability::CrashContext context(absl::StrCat(
        "soak program seed ", program_seed, " --max_bytes=", max_bytes));
    if (!write_dir.empty()) {
      std::ofstream(absl::StrCat(write_dir, "/seed-", program_seed),
                    std::ios::binary)
          .write(reinterpret_cast<const char*>(bytes.data()),
                 static_cast<std::streamsize>(bytes.size()));
    }
    if (print) {
      std::printf("seed %llu:\n%s\n",
                  static_cast<unsigned long long>(program_seed),
                  gc_reliability::DescribeProgram(bytes).c_str());
    }
    const absl::Status status =
        gc_reliability::RunProgram(bytes, &stats, options);
    if (!status.ok()) {
      std::fprintf(stderr, "FAILED: seed %llu --max_bytes=%lld\n%s\n",
                   static_cast<unsigned long long>(program_seed),
                   static_cast<long long>(max_bytes),
                   std::string(status.message()).c_str());
      return 1;
    }
    if ((n + 1) % 100'000 == 0) {
      std::fprintf(stderr, "soak: %s\n", stats.ToString().c_str());
    }
  }
  std::printf("soak: %s in %s\n", stats.ToString().c_str(),
              absl::FormatDuration(absl::Now() - start).c_str());
  return 0;
}
