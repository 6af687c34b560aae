// Tests of the HTML report (formats/output/html_writer.cpp and its html_* helpers) over a
// Report built in memory: structure (one chart per flagged site, a trend line in each, the
// flame graph and its legend), escaping of hostile names, self-containment (nothing loaded
// from the network), determinism. Rendering in a real browser is tests/e2e/html_render.sh.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/report.h"
#include "formats/output/html_flame.h"
#include "formats/output/html_svg.h"
#include "formats/output/writers.h"

using namespace memleak;

namespace {

size_t count(std::string_view hay, std::string_view needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

core::SiteFrame frame(std::string function, std::string file, uint32_t line, bool program) {
  core::SiteFrame f;
  f.function = std::move(function);
  f.file = std::move(file);
  f.line = line;
  f.program = program;
  return f;
}

core::SiteRow row(size_t rank, core::Verdict verdict, std::vector<int64_t> values,
                  std::vector<core::SiteFrame> stack) {
  core::SiteRow r;
  r.rank = rank;
  r.values = std::move(values);
  r.first = r.values.front();
  r.last = r.values.back();
  r.delta = r.last - r.first;
  if (r.first != 0) r.delta_pct = 100.0 * double(r.delta) / double(r.first);
  r.trend.verdict = verdict;
  r.trend.slope = double(r.delta) / 30.0;
  r.trend.reason = "sustained growth: up in 3 of 3 steps, p<0.05 & \"quoted\"";
  r.frames = {stack.front()};
  r.stack = std::move(stack);
  r.key = r.stack.front().function;
  r.rate_per_second = r.trend.slope;
  return r;
}

// Four snapshots 10 s apart; a leak and a growing site with C++ names that need escaping, a
// stable and a shrinking site, others, and a failed gate.
core::Report sample_report() {
  core::Report r;
  r.metric = core::Metric::LiveBytes;
  r.kind = "heap";
  r.format = "pprof";
  r.time_unit = core::TimeUnit::Seconds;
  for (size_t i = 0; i < 4; ++i) {
    core::ReportSnapshot s;
    s.index = i;
    s.label = "heap.00" + std::to_string(i + 1) + ".pb.gz";
    s.source = s.label;
    s.time = 100.0 + 10.0 * double(i);
    r.snapshots.push_back(s);
  }
  const auto main_frame = frame("main", "main.cpp", 10, true);
  r.sites.push_back(row(1, core::Verdict::Leak, {100, 200, 300, 400},
                        {frame("std::vector<int, std::allocator<int> >::push_back", "vector", 5, false),
                         frame("Cache<K&V>::operator<<", "cache.h", 42, true), main_frame}));
  r.sites.push_back(row(2, core::Verdict::Growing, {10, 10, 30, 40},
                        {frame("</script><script>alert(1)</script>", "evil.cpp", 1, true), main_frame}));
  r.sites.push_back(row(3, core::Verdict::Stable, {50, 50, 50, 50},
                        {frame("load_config", "config.cpp", 7, true), main_frame}));
  r.sites.push_back(row(4, core::Verdict::Shrinking, {80, 60, 40, 20},
                        {frame("drain", "queue.cpp", 9, true), main_frame}));
  r.leak_count = 1;
  r.site_count = 6;
  core::SiteRow others;
  others.values = {5, 5, 6, 6};
  others.first = 5;
  others.last = 6;
  others.delta = 1;
  r.others = others;
  for (size_t i = 0; i < 4; ++i) {
    int64_t t = 0;
    for (const auto& s : r.sites) t += s.values[i];
    t += r.others->values[i];
    r.snapshots[i].total = t;
  }
  r.total_first = r.snapshots.front().total;
  r.total_last = r.snapshots.back().total;
  r.total_delta = r.total_last - r.total_first;
  core::GateResult g;
  g.passed = false;
  g.rules = {"fail-on leak"};
  core::GateViolation v;
  v.rule = "fail-on";
  v.measured = "verdict leak";
  v.limit = "no leak";
  v.site = "Cache<K&V>::operator<<";
  v.message = "--fail-on leak: Cache<K&V>::operator<< has verdict leak";
  g.violations.push_back(v);
  r.gate = g;
  r.warnings.push_back("a <warning> & more");
  return r;
}

}  // namespace

TEST_CASE("formats::write_html") {
  const auto report = sample_report();
  formats::WriteOptions wo;
  wo.command = "check";
  const std::string html = formats::write_html(report, wo);

  SUBCASE("is one complete HTML document") {
    CHECK(html.starts_with("<!DOCTYPE html>\n"));
    CHECK(html.ends_with("</html>\n"));
    CHECK(count(html, "<style>") == 1);
    CHECK(count(html, "<script>") == 1);
    CHECK(count(html, "</script>") == 1);
  }

  SUBCASE("states the verdict in words on top, before any chart") {
    const auto verdict = html.find("Likely leaks (1)");
    REQUIRE(verdict != std::string::npos);
    CHECK(verdict < html.find("<svg"));
    CHECK(html.find("gate: FAIL (1 violation)") != std::string::npos);
    CHECK(html.find("--fail-on leak: Cache&lt;K&amp;V&gt;::operator&lt;&lt; has verdict leak") != std::string::npos);
    CHECK(html.find("1 more site grew without the evidence for a leak") != std::string::npos);
  }

  SUBCASE("draws one chart with a trend line per flagged site, and the total") {
    CHECK(count(html, "<div class=\"site-chart ") == 2);
    CHECK(count(html, "id=\"site-1\"") == 1);
    CHECK(count(html, "id=\"site-2\"") == 1);
    CHECK(count(html, "id=\"site-3\"") == 0);
    CHECK(count(html, "<line class=\"trend\"") == 2);
    CHECK(count(html, "<svg class=\"chart total\"") == 1);
    // One point (with its value as a tooltip) per snapshot in every chart: total + 2 sites.
    CHECK(count(html, "<circle class=\"point\"") == 3 * 4);
  }

  SUBCASE("has the ranked table with a sparkline per row, others and total") {
    CHECK(count(html, "data-verdict=\"") == 4);
    CHECK(count(html, "<svg class=\"spark\"") == 4 + 2);
    CHECK(html.find("(2 other sites)") != std::string::npos);
  }

  SUBCASE("has a differential flame graph with an explained legend") {
    CHECK(count(html, "<svg class=\"flame\"") == 1);
    CHECK(html.find("id=\"flame-legend\"") != std::string::npos);
    CHECK(html.find("red = grew") != std::string::npos);
    CHECK(html.find("blue = shrank") != std::string::npos);
    CHECK(count(html, "<g class=\"frame\"") >= 5);
    CHECK(html.find("id=\"frame-detail\"") != std::string::npos);
    // Growth is red (hue 4), shrinkage blue (hue 212).
    CHECK(html.find("fill=\"hsl(4,") != std::string::npos);
    CHECK(html.find("fill=\"hsl(212,") != std::string::npos);
  }

  SUBCASE("escapes every name from the report") {
    CHECK(html.find("std::vector<int") == std::string::npos);
    CHECK(html.find("std::vector&lt;int, std::allocator&lt;int&gt; &gt;::push_back") != std::string::npos);
    CHECK(html.find("Cache<K&V>") == std::string::npos);
    CHECK(html.find("Cache&lt;K&amp;V&gt;::operator&lt;&lt;") != std::string::npos);
    CHECK(html.find("alert(1)</script>") == std::string::npos);
    CHECK(html.find("&lt;/script&gt;&lt;script&gt;alert(1)") != std::string::npos);
    CHECK(html.find("a <warning>") == std::string::npos);
    CHECK(html.find("&amp; &quot;quoted&quot;") != std::string::npos);
  }

  SUBCASE("loads nothing from the network") {
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find(" src=") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
  }

  SUBCASE("is deterministic") { CHECK(formats::write_html(report, wo) == html); }
}

TEST_CASE("formats::write_html without changes or verdicts") {
  core::Report r;
  r.format = "pprof";
  for (size_t i = 0; i < 2; ++i) {
    core::ReportSnapshot s;
    s.index = i;
    s.label = "s" + std::to_string(i);
    s.total = 10;
    r.snapshots.push_back(s);
  }
  r.total_first = r.total_last = 10;
  r.sites.push_back(row(1, core::Verdict::Stable, {10, 10}, {frame("f", "f.c", 1, true)}));
  r.site_count = 1;
  const std::string html = formats::write_html(r, {});
  CHECK(html.find("No verdict: 2 snapshots") != std::string::npos);
  CHECK(html.find("No site has verdict leak or growing.") != std::string::npos);
  CHECK(html.find("No shown site changed.") != std::string::npos);
  CHECK(count(html, "<div class=\"site-chart ") == 0);
  CHECK(html.find("snapshot 1") != std::string::npos);  // x axis by index without times
}

TEST_CASE("formats::html_escape") {
  CHECK(formats::html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  SUBCASE("keeps valid UTF-8 and replaces broken bytes and control characters") {
    CHECK(formats::html_escape("f ← g") == "f ← g");
    CHECK(formats::html_escape("a\xff" "b") == "a\xef\xbf\xbd" "b");
    CHECK(formats::html_escape("a\x01" "b") == "a\xef\xbf\xbd" "b");
    CHECK(formats::html_escape("\xe2\x86") == "\xef\xbf\xbd\xef\xbf\xbd");
  }
}

TEST_CASE("formats::truncate_utf8") {
  CHECK(formats::truncate_utf8("abcdef", 6) == "abcdef");
  CHECK(formats::truncate_utf8("abcdef", 4) == "abc…");
  CHECK(formats::truncate_utf8("←←←←", 3) == "←←…");
}

TEST_CASE("formats::svg_diff_flame") {
  SUBCASE("widths add up: the root spans the whole width") {
    const auto report = sample_report();
    const std::string svg = formats::svg_diff_flame(report, 1000);
    // Root: |+300| + |+30| + |-60| + |+1| = 391 units over 1000 px.
    CHECK(svg.find("<rect x=\"0.0\" y=\"0.0\" width=\"1000.0\"") != std::string::npos);
    CHECK(svg.find("data-name=\"(other sites)\"") != std::string::npos);
  }
  SUBCASE("draws what rows too narrow to draw alone add up to, and nothing narrower") {
    // 3000 rows of +1 under main -> work, each its own leaf, and one of +3000 under main:
    // 6000 units over 1000 px, so a leaf of +1 is 1/6 px (not drawn) while "work" holds
    // 3000 of them (500 px).
    core::Report r;
    const auto main_frame = frame("main", "main.c", 1, true);
    r.sites.push_back(row(1, core::Verdict::Leak, {0, 3000},
                          {frame("big", "big.c", 2, true), main_frame}));
    for (int i = 0; i < 3000; ++i)
      r.sites.push_back(row(size_t(i + 2), core::Verdict::Stable, {0, 1},
                            {frame("leaf" + std::to_string(i), "leaf.c", 3, true),
                             frame("work", "work.c", 4, true), main_frame}));
    const std::string svg = formats::svg_diff_flame(r, 1000);
    CHECK(svg.find("data-name=\"work\" data-loc=\"work.c:4\" data-grew=\"+2.9 KiB\"") !=
          std::string::npos);
    CHECK(svg.find("<rect x=\"500.0\" y=\"36.0\" width=\"500.0\"") != std::string::npos);
    CHECK(svg.find("data-name=\"leaf") == std::string::npos);
    CHECK(count(svg, "class=\"frame\"") == 4);  // the root, main, big, work
  }
  SUBCASE("is empty when nothing changed") {
    core::Report r;
    r.sites.push_back(row(1, core::Verdict::Stable, {10, 10}, {frame("f", "f.c", 1, true)}));
    CHECK(formats::svg_diff_flame(r, 1000).empty());
  }
}
