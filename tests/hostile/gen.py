#!/usr/bin/env python3
"""Writes one hostile input for tests/hostile/run.sh to stdout: gen.py CASE.

Small crafted inputs are built here, in readable Python, rather than committed as binaries;
the big ones (bombs, long lines, deep trees) are streamed so that nothing large is held in
memory or written to disk uncompressed.
"""
import os
import sys

# The protobuf wire helpers live with the fuzz seeds; one copy for both.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz"))
from make_seeds import key, lfield, varint, vfield  # noqa: E402


def profile(strings, samples, locations, functions):
    """A Go-like heap profile: sample types inuse_objects/count, inuse_space/bytes (string
    indices 1..4 are fixed below). samples: [([location ids], [objects, bytes])];
    locations: [(id, [function ids])]; functions: [(id, name string index)]."""
    b = bytearray()
    b += lfield(1, vfield(1, 1) + vfield(2, 2))
    b += lfield(1, vfield(1, 3) + vfield(2, 4))
    for locs, values in samples:
        b += lfield(2, lfield(1, b"".join(map(varint, locs))) +
                    lfield(2, b"".join(map(varint, values))))
    for lid, fids in locations:
        p = vfield(1, lid) + vfield(3, 0x1000 * lid)
        for fid in fids:
            p += lfield(4, vfield(1, fid) + vfield(2, 7))
        b += lfield(4, p)
    for fid, name in functions:
        b += lfield(5, vfield(1, fid) + vfield(2, name) + vfield(4, 5))
    for s in [b"", b"inuse_objects", b"count", b"inuse_space", b"bytes", b"main.go"] + strings:
        b += lfield(6, s)
    return bytes(b)


OK_FUNCS = [(1, 6), (2, 7)]
OK_LOCS = [(1, [1]), (2, [2])]


def massif(snapshots, cmd="./app"):
    """snapshots: list of (heap bytes, [(bytes, function)]) as detailed snapshots."""
    out = ["desc: (none)\ncmd: %s\ntime_unit: i\n" % cmd]
    for i, (total, sites) in enumerate(snapshots):
        out.append("#-----------\nsnapshot=%d\n#-----------\ntime=%d\nmem_heap_B=%d\n"
                   "mem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=detailed\n" % (i, 1000 * i, total))
        out.append("n%d: %d (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"
                   % (len(sites), total))
        for j, (b, fn) in enumerate(sites):
            out.append(" n0: %d 0x%x: %s (app.c:%d)\n" % (b, 0x4000 + j, fn, 10 + j))
    return "".join(out).encode()


HEAPTRACK_HEAD = "v 10400 3\nX ./app\nI 1000 100\ns 5 ./app\ns 4 main\ns 4 leak\ni 1000 1 2\ni 2000 1 3\n"


def write(data):
    sys.stdout.buffer.write(data)


def deep_massif(depth, complete=True):
    # One chain `depth` nodes deep under the root: line k is indented by k spaces, so the file
    # is about depth^2/2 bytes. Written line by line.
    w = sys.stdout.buffer.write
    w(b"desc: (none)\ncmd: ./deep\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\n"
      b"time=0\nmem_heap_B=8\nmem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=detailed\n"
      b"n1: 8 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n")
    last = depth if complete else depth // 2
    for k in range(1, last + 1):
        kids = 1 if k < depth else 0
        w(b" " * k + b"n%d: 8 0x%x: f%d (deep.c:%d)\n" % (kids, 0x1000 + k, k % 97, k))


def main():
    case = sys.argv[1]
    if case == "massif-good-1":
        write(massif([(100, [(100, "grow")]), (200, [(200, "grow")])]))
    elif case == "massif-good-2":
        write(massif([(300, [(300, "grow")]), (400, [(400, "grow")])]))
    elif case == "massif-good-3":
        write(massif([(500, [(500, "grow")]), (600, [(600, "grow")])]))
    elif case == "massif-bad-root":
        write(massif([(100, [(100, "grow")])]).replace(b"mem_heap_B=100", b"mem_heap_B=99"))
    elif case == "pprof-ok":
        write(profile([b"main.leak", b"main.main"], [([1, 2], [1, 100])], OK_LOCS, OK_FUNCS))
    elif case == "pprof-huge-length":
        # string_table entry claiming 2^62 bytes
        write(lfield(6, b"") + key(6, 2) + varint(1 << 62) + b"abc")
    elif case == "pprof-negative-length":
        # a length of -1 as protobuf encodes int64 -1: ten bytes, 2^64-1 unsigned
        write(lfield(6, b"") + key(6, 2) + varint(-1) + b"abc")
    elif case == "pprof-location-to-missing-function":
        write(profile([b"main.leak", b"main.main"], [([1], [1, 100])], [(1, [9])], OK_FUNCS))
    elif case == "pprof-sample-to-missing-location":
        write(profile([b"main.leak", b"main.main"], [([1, 77], [1, 100])], OK_LOCS, OK_FUNCS))
    elif case == "pprof-bomb-head":
        # A string_table entry longer than the 4096-byte detection window: sniffs as pprof; the
        # zeros that run.sh appends make the rest.
        write(key(6, 2) + varint(1 << 40))
    elif case == "pprof-invalid-utf8":
        write(profile([b"main.\xff\xfeleak\xc3(", b"m\x80ain"], [([1, 2], [1, 100])], OK_LOCS,
                      OK_FUNCS))
    elif case == "pprof-drop-frames-long-name":
        # drop_frames "a.*" against a 100 KB function name: std::regex recursed once per
        # character and overflowed the stack.
        strings = [b"a" * 100000, b"main.main", b"a.*"]
        write(profile(strings, [([1, 2], [1, 100])], OK_LOCS, OK_FUNCS) + vfield(7, 8))
    elif case == "heaptrack-forward-parent":
        write((HEAPTRACK_HEAD + "t 1 0\nt 2 5\na 10 2\n+ 0\n").encode())
    elif case == "heaptrack-self-parent":
        write((HEAPTRACK_HEAD + "t 1 0\nt 2 2\n").encode())
    elif case == "heaptrack-free-undefined":
        write((HEAPTRACK_HEAD + "t 1 0\na 10 1\n+ 0\nc 10\n- 5\n").encode())
    elif case == "heaptrack-free-unallocated":
        write((HEAPTRACK_HEAD + "t 1 0\nt 2 1\na 10 1\na 20 2\n+ 0\nc 10\n- 1\n- 1\n+ 1\nc 20\n").encode())
    elif case == "heaptrack-ok":
        write((HEAPTRACK_HEAD + "t 1 0\nt 2 1\na 10 2\n+ 0\nc 10\n+ 0\nc 20\n").encode())
    elif case == "massif-deep":
        deep_massif(int(sys.argv[2]))
    elif case == "massif-deep-truncated":
        deep_massif(int(sys.argv[2]), complete=False)
    elif case == "massif-head":
        write(b"desc: (none)\ncmd: ./app\ntime_unit: i\n")
    else:
        sys.exit("gen.py: unknown case " + case)


if __name__ == "__main__":
    main()
