#!/usr/bin/env bash
# Builds the examples with optimizations and runs their tour. Arguments go to
# the tour: `--large` for larger sizes, or an example's name and its flags.
#   tools/demo.sh
#   tools/demo.sh --large
#   tools/demo.sh tree_cycles --callbacks
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/install_deps.sh
bazel run -c opt //examples:tour -- "$@"
