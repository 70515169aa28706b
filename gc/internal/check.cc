// Copyright 2026 The cyclegc Authors.

#include "gc/internal/check.h"

#include <cstdio>
#include <cstdlib>

namespace gc::internal {

void FatalError(std::string_view message) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()),
               message.data());
  std::fflush(stderr);
  std::abort();
}

void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "gc: internal check failed at %s:%d: %s\n", file, line,
               condition);
  std::fflush(stderr);
  std::abort();
}

}  // namespace gc::internal
