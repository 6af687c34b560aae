// Command channelq simulates an event exporter whose queue has no consumer.
//
// LEAK (cause: channel): main.(*Exporter).emit creates a 2 KiB event
// (main.newEvent) for every metric update and hands it to a publish
// goroutine that sends it on the exporter's buffered queue (capacity 48).
// The goroutine meant to drain the queue is never started. For the first
// two ticks (20 events per tick) the sends complete and the events pile up
// in the channel buffer; at tick 3 the buffer is full and from then on every
// publish goroutine blocks forever in chansend, holding its event.
// The heap grows by 20 events (~40 KiB) every tick throughout; the goroutine
// profile shows main.(*Exporter).publish parked in runtime.chansend1:
// 0, 0, 12, 32, 52, ... goroutines (+20 per tick once the buffer is full).
// Secondary growth: runtime.malg (g structs of the blocked publishers) and
// the sudogs of the blocked sends (attributed to main.(*Exporter).publish).
//
// NOISE:
//   - a balanced producer/consumer pair (main.(*Pipeline).produce and
//     main.(*Pipeline).consume, started once) passes 300 work items of
//     6 KiB (main.newWorkItem) per tick through an unbuffered channel; the
//     consumer drops every item, the tick waits until it is done: churn in
//     the heap, two stable goroutines in the goroutine profile.
//   - startup: the queue's buffer itself (make(chan *Event, 48) in
//     main.newExporter) and main.loadMetricNames.
//
// 8 ticks, MemProfileRate=1; heap and goroutine profiles after each tick.
// The tick waits until the publishers of the tick have either finished or
// parked, so the profiles are repeatable.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"memleaktest/internal/snap"
)

const (
	queueCap      = 48
	eventsPerTick = 20
	eventSize     = 2 << 10
	itemsPerTick  = 300
	itemSize      = 6 << 10
	metricNames   = 128
)

type Event struct {
	metric string
	seq    int
	body   []byte
}

type Exporter struct {
	queue     chan *Event
	published int
}

//go:noinline
func newExporter() *Exporter {
	return &Exporter{queue: make(chan *Event, queueCap)} // TRUTH:channelq-queue
}

//go:noinline
func newEvent(metric string, seq int) *Event {
	ev := &Event{metric: metric, seq: seq, body: make([]byte, eventSize)} // TRUTH:channelq-event
	copy(ev.body, metric)
	return ev
}

// publish hands one event to the (missing) drain goroutine.
func (e *Exporter) publish(ev *Event) {
	e.queue <- ev // TRUTH:channelq-block
}

//go:noinline
func (e *Exporter) emit(metric string, seq int) {
	ev := newEvent(metric, seq)
	go e.publish(ev) // TRUTH:channelq-go
	e.published++
}

// ---- balanced pipeline ----

type workItem struct {
	id      int
	payload []byte
}

type Pipeline struct {
	start chan int
	items chan *workItem
	done  sync.WaitGroup
	sum   int
}

//go:noinline
func newWorkItem(id int) *workItem {
	return &workItem{id: id, payload: make([]byte, itemSize)} // TRUTH:channelq-item
}

func (p *Pipeline) produce() {
	for n := range p.start { // TRUTH:channelq-produce
		for i := 0; i < n; i++ {
			p.items <- newWorkItem(i)
		}
	}
	close(p.items)
}

func (p *Pipeline) consume() {
	for it := range p.items { // TRUTH:channelq-consume
		p.sum += int(it.payload[0]) + it.id
		p.done.Done()
	}
}

//go:noinline
func loadMetricNames() []string {
	names := make([]string, metricNames)
	for i := range names {
		names[i] = fmt.Sprintf("exporter_metric_%03d_total", i) // TRUTH:channelq-names
	}
	return names
}

func main() {
	run := snap.Start(1, 8, true)
	names := loadMetricNames()
	exp := newExporter()
	pipe := &Pipeline{start: make(chan int), items: make(chan *workItem)}
	go pipe.produce()
	go pipe.consume()
	base := runtime.NumGoroutine()

	seq := 0
	for tick := 1; tick <= run.Ticks; tick++ {
		pipe.done.Add(itemsPerTick)
		pipe.start <- itemsPerTick
		for i := 0; i < eventsPerTick; i++ {
			seq++
			exp.emit(names[seq%len(names)], seq)
		}
		pipe.done.Wait()

		// Wait until the buffer holds what fits and the rest of the
		// publishers exist (blocked); finished publishers have exited.
		wantBuffered, wantBlocked := seq, 0
		if seq > queueCap {
			wantBuffered, wantBlocked = queueCap, seq-queueCap
		}
		for len(exp.queue) != wantBuffered || runtime.NumGoroutine() != base+wantBlocked {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // let the blocked ones park
		run.Snapshot()
	}
	close(pipe.start)
	fmt.Printf("channelq: %d events published, %d queued, pipeline sum %d\n",
		exp.published, len(exp.queue), pipe.sum)
}
