// Unit tests of core/analyse.h: ranking (leaks first by fitted growth, then by first-to-last
// growth, ties by key), keep_top's invariant (shown rows plus others equal the total), --skip,
// the call-path drill-down, goroutine rows, the run_context tier, rates, projections and notes.
// Profiles are built in memory and aligned with core::align, as the CLI does.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "core/analyse.h"
#include "core/errors.h"
#include "core/verdict.h"

using namespace memleak::core;

namespace {

struct ProfileBuilder {
  Profile p;
  Metric metric;
  explicit ProfileBuilder(Metric m = Metric::LiveBytes, std::string path = "mem.prof") : metric(m) {
    p.path = std::move(path);
    p.format = "test";
    p.kind = m == Metric::Goroutines ? "goroutine" : "heap";
    p.metrics.add(m);
    if (m == Metric::LiveBytes) p.metrics.add(Metric::LiveObjects);
  }
  FrameId frame(std::string_view function, std::string_view file = "", uint32_t line = 0) {
    Frame f;
    f.function = p.strings.intern(function);
    f.file = p.strings.intern(file);
    f.line = line;
    return p.frames.intern(f);
  }
  StackId stack(std::vector<FrameId> frames) { return p.stacks.intern(frames); }
  // malloc <- helper() <- `caller` (file, line) <- main: a shared helper reached from `caller`.
  StackId via_helper(std::string_view caller, std::string_view file, uint32_t line = 0) {
    return stack({frame("malloc"), frame("helper()", "helper.cpp"), frame(caller, file, line),
                  frame("main", "main.cpp")});
  }
  // A program function `name` (file name.cpp) allocating through malloc, called from main.
  StackId site(std::string_view name) {
    return stack({frame("malloc"), frame(name, std::string(name) + ".cpp"), frame("main", "main.cpp")});
  }
  // Adds one snapshot per column of `series` (stack -> values over time).
  void series(const std::vector<std::pair<StackId, std::vector<int64_t>>>& rows,
              std::vector<double> times = {}, int64_t object_size = 0) {
    const size_t n = rows.front().second.size();
    for (size_t k = 0; k < n; ++k) {
      Snapshot s;
      s.label = "snap" + std::to_string(k);
      if (!times.empty()) s.time = times[k];
      for (const auto& [id, values] : rows) {
        StackSample sample{id, {}};
        sample.values[metric] = values[k];
        if (metric == Metric::LiveBytes)
          sample.values[Metric::LiveObjects] = object_size > 0 ? values[k] / object_size : 1;
        s.samples.push_back(sample);
      }
      s.total = sum_samples(s);
      p.snapshots.push_back(std::move(s));
    }
  }
  AlignedSeries aligned() const {
    KeyPolicy policy;
    policy.metric = metric;
    return align(std::vector<const Profile*>{&p}, policy);
  }
};

// The program function a row is named by (the first program frame of its frames), or the key.
std::string name_of(const SiteRow& r) {
  for (const auto& f : r.frames)
    if (f.program) return f.function;
  return r.key.text();
}

std::vector<std::string> names(const Report& r) {
  std::vector<std::string> out;
  for (const auto& row : r.sites) out.push_back(name_of(row) + (row.other_callers ? "+others" : ""));
  return out;
}

const SiteRow& row_named(const Report& r, std::string_view name) {
  for (const auto& row : r.sites)
    if (name_of(row) == name && !row.other_callers) return row;
  FAIL("no row named " << name);
  return r.sites.front();
}

void check_rows_add_up(const Report& r) {
  for (size_t k = 0; k < r.snapshots.size(); ++k) {
    int64_t sum = r.others ? r.others->values[k] : 0;
    for (const auto& row : r.sites) sum += row.values[k];
    CHECK(sum == r.snapshots[k].total);
  }
}

// helper() reached from leaky() (a.cpp) and from churn() (b.cpp), with these values per
// snapshot, plus `more` rows: the drill-down's case.
ProfileBuilder helper_callers(const std::vector<int64_t>& leaky, const std::vector<int64_t>& churn,
                              const std::vector<std::pair<std::string, std::vector<int64_t>>>& more = {}) {
  ProfileBuilder b;
  std::vector<std::pair<StackId, std::vector<int64_t>>> rows{
      {b.via_helper("leaky()", "a.cpp"), leaky}, {b.via_helper("churn()", "b.cpp"), churn}};
  for (const auto& [name, values] : more) rows.emplace_back(b.site(name), values);
  b.series(rows);
  return b;
}

// The functions of a stack, leaf first.
std::vector<std::string> functions(const FrameList& frames) {
  std::vector<std::string> out;
  for (size_t i = 0; i < frames.size(); ++i) out.emplace_back(frames.function(i));
  return out;
}

using S = std::vector<std::string>;

}  // namespace

TEST_CASE("memleak::core::analyse") {
  SUBCASE("leaks rank first by fitted growth, then the rest by growth, ties by key") {
    ProfileBuilder b;
    // LeakA: {0,1000,2000,3000,4000,4200}: pair slopes 1000 x10, 840, 800, 733, 600, 200 ->
    //   median 1000, fitted 1000*5 = 5000, delta 4200. Strictly increasing: p = 1/720.
    // LeakB: {0,900,...,4500}: fitted 4500, delta 4500 (larger delta, smaller fit).
    // Plateau: {0,4000,8000,10000,10000,10000}: delta 10000 but the recent half is flat.
    // FlatA / FlatB: 50 throughout (delta 0, last 50): ordered by key.
    // Shrink: {600,...,100}: delta -500, last.
    b.series({{b.site("LeakA"), {0, 1000, 2000, 3000, 4000, 4200}},
              {b.site("LeakB"), {0, 900, 1800, 2700, 3600, 4500}},
              {b.site("Plateau"), {0, 4000, 8000, 10000, 10000, 10000}},
              {b.site("FlatB"), {50, 50, 50, 50, 50, 50}},
              {b.site("FlatA"), {50, 50, 50, 50, 50, 50}},
              {b.site("Shrink"), {600, 500, 400, 300, 200, 100}}});
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    CHECK(names(r) == S{"LeakA", "LeakB", "Plateau", "FlatA", "FlatB", "Shrink"});
    for (size_t i = 0; i < r.sites.size(); ++i) CHECK(r.sites[i].rank == i + 1);
    CHECK(row_named(r, "LeakA").trend.verdict == Verdict::Leak);
    CHECK(row_named(r, "LeakA").trend.fitted_growth == doctest::Approx(5000));
    CHECK(row_named(r, "LeakB").trend.verdict == Verdict::Leak);
    CHECK(row_named(r, "Plateau").trend.verdict == Verdict::Plateau);
    CHECK(row_named(r, "FlatA").trend.verdict == Verdict::Stable);
    CHECK(row_named(r, "Shrink").trend.verdict == Verdict::Shrinking);
    CHECK(r.site_count == 6);
    CHECK(r.leak_count == 2);
    // totals (sums of the columns above): 0+0+0+50+50+600 = 700, 1000+900+4000+50+50+500 =
    // 6500, ..., 4200+4500+10000+50+50+100 = 18900
    REQUIRE(r.snapshots.size() == 6);
    CHECK(r.snapshots[0].total == 700);
    CHECK(r.snapshots[1].total == 6500);
    CHECK(r.snapshots[5].total == 18900);
    CHECK(r.total_first == 700);
    CHECK(r.total_last == 18900);
    CHECK(r.total_delta == 18200);
    // share of positive growth: 4200 + 4500 + 10000 = 18700
    CHECK(row_named(r, "Plateau").share == doctest::Approx(10000.0 / 18700));
    CHECK(row_named(r, "Shrink").share == 0);
    // values, first, last, delta and delta_pct per row
    const auto& shrink = row_named(r, "Shrink");
    CHECK(shrink.values == std::vector<int64_t>{600, 500, 400, 300, 200, 100});
    CHECK(shrink.delta == -500);
    REQUIRE(shrink.delta_pct);
    CHECK(*shrink.delta_pct == doctest::Approx(-500.0 / 600 * 100));
    CHECK_FALSE(row_named(r, "LeakA").delta_pct);  // first == 0
    // hints only for leak and growing rows
    CHECK(row_named(r, "LeakA").hint == "heap: plain allocations (new/malloc/make) that are never freed");
    CHECK(row_named(r, "Plateau").hint.empty());
    // without times there is no rate
    CHECK_FALSE(row_named(r, "LeakA").rate_per_second);
    CHECK(r.time_unit == TimeUnit::None);
    CHECK(r.notes.empty());
  }
  SUBCASE("two leaks with the same fit rank by growth, then by key") {
    ProfileBuilder b;
    b.series({{b.site("Zeta"), {0, 100, 200, 300, 400, 500}},
              {b.site("Alpha"), {0, 100, 200, 300, 400, 500}},
              {b.site("Mid"), {100, 200, 300, 400, 500, 550}}});
    // Mid: slope: pairs among the first five are 100 (10), with the last: 90, 87.5, 83.3,
    // 75, 50 -> median (8th of 15) 100, fitted 500 = the others'; delta 450 < 500.
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    CHECK(names(r) == S{"Alpha", "Zeta", "Mid"});
  }
  SUBCASE("sites that are zero in every kept snapshot are left out") {
    ProfileBuilder b;
    b.series({{b.site("Gone"), {0, 0, 0, 0}}, {b.site("Here"), {1, 1, 1, 1}}});
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    CHECK(names(r) == S{"Here"});
  }
  SUBCASE("--skip drops warm-up snapshots and a leak starting after them is still found") {
    ProfileBuilder b;
    // Warm fills a cache in the first two snapshots, then stays; Late starts leaking after.
    b.series({{b.site("Warm"), {0, 5000, 5000, 5000, 5000, 5000, 5000, 5000}},
              {b.site("Late"), {0, 0, 0, 100, 200, 300, 400, 500}}});
    AnalysisOptions o;
    o.skip = 2;
    const auto r = analyse(b.aligned(), o);
    CHECK(r.skipped == 2);
    REQUIRE(r.snapshots.size() == 6);
    CHECK(r.snapshots[0].index == 0);
    CHECK(r.snapshots[0].label == "snap2");
    CHECK(row_named(r, "Late").values == std::vector<int64_t>{0, 100, 200, 300, 400, 500});
    CHECK(row_named(r, "Late").trend.verdict == Verdict::Leak);
    CHECK(row_named(r, "Warm").trend.verdict == Verdict::Stable);
    CHECK(names(r) == S{"Late", "Warm"});
    // Without --skip the cache fill is a one-step plateau.
    CHECK(row_named(analyse(b.aligned(), AnalysisOptions{}), "Warm").trend.verdict ==
          Verdict::Plateau);
  }
  SUBCASE("--skip that leaves fewer than two snapshots is a usage error") {
    ProfileBuilder b;
    b.series({{b.site("A"), {1, 2, 3, 4}}});
    AnalysisOptions o;
    o.skip = 3;
    CHECK_THROWS_WITH_AS(analyse(b.aligned(), o), "--skip 3 leaves fewer than 2 of the 4 snapshots",
                         UsageError);
    o.skip = 2;
    CHECK(analyse(b.aligned(), o).snapshots.size() == 2);
    // A skip near 2^64 must not wrap around the check (it crashed).
    o.skip = SIZE_MAX;
    CHECK_THROWS_WITH_AS(analyse(b.aligned(), o),
                         "--skip 18446744073709551615 leaves fewer than 2 of the 4 snapshots", UsageError);
  }
  SUBCASE("an empty series is a usage error") {
    ProfileBuilder b;
    CHECK_THROWS_WITH_AS(analyse(b.aligned(), AnalysisOptions{}), "no snapshots to analyse",
                         UsageError);
  }
  SUBCASE("fewer than four snapshots adds a note that verdicts need a trend") {
    ProfileBuilder b;
    b.series({{b.site("A"), {1, 2, 3}}});
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0] ==
          "3 snapshots: a leak verdict needs a trend over at least 4; sites are ranked by growth "
          "only (record more snapshots for verdicts)");
  }
  SUBCASE("times in seconds give rates and a projection to the limit") {
    ProfileBuilder b;
    b.p.time_unit = TimeUnit::Seconds;
    b.p.shared_clock = true;
    // +100 bytes every 10 s: 10 B/s. Times start at an epoch offset that analysis removes.
    b.series({{b.site("Leak"), {1000, 1100, 1200, 1300, 1400, 1500}},
              {b.site("Flat"), {500, 500, 500, 500, 500, 500}}},
             {1e9, 1e9 + 10, 1e9 + 20, 1e9 + 30, 1e9 + 40, 1e9 + 50});
    AnalysisOptions o;
    o.limit = 3000;
    const auto r = analyse(b.aligned(), o);
    CHECK(r.time_unit == TimeUnit::Seconds);
    const auto& leak = row_named(r, "Leak");
    CHECK(leak.trend.verdict == Verdict::Leak);
    REQUIRE(leak.rate_per_second);
    CHECK(*leak.rate_per_second == doctest::Approx(10));
    CHECK(leak.trend.fitted_growth == doctest::Approx(500));  // 10 B/s * 50 s
    CHECK(r.leak_rate_per_second == doctest::Approx(10));
    REQUIRE(r.total_rate_per_second);
    CHECK(*r.total_rate_per_second == doctest::Approx(10));
    // last total 1500 + 500 = 2000; (3000 - 2000) / 10 B/s = 100 s
    REQUIRE(r.seconds_to_limit);
    CHECK(*r.seconds_to_limit == doctest::Approx(100));
  }
  SUBCASE("equal neighbouring times (a coarse clock) keep the time axis") {
    ProfileBuilder b;
    b.p.time_unit = TimeUnit::Seconds;
    b.series({{b.site("Leak"), {0, 100, 200, 300}}}, {0, 10, 10, 20});
    // pair slopes skipping the equal-time pair (1,2): 100/10, 200/10, 300/20, 200/10, 100/10
    // = {10, 20, 15, 20, 10}: median 15 B/s
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    CHECK(r.time_unit == TimeUnit::Seconds);
    REQUIRE(r.sites[0].rate_per_second);
    CHECK(*r.sites[0].rate_per_second == doctest::Approx(15));
  }
  SUBCASE("times that go backwards fall back to snapshot order") {
    ProfileBuilder b;
    b.p.time_unit = TimeUnit::Seconds;
    b.series({{b.site("Leak"), {0, 100, 200, 300}}}, {0, 20, 10, 30});
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    CHECK(r.time_unit == TimeUnit::None);
    CHECK_FALSE(r.sites[0].rate_per_second);
    // No unit, no numbers: a snapshot's time is only reported in the report's time unit.
    for (const auto& s : r.snapshots) CHECK_FALSE(s.time);
    SUBCASE("while one snapshot keeps its time and unit") {
      ProfileBuilder one;
      one.p.time_unit = TimeUnit::Seconds;
      one.series({{one.site("Leak"), {300}}}, {30});
      const auto single = analyse(one.aligned(), AnalysisOptions{});
      CHECK(single.time_unit == TimeUnit::Seconds);
      REQUIRE(single.snapshots.size() == 1);
      CHECK(single.snapshots[0].time == 30);
    }
  }
  SUBCASE("times that never move fall back to snapshot order without rates") {
    ProfileBuilder b;
    b.p.time_unit = TimeUnit::Seconds;
    b.series({{b.site("Leak"), {0, 100, 200, 300}}}, {5, 5, 5, 5});
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    CHECK(r.time_unit == TimeUnit::None);
    CHECK_FALSE(r.sites[0].rate_per_second);
    CHECK(r.sites[0].trend.slope == doctest::Approx(100));  // per snapshot
  }
  SUBCASE("a sampled profile notes its period and treats growth within the floor as noise") {
    ProfileBuilder b;
    b.p.sampling_period = 524288;
    // 1 KiB objects (objects = bytes/1024): weight w = 524800.17 (sample_weight).
    // 10 MiB growing by 512 KiB per snapshot: sigma_0 = sqrt(10485760 w) = 2.3458e6,
    // sigma_3 = sqrt(12058624 w) = 2.5156e6, noise = sqrt(2.3458^2 + 2.5156^2) e6 = 3.4397e6 >
    // delta 1572864: neither above the floor (1.03e7) nor a staircase (delta < noise).
    b.series({{b.site("Cache"), {10485760, 11010048, 11534336, 12058624}}}, {}, 1024);
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    const auto& row = row_named(r, "Cache");
    CHECK(row.trend.noise == doctest::Approx(3.4397e6).epsilon(0.0001));
    CHECK(row.trend.verdict == Verdict::Stable);
    CHECK(row.trend.reason == "change within sampling noise");
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0] ==
          "sampled profile (one sample per 512.0 KiB allocated on average): growth within 3x the "
          "sampling error is treated as noise");
  }
}

// Non-leak sites rank by first-to-last growth; ties by the last value (larger first), then by
// key. Two flat sites, "Aaa" at 50 and "Bbb" at 70: Bbb first; at equal values, Aaa first.
TEST_CASE("memleak::core::analyse (ties in growth rank by last value, then key)") {
  ProfileBuilder b;
  b.series({{b.site("Bbb"), {70, 70, 70, 70}}, {b.site("Aaa"), {50, 50, 50, 50}}});
  const auto r = analyse(b.aligned(), AnalysisOptions{});
  CHECK(names(r) == S{"Bbb", "Aaa"});
  ProfileBuilder e;
  e.series({{e.site("Bbb"), {60, 60, 60, 60}}, {e.site("Aaa"), {60, 60, 60, 60}}});
  CHECK(names(analyse(e.aligned(), AnalysisOptions{})) == S{"Aaa", "Bbb"});
}

TEST_CASE("memleak::core::analyse (drill-down)") {
  SUBCASE("a flat shared helper splits into its leaking caller and (other callers)") {
    // helper() as a whole holds 1000 throughout: stable.
    const ProfileBuilder b = helper_callers({0, 100, 200, 300, 400, 500}, {1000, 900, 800, 700, 600, 500});
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    REQUIRE(r.sites.size() == 2);
    const auto& leak = r.sites[0];
    CHECK(leak.trend.verdict == Verdict::Leak);
    REQUIRE(leak.path);
    CHECK(leak.path->function == "leaky()");
    REQUIRE(leak.frames.size() == 2);
    CHECK(leak.frames[0].function == "helper()");
    CHECK(leak.frames[1].function == "leaky()");
    CHECK(leak.values == std::vector<int64_t>{0, 100, 200, 300, 400, 500});
    const auto& rest = r.sites[1];
    CHECK(rest.other_callers);
    const std::string site_key = r.sites[0].key.text();
    CHECK(rest.key.text() == site_key.substr(0, site_key.find('\x1e')) + "\x1e(other callers)");
    CHECK(rest.values == std::vector<int64_t>{1000, 900, 800, 700, 600, 500});
    CHECK(rest.trend.verdict == Verdict::Shrinking);
    // Each row is drawn (and suppressed) by a whole stack through its own callers: the leak by
    // its largest sample's, the rest by its largest caller path's, not by the site's largest
    // stack (the churn's, 1000 at first, is the site's; the leak's own at the end).
    CHECK(functions(leak.stack) == std::vector<std::string>{"malloc", "helper()", "leaky()", "main"});
    CHECK(functions(rest.stack) == std::vector<std::string>{"malloc", "helper()", "churn()", "main"});
    check_rows_add_up(r);
    SUBCASE("the rest is drawn by its own callers even when the leak holds the site's largest sample") {
      const ProfileBuilder big = helper_callers({0, 300, 600, 900, 1200, 1500}, {1000, 900, 800, 700, 600, 500});
      const auto split = analyse(big.aligned(), AnalysisOptions{});
      REQUIRE(split.sites.size() == 2);
      REQUIRE(split.sites[1].other_callers);
      CHECK(functions(split.sites[0].stack) == std::vector<std::string>{"malloc", "helper()", "leaky()", "main"});
      CHECK(functions(split.sites[1].stack) == std::vector<std::string>{"malloc", "helper()", "churn()", "main"});
    }
    SUBCASE("and without the drill-down the helper is one stable row") {
      AnalysisOptions o;
      o.drilldown = false;
      const auto whole = analyse(b.aligned(), o);
      REQUIRE(whole.sites.size() == 1);
      CHECK(whole.sites[0].trend.verdict == Verdict::Stable);
      CHECK(whole.sites[0].values == std::vector<int64_t>(6, 1000));
    }
  }
  SUBCASE("two leaks sharing an allocation function but entering from different program frames are two rows") {
    ProfileBuilder b;
    const auto via_a = b.via_helper("a()", "a.cpp");
    const auto via_b = b.via_helper("b()", "b.cpp");
    b.series({{via_a, {0, 100, 200, 300, 400, 500}}, {via_b, {0, 200, 400, 600, 800, 1000}}});
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    REQUIRE(r.sites.size() == 2);  // no (other callers): nothing is left
    CHECK(r.leak_count == 2);
    // ranked by fitted growth: b() 1000 before a() 500
    REQUIRE(r.sites[0].path);
    CHECK(r.sites[0].path->function == "b()");
    REQUIRE(r.sites[1].path);
    CHECK(r.sites[1].path->function == "a()");
    CHECK_FALSE(r.sites[0].other_callers);
    CHECK_FALSE(r.sites[1].other_callers);
    check_rows_add_up(r);
  }
  SUBCASE("a caller whose samples cancel in every snapshot is not seen: no split") {
    // b() is two stacks (lines 1 and 2: one caller path at function granularity) whose
    // bytes and objects cancel in every snapshot (a pprof -diff_base profile's +x and -x).
    // Only a() is ever seen, and it carries the whole leak: the site stays one row.
    ProfileBuilder b;
    const auto via_a = b.via_helper("a()", "a.cpp");
    const auto via_b1 = b.via_helper("b()", "b.cpp", 1);
    const auto via_b2 = b.via_helper("b()", "b.cpp", 2);
    b.series({{via_a, {1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000}},
              {via_b1, {500, 500, 500, 500, 500, 500, 500, 500}},
              {via_b2, {-500, -500, -500, -500, -500, -500, -500, -500}}},
             {}, /*object_size=*/100);
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    REQUIRE(r.sites.size() == 1);
    CHECK_FALSE(r.sites[0].path);
    CHECK(r.sites[0].trend.verdict == Verdict::Leak);
    CHECK(r.sites[0].values == std::vector<int64_t>{1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000});
  }
  SUBCASE("a site with a single caller is not split") {
    ProfileBuilder b;
    b.series({{b.site("Only"), {0, 100, 200, 300, 400, 500}}});
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    REQUIRE(r.sites.size() == 1);
    CHECK_FALSE(r.sites[0].path);
    CHECK(r.sites[0].trend.verdict == Verdict::Leak);
  }
  SUBCASE("a leaking site whose callers do not leak apart stays one row") {
    ProfileBuilder b;
    const auto via_a = b.via_helper("a()", "a.cpp");
    const auto via_b = b.via_helper("b()", "b.cpp");
    // a() rises once (one step: a plateau, not a leak); b() saws 0,100,200,0,100,200 (S = 6
    // with three pairs of ties: Var = (510 - 54)/18 = 25.3, z = 5/5.03, p = 0.16: not
    // significant). Together: 0, 100, ..., 500, a steady leak that no caller carries alone.
    b.series({{via_a, {0, 0, 0, 300, 300, 300}}, {via_b, {0, 100, 200, 0, 100, 200}}});
    const auto r = analyse(b.aligned(), AnalysisOptions{});
    REQUIRE(r.sites.size() == 1);
    CHECK(r.sites[0].trend.verdict == Verdict::Leak);  // 0,100,...,500
    CHECK_FALSE(r.sites[0].path);
  }
}

TEST_CASE("memleak::core::analyse (goroutines)") {
  ProfileBuilder b(Metric::Goroutines, "goroutine.prof");
  const auto s = b.stack({b.frame("runtime.gopark", "/usr/local/go/src/runtime/proc.go"),
                          b.frame("runtime.chanrecv", "/usr/local/go/src/runtime/chan.go"),
                          b.frame("runtime.chanrecv1", "/usr/local/go/src/runtime/chan.go"),
                          b.frame("myapp/worker.(*Pool).run", "/src/myapp/worker/pool.go"),
                          b.frame("runtime.goexit", "/usr/local/go/src/runtime/asm_amd64.s")});
  const auto idle = b.stack({b.frame("runtime.gopark", "/usr/local/go/src/runtime/proc.go"),
                             b.frame("runtime.selectgo", "/usr/local/go/src/runtime/select.go"),
                             b.frame("main.loop", "/src/myapp/main.go"),
                             b.frame("main.main", "/src/myapp/main.go")});
  b.series({{s, {1, 2, 3, 4, 5, 6}}, {idle, {1, 1, 1, 1, 1, 1}}});
  AnalysisOptions o;
  o.metric = Metric::Goroutines;
  const auto r = analyse(b.aligned(), o);
  CHECK(r.kind == "goroutine");
  REQUIRE(r.sites.size() == 2);
  const auto& leak = r.sites[0];
  CHECK(leak.trend.verdict == Verdict::Leak);
  CHECK(leak.blocking == "channel receive");
  CHECK(leak.goroutine_function == "myapp/worker.(*Pool).run");
  CHECK(leak.hint == "goroutine: goroutines blocked forever on channel receive");
  // the site runs from the leaf to the first program frame
  REQUIRE(leak.frames.size() == 4);
  CHECK(leak.frames.back().function == "myapp/worker.(*Pool).run");
  const auto& other = r.sites[1];
  CHECK(other.trend.verdict == Verdict::Stable);
  CHECK(other.blocking == "select");
  // main.loop and main.main are both program frames: the outermost one runs the goroutine
  CHECK(other.goroutine_function == "main.main");
  CHECK(other.hint.empty());
}

TEST_CASE("memleak::core::analyse refuses series aligned for another metric") {
  ProfileBuilder b;
  b.series({{b.site("X"), {1000, 1100}}});
  AnalysisOptions o;
  o.metric = Metric::AllocBytes;
  CHECK_THROWS_WITH_AS(analyse(b.aligned(), o), "analyse: the series hold live_bytes, not alloc_bytes",
                       std::invalid_argument);
}

TEST_CASE("memleak::core::analyse (run_context)") {
  // A pair of snapshots cannot make a leak; the last run's own verdicts rank its leaks next.
  ProfileBuilder b;
  b.series({{b.site("X"), {1000, 1100}},
            {b.site("Y"), {1000, 2000}},
            {b.site("Z"), {1000, 1010}},
            {b.site("W"), {1000, 950}}});
  const auto pair = b.aligned();
  const auto plain = analyse(pair, AnalysisOptions{});
  CHECK(names(plain) == S{"Y", "X", "Z", "W"});
  CHECK_FALSE(plain.run_context);

  Report run;
  for (const auto& row : plain.sites) {
    SiteRow r = row;
    const auto n = name_of(row);
    r.trend.verdict = n == "X" || n == "W" ? Verdict::Leak : n == "Y" ? Verdict::Burst : Verdict::Stable;
    if (n != "Z") run.sites.push_back(r);  // Z is not in the last run
  }
  const RunContext context(run);
  const auto r = analyse(pair, AnalysisOptions{}, &context);
  CHECK(r.run_context);
  // X: growing here, leak in the run -> tier 1, before Y's larger growth. W leaked in the run
  // but fell here (delta -50): no promotion.
  CHECK(names(r) == S{"X", "Y", "Z", "W"});
  const auto& x = row_named(r, "X");
  REQUIRE(x.run_verdict);
  CHECK(*x.run_verdict == Verdict::Leak);
  CHECK(x.trend.verdict == Verdict::Growing);
  CHECK(x.trend.reason == "2 snapshots: a trend needs at least 4; in the last run: leak");
  CHECK(row_named(r, "Y").trend.reason == "2 snapshots: a trend needs at least 4; in the last run: burst");
  CHECK_FALSE(row_named(r, "Z").run_verdict);
  CHECK(r.leak_count == 0);
}

TEST_CASE("memleak::core::analyse (run_context: a site the later run split into caller paths)") {
  // The later run (six snapshots): helper() is flat as a whole, its caller leaky() leaks, so
  // the drill-down shows the leaking path and (other callers) instead of a row for helper().
  const ProfileBuilder later = helper_callers({0, 100, 200, 300, 400, 500}, {1000, 900, 800, 700, 600, 500});
  // The pair (two snapshots: no drill-down) has one row for helper(), growing, and a site
  // that grows more but was stable in the run.
  const ProfileBuilder b = helper_callers({0, 600}, {1000, 900}, {{"Other", {1000, 3000}}});
  // Matched by text (keys of alignments apart) or by ids (of one key table, as the command
  // aligns them): the same result.
  KeyPolicy policy;
  SUBCASE("keys of two tables") {}
  SUBCASE("keys of one table") { policy.keys = std::make_shared<KeyTable>(); }
  auto aligned = [&](const ProfileBuilder& builder) {
    return align(std::vector<const Profile*>{&builder.p}, policy);
  };
  const auto run = analyse(aligned(later), AnalysisOptions{});
  REQUIRE(run.sites.size() == 2);
  REQUIRE(run.sites[0].path);
  REQUIRE(run.sites[1].other_callers);
  const auto plain = analyse(aligned(b), AnalysisOptions{});
  REQUIRE(plain.sites.size() == 2);
  CHECK(plain.sites[0].key.text().find("Other") != std::string::npos);  // the larger growth
  CHECK((plain.sites[0].key.table() == run.sites[0].key.table()) == bool(policy.keys));
  Report with_other = run;
  SiteRow stable = plain.sites[0];
  stable.trend.verdict = Verdict::Stable;
  with_other.sites.push_back(stable);
  // What stays of the run: helper()'s site (from its leaking caller path) and Other; the
  // (other callers) row stands for nothing.
  const RunContext context(with_other);
  REQUIRE(context.sites().size() == 2);
  CHECK(context.sites()[0].verdict == Verdict::Leak);
  CHECK(context.sites()[0].through == "leaky()");
  CHECK(context.sites()[1].verdict == Verdict::Stable);
  CHECK(context.sites()[1].through.empty());
  const auto r = analyse(aligned(b), AnalysisOptions{}, &context);
  REQUIRE(r.sites.size() == 2);
  // helper() leaked in the run through leaky(): tier 1, before Other's larger growth.
  const auto& helper = r.sites[0];
  CHECK(helper.key.text().find("helper()") != std::string::npos);
  REQUIRE(helper.run_verdict);
  CHECK(*helper.run_verdict == Verdict::Leak);
  CHECK(helper.trend.reason ==
        "2 snapshots: a trend needs at least 4; in the last run: leak, through its caller leaky()");
  REQUIRE(r.sites[1].run_verdict);
  CHECK(*r.sites[1].run_verdict == Verdict::Stable);
  CHECK(r.sites[1].trend.reason == "2 snapshots: a trend needs at least 4; in the last run: stable");
}

TEST_CASE("memleak::core::keep_top") {
  ProfileBuilder b;
  b.series({{b.site("A"), {0, 100, 200, 300, 400, 500}},
            {b.site("B"), {10, 20, 30, 40, 50, 60}},
            {b.site("C"), {7, 7, 7, 7, 7, 7}},
            {b.site("D"), {100, 90, 80, 70, 60, 50}},
            {b.site("E"), {3, 1, 4, 1, 5, 9}}});
  auto r = analyse(b.aligned(), AnalysisOptions{});
  REQUIRE(r.sites.size() == 5);
  SUBCASE("the shown rows plus others add up to the total in every snapshot") {
    const auto dropped = keep_top(r, 2);
    REQUIRE(r.sites.size() == 2);
    CHECK(name_of(r.sites[0]) == "A");
    CHECK(name_of(r.sites[1]) == "B");
    // The rows taken out are handed back (moved-from husks first, for the shown ones).
    REQUIRE(dropped.size() == 5);
    std::vector<std::string> rest;
    for (size_t i = 2; i < 5; ++i) rest.push_back(name_of(dropped[i]));
    std::sort(rest.begin(), rest.end());
    CHECK(rest == std::vector<std::string>{"C", "D", "E"});
    REQUIRE(r.others);
    CHECK(r.others->key == "(others)");
    CHECK(r.site_count == 5);  // still counts every site
    check_rows_add_up(r);
    // A and B shown; others = C + D + E = {110, 98, 91, 78, 72, 66}
    CHECK(r.others->values == std::vector<int64_t>{110, 98, 91, 78, 72, 66});
    CHECK(r.others->first == 110);
    CHECK(r.others->last == 66);
    CHECK(r.others->delta == -44);
    REQUIRE(r.others->delta_pct);
    CHECK(*r.others->delta_pct == doctest::Approx(-40.0));  // -44/110 = -40%
  }
  SUBCASE("top 0 or more than the rows keeps everything and no others") {
    CHECK(keep_top(r, 0).empty());
    CHECK(r.sites.size() == 5);
    CHECK_FALSE(r.others);
    CHECK(keep_top(r, 10).empty());
    CHECK(r.sites.size() == 5);
    CHECK_FALSE(r.others);
    check_rows_add_up(r);
  }
  SUBCASE("top 1 sums all the rest") {
    (void)keep_top(r, 1);
    REQUIRE(r.sites.size() == 1);
    check_rows_add_up(r);
  }
}

TEST_CASE("memleak::core::analyse (the report is the same on any number of threads)") {
  // 1000 sites (16 chunks of the parallel loop), each a different mix of leak, churn, plateau
  // and ties; some reached through a shared helper from two callers, so that the drill-down
  // adds rows inside a chunk.
  ProfileBuilder b;
  const auto malloc_ = b.frame("malloc");
  const auto helper = b.frame("helper()", "helper.cpp");
  const auto main_ = b.frame("main", "main.cpp");
  std::vector<std::pair<StackId, std::vector<int64_t>>> rows;
  for (int i = 0; i < 1000; ++i) {
    const std::string name = "f" + std::to_string(i) + "()";
    std::vector<int64_t> v(8);
    for (int k = 0; k < 8; ++k) {
      switch (i % 4) {
        case 0: v[k] = 100 * (i % 7 + 1) * k; break;         // leak (ties between sites)
        case 1: v[k] = 1000 + 50 * ((k * (i + 3)) % 5); break;  // churn
        case 2: v[k] = 100 * std::min(k, 3); break;            // plateau
        default: v[k] = 500; break;                            // flat
      }
    }
    if (i % 50 == 0) {  // a helper with a leaking and a shrinking caller
      const auto f = b.frame(name, "callers.cpp");
      const auto g = b.frame("g" + name, "callers.cpp");
      rows.push_back({b.stack({malloc_, helper, f, main_}), v});
      std::vector<int64_t> down(8);
      for (int k = 0; k < 8; ++k) down[k] = 10000 - v[k];
      rows.push_back({b.stack({malloc_, helper, g, main_}), down});
    } else {
      rows.push_back({b.site(name), v});
    }
  }
  b.series(rows);
  const auto aligned = b.aligned();
  AnalysisOptions one;
  one.threads = 1;
  AnalysisOptions four;
  four.threads = 4;
  const auto a = analyse(aligned, one);
  const auto c = analyse(aligned, four);
  REQUIRE(a.sites.size() > 960);  // the helper sites add rows of their own
  REQUIRE(a.sites.size() == c.sites.size());
  CHECK(a.leak_count == c.leak_count);
  CHECK(a.leak_count > 200);
  for (size_t i = 0; i < a.sites.size(); ++i) {
    CAPTURE(i);
    CHECK(a.sites[i].rank == c.sites[i].rank);
    CHECK(a.sites[i].key == c.sites[i].key);
    CHECK(a.sites[i].values == c.sites[i].values);
    CHECK(a.sites[i].trend.verdict == c.sites[i].trend.verdict);
    CHECK(a.sites[i].trend.reason == c.sites[i].trend.reason);
    CHECK(a.sites[i].trend.slope == c.sites[i].trend.slope);
    CHECK(a.sites[i].other_callers == c.sites[i].other_callers);
    CHECK(a.sites[i].hint == c.sites[i].hint);
  }
  check_rows_add_up(c);
}
