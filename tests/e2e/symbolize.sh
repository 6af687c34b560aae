#!/usr/bin/env bash
# End-to-end symbolization of address-only heap dumps (formats/symbols): a real program is
# compiled (gcc -g, PIE), four gperftools-style dumps are written whose stacks are return
# addresses into its functions (as tcmalloc's heap profiler records them, with the process's
# mappings at a random-looking base), and memleak must name the functions from the binary:
# found through --symbol-path, $PPROF_BINARY_PATH, or next to the dumps; kept as addresses
# with --no-symbolize; a warning naming the reason when the binary is missing, is not an
# ELF file, or addr2line cannot be run.
#   symbolize.sh MEMLEAK SOURCE_DIR WORK_DIR
set -euo pipefail
memleak=$1 src=$2 work=$3
command -v gcc >/dev/null && command -v addr2line >/dev/null && command -v nm >/dev/null || exit 77
rm -rf "$work"; mkdir -p "$work/bin" "$work/dumps" "$work/notelf"
gcc -g -O0 -fpie -pie -o "$work/bin/orders" "$src/tests/e2e/symbolize/orders.c"
fail() { echo "symbolize.sh: $*" >&2; exit 1; }

# The mappings a process would have had: each PT_LOAD segment at base + its page.
base=$((0x55d0c8a00000))
maps=$(readelf -lW "$work/bin/orders" | while read -r type off va _ fs _ flags; do
  [[ $type == LOAD ]] || continue
  perms=r--p; [[ $flags == *E* ]] && perms=r-xp
  printf '%x-%x %s %08x 00:00 4242    /build/host/orders\n' $(( base + va - va % 4096 )) \
    $(( base + va + fs )) $perms $(( off - off % 4096 ))
done)
# A return address 12 bytes into a function (the dump's addresses are return addresses).
ret() { printf '0x%x' $(( base + 0x$(nm "$work/bin/orders" | awk -v f="$1" '$3 == f { print $1 }') + 12 )); }
leak=$(ret record_order) cache=$(ret cache_line) main=$(ret main)
for n in 1 2 3 4; do
  {
    echo "heap profile: $((n + 1)): $((n * 4096 + 64)) [ $((n + 1)): $((n * 4096 + 64))] @ heapprofile"
    echo "     $n:  $((n * 4096)) [     $n:  $((n * 4096))] @ $leak $main"
    echo "     1:    64 [     1:    64] @ $cache $main"
    echo
    echo "MAPPED_LIBRARIES:"
    echo "$maps"
  } > "$work/dumps/orders.000$n.heap"
done
dumps=("$work"/dumps/orders.000?.heap)

# Expected names come from the binary itself: nm for the functions, addr2line (run here on
# the link-time address) for the lines.
line_of() { addr2line -e "$work/bin/orders" $(printf '0x%x' $(( $1 - 1 - base ))) | sed 's/.*://; s/ .*//'; }
leak_line=$(line_of $leak) cache_line=$(line_of $cache)
[[ $leak_line =~ ^[0-9]+$ && $cache_line =~ ^[0-9]+$ ]] || fail "addr2line gave no lines"

# 1. Not found: addresses stay, one warning per dump names the module and the fix.
out=$("$memleak" diff --format json --top 0 "${dumps[@]}" 2>/dev/null)
python3 - "$out" "${dumps[0]}" <<'PY' || fail "unsymbolized case"
import json, sys
r = json.loads(sys.argv[1])
want = ("%s: addresses left unsymbolized in 1 module: orders (not found); give the binaries' "
        "directory with --symbol-path") % sys.argv[2]
assert r["warnings"][0] == want, r["warnings"]
assert len(r["warnings"]) == 4, r["warnings"]
import re
assert all(re.fullmatch(r"orders\+0x[0-9a-f]+", f["function"]) and f["file"] is None
           for s in r["sites"] for f in s["frames"]), r["sites"]
PY

# 2. Found: by --symbol-path, by $PPROF_BINARY_PATH, and next to the dumps.
check_named() {
  python3 - "$1" "$leak_line" "$cache_line" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
assert r["warnings"] == [], r["warnings"]
sites = {s["frames"][0]["function"]: s for s in r["sites"]}
leak, cache = sites["record_order"], sites["cache_line"]
assert leak["frames"][0]["file"].endswith("orders.c") and leak["frames"][0]["line"] == int(sys.argv[2]), leak["frames"]
assert cache["frames"][0]["line"] == int(sys.argv[3]), cache["frames"]
assert [f["function"] for f in leak["stack"]] == ["record_order", "main"], leak["stack"]
assert leak["rank"] == 1 and leak["verdict"] == "leak", (leak["rank"], leak["verdict"])
assert cache["verdict"] != "leak", cache["verdict"]
PY
}
check_named "$("$memleak" diff --format json --top 0 --symbol-path "$work/notelf:$work/bin" "${dumps[@]}")" \
  || fail "--symbol-path"
check_named "$(PPROF_BINARY_PATH="$work/bin" "$memleak" diff --format json --top 0 "${dumps[@]}")" \
  || fail "PPROF_BINARY_PATH"
cp -r "$work/dumps" "$work/beside"; cp "$work/bin/orders" "$work/beside/"
check_named "$("$memleak" diff --format json --top 0 "$work"/beside/orders.000?.heap)" \
  || fail "binary next to the dumps"
"$memleak" diff --symbol-path "$work/bin" "${dumps[@]}" | grep -q "record_order at orders.c:$leak_line" \
  || fail "text report does not name record_order at orders.c:$leak_line"

# 3. --no-symbolize: addresses, and no warning.
out=$("$memleak" diff --no-symbolize --symbol-path "$work/bin" "${dumps[@]}" 2>&1)
grep -q "orders+0x" <<<"$out" || fail "--no-symbolize: no module+offset site"
! grep -q "record_order\|warning" <<<"$out" || fail "--no-symbolize still symbolized or warned"

# 4. A file of the right name that is no ELF, alone on the path: the warning says so.
printf '#!/bin/sh\n' > "$work/notelf/orders"
err=$("$memleak" diff --symbol-path "$work/notelf" "${dumps[0]}" "${dumps[1]}" 2>&1)
grep -qF "orders ($work/notelf/orders: not an ELF file); give" <<<"$err" || fail "not-ELF warning: $err"

# 5. No addr2line on PATH: the warning says what to install, and the report still comes.
mkdir -p "$work/nopath"; ln -sf "$(command -v python3)" "$work/nopath/python3"
err=$(PATH="$work/nopath" "$memleak" diff --symbol-path "$work/bin" "${dumps[0]}" "${dumps[1]}" 2>&1)
grep -qF "orders (cannot run addr2line (No such file or directory; it is in Debian's binutils)); give" <<<"$err" \
  || fail "no addr2line warning: $err"
# 6. One run of addr2line per binary for the whole series, not one per dump (SymbolCache):
# a wrapper on PATH counts them.
mkdir -p "$work/counting"
real=$(command -v addr2line)
printf '#!/bin/sh\necho run >> "%s/runs"\nexec "%s" "$@"\n' "$work" "$real" > "$work/counting/addr2line"
chmod +x "$work/counting/addr2line"; rm -f "$work/runs"
PATH="$work/counting:$PATH" "$memleak" diff --symbol-path "$work/bin" "${dumps[@]}" >/dev/null
[[ $(wc -l < "$work/runs") == 1 ]] || fail "addr2line ran $(wc -l < "$work/runs") times for ${#dumps[@]} dumps of one binary"
echo "symbolize.sh: ok (record_order at orders.c:$leak_line)"
