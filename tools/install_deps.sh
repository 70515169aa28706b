#!/usr/bin/env bash
# Installs the Debian packages the offline Bazel and CMake builds need.
# Idempotent: does nothing (and needs no network) when everything is already
# installed.
set -euo pipefail

readonly PACKAGES=(
  bazel-bootstrap
  bazel-rules-java
  cmake
  make
  libabsl-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  pkg-config
  g++
  graphviz
  python3
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  # `dpkg -s` also succeeds for removed-but-configured packages; check Status.
  if ! dpkg -s "${pkg}" 2>/dev/null | grep -q '^Status: install ok installed$'; then
    missing+=("${pkg}")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install_deps: installing ${missing[*]}" >&2
sudo=()
if ((EUID != 0)); then
  sudo=(sudo)
fi
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"
