// Package snap is the tiny bit of plumbing every memleaktest program shares:
// command-line flags for the output directory and the number of ticks, the
// runtime.MemProfileRate setting, and numbered profile files.
//
// With MemProfileRate=1 the GC pacer is turned off (debug.SetGCPercent(-1)),
// so the heap is collected only at the snapshots and the numbers are the
// same on every run. With sampling (rate 0 = Go default) the GC runs as usual.
//
// A snapshot is: runtime.GC() (so the heap profile describes the heap after
// this tick's garbage is gone), then pprof.WriteHeapProfile into
// <out>/heap.NNN.pb.gz and, when the program asks for it, the goroutine
// profile into <out>/goroutine.NNN.pb.gz.
package snap

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

// Series writes numbered snapshots into one directory.
type Series struct {
	Dir        string
	Ticks      int
	Goroutines bool
	seq        int
}

// Start parses the standard flags (-out DIR, -ticks N), sets
// runtime.MemProfileRate to rate (0 keeps Go's default of 512 KiB) and
// creates the output directory. Call it before allocating anything the
// scenario cares about.
func Start(rate, defaultTicks int, goroutines bool) *Series {
	out := flag.String("out", "profiles", "output directory for heap.NNN.pb.gz (and goroutine.NNN.pb.gz)")
	ticks := flag.Int("ticks", defaultTicks, "number of ticks; one snapshot after each")
	flag.Parse()
	if rate > 0 {
		runtime.MemProfileRate = rate
	}
	if rate == 1 {
		// Exact series: turn the GC pacer off so the only collections are
		// the snapshot GCs (and any the program runs itself). Otherwise a
		// background GC starting inside some function leaves a few runtime
		// objects (96-byte sudogs, g structs) attributed to it, at random.
		debug.SetGCPercent(-1)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		die(err)
	}
	// Write one throw-away profile so the one-time allocations of the
	// profile writer itself (gzip's CRC table, ...) happen now, as startup,
	// instead of showing up as a step between snapshot 1 and 2.
	if err := pprof.WriteHeapProfile(io.Discard); err != nil {
		die(err)
	}
	return &Series{Dir: *out, Ticks: *ticks, Goroutines: goroutines}
}

// Snapshot forces a GC and writes the next heap (and goroutine) profile.
func (s *Series) Snapshot() {
	s.seq++
	runtime.GC()
	s.write("heap", func(f *os.File) error { return pprof.WriteHeapProfile(f) })
	if s.Goroutines {
		s.write("goroutine", func(f *os.File) error { return pprof.Lookup("goroutine").WriteTo(f, 0) })
	}
}

func (s *Series) write(kind string, fn func(*os.File) error) {
	name := filepath.Join(s.Dir, fmt.Sprintf("%s.%03d.pb.gz", kind, s.seq))
	f, err := os.Create(name)
	if err != nil {
		die(err)
	}
	if err := fn(f); err != nil {
		die(err)
	}
	if err := f.Close(); err != nil {
		die(err)
	}
}

func die(err error) {
	fmt.Fprintln(os.Stderr, "snap:", err)
	os.Exit(1)
}
