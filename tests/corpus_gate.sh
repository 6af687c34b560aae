#!/usr/bin/env bash
# The CI gate on real data: `memleak check --fail-on leak` exits 1 on every leaking series of
# the public corpus (../shared/corpus; series of 4 or more snapshots, where verdicts exist) and
# on our own leaking Go scenarios, and 0 on our noise-only series (churn, bounded cache,
# burst). Exits 77 (skipped) for the public part when ../shared is absent.
#   tests/corpus_gate.sh MEMLEAK ROOT
set -uo pipefail
memleak=$1 root=$2
failed=0 passed=0
expect() {  # expect STATUS NAME FILE...
  local want=$1 name=$2
  shift 2
  "$memleak" check --fail-on leak --top 3 "$@" >/dev/null 2>&1
  local got=$?
  if [ "$got" = "$want" ]; then passed=$((passed + 1)); else
    echo "FAIL $name: memleak check --fail-on leak exited $got, expected $want"
    failed=$((failed + 1))
  fi
}
own="$root/testdata/go/profiles"
for s in webcache retainer slowleak warmup sharedhelper channelq subscribers; do
  expect 1 "own/$s" "$own/$s"/heap.*.pb.gz
done
expect 1 own/subscribers-goroutines "$own/subscribers"/goroutine.*.pb.gz
expect 0 own/burst "$own/burst"/heap.*.pb.gz
corpus="$root/../shared/corpus"
if [ -f "$corpus/index.json" ]; then
  while IFS=$'\t' read -r name files; do
    # shellcheck disable=SC2086
    expect 1 "corpus/$name" $files
  done < <(python3 - "$corpus" <<'PY'
import json, os, sys
corpus = sys.argv[1]
for sc in json.load(open(os.path.join(corpus, "index.json")))["scenarios"]:
    if sc["dir"].startswith("gperftools/"):
        continue  # addresses only: no symbols to name a leak by
    truth = json.load(open(os.path.join(corpus, sc["truth"])))
    d = os.path.join(corpus, sc["dir"])
    files = truth["files"]
    if len(files) >= 4 or truth.get("variant") in ("single", "detailed"):
        print("%s\t%s" % (sc["dir"], " ".join(os.path.join(d, f) for f in files)))
PY
)
fi
echo "corpus-gate: $passed passed, $failed failed"
[ "$failed" = 0 ]
