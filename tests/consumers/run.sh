#!/usr/bin/env bash
# Builds and runs the README's first program (examples/first_program.cc) the
# four ways README.md's "Use cyclegc in your build" shows, each a project of
# its own in a temporary folder outside the source tree:
#
#   find_package/      CMake find_package against a `cmake --install` prefix
#   add_subdirectory/  CMake add_subdirectory, cyclegc as a shared library
#   fetchcontent/      CMake FetchContent from a local folder (no network)
#   pkg_config/        g++ with `pkg-config --cflags --libs cyclegc`
#   bazel/             a Bazel workspace: local_repository + cyclegc_dependencies
#
# Each folder holds the files of the README's snippets as they are there
# (with /path/to/cyclegc and /path/to/prefix for the real paths) and build.sh,
# the commands. Also checked: that the README shows these files as they are,
# and that every public header compiled below C++20 stops with cyclegc's
# message first.
#
# Usage: tests/consumers/run.sh [check...]   (default: all)
# Prints "=== consumer NAME: passed|failed (N s)" per check; with
# CYCLEGC_CHECK_RESULTS=FILE, also appends "passed NAME" or "failed NAME"
# lines to FILE (tools/test.sh counts them). Exits non-zero if one failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "${here}/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/cyclegc-consumers.XXXXXX")"
prefix="${work}/prefix"
jobs="$(nproc 2>/dev/null || echo 2)"
failures=0

cleanup() {
  if [[ -d "${work}/bazel" ]]; then
    (cd "${work}/bazel" && bazel shutdown >/dev/null 2>&1) || true
  fi
  chmod -R u+w "${work}" 2>/dev/null || true
  rm -rf "${work}"
}
trap cleanup EXIT

# Copies consumer NAME to ${work}/NAME with the first program and the real
# paths in place of the placeholders.
stage() {
  local name="$1"
  mkdir -p "${work}/${name}"
  cp -R "${here}/${name}/." "${work}/${name}/"
  cp "${root}/examples/first_program.cc" "${work}/${name}/"
  local file
  for file in "${work}/${name}"/* "${work}/${name}"/.bazelrc; do
    [[ -f "${file}" ]] || continue
    sed -i -e "s|/path/to/cyclegc|${root}|g" -e "s|/path/to/prefix|${prefix}|g" \
      "${file}"
  done
}

# Runs the staged build.sh of consumer NAME; the program must print what the
# README's first program prints.
build_and_run() {
  local name="$1"
  (cd "${work}/${name}" &&
    CMAKE_BUILD_PARALLEL_LEVEL="${jobs}" bash -e build.sh) 2>&1 |
    tee "${work}/${name}.log"
  local rc="${PIPESTATUS[0]}"
  ((rc == 0)) && grep -q '^the collector freed 2 objects$' "${work}/${name}.log"
}

consumer_find_package() { stage find_package && build_and_run find_package; }
consumer_add_subdirectory() {
  stage add_subdirectory && build_and_run add_subdirectory
}
consumer_fetchcontent() { stage fetchcontent && build_and_run fetchcontent; }

# Uses the prefix that find_package installed.
consumer_pkg_config() {
  if [[ ! -f "${prefix}/lib/pkgconfig/cyclegc.pc" ]]; then
    echo "no cyclegc.pc under ${prefix}: the find_package consumer installs it"
    return 1
  fi
  stage pkg_config && build_and_run pkg_config
}

consumer_bazel() {
  stage bazel || return 1
  # This machine's settings, after the README's: the output base stays in the
  # temporary folder (removed afterwards), not in ~/.cache nor the source tree.
  cat >>"${work}/bazel/.bazelrc" <<EOS
startup --output_base=${work}/bazel-output-base
build --spawn_strategy=processwrapper-sandbox --noshow_progress
test --test_output=errors
EOS
  build_and_run bazel
}

# The README shows each snippet of the section as a file here has it.
consumer_readme() {
  local section block ok=0
  section="$(awk '/^## Use cyclegc in your build/ {on = 1; next}
                  /^## / {on = 0} on' "${root}/README.md")"
  if [[ -z "${section}" ]]; then
    echo "README.md has no section \"Use cyclegc in your build\""
    return 1
  fi
  local blocks="${work}/readme-blocks"
  mkdir -p "${blocks}"
  # One file per fenced block of the section.
  awk -v dir="${blocks}" '
    /^```/ { if (out) { close(out); out = "" } else { out = sprintf("%s/%03d", dir, ++n) }; next }
    out { print > out }
  ' <<<"${section}"
  for block in "${blocks}"/*; do
    local found=0 file
    for file in $(find "${here}" -type f ! -name run.sh); do
      if [[ "$(cat "${file}")" == *"$(cat "${block}")"* ]]; then
        found=1
        break
      fi
    done
    if ((found == 0)); then
      echo "This README block is in no file of tests/consumers/:"
      cat "${block}"
      ok=1
    fi
  done
  return "${ok}"
}

# Every public header, included first under C++17, must stop the compile with
# the message of gc/config.h as the first error.
consumer_cxx17_error() {
  local header first ok=0
  while IFS= read -r header; do
    first="$(echo "#include \"${header#"${root}/include/"}\"" |
      g++ -std=c++17 -fsyntax-only -I"${root}/include" -x c++ - 2>&1 |
      grep -m1 'error')"
    if [[ "${first}" != *"cyclegc needs C++20"* ]]; then
      echo "${header}: first error under -std=c++17 is not cyclegc's:"
      echo "  ${first:-(none)}"
      ok=1
    fi
  done < <(find "${root}/include/gc" -name '*.h' | sort)
  return "${ok}"
}

checks=("$@")
if ((${#checks[@]} == 0)); then
  checks=(readme cxx17_error find_package pkg_config add_subdirectory
    fetchcontent bazel)
fi
for check in "${checks[@]}"; do
  echo "=== consumer ${check}"
  verdict=passed
  start="${SECONDS}"
  "consumer_${check}" || verdict=failed
  echo "=== consumer ${check}: ${verdict} ($((SECONDS - start)) s)"
  if [[ "${verdict}" == failed ]]; then
    failures=$((failures + 1))
  fi
  if [[ -n "${CYCLEGC_CHECK_RESULTS:-}" ]]; then
    echo "${verdict} consumer_${check}" >>"${CYCLEGC_CHECK_RESULTS}"
  fi
done
((failures == 0))
