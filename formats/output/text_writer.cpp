// The human-readable report: likely leaks in plain words, then one row per site.
#include <cmath>

#include <fmt/format.h>

#include "core/units.h"
#include "formats/output/writers.h"

namespace memleak::formats {

using core::format_delta;
using core::format_value;

namespace {

struct Style {
  bool on;
  std::string red(std::string_view s) const { return wrap("31;1", s); }
  std::string yellow(std::string_view s) const { return wrap("33", s); }
  std::string green(std::string_view s) const { return wrap("32", s); }
  std::string bold(std::string_view s) const { return wrap("1", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }
  std::string wrap(std::string_view code, std::string_view s) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  }
};

std::string verdict_cell(const Style& st, core::Verdict v) {
  const auto name = std::string(core::verdict_name(v));
  const auto padded = fmt::format("{:<9}", name);
  switch (v) {
    case core::Verdict::Leak: return st.red(padded);
    case core::Verdict::Growing: return st.yellow(padded);
    default: return padded;
  }
}

// `verdict` empty: a summary row (others, total) without trend columns.
void write_row(std::string& out, const Style& st, const core::Report& r, const core::SiteRow& row,
               std::string_view rank, std::string_view verdict, std::string_view title) {
  const size_t n = r.snapshots.size();
  const bool summary = verdict.empty();
  out += fmt::format("{:>5} {:<9} {:>10} {:>10} {:>11} {:>7} {:>14} {:>6}  {}  {}\n", rank, verdict,
                     format_value(double(row.first), r.metric),
                     format_value(double(row.last), r.metric),
                     format_delta(double(row.delta), r.metric), percent_cell(row),
                     summary ? "" : rate_cell(r, row), summary ? "" : p_value_cell(row, n),
                     sparkline(row.values), title);
}

std::string time_span(const core::Report& r) {
  if (r.snapshots.size() < 2 || !r.snapshots.front().time || !r.snapshots.back().time) return "";
  const double span = *r.snapshots.back().time - *r.snapshots.front().time;
  switch (r.time_unit) {
    case core::TimeUnit::Seconds: return ", over " + core::format_duration(span);
    case core::TimeUnit::Instructions: return fmt::format(", over {:.3g} instructions", span);
    case core::TimeUnit::Bytes: return ", over " + core::format_bytes(span) + " allocated";
    case core::TimeUnit::None: break;
  }
  return "";
}

}  // namespace

std::string write_text(const core::Report& r, const WriteOptions& options) {
  const Style st{options.color};
  std::string out;
  const auto& info = core::metric_info(r.metric);
  const size_t n = r.snapshots.size();
  std::string sources = n == 0 ? "" : r.snapshots.front().label;
  if (n > 1) sources += (n > 2 ? " … " : ", ") + r.snapshots.back().label;
  out += st.bold(fmt::format("memleak {}: {} of {} {} snapshot{} ({}){}", options.command,
                             info.name, n, r.format, n == 1 ? "" : "s", sources, time_span(r)));
  out += '\n';
  if (r.skipped > 0) out += fmt::format("skipped {} warm-up snapshot(s)\n", r.skipped);

  // Likely leaks, in words.
  if (r.leak_count > 0) {
    out += '\n' + st.red(fmt::format("Likely leaks ({}):", r.leak_count)) + '\n';
    for (const auto& row : r.sites) {
      if (row.trend.verdict != core::Verdict::Leak) continue;
      out += fmt::format("  #{} {} at {}: {}{}", row.rank, site_title(row, true),
                         site_location(row), format_delta(double(row.delta), r.metric),
                         row.rate_per_second
                             ? " (" + core::format_rate(*row.rate_per_second, r.metric) + ")"
                             : "");
      out += fmt::format(", {}\n", row.trend.reason);
      if (!row.blocking.empty())
        out += fmt::format("     goroutines running {} blocked on {}\n", row.goroutine_function,
                           row.blocking);
      if (!row.hint.empty()) out += fmt::format("     hint: {}\n", row.hint);
    }
    if (r.seconds_to_limit)
      out += fmt::format("  at this rate the total reaches {} in {}\n",
                         format_value(double(*r.limit), r.metric),
                         core::format_duration(*r.seconds_to_limit));
  } else if (n >= size_t(core::kMinLeakSnapshots)) {
    out += '\n' + st.green("No likely leaks.") + '\n';
  }
  // A pair of runs cannot show a leak by itself; the later run's own trend can (core/analyse.h,
  // RunContext): its leaks, in words, as they rank right after any leaks.
  if (r.run_context) {
    bool any = false;
    for (const auto& row : r.sites) {
      if (row.trend.verdict == core::Verdict::Leak || row.run_verdict != core::Verdict::Leak ||
          row.delta <= 0)
        continue;
      if (!any) out += '\n' + st.red("Leaking inside the later run:") + '\n';
      any = true;
      const auto in_run = row.trend.reason.find("in the last run: ");
      out += fmt::format("  #{} {} at {}: {}, {}\n", row.rank, site_title(row, true),
                         site_location(row), format_delta(double(row.delta), r.metric),
                         in_run == std::string::npos ? row.trend.reason
                                                     : row.trend.reason.substr(in_run));
      if (!row.hint.empty()) out += fmt::format("     hint: {}\n", row.hint);
    }
  }

  out += '\n';
  out += st.dim(fmt::format("{:>5} {:<9} {:>10} {:>10} {:>11} {:>7} {:>14} {:>6}  {:<{}}  {}\n",
                            "RANK", "VERDICT", "FIRST", "LAST", "DELTA", "DELTA%", "RATE", "P",
                            "TREND", n, "SITE"));
  for (const auto& row : r.sites) {
    const std::string where = site_location(row);
    write_row(out, st, r, row, std::to_string(row.rank), verdict_cell(st, row.trend.verdict),
              site_title(row, true) + (where.empty() ? "" : "  " + where) +
                  (row.suppressed_by ? "  [suppressed]" : ""));
  }
  if (r.others) {
    write_row(out, st, r, *r.others, "", "",
              fmt::format("({} other sites)", r.site_count - r.sites.size()));
  }
  core::SiteRow total;
  for (const auto& s : r.snapshots) total.values.push_back(s.total);
  total.first = r.total_first;
  total.last = r.total_last;
  total.delta = r.total_delta;
  if (total.first != 0) total.delta_pct = 100.0 * double(total.delta) / double(std::llabs(total.first));
  write_row(out, st, r, total, "", "", st.bold("total"));

  for (const auto& note : r.notes) out += "note: " + note + '\n';
  for (const auto& w : r.warnings) out += st.yellow("warning: " + w) + '\n';
  if (r.gate) {
    out += '\n';
    if (r.gate->passed) {
      out += st.green(fmt::format("gate: PASS ({} rule{} checked)", r.gate->rules.size(),
                                  r.gate->rules.size() == 1 ? "" : "s")) + '\n';
    } else {
      out += st.red(fmt::format("gate: FAIL ({} violation{})", r.gate->violations.size(),
                                r.gate->violations.size() == 1 ? "" : "s")) + '\n';
      for (const auto& v : r.gate->violations) out += fmt::format("  {}\n", v.message);
    }
  }
  return out;
}

}  // namespace memleak::formats
