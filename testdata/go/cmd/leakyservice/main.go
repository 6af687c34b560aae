// Command leakyservice is a tiny HTTP service for end-to-end tests of
// `memleak record`: it serves net/http/pprof on a local address and,
// with -leak, leaks a little memory on every tick.
//
// Usage:
//
//	leakyservice [-addr 127.0.0.1:0] [-leak] [-lifetime 60s] [-tick 100ms] [-memprofilerate 1]
//
// The first line on stdout is the address the server listens on (host:port,
// e.g. "127.0.0.1:40123"), printed once the listener is open, so a test can
// read it and then fetch http://ADDR/debug/pprof/heap etc.
//
// LEAK (only with -leak; cause: global): every tick main.(*Registry).track
// stores a new 4 KiB session entry in the global registry map (keyed by a
// counter, never deleted): 40 KiB/s at the default 100 ms tick, plus the
// map's buckets as it grows.
//
// NOISE (always): main.churn allocates and drops 16 x 32 KiB buffers every
// tick; main.loadConfig allocates a config table once; the HTTP server's
// own allocations.
//
// The process exits by itself (status 0) after -lifetime, or on SIGINT/
// SIGTERM. Other endpoints: /healthz (ok) and /stats (entries in the
// registry). Default MemProfileRate is 1 (every allocation profiled) so a
// short recording already shows exact numbers; -memprofilerate 0 keeps Go's
// default 512 KiB sampling.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

type Registry struct {
	mu       sync.Mutex
	sessions map[uint64][]byte
	next     uint64
}

var registry = &Registry{sessions: make(map[uint64][]byte)}

//go:noinline
func (r *Registry) track() {
	entry := make([]byte, 4<<10) // TRUTH:leakyservice-track
	r.mu.Lock()
	r.next++
	entry[0] = byte(r.next)
	r.sessions[r.next] = entry
	r.mu.Unlock()
}

func (r *Registry) size() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sessions)
}

var sink byte

// a var, not a const: a non-escaping make of constant size <= 64 KiB is put
// on the goroutine stack by the compiler and never shows in a heap profile.
var churnSize = 32 << 10

//go:noinline
func churn(n int) {
	for i := 0; i < n; i++ {
		buf := make([]byte, churnSize) // TRUTH:leakyservice-churn
		buf[i] = byte(i)
		sink ^= buf[len(buf)/2] ^ buf[i]
	}
}

//go:noinline
func loadConfig() [][]byte {
	cfg := make([][]byte, 32)
	for i := range cfg {
		cfg[i] = make([]byte, 2<<10) // TRUTH:leakyservice-config
	}
	return cfg
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (port 0 = pick a free port)")
	leak := flag.Bool("leak", false, "leak a 4 KiB entry on every tick")
	lifetime := flag.Duration("lifetime", 60*time.Second, "exit after this long")
	tick := flag.Duration("tick", 100*time.Millisecond, "work interval")
	rate := flag.Int("memprofilerate", 1, "runtime.MemProfileRate (0 = Go default)")
	flag.Parse()
	if *rate > 0 {
		runtime.MemProfileRate = *rate
	}
	cfg := loadConfig()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "leakyservice:", err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().String())

	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/stats", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "leak=%v entries=%d config=%d\n", *leak, registry.size(), len(cfg))
	})
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			fmt.Fprintln(os.Stderr, "leakyservice:", err)
			os.Exit(1)
		}
	}()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	ticker := time.NewTicker(*tick)
	defer ticker.Stop()
	deadline := time.NewTimer(*lifetime)
	for {
		select {
		case <-ticker.C:
			churn(16)
			if *leak {
				registry.track()
			}
		case <-deadline.C:
			srv.Close()
			return
		case <-stop:
			srv.Close()
			return
		}
	}
}
