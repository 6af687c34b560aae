#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, build dir build-fuzz) and fuzzes each for SECONDS, one
# target at a time on one core. New crashing/hanging/out-of-memory inputs are saved to
# tests/fuzz/regressions/<target>/ (which ctest replays); the grown corpus stays in
# build-fuzz/work/<target>/ (not committed: tests/fuzz/corpus/ holds only the seeds).
#
#   tests/fuzz/run_fuzzers.sh SECONDS [TARGET...]     (default: every target)
#
# Exit status 1 if any target found something.
#
# MEMLEAK_FUZZ_SNAPSHOT=1 builds from `git archive HEAD` (in BUILD/src) instead of the working
# tree: with others editing headers during the (long) instrumented build, a working-tree build
# can link objects compiled against two versions of a struct, and the "crashes" it finds are
# artefacts. Confirm every finding against a consistent build before fixing anything.
set -euo pipefail

seconds=${1:?usage: run_fuzzers.sh SECONDS [TARGET...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${MEMLEAK_FUZZ_BUILD:-$root/build-fuzz}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pprof pprof_text massif heaptrack detect suppressions pipeline)

src=$root
if [ "${MEMLEAK_FUZZ_SNAPSHOT:-0}" = 1 ]; then
  src=$build/src
  mkdir -p "$src"
  git -C "$root" archive HEAD | tar -x -C "$src"
fi
if [ -f "$build/CMakeCache.txt" ] &&
   ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$src" "$build/CMakeCache.txt"; then
  echo "run_fuzzers: $build was configured from another source tree; remove it first" >&2
  exit 2
fi
# -fsanitize=fuzzer-no-link instruments the libraries under test for coverage feedback
# (MEMLEAK_FUZZ itself adds ASan+UBSan everywhere and libFuzzer's main to the targets).
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$src" -B "$build" -DMEMLEAK_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
fi
cmake --build "$build" -j1 --target $(printf 'fuzz_%s ' "${targets[@]}")

# Inputs bigger than this find nothing a smaller one would not, and slow every run down.
max_len() {
  case $1 in
    suppressions) echo 4096 ;;
    *) echo 65536 ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  bin=$(find "$build" -name "fuzz_$t" -type f -perm -u+x | head -n1)
  work=$build/work/$t
  found=$root/tests/fuzz/regressions/$t
  mkdir -p "$work" "$found"
  known=$(find "$found" -type f | wc -l)  # committed regression inputs are not findings
  seeds=("$root/tests/fuzz/corpus/$t")
  [ -z "$(ls -A "$found")" ] || seeds+=("$found")
  # Fork mode (below) merges the seeds in a child that silently skips inputs that crash it, so
  # replay them plainly first.
  if ! "$bin" -runs=0 "${seeds[@]}" >"$build/work/$t.replay.log" 2>&1; then
    echo "   fuzz_$t crashes on a committed input; see $build/work/$t.replay.log"
    status=1
  fi
  echo "== fuzz_$t for ${seconds}s (log: $build/work/$t.log)"
  # -fork=1 with -ignore_*: one finding does not end the run; every one is saved.
  # ASAN_OPTIONS: the readers' own threads and the 64 MiB cap need no special settings;
  # detect_leaks stays on (a leak is a finding too).
  if ! "$bin" "$work" "${seeds[@]}" -max_total_time="$seconds" -max_len="$(max_len "$t")" \
      -timeout=5 -rss_limit_mb=2048 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
      -ignore_ooms=1 -artifact_prefix="$found/" -print_final_stats=1 \
      >"$build/work/$t.log" 2>&1; then
    echo "   fuzz_$t exited with an error; see the log"
    status=1
  fi
  n=$(find "$found" -type f | wc -l)
  echo "   $(grep -E 'cov:|stat::number_of_executed_units' "$build/work/$t.log" | tail -n1)"
  if [ "$n" -gt "$known" ]; then
    echo "   $((n - known)) new input(s) in $found"
    status=1
  fi
  rmdir "$found" 2>/dev/null || true  # keep regressions/<t>/ only when it holds something
done
exit $status
