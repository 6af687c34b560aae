#include "core/gate.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/units.h"

namespace memleak::core {

Threshold parse_threshold(std::string_view option, std::string_view text) {
  Threshold t;
  std::string_view body = text;
  if (!body.empty() && body.back() == '%') {
    t.percent = true;
    body.remove_suffix(1);
  }
  auto v = parse_size(body);
  if (!v || *v < 0 || (t.percent && body.find_first_not_of("0123456789.") != std::string_view::npos))
    throw UsageError(fmt::format("{}: expected SIZE (like 10MiB) or PERCENT (like 25%), got '{}'",
                                 option, text));
  t.value = *v;
  return t;
}

double parse_rate(std::string_view option, std::string_view text) {
  const auto slash = text.find('/');
  std::optional<double> size, per;
  if (slash != std::string_view::npos) {
    size = parse_size(text.substr(0, slash));
    std::string_view d = text.substr(slash + 1);
    // "1MiB/h": a bare unit means one of it.
    if (!d.empty() && !std::isdigit(static_cast<unsigned char>(d.front())))
      per = parse_duration(fmt::format("1{}", d));
    else
      per = parse_duration(d);
  }
  if (!size || !per || *per <= 0 || *size < 0)
    throw UsageError(fmt::format("{}: expected SIZE/DURATION (like 1MiB/h or 10KiB/30s), got '{}'",
                                 option, text));
  return *size / *per;
}

std::vector<Suppression> parse_suppressions(std::string_view path, std::string_view text) {
  std::vector<Suppression> out;
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    if (!line.starts_with("leak:"))
      throw InputError::at_line(std::string(path), line_no,
                                fmt::format("suppressions: expected 'leak:PATTERN', got '{}'",
                                            line.substr(0, 80)));
    Suppression s;
    s.pattern = std::string(line.substr(5));
    s.line = line_no;
    if (s.pattern.empty())
      throw InputError::at_line(std::string(path), line_no,
                                "suppressions: expected a pattern after 'leak:'");
    out.push_back(std::move(s));
    if (end == text.size()) break;
  }
  return out;
}

namespace {
// Glob match of `pat` ('*' = any run) against the whole of `s`.
bool glob_full(std::string_view pat, std::string_view s) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < s.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pat.size() && pat[p] == s[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}
}  // namespace

bool suppression_matches(const Suppression& s, std::string_view text) {
  std::string pat = s.pattern;
  const bool anchored_start = !pat.empty() && pat.front() == '^';
  if (anchored_start) pat.erase(0, 1);
  const bool anchored_end = !pat.empty() && pat.back() == '$';
  if (anchored_end) pat.pop_back();
  // LeakSanitizer: an unanchored pattern matches anywhere (as if wrapped in '*').
  if (!anchored_start) pat = std::string(1, '*') + pat;
  if (!anchored_end) pat.push_back('*');
  return glob_full(pat, text);
}

void apply_suppressions(Report& report, const std::vector<Suppression>& rules) {
  if (rules.empty()) return;
  for (auto& row : report.sites) {
    for (const auto& rule : rules) {
      bool hit = false;
      for (const FrameList* frames : {&row.frames, &row.stack})
        for (size_t i = 0; i < frames->size() && !hit; ++i)
          for (const std::string_view text : {frames->function(i), frames->file(i), frames->module(i)})
            hit = hit || (!text.empty() && suppression_matches(rule, text));
      if (hit) {
        row.suppressed_by = rule.text();
        break;
      }
    }
  }
}

namespace {

std::string threshold_text(const Threshold& t, Metric m) {
  return t.percent ? fmt::format("{:g}%", t.value) : format_value(t.value, m);
}

// Growth over a threshold: bytes above the SIZE, or percent of the first value above PCT.
bool exceeds(const Threshold& t, double first, double delta) {
  if (!t.percent) return delta > t.value;
  if (first <= 0) return delta > 0;  // anything from nothing is infinite growth
  return 100.0 * delta / first > t.value;
}

std::string growth_text(double first, double delta, Metric m) {
  if (first > 0) return fmt::format("{} ({:+.1f}%)", format_delta(delta, m), 100.0 * delta / first);
  return format_delta(delta, m);
}

}  // namespace

std::string site_name(const SiteRow& row) {
  if (row.frames.empty()) return row.key.text();
  const size_t i = row.frames.first_program();
  return i < row.frames.size() ? std::string(row.frames.function(i)) : display_function(row.frames, 0);
}

std::string row_name(const SiteRow& row) {
  std::string name = site_name(row);
  if (row.path) {
    const std::string caller = display_function(*row.path);
    if (caller != name) name += " ← " + caller;
  }
  if (row.other_callers) name += " (other callers)";
  return name;
}

namespace {

// One site's unsuppressed rows, summed (clamped), and the first of them (where it is judged).
struct SiteTotal {
  size_t first_row = 0;
  int64_t first = 0, last = 0, delta = 0;
};

// For each row, the index of its site's total in `totals` (SIZE_MAX for a suppressed row).
std::vector<size_t> site_totals(const std::vector<SiteRow>& rows, std::vector<SiteTotal>& totals) {
  std::vector<size_t> of_row(rows.size(), SIZE_MAX);
  std::unordered_map<std::string, size_t> split;  // a drill-down's site text -> its total
  for (size_t i = 0; i < rows.size(); ++i) {
    const SiteRow& row = rows[i];
    if (row.suppressed_by) continue;
    if (row.path || row.other_callers) {
      // A caller path's key, or "(other callers)"'s, continues its site's.
      const auto [it, added] = split.try_emplace(row.key.site_text(), totals.size());
      if (added) totals.push_back({i});
      of_row[i] = it->second;
    } else {
      of_row[i] = totals.size();
      totals.push_back({i});
    }
    SiteTotal& total = totals[of_row[i]];
    total.first = clamped_add(total.first, row.first);
    total.last = clamped_add(total.last, row.last);
    total.delta = clamped_add(total.delta, row.delta);
  }
  return of_row;
}

}  // namespace

GateResult evaluate_gate(const Report& r, const GatePolicy& p) {
  GateResult g;
  g.rules = p.rule_texts;
  const Metric m = r.metric;
  if (p.min_snapshots && r.snapshots.size() < *p.min_snapshots)
    throw UsageError(fmt::format("--min-snapshots {}: only {} snapshot{} given",
                                 *p.min_snapshots, r.snapshots.size(),
                                 r.snapshots.size() == 1 ? "" : "s"));
  auto violate = [&](std::string rule, std::string measured, std::string limit, std::string site,
                     size_t rank = 0) {
    std::string message =
        rule == "fail-on"
            ? fmt::format("--fail-on {}: {} has verdict {}", limit, site, measured)
        : site.empty() ? fmt::format("--{} {}: measured {}", rule, limit, measured)
                       : fmt::format("--{} {}: {} grew {}", rule, limit, site, measured);
    g.violations.push_back({std::move(rule), std::move(measured), std::move(limit), std::move(site),
                            std::move(message), rank});
  };
  if (p.max_growth && exceeds(*p.max_growth, double(r.total_first), double(r.total_delta)))
    violate("max-growth", growth_text(double(r.total_first), double(r.total_delta), m),
            threshold_text(*p.max_growth, m), "");
  if (p.max_rate) {
    if (!r.total_rate_per_second)
      throw UsageError("--max-rate needs snapshots with times in seconds (pprof, heaptrack, "
                       "massif with --time-unit=ms)");
    if (*r.total_rate_per_second > *p.max_rate)
      violate("max-rate", format_rate(*r.total_rate_per_second, m), format_rate(*p.max_rate, m), "");
  }
  // The per-site rules judge sites, not rows: the drill-down shows a site as its leaking
  // caller paths and "(other callers)", rows that add up to the site, and a site split in two
  // must grow as much, and be as new, as it was whole (its unsuppressed rows, summed; judged
  // at its first row, named by it).
  std::vector<SiteTotal> totals;
  const std::vector<size_t> site_of = site_totals(r.sites, totals);
  size_t new_sites = 0;
  for (size_t i = 0; i < r.sites.size(); ++i) {
    const SiteRow& row = r.sites[i];
    if (row.suppressed_by) continue;
    if (const SiteTotal& site = totals[site_of[i]]; site.first_row == i) {
      if (p.max_site_growth && exceeds(*p.max_site_growth, double(site.first), double(site.delta)))
        violate("max-site-growth", growth_text(double(site.first), double(site.delta), m),
                threshold_text(*p.max_site_growth, m), site_name(row), row.rank);
      if (site.first == 0 && double(site.last) > p.new_site_floor) ++new_sites;
    }
    if (p.fail_on) {
      const Verdict v = row.trend.verdict;
      const bool bad = v == Verdict::Leak || (*p.fail_on == Verdict::Growing && v == Verdict::Growing);
      if (bad)
        violate("fail-on", std::string(verdict_name(v)), std::string(verdict_name(*p.fail_on)),
                row_name(row), row.rank);
    }
  }
  if (p.max_new_sites && new_sites > *p.max_new_sites)
    violate("max-new-sites", fmt::format("{} new sites", new_sites), std::to_string(*p.max_new_sites), "");
  g.passed = g.violations.empty();
  return g;
}

}  // namespace memleak::core
