#!/usr/bin/env bash
# Builds every peer program and runs the workloads of bench/README.md on all
# of them, one program at a time, peers alternating within each round, then
# writes bench/results/ (results.json, results.md, plot.svg/png, and the
# microbenchmarks' micro_bench.txt/json) and prints the table.
#
#   bash bench/run_peers.sh [--rounds N] [--large] [--out DIR]
#
#   --rounds N  rounds (default 3); figures are medians over the rounds
#   --large     also run the 10,000,000-object cases on every peer (cyclegc
#               always runs them)
#   --out DIR   where results go (default bench/results)
#
# Installs what it needs from Debian (idempotent): tools/install_deps.sh,
# libgc-dev, gnuplot-nox, python3; fetches libnode108 + libnode-dev with
# `apt-get download` and unpacks them with `dpkg-deb -x` into the build folder
# (they conflict with the machine's Node.js). A peer that cannot be built is
# reported as skipped, with the reason.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly ROOT="${PWD}"
readonly BUILD="${ROOT}/bench/build"
ROUNDS=3
LARGE=0
OUT="${ROOT}/bench/results"
while (($#)); do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --large) LARGE=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--large] [--out DIR]" >&2; exit 2 ;;
  esac
done
mkdir -p "${BUILD}" "${OUT}"

log() { echo "run_peers: $*" >&2; }

sudo_cmd=()
((EUID == 0)) || sudo_cmd=(sudo)
apt_updated=0
apt_install() {  # installs the packages that are missing
  local missing=()
  for pkg in "$@"; do
    dpkg -s "${pkg}" 2>/dev/null | grep -q '^Status: install ok installed$' ||
      missing+=("${pkg}")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  if ((!apt_updated)); then "${sudo_cmd[@]}" apt-get update -q; apt_updated=1; fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# --- Dependencies -------------------------------------------------------------
bash tools/install_deps.sh
apt_install libgc-dev gnuplot-nox python3
readonly PYTHON=/usr/bin/python3  # Debian's CPython, the peer

# cppgc: Debian's libnode108 (library) + libnode-dev (headers), unpacked.
readonly NODE_ROOT="${BUILD}/libnode"
readonly V8_INCLUDE="${NODE_ROOT}/usr/include/nodejs/deps/v8/include"
readonly NODE_LIB="${NODE_ROOT}/usr/lib/x86_64-linux-gnu"
fetch_libnode() {
  [[ -f "${V8_INCLUDE}/cppgc/heap.h" && -f "${NODE_LIB}/libnode.so.108" ]] &&
    return 0
  local debs="${BUILD}/debs"
  rm -rf "${debs}" && mkdir -p "${debs}"
  if ! (cd "${debs}" && apt-get download libnode108 libnode-dev); then
    "${sudo_cmd[@]}" apt-get update -q && apt_updated=1
    (cd "${debs}" && apt-get download libnode108 libnode-dev) || return 1
  fi
  for deb in "${debs}"/*.deb; do dpkg-deb -x "${deb}" "${NODE_ROOT}"; done
  # The shared libraries libnode.so.108 links against (not node itself).
  local libs
  libs=$(apt-cache depends libnode108 | awk '$1 == "Depends:" && $2 ~ /^(lib|zlib)/ {print $2}')
  # shellcheck disable=SC2086
  apt_install ${libs}
}

# --- Build ----------------------------------------------------------------------
declare -A SKIP=()  # peer -> why it is skipped
readonly CXXFLAGS=(-std=c++20 -O2 -DNDEBUG -Wall -Wextra -I "${ROOT}")

log "building cyclegc and shared_ptr peers (bazel -c opt)"
bazel build -c opt //bench:peer_cyclegc //bench:peer_shared_ptr
install -m 755 bazel-bin/bench/peer_cyclegc bazel-bin/bench/peer_shared_ptr \
  "${BUILD}/"

log "building the Boehm GC peer"
g++ "${CXXFLAGS[@]}" bench/peer_boehm.cc -lgc -o "${BUILD}/peer_boehm" ||
  SKIP[boehm]="build failed (libgc-dev)"

log "building the cppgc peer"
if fetch_libnode; then
  g++ "${CXXFLAGS[@]}" -fno-rtti -isystem "${V8_INCLUDE}" bench/peer_cppgc.cc \
    -L"${NODE_LIB}" -l:libnode.so.108 -Wl,-rpath,"${NODE_LIB}" -pthread \
    -o "${BUILD}/peer_cppgc" || SKIP[cppgc]="build failed against libnode-dev"
else
  SKIP[cppgc]="could not fetch libnode108/libnode-dev with apt-get download"
fi
[[ -x "${PYTHON}" ]] || SKIP[cpython]="no ${PYTHON}"

# --- Runs -------------------------------------------------------------------------
readonly PEERS=(cyclegc cyclegc-weak cyclegc-acyclic shared_ptr-weak
  shared_ptr-strong boehm cppgc cpython)
peer_command() {
  case "$1" in
    cyclegc) echo "${BUILD}/peer_cyclegc strong" ;;
    cyclegc-weak) echo "${BUILD}/peer_cyclegc weak" ;;
    cyclegc-acyclic) echo "${BUILD}/peer_cyclegc acyclic" ;;
    shared_ptr-weak) echo "${BUILD}/peer_shared_ptr weak" ;;
    shared_ptr-strong) echo "${BUILD}/peer_shared_ptr strong" ;;
    boehm) echo "${BUILD}/peer_boehm default" ;;
    cppgc) echo "${BUILD}/peer_cppgc default" ;;
    cpython) echo "${PYTHON} ${ROOT}/bench/peer_cpython.py default" ;;
  esac
}

# "workload n": every case, in the order of the report.
CASES=(
  "tree_churn 0" "binary_trees 16" "graph_churn 1000000" "linked_lists 0"
  "full_live 1000000" "full_live 10000000"
  "full_live_shuffled 1000000" "cycles 1000000" "cycles 10000000"
  "young 0" "young 1000000" "young 10000000" "acyclic 10000000"
)
readonly RAW="${OUT}/raw.jsonl"
: >"${RAW}"

run_one() {  # peer workload n: appends one JSON line to RAW
  local peer=$1 workload=$2 n=$3 line status
  if [[ -n "${SKIP[${peer}]:-}" ]]; then
    printf '{"peer": "%s", "workload": "%s", "n": %s, "skipped": "%s"}\n' \
      "${peer}" "${workload}" "${n}" "${SKIP[${peer}]}" >>"${RAW}"
    return
  fi
  if ((n >= 10000000 && !LARGE)) && [[ "${workload}" != acyclic &&
    "${peer}" != cyclegc* ]]; then
    printf '{"peer": "%s", "workload": "%s", "n": %s, "skipped": "%s"}\n' \
      "${peer}" "${workload}" "${n}" "10M case: run with --large" >>"${RAW}"
    return
  fi
  # shellcheck disable=SC2046
  if line=$(timeout 600 $(peer_command "${peer}") "${workload}" "${n}"); then
    echo "${line}" >>"${RAW}"
  else
    status=$?
    printf '{"peer": "%s", "workload": "%s", "n": %s, "error": "%s"}\n' \
      "${peer}" "${workload}" "${n}" "failed with exit status ${status}" >>"${RAW}"
  fi
}

start=${SECONDS}
for ((round = 1; round <= ROUNDS; ++round)); do
  log "round ${round} of ${ROUNDS}"
  for ((c = 0; c < ${#CASES[@]}; ++c)); do
    read -r workload n <<<"${CASES[c]}"
    # Rotate the peers' order from case to case and round to round.
    count=${#PEERS[@]}
    for ((i = 0; i < count; ++i)); do
      run_one "${PEERS[(i + c + round) % count]}" "${workload}" "${n}"
    done
  done
done
log "runs took $((SECONDS - start)) s"

# The library's own hot paths (bench/micro_bench.cc), after the peers.
log "running the microbenchmarks (bazel -c opt //bench:micro_bench)"
if bazel build -c opt //bench:micro_bench; then
  {
    echo "# bazel run -c opt //bench:micro_bench at" \
      "$(git rev-parse --short HEAD 2>/dev/null || echo 'an unknown tree')," \
      "$(date -u '+%Y-%m-%d %H:%M') UTC; machine as in results.md. (A" \
      "DEBUG warning refers to Debian's libbenchmark, not to this code.)"
    bazel-bin/bench/micro_bench --benchmark_out="${OUT}/micro_bench.json" \
      --benchmark_out_format=json 2>&1
  } >"${OUT}/micro_bench.txt" || log "micro_bench failed; see ${OUT}/micro_bench.txt"
else
  log "micro_bench did not build; ${OUT}/micro_bench.* left as they were"
fi

"${PYTHON}" bench/report.py "${RAW}" "${OUT}"
