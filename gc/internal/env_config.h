// Copyright 2026 The cyclegc Authors.
//
// File: gc/internal/env_config.h
// -----------------------------------------------------------------------------
//
// Parsing of the environment variables that `gc::Heap::ConfigureFromEnv`
// reads. Parsing is separate from applying, so that malformed text changes
// nothing.

#ifndef CYCLEGC_GC_INTERNAL_ENV_CONFIG_H_
#define CYCLEGC_GC_INTERNAL_ENV_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gc::internal {

struct EnvConfig {
  std::optional<std::vector<int64_t>> threshold;  // 1 to 3 values
  std::string threshold_text;
  std::optional<int> debug;
};

// Parses "700", "700,10" or "700,10,10" (spaces around numbers allowed).
absl::StatusOr<std::vector<int64_t>> ParseThresholds(absl::string_view text);
// Parses a non-negative decimal number that fits an int.
absl::StatusOr<int> ParseDebugFlags(absl::string_view text);

// Reads CYCLEGC_THRESHOLD and CYCLEGC_DEBUG; unset variables stay unset.
absl::StatusOr<EnvConfig> ReadEnvConfig();

}  // namespace gc::internal

#endif  // CYCLEGC_GC_INTERNAL_ENV_CONFIG_H_
