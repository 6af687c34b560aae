#!/usr/bin/env bash
# memleak benchmark: generates large deterministic inputs and times memleak against the peers
# (go tool pprof, heaptrack_print, ms_print) and the floors (gzip -dc, zstd -dc, cat) in one
# run, on the same files. Not run by ctest.
#
#   tests/bench/run.sh [all|scaling|peers|analyse|reports]     (default: all)
#
# Environment:
#   BENCH_DIR   scratch directory for the build and the inputs (default /tmp/memleak-bench)
#   MEMLEAK     memleak binary to time (default: the one built in $BENCH_DIR/build)
#   PAIR_SIZE   samples per pprof profile of the peer comparison (default 400000)
#   PEERS       0 = skip the slow peers (go tool pprof, heaptrack_print, ms_print)
#   SCALING_SAMPLES  pprof sizes of the scaling table (default "10000 200000 1000000")
#   RUNS        runs per measurement after one warm-up run (default 3; median; anything slower
#               than 60 s is measured once)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
what=${1:-all}
BENCH_DIR=${BENCH_DIR:-/tmp/memleak-bench}
PAIR_SIZE=${PAIR_SIZE:-400000}
PEERS=${PEERS:-1}
RUNS=${RUNS:-3}
build=$BENCH_DIR/build
data=$BENCH_DIR/data
mkdir -p "$build" "$data"

command -v /usr/bin/time >/dev/null || { echo "run.sh: install package 'time'" >&2; exit 2; }

# --- build memleak + generators (own build directory, never the source tree's)
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} >/dev/null
targets="bench_gen bench_analyse"
[[ -n ${MEMLEAK:-} ]] || targets+=" memleak"
make -C "$build" -j"$(nproc)" $targets >/dev/null
MEMLEAK=${MEMLEAK:-$build/memleak/cli/memleak}
gen=$build/bench_gen

# --- inputs (generated once; deterministic)
pprof() {  # pprof SAMPLES VARIANT -> path
  local f=$data/heap.$1.$2.pb.gz
  [[ -s $f ]] || "$gen" pprof "$f" "$1" "$2"
  echo "$f"
}
heaptrack() {  # heaptrack EVENTS -> path
  local f=$data/heaptrack.shopd.$1.zst
  [[ -s $f ]] || "$gen" heaptrack "$1" | zstd -q -3 -T1 -o "$f"
  echo "$f"
}
massif() {  # massif SNAPSHOTS SITES -> path
  local f=$data/massif.out.$1x$2
  [[ -s $f ]] || "$gen" massif "$1" "$2" > "$f"
  echo "$f"
}

# --- measurement: "wall_seconds peak_rss_kib", median of RUNS after one warm-up run (for every
# tool alike: the first run after a pause was up to 25% slower on the VM, page cache and all);
# anything slower than 60 s is measured once, its warm-up run being the measurement
measure() {
  local out=$BENCH_DIR/time.out walls=() rss=() i w m
  once() {
    /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>"$BENCH_DIR/stderr" || {
      # memleak exits 1 when a gate fails; peers exit 0. Anything else is a failure.
      local rc=$?
      [[ $rc == 1 && $1 == "$MEMLEAK" ]] || { echo "run.sh: failed ($rc): $*" >&2; tail -3 "$BENCH_DIR/stderr" >&2; }
    }
    read -r w m < <(tail -1 "$out")
  }
  once "$@"
  if awk -v w="$w" 'BEGIN { exit !(w > 60) }'; then
    walls+=("$w"); rss+=("$m")
  else
    for ((i = 0; i < RUNS; i++)); do
      once "$@"
      walls+=("$w"); rss+=("$m")
    done
  fi
  local n=${#walls[@]}
  local mw mr
  mw=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (n + 1) / 2 ))p")
  mr=$(printf '%s\n' "${rss[@]}" | sort -g | sed -n "$(( (n + 1) / 2 ))p")
  echo "$mw $mr"
}
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
size() { du -h "$1" | cut -f1; }

# row INPUT TOOL "wall rss" MEMLEAK_RESULT
row() {
  local w r mw mr
  read -r w r <<<"$3"; read -r mw mr <<<"$4"
  echo "| $1 | $2 | $w | $(mib "$r") | $(ratio "$mw" "$w") | $(ratio "$mr" "$r") |"
}
header() {
  echo
  echo "| input | tool | wall s | peak RSS MiB | memleak/tool wall | memleak/tool RSS |"
  echo "|---|---|---:|---:|---:|---:|"
}

peers() {
  echo "## Peers and floors (same run, same files; median of $RUNS after a warm-up run, 1 run if > 60 s)"
  echo
  echo "$(nproc) cores; $(uname -r); memleak $("$MEMLEAK" --version 2>/dev/null | head -1)"
  local a b
  a=$(pprof "$PAIR_SIZE" 0); b=$(pprof "$PAIR_SIZE" 1)
  header
  local m; m=$(measure "$MEMLEAK" diff "$a" "$b")
  local in="pprof pair ${PAIR_SIZE} samples ($(size "$a") + $(size "$b") gz)"
  row "$in" "memleak diff" "$m" "$m"
  row "$in" "gzip -dc both (floor)" "$(measure sh -c "gzip -dc '$a' '$b'")" "$m"
  if [[ $PEERS == 1 ]]; then
    row "$in" "go tool pprof -top -diff_base" "$(measure go tool pprof -top -diff_base "$a" "$b")" "$m"
  fi

  # One trace, and a pair (before, after): memleak, the floor, heaptrack_print.
  trace_rows() {  # trace_rows LABEL TRACE
    local m; m=$(measure "$MEMLEAK" diff "$2")
    row "$1" "memleak diff (one trace)" "$m" "$m"
    row "$1" "zstd -dc (floor)" "$(measure zstd -dc "$2")" "$m"
    [[ $PEERS == 1 ]] && row "$1" "heaptrack_print" "$(measure heaptrack_print "$2")" "$m"
    return 0
  }
  pair_rows() {  # pair_rows LABEL BEFORE AFTER
    local m; m=$(measure "$MEMLEAK" diff "$2" "$3")
    row "$1" "memleak diff (pair)" "$m" "$m"
    row "$1" "zstd -dc both (floor)" "$(measure sh -c "zstd -dc '$2' '$3'")" "$m"
    [[ $PEERS == 1 ]] && row "$1" "heaptrack_print -d" "$(measure heaptrack_print -d "$2" "$3")" "$m"
    return 0
  }
  local h1 h2 h10 h20
  h1=$(heaptrack 1000000); h2=$(heaptrack 2000000); h10=$(heaptrack 10000000)
  # 20M: the size of the issue's own measurement (heaptrack_print ~4 s on a 62 MB .zst trace).
  h20=$(heaptrack 20000000)
  trace_rows "heaptrack 2M events ($(size "$h2") zst)" "$h2"
  trace_rows "heaptrack 10M events ($(size "$h10") zst)" "$h10"
  trace_rows "heaptrack 20M events ($(size "$h20") zst)" "$h20"
  pair_rows "heaptrack pair 1M + 2M events" "$h1" "$h2"
  pair_rows "heaptrack pair 10M + 20M events" "$h10" "$h20"

  local mf; mf=$(massif 400 3000)
  m=$(measure "$MEMLEAK" diff "$mf")
  in="massif 400 snapshots x 3000 sites ($(size "$mf"))"
  row "$in" "memleak diff" "$m" "$m"
  row "$in" "cat (floor)" "$(measure cat "$mf")" "$m"
  [[ $PEERS == 1 ]] && row "$in" "ms_print" "$(measure ms_print "$mf")" "$m"
  return 0
}

scaling() {
  echo
  echo "## Scaling (memleak diff; cost per input unit should stay flat)"
  echo
  echo "| input | size | wall s | peak RSS MiB | µs per unit |"
  echo "|---|---:|---:|---:|---:|"
  local n a b w r
  for n in ${SCALING_SAMPLES:-10000 200000 1000000}; do
    a=$(pprof $n 0); b=$(pprof $n 1)
    read -r w r < <(measure "$MEMLEAK" diff "$a" "$b")
    echo "| pprof pair, $n samples each | $(size "$a") + $(size "$b") | $w | $(mib "$r") | $(awk -v w="$w" -v n=$n 'BEGIN { printf "%.2f", w * 1e6 / (2.1 * n) }') per sample |"
  done
  for n in 1000000 10000000 20000000; do
    a=$(heaptrack $n)
    read -r w r < <(measure "$MEMLEAK" diff "$a")
    echo "| heaptrack, $n events | $(size "$a") | $w | $(mib "$r") | $(awk -v w="$w" -v n=$n 'BEGIN { printf "%.3f", w * 1e6 / n }') per event |"
  done
  for n in 100x1000 400x3000; do
    a=$(massif "${n%x*}" "${n#*x}")
    read -r w r < <(measure "$MEMLEAK" diff "$a")
    echo "| massif, $n (snapshots x sites) | $(size "$a") | $w | $(mib "$r") | $(awk -v w="$w" -v s="$(stat -c %s "$a")" 'BEGIN { printf "%.3f", w * 1e6 / (s / 1048576) }') per MiB |"
  done
}

# Reports of every site (--top 0), as scripted triage asks for them: the report is larger
# than the input, so writing it must neither dominate the run nor hold it all in memory.
reports() {
  echo
  echo "## Reports of every site (--top 0; median of $RUNS after a warm-up run)"
  echo
  echo "| input | report | output MB | wall s | peak RSS MiB |"
  echo "|---|---|---:|---:|---:|"
  local a b w r f bytes inputs label
  for label in pprof heaptrack; do
    if [[ $label == pprof ]]; then
      a=$(pprof "$PAIR_SIZE" 0); b=$(pprof "$PAIR_SIZE" 1); inputs=("$a" "$b")
      label="pprof pair $PAIR_SIZE samples"
    else
      inputs=("$(heaptrack 10000000)"); label="heaptrack 10M events"
    fi
    read -r w r < <(measure "$MEMLEAK" diff "${inputs[@]}")
    bytes=$("$MEMLEAK" diff "${inputs[@]}" | wc -c)
    echo "| $label | text, top 20 (default) | $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }') | $w | $(mib "$r") |"
    # Every distinct stack a site: the keys of whole stacks (core/site_key.h).
    read -r w r < <(measure "$MEMLEAK" diff --granularity stack "${inputs[@]}")
    echo "| $label | text, --granularity stack | - | $w | $(mib "$r") |"
    for f in text json csv html folded pprof; do
      read -r w r < <(measure "$MEMLEAK" diff --top 0 --format $f "${inputs[@]}")
      bytes=$("$MEMLEAK" diff --top 0 --format $f "${inputs[@]}" | wc -c)
      echo "| $label | $f --top 0 | $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }') | $w | $(mib "$r") |"
    done
  done
}

analyse() {
  echo
  echo "## Analysis alone (align + analyse, in memory, no parsing)"
  echo
  echo '```'
  "$build/bench_analyse" 100 10000
  "$build/bench_analyse" 100 10000
  "$build/bench_analyse" 100 10000
  echo '```'
}

case $what in
  all) peers; scaling; analyse; reports ;;
  peers) peers ;;
  reports) reports ;;
  scaling) scaling ;;
  analyse) analyse ;;
  *) echo "usage: run.sh [all|scaling|peers|analyse|reports]" >&2; exit 2 ;;
esac
