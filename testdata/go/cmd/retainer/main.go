// Command retainer simulates a packet inspector that leaks memory through
// small references into large allocations.
//
// LEAK 1 (cause: retention, sub-slice): for every packet that fails
// validation the inspector keeps its 24-byte header, h := pkt[:24], in the
// global quarantine slice. The header is tiny but shares the backing array
// of the 32 KiB packet buffer, so every quarantined header keeps a whole
// packet alive. 12 packets per tick fail: +384 KiB per tick, attributed to
// main.readPacket (where the 32 KiB buffer is allocated), not to the code
// that keeps the header.
//
// LEAK 2 (cause: retention, interior pointer): for every tick the inspector
// decodes a batch of 512 flow records into one []flowRecord array
// (main.decodeFlows, 48 KiB) and remembers a pointer to the single slowest
// record in the global slowest slice. &batch[i] is an interior pointer: it
// keeps the whole 48 KiB batch alive. +48 KiB per tick.
//
// NOISE:
//   - pool: main.newScratch is the New func of a sync.Pool of 8 KiB scratch
//     buffers. The pool is emptied by garbage collections (it survives one GC
//     in the victim cache), and a maintenance GC at the start of every tick
//     drops it (the program turns the GC pacer off, so only these explicit
//     GCs run), so the New func allocates 4 new buffers every tick: its
//     alloc_space grows forever while inuse_space stays flat (the 4 buffers
//     sitting in the pool at snapshot time).
//   - churn: the 32 KiB buffers of packets that pass validation are dropped
//     (same allocation site as leak 1: main.readPacket), 116 of 128 per tick.
//   - startup: main.buildRules allocates the rule table once.
//
// MemProfileRate=1, single goroutine: exact values.
package main

import (
	"fmt"
	"math/rand"
	"runtime"
	"runtime/debug"
	"sync"

	"memleaktest/internal/snap"
)

const (
	packetSize     = 32 << 10
	headerSize     = 24
	packetsPerTick = 128
	badEvery       = 11 // 128/11 -> packets 0,11,...,121: 12 bad per tick
	flowsPerBatch  = 512
)

var quarantine [][]byte   // headers of bad packets (each pins a 32 KiB packet)
var slowest []*flowRecord // one pointer per batch (each pins a 48 KiB batch)

type flowRecord struct {
	src, dst  uint32
	bytes     uint64
	latencyNs uint64
	flags     uint64
	_         [64]byte
}

//go:noinline
func readPacket(seq int, rng *rand.Rand) []byte {
	pkt := make([]byte, packetSize) // TRUTH:retainer-packet
	pkt[0] = byte(seq)
	pkt[1] = byte(seq >> 8)
	rng.Read(pkt[2:headerSize])
	return pkt
}

//go:noinline
func inspect(seq int, pkt []byte, rules [][]byte, pool *sync.Pool) bool {
	scratch := pool.Get().([]byte)
	defer pool.Put(scratch)
	copy(scratch, pkt[:headerSize])
	r := rules[int(scratch[2])%len(rules)]
	return seq%badEvery != 0 || r[0] == 255 // every 11th packet fails
}

//go:noinline
func decodeFlows(rng *rand.Rand) []flowRecord {
	batch := make([]flowRecord, flowsPerBatch) // TRUTH:retainer-flows
	for i := range batch {
		batch[i].src = rng.Uint32()
		batch[i].dst = rng.Uint32()
		batch[i].latencyNs = uint64(rng.Int63n(1_000_000))
	}
	return batch
}

//go:noinline
func newScratch() interface{} {
	return make([]byte, 8<<10) // TRUTH:retainer-pool
}

//go:noinline
func buildRules() [][]byte {
	rules := make([][]byte, 100)
	for i := range rules {
		rules[i] = make([]byte, 2048) // TRUTH:retainer-rules
		rules[i][0] = byte(i)
	}
	return rules
}

func main() {
	run := snap.Start(1, 6, false)
	// Every GC empties sync.Pools, so a background GC landing between the
	// pool work and the snapshot would free the pooled buffers. Only the
	// explicit GCs run here (GC percent off), on one P (the pool's per-P
	// caches): the pool's allocations and in-use size are the same every run.
	debug.SetGCPercent(-1)
	runtime.GOMAXPROCS(1)
	rng := rand.New(rand.NewSource(7))
	rules := buildRules()
	pool := &sync.Pool{New: newScratch}

	seq := 0
	for tick := 1; tick <= run.Ticks; tick++ {
		// Periodic maintenance GC: empties the sync.Pool, so its New func
		// has to allocate fresh scratch buffers during this tick.
		runtime.GC()

		for i := 0; i < packetsPerTick; i++ {
			pkt := readPacket(seq, rng)
			if !inspect(i, pkt, rules, pool) {
				quarantine = append(quarantine, pkt[:headerSize:headerSize])
			}
			seq++
		}
		// Hold 4 scratch buffers at once (a batch encode), then return them.
		held := make([][]byte, 4)
		for i := range held {
			held[i] = pool.Get().([]byte)
		}
		for _, b := range held {
			pool.Put(b) //nolint:staticcheck // slices in a Pool: fine for a test program
		}

		batch := decodeFlows(rng)
		worst := 0
		for i := range batch {
			if batch[i].latencyNs > batch[worst].latencyNs {
				worst = i
			}
		}
		slowest = append(slowest, &batch[worst])

		run.Snapshot()
	}
	fmt.Printf("retainer: %d quarantined headers, %d slow flows\n", len(quarantine), len(slowest))
}
