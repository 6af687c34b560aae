#include <algorithm>
#include <cmath>
#include <array>

#include <fmt/format.h>

#include "core/units.h"
#include "formats/output/row_fields.h"
#include "formats/output/writers.h"
#include "formats/paths.h"

namespace memleak::formats {

std::string shorten_cxx_name(std::string_view name) {
  // Template arguments collapse to "<…>" (as heaptrack_print does with "<>"), keeping the
  // outermost level's brackets so the shape stays readable; "operator<" and "operator<<" are
  // left alone. Argument lists stay.
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    // "operator<", "operator<<", "operator<=": the '<'s belong to the operator's name.
    if (c == '<' && depth == 0 &&
        ((i >= 8 && name.substr(i - 8, 8) == "operator") ||
         (i >= 9 && name.substr(i - 9, 9) == "operator<"))) {
      out += c;
      continue;
    }
    if (c == '<') {
      if (depth == 0) out += "<…";
      ++depth;
      continue;
    }
    if (c == '>' && depth > 0) {
      --depth;
      if (depth == 0) out += '>';
      continue;
    }
    if (depth == 0) out += c;
  }
  return out;
}

std::string site_title(const core::SiteRow& row, bool shorten) {
  if (row.frames.empty()) return row.key.text();
  auto name = [&](const core::SiteFrame& f) {
    std::string n = core::display_function(f);
    return shorten ? shorten_cxx_name(n) : n;
  };
  // The program frame names the site; library frames on its leaf side say how it allocated:
  // "trade_log_append (via strdup)".
  const size_t main = *naming_frame_index(row);
  std::string title = name(row.frames[main]);
  if (main != 0) title += " (via " + name(row.frames.front()) + ")";
  if (row.path) title += " ← " + name(*row.path);
  if (row.other_callers) title += " (other callers)";
  return title;
}

std::string site_location(const core::SiteRow& row) {
  const auto f = naming_frame(row);
  if (!f) return "";
  if (f->file.empty()) return f->module.empty() ? "" : std::string(file_name(f->module));
  if (f->line == 0) return std::string(file_name(f->file));
  return fmt::format("{}:{}", file_name(f->file), f->line);
}

std::string percent_cell(const core::SiteRow& row) {
  const auto& p = row.delta_pct;
  if (!p) return row.last == 0 ? "" : "new";
  if (std::fabs(*p) >= 10000) return fmt::format("{:+.0e}%", *p);
  return fmt::format("{:+.0f}%", *p);
}

std::string rate_cell(const core::Report& r, const core::SiteRow& row) {
  if (row.rate_per_second) return core::format_rate(*row.rate_per_second, r.metric);
  if (r.snapshots.size() < 2) return "-";
  // Without times in seconds, growth per snapshot (or per the format's own time unit).
  if (r.time_unit == core::TimeUnit::None)
    return core::format_delta(row.trend.slope, r.metric) + "/snap";
  return core::format_delta(row.trend.slope * 1e6, r.metric) + "/M" +
         (r.time_unit == core::TimeUnit::Instructions ? "instr" : "B");
}

std::string p_value_cell(const core::SiteRow& row, size_t n) {
  if (n < 2) return "-";
  if (row.trend.p_value < 0.001) return "<0.001";
  return fmt::format("{:.3f}", row.trend.p_value);
}

std::string sparkline(const std::vector<int64_t>& values) {
  static constexpr std::array<std::string_view, 8> kBars = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty()) return "";
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  // At most kMaxSparkline bars: long series are sampled at evenly spaced snapshots, always
  // keeping the first and the last.
  constexpr size_t kMaxSparkline = 32;
  std::vector<int64_t> shown;
  if (values.size() <= kMaxSparkline) {
    shown = values;
  } else {
    for (size_t k = 0; k < kMaxSparkline; ++k)
      shown.push_back(values[k * (values.size() - 1) / (kMaxSparkline - 1)]);
  }
  std::string out;
  for (int64_t v : shown) {
    size_t level = 0;
    if (*hi != *lo) level = size_t(double(v - *lo) / double(*hi - *lo) * 7.0 + 0.5);
    out += kBars[std::min<size_t>(level, 7)];
  }
  return out;
}

}  // namespace memleak::formats
