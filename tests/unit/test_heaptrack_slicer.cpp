// Tests of formats/heaptrack/slicer.h: slicing a run in one pass gives, for every slice, the
// exact state of the run at the time the slice reports: with a known duration at exactly
// k*T/N; without, on runs short enough for the 1 ms grid and on long ones where the grid
// coarsens (by point count and by stored changes); events stamped at 0 count.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "formats/heaptrack/slicer.h"

using memleak::core::Metric;
using memleak::core::Values;
using namespace memleak::formats::heaptrack;

namespace {

struct Event {
  uint64_t ms;
  uint32_t info;
  bool alloc;
};

// A deterministic run: `n` events over `duration_ms`, on `sites` sites, one allocation info
// per site with a size of (site + 1) * 16; frees only of live blocks. The first events are
// stamped 0 (before any `c` line).
std::vector<Event> make_run(uint64_t duration_ms, size_t n, uint32_t sites, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Event> out;
  std::vector<int> live(sites, 0);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t ms = i < 5 ? 0 : 1 + duration_ms * i / n;
    const uint32_t info = rng() % sites;
    const bool alloc = live[info] == 0 || rng() % 3 != 0;
    live[info] += alloc ? 1 : -1;
    out.push_back({ms, info, alloc});
  }
  return out;
}

std::vector<AllocationInfo> infos_for(uint32_t sites) {
  std::vector<AllocationInfo> infos;
  for (uint32_t s = 0; s < sites; ++s) infos.push_back({int64_t(s + 1) * 16, s});
  return infos;
}

// Replays the run through `observer` (the way TraceReader drives the clock); returns the end.
uint64_t replay_run(const std::vector<Event>& run, const std::vector<AllocationInfo>& infos,
                    Replay& replay, ClockObserver* observer, uint64_t end_ms) {
  replay.resize(infos.size(), infos.size());
  for (const Event& e : run) {
    if (e.ms > replay.now_ms) {
      if (observer) observer->before_advance(replay, e.ms);
      replay.now_ms = e.ms;
    }
    if (e.alloc) replay.allocate(e.info, infos[e.info]);
    else replay.release(e.info, infos[e.info]);
  }
  if (end_ms > replay.now_ms && observer) observer->before_advance(replay, end_ms);
  replay.now_ms = end_ms;
  return end_ms;
}

// The exact per-site values after every event stamped at or before `ms`.
std::vector<Values> exact_state(const std::vector<Event>& run,
                                const std::vector<AllocationInfo>& infos, double ms) {
  Replay replay(false);
  replay.resize(infos.size(), infos.size());
  for (const Event& e : run) {
    if (double(e.ms) > ms) break;
    if (e.alloc) replay.allocate(e.info, infos[e.info]);
    else replay.release(e.info, infos[e.info]);
  }
  return replay.sites();
}

// Returns how many slices are not at their ideal time (the grid coarsened). `known`: the
// slicer is told the duration.
int check_slices(uint64_t duration_ms, size_t events, uint32_t sites, int slices,
                 bool known = false) {
  const auto run = make_run(duration_ms, events, sites, 7);
  const auto infos = infos_for(sites);
  Replay replay(false, /*track_changes=*/true);
  Slicer slicer = known ? Slicer(slices, duration_ms + 1) : Slicer(slices);
  const uint64_t end = replay_run(run, infos, replay, &slicer, duration_ms + 1);
  const auto captures = slicer.finish(replay, end);
  REQUIRE(captures.size() == size_t(slices));
  double previous = -1;
  int off_ideal = 0;
  for (int k = 0; k < slices; ++k) {
    const Capture& c = captures[size_t(k)];
    const double ideal = double(end) * (k + 1) / slices;
    off_ideal += c.ms != ideal;
    CHECK(c.ms <= ideal);
    CHECK(c.ms > previous);  // distinct, in order
    previous = c.ms;
    // Never further from the ideal time than one slice.
    CHECK(ideal - c.ms < double(end) / slices);
    const auto want = exact_state(run, infos, c.ms);
    std::vector<Values> got(want.size());
    for (const auto& [site, values] : c.sites) got[site] = values;
    size_t differing = 0;
    for (size_t s = 0; s < want.size(); ++s) differing += got[s].v != want[s].v;
    CHECK(differing == 0);
  }
  return off_ideal;
}

}  // namespace

TEST_CASE("heaptrack::Slicer") {
  SUBCASE("a run shorter than kMinGridPoints ms: slices at exactly k*T/N") {
    const auto run = make_run(500, 2000, 20, 1);
    const auto infos = infos_for(20);
    Replay replay(false, true);
    Slicer slicer(10);
    const uint64_t end = replay_run(run, infos, replay, &slicer, 501);
    const auto captures = slicer.finish(replay, end);
    REQUIRE(captures.size() == 10);
    for (int k = 0; k < 10; ++k) CHECK(captures[size_t(k)].ms == doctest::Approx(501.0 * (k + 1) / 10));
    CHECK(check_slices(500, 2000, 20, 10) == 0);
  }
  SUBCASE("a long run: the grid coarsens, every slice is the exact state at its time") {
    CHECK(check_slices(1'000'000, 50'000, 50, 10) > 0);
    CHECK(check_slices(123'457, 20'000, 7, 3) > 0);
    check_slices(5'000, 10'000, 30, 1);
  }
  SUBCASE("many sites changing everywhere: coarsened by stored changes, still exact") {
    // 1000 ms fit the 1 ms grid by point count; ~1700 sites change per ms, so only the
    // kMaxStoredChanges bound coarsens it.
    CHECK(check_slices(999, 2'000'000, 5'000, 10) > 0);
  }
  SUBCASE("a known duration: every slice exactly at k*T/N, whatever the run's length") {
    CHECK(check_slices(500, 2000, 20, 10, true) == 0);
    CHECK(check_slices(1'000'000, 50'000, 50, 10, true) == 0);
    CHECK(check_slices(999, 2'000'000, 5'000, 10, true) == 0);
    CHECK(check_slices(123'457, 20'000, 7, 3, true) == 0);
  }
  SUBCASE("a clock that never moves: every slice is the end state") {
    Replay replay(false, true);
    const auto infos = infos_for(2);
    replay.resize(2, 2);
    replay.allocate(0, infos[0]);
    replay.allocate(1, infos[1]);
    for (Slicer slicer : {Slicer(4), Slicer(4, 0)}) {
      const auto captures = slicer.finish(replay, 0);
      REQUIRE(captures.size() == 4);
      for (const auto& c : captures) CHECK(c.sites.size() == 2);
    }
  }
  SUBCASE("a clock that jumps to the end of uint64 does not loop") {
    Replay replay(false, true);
    replay.resize(1, 1);
    Slicer slicer(10);
    slicer.before_advance(replay, UINT64_MAX);
    const auto captures = slicer.finish(replay, UINT64_MAX);
    CHECK(captures.size() == 10);
  }
}
