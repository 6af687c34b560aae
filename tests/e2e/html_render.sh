#!/usr/bin/env bash
# Renders a real HTML report (testdata/go/profiles/webcache) in headless Chromium and checks
# the DOM the browser built: the verdict in words, one chart per flagged site, the flame
# graph's frames and legend, and that the inline script ran. Saves the report and a
# screenshot in OUT_DIR as artifacts.
#
# Usage: html_render.sh MEMLEAK SOURCE_DIR OUT_DIR     (CHROMIUM=/path overrides the browser)
# Exit: 0 pass, 1 fail, 77 skipped (no chromium).
set -euo pipefail

MEMLEAK=$1
SRC=$2
OUT=$3
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$CHROMIUM" ]; then
  echo "SKIP: $CHROMIUM not found (Debian: apt-get install chromium)"
  exit 77
fi

fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

inputs=("$SRC"/testdata/go/profiles/webcache/heap.*.pb.gz)
"$MEMLEAK" diff "${inputs[@]}" --format html --output json="$tmp/report.json" > "$OUT/report.html"

# What the report must show, from the same analysis in JSON.
leaks=$(grep -o '"leak_count": [0-9]*' "$tmp/report.json" | grep -o '[0-9]*$')
flagged=$(grep -cE '"verdict": "(leak|growing)"' "$tmp/report.json" || true)
[ "$leaks" -ge 1 ] || fail "webcache should have a leak (leak_count $leaks)"

# Loopback only, no profile state, nothing from the network: any lookup fails.
browser=("$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
         --disable-background-networking --disable-component-update --disable-sync
         --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$tmp/profile")
timeout 90 "${browser[@]}" --dump-dom "file://$OUT/report.html" > "$OUT/dom.html" 2> "$tmp/chromium.err" ||
  { cat "$tmp/chromium.err" >&2; fail "chromium --dump-dom failed"; }
timeout 90 "${browser[@]}" --window-size=1200,3000 --screenshot="$OUT/report.png" \
  "file://$OUT/report.html" > /dev/null 2>> "$tmp/chromium.err" ||
  { cat "$tmp/chromium.err" >&2; fail "chromium --screenshot failed"; }

dom="$OUT/dom.html"
count() { grep -o "$1" "$dom" | wc -l; }

[ -s "$dom" ] || fail "empty DOM"
grep -q "Likely leaks ($leaks)" "$dom" || fail "verdict text 'Likely leaks ($leaks)' not in the DOM"
grep -q 'data-js="ready"' "$dom" || fail "the inline script did not run"

charts=$(count '<div class="site-chart ')
[ "$charts" -eq "$flagged" ] || fail "$charts site charts for $flagged flagged sites"
svg_charts=$(count '<svg class="chart site"')
[ "$svg_charts" -eq "$flagged" ] || fail "$svg_charts chart SVGs for $flagged flagged sites"
trends=$(count '<line class="trend"')
[ "$trends" -eq "$flagged" ] || fail "$trends trend lines for $flagged flagged sites"

frames=$(count '<g class="frame"')
[ "$frames" -ge 3 ] || fail "only $frames flame graph frames"
grep -q 'data-name="main.renderResponse"' "$dom" || fail "the leak main.renderResponse is not in the flame graph"
grep -q 'id="flame-legend"' "$dom" || fail "no flame graph legend"
grep -q 'red = grew' "$dom" || fail "the legend does not explain the colours"

if grep -qE '(src|href)="(https?:)?//' "$dom"; then fail "the report references the network"; fi

head -c 8 "$OUT/report.png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' || fail "no PNG screenshot"

echo "PASS: $charts site charts, $frames flame frames; artifacts in $OUT (report.html, dom.html, report.png)"
