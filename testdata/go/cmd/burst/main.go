// Command burst simulates a report generator with NO leak: every site in
// its profiles is noise, and a leak gate run on this series must pass.
//
// NOISE:
//   - burst: in ticks 3 and 4 main.(*Reindexer).begin builds a temporary
//     8 MiB index (128 x 64 KiB shards) that is still held when snapshots 3
//     and 4 are taken; tick 5 finishes the re-index and drops it. Snapshots
//     1-2 and 5-8 hold none of it. This is the largest change in the series,
//     and three adjacent diffs in a row show it growing (2->3) and shrinking
//     (4->5), but first vs last shows nothing.
//   - bounded-cache: main.(*RingCache).add keeps the last 512 rendered rows
//     (1 KiB each, main.renderRow). 256 rows per tick: full at snapshot 2,
//     flat afterwards (old rows are overwritten).
//   - churn: main.formatPage allocates a 40 KiB page buffer 120 times per
//     tick and drops each one.
//   - startup: main.loadTemplates allocates the templates once.
//
// 8 ticks, MemProfileRate=1, single goroutine: exact values.
package main

import (
	"fmt"
	"math/rand"

	"memleaktest/internal/snap"
)

const (
	shardSize    = 64 << 10
	shardCount   = 128 // 8 MiB
	rowSize      = 1 << 10
	ringSize     = 512
	rowsPerTick  = 256
	pagesPerTick = 120
)

// a var, not a const: a non-escaping make of constant size <= 64 KiB is put
// on the goroutine stack by the compiler and never shows in a heap profile.
var pageSize = 40 << 10

type Reindexer struct {
	shards [][]byte
}

//go:noinline
func (r *Reindexer) begin(rng *rand.Rand) {
	r.shards = make([][]byte, shardCount)
	for i := range r.shards {
		r.shards[i] = make([]byte, shardSize) // TRUTH:burst-shard
		r.shards[i][0] = byte(rng.Intn(256))
	}
}

//go:noinline
func (r *Reindexer) finish() int {
	n := 0
	for _, s := range r.shards {
		n += int(s[0])
	}
	r.shards = nil
	return n
}

type RingCache struct {
	rows [][]byte
	next int
}

//go:noinline
func renderRow(i int) []byte {
	row := make([]byte, rowSize) // TRUTH:burst-row
	row[0] = byte(i)
	return row
}

//go:noinline
func (c *RingCache) add(row []byte) {
	c.rows[c.next] = row
	c.next = (c.next + 1) % len(c.rows)
}

//go:noinline
func formatPage(tpl []byte, n int) byte {
	page := make([]byte, pageSize) // TRUTH:burst-page
	for i := 0; i < len(page); i += len(tpl) {
		copy(page[i:], tpl)
	}
	return page[n%len(page)]
}

//go:noinline
func loadTemplates() [][]byte {
	t := make([][]byte, 16)
	for i := range t {
		t[i] = make([]byte, 8<<10) // TRUTH:burst-templates
		t[i][0] = byte('a' + i)
	}
	return t
}

func main() {
	run := snap.Start(1, 8, false)
	rng := rand.New(rand.NewSource(11))
	templates := loadTemplates()
	ring := &RingCache{rows: make([][]byte, ringSize)}
	re := &Reindexer{}

	var x byte
	total := 0
	row := 0
	for tick := 1; tick <= run.Ticks; tick++ {
		switch tick {
		case 3:
			re.begin(rng)
		case 5:
			total += re.finish()
		}
		for i := 0; i < rowsPerTick; i++ {
			ring.add(renderRow(row))
			row++
		}
		for i := 0; i < pagesPerTick; i++ {
			x ^= formatPage(templates[i%len(templates)], i)
		}
		run.Snapshot()
	}
	fmt.Printf("burst: %d rows rendered, reindex checksum %d (%d)\n", row, total, x)
}
