#!/usr/bin/env bash
# The tour: runs each example program in turn and says how long it took.
#
#   bazel run -c opt //examples:tour                  # default sizes
#   bazel run -c opt //examples:tour -- --large       # larger sizes, all
#   bazel run -c opt //examples:tour -- tree_cycles --callbacks  # one example
set -euo pipefail

examples=(tree_cycles task_scheduler object_cost responsive_loop thread_pool
  executor leak_hunt)

# `bazel run` starts us in the runfiles tree; run directly, we find it.
dir="examples"
if [[ ! -x "${dir}/tree_cycles" ]]; then
  dir="${RUNFILES_DIR:-$0.runfiles}/cyclegc/examples"
fi

selected=("${examples[@]}")
if (($# > 0)) && [[ " ${examples[*]} " == *" $1 "* ]]; then
  selected=("$1")
  shift
fi

start=${SECONDS}
for name in "${selected[@]}"; do
  "${dir}/${name}" "$@"
done
echo
echo "Tour: ${#selected[@]} example(s) in $((SECONDS - start)) s" \
  "(bazel run -c opt //examples:<name> runs one)."
