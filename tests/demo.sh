#!/usr/bin/env bash
# README command 1's reports (.ci/demo-commands.sh) run on the bundled files, exit 0, and name
# the leaks those files hold.
#
# Usage: demo.sh MEMLEAK SOURCE_DIR
set -euo pipefail
out=$(bash "$2/.ci/demo-commands.sh" "$1" never)
printf '%s\n' "$out"
for want in 'Likely leaks (2)' 'main.renderResponse' 'make_session(int)'; do
  [ "$(grep -cF -- "$want" <<<"$out")" -gt 0 ] || { echo "demo: '$want' not in the output" >&2; exit 1; }
done
[ "$(grep -cF 'Likely leaks (2)' <<<"$out")" -eq 2 ] || { echo "demo: expected two reports with two leaks each" >&2; exit 1; }
echo "PASS: both demo reports name their leaks"
