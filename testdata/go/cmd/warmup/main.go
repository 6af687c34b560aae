// Command warmup simulates a query service whose first ticks are a cache
// warm-up, and which starts leaking only after the warm-up.
//
// NOISE (bounded-cache, warm-up): main.(*PlanCache).fill caches compiled
// query plans (4 KiB each, main.compilePlan) for 300 distinct queries.
// Ticks 1-3 see 100 new queries each, so the cache grows to 1.2 MiB and is
// full at snapshot 3; from tick 4 on every query hits the cache and the size
// stays flat. A first-vs-last diff shows the cache growing by 2/3 of its size
// (snapshot 1 holds 100 plans, the last 300): MORE than the leak below
// grows over the whole run, although the cache stopped growing at snapshot 3.
//
// LEAK (cause: global): once the warm-up is over (tick >= 4) the service
// computes a latency budget and main.trackSlowQuery keeps a 3 KiB copy of
// every query over budget in the global slowQueries slice, forever:
// 32 per tick = 96 KiB per tick from snapshot 4 to 10 (0 before).
//
// NOISE (churn): main.executeQuery allocates a 24 KiB result buffer per
// query and drops it.
//
// 10 ticks, MemProfileRate=1, single goroutine: exact values.
package main

import (
	"fmt"
	"math/rand"

	"memleaktest/internal/snap"
)

const (
	planSize        = 4 << 10
	distinctQueries = 300
	warmupTicks     = 3
	queriesPerTick  = 160
	slowPerTick     = 32
	slowRecordSize  = 3 << 10
)

// a var, not a const: a non-escaping make of constant size <= 64 KiB is put
// on the goroutine stack by the compiler and never shows in a heap profile.
var resultSize = 24 << 10

type plan struct {
	query int
	code  []byte
}

type PlanCache struct {
	plans map[int]*plan
	hits  int
}

//go:noinline
func compilePlan(q int) *plan {
	p := &plan{query: q, code: make([]byte, planSize)} // TRUTH:warmup-plan
	p.code[0] = byte(q)
	return p
}

//go:noinline
func (c *PlanCache) fill(q int) *plan {
	if p, ok := c.plans[q]; ok {
		c.hits++
		return p
	}
	p := compilePlan(q)
	c.plans[q] = p // TRUTH:warmup-cachemap
	return p
}

//go:noinline
func executeQuery(p *plan, rng *rand.Rand) int {
	result := make([]byte, resultSize) // TRUTH:warmup-result
	copy(result, p.code[:64])
	return int(result[0]) + rng.Intn(1000)
}

var slowQueries [][]byte

//go:noinline
func trackSlowQuery(q int, latency int) {
	rec := make([]byte, slowRecordSize) // TRUTH:warmup-slow
	rec[0] = byte(q)
	rec[1] = byte(latency)
	slowQueries = append(slowQueries, rec)
}

func main() {
	run := snap.Start(1, 10, false)
	rng := rand.New(rand.NewSource(3))
	cache := &PlanCache{plans: make(map[int]*plan, distinctQueries)}

	for tick := 1; tick <= run.Ticks; tick++ {
		// Warm-up: tick t brings queries [0, 100*t); later ticks reuse all 300.
		known := distinctQueries
		if tick <= warmupTicks {
			known = tick * distinctQueries / warmupTicks
		}
		slow := 0
		for i := 0; i < queriesPerTick; i++ {
			q := (tick*queriesPerTick + i) % known
			if tick <= warmupTicks && i < distinctQueries/warmupTicks {
				q = (tick-1)*distinctQueries/warmupTicks + i // the 100 new queries of this tick
			}
			p := cache.fill(q)
			latency := executeQuery(p, rng)
			// After warm-up, the 32 first queries of a tick are over budget.
			if tick > warmupTicks && slow < slowPerTick {
				trackSlowQuery(q, latency)
				slow++
			}
		}
		run.Snapshot()
	}
	fmt.Printf("warmup: %d plans, %d hits, %d slow queries\n", len(cache.plans), cache.hits, len(slowQueries))
}
