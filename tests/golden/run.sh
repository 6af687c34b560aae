#!/usr/bin/env bash
# Golden end-to-end tests: every testdata/golden/CASE/cmd is one memleak command line (words
# after "memleak", paths relative to the repository root). Its standard output, standard error
# and exit status must equal CASE/stdout, CASE/stderr and CASE/status exactly. JSON outputs are
# also checked for the invariant that shown rows plus others add up to the total in every
# snapshot.
#
#   MEMLEAK=build/cli/memleak tests/golden/run.sh ROOT [CASE...]
#   MEMLEAK_GOLDEN_UPDATE=1 ...   rewrites the expected files (review the diff by eye!)
set -uo pipefail
root=${1:?usage: run.sh ROOT [CASE...]}
shift
memleak=${MEMLEAK:?set MEMLEAK to the binary}
cd "$root"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=($(ls testdata/golden | grep -v '^inputs$'))
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in "${cases[@]}"; do
  dir=testdata/golden/$c
  [ -f "$dir/cmd" ] || continue
  eval "set -- $(cat "$dir/cmd")"
  NO_COLOR=1 timeout 60 "$memleak" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  echo $? >"$tmp/status"
  if [ "${MEMLEAK_GOLDEN_UPDATE:-}" = 1 ]; then
    cp "$tmp/stdout" "$tmp/stderr" "$tmp/status" "$dir/"
  fi
  ok=1
  for f in stdout stderr status; do
    if ! cmp -s "$tmp/$f" "$dir/$f"; then
      ok=0
      echo "FAIL $c: $f differs"
      diff -u "$dir/$f" "$tmp/$f" | head -40
    fi
  done
  if [ $ok = 1 ] && grep -q -- '--format json' "$dir/cmd"; then
    if ! python3 - "$tmp/stdout" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n = len(r["snapshots"])
for k in range(n):
    shown = sum(s["values"][k] for s in r["sites"]) + (r["others"]["values"][k] if r["others"] else 0)
    if shown != r["snapshots"][k]["total"]:
        sys.exit("snapshot %d: rows add up to %d, total is %d" % (k, shown, r["snapshots"][k]["total"]))
if r["total"]["first"] != r["snapshots"][0]["total"] or r["total"]["last"] != r["snapshots"][-1]["total"]:
    sys.exit("total.first/last disagree with the snapshots")
ranks = [s["rank"] for s in r["sites"]]
if ranks != list(range(1, len(ranks) + 1)):
    sys.exit("ranks are not 1..N in order")
PY
    then ok=0; echo "FAIL $c: JSON invariant"; fi
  fi
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "golden: $passed passed, $failed failed"
[ $failed = 0 ]
