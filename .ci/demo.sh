#!/usr/bin/env bash
# README command 1: install, build, and rank the leaks in bundled snapshots.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/.ci/deps.sh"
bash "$root/.ci/build.sh" >/dev/null
bash "$root/.ci/demo-commands.sh" "$root/build/cli/memleak" always
