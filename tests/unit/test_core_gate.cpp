// Unit tests of core/gate.h: threshold and rate parsing (exact UsageError messages), the
// LeakSanitizer-style suppressions file and matcher, and every gate rule passing and failing
// over a Report built in memory.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/gate.h"

using namespace memleak::core;

namespace {

SiteFrame frame(std::string function, bool program, std::string file = "", std::string module = "") {
  SiteFrame f;
  f.function = std::move(function);
  f.program = program;
  f.file = std::move(file);
  f.module = std::move(module);
  return f;
}

SiteRow row(std::string key, std::vector<SiteFrame> frames, int64_t first, int64_t last,
            Verdict verdict) {
  SiteRow r;
  r.key = std::move(key);
  r.frames = frames;
  r.stack = std::move(frames);
  r.values = {first, last};
  r.first = first;
  r.last = last;
  r.delta = last - first;
  r.trend.verdict = verdict;
  return r;
}

constexpr int64_t kMiB = 1048576;

// Total 2 MiB -> 4 MiB over three snapshots. Rows:
//   Cache::put  1 MiB -> 2 MiB  leak      (behind a std::vector frame, in cache.cpp)
//   Log::add    100 B -> 300 B  growing
//   Fresh::make 0 -> 4096 B     plateau   (new)
//   Tiny::make  0 -> 10 B       stable    (new, small)
Report report() {
  Report r;
  r.metric = Metric::LiveBytes;
  for (size_t i = 0; i < 3; ++i) {
    ReportSnapshot s;
    s.index = i;
    r.snapshots.push_back(s);
  }
  r.total_first = 2 * kMiB;
  r.total_last = 4 * kMiB;
  r.total_delta = 2 * kMiB;
  r.sites.push_back(row("cache",
                        {frame("std::vector<int>::push_back(int)", false),
                         frame("Cache::put", true, "/src/cache.cpp", "/opt/app")},
                        kMiB, 2 * kMiB, Verdict::Leak));
  r.sites.push_back(row("log", {frame("Log::add", true, "log.cpp")}, 100, 300, Verdict::Growing));
  r.sites.push_back(row("fresh", {frame("Fresh::make", true, "fresh.cpp", "/usr/lib/libfresh.so")}, 0,
                        4096, Verdict::Plateau));
  r.sites.push_back(row("tiny", {frame("Tiny::make", true)}, 0, 10, Verdict::Stable));
  return r;
}

GateViolation only(const GateResult& g) {
  REQUIRE(g.violations.size() == 1);
  return g.violations[0];
}

void check_violation(const GateViolation& v, std::string rule, std::string measured,
                     std::string limit, std::string site, std::string message) {
  CHECK(v.rule == rule);
  CHECK(v.measured == measured);
  CHECK(v.limit == limit);
  CHECK(v.site == site);
  CHECK(v.message == message);
}

}  // namespace

TEST_CASE("memleak::core::parse_threshold") {
  SUBCASE("a size is bytes") {
    const auto t = parse_threshold("--max-growth", "10MiB");
    CHECK(t.value == 10485760);  // 10 * 2^20
    CHECK_FALSE(t.percent);
    CHECK(parse_threshold("--max-growth", "1.5KB").value == 1500);
    CHECK(parse_threshold("--max-growth", "0").value == 0);
  }
  SUBCASE("a percentage is a number followed by %") {
    const auto t = parse_threshold("--max-growth", "25%");
    CHECK(t.value == 25);
    CHECK(t.percent);
    CHECK(parse_threshold("--max-site-growth", "2.5%").value == 2.5);
  }
  SUBCASE("anything else is a usage error naming the option and the text") {
    for (const char* bad : {"abc", "", "%", "-5%", "-1MiB", "10MiB%", "10 %", "5%%", "1e3%"}) {
      CAPTURE(bad);
      CHECK_THROWS_WITH_AS(parse_threshold("--max-growth", bad),
                           ("--max-growth: expected SIZE (like 10MiB) or PERCENT (like 25%), got '" +
                            std::string(bad) + "'").c_str(),
                           UsageError);
    }
  }
}

TEST_CASE("memleak::core::parse_rate") {
  SUBCASE("SIZE/UNIT means per one unit") {
    // 1 MiB per hour = 1048576 / 3600 = 291.27 B/s
    CHECK(parse_rate("--max-rate", "1MiB/h") == doctest::Approx(1048576.0 / 3600));
    CHECK(parse_rate("--max-rate", "60KB/min") == doctest::Approx(1000));  // 60000 / 60
    CHECK(parse_rate("--max-rate", "100/s") == doctest::Approx(100));
  }
  SUBCASE("SIZE/DURATION divides by the duration") {
    // 10 KiB / 30 s = 10240 / 30 = 341.33 B/s
    CHECK(parse_rate("--max-rate", "10KiB/30s") == doctest::Approx(10240.0 / 30));
    CHECK(parse_rate("--max-rate", "1MiB/2h") == doctest::Approx(1048576.0 / 7200));
    CHECK(parse_rate("--max-rate", "1KiB/500ms") == doctest::Approx(2048));  // 1024 / 0.5
    CHECK(parse_rate("--max-rate", "10/5") == doctest::Approx(2));  // bare seconds
  }
  SUBCASE("anything else is a usage error naming the option and the text") {
    for (const char* bad : {"1MiB", "", "/h", "1MiB/", "1MiB/0s", "1MiB/x", "abc/h", "-1MiB/h",
                            "1MiB/-2h", "1MiB/h/s"}) {
      CAPTURE(bad);
      CHECK_THROWS_WITH_AS(parse_rate("--max-rate", bad),
                           ("--max-rate: expected SIZE/DURATION (like 1MiB/h or 10KiB/30s), got '" +
                            std::string(bad) + "'").c_str(),
                           UsageError);
    }
  }
}

TEST_CASE("memleak::core::parse_suppressions") {
  SUBCASE("one leak:PATTERN per line; comments and blank lines are skipped") {
    const auto rules = parse_suppressions("supp.txt",
                                          "# known leaks\n"
                                          "\n"
                                          "leak:Cache::put\n"
                                          "   leak:libfoo.so  \r\n"
                                          "\t# indented comment\n"
                                          "leak:^std::$");
    REQUIRE(rules.size() == 3);
    CHECK(rules[0].pattern == "Cache::put");
    CHECK(rules[0].line == 3);
    CHECK(rules[1].pattern == "libfoo.so");  // surrounding blanks and CR trimmed
    CHECK(rules[1].line == 4);
    CHECK(rules[2].pattern == "^std::$");
    CHECK(rules[2].line == 6);
    CHECK(rules[0].text() == "leak:Cache::put");
  }
  SUBCASE("an empty file or only comments gives no rules") {
    CHECK(parse_suppressions("supp.txt", "").empty());
    CHECK(parse_suppressions("supp.txt", "# nothing\n\n").empty());
  }
  SUBCASE("a line that is not leak:PATTERN is an input error at that line") {
    try {
      parse_suppressions("supp.txt", "leak:ok\n# fine\nfoo:bar\nleak:never");
      FAIL("expected an InputError");
    } catch (const InputError& e) {
      CHECK(e.position_kind() == InputError::Position::Line);
      CHECK(e.position() == 3);
      CHECK(std::string(e.what()) == "suppressions: expected 'leak:PATTERN', got 'foo:bar'");
      CHECK(e.message() == "supp.txt:3: suppressions: expected 'leak:PATTERN', got 'foo:bar'");
    }
  }
  SUBCASE("a long bad line is shown cut at 80 characters") {
    const std::string line(100, 'x');
    CHECK_THROWS_WITH_AS(parse_suppressions("supp.txt", line),
                         ("suppressions: expected 'leak:PATTERN', got '" + std::string(80, 'x') + "'")
                             .c_str(),
                         InputError);
  }
  SUBCASE("leak: without a pattern is an input error") {
    try {
      parse_suppressions("s", "\nleak:   \n");
      FAIL("expected an InputError");
    } catch (const InputError& e) {
      CHECK(e.message() == "s:2: suppressions: expected a pattern after 'leak:'");
    }
  }
}

TEST_CASE("memleak::core::suppression_matches") {
  auto matches = [](std::string pattern, std::string_view text) {
    return suppression_matches(Suppression{std::move(pattern), 1}, text);
  };
  SUBCASE("an unanchored pattern matches anywhere") {
    CHECK(matches("Cache", "myapp::Cache::put(int)"));
    CHECK(matches("put(int)", "myapp::Cache::put(int)"));
    CHECK_FALSE(matches("cache", "myapp::Cache::put(int)"));  // case-sensitive
  }
  SUBCASE("'*' matches any run, including none") {
    CHECK(matches("Cache*put", "myapp::Cache::put(int)"));
    CHECK(matches("a*b*c", "xxaYYbZZcxx"));
    CHECK(matches("Cache*", "Cache"));
    CHECK(matches("*", "anything"));
    CHECK_FALSE(matches("put*Cache", "myapp::Cache::put(int)"));
  }
  SUBCASE("'^' anchors at the start and '$' at the end") {
    CHECK(matches("^myapp::", "myapp::Cache::put"));
    CHECK_FALSE(matches("^Cache", "myapp::Cache::put"));
    CHECK(matches("put$", "myapp::Cache::put"));
    CHECK_FALSE(matches("Cache$", "myapp::Cache::put"));
    CHECK(matches("^malloc$", "malloc"));
    CHECK_FALSE(matches("^malloc$", "je_malloc"));
    CHECK_FALSE(matches("^malloc$", "malloc_usable_size"));
    CHECK(matches("^lib*.so$", "libfoo.so"));
    CHECK_FALSE(matches("^lib*.so$", "libfoo.so.6"));
  }
}

TEST_CASE("memleak::core::apply_suppressions") {
  auto r = report();
  apply_suppressions(r, {{"^Cache::", 1}, {"libfresh", 2}, {"log.cpp", 3}, {"Cache", 4}});
  SUBCASE("a rule matches a frame's function, file or module; the first rule that matches wins") {
    REQUIRE(r.sites[0].suppressed_by);
    CHECK(*r.sites[0].suppressed_by == "leak:^Cache::");  // function
    REQUIRE(r.sites[1].suppressed_by);
    CHECK(*r.sites[1].suppressed_by == "leak:log.cpp");   // file
    REQUIRE(r.sites[2].suppressed_by);
    CHECK(*r.sites[2].suppressed_by == "leak:libfresh");  // module
    CHECK_FALSE(r.sites[3].suppressed_by);
  }
  SUBCASE("no rules change nothing") {
    auto fresh = report();
    apply_suppressions(fresh, {});
    for (const auto& row : fresh.sites) CHECK_FALSE(row.suppressed_by);
  }
}

TEST_CASE("memleak::core::evaluate_gate") {
  const Report r = report();
  SUBCASE("no rules pass") {
    const auto g = evaluate_gate(r, GatePolicy{});
    CHECK(g.passed);
    CHECK(g.violations.empty());
  }
  SUBCASE("the rules are listed as given") {
    GatePolicy p;
    p.rule_texts = {"--fail-on=leak", "--max-growth=10MiB"};
    CHECK(evaluate_gate(r, p).rules == p.rule_texts);
  }
  SUBCASE("max-growth by size") {
    GatePolicy p;
    p.max_growth = Threshold{double(kMiB), false};
    const auto g = evaluate_gate(r, p);
    CHECK_FALSE(g.passed);
    // +2 MiB from 2 MiB = +100.0%
    check_violation(only(g), "max-growth", "+2.0 MiB (+100.0%)", "1.0 MiB", "",
                    "--max-growth 1.0 MiB: measured +2.0 MiB (+100.0%)");
    p.max_growth = Threshold{2.0 * kMiB, false};  // equal is not above
    CHECK(evaluate_gate(r, p).passed);
  }
  SUBCASE("max-growth by percent") {
    GatePolicy p;
    p.max_growth = Threshold{50, true};
    check_violation(only(evaluate_gate(r, p)), "max-growth", "+2.0 MiB (+100.0%)", "50%", "",
                    "--max-growth 50%: measured +2.0 MiB (+100.0%)");
    p.max_growth = Threshold{100, true};
    CHECK(evaluate_gate(r, p).passed);
  }
  SUBCASE("growth from nothing exceeds any percentage") {
    Report z = r;
    z.total_first = 0;
    z.total_delta = z.total_last;
    GatePolicy p;
    p.max_growth = Threshold{1000, true};
    check_violation(only(evaluate_gate(z, p)), "max-growth", "+4.0 MiB", "1000%", "",
                    "--max-growth 1000%: measured +4.0 MiB");
  }
  SUBCASE("max-site-growth by size names the program frame") {
    GatePolicy p;
    p.max_site_growth = Threshold{512 * 1024, false};
    check_violation(only(evaluate_gate(r, p)), "max-site-growth", "+1.0 MiB (+100.0%)",
                    "512.0 KiB", "Cache::put",
                    "--max-site-growth 512.0 KiB: Cache::put grew +1.0 MiB (+100.0%)");
    p.max_site_growth = Threshold{double(kMiB), false};
    CHECK(evaluate_gate(r, p).passed);
  }
  SUBCASE("max-site-growth by percent counts new sites as infinite growth") {
    GatePolicy p;
    p.max_site_growth = Threshold{150, true};
    const auto g = evaluate_gate(r, p);
    // Cache::put +100% passes; Log::add +200% and both new sites fail
    REQUIRE(g.violations.size() == 3);
    check_violation(g.violations[0], "max-site-growth", "+200 B (+200.0%)", "150%", "Log::add",
                    "--max-site-growth 150%: Log::add grew +200 B (+200.0%)");
    check_violation(g.violations[1], "max-site-growth", "+4.0 KiB", "150%", "Fresh::make",
                    "--max-site-growth 150%: Fresh::make grew +4.0 KiB");
    check_violation(g.violations[2], "max-site-growth", "+10 B", "150%", "Tiny::make",
                    "--max-site-growth 150%: Tiny::make grew +10 B");
  }
  SUBCASE("fail-on leak fails only on leaks") {
    GatePolicy p;
    p.fail_on = Verdict::Leak;
    check_violation(only(evaluate_gate(r, p)), "fail-on", "leak", "leak", "Cache::put",
                    "--fail-on leak: Cache::put has verdict leak");
  }
  SUBCASE("fail-on growing fails on growing and leak") {
    GatePolicy p;
    p.fail_on = Verdict::Growing;
    const auto g = evaluate_gate(r, p);
    REQUIRE(g.violations.size() == 2);
    check_violation(g.violations[0], "fail-on", "leak", "growing", "Cache::put",
                    "--fail-on growing: Cache::put has verdict leak");
    check_violation(g.violations[1], "fail-on", "growing", "growing", "Log::add",
                    "--fail-on growing: Log::add has verdict growing");
  }
  SUBCASE("fail-on passes when nothing grows") {
    Report calm = r;
    for (auto& row : calm.sites) row.trend.verdict = Verdict::Stable;
    GatePolicy p;
    p.fail_on = Verdict::Growing;
    CHECK(evaluate_gate(calm, p).passed);
  }
  SUBCASE("max-new-sites counts sites absent at first and above the floor") {
    GatePolicy p;
    p.max_new_sites = 1;
    // Fresh::make (4096) and Tiny::make (10) are new: 2 > 1
    check_violation(only(evaluate_gate(r, p)), "max-new-sites", "2 new sites", "1", "",
                    "--max-new-sites 1: measured 2 new sites");
    p.new_site_floor = 100;  // Tiny::make's 10 B is below the floor: 1 <= 1
    CHECK(evaluate_gate(r, p).passed);
    p.new_site_floor = 0;
    p.max_new_sites = 2;
    CHECK(evaluate_gate(r, p).passed);
  }
  SUBCASE("max-rate needs times in seconds") {
    GatePolicy p;
    p.max_rate = 100;
    CHECK_THROWS_WITH_AS(evaluate_gate(r, p),
                         "--max-rate needs snapshots with times in seconds (pprof, heaptrack, "
                         "massif with --time-unit=ms)",
                         UsageError);
  }
  SUBCASE("max-rate compares the total's rate") {
    Report timed = r;
    timed.total_rate_per_second = 100;
    GatePolicy p;
    p.max_rate = 1048576.0 / 3600;  // 1 MiB/h = 291.27 B/s > 100 B/s
    CHECK(evaluate_gate(timed, p).passed);
    p.max_rate = 50;
    check_violation(only(evaluate_gate(timed, p)), "max-rate", "100 B/s", "50 B/s", "",
                    "--max-rate 50 B/s: measured 100 B/s");
  }
  SUBCASE("min-snapshots not met is an error, not a pass") {
    GatePolicy p;
    p.min_snapshots = 5;
    CHECK_THROWS_WITH_AS(evaluate_gate(r, p), "--min-snapshots 5: only 3 snapshots given",
                         UsageError);
    Report one = r;
    one.snapshots.resize(1);
    CHECK_THROWS_WITH_AS(evaluate_gate(one, p), "--min-snapshots 5: only 1 snapshot given",
                         UsageError);
    p.min_snapshots = 3;
    CHECK(evaluate_gate(r, p).passed);
  }
  SUBCASE("suppressed sites never violate a per-site rule") {
    Report s = r;
    apply_suppressions(s, {{"Cache::put", 1}, {"Log::", 2}, {"Fresh", 3}, {"Tiny", 4}});
    GatePolicy p;
    p.fail_on = Verdict::Growing;
    p.max_site_growth = Threshold{0, false};
    p.max_new_sites = 0;
    CHECK(evaluate_gate(s, p).passed);
    SUBCASE("but whole-series rules still count their growth") {
      p.max_growth = Threshold{double(kMiB), false};
      check_violation(only(evaluate_gate(s, p)), "max-growth", "+2.0 MiB (+100.0%)", "1.0 MiB", "",
                      "--max-growth 1.0 MiB: measured +2.0 MiB (+100.0%)");
    }
  }
  SUBCASE("every violated rule is reported") {
    GatePolicy p;
    p.max_growth = Threshold{double(kMiB), false};
    p.fail_on = Verdict::Leak;
    p.max_new_sites = 0;
    const auto g = evaluate_gate(r, p);
    CHECK_FALSE(g.passed);
    REQUIRE(g.violations.size() == 3);
    CHECK(g.violations[0].rule == "max-growth");
    CHECK(g.violations[1].rule == "fail-on");
    CHECK(g.violations[2].rule == "max-new-sites");
  }
  SUBCASE("a site the drill-down split is judged whole: its rows summed") {
    // helper() is new: two leaking caller paths (0 -> 10 KiB, 0 -> 7 KiB) and the rest of its
    // callers (0 -> 1 KiB), 18 KiB in all; spread over three rows, no row is over 12 KiB.
    Report split = r;
    split.sites.clear();
    const SiteFrame helper = frame("helper", true, "helper.c");
    auto path_row = [&](std::string caller, int64_t last) {
      SiteRow p = row("helper\x1e" + caller, {helper, frame(caller, true)}, 0, last, Verdict::Leak);
      p.path = std::make_shared<const SiteFrame>(frame(caller, true));
      return p;
    };
    split.sites.push_back(path_row("leakB", 10 * 1024));
    split.sites.push_back(path_row("leakA", 7 * 1024));
    SiteRow rest = row("helper\x1e(other callers)", {helper}, 0, 1024, Verdict::Growing);
    rest.other_callers = true;
    split.sites.push_back(rest);
    split.sites.push_back(row("other", {frame("other", true)}, 0, 20 * 1024, Verdict::Growing));
    GatePolicy p;
    p.max_site_growth = Threshold{12 * 1024, false};
    p.max_new_sites = 1;
    p.new_site_floor = 12 * 1024;
    const auto g = evaluate_gate(split, p);
    REQUIRE(g.violations.size() == 3);
    check_violation(g.violations[0], "max-site-growth", "+18.0 KiB", "12.0 KiB", "helper",
                    "--max-site-growth 12.0 KiB: helper grew +18.0 KiB");
    CHECK(g.violations[1].site == "other");
    // Two new sites above the floor (helper, 18 KiB, and other), not four rows.
    check_violation(g.violations[2], "max-new-sites", "2 new sites", "1", "",
                    "--max-new-sites 1: measured 2 new sites");
    // Judged at the site's first row: the violation says which (for the writers).
    for (size_t i = 0; i < split.sites.size(); ++i) split.sites[i].rank = i + 1;
    const auto ranked = evaluate_gate(split, p);
    CHECK(ranked.violations[0].rank == 1);
    CHECK(ranked.violations[1].rank == 4);
    CHECK(ranked.violations[2].rank == 0);  // a whole-series rule
    SUBCASE("and --fail-on names each leaking caller path apart") {
      GatePolicy leaks;
      leaks.fail_on = Verdict::Leak;
      std::vector<std::pair<std::string, size_t>> named;  // (site, rank) of each violation
      for (const auto& v : evaluate_gate(split, leaks).violations) named.emplace_back(v.site, v.rank);
      CHECK(named == std::vector<std::pair<std::string, size_t>>{{"helper ← leakB", 1}, {"helper ← leakA", 2}});
      CHECK(evaluate_gate(split, leaks).violations.front().message ==
            "--fail-on leak: helper ← leakB has verdict leak");
    }
    SUBCASE("and its suppressed rows are left out of the sum") {
      split.sites[0].suppressed_by = "leak:leakB";
      const auto h = evaluate_gate(split, p);
      REQUIRE(h.violations.size() == 1);
      CHECK(h.violations[0].site == "other");  // helper: 8 KiB, under the floor and the limit
    }
  }
  SUBCASE("a site without a program frame is named by its leaf") {
    Report lib = r;
    lib.sites = {row("k", {frame("std::string::_M_create", false), frame("__libc_start_main", false)},
                     0, 100, Verdict::Leak)};
    GatePolicy p;
    p.fail_on = Verdict::Leak;
    CHECK(only(evaluate_gate(lib, p)).site == "std::string::_M_create");
  }
}
