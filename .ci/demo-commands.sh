#!/usr/bin/env bash
# The reports README command 1 shows, on bundled snapshots: a Go service's heap profiles and a
# C++ program's massif file. Also run by ctest (`demo`), so that the README's command cannot
# name a file that is not there.
#
#   .ci/demo-commands.sh MEMLEAK [COLOR]     (COLOR: always, never, auto; default auto)
set -euo pipefail
memleak=$1
color=${2:-auto}
cd "$(dirname "$0")/.."
echo "\$ memleak diff testdata/go/profiles/webcache/heap.*.pb.gz"
"$memleak" diff --color "$color" testdata/go/profiles/webcache/heap.*.pb.gz --top 8
echo
echo "\$ memleak diff testdata/c/recordings/massif.out.leaky_cpp.ms"
"$memleak" diff --color "$color" testdata/c/recordings/massif.out.leaky_cpp.ms --top 8
