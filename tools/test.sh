#!/usr/bin/env bash
# Runs the tests four times: plain, ASan+LSan, ASan with the free lists on
# (--config=asan_pool) and UBSan, then the tests
# tagged "threads" (several threads, each with its own heap) under
# ThreadSanitizer. Without target patterns, then checks that Bazel and CMake
# build the same files (tools/check_build_drift.sh) and builds and runs the
# projects of tests/consumers/ (CMake, pkg-config, Bazel). Prints
# "N passed, N failed" over the test targets of all runs and those checks, and
# exits non-zero if any failed.
#
# Usage: tools/test.sh [bazel test flags...] [target patterns...]
# Patterns replace the default //...; flags alone keep it, e.g.
#   tools/test.sh //tests:heap_test
#   tools/test.sh --test_filter='Heap*'
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/install_deps.sh

args=("$@")
has_pattern=0
for arg in "${args[@]}"; do
  [[ "${arg}" == -* ]] || has_pattern=1
done
if ((has_pattern == 0)); then
  # First, so that a later `-- -//excluded/...` still subtracts from it.
  args=(//... "${args[@]}")
fi

log="$(mktemp)"
# shellcheck disable=SC2317  # Called via trap.
cleanup() {
  rm -f "${log}"
  # On CI, stop the Bazel server so it does not linger after the run.
  if [[ -n "${CI:-}" ]]; then
    bazel shutdown >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

total_passed=0
total_failed=0
total_skipped=0
status=0

# Prints "passed failed skipped" from Bazel's test summary in file $1. Only
# lines after the last "=====" separator (which closes each test log that
# --test_output=errors prints) count, so test output cannot fake a result.
# The last status per label wins.
count_results() {
  awk '
    BEGIN {
      separator = sprintf("%80s", "")
      gsub(/ /, "=", separator)
    }
    $0 == separator {
      split("", result)
      next
    }
    /^(@[^ \/]*)?\/\/[^ ]+ +[(A-Z]/ {
      label = $1
      rest = $0
      sub(/^[^ ]+ +/, "", rest)
      sub(/^\(cached\) /, "", rest)
      if (rest ~ /^(PASSED|FLAKY)/) {
        result[label] = "passed"
      } else if (rest ~ /^SKIPPED/) {
        result[label] = "skipped"
      } else if (rest ~ /^(FAILED|TIMEOUT|INCOMPLETE|REMOTE FAILURE|NO STATUS|BUILD INTERRUPTED)/) {
        result[label] = "failed"
      }
    }
    END {
      for (label in result) n[result[label]]++
      printf "%d %d %d\n", n["passed"], n["failed"], n["skipped"]
    }
  ' "$1"
}

# run_tests NAME [bazel flags...]: one `bazel test` over "${args[@]}".
run_tests() {
  local name="$1"
  shift
  echo "=== bazel test ${name}: $* ${args[*]}"
  local rc=0
  bazel test --color=no --curses=no --keep_going "$@" "${args[@]}" 2>&1 |
    tee "${log}" || rc=$?

  local passed failed skipped
  read -r passed failed skipped < <(count_results "${log}")
  case "${rc}" in
    0) ;;
    4)
      # Bazel's "build OK, but no test targets": not a failure.
      echo "=== ${name}: no test targets matched" >&2
      ;;
    *)
      status=1
      if ((failed == 0)); then
        # The build failed before any test got a status (e.g. a BUILD file
        # error): count the run itself as one failure.
        echo "=== ${name}: bazel exited ${rc} with no failing test target" >&2
        failed=1
      fi
      ;;
  esac
  # Worded unlike the final line, which CI reads.
  echo "=== ${name} run: bazel exit ${rc}; passed ${passed}, failed ${failed}"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
}

run_tests default
# Sanitizer runs only build what the tests need; the plain run built the rest.
run_tests asan --config=asan --build_tests_only
run_tests asan-pool --config=asan_pool --build_tests_only
run_tests ubsan --config=ubsan --build_tests_only
run_tests tsan --config=tsan --build_tests_only --test_tag_filters=threads

# run_checks NAME COMMAND...: checks outside Bazel, each counted like a test
# target. COMMAND appends "passed NAME" / "failed NAME" lines to the file
# $CYCLEGC_CHECK_RESULTS; one that writes none counts once, by its exit code.
run_checks() {
  local name="$1"
  shift
  echo "=== ${name}: $*"
  local results rc=0
  results="$(mktemp)"
  CYCLEGC_CHECK_RESULTS="${results}" "$@" 2>&1 || rc=$?
  local passed failed
  passed="$(grep -c '^passed ' "${results}" || true)"
  failed="$(grep -c '^failed ' "${results}" || true)"
  rm -f "${results}"
  if ((passed + failed == 0)); then
    if ((rc == 0)); then passed=1; else failed=1; fi
  elif ((rc != 0 && failed == 0)); then
    failed=1
  fi
  ((failed == 0)) || status=1
  echo "=== ${name}: passed ${passed}, failed ${failed}"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
}

# With the default //..., also: Bazel and CMake build the same files, and
# projects that use cyclegc through CMake, pkg-config and Bazel build and run.
if ((has_pattern == 0)); then
  run_checks build_drift bash tools/check_build_drift.sh
  run_checks consumers bash tests/consumers/run.sh
fi

summary="${total_passed} passed, ${total_failed} failed"
if ((total_skipped > 0)); then
  summary+=", ${total_skipped} skipped"
fi
echo "${summary}"
exit "${status}"
