// Command slowleak simulates a long-running indexer with a big, stable heap
// and a slow leak, profiled with Go's DEFAULT sampling (MemProfileRate =
// 512 KiB): the hard case for a noise floor.
//
// LEAK (cause: global): main.(*History).record appends a 3 KiB change record
// to the global history for every document update and never trims it:
// 96 records = 288 KiB per tick, about 0.6% of the 48 MiB heap per tick.
// With 512 KiB sampling that is ~0.5 sampled records per tick, each reported
// as ~525 KB, so the profile shows the leak as a staircase that rises by
// one sample every second tick or so, and never falls.
//
// NOISE:
//   - startup: main.loadSegments allocates 48 MiB (3072 x 16 KiB segments)
//     once and keeps all of it: the dominant, perfectly stable site (its
//     sampled objects stay live, so its estimate does not change).
//   - bounded-cache (noisy): main.(*BlockCache).refill keeps exactly 4096
//     blocks of 1 KiB (4 MiB) and replaces a quarter of them every tick. The
//     true size is constant, but which blocks happen to be sampled changes,
//     so the estimate random-walks by several 512 KiB steps, up or down,
//     and can rise for a few snapshots in a row.
//   - churn: main.compressBatch allocates 100 x 64 KiB temporaries per tick
//     and drops them.
//
// 10 ticks, single goroutine. The workload is deterministic; the sampling
// is not (Go picks sampled allocations at random), so two runs differ.
package main

import (
	"fmt"
	"math/rand"

	"memleaktest/internal/snap"
)

const (
	segmentSize    = 16 << 10
	segmentCount   = 3072 // 48 MiB
	recordSize     = 3 << 10
	updatesPerTick = 96
	blockSize      = 1 << 10
	blockCount     = 4096
	refillPerTick  = blockCount / 4
	batchesPerTick = 100
)

// a var, not a const: a non-escaping make of constant size <= 64 KiB is put
// on the goroutine stack by the compiler and never shows in a heap profile.
var batchBufferSize = 64 << 10

type Index struct {
	segments [][]byte
}

//go:noinline
func loadSegments(rng *rand.Rand) *Index {
	ix := &Index{segments: make([][]byte, segmentCount)}
	for i := range ix.segments {
		ix.segments[i] = make([]byte, segmentSize) // TRUTH:slowleak-segments
		ix.segments[i][0] = byte(rng.Intn(256))
	}
	return ix
}

type History struct {
	records [][]byte
}

var history History

//go:noinline
func (h *History) record(doc int, rng *rand.Rand) {
	rec := make([]byte, recordSize) // TRUTH:slowleak-record
	rec[0] = byte(doc)
	rec[1] = byte(rng.Intn(256))
	h.records = append(h.records, rec)
}

type BlockCache struct {
	blocks [][]byte
	next   int
}

//go:noinline
func (c *BlockCache) refill(n int, rng *rand.Rand) {
	for i := 0; i < n; i++ {
		b := make([]byte, blockSize) // TRUTH:slowleak-blockcache
		b[0] = byte(rng.Intn(256))
		c.blocks[c.next] = b
		c.next = (c.next + 1) % len(c.blocks)
	}
}

//go:noinline
func compressBatch(ix *Index, k int) byte {
	buf := make([]byte, batchBufferSize) // TRUTH:slowleak-compress
	seg := ix.segments[k%len(ix.segments)]
	for i := 0; i < len(buf); i += len(seg) {
		copy(buf[i:], seg)
	}
	return buf[len(buf)-1] ^ buf[0]
}

func main() {
	run := snap.Start(0, 10, false) // 0 = keep Go's default 512 KiB sampling
	rng := rand.New(rand.NewSource(99))
	ix := loadSegments(rng)
	cache := &BlockCache{blocks: make([][]byte, blockCount)}
	cache.refill(blockCount, rng)

	var x byte
	doc := 0
	for tick := 1; tick <= run.Ticks; tick++ {
		for i := 0; i < updatesPerTick; i++ {
			doc++
			history.record(doc, rng)
		}
		cache.refill(refillPerTick, rng)
		for i := 0; i < batchesPerTick; i++ {
			x ^= compressBatch(ix, tick*batchesPerTick+i)
		}
		run.Snapshot()
	}
	fmt.Printf("slowleak: %d segments, %d history records, %d cached blocks (%d)\n",
		len(ix.segments), len(history.records), len(cache.blocks), x)
}
