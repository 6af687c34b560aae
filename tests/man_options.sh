#!/usr/bin/env bash
# Every option that `memleak COMMAND --help` lists must be documented in man/memleak.1 and
# offered by the bash completion (cli/memleak-completion.bash).
#   tests/man_options.sh MEMLEAK ROOT
set -uo pipefail
memleak=$1 root=$2
man="$root/man/memleak.1" completion="$root/cli/memleak-completion.bash"
missing=0 checked=0
for cmd in diff check show record formats; do
  opts=$("$memleak" "$cmd" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
  for opt in $opts; do
    checked=$((checked + 1))
    escaped=${opt//-/\\-}
    if ! grep -qF -- "$escaped" "$man"; then
      echo "man/memleak.1 does not document $cmd $opt"
      missing=$((missing + 1))
    fi
    if ! grep -qE -- "(^|[ \"'])$opt([ \"']|$)" "$completion"; then
      echo "cli/memleak-completion.bash does not offer $cmd $opt"
      missing=$((missing + 1))
    fi
  done
  grep -qF ".B $cmd" "$man" || { echo "man/memleak.1 has no section for $cmd"; missing=$((missing + 1)); }
done
echo "man-options: $checked options checked, $missing missing"
[ "$missing" = 0 ]
