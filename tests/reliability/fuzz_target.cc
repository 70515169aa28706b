// Copyright 2026 The cyclegc Authors.
//
// libFuzzer target: the input bytes are a random program (random_program.h),
// run on a fresh heap against the oracle, once with the counting allocator
// and once on the default allocator (the heap's free lists, whose free
// blocks ASan sees poisoned: tools/fuzz.sh builds with CYCLEGC_ASAN_POOL).
// Any disagreement aborts with the program's trace; the heap verifier and
// the sanitizers catch the rest. Built and run by tools/fuzz.sh (clang,
// -fsanitize=fuzzer,address,undefined).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/types/span.h"
#include "tests/reliability/random_program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Longer inputs only make slower programs of the same kind.
  if (size > 16 * gc_reliability::kDefaultProgramBytes) return -1;
  for (bool default_allocator : {false, true}) {
    gc_reliability::ProgramOptions options;
    options.default_allocator = default_allocator;
    const absl::Status status = gc_reliability::RunProgram(
        absl::MakeConstSpan(data, size), nullptr, options);
    if (!status.ok()) {
      std::fprintf(stderr, "random program disagrees with the oracle%s: %s\n",
                   default_allocator ? " on the default allocator" : "",
                   std::string(status.message()).c_str());
      std::abort();
    }
  }
  return 0;
}
