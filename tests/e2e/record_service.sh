#!/usr/bin/env bash
# `memleak record` against a real Go service (testdata/go/cmd/leakyservice), loopback only:
#  - with -leak, a recorded series fails `memleak check --fail-on leak` (exit 1) and names
#    the leaking function; without -leak, the same check passes (exit 0);
#  - record --check stops with exit 1 once the leak shows;
#  - Ctrl-C (SIGINT) stops after the fetch in progress, keeps the snapshots, exits 130;
#  - errors exit 2 with a clear message: refused connection, HTTP 404, an answer that is not
#    a profile; a bearer token never appears in any output.
# Every step is bounded by `timeout`; the services are killed on exit.
#
# Usage: record_service.sh MEMLEAK SOURCE_DIR WORK_DIR
# Exit: 0 pass, 1 fail, 77 skipped (no go toolchain).
set -euo pipefail

MEMLEAK=$1
SRC=$2
WORK=$3

if ! command -v go > /dev/null; then
  echo "SKIP: go not found (Debian: apt-get install golang-go)"
  exit 77
fi

fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
}
trap cleanup EXIT

# Offline build into the work dir. The Go build cache is shared between runs (the ordinary
# and the sanitizer build both run this test): compiling the standard library once is most of
# the cost, and Go's cache is safe to share.
export GOCACHE="${MEMLEAK_GOCACHE:-${TMPDIR:-/tmp}/memleak-gocache}" GOPATH="$WORK/gopath" GOPROXY=off GOFLAGS= GOWORK=off \
  CGO_ENABLED=0 GOTOOLCHAIN=local
(cd "$SRC/testdata/go" && timeout 240 go build -trimpath -o "$WORK/leakyservice" ./cmd/leakyservice) ||
  fail "go build ./cmd/leakyservice"

# start_service NAME [ARGS...]: sets ADDR (host:port, from the service's first stdout line).
start_service() {
  local name=$1
  shift
  "$WORK/leakyservice" -addr 127.0.0.1:0 -lifetime 120s "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  pids+=($!)
  ADDR=
  for _ in $(seq 100); do
    ADDR=$(head -n 1 "$WORK/$name.out" 2> /dev/null || true)
    [ -n "$ADDR" ] && break
    sleep 0.1
  done
  [ -n "$ADDR" ] || fail "$name did not print its address"
  case "$ADDR" in 127.0.0.1:*) ;; *) fail "$name is not on loopback: $ADDR" ;; esac
}

# run_rc OUTFILE CMD...: runs with a timeout, stdout+stderr to OUTFILE, echoes the exit code.
run_rc() {
  local out=$1
  shift
  local rc=0
  timeout 90 "$@" > "$out" 2>&1 || rc=$?
  echo "$rc"
}

# --- a leaking service: record, then check fails and names the leak
start_service leaky -leak
rc=$(run_rc "$WORK/record-leak.log" "$MEMLEAK" record "http://$ADDR" --every 1s --count 5 --out "$WORK/leak")
[ "$rc" -eq 0 ] || { cat "$WORK/record-leak.log"; fail "record (leak) exit $rc"; }
for k in 0001 0002 0003 0004 0005; do
  [ -s "$WORK/leak/heap.$k.pb.gz" ] || fail "missing $WORK/leak/heap.$k.pb.gz"
done
[ "$(ls "$WORK/leak" | wc -l)" -eq 5 ] || fail "unexpected files in $WORK/leak: $(ls "$WORK/leak")"
rc=$(run_rc "$WORK/check-leak.log" "$MEMLEAK" check --fail-on leak "$WORK"/leak/heap.*.pb.gz)
[ "$rc" -eq 1 ] || { cat "$WORK/check-leak.log"; fail "check on the leaking service: exit $rc, expected 1"; }
grep -qF 'main.(*Registry).track' "$WORK/check-leak.log" ||
  { cat "$WORK/check-leak.log"; fail "check does not name main.(*Registry).track"; }

# --- record --check stops with exit 1 once the leak shows (a leak needs 4 snapshots)
rc=$(run_rc "$WORK/record-check.log" "$MEMLEAK" record "$ADDR" --every 1s --count 8 --out "$WORK/check" --check --fail-on leak --goroutines)
[ "$rc" -eq 1 ] || { cat "$WORK/record-check.log"; fail "record --check on the leak: exit $rc, expected 1"; }
grep -q 'threshold crossed' "$WORK/record-check.log" || fail "record --check does not say why it stopped"
[ -s "$WORK/check/goroutine.0001.pb.gz" ] || fail "--goroutines wrote no goroutine.0001.pb.gz"

# --- Ctrl-C: stops after the current fetch, keeps what it has, exits 130
timeout 90 "$MEMLEAK" record "http://$ADDR" --every 1s --count 100 --out "$WORK/interrupted" \
  > "$WORK/record-int.log" 2>&1 &
rec=$!
pids+=($rec)
for _ in $(seq 100); do
  [ -e "$WORK/interrupted/heap.0002.pb.gz" ] && break
  sleep 0.1
done
kill -INT "$rec"
rc=0
wait "$rec" || rc=$?
[ "$rc" -eq 130 ] || { cat "$WORK/record-int.log"; fail "record after SIGINT: exit $rc, expected 130"; }
grep -q 'interrupted: kept' "$WORK/record-int.log" || fail "no 'interrupted: kept' after SIGINT"
[ -s "$WORK/interrupted/heap.0002.pb.gz" ] || fail "snapshots not kept after SIGINT"
if ls -a "$WORK/interrupted" | grep -q '\.tmp\.\|\.check'; then fail "temporary files left after SIGINT"; fi

# --- errors: exit 2, clear messages, the token never shown
export MEMLEAK_BEARER_TOKEN=sekrit-token-4711
rc=$(run_rc "$WORK/err-404.log" "$MEMLEAK" record "http://$ADDR/debug/pprof/nosuchprofile" --count 1 --out "$WORK/e404" --header "X-Api-Key: sekrit-header-4712")
[ "$rc" -eq 2 ] || fail "404: exit $rc, expected 2"
grep -q 'HTTP 404' "$WORK/err-404.log" || { cat "$WORK/err-404.log"; fail "404 not reported"; }
rc=$(run_rc "$WORK/err-notprofile.log" "$MEMLEAK" record "http://$ADDR/healthz?probe=1" --count 1 --out "$WORK/enp")
[ "$rc" -eq 2 ] || fail "non-profile answer: exit $rc, expected 2"
grep -q 'not a pprof profile' "$WORK/err-notprofile.log" || { cat "$WORK/err-notprofile.log"; fail "non-profile not reported"; }
[ -z "$(ls -A "$WORK/enp")" ] || fail "a non-profile answer was written"
kill "${pids[0]}" 2> /dev/null || true
wait "${pids[0]}" 2> /dev/null || true
rc=$(run_rc "$WORK/err-refused.log" "$MEMLEAK" record "http://$ADDR" --count 1 --timeout 5s --out "$WORK/eref")
[ "$rc" -eq 2 ] || fail "refused: exit $rc, expected 2"
grep -q 'connection refused' "$WORK/err-refused.log" || { cat "$WORK/err-refused.log"; fail "refused connection not reported"; }
if grep -q 'sekrit' "$WORK"/err-*.log "$WORK"/record-*.log; then fail "a secret appears in the output"; fi
unset MEMLEAK_BEARER_TOKEN

# --- the same service without -leak: the check passes
start_service steady
rc=$(run_rc "$WORK/record-steady.log" "$MEMLEAK" record "http://$ADDR" --every 1s --count 5 --out "$WORK/steady")
[ "$rc" -eq 0 ] || { cat "$WORK/record-steady.log"; fail "record (steady) exit $rc"; }
rc=$(run_rc "$WORK/check-steady.log" "$MEMLEAK" check --fail-on leak "$WORK"/steady/heap.*.pb.gz)
[ "$rc" -eq 0 ] || { cat "$WORK/check-steady.log"; fail "check on the steady service: exit $rc, expected 0"; }

echo "PASS: leak found and named, steady service passes, --check, SIGINT and error paths; logs in $WORK"
