// Copyright 2026 The cyclegc Authors.

#include "gc/internal/env_config.h"

#include <cstdlib>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gc/heap.h"

namespace gc::internal {

absl::StatusOr<std::vector<int64_t>> ParseThresholds(absl::string_view text) {
  std::vector<int64_t> values;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    int64_t value = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(part), &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("CYCLEGC_THRESHOLD=\"", text,
                       "\" is malformed: expected 1 to 3 comma-separated "
                       "integers, like \"700,10,10\""));
    }
    values.push_back(value);
  }
  if (values.size() > 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CYCLEGC_THRESHOLD=\"", text, "\" is malformed: at most 3 thresholds"));
  }
  return values;
}

absl::StatusOr<int> ParseDebugFlags(absl::string_view text) {
  int value = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &value) ||
      value < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("CYCLEGC_DEBUG=\"", text,
                     "\" is malformed: expected a non-negative integer"));
  }
  if (const int unknown = value & ~kDebugAllFlags; unknown != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CYCLEGC_DEBUG=\"", text, "\" has unknown debug bits ", unknown,
        " (0x", absl::Hex(unknown),
        "); the flags are kDebugStats = 1, kDebugCollectable = 2, "
        "kDebugUncollectable = 4, kDebugSaveAll = 32, kDebugVerify = 256"));
  }
  return value;
}

absl::StatusOr<EnvConfig> ReadEnvConfig() {
  EnvConfig config;
  if (const char* text = std::getenv("CYCLEGC_THRESHOLD")) {
    absl::StatusOr<std::vector<int64_t>> values = ParseThresholds(text);
    if (!values.ok()) return values.status();
    config.threshold = *std::move(values);
    config.threshold_text = text;
  }
  if (const char* text = std::getenv("CYCLEGC_DEBUG")) {
    absl::StatusOr<int> flags = ParseDebugFlags(text);
    if (!flags.ok()) return flags.status();
    config.debug = *flags;
  }
  return config;
}

}  // namespace gc::internal
