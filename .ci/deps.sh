#!/usr/bin/env bash
# Installs what building and testing memleak needs, from Debian 12's packages only.
# Idempotent: apt-get runs only when something is missing.
set -euo pipefail
packages=(
  cmake make g++ pkg-config binutils
  libcli11-dev nlohmann-json3-dev libprotobuf-dev protobuf-compiler libfmt-dev doctest-dev
  zlib1g-dev libzstd-dev libcurl4-openssl-dev
  # tests: Go programs and go tool pprof, zstd/gzip streams, python3 for JSON checks,
  # headless Chromium for the HTML report, clang for the fuzz build
  golang-go zstd gzip python3 chromium clang
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
