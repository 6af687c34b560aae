// Command sharedhelper simulates a storage node where the allocating
// function is a shared helper, so the leak can only be told apart by the
// caller frames above it.
//
// LEAK 1 (cause: global): main.allocRecord is a helper that allocates a
// 2 KiB record. (*Journal).append calls it and keeps every record in the
// global journal forever: 64 records (2 KiB + 32 B struct) = 130 KiB per
// tick. handleQuery calls the same helper for a temporary record and drops
// it (NOISE, churn: 400 records = 800 KiB allocated per tick, none kept).
// The allocation site main.allocRecord therefore allocates a lot and grows;
// the growth is entirely on the stack allocRecord <- main.(*Journal).append,
// none on allocRecord <- main.handleQuery.
//
// LEAK 2 and 3 (cause: global): main.newBuffer allocates 8 KiB buffers for
// two ingest paths with separate, never-trimmed stores: main.ingestA keeps
// 24 per tick (192 KiB/tick in storeA) and main.ingestB keeps 6 per tick
// (48 KiB/tick in storeB). Same allocation function, same line, two leaks
// that only differ in the frame that called newBuffer.
//
// NOISE:
//   - churn: main.handleQuery (via main.allocRecord), see above.
//   - startup: main.openSegments allocates segment descriptors once.
//
// 8 ticks, MemProfileRate=1, single goroutine: exact values.
package main

import (
	"fmt"

	"memleaktest/internal/snap"
)

const (
	recordSize        = 2 << 10
	bufferSize        = 8 << 10
	appendsPerTick    = 64
	queriesPerTick    = 400
	ingestAPerTick    = 24
	ingestBPerTick    = 6
	segmentCount      = 24
	segmentHeaderSize = 6 << 10
)

type record struct {
	key  uint64
	data []byte
}

// allocRecord is the shared helper: every record of the program comes from
// this one line.
//
//go:noinline
func allocRecord(key uint64) *record {
	return &record{key: key, data: make([]byte, recordSize)} // TRUTH:sharedhelper-allocrecord
}

type Journal struct {
	entries []*record
}

var journal Journal

//go:noinline
func (j *Journal) append(key uint64) {
	r := allocRecord(key) // TRUTH:sharedhelper-append
	r.data[0] = byte(key)
	j.entries = append(j.entries, r)
}

//go:noinline
func handleQuery(key uint64) int {
	r := allocRecord(key) // TRUTH:sharedhelper-query
	r.data[0] = byte(key)
	return int(r.data[0]) + len(r.data)
}

// newBuffer is the second shared allocation function.
//
//go:noinline
func newBuffer(tag byte) []byte {
	b := make([]byte, bufferSize) // TRUTH:sharedhelper-newbuffer
	b[0] = tag
	return b
}

var storeA, storeB [][]byte

//go:noinline
func ingestA(n int) {
	for i := 0; i < n; i++ {
		storeA = append(storeA, newBuffer('A')) // TRUTH:sharedhelper-ingestA
	}
}

//go:noinline
func ingestB(n int) {
	for i := 0; i < n; i++ {
		storeB = append(storeB, newBuffer('B')) // TRUTH:sharedhelper-ingestB
	}
}

//go:noinline
func openSegments() [][]byte {
	s := make([][]byte, segmentCount)
	for i := range s {
		s[i] = make([]byte, segmentHeaderSize) // TRUTH:sharedhelper-segments
	}
	return s
}

func main() {
	run := snap.Start(1, 8, false)
	segments := openSegments()
	var key uint64
	sum := 0
	for tick := 1; tick <= run.Ticks; tick++ {
		for i := 0; i < queriesPerTick; i++ {
			key++
			sum += handleQuery(key)
			if i%25 < appendsPerTick/(queriesPerTick/25) { // 4 of every 25 queries: 64 per tick
				journal.append(key)
			}
		}
		segments[tick%segmentCount][0]++ // the segment table stays in use
		ingestA(ingestAPerTick)
		ingestB(ingestBPerTick)
		run.Snapshot()
	}
	fmt.Printf("sharedhelper: journal %d, storeA %d, storeB %d, segments %d (%d)\n",
		len(journal.entries), len(storeA), len(storeB), len(segments), sum)
}
