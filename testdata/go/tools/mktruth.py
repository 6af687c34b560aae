#!/usr/bin/env python3
"""Write truth.json for the memleaktest Go scenarios from the declared spec
below and the recorded profiles.

The declared truth (which function leaks, why, how fast; which sites are
noise) lives in SPEC. Source lines are not typed in: each entry names the
TRUTH:<marker> comment on its line in cmd/<scenario>/main.go. The observed_*
values are measured from profiles/<scenario>/*.pb.gz via `go tool pprof -raw`,
using the corpus matching rule: walk an allocation stack from the leaf
outwards, skip frames that are not program code (Go runtime, standard
library), skip frames named in alloc_leaf, and the first remaining frame
must be `function`. An entry whose function is not program code
(runtime.malg) matches every stack that contains it.

The script refuses to write anything when a declared function/file:line is
not in the profiles, when a leak does not grow, or when a noise site grows
like a leak.

usage: tools/mktruth.py            # write truth.json + profiles/*/truth.json
       tools/mktruth.py --check NAME   # exit 1 unless NAME's leaks grow (record.sh)
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = "memleaktest"
DEFAULT_RATE = 524288


def L(function, marker, cause, growth, rank, profile="heap", **kw):
    return dict(function=function, marker=marker, cause=cause, profile=profile,
                expected_rank=rank, approx_growth=growth, **kw)


def N(function, marker, why, profile="heap", **kw):
    return dict(function=function, marker=marker, why=why, profile=profile, **kw)


SPEC = {
    "webcache": dict(
        rate=1, goroutines=False,
        leaks=[L("main.renderResponse", "webcache-body", "cache", 150 * 1536, 1,
                 detail="1536-byte response bodies kept in Server.byRequest (unbounded map keyed by request id), 150 per tick")],
        secondary=[L("main.(*Server).remember", "webcache-remember", "cache", None, 2,
                     detail="*cachedResponse structs (150 x 32 B per tick) and the map's bucket arrays as it grows (steps at each map doubling)")],
        noise=[N("main.decodeRequest", "webcache-scratch", "churn", detail="16 KiB scratch per request, dropped"),
               N("main.newSession", "webcache-session", "bounded-cache",
                 detail="LRU of 256 sessions x 2 KiB: 128 at snapshot 1, full (256) from snapshot 2, then evict+replace"),
               N("main.loadRoutes", "webcache-routes", "startup"),
               N("main.loadMimeTypes", "webcache-mimes", "startup")],
        notes="Unbounded response cache next to a bounded LRU that is still filling at snapshot 1 (so first-vs-last "
              "also shows the LRU growing by 128 sessions, about 262 KB, against the leak's 1.6 MB). decodeRequest is churn."),
    "subscribers": dict(
        rate=1, goroutines=True,
        leaks=[L("main.newSubscriber", "subscribers-replay", "goroutine", 25 * (4096 + 64 + 96), 1,
                 detail="per leaked subscriber: 4 KiB replay buffer + Subscriber struct + events hchan; pinned by the parked listen goroutine"),
               L("main.(*Subscriber).listen", "subscribers-block", "goroutine", 0, 1, profile="goroutine",
                 goroutines_per_snapshot=25,
                 detail="goroutine profile: parked in runtime.gopark <- runtime.chanrecv <- runtime.chanrecv2 forever")],
        secondary=[L("runtime.malg", None, "goroutine", None, 2, detail="g structs of the leaked goroutines (all-runtime stack)"),
                   L("main.(*Subscriber).listen", "subscribers-block", "goroutine", None, 3,
                     detail="sudogs of the blocked receives (allocated by runtime.acquireSudog under listen)")],
        noise=[N("main.encodeFrame", "subscribers-frame", "churn", detail="12 KiB frame per job, dropped; workers idle at snapshot time"),
               N("main.loadTopics", "subscribers-topics", "startup"),
               N("main.(*Pool).worker", "subscribers-worker", "startup", profile="goroutine",
                 detail="fixed pool of 6 worker goroutines, constant count")],
        notes="Goroutine leak: Hub.Subscribe starts (*Subscriber).listen for each subscriber but keeps only a counter, "
              "so the events channel is never written or closed. +25 goroutines per tick. Goroutine stacks are not heap "
              "objects: the heap profile shows the leak as newSubscriber (what the goroutines pin) and runtime.malg (g structs)."),
    "retainer": dict(
        rate=1, goroutines=False,
        leaks=[L("main.readPacket", "retainer-packet", "retention", 12 * 32768, 1,
                 detail="sub-slice pkt[:24] kept in the global quarantine pins the whole 32 KiB packet; 12 per tick. "
                        "The same site also allocates the 116 good packets per tick that are dropped (churn)"),
               L("main.decodeFlows", "retainer-flows", "retention", 49152, 2,
                 detail="interior pointer &batch[i] kept in the global slowest slice pins the whole 48 KiB []flowRecord batch; 1 per tick")],
        secondary=[L("main.main", None, "retention", None, 3,
                     detail="backing arrays of the quarantine/slowest slices themselves (append in main.main), small")],
        noise=[N("main.newScratch", "retainer-pool", "pool",
                 detail="sync.Pool New func: 4 x 8 KiB allocated every tick (alloc_space grows), 4 held in the pool at each snapshot (inuse flat)"),
               N("main.buildRules", "retainer-rules", "startup")],
        notes="Retention through small references: the profile attributes the growth to the functions that allocated "
              "the big objects (readPacket, decodeFlows), not to the code that keeps the small slice/pointer. "
              "A maintenance runtime.GC() at the start of each tick empties the sync.Pool, so its New func allocates every tick."),
    "slowleak": dict(
        rate=0, goroutines=False,
        leaks=[L("main.(*History).record", "slowleak-record", "global", 96 * 3072, 1,
                 detail="96 x 3 KiB change records per tick kept in the global history (~0.6% of the 48 MiB heap per tick); "
                        "under 512 KiB sampling ~0.5 sampled records per tick, each scaled to ~525 KB")],
        secondary=[],
        noise=[N("main.loadSegments", "slowleak-segments", "startup", detail="48 MiB of 16 KiB segments kept from startup: dominant and flat"),
               N("main.(*BlockCache).refill", "slowleak-blockcache", "bounded-cache",
                 detail="exactly 4096 x 1 KiB blocks, a quarter replaced per tick: true size constant, sampled estimate random-walks"),
               N("main.compressBatch", "slowleak-compress", "churn", detail="100 x 64 KiB temporaries per tick")],
        notes="Default sampling (MemProfileRate 512 KiB). The workload is deterministic, the sampling is not: a rerun "
              "gives a different staircase for the leak and a different random walk for the block cache. record.sh "
              "retries the run (at most 5 times) until the leak shows at least 3 more sampled records in the last "
              "snapshot than in the first."),
    "warmup": dict(
        rate=1, goroutines=False,
        leaks=[L("main.trackSlowQuery", "warmup-slow", "global", 32 * 3072, 1,
                 detail="3 KiB slow-query records kept in the global slowQueries slice; starts at tick 4 (0 in snapshots 1-3), "
                        "+96 KiB per tick after")],
        secondary=[],
        noise=[N("main.compilePlan", "warmup-plan", "bounded-cache",
                 detail="plan cache warm-up: 100, 200, 300 plans of 4 KiB in snapshots 1-3, flat from 3 on; first-vs-last "
                        "shows +806 KB, more than the leak's whole growth"),
               N("main.executeQuery", "warmup-result", "churn", detail="24 KiB result per query, dropped")],
        notes="Warm-up then leak: a bounded cache grows in snapshots 1-3 and plateaus, the leak starts at tick 4. "
              "Ranking by first-vs-last difference puts the cache above the leak; the leak is the only site still growing at the end."),
    "burst": dict(
        rate=1, goroutines=False,
        leaks=[],
        secondary=[],
        noise=[N("main.(*Reindexer).begin", "burst-shard", "burst",
                 detail="128 x 64 KiB = 8 MiB held in snapshots 3-4 only, 0 elsewhere"),
               N("main.renderRow", "burst-row", "bounded-cache", detail="ring of 512 x 1 KiB rows: 256 at snapshot 1, full from snapshot 2"),
               N("main.formatPage", "burst-page", "churn", detail="120 x 40 KiB pages per tick, dropped"),
               N("main.loadTemplates", "burst-templates", "startup")],
        notes="NO leak. The largest change in the series is the 8 MiB burst in snapshots 3-4. A CI gate "
              "(fail on a leak verdict) must pass on this series."),
    "sharedhelper": dict(
        rate=1, goroutines=False,
        leaks=[L("main.ingestA", "sharedhelper-ingestA", "global", 24 * 8192, 1, alloc_leaf="main.newBuffer",
                 alloc_leaf_marker="sharedhelper-newbuffer",
                 detail="24 x 8 KiB buffers per tick from the shared main.newBuffer, kept in storeA"),
               L("main.(*Journal).append", "sharedhelper-append", "global", 64 * (2048 + 32), 2, alloc_leaf="main.allocRecord",
                 alloc_leaf_marker="sharedhelper-allocrecord",
                 detail="64 records per tick from the shared helper main.allocRecord (2 KiB data + 32 B struct), kept in the global journal"),
               L("main.ingestB", "sharedhelper-ingestB", "global", 6 * 8192, 3, alloc_leaf="main.newBuffer",
                 alloc_leaf_marker="sharedhelper-newbuffer",
                 detail="6 x 8 KiB buffers per tick from the shared main.newBuffer, kept in storeB")],
        secondary=[],
        noise=[N("main.handleQuery", "sharedhelper-query", "churn", alloc_leaf="main.allocRecord",
                 alloc_leaf_marker="sharedhelper-allocrecord",
                 detail="400 records per tick from the same helper main.allocRecord, all dropped"),
               N("main.openSegments", "sharedhelper-segments", "startup")],
        notes="Shared allocation helpers: the leaf frames main.allocRecord and main.newBuffer are the same for leak and "
              "churn / for two leaks; only the caller frame (second program frame) tells them apart. Grouping by leaf "
              "function merges ingestA+ingestB and mixes the journal leak with handleQuery's churn (allocRecord's "
              "alloc_space grows 6x faster than its inuse_space)."),
    "channelq": dict(
        rate=1, goroutines=True,
        leaks=[L("main.newEvent", "channelq-event", "channel", 20 * (2048 + 48), 1,
                 detail="20 events per tick: 48 fill the channel buffer (ticks 1-3), the rest are held by publish goroutines blocked in chansend"),
               L("main.(*Exporter).publish", "channelq-block", "channel", 0, 1, profile="goroutine",
                 goroutines_per_snapshot=20,
                 detail="goroutine profile: 0, 0, 12, 32, ... goroutines parked in runtime.gopark <- runtime.chansend <- runtime.chansend1")],
        secondary=[L("runtime.malg", None, "channel", None, 2, detail="g structs of blocked publishers (g's of finished publishers are reused first)"),
                   L("main.(*Exporter).publish", "channelq-block", "channel", None, 3, detail="sudogs of the blocked sends")],
        noise=[N("main.newWorkItem", "channelq-item", "churn", detail="300 x 6 KiB items per tick through the balanced pipeline, all dropped"),
               N("main.newExporter", "channelq-queue", "startup", detail="the queue's 48-slot buffer, allocated once"),
               N("main.loadMetricNames", "channelq-names", "startup"),
               N("main.(*Pipeline).produce", "channelq-produce", "startup", profile="goroutine", detail="1 goroutine, constant"),
               N("main.(*Pipeline).consume", "channelq-consume", "startup", profile="goroutine", detail="1 goroutine, constant")],
        notes="Channel leak: a buffered queue with no consumer fills in the first ticks, then every publisher blocks "
              "forever in chansend. The heap grows linearly the whole time; the goroutine count only from tick 3."),
}


def src_path(name):
    return os.path.join(HERE, "cmd", name, "main.go")


def marker_line(name, marker):
    with open(src_path(name)) as f:
        for i, line in enumerate(f, 1):
            if re.search(r"TRUTH:%s\b" % re.escape(marker), line):
                return i
    raise SystemExit("marker TRUTH:%s not found in %s" % (marker, src_path(name)))


def is_program(fn):
    return fn.startswith("main.") or fn.startswith(MODULE + "/")


def read_raw(path):
    """-> list of (values, frames), frames leaf first as (function, file, line)."""
    out = subprocess.run(["go", "tool", "pprof", "-raw", path], check=True,
                         capture_output=True, text=True).stdout
    samples, locs = [], {}
    section = None
    cur = None
    for line in out.splitlines():
        if line.startswith("Samples:"):
            section = "samples"
            continue
        if line.startswith("Locations"):
            section = "locations"
            continue
        if line.startswith("Mappings"):
            section = None
            continue
        if section == "samples":
            m = re.match(r"^\s+([-\d\s]+):\s*([\d\s]*)$", line)
            if m and re.search(r"\d", m.group(1)):
                vals = [int(v) for v in m.group(1).split()]
                ids = [int(v) for v in m.group(2).split()]
                samples.append((vals, ids))
        elif section == "locations":
            m = re.match(r"^\s+(\d+): 0x[0-9a-f]+ M=\d+ (\S+) (\S+):(\d+) s=\d+", line)
            if m:
                cur = int(m.group(1))
                locs[cur] = [(m.group(2), m.group(3), int(m.group(4)))]
                continue
            m = re.match(r"^\s+(\S+) (\S+):(\d+) s=\d+$", line)
            if m and cur is not None:
                locs[cur].append((m.group(1), m.group(2), int(m.group(3))))
    return [(vals, [fr for i in ids for fr in locs.get(i, [])]) for vals, ids in samples]


def matches(entry, frames):
    fn = entry["function"]
    if not is_program(fn):
        return any(f[0] == fn for f in frames)
    prog = [f for f in frames if is_program(f[0])]
    leaf = entry.get("alloc_leaf")
    i = 0
    while leaf and i < len(prog) and prog[i][0] == leaf:
        i += 1
    return i < len(prog) and prog[i][0] == fn


def measure(entry, profiles, kind, file_, line):
    """Series of (inuse_bytes, inuse_objects, alloc_bytes) or goroutine counts; and
    whether file:line was seen in the matched stacks."""
    series, seen = [], False
    for samples in profiles:
        ib = io = ab = g = 0
        for vals, frames in samples:
            if not matches(entry, frames):
                continue
            if kind == "goroutine":
                g += vals[0]
            else:
                ab += vals[1]
                io += vals[2]
                ib += vals[3]
            if file_ and any(f[0] == entry["function"] and f[1] == file_ and f[2] == line for f in frames):
                if (vals[0] if kind == "goroutine" else vals[1]) > 0:
                    seen = True
        series.append(g if kind == "goroutine" else (ib, io, ab))
    return series, seen


def build(name, spec, check_only=False):
    d = os.path.join(HERE, "profiles", name)
    heap = sorted(f for f in os.listdir(d) if re.match(r"heap\.\d{3}\.pb\.gz$", f))
    gor = sorted(f for f in os.listdir(d) if re.match(r"goroutine\.\d{3}\.pb\.gz$", f))
    hp = [read_raw(os.path.join(d, f)) for f in heap]
    gp = [read_raw(os.path.join(d, f)) for f in gor]
    n = len(heap)
    rel_src = "cmd/%s/main.go" % name
    prof_file = "%s/cmd/%s/main.go" % (MODULE, name)
    errors = []

    def entry(e, group):
        out = {"function": e["function"]}
        line = marker_line(name, e["marker"]) if e.get("marker") else None
        if line:
            out.update(file=prof_file, line=line, src_file=rel_src)
        if e.get("alloc_leaf"):
            out["alloc_leaf"] = e["alloc_leaf"]
            out["alloc_leaf_line"] = marker_line(name, e["alloc_leaf_marker"])
        out["profile"] = e["profile"]
        if group == "noise":
            out["why"] = e["why"]
        else:
            out["cause"] = e["cause"]
            out["expected_rank"] = e["expected_rank"]
        if e["profile"] == "goroutine":
            series, seen = measure(e, gp, "goroutine", prof_file if line else None, line)
            if group != "noise":
                out["approx_growth_bytes_per_snapshot"] = 0
                out["approx_growth_goroutines_per_snapshot"] = e.get("goroutines_per_snapshot")
            if e.get("detail"):
                out["detail"] = e["detail"]
            out["observed_goroutines_by_snapshot"] = series
            growth = (series[-1] - series[0]) / (len(series) - 1) if len(series) > 1 else 0
            out["observed_growth_goroutines_per_snapshot"] = round(growth, 2)
        else:
            series, seen = measure(e, hp, "heap", prof_file if line else None, line)
            if group != "noise" and e.get("approx_growth") is not None:
                out["approx_growth_bytes_per_snapshot"] = e["approx_growth"]
            if e.get("detail"):
                out["detail"] = e["detail"]
            inuse = [s[0] for s in series]
            out["observed_inuse_bytes_by_snapshot"] = inuse
            out["observed_inuse_objects_by_snapshot"] = [s[1] for s in series]
            out["observed_alloc_bytes_by_snapshot"] = [s[2] for s in series]
            growth = (inuse[-1] - inuse[0]) / (n - 1) if n > 1 else 0
            out["observed_growth_bytes_per_snapshot"] = int(round(growth))
        if line and not seen:
            errors.append("%s: %s at %s:%d not found in the %s profiles" % (name, e["function"], prof_file, line, e["profile"]))
        return out

    leaks = [entry(e, "leak") for e in spec["leaks"]]
    secondary = [entry(e, "secondary") for e in spec["secondary"]]
    noise = [entry(e, "noise") for e in spec["noise"]]

    # Sanity checks of the recording against the design.
    for e in leaks:
        key = "observed_goroutines_by_snapshot" if e["profile"] == "goroutine" else "observed_inuse_bytes_by_snapshot"
        s = e[key]
        if not s or s[-1] <= s[0] or any(b < a for a, b in zip(s, s[1:])):
            errors.append("%s: leak %s (%s) does not grow monotonically: %s" % (name, e["function"], e["profile"], s))
        if spec["rate"] == 0 and e["profile"] == "heap":
            objs = e["observed_inuse_objects_by_snapshot"]
            est = DEFAULT_RATE  # a sampled 3 KiB object counts ~170 objects
            if objs[-1] - objs[0] < 3 * (est // 3072):
                errors.append("%s: leak %s has fewer than 3 new sampled records (%s)" % (name, e["function"], objs))
    for e in noise:
        if e["profile"] == "goroutine":
            s = e["observed_goroutines_by_snapshot"]
            if len(set(s)) != 1:
                errors.append("%s: noise goroutines %s not constant: %s" % (name, e["function"], s))
        elif e["why"] in ("startup", "churn", "pool") and spec["rate"] == 1:
            s = e["observed_inuse_bytes_by_snapshot"]
            if max(s) - min(s) > 4096:
                errors.append("%s: noise %s (%s) not flat: %s" % (name, e["function"], e["why"], s))
    if check_only:
        return errors

    truth = {
        "scenario": name,
        "set": "memleaktest",
        "format": "go-pprof-heap",
        "variant": "series",
        "files": heap,
        "goroutine_files": gor,
        "sample_rate_bytes": spec["rate"] or DEFAULT_RATE,
        "snapshot_definition": "one heap profile per file after each tick: runtime.GC(), then pprof.WriteHeapProfile(f)"
                               + ("; goroutine profile pprof.Lookup(\"goroutine\").WriteTo(f, 0) right after" if gor else ""),
        "leaks": leaks,
        "secondary_growth": secondary,
        "noise": noise,
        "not_visible": [],
        "program": {"src": rel_src, "language": "go", "memprofilerate": spec["rate"] or DEFAULT_RATE,
                    "module": MODULE, "build": "go build -trimpath (CGO_ENABLED=0)"},
        "notes": spec["notes"],
    }
    return truth, errors


def main():
    args = sys.argv[1:]
    if args and args[0] == "--check":
        errs = []
        for name in args[1:]:
            errs += build(name, SPEC[name], check_only=True)
        for e in errs:
            print("mktruth:", e, file=sys.stderr)
        sys.exit(1 if errs else 0)
    names = args or list(SPEC)
    all_truth, errs = [], []
    for name in names:
        t, e = build(name, SPEC[name])
        all_truth.append(t)
        errs += e
    for e in errs:
        print("mktruth:", e, file=sys.stderr)
    if errs:
        sys.exit(1)
    for t in all_truth:
        with open(os.path.join(HERE, "profiles", t["scenario"], "truth.json"), "w") as f:
            json.dump(t, f, indent=1)
            f.write("\n")
    # The combined file is rebuilt from every scenario's truth.json on disk.
    scenarios = []
    for name in SPEC:
        p = os.path.join(HERE, "profiles", name, "truth.json")
        if os.path.exists(p):
            with open(p) as f:
                scenarios.append(dict(json.load(f), dir="profiles/" + name))
    if scenarios:
        combined = {"set": "memleaktest",
                    "description": "truth for testdata/go/profiles/<scenario>; each entry is identical to "
                                   "profiles/<scenario>/truth.json (plus 'dir'), whose file names are relative "
                                   "to that directory",
                    "scenarios": scenarios}
        with open(os.path.join(HERE, "truth.json"), "w") as f:
            json.dump(combined, f, indent=1)
            f.write("\n")
    print("mktruth: wrote truth for", ", ".join(t["scenario"] for t in all_truth))


if __name__ == "__main__":
    main()
