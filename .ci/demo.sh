#!/usr/bin/env bash
# README command 1: install, build, and rank the leaks in bundled snapshots.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/.ci/deps.sh"
bash "$root/.ci/build.sh" >/dev/null
cd "$root"
echo "\$ memleak diff testdata/go/profiles/webcache/heap.*.pb.gz"
build/cli/memleak diff --color always testdata/go/profiles/webcache/heap.*.pb.gz --top 8
echo
echo "\$ memleak diff testdata/c/recordings/massif.out.registry"
build/cli/memleak diff --color always testdata/c/recordings/massif.out.registry --top 8
