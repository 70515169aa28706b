#!/usr/bin/env bash
# Builds the libFuzzer target of the random programs with clang
# (-fsanitize=fuzzer,address,undefined) and runs it for DURATION seconds on
# the committed seed corpus (copied into a work corpus, which it grows).
# Prints libFuzzer's status lines; the last ones give executions (#N, exec/s)
# and coverage (cov: edges, ft: features). A failure leaves a crash-* file in
# the work directory and exits non-zero; replay it with
#   tools/fuzz.sh 0 path/to/crash-file
#
# Usage: tools/fuzz.sh [DURATION_SECONDS=60] [libFuzzer args or inputs...]
# Env:   FUZZ_DIR (default /tmp/cyclegc-fuzz): build output and work corpus.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration="${1:-60}"
shift || true

if ! command -v clang++ >/dev/null ||
  ! dpkg -s libclang-rt-14-dev 2>/dev/null | grep -q '^Status: install ok installed$'; then
  echo "fuzz: installing clang and libclang-rt-14-dev" >&2
  sudo=()
  ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends clang libclang-rt-14-dev
fi
bash tools/install_deps.sh  # Abseil

out="${FUZZ_DIR:-/tmp/cyclegc-fuzz}"
mkdir -p "${out}/obj" "${out}/corpus"
binary="${out}/random_program_fuzzer"

sources=(gc/*.cc gc/internal/*.cc
  tests/reliability/{checker,interpreter,oracle,program_world,random_program}.cc
  tests/reliability/fuzz_target.cc)
# CYCLEGC_ASAN_POOL: the heap's free lists stay on, their free blocks
# poisoned (the target runs each program on them and on ::operator new).
flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -Wall -Wextra
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
  -DCYCLEGC_ASAN_POOL -I. -Iinclude)
absl_modules=(absl_status absl_statusor absl_strings absl_str_format
  absl_hash absl_flat_hash_map absl_flat_hash_set absl_time
  absl_synchronization)

# Compile each source when it (or any header) is newer than its object.
newest_header="$(find include gc tests/reliability -name '*.h' -printf '%T@\n' |
  sort -n | tail -1)"
objects=()
for src in "${sources[@]}"; do
  obj="${out}/obj/${src//\//_}.o"
  objects+=("${obj}")
  if [[ ! -f "${obj}" || "${src}" -nt "${obj}" ]] ||
    (($(stat -c %Y "${obj}") < ${newest_header%.*})); then
    echo "fuzz: compiling ${src}" >&2
    # shellcheck disable=SC2046  # pkg-config output is a list of flags.
    clang++ "${flags[@]}" $(pkg-config --cflags "${absl_modules[@]}") \
      -c "${src}" -o "${obj}"
  fi
done
# shellcheck disable=SC2046
clang++ "${flags[@]}" "${objects[@]}" -o "${binary}" \
  $(pkg-config --libs "${absl_modules[@]}")

cp -n tests/reliability/corpus/* "${out}/corpus/" 2>/dev/null || true
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1
cd "${out}"
if (($# > 0)) && [[ -f "$1" ]]; then
  exec "${binary}" "$@"  # replay inputs
fi
exec "${binary}" -max_total_time="${duration}" -print_final_stats=1 \
  -max_len=8192 "$@" corpus
