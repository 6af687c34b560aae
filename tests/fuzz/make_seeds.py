#!/usr/bin/env python3
"""Writes the fuzz seed corpora under tests/fuzz/corpus/<target>/.

Seeds are small real files (copied from /work/shared/formats/samples and our own testdata,
decompressed for the per-format targets so the fuzzer mutates the format, not the
compression) plus crafted edge cases built here from readable Python, so that every binary
seed has a source. Rerun after changing this script; the output is deterministic.
"""
import gzip, os, shutil, struct, sys, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SAMPLES = os.path.abspath(os.path.join(ROOT, "..", "shared", "formats", "samples"))
CORPUS = os.path.join(HERE, "corpus")


def out(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        # latin-1: "\xff" in a str seed is the byte 0xff (invalid UTF-8), not U+00FF
        f.write(data if isinstance(data, bytes) else data.encode("latin-1"))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def unzstd(path):
    import subprocess
    return subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout


def zstd(data):
    import subprocess
    return subprocess.run(["zstd", "-c", "-q"], input=data, check=True, capture_output=True).stdout


def gz(data):
    return gzip.compress(data, mtime=0)


# --- protobuf wire encoding, enough for profile.proto -------------------------------------
def varint(v):
    v &= (1 << 64) - 1
    b = bytearray()
    while True:
        x = v & 0x7F
        v >>= 7
        if v:
            b.append(x | 0x80)
        else:
            b.append(x)
            return bytes(b)


def key(field, wire):
    return varint(field << 3 | wire)


def vfield(field, v):
    return key(field, 0) + varint(v)


def lfield(field, payload):
    return key(field, 2) + varint(len(payload)) + payload


def packed(field, values):
    return lfield(field, b"".join(varint(v) for v in values))


def profile(strings, sample_types, samples, locations, functions, mappings=(), extra=b""):
    """strings: list; sample_types: [(type,unit)] string indices; samples: [(locs, values)];
    locations: [(id, mapping, [(function_id, line)])]; functions: [(id, name, file)]."""
    b = bytearray()
    for t, u in sample_types:
        b += lfield(1, vfield(1, t) + vfield(2, u))
    for locs, values in samples:
        b += lfield(2, packed(1, locs) + packed(2, values))
    for mid, start, limit, fname in mappings:
        b += lfield(3, vfield(1, mid) + vfield(2, start) + vfield(3, limit) + vfield(5, fname))
    for lid, mid, lines in locations:
        p = vfield(1, lid) + (vfield(2, mid) if mid else b"") + vfield(3, 0x1000 + lid)
        for fid, line in lines:
            p += lfield(4, vfield(1, fid) + vfield(2, line))
        b += lfield(4, p)
    for fid, name, fname in functions:
        b += lfield(5, vfield(1, fid) + vfield(2, name) + vfield(4, fname))
    for s in strings:
        b += lfield(6, s.encode("latin-1") if isinstance(s, str) else s)
    return bytes(b + extra)


STR = ["", "inuse_space", "bytes", "inuse_objects", "count", "main.leak", "main.go",
       "runtime.malg", "/bin/app", "runtime\\..*", "main\\.keep"]
LOCS = [(1, 1, [(1, 10)]), (2, 1, [(2, 20), (1, 11)]), (3, 0, [])]
FUNCS = [(1, 5, 6), (2, 7, 6)]
MAPS = [(1, 0x1000, 0x9000, 8)]
TYPES = [(3, 4), (1, 2)]


def pprof_seeds():
    ok = profile(STR, TYPES, [([1, 2], [1, 100]), ([2], [2, 200]), ([3], [1, 8])], LOCS, FUNCS, MAPS)
    seeds = {
        "crafted-minimal.pb": ok,
        # drop_frames/keep_frames reach std::regex: seed that path.
        "crafted-drop-keep.pb": ok + vfield(7, 9) + vfield(8, 10),
        "crafted-time-period.pb": ok + vfield(9, 1700000000 * 10**9) + lfield(11, vfield(1, 1) + vfield(2, 2)) + vfield(12, 524288) + vfield(14, 1),
        "crafted-empty-strings.pb": lfield(6, b""),
        "crafted-no-string-table.pb": vfield(9, 1),
        "crafted-sample-to-missing-location.pb": profile(STR, TYPES, [([99], [1, 1])], LOCS, FUNCS, MAPS),
        "crafted-line-to-missing-function.pb": profile(STR, TYPES, [([1], [1, 1])], [(1, 0, [(42, 1)])], FUNCS),
        "crafted-location-to-missing-mapping.pb": profile(STR, TYPES, [([1], [1, 1])], [(1, 7, [(1, 1)])], FUNCS),
        "crafted-string-index-out-of-range.pb": profile(STR, [(1000, 2)], [([1], [1])], LOCS, FUNCS, MAPS),
        "crafted-huge-length.pb": key(6, 2) + varint(1 << 62) + b"abc",
        "crafted-negative-length.pb": key(6, 2) + varint(-1) + b"abc",
        "crafted-11-byte-varint.pb": key(9, 0) + b"\xff" * 10 + b"\x01",
        "crafted-values-overflow.pb": profile(STR, TYPES, [([1], [1, 2**63 - 1]), ([1], [1, 2**63 - 1])], LOCS, FUNCS, MAPS),
        "crafted-negative-values.pb": profile(STR, TYPES, [([1], [-5, -(2**63)])], LOCS, FUNCS, MAPS),
        "crafted-group-wire.pb": key(5, 3) + key(5, 4),
        "crafted-two-time-nanos.pb": vfield(9, 1) + vfield(9, 2) + lfield(6, b""),
        "crafted-invalid-utf8.pb": profile(
            [b"", b"inuse_space", b"bytes", b"inuse_objects", b"count", b"ma\xffin\xc3(",
             b"f\x80.go", b"x", b"/bin/\xfe", b"a", b"b"],
            TYPES, [([1, 2], [1, 100])], LOCS, FUNCS, MAPS),
        "crafted-goroutine.pb": profile(["", "goroutine", "count", "main.wait", "w.go"], [(1, 2)], [([1], [3])], [(1, 0, [(1, 5)])], [(1, 3, 4)]),
    }
    return seeds


def main():
    if os.path.isdir(CORPUS):
        shutil.rmtree(CORPUS)
    S = lambda n: os.path.join(SAMPLES, n)
    C = lambda n: os.path.join(ROOT, "testdata", "c", "recordings", n)

    # pprof (protobuf, decompressed)
    for n in ["go.heap.1.pb.gz", "go.heap.2.pb.gz", "go.heap.diff_base.pb.gz", "go.goroutine.pb.gz"]:
        out("pprof", n[:-3], gzip.decompress(read(S(n))))
    for name, data in pprof_seeds().items():
        out("pprof", name, data)

    # pprof-text
    for n in ["go.heap.2.legacy.txt", "gperf.leaky.0001.heap", "gperf.sampled.heap",
              "jemalloc.leaky.12345.0.f.heap", "go.goroutine.debug1.txt", "go.goroutine.debug2.txt"]:
        out("pprof_text", n, read(S(n)))
    out("pprof_text", "crafted-go-heap.txt",
        "heap profile: 2: 64 [4: 128] @ heap/1048576\n"
        "1: 32 [2: 64] @ 0x1 0x2\n#\t0x1\tmain.leak+0x1\t/src/main.go:10\n"
        "1: 32 [2: 64] @ 0x3\n\nMAPPED_LIBRARIES:\n00400000-00500000 r-xp 00000000 08:01 1 /bin/app\n")
    out("pprof_text", "crafted-gperf-overflow.heap",
        "heap profile: 1: 9223372036854775807 [1: 9223372036854775807] @ heapprofile\n"
        "1: 9223372036854775807 [1: 9223372036854775807] @ 0x1\n"
        "1: 9223372036854775807 [1: 9223372036854775807] @ 0x1\n")
    out("pprof_text", "crafted-huge-sampling.heap",
        "heap profile: 1: 1 [1: 1] @ heap_v2/18446744073709551615\n 1: 1 [ 1: 1] @ 0xffffffffffffffff\n")

    # massif
    out("massif", "massif.out.12345", read(S("massif.out.12345")))
    out("massif", "crafted-tiny.massif",
        "desc: --time-unit=B\ncmd: ./a\ntime_unit: B\n#-----------\nsnapshot=0\n#-----------\n"
        "time=0\nmem_heap_B=0\nmem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=empty\n"
        "#-----------\nsnapshot=1\n#-----------\ntime=100\nmem_heap_B=48\nmem_heap_extra_B=8\n"
        "mem_stacks_B=0\nheap_tree=peak\nn2: 48 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"
        " n1: 32 0x4005: leak (a.c:3)\n  n0: 32 0x4010: main (a.c:9)\n"
        " n0: 16 in 1 place, below massif's threshold (1.00%)\n"
        "#-----------\nsnapshot=2\n#-----------\ntime=200\nmem_heap_B=64\nmem_heap_extra_B=8\n"
        "mem_stacks_B=0\nheap_tree=detailed\nn1: 64 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"
        " n0: 64 0x4005: \xff\xfeleak\xc3 (a.c:3)\n")
    deep = ["desc: (none)\ncmd: ./deep\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\n"
            "time=1\nmem_heap_B=8\nmem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=detailed\n"
            "n1: 8 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"]
    for i in range(1, 200):
        deep.append(" " * i + "n%d: 8 0x%x: f%d (a.c:%d)\n" % (1 if i < 199 else 0, i, i, i))
    out("massif", "crafted-deep.massif", "".join(deep))

    # heaptrack (decompressed)
    out("heaptrack", "heaptrack.leaky.12345", unzstd(S("heaptrack.leaky.12345.zst")))
    out("heaptrack", "heaptrack.leaky.12346.raw", unzstd(S("heaptrack.leaky.12346.raw.zst")))
    out("heaptrack", "heaptrack.leaky_c", unzstd(C("heaptrack.leaky_c.zst")))
    out("heaptrack", "crafted-cycles.ht",
        "v 10100 3\nX ./a\ns main\ns leak\ni 1000 1 1\ni 2000 1 2\n"
        "t 1 0\nt 2 1\nt 3 3\nt 4 9\na 10 1\na 20 2\n+ 0\n+ 1\nc 10\n- 0\n- 5\n- 1\n- 1\nc 20\nR 4096\n")
    out("heaptrack", "crafted-v2.ht",
        "v 10300 2\nX ./a\nI 1000 8\ns main\ns leak\ni 1000 1 1\nt 1 0\na 10 1\n+ 0\nc 1\n+ 0\nc ffffffffffffffff\n- 0\n")

    # detect: compressed and plain, one of each format, plus compression edge cases
    for n in ["go.heap.1.pb.gz", "heaptrack.leaky.12344.zst", "massif.out.12345", "gperf.leaky.0001.heap"]:
        out("detect", n, read(S(n)))
    small = pprof_seeds()["crafted-minimal.pb"]
    out("detect", "crafted-two-gzip-members.gz", gz(small[:20]) + gz(small[20:]))
    out("detect", "crafted-gzip-trailing-garbage.gz", gz(small) + b"\0\0\0")
    out("detect", "crafted-gzip-truncated.gz", gz(small)[:-6])
    out("detect", "crafted-zstd-two-frames.zst", zstd(small[:20]) + zstd(small[20:]))
    out("detect", "crafted-zstd-truncated.zst", zstd(small)[:-3])
    out("detect", "crafted-gzip-in-gzip.gz", gz(gz(small)))
    out("detect", "crafted-gzip-magic-only", b"\x1f\x8b")
    out("detect", "crafted-zstd-magic-only", b"\x28\xb5\x2f\xfd")
    out("detect", "crafted-unknown", b"hello, world\n")
    out("detect", "crafted-empty", b"")

    # suppressions
    out("suppressions", "basic.supp", "# comment\nleak:malloc\n  leak:^std::vector*push_back$\n\nleak:libc.so\r\n")
    out("suppressions", "bad-line.supp", "leak:a\nfoo:bar\n")
    out("suppressions", "empty-pattern.supp", "leak:\n")
    out("suppressions", "stars.supp", "leak:*a*b*c*d*e*f*\nleak:^$\nleak:$\nleak:^\nleak:***\n")
    out("suppressions", "no-newline.supp", "leak:x")

    # pipeline: whole inputs through analysis and every writer
    out("pipeline", "go.heap.1.pb", gzip.decompress(read(S("go.heap.1.pb.gz"))))
    out("pipeline", "crafted-invalid-utf8.pb", pprof_seeds()["crafted-invalid-utf8.pb"])
    out("pipeline", "crafted-negative-values.pb", pprof_seeds()["crafted-negative-values.pb"])
    for n in ["crafted-tiny.massif"]:
        out("pipeline", n, read(os.path.join(CORPUS, "massif", n)))
    out("pipeline", "crafted-cycles.ht", read(os.path.join(CORPUS, "heaptrack", "crafted-cycles.ht")))
    out("pipeline", "gperf.leaky.0001.heap", read(S("gperf.leaky.0001.heap")))


if __name__ == "__main__":
    main()
