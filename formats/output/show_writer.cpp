#include "formats/output/show_writer.h"

#include <fmt/format.h>

#include "core/units.h"
#include "formats/output/writers.h"
#include "formats/reader.h"

namespace memleak::formats {

std::string write_show_header(const core::Profile& p, core::Metric metric) {
  std::string out;
  out += fmt::format("{}: {} {} profile\n", p.path, p.format, p.kind);
  if (!p.command.empty()) out += fmt::format("  command: {}\n", p.command);
  std::string metrics;
  for (size_t m = 0; m < core::kMetricCount; ++m)
    if (p.metrics.has(core::Metric(m)))
      metrics += (metrics.empty() ? "" : ", ") + std::string(core::metric_info(core::Metric(m)).name);
  out += fmt::format("  metrics: {} (default {})\n", metrics.empty() ? "none" : metrics,
                     core::metric_info(p.default_metric).name);
  if (!p.sample_types.empty()) {
    std::string types;
    for (const auto& t : p.sample_types) types += (types.empty() ? "" : ", ") + t;
    out += fmt::format("  sample types: {}\n", types);
  }
  if (p.sampling_period > 1)
    out += fmt::format("  sampled: one sample per {} allocated on average\n",
                       core::format_bytes(double(p.sampling_period)));
  out += fmt::format("  time unit: {}\n", core::time_unit_name(p.time_unit));
  out += fmt::format("  snapshots: {}\n", p.snapshots.size());
  for (const auto& s : p.snapshots) {
    std::string line = fmt::format("    {:<28}", s.label);
    if (s.time) line += fmt::format(" t={:<12.6g}", *s.time);
    line += fmt::format(" {} {}", core::metric_info(metric).name,
                        core::format_value(double(s.total[metric]), metric));
    if (s.is_peak) line += " (peak)";
    for (const auto& [name, value] : s.extras) line += fmt::format(" {}={}", name, value);
    out += line + '\n';
  }
  for (const auto& w : p.warnings) out += "  warning: " + w + '\n';
  return out;
}

std::string write_show_sites(const core::Report& r) {
  std::string out;
  if (r.snapshots.empty()) return out;
  out += fmt::format("\nTop sites by {} in {}:\n", core::metric_info(r.metric).name,
                     r.snapshots.back().label);
  const double total = double(r.total_last);
  for (const auto& row : r.sites) {
    const double share = total != 0 ? 100.0 * double(row.last) / total : 0;
    out += fmt::format("{:>5} {:>12} {:>6.1f}%  {}  {}\n", row.rank,
                       core::format_value(double(row.last), r.metric), share,
                       site_title(row, true), site_location(row));
  }
  if (r.others)
    out += fmt::format("{:>5} {:>12} {:>6.1f}%  ({} other sites)\n", "",
                       core::format_value(double(r.others->last), r.metric),
                       total != 0 ? 100.0 * double(r.others->last) / total : 0,
                       r.site_count - r.sites.size());
  out += fmt::format("{:>5} {:>12} {:>6.1f}%  total\n", "", core::format_value(total, r.metric), 100.0);
  return out;
}

std::string write_formats_table() {
  std::string out = "Input formats (detected from content; --input-format NAME forces one):\n";
  for (const auto& r : readers()) out += fmt::format("  {:<12} {}\n", r.name, r.description);
  out += "\nOutput formats (--format NAME, --output NAME=PATH):\n";
  for (const auto& w : writers()) out += fmt::format("  {:<12} {}\n", w.name, w.description);
  return out;
}

}  // namespace memleak::formats
