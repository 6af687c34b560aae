// The Markdown summary, for pull request comments and CI job summaries ($GITHUB_STEP_SUMMARY):
// the verdict first, as a heading (the gate's PASS / FAIL with its violations when checking,
// else the number of likely leaks), one line of context, then a GitHub-flavoured table of the
// shown sites with the others and total rows, then hints, notes and warnings.
//
// Names go into code spans so that C++ and Go names render literally (`<`, `*` and `_` are not
// markup there); a `|` is escaped as `\|`, which GFM tables honour inside code spans too, and a
// name holding backticks gets a longer backtick fence (CommonMark). Plain text is
// backslash-escaped. C++ template arguments are shortened (shorten_cxx_name).
#include <algorithm>

#include <fmt/format.h>

#include "core/units.h"
#include "formats/output/row_fields.h"
#include "formats/output/writers.h"

namespace memleak::formats {

using core::format_delta;
using core::format_value;

namespace {

// One line of text inside a table cell or a list item.
std::string one_line(std::string_view text) {
  std::string out(text);
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return out;
}

std::string code(std::string_view text) {
  if (text.empty()) return "";
  std::string body;
  size_t run = 0, longest = 0;
  for (const char c : one_line(text)) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '|') body += '\\';
    body += c;
  }
  if (longest == 0) return "`" + body + "`";
  const std::string fence(longest + 1, '`');
  return fence + " " + body + " " + fence;  // the spaces keep edge backticks off the fence
}

std::string plain(std::string_view text) {
  std::string out;
  for (const char c : one_line(text)) {
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string plural(size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string headline(const core::Report& r, const WriteOptions& o) {
  const std::string title = "memleak " + (o.command.empty() ? std::string("diff") : o.command);
  if (r.gate) {
    if (r.gate->passed)
      return fmt::format("## ✅ {}: PASS ({} checked)\n", title, plural(r.gate->rules.size(), "rule"));
    return fmt::format("## ❌ {}: FAIL ({})\n", title, plural(r.gate->violations.size(), "violation"));
  }
  if (r.leak_count > 0)
    return fmt::format("## ⚠️ {}: {} likely leak{}\n", title, r.leak_count,
                       r.leak_count == 1 ? "" : "s");
  if (r.snapshots.size() >= size_t(core::kMinLeakSnapshots))
    return fmt::format("## ✅ {}: no likely leaks\n", title);
  return fmt::format("## {}: no leak verdict ({}; a leak needs at least {})\n", title,
                     plural(r.snapshots.size(), "snapshot"), core::kMinLeakSnapshots);
}

std::string violations(const core::GateResult& g) {
  std::string out;
  for (const auto& v : g.violations)
    out += fmt::format("- **{}**{}: {} (limit {})\n", plain(v.rule),
                       v.site.empty() ? "" : " at " + code(shorten_cxx_name(v.site)),
                       plain(v.measured), plain(v.limit));
  return out;
}

std::string context(const core::Report& r) {
  const auto& info = core::metric_info(r.metric);
  const size_t n = r.snapshots.size();
  std::string sources;
  if (n > 0) sources = code(r.snapshots.front().label);
  if (n > 1) sources += (n > 2 ? " … " : ", ") + code(r.snapshots.back().label);
  std::string line = fmt::format("{} of {} {} {} ({})", info.name, n, plain(r.format),
                                 n == 1 ? "snapshot" : "snapshots", sources);
  if (r.skipped > 0) line += fmt::format(", {} skipped", plural(r.skipped, "warm-up snapshot"));
  line += fmt::format(": total {} → {} ({})", format_value(double(r.total_first), r.metric),
                      format_value(double(r.total_last), r.metric),
                      format_delta(double(r.total_delta), r.metric));
  if (r.seconds_to_limit && r.limit)
    line += fmt::format("; at this rate it reaches {} in {}", format_value(double(*r.limit), r.metric),
                        core::format_duration(*r.seconds_to_limit));
  return line + "\n";
}

// The "first → last | delta" cells.
std::string change(const core::Report& r, int64_t first, int64_t last, int64_t delta) {
  return fmt::format("{} → {} | {}", format_value(double(first), r.metric),
                     format_value(double(last), r.metric), format_delta(double(delta), r.metric));
}

std::string table(const core::Report& r) {
  std::string out = "| # | verdict | site | location | first → last | delta | rate | trend |\n"
                    "|--:|---------|------|----------|-------------:|------:|-----:|-------|\n";
  for (const auto& row : r.sites) {
    std::string verdict(core::verdict_name(row.trend.verdict));
    if (row.trend.verdict == core::Verdict::Leak) verdict = "**" + verdict + "**";
    if (row.suppressed_by) verdict += " (suppressed)";
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", row.rank, verdict,
                       code(site_title(row, true)), code(site_location(row)),
                       change(r, row.first, row.last, row.delta), rate_cell(r, row),
                       sparkline(row.values));
  }
  if (r.others)
    out += fmt::format("| | | ({} other sites) | | {} | | {} |\n", r.site_count - r.sites.size(),
                       change(r, r.others->first, r.others->last, r.others->delta),
                       sparkline(r.others->values));
  std::vector<int64_t> totals;
  for (const auto& s : r.snapshots) totals.push_back(s.total);
  out += fmt::format("| | | **total** | | {} | {} | {} |\n",
                     change(r, r.total_first, r.total_last, r.total_delta),
                     r.total_rate_per_second ? core::format_rate(*r.total_rate_per_second, r.metric)
                                             : "",
                     sparkline(totals));
  return out;
}

std::string remarks(const core::Report& r) {
  std::string out;
  for (const auto& row : r.sites)
    if (!row.hint.empty())
      out += fmt::format("- #{} {}: {}\n", row.rank, code(site_title(row, true)), plain(row.hint));
  for (const auto& note : r.notes) out += "- note: " + plain(note) + "\n";
  for (const auto& w : r.warnings) out += "- warning: " + plain(w) + "\n";
  return out;
}

}  // namespace

std::string write_markdown(const core::Report& r, const WriteOptions& options) {
  std::string out = headline(r, options) + "\n";
  if (r.gate && !r.gate->violations.empty()) out += violations(*r.gate) + "\n";
  out += context(r) + "\n";
  if (!r.sites.empty() || r.others) out += table(r);
  const std::string more = remarks(r);
  if (!more.empty()) out += "\n" + more;
  return out;
}

}  // namespace memleak::formats
