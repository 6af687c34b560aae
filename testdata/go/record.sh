#!/usr/bin/env bash
# Build the memleaktest Go scenario programs and record their profiles into
# testdata/go/profiles/<scenario>/heap.NNN.pb.gz (+ goroutine.NNN.pb.gz),
# then (re)write truth.json with tools/mktruth.py.
#
#   bash testdata/go/record.sh              # every scenario
#   bash testdata/go/record.sh webcache burst   # just these
#   NO_TRUTH=1 bash testdata/go/record.sh   # profiles only (no python3 needed)
#
# Offline and self-contained: the module has no dependencies, GOPROXY=off,
# GOCACHE/GOPATH live under /tmp (works as root on a fresh machine).
# Binaries go to $BUILD (default /tmp/memleaktest-build); that path is what
# the profiles' main mapping records, so keep the default for stable output.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${BUILD:-/tmp/memleaktest-build}
export GOCACHE=${MEMLEAKTEST_GOCACHE:-/tmp/memleaktest-gocache}
export GOPATH=/tmp/memleaktest-gopath
export GOPROXY=off GOFLAGS= GO111MODULE=on GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0

# scenario -> arguments (ticks; each program knows its MemProfileRate and
# whether it writes goroutine profiles)
declare -A ARGS=(
    [webcache]="-ticks 8"
    [subscribers]="-ticks 6"
    [retainer]="-ticks 6"
    [slowleak]="-ticks 10"
    [warmup]="-ticks 10"
    [burst]="-ticks 8"
    [sharedhelper]="-ticks 8"
    [channelq]="-ticks 8"
)
ALL="webcache subscribers retainer slowleak warmup burst sharedhelper channelq"
SCENARIOS=${*:-$ALL}

mkdir -p "$BUILD"
cd "$HERE"
go version
for p in $ALL leakyservice; do
    go build -trimpath -o "$BUILD/$p" "./cmd/$p"
done

record() {
    local name=$1 dir="$HERE/profiles/$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    # shellcheck disable=SC2086
    "$BUILD/$name" -out "$dir" ${ARGS[$name]}
}

for s in $SCENARIOS; do
    [ -n "${ARGS[$s]:-}" ] || { echo "record.sh: unknown scenario $s" >&2; exit 2; }
    echo "== $s"
    record "$s"
    if [ "$s" = slowleak ] && [ -z "${NO_TRUTH:-}" ]; then
        # Default 512 KiB sampling is random: retry until the slow leak is
        # visible (>= 3 new sampled records), at most 5 runs.
        for attempt in 2 3 4 5 0; do
            python3 "$HERE/tools/mktruth.py" --check slowleak && break
            [ "$attempt" = 0 ] && { echo "record.sh: slowleak leak not visible after 5 runs" >&2; exit 1; }
            echo "record.sh: slowleak: leak barely sampled, rerun ($attempt/5)"
            record slowleak
        done
    fi
done

# Reference output of the standard tool, next to the data.
for s in $SCENARIOS; do
    d="$HERE/profiles/$s"
    first=$(ls "$d"/heap.*.pb.gz | head -1); last=$(ls "$d"/heap.*.pb.gz | tail -1)
    go tool pprof -top -sample_index=inuse_space -diff_base "$first" "$last" \
        >"$d/peer-pprof-top-diff.txt" 2>/dev/null
    if ls "$d"/goroutine.*.pb.gz >/dev/null 2>&1; then
        gfirst=$(ls "$d"/goroutine.*.pb.gz | head -1); glast=$(ls "$d"/goroutine.*.pb.gz | tail -1)
        go tool pprof -traces "$glast" >"$d/peer-pprof-goroutine-last.txt" 2>/dev/null
        go tool pprof -top -diff_base "$gfirst" "$glast" >"$d/peer-pprof-goroutine-diff.txt" 2>/dev/null
    fi
done

if [ -z "${NO_TRUTH:-}" ]; then
    if [ "$SCENARIOS" = "$ALL" ]; then
        python3 "$HERE/tools/mktruth.py"
    else
        # shellcheck disable=SC2086
        python3 "$HERE/tools/mktruth.py" $SCENARIOS
    fi
fi
du -sh "$HERE/profiles"
