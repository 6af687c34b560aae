#!/usr/bin/env bash
# README command 2: install, build, and run every test: unit, golden, fuzz-corpus replay,
# hostile inputs and end-to-end (ctest), then the whole suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/.ci/deps.sh"
bash "$root/.ci/build.sh"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)"
bash "$root/.ci/sanitize.sh"
