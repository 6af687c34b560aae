// The CSV report: one row per shown site, then "(others)" and "(total)", for spreadsheets and
// scripts. Columns are fixed (a script can address them by name):
//   rank, verdict, function, file, line, first, last, delta, delta_pct, rate_per_second,
//   p_value, share, hint, suppressed_by, site, v0 .. v{N-1}
// `function`, `file` and `line` are the site's naming frame (its first program frame); `site`
// is every frame that identifies the site, leaf first, joined by " ← " (then the drill-down
// caller, and " (other callers)" for a drill-down remainder): it tells apart rows that share
// a naming frame, which `function` alone cannot; v0..
// are the values in each snapshot, in series order (the labels are in the JSON report: they
// are file names, and a column name must not change with the input). The others and total
// rows have an empty rank and verdict and "(others)" / "(total)" as function; columns that do
// not apply to a row are empty, as are null numbers. Floats have 6 significant digits, like
// the JSON report. Fields are quoted per RFC 4180 (a field holding a comma, a double quote,
// CR or LF is enclosed in double quotes, its quotes doubled); lines end in LF.
#include <fmt/format.h>

#include "formats/output/row_fields.h"
#include "formats/output/writers.h"

namespace memleak::formats {

namespace {

std::string field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

void append_line(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += field(cells[i]);
  }
  out += '\n';
}

std::vector<std::string> header(const core::Report& r) {
  std::vector<std::string> h = {"rank",      "verdict",         "function", "file",
                                "line",      "first",           "last",     "delta",
                                "delta_pct", "rate_per_second", "p_value",  "share",
                                "hint",      "suppressed_by",   "site"};
  for (size_t i = 0; i < r.snapshots.size(); ++i) h.push_back(fmt::format("v{}", i));
  return h;
}

// rank .. site for a site row.
std::vector<std::string> site_cells(const core::SiteRow& row) {
  const auto f = naming_frame(row);
  return {std::to_string(row.rank),
          std::string(core::verdict_name(row.trend.verdict)),
          f ? core::display_function(*f) : row.key.text(),
          f ? f->file : "",
          f && f->line ? std::to_string(f->line) : "",
          std::to_string(row.first),
          std::to_string(row.last),
          std::to_string(row.delta),
          format_real(row.delta_pct),
          format_real(row.rate_per_second),
          format_real(row.trend.p_value),
          format_real(row.share),
          row.hint,
          row.suppressed_by.value_or(""),
          site_path(row)};
}

// The same columns for the others and total rows: only the sums apply.
std::vector<std::string> sum_cells(std::string_view name, int64_t first, int64_t last,
                                   int64_t delta, std::optional<double> delta_pct,
                                   std::optional<double> rate) {
  return {"", "", std::string(name), "", "", std::to_string(first), std::to_string(last),
          std::to_string(delta), format_real(delta_pct), format_real(rate), "", "", "", "", ""};
}

void append_values(std::vector<std::string>& cells, const std::vector<int64_t>& values) {
  for (const int64_t v : values) cells.push_back(std::to_string(v));
}

}  // namespace

// A line at a time into the sink: a report of every site of a large input is tens of MB.
void write_csv(const core::Report& r, const WriteOptions&, ByteSink& sink) {
  std::string out;
  append_line(out, header(r));
  for (const auto& row : r.sites) {
    sink.write(out);
    out.clear();
    auto cells = site_cells(row);
    append_values(cells, row.values);
    append_line(out, cells);
  }
  if (r.others) {
    auto cells = sum_cells("(others)", r.others->first, r.others->last, r.others->delta,
                           r.others->delta_pct, std::nullopt);
    append_values(cells, r.others->values);
    append_line(out, cells);
  }
  auto total = sum_cells("(total)", r.total_first, r.total_last, r.total_delta, std::nullopt,
                         r.total_rate_per_second);
  for (const auto& s : r.snapshots) total.push_back(std::to_string(s.total));
  append_line(out, total);
  sink.write(out);
}

std::string write_csv(const core::Report& r, const WriteOptions& options) {
  return write_to_string(write_csv, r, options);
}

}  // namespace memleak::formats
