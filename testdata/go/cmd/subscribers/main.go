// Command subscribers simulates a notification hub with a goroutine leak.
//
// LEAK (cause: goroutine): every tick 25 clients subscribe to topics. Hub.
// Subscribe starts (*Subscriber).listen, which waits for events on
// s.events, but the hub only keeps a per-topic counter, never the
// subscriber, so nobody will ever send on or close s.events: each listen
// goroutine stays parked in chanrecv forever (+25 goroutines per snapshot in
// the goroutine profile, leaf runtime.gopark, first program frame
// main.(*Subscriber).listen). In the heap profile each leaked subscriber
// pins what main.newSubscriber allocated (the Subscriber struct, a 4 KiB
// replay buffer and the events channel), and the runtime allocates a g
// struct per goroutine (runtime.malg, secondary growth) and a sudog for the
// blocked receive (attributed to main.(*Subscriber).listen). Goroutine
// stacks themselves are not heap objects and are not in the heap profile.
//
// NOISE:
//   - a fixed pool of 6 workers (main.(*Pool).worker) started once: a
//     stable goroutine population, parked in chanrecv between ticks.
//   - churn: every job allocates a 12 KiB frame in main.encodeFrame that is
//     dropped after checksumming; the workers are idle (the tick waits for
//     them) when the snapshot is taken, so none of it is in use.
//   - startup: main.loadTopics allocates the topic table once.
//
// MemProfileRate=1; heap and goroutine profiles after each tick.
package main

import (
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"memleaktest/internal/snap"
)

type Event struct {
	Topic   int
	Payload []byte
}

type Subscriber struct {
	id     int
	topic  int
	events chan Event
	replay []byte
	seen   int
}

//go:noinline
func newSubscriber(id, topic int) *Subscriber {
	s := &Subscriber{id: id, topic: topic} // TRUTH:subscribers-struct
	s.events = make(chan Event, 1)         // TRUTH:subscribers-chan
	s.replay = make([]byte, 4096)          // TRUTH:subscribers-replay
	return s
}

// listen delivers events to the client. Nobody holds s.events but this
// goroutine, so the receive never completes.
func (s *Subscriber) listen() {
	for ev := range s.events { // TRUTH:subscribers-block
		copy(s.replay, ev.Payload)
		s.seen++
	}
}

type Hub struct {
	topics      [][]byte
	subscribers []int // per-topic count; the Subscriber itself is forgotten
}

//go:noinline
func loadTopics(n int) [][]byte {
	t := make([][]byte, n)
	for i := range t {
		t[i] = make([]byte, 1024) // TRUTH:subscribers-topics
		t[i][0] = byte(i)
	}
	return t
}

//go:noinline
func (h *Hub) Subscribe(id, topic int) {
	s := newSubscriber(id, topic)
	h.subscribers[topic]++
	go s.listen() // TRUTH:subscribers-go
}

// ---- fixed worker pool ----

type job struct {
	seq  int
	text string
}

type Pool struct {
	jobs chan job
	wg   sync.WaitGroup // counts outstanding jobs
	mu   sync.Mutex
	sum  uint64
}

//go:noinline
func encodeFrame(j job) []byte {
	frame := make([]byte, 12<<10) // TRUTH:subscribers-frame
	for i := 0; i < len(frame); i += len(j.text) {
		copy(frame[i:], j.text)
	}
	return frame
}

func (p *Pool) worker() {
	for j := range p.jobs { // TRUTH:subscribers-worker
		h := fnv.New64a()
		h.Write(encodeFrame(j))
		p.mu.Lock()
		p.sum += h.Sum64()
		p.mu.Unlock()
		p.wg.Done()
	}
}

const (
	workers         = 6
	joinsPerTick    = 25
	jobsPerTick     = 200
	topicCount      = 32
	settleAfterTick = 20 * time.Millisecond
)

func main() {
	run := snap.Start(1, 6, true)
	hub := &Hub{topics: loadTopics(topicCount), subscribers: make([]int, topicCount)}
	pool := &Pool{jobs: make(chan job)}
	for i := 0; i < workers; i++ {
		go pool.worker()
	}
	texts := []string{"alpha ", "bravo charlie ", "delta-echo ", "foxtrot/golf/hotel "}

	id := 0
	seq := 0
	for tick := 1; tick <= run.Ticks; tick++ {
		for i := 0; i < joinsPerTick; i++ {
			id++
			hub.Subscribe(id, (id*7)%topicCount)
		}
		pool.wg.Add(jobsPerTick)
		for i := 0; i < jobsPerTick; i++ {
			seq++
			pool.jobs <- job{seq: seq, text: texts[seq%len(texts)]}
		}
		pool.wg.Wait()
		// Let the new listen goroutines start and park before the snapshot.
		time.Sleep(settleAfterTick)
		run.Snapshot()
	}
	fmt.Printf("subscribers: %d subscribed, checksum %016x\n", id, pool.sum)
}
