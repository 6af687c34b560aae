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
  for (const AllocationInfo& info : infos) replay.define_info(info);
  for (const Event& e : run) {
    if (e.ms > replay.now_ms) {
      if (observer) observer->before_advance(replay, e.ms);
      replay.now_ms = e.ms;
    }
    if (e.alloc) replay.allocate(e.info);
    else replay.release(e.info);
  }
  if (end_ms > replay.now_ms && observer) observer->before_advance(replay, end_ms);
  replay.now_ms = end_ms;
  return end_ms;
}

// The exact per-site values after every event stamped at or before `ms`.
std::vector<Values> exact_state(const std::vector<Event>& run,
                                const std::vector<AllocationInfo>& infos, double ms) {
  Replay replay(false);
  for (const AllocationInfo& info : infos) replay.define_info(info);
  for (const Event& e : run) {
    if (double(e.ms) > ms) break;
    if (e.alloc) replay.allocate(e.info);
    else replay.release(e.info);
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
  SUBCASE("finish_events() before finish(): the same slices, from the sites alone") {
    const auto run = make_run(1'000'000, 50'000, 50, 3);
    const auto infos = infos_for(50);
    std::vector<std::vector<Capture>> both;
    for (const bool finished : {false, true}) {
      Replay replay(false, true);
      Slicer slicer(10, 1'000'001);
      const uint64_t end = replay_run(run, infos, replay, &slicer, 1'000'001);
      const std::vector<Values> sites = replay.sites();
      if (finished) {
        replay.finish_events();
        CHECK(replay.infos() == 0);  // the per-info state is gone
        CHECK(replay.sites().size() == sites.size());
        for (size_t s = 0; s < sites.size(); ++s) CHECK(replay.sites()[s].v == sites[s].v);
      }
      both.push_back(slicer.finish(replay, end));
    }
    REQUIRE(both[0].size() == 10);
    REQUIRE(both[1].size() == 10);
    for (size_t k = 0; k < 10; ++k) {
      CHECK(both[1][k].ms == both[0][k].ms);
      REQUIRE(both[1][k].sites.size() == both[0][k].sites.size());
      for (size_t i = 0; i < both[0][k].sites.size(); ++i) {
        CHECK(both[1][k].sites[i].first == both[0][k].sites[i].first);
        CHECK(both[1][k].sites[i].second.v == both[0][k].sites[i].second.v);
      }
    }
  }
  SUBCASE("a clock that never moves: every slice is the end state") {
    Replay replay(false, true);
    const auto infos = infos_for(2);
    for (const AllocationInfo& info : infos) replay.define_info(info);
    replay.allocate(0);
    replay.allocate(1);
    for (Slicer slicer : {Slicer(4), Slicer(4, 0)}) {
      const auto captures = slicer.finish(replay, 0);
      REQUIRE(captures.size() == 4);
      for (const auto& c : captures) CHECK(c.sites.size() == 2);
    }
  }
  SUBCASE("a clock that jumps to the end of uint64 does not loop") {
    Replay replay(false, true);
    replay.define_info({16, 0});
    Slicer slicer(10);
    slicer.before_advance(replay, UINT64_MAX);
    const auto captures = slicer.finish(replay, UINT64_MAX);
    CHECK(captures.size() == 10);
  }
}

// The replay counts blocks per allocation info and derives site values on demand; these
// must equal adding every event to its site at once (the naive model below), with several
// infos of different sizes per site, frees of blocks that are not live, and a peak.
TEST_CASE("heaptrack::Replay: per-info counts give the per-site values of every event") {
  constexpr uint32_t kSites = 40;
  constexpr uint32_t kInfos = 160;
  std::vector<AllocationInfo> infos;
  for (uint32_t i = 0; i < kInfos; ++i) infos.push_back({int64_t(i % 7) * 24 + 8, (i * 13) % kSites});
  Replay replay(/*track_peak=*/true, /*track_changes=*/true);
  for (const AllocationInfo& info : infos) replay.define_info(info);

  std::vector<Values> naive(kSites), naive_peak(kSites);
  std::vector<int64_t> live(kInfos, 0);
  std::vector<uint8_t> touched(kSites, 0);
  int64_t live_total = 0, peak_total = 0, unmatched = 0;
  std::mt19937 rng(11);
  for (int step = 0; step < 200'000; ++step) {
    const uint32_t i = rng() % kInfos;
    const AllocationInfo& info = infos[i];
    // Growing in the first half, shrinking in the second: the peak is in the middle.
    const bool alloc = rng() % 100 < (step < 100'000 ? 60u : 35u);
    Values& v = naive[info.site];
    if (alloc) {
      REQUIRE(replay.allocate(i) == Replay::Result::Ok);
      v[Metric::LiveBytes] += info.size;
      v[Metric::LiveObjects] += 1;
      v[Metric::AllocBytes] += info.size;
      v[Metric::AllocObjects] += 1;
      ++live[i];
      live_total += info.size;
      touched[info.site] = 1;
      if (live_total > peak_total) {
        peak_total = live_total;
        naive_peak = naive;
      }
    } else if (live[i] == 0) {
      CHECK_FALSE(replay.release(i));
      ++unmatched;
    } else {
      CHECK(replay.release(i));
      v[Metric::LiveBytes] -= info.size;
      v[Metric::LiveObjects] -= 1;
      --live[i];
      live_total -= info.size;
      touched[info.site] = 1;
    }
    if (step % 9'973 == 0) {
      // take_changes lists each touched site once, with its values now; sites() agrees.
      std::vector<std::pair<uint32_t, Values>> changes;
      replay.take_changes(changes);
      std::vector<uint8_t> listed(kSites, 0);
      for (const auto& [site, values] : changes) {
        CHECK(listed[site] == 0);
        listed[site] = 1;
        CHECK(values.v == naive[site].v);
      }
      CHECK(listed == touched);
      touched.assign(kSites, 0);
      for (uint32_t s = 0; s < kSites; ++s) CHECK(replay.sites()[s].v == naive[s].v);
    }
  }
  CHECK(replay.live_total == live_total);
  CHECK(replay.peak_total == peak_total);
  CHECK(replay.unmatched == unmatched);
  CHECK(unmatched > 0);
  const auto peak = replay.peak_sites();
  REQUIRE(peak.size() == kSites);
  for (uint32_t s = 0; s < kSites; ++s) {
    CHECK(replay.sites()[s].v == naive[s].v);
    CHECK(peak[s].v == naive_peak[s].v);
  }
}

// The record an event touches keeps its counts in 16 bits and carries into a second array
// (heaptrack_trace.h): counts across 2^16 and back, and a block size of 4 GiB or more (kept
// outside the record), must come out as plain sums.
TEST_CASE("heaptrack::Replay: counts past 2^16 blocks and sizes past 2^32 bytes") {
  const int64_t big = (int64_t(1) << 32) + 3;
  Replay replay(/*track_peak=*/true, /*track_changes=*/true);
  replay.define_info({24, 0});
  replay.define_info({big, 1});
  int64_t live = 0, allocated = 0;
  auto check = [&] {
    const auto& sites = replay.sites();
    CHECK(sites[0][Metric::LiveObjects] == live);
    CHECK(sites[0][Metric::LiveBytes] == live * 24);
    CHECK(sites[0][Metric::AllocObjects] == allocated);
    CHECK(sites[0][Metric::AllocBytes] == allocated * 24);
  };
  for (int i = 0; i < 3 * 65536 + 5; ++i) {
    REQUIRE(replay.allocate(0) == Replay::Result::Ok);
    ++live;
    ++allocated;
    if (live % 65536 <= 1 || live % 65536 == 65535) check();
  }
  for (int i = 0; i < 2 * 65536 + 7; ++i) {
    REQUIRE(replay.release(0));
    --live;
    if (live % 65536 <= 1 || live % 65536 == 65535) check();
  }
  for (int i = 0; i < 65536 + 2; ++i) {  // across the carry once more
    REQUIRE(replay.allocate(0) == Replay::Result::Ok);
    ++live;
    ++allocated;
  }
  check();
  while (live > 0) {
    REQUIRE(replay.release(0));
    --live;
  }
  CHECK_FALSE(replay.release(0));
  CHECK(replay.unmatched == 1);
  check();
  CHECK(replay.live_total == 0);
  REQUIRE(replay.allocate(1) == Replay::Result::Ok);
  REQUIRE(replay.allocate(1) == Replay::Result::Ok);
  REQUIRE(replay.release(1));
  CHECK(replay.sites()[1][Metric::LiveBytes] == big);
  CHECK(replay.sites()[1][Metric::AllocBytes] == 2 * big);
  CHECK(replay.live_total == big);
  CHECK(replay.peak_total == 2 * big);
  CHECK(replay.allocated_total == allocated * 24 + 2 * big);
  const auto peak = replay.peak_sites();
  CHECK(peak[1][Metric::LiveObjects] == 2);
  CHECK(peak[0][Metric::LiveObjects] == 0);
}

// (The other refusal, 2^32 live blocks of one info, would take 4G events to reach.)
TEST_CASE("heaptrack::Replay: refuses allocated totals past 2^63, changing nothing") {
  Replay replay(false);
  replay.define_info({int64_t(1) << 62, 0});
  CHECK(replay.allocate(0) == Replay::Result::Ok);
  CHECK(replay.allocate(0) == Replay::Result::TotalOverflow);
  CHECK(replay.sites()[0][Metric::LiveObjects] == 1);
  CHECK(replay.sites()[0][Metric::AllocBytes] == int64_t(1) << 62);
  CHECK(replay.calls == 1);
}
