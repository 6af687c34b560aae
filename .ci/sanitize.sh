#!/usr/bin/env bash
# The sanitizer run: a second build (gcc, AddressSanitizer + UndefinedBehaviorSanitizer via
# -DMEMLEAK_SANITIZE=ON, any finding aborts) and every ctest test under it: unit, golden, the
# fuzz corpora and regressions replayed, and the hostile inputs. Called by .ci/run.
#
#   .ci/sanitize.sh            (build dir: build-asan, or $MEMLEAK_ASAN_BUILD)
#
# Budget: it shares CI's 15 minutes with the ordinary build. -O1 with line tables only
# (-g1) compiles about as fast as -O0 but runs the tests several times faster, and keeps
# file:line in sanitizer reports.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${MEMLEAK_ASAN_BUILD:-$root/build-asan}
jobs=${JOBS:-$(nproc)}

cmake -S "$root" -B "$build" -DMEMLEAK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" >/dev/null
cmake --build "$build" -j "$jobs"

# Leaks count as failures too; a report stops the test at the first finding.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# The live-service test is left to the ordinary run: it spends its minutes building a Go
# program and waiting between fetches; every other test runs here.
ctest --test-dir "$build" --output-on-failure -j "$jobs" -E e2e_record_service
