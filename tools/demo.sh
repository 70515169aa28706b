#!/usr/bin/env bash
# Builds and runs the tree demo with optimizations. Arguments go to the demo.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/install_deps.sh
bazel run -c opt //examples:tree_demo -- "$@"
