// The HTML report: one self-contained file (inline CSS, inline SVG, a little inline JS; no
// network, no external scripts or fonts), readable from top to bottom:
//   1. the verdict in words: likely leaks, the gate's verdict, notes and warnings;
//   2. the total over the series;
//   3. one chart per flagged site (verdict leak or growing) with its fitted trend line;
//   4. the ranked table with sparklines;
//   5. a differential icicle of the first-to-last change (formats/output/html_flame.h).
// A pure function of the Report (DESIGN.md §8): it only scales numbers to pixels. Every string
// from the report goes through html_escape (C++ names are full of < > &).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/units.h"
#include "formats/output/html_flame.h"
#include "formats/output/html_svg.h"
#include "formats/output/writers.h"

namespace memleak::formats {

using core::format_delta;
using core::format_value;

namespace {

constexpr int kTotalChartWidth = 900, kTotalChartHeight = 220;
constexpr int kSiteChartWidth = 440, kSiteChartHeight = 160;
constexpr int kFlameWidth = 1100;

constexpr std::string_view kStyle = R"(
:root { --leak: #c62828; --growing: #e67e00; --ok: #2e7d32; --muted: #666; --line: #ddd; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 1160px; padding: 16px 24px 48px; color: #1d1d1d; background: #fff; }
h1 { font-size: 20px; margin: 8px 0 2px; }
h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub, .muted { color: var(--muted); }
code, .mono, td.site, svg text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; }
.summary { border-left: 6px solid var(--ok); background: #f3f8f3; padding: 8px 14px; margin-top: 14px; }
.summary.has-leaks { border-color: var(--leak); background: #fdf3f2; }
.summary h2 { border: 0; margin: 4px 0; }
.summary li { margin: 4px 0; }
.hint { color: #444; font-style: italic; }
.gate { font-weight: 600; padding: 6px 10px; display: inline-block; margin-top: 6px; }
.gate.pass { color: var(--ok); } .gate.fail { color: #fff; background: var(--leak); }
.warning { color: #8a5a00; }
.verdict { font-weight: 600; text-transform: lowercase; }
.verdict.leak { color: var(--leak); } .verdict.growing { color: var(--growing); }
svg text { font-size: 11px; fill: #333; }
svg .plot { fill: #fafafa; stroke: var(--line); }
svg .series { fill: none; stroke: #1f5fa8; stroke-width: 2; }
svg .point { fill: #1f5fa8; }
svg .trend { stroke: var(--leak); stroke-width: 1.5; stroke-dasharray: 5 4; }
.sites { display: flex; flex-wrap: wrap; gap: 14px; }
.site-chart { border: 1px solid var(--line); padding: 8px 10px; width: 462px; }
.site-chart h3 { font-size: 13px; margin: 0 0 4px; word-break: break-all; }
.site-chart p { margin: 2px 0 6px; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 3px 6px; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
th { background: #f4f4f4; position: sticky; top: 0; }
td.site, th.site { text-align: left; white-space: normal; word-break: break-all; }
td.verdict-cell, th.verdict-cell { text-align: left; }
tr.total td { font-weight: 600; border-top: 2px solid #ccc; }
svg.spark polyline { fill: none; stroke: #1f5fa8; stroke-width: 1.5; }
tr.leak svg.spark polyline { stroke: var(--leak); }
.legend { display: flex; gap: 18px; align-items: center; flex-wrap: wrap; margin: 6px 0 10px; }
.swatch { display: inline-block; width: 22px; height: 12px; vertical-align: middle; margin-right: 5px;
          border: 1px solid #bbb; }
svg.flame text { font-size: 11px; fill: #111; pointer-events: none; }
svg.flame g.frame { cursor: pointer; }
svg.flame g.frame rect { stroke: #fff; stroke-width: 0.5; }
svg.flame g.frame:hover rect, svg.flame g.frame:focus rect, svg.flame g.frame.selected rect
  { stroke: #000; stroke-width: 1.2; }
#frame-detail { min-height: 3.2em; padding: 6px 10px; background: #f6f6f6; margin-top: 8px;
                font-size: 13px; word-break: break-all; }
.flame-box { overflow-x: auto; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
)";

// Click (or Enter) on an icicle box shows its full name and numbers below the graph. The
// values come from data-* attributes and are inserted with textContent: nothing is parsed.
constexpr std::string_view kScript = R"(
(function () {
  // Marks that the script ran (the browser test looks for it).
  document.documentElement.setAttribute('data-js', 'ready');
  var detail = document.getElementById('frame-detail');
  if (!detail) return;
  var selected = null;
  function line(label, value) {
    var div = document.createElement('div');
    var b = document.createElement('b');
    b.textContent = label + ' ';
    div.appendChild(b);
    div.appendChild(document.createTextNode(value));
    detail.appendChild(div);
  }
  function show(g) {
    if (selected) selected.classList.remove('selected');
    selected = g;
    g.classList.add('selected');
    detail.textContent = '';
    line('frame', g.getAttribute('data-name'));
    if (g.getAttribute('data-loc')) line('at', g.getAttribute('data-loc'));
    line('net change', g.getAttribute('data-net'));
    line('grew', g.getAttribute('data-grew') + ' (sum over the growing sites under this frame)');
    line('shrank', g.getAttribute('data-shrank') + ' (sum over the shrinking sites under this frame)');
  }
  var frames = document.querySelectorAll('svg.flame g.frame');
  for (var i = 0; i < frames.length; i++) {
    (function (g) {
      g.addEventListener('click', function () { show(g); });
      g.addEventListener('keydown', function (e) { if (e.key === 'Enter') show(g); });
    })(frames[i]);
  }
})();
)";

std::string esc(std::string_view s) { return html_escape(s); }

bool flagged(const core::SiteRow& row) {
  return row.trend.verdict == core::Verdict::Leak || row.trend.verdict == core::Verdict::Growing;
}

std::string full_name(const core::SiteRow& row) {
  std::string s = site_title(row, false);
  const std::string where = site_location(row);
  return where.empty() ? s : s + "  " + where;
}

// The x of each snapshot, as the analysis used it (core/analyse.cpp): time since the first
// kept snapshot when every snapshot has one, else the snapshot index.
std::vector<double> x_positions(const core::Report& r) {
  std::vector<double> x;
  const bool times = r.time_unit != core::TimeUnit::None &&
                     std::all_of(r.snapshots.begin(), r.snapshots.end(),
                                 [](const auto& s) { return s.time.has_value(); });
  for (const auto& s : r.snapshots)
    x.push_back(times ? *s.time - *r.snapshots.front().time : double(s.index));
  return x;
}

std::string x_label(const core::Report& r, double x, bool first) {
  switch (r.time_unit) {
    case core::TimeUnit::Seconds: return first ? "0s" : core::format_duration(x);
    case core::TimeUnit::Instructions: return fmt::format("{:.3g} instr", x);
    case core::TimeUnit::Bytes: return core::format_bytes(x) + " allocated";
    case core::TimeUnit::None: break;
  }
  return fmt::format("snapshot {}", size_t(x) + 1);
}

LineChart chart_of(const core::Report& r, const std::vector<int64_t>& values, int width,
                   int height, std::string label) {
  LineChart c;
  c.width = width;
  c.height = height;
  c.label = std::move(label);
  c.x = x_positions(r);
  for (auto v : values) c.y.push_back(double(v));
  c.x.resize(std::min(c.x.size(), c.y.size()));
  for (size_t i = 0; i < c.x.size(); ++i)
    c.point_titles.push_back(fmt::format("{}: {}", r.snapshots[i].label,
                                         format_value(c.y[i], r.metric)));
  if (!c.x.empty()) {
    c.x_first_label = x_label(r, c.x.front(), true);
    c.x_last_label = x_label(r, c.x.back(), false);
  }
  return c;
}

void set_y_range(const core::Report& r, LineChart& c) {
  if (c.y.empty()) return;
  auto [lo, hi] = std::minmax_element(c.y.begin(), c.y.end());
  c.y_low = *lo;
  c.y_high = *hi;
  if (c.trend) {
    c.y_low = std::min({c.y_low, c.trend->first, c.trend->second});
    c.y_high = std::max({c.y_high, c.trend->first, c.trend->second});
  }
  c.y_low_label = format_value(c.y_low, r.metric);
  c.y_high_label = format_value(c.y_high, r.metric);
}

std::string summary(const core::Report& r, const WriteOptions& o) {
  const size_t n = r.snapshots.size();
  std::string out = fmt::format("<section id=\"summary\" class=\"summary{}\">\n",
                                r.leak_count > 0 ? " has-leaks" : "");
  if (r.leak_count > 0) {
    out += fmt::format("<h2 class=\"verdict-text\">Likely leaks ({})</h2>\n<ul>\n", r.leak_count);
    for (const auto& row : r.sites) {
      if (row.trend.verdict != core::Verdict::Leak) continue;
      out += fmt::format("<li><a href=\"#site-{}\">#{}</a> <code title=\"{}\">{}</code> at {}: "
                         "<b>{}</b>{}, {}",
                         row.rank, row.rank, esc(full_name(row)), esc(site_title(row, true)),
                         esc(site_location(row)), esc(format_delta(double(row.delta), r.metric)),
                         row.rate_per_second
                             ? " (" + esc(core::format_rate(*row.rate_per_second, r.metric)) + ")"
                             : "",
                         esc(row.trend.reason));
      if (!row.blocking.empty())
        out += fmt::format("<br>goroutines running <code>{}</code> blocked on {}",
                           esc(row.goroutine_function), esc(row.blocking));
      if (!row.hint.empty()) out += fmt::format("<br><span class=\"hint\">hint: {}</span>", esc(row.hint));
      out += "</li>\n";
    }
    out += "</ul>\n";
    if (r.seconds_to_limit && r.limit)
      out += fmt::format("<p>At this rate the total reaches {} in {}.</p>\n",
                         esc(format_value(double(*r.limit), r.metric)),
                         esc(core::format_duration(*r.seconds_to_limit)));
  } else if (n >= size_t(core::kMinLeakSnapshots)) {
    out += "<h2 class=\"verdict-text\">No likely leaks.</h2>\n";
  } else {
    out += fmt::format("<h2 class=\"verdict-text\">No verdict: {} snapshot{} (a leak verdict needs "
                       "at least {}).</h2>\n",
                       n, n == 1 ? "" : "s", core::kMinLeakSnapshots);
  }
  size_t growing = 0;
  for (const auto& row : r.sites) growing += row.trend.verdict == core::Verdict::Growing;
  if (growing > 0)
    out += fmt::format("<p>{} more site{} grew without the evidence for a leak (verdict "
                       "<span class=\"verdict growing\">growing</span>).</p>\n",
                       growing, growing == 1 ? "" : "s");
  if (r.gate) {
    if (r.gate->passed) {
      out += fmt::format("<div class=\"gate pass\">gate: PASS ({} rule{} checked)</div>\n",
                         r.gate->rules.size(), r.gate->rules.size() == 1 ? "" : "s");
    } else {
      out += fmt::format("<div class=\"gate fail\">gate: FAIL ({} violation{})</div>\n<ul>\n",
                         r.gate->violations.size(), r.gate->violations.size() == 1 ? "" : "s");
      for (const auto& v : r.gate->violations) {
        if (!v.message.empty()) {
          out += "<li>" + esc(v.message) + "</li>\n";
          continue;
        }
        out += fmt::format("<li>{}: {} (limit {}){}</li>\n", esc(v.rule), esc(v.measured),
                           esc(v.limit), v.site.empty() ? "" : " at <code>" + esc(v.site) + "</code>");
      }
      out += "</ul>\n";
    }
  }
  for (const auto& note : r.notes) out += "<p class=\"muted\">note: " + esc(note) + "</p>\n";
  for (const auto& w : r.warnings) out += "<p class=\"warning\">warning: " + esc(w) + "</p>\n";
  (void)o;
  return out + "</section>\n";
}

std::string total_section(const core::Report& r) {
  std::vector<int64_t> totals;
  for (const auto& s : r.snapshots) totals.push_back(s.total);
  const auto& info = core::metric_info(r.metric);
  LineChart c = chart_of(r, totals, kTotalChartWidth, kTotalChartHeight,
                         fmt::format("total {} over the series", info.name));
  c.css_class = "chart total";
  set_y_range(r, c);
  return fmt::format("<section id=\"total\">\n<h2>Total {} over the series</h2>\n<p>{} → {} ({}{})</p>\n{}\n</section>\n",
                     esc(info.name), esc(format_value(double(r.total_first), r.metric)),
                     esc(format_value(double(r.total_last), r.metric)),
                     esc(format_delta(double(r.total_delta), r.metric)),
                     r.total_rate_per_second
                         ? ", " + esc(core::format_rate(*r.total_rate_per_second, r.metric))
                         : "",
                     svg_line_chart(c));
}

// The section of flagged sites, written into `sink` a card at a time (every site of a large
// input may be flagged).
void site_charts(const core::Report& r, ByteSink& sink) {
  sink.write("<section id=\"flagged\">\n<h2>Flagged sites (leak or growing)</h2>\n");
  std::string card;
  bool any = false;
  const auto x = x_positions(r);
  for (const auto& row : r.sites) {
    if (!flagged(row)) continue;
    if (!any)
      sink.write("<p class=\"muted\">Blue: the site's values. Dashed red: the fitted trend "
                 "(Theil-Sen slope). Hover a point for its value.</p>\n<div class=\"sites\">\n");
    any = true;
    LineChart c = chart_of(r, row.values, kSiteChartWidth, kSiteChartHeight,
                           fmt::format("#{} {} over the series", row.rank, site_title(row, true)));
    c.css_class = "chart site";
    if (c.x.size() >= 2) {
      // The fitted Theil-Sen line, on the same x axis the analysis used.
      const double b = row.trend.intercept, s = row.trend.slope;
      c.trend = std::make_pair(b + s * c.x.front(), b + s * c.x.back());
    }
    set_y_range(r, c);
    const std::string v(core::verdict_name(row.trend.verdict));
    card = fmt::format(
        "<div class=\"site-chart {}\" id=\"site-{}\" data-rank=\"{}\">\n<h3>#{} <span class=\"verdict "
        "{}\">{}</span> <span title=\"{}\">{}</span></h3>\n<p class=\"muted\">{}</p>\n<p>{} "
        "first to last, {}; {}</p>\n{}\n</div>\n",
        v, row.rank, row.rank, row.rank, v, v, esc(full_name(row)), esc(site_title(row, true)),
        esc(site_location(row)), esc(format_delta(double(row.delta), r.metric)),
        esc(rate_cell(r, row)), esc(row.trend.reason), svg_line_chart(c));
    sink.write(card);
  }
  if (!any)
    sink.write("<p class=\"muted\">No site has verdict leak or growing.</p>\n");
  else
    sink.write("</div>\n");
  sink.write("</section>\n");
}

void table_row(std::string& out, const core::Report& r, const core::SiteRow& row,
               std::string_view cls, std::string rank, std::string verdict, std::string site) {
  const bool full = !verdict.empty();
  out += fmt::format(
      "<tr class=\"{}\"{}><td>{}</td><td class=\"verdict-cell\">{}</td><td class=\"site\">{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
      cls, full ? fmt::format(" data-verdict=\"{}\"", cls) : "", rank, verdict, site,
      esc(format_value(double(row.first), r.metric)), esc(format_value(double(row.last), r.metric)),
      esc(format_delta(double(row.delta), r.metric)), esc(percent_cell(row)),
      full ? esc(rate_cell(r, row)) : "", full ? esc(p_value_cell(row, r.snapshots.size())) : "",
      svg_sparkline(row.values, 90, 20, "spark"));
}

// The ranked table, written into `sink` a row at a time.
void table(const core::Report& r, ByteSink& sink) {
  std::string out = "<section id=\"table\">\n<h2>Ranked sites</h2>\n<table>\n<thead><tr><th>Rank</th>"
                    "<th class=\"verdict-cell\">Verdict</th><th class=\"site\">Site</th><th>First</th>"
                    "<th>Last</th><th>Delta</th><th>Delta %</th><th>Rate</th><th>p</th>"
                    "<th>Trend</th></tr></thead>\n<tbody>\n";
  for (const auto& row : r.sites) {
    sink.write(out);
    out.clear();
    const std::string v(core::verdict_name(row.trend.verdict));
    std::string site = fmt::format("<span title=\"{}\">{}</span>", esc(full_name(row)),
                                   esc(site_title(row, true)));
    const std::string where = site_location(row);
    if (!where.empty()) site += " <span class=\"muted\">" + esc(where) + "</span>";
    if (row.suppressed_by) site += " <span class=\"muted\">[suppressed by " + esc(*row.suppressed_by) + "]</span>";
    if (!row.hint.empty()) site += "<br><span class=\"hint\">" + esc(row.hint) + "</span>";
    const std::string rank = flagged(row)
                                 ? fmt::format("<a href=\"#site-{}\">{}</a>", row.rank, row.rank)
                                 : std::to_string(row.rank);
    table_row(out, r, row, v, rank, fmt::format("<span class=\"verdict {}\">{}</span>", v, v), site);
  }
  if (r.others)
    table_row(out, r, *r.others, "others", "", "",
              fmt::format("({} other sites)", r.site_count - r.sites.size()));
  core::SiteRow total;
  for (const auto& s : r.snapshots) total.values.push_back(s.total);
  total.first = r.total_first;
  total.last = r.total_last;
  total.delta = r.total_delta;
  if (total.first != 0) total.delta_pct = 100.0 * double(total.delta) / double(std::llabs(total.first));
  table_row(out, r, total, "total", "", "", "total");
  out += "</tbody>\n</table>\n</section>\n";
  sink.write(out);
}

std::string flame_section(const core::Report& r) {
  std::string out =
      "<section id=\"flame\">\n<h2>What changed, first to last (differential icicle)</h2>\n"
      "<div class=\"legend\" id=\"flame-legend\">"
      "<span><span class=\"swatch\" style=\"background:hsl(4,80%,58%)\"></span>grew</span>"
      "<span><span class=\"swatch\" style=\"background:hsl(212,80%,58%)\"></span>shrank</span>"
      "<span><span class=\"swatch\" style=\"background:hsl(4,20%,92%)\"></span>growth and "
      "shrinkage cancel out</span></div>\n"
      "<p class=\"muted\">Each box is a function on the call stacks of the shown sites, callers "
      "above callees (the top box holds everything). A box's <b>width</b> is how much memory "
      "under it changed from the first to the last snapshot, growth and shrinkage both counted. "
      "Its <b>colour</b> says which way: <b>red = grew</b>, <b>blue = shrank</b>, deeper colour = "
      "more one-sided. Hover a box for its numbers; click it to show its full name below.</p>\n";
  const std::string svg = svg_diff_flame(r, kFlameWidth);
  if (svg.empty()) return out + "<p>No shown site changed.</p>\n</section>\n";
  return out + "<div class=\"flame-box\">\n" + svg +
         "\n</div>\n<div id=\"frame-detail\" aria-live=\"polite\">Click a box to see its full "
         "name and numbers.</div>\n</section>\n";
}

}  // namespace

void write_html(const core::Report& r, const WriteOptions& o, ByteSink& sink) {
  const auto& info = core::metric_info(r.metric);
  const size_t n = r.snapshots.size();
  const std::string command = o.command.empty() ? "report" : o.command;
  const std::string title = fmt::format("memleak {}: {} of {} {} snapshot{}", command, info.name,
                                        n, r.format, n == 1 ? "" : "s");
  std::string sources = n == 0 ? "" : r.snapshots.front().label;
  if (n > 1) sources += (n > 2 ? " … " : ", ") + r.snapshots.back().label;

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + esc(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>" + esc(title) + "</h1>\n";
  out += fmt::format("<p class=\"sub\">{}{}; {} sites, {} shown; granularity {}</p>\n</header>\n",
                     esc(sources),
                     r.skipped ? fmt::format(" (skipped {} warm-up snapshot(s))", r.skipped) : "",
                     r.site_count, r.sites.size(), esc(core::granularity_name(r.granularity)));
  // Section by section into the sink: with every site shown (--top 0) the table and the
  // icicle are tens of MB each.
  out += summary(r, o);
  out += total_section(r);
  sink.write(out);
  site_charts(r, sink);
  table(r, sink);
  sink.write(flame_section(r));
  out = "<footer>Written by memleak " + esc(o.command) +
         ". This file is self-contained: it loads nothing from the network.</footer>\n";
  out += "<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  sink.write(out);
}

std::string write_html(const core::Report& r, const WriteOptions& o) {
  return write_to_string(write_html, r, o);
}

}  // namespace memleak::formats
