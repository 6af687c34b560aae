// Unit tests of core/hints.h: the cause-hint table (goroutine, channel, map, slice, string,
// plain heap; table order decides), the goroutine wait-reason table and the goroutine function.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/hints.h"

using namespace memleak::core;

namespace {

SiteFrame lib(std::string function) {
  SiteFrame f;
  f.function = std::move(function);
  return f;
}
SiteFrame prog(std::string function) {
  SiteFrame f = lib(std::move(function));
  f.program = true;
  return f;
}

const std::string kPlainHeap = "heap: plain allocations (new/malloc/make) that are never freed";

}  // namespace

TEST_CASE("memleak::core::cause_hint") {
  const Metric m = Metric::LiveBytes;
  SUBCASE("goroutine structures") {
    CHECK(cause_hint({lib("runtime.malg"), lib("runtime.newproc1"), prog("main.serve")}, m) ==
          "goroutine: stacks of goroutines that never exit");
    CHECK(cause_hint({lib("runtime.newproc1"), prog("main.serve")}, m) ==
          "goroutine: goroutines started and never finished");
  }
  SUBCASE("channel buffers") {
    CHECK(cause_hint({lib("runtime.makechan"), prog("main.open")}, m) ==
          "channel: buffers of channels nobody drains");
    CHECK(cause_hint({lib("runtime.chansend1"), prog("main.produce")}, m) ==
          "channel: values queued in a channel nobody drains");
  }
  SUBCASE("maps") {
    CHECK(cause_hint({lib("runtime.mapassign_faststr"), prog("main.(*Cache).Put")}, m) ==
          "map/cache: a map that only grows (no eviction?)");
    CHECK(cause_hint({lib("runtime.hashGrow"), lib("runtime.mapassign"), prog("main.f")}, m) ==
          "map/cache: a map that only grows (no eviction?)");
    CHECK(cause_hint({lib("runtime.makemap_small"), prog("main.f")}, m) ==
          "map/cache: maps created and kept");
    CHECK(cause_hint({lib("std::__detail::_Hashtable_alloc<...>::_M_allocate_node()"),
                      lib("std::unordered_map<int, int>::operator[](int const&)"), prog("Cache::put")},
                     m) == "map/cache: an unordered_map that only grows (no eviction?)");
    CHECK(cause_hint({lib("std::_Rb_tree<int, int>::_M_insert_unique(int&&)"), prog("Index::add")}, m) ==
          "map/cache: a tree map/set that only grows (no eviction?)");
    CHECK(cause_hint({lib("std::map<int, int>::operator[](int const&)"), prog("Index::add")}, m) ==
          "map/cache: a std::map that only grows (no eviction?)");
  }
  SUBCASE("slices and containers") {
    CHECK(cause_hint({lib("runtime.growslice"), prog("main.appendAll")}, m) ==
          "slice: a slice that only grows, or a small slice keeping a large array alive");
    CHECK(cause_hint({lib("runtime.makeslice"), prog("main.buf")}, m) ==
          "slice: slices kept alive (a sub-slice keeps its whole array)");
    CHECK(cause_hint({lib("std::vector<int>::_M_realloc_insert(int&&)"), prog("Log::add")}, m) ==
          "container: a vector that only grows");
    CHECK(cause_hint({lib("std::deque<int>::_M_push_back_aux(int const&)"), prog("Q::push")}, m) ==
          "container: a deque that only grows");
  }
  SUBCASE("strings") {
    CHECK(cause_hint({lib("runtime.concatstrings"), lib("runtime.concatstring2"), prog("main.name")}, m) ==
          "string: strings built and kept (a substring keeps its source)");
    CHECK(cause_hint({lib("runtime.slicebytetostring"), prog("main.read")}, m) ==
          "string: strings built and kept");
    CHECK(cause_hint({lib("strings.(*Builder).grow"), prog("main.render")}, m) ==
          "string: strings built and kept");
    CHECK(cause_hint({lib("strdup"), prog("Config::load")}, m) ==
          "string: duplicated strings never freed");
    CHECK(cause_hint({lib("std::__cxx11::basic_string<char>::_M_mutate(...)"), prog("Doc::text")}, m) ==
          "string: strings built and kept");
  }
  SUBCASE("nothing recognisable is a plain heap allocation") {
    CHECK(cause_hint({lib("malloc"), prog("Widget::make")}, m) == kPlainHeap);
    CHECK(cause_hint({prog("main.newNode")}, Metric::AllocBytes) == kPlainHeap);
    CHECK(cause_hint({}, m) == kPlainHeap);
  }
  SUBCASE("the table order decides, not the frame order") {
    // growslice is the leaf but the map rule comes first in the table
    CHECK(cause_hint({lib("runtime.growslice"), lib("runtime.makemap"), prog("main.f")}, m) ==
          "map/cache: maps created and kept");
  }
  SUBCASE("within one name too, the table order decides, wherever the patterns sit") {
    // runtime.malg is the table's first rule, std::vector a later one, found first here.
    CHECK(cause_hint({lib("std::vector<runtime.malg>")}, m) ==
          "goroutine: stacks of goroutines that never exit");
    // Near misses of a pattern's first bytes before the match, and a match at the end.
    CHECK(cause_hint({lib("ststd:std::deque<int>")}, m) == "container: a deque that only grows");
    CHECK(cause_hint({lib("rurun_runtime.makechan")}, m) ==
          "channel: buffers of channels nobody drains");
    CHECK(cause_hint({lib("my::strdup")}, m) == "string: duplicated strings never freed");
    CHECK(cause_hint({lib("_M_get_node")}, m) == "map/cache: map/set nodes that are never erased");
    // A pattern cut short by the end of the name, and names of one byte or none.
    CHECK(cause_hint({lib("x::strdu")}, m) == kPlainHeap);
    CHECK(cause_hint({lib("s"), lib("")}, m) == kPlainHeap);
  }
  SUBCASE("goroutine counts name what the goroutines wait for") {
    CHECK(cause_hint({lib("runtime.gopark"), lib("runtime.chanrecv1"), prog("main.worker")},
                     Metric::Goroutines) ==
          "goroutine: goroutines blocked forever on channel receive");
    CHECK(cause_hint({prog("main.worker")}, Metric::Goroutines) ==
          "goroutine: goroutines that never exit");
  }
}

TEST_CASE("memleak::core::blocking_operation") {
  SUBCASE("channel receive and send") {
    CHECK(blocking_operation({lib("runtime.gopark"), lib("runtime.chanrecv"),
                              lib("runtime.chanrecv1"), prog("main.worker")}) == "channel receive");
    CHECK(blocking_operation({lib("runtime.gopark"), lib("runtime.chanrecv"),
                              lib("runtime.chanrecv2"), prog("main.worker")}) == "channel receive");
    CHECK(blocking_operation({lib("runtime.gopark"), lib("runtime.chansend"),
                              lib("runtime.chansend1"), prog("main.producer")}) == "channel send");
  }
  SUBCASE("select, and select with no cases") {
    CHECK(blocking_operation({lib("runtime.gopark"), lib("runtime.selectgo"), prog("main.loop")}) ==
          "select");
    CHECK(blocking_operation({lib("runtime.gopark"), lib("runtime.block"), prog("main.forever")}) ==
          "select with no cases");
  }
  SUBCASE("mutexes and wait groups") {
    CHECK(blocking_operation({lib("runtime.gopark"), lib("runtime.goparkunlock"),
                              lib("runtime.semacquire1"), lib("sync.runtime_SemacquireMutex"),
                              lib("sync.(*Mutex).lockSlow"), lib("sync.(*Mutex).Lock"),
                              prog("main.update")}) == "mutex");
    CHECK(blocking_operation({lib("runtime.gopark"), lib("sync.runtime_SemacquireRWMutexR"),
                              lib("sync.(*RWMutex).RLock"), prog("main.read")}) == "mutex");
    // a wait group waits on a semaphore: the more specific rule (earlier in the table) wins
    CHECK(blocking_operation({lib("runtime.gopark"), lib("sync.runtime_Semacquire"),
                              lib("sync.(*WaitGroup).Wait"), prog("main.run")}) == "wait group");
    CHECK(blocking_operation({lib("runtime.gopark"), lib("sync.runtime_Semacquire"),
                              prog("main.acquire")}) == "semaphore");
    CHECK(blocking_operation({lib("runtime.gopark"), lib("sync.runtime_notifyListWait"),
                              lib("sync.(*Cond).Wait"), prog("main.consume")}) ==
          "condition variable");
  }
  SUBCASE("sleep and I/O") {
    CHECK(blocking_operation({lib("runtime.gopark"), lib("time.Sleep"), prog("main.tick")}) ==
          "sleep");
    CHECK(blocking_operation({lib("runtime.gopark"), lib("runtime.netpollblock"),
                              lib("internal/poll.runtime_pollWait"),
                              lib("internal/poll.(*pollDesc).wait"), lib("internal/poll.(*FD).Read"),
                              lib("net.(*conn).Read"), prog("main.handle")}) == "I/O wait");
  }
  SUBCASE("a bare park is parked") {
    CHECK(blocking_operation({lib("runtime.gopark"), prog("main.f")}) == "parked");
  }
  SUBCASE("only frames below the first program frame count") {
    CHECK(blocking_operation({prog("main.f"), lib("runtime.chanrecv1")}).empty());
    CHECK(blocking_operation({lib("runtime.gopark"), prog("main.f"), lib("time.Sleep")}) ==
          "parked");
  }
  SUBCASE("unknown waits and empty stacks give nothing") {
    CHECK(blocking_operation({lib("runtime.goexit"), prog("main.f")}).empty());
    CHECK(blocking_operation({}).empty());
  }
}

TEST_CASE("memleak::core::goroutine_function") {
  SUBCASE("the outermost program frame runs the goroutine") {
    CHECK(goroutine_function({lib("runtime.gopark"), lib("runtime.chanrecv1"),
                              prog("myapp/worker.(*Pool).run"), lib("runtime.goexit")}) ==
          "myapp/worker.(*Pool).run");
    CHECK(goroutine_function({lib("runtime.gopark"), prog("main.handle"),
                              prog("main.serve.func1"), lib("runtime.goexit")}) ==
          "main.serve.func1");
  }
  SUBCASE("without a program frame, the outermost frame") {
    CHECK(goroutine_function({lib("runtime.gopark"), lib("runtime.bgsweep"),
                              lib("runtime.goexit")}) == "runtime.goexit");
  }
  SUBCASE("an empty stack has no function") { CHECK(goroutine_function({}).empty()); }
}
