#!/usr/bin/env bash
# One source of truth: fails when Bazel and CMake build different .cc files, or
# register different tests. Both builds are asked, not grepped: Bazel's query
# evaluates the BUILD.bazel files (globs, list comprehensions), and CMake's
# File API lists the sources of every target after a configure with tests,
# examples and benchmarks on. So a file added to one build only is caught,
# whoever adds it.
#
# Usage: tools/check_build_drift.sh   (from anywhere; configures CMake in a
# temporary folder, builds nothing)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Built by neither on purpose or by a script outside both builds: the peers
# that bench/run_peers.sh compiles with g++ against Boehm GC and V8's cppgc.
readonly EXCEPTIONS=(
  bench/peer_boehm.cc
  bench/peer_cppgc.cc
)

work="$(mktemp -d "${TMPDIR:-/tmp}/cyclegc-drift.XXXXXX")"
trap 'rm -rf "${work}"' EXIT

# --- Bazel -------------------------------------------------------------------
# //pkg:path/file.cc -> pkg/path/file.cc; //:file.cc -> file.cc
bazel query --noshow_progress 'labels(srcs, //...)' 2>"${work}/bazel.err" |
  grep '\.cc$' | sed -e 's|^//||' -e 's|^:||' -e 's|:|/|' |
  sort -u >"${work}/bazel.cc" || {
  cat "${work}/bazel.err" >&2
  exit 1
}
bazel query --noshow_progress \
  'tests(//...) except attr(tags, "\bmanual\b", //...)' 2>"${work}/bazel.err" |
  sort -u >"${work}/bazel.tests" || {
  cat "${work}/bazel.err" >&2
  exit 1
}

# --- CMake -------------------------------------------------------------------
mkdir -p "${work}/build/.cmake/api/v1/query"
touch "${work}/build/.cmake/api/v1/query/codemodel-v2"
cmake -S . -B "${work}/build" -DCYCLEGC_BUILD_TESTS=ON \
  -DCYCLEGC_BUILD_EXAMPLES=ON -DCYCLEGC_BUILD_BENCHMARKS=ON \
  >"${work}/cmake.log" 2>&1 || {
  cat "${work}/cmake.log" >&2
  exit 1
}
cmake -DBUILD="${work}/build" -DOUT="${work}/cmake.sources" \
  -P tools/cmake_sources.cmake
grep '\.cc$' "${work}/cmake.sources" | sort -u >"${work}/cmake.cc" || true
# "  Test  #3: //tests:heap_test" -> //tests:heap_test
(cd "${work}/build" && ctest -N) | sed -n 's/^ *Test *#[0-9]*: //p' |
  sort -u >"${work}/cmake.tests"

# --- Compare -----------------------------------------------------------------
printf '%s\n' "${EXCEPTIONS[@]}" | sort -u >"${work}/exceptions"
status=0
compare() {
  local what="$1" bazel="$2" cmake="$3"
  local only_bazel only_cmake
  only_bazel="$(comm -23 "${bazel}" "${cmake}" | comm -23 - "${work}/exceptions")"
  only_cmake="$(comm -13 "${bazel}" "${cmake}" | comm -23 - "${work}/exceptions")"
  if [[ -n "${only_bazel}" ]]; then
    echo "${what} in Bazel's build only (add them to the CMakeLists.txt of" \
      "their folder):"
    sed 's/^/  /' <<<"${only_bazel}"
    status=1
  fi
  if [[ -n "${only_cmake}" ]]; then
    echo "${what} in CMake's build only (add them to the BUILD.bazel of" \
      "their folder):"
    sed 's/^/  /' <<<"${only_cmake}"
    status=1
  fi
  echo "${what}: $(wc -l <"${bazel}") in Bazel, $(wc -l <"${cmake}") in CMake"
}
compare ".cc files" "${work}/bazel.cc" "${work}/cmake.cc"
compare "tests" "${work}/bazel.tests" "${work}/cmake.tests"
if ((status == 0)); then
  echo "check_build_drift: Bazel and CMake build the same .cc files and tests"
fi
exit "${status}"
