// Command webcache simulates an HTTP front end that caches rendered
// responses.
//
// LEAK (cause: cache): (*Server).handle stores every rendered response in
// s.byRequest, a plain map keyed by the request id. Request ids never repeat,
// nothing is ever deleted, so the map and its values grow by 150 entries per
// tick: 150 x 1536-byte response bodies (main.renderResponse) plus the
// *cachedResponse structs and the map's buckets (main.(*Server).remember).
//
// NOISE:
//   - churn: main.decodeRequest allocates a 16 KiB scratch buffer per request
//     and drops it at the end of the request; nothing survives the tick.
//   - bounded-cache: main.(*LRU).put keeps at most 256 session objects of
//     2 KiB (main.newSession). 128 new sessions arrive per tick during the
//     first two ticks, afterwards sessions are evicted and replaced, so the
//     in-use size reaches its plateau at snapshot 2 and stays flat.
//   - startup: main.loadRoutes and main.loadMimeTypes build lookup tables
//     once before the first tick.
//
// Everything runs on the main goroutine, MemProfileRate=1: the numbers in
// the profiles are exact and repeatable.
package main

import (
	"fmt"
	"math/rand"

	"memleaktest/internal/snap"
)

type cachedResponse struct {
	id     uint64
	status int
	body   []byte
}

type Server struct {
	byRequest map[uint64]*cachedResponse
	sessions  *LRU
	routes    [][]byte
	mimes     map[string]string
	served    int
}

// ---- startup tables ----

//go:noinline
func loadRoutes() [][]byte {
	routes := make([][]byte, 64)
	for i := range routes {
		routes[i] = make([]byte, 4096) // TRUTH:webcache-routes
		routes[i][0] = byte(i)
	}
	return routes
}

//go:noinline
func loadMimeTypes() map[string]string {
	m := make(map[string]string, 512) // TRUTH:webcache-mimes
	for i := 0; i < 400; i++ {
		m[fmt.Sprintf(".ext%03d", i)] = fmt.Sprintf("application/x-type-%03d", i)
	}
	return m
}

// ---- bounded LRU of sessions ----

type session struct {
	key        int
	state      []byte
	prev, next *session
}

type LRU struct {
	cap        int
	items      map[int]*session
	head, tail *session
}

func newLRU(capacity int) *LRU {
	return &LRU{cap: capacity, items: make(map[int]*session, capacity)}
}

//go:noinline
func newSession(key int) *session {
	return &session{key: key, state: make([]byte, 2048)} // TRUTH:webcache-session
}

func (l *LRU) unlink(s *session) {
	if s.prev != nil {
		s.prev.next = s.next
	} else {
		l.head = s.next
	}
	if s.next != nil {
		s.next.prev = s.prev
	} else {
		l.tail = s.prev
	}
	s.prev, s.next = nil, nil
}

func (l *LRU) pushFront(s *session) {
	s.next = l.head
	if l.head != nil {
		l.head.prev = s
	}
	l.head = s
	if l.tail == nil {
		l.tail = s
	}
}

//go:noinline
func (l *LRU) put(key int) {
	if s, ok := l.items[key]; ok {
		l.unlink(s)
		l.pushFront(s)
		return
	}
	if len(l.items) >= l.cap {
		old := l.tail
		l.unlink(old)
		delete(l.items, old.key)
	}
	s := newSession(key)
	l.items[key] = s
	l.pushFront(s)
}

// ---- request path ----

//go:noinline
func decodeRequest(id uint64, rng *rand.Rand) int {
	scratch := make([]byte, scratchSize) // TRUTH:webcache-scratch
	rng.Read(scratch[:64])
	sum := 0
	for _, b := range scratch[:64] {
		sum += int(b)
	}
	return sum
}

//go:noinline
func renderResponse(id uint64, sum int) []byte {
	body := make([]byte, 1536) // TRUTH:webcache-body
	copy(body, fmt.Sprintf("request %d checksum %d", id, sum))
	return body
}

//go:noinline
func (s *Server) remember(id uint64, body []byte) {
	s.byRequest[id] = &cachedResponse{id: id, status: 200, body: body} // TRUTH:webcache-remember
}

//go:noinline
func (s *Server) handle(id uint64, sessionKey int, rng *rand.Rand) {
	sum := decodeRequest(id, rng)
	body := renderResponse(id, sum)
	s.remember(id, body)
	s.sessions.put(sessionKey)
	s.served++
}

const (
	requestsPerTick       = 150
	newSessionsEarlyTicks = 128
	lruCapacity           = 256
)

// a var, not a const: a non-escaping make of constant size <= 64 KiB is put
// on the goroutine stack by the compiler and never shows in a heap profile.
var scratchSize = 16 << 10

func main() {
	run := snap.Start(1, 8, false)
	rng := rand.New(rand.NewSource(20240601))

	s := &Server{
		byRequest: make(map[uint64]*cachedResponse),
		sessions:  newLRU(lruCapacity),
		routes:    loadRoutes(),
		mimes:     loadMimeTypes(),
	}

	var nextID uint64 = 1
	nextSession := 0
	for tick := 1; tick <= run.Ticks; tick++ {
		// 128 brand-new sessions per tick; in ticks 1-2 they fill the LRU,
		// later each one evicts the least recently used session.
		first := nextSession
		nextSession += newSessionsEarlyTicks
		for i := 0; i < requestsPerTick; i++ {
			key := first + i%newSessionsEarlyTicks
			s.handle(nextID, key, rng)
			nextID++
		}
		run.Snapshot()
	}
	fmt.Printf("webcache: served %d, cached %d, sessions %d, routes %d, mimes %d\n",
		s.served, len(s.byRequest), len(s.sessions.items), len(s.routes), len(s.mimes))
}
