#include "core/units.h"

#include <array>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace memleak::core {

std::string format_bytes(double bytes) {
  static constexpr std::array<std::string_view, 5> kUnits = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  // Pick the unit after rounding to the printed precision, so that 1048575 B is "1.0 MiB",
  // not "1024.0 KiB".
  const double a = std::fabs(bytes);
  if (std::round(a) < 1024) return fmt::format("{:.0f} B", bytes);
  double v = bytes / 1024;
  size_t u = 0;
  while (std::round(std::fabs(v) * 10) / 10 >= 1024 && u + 1 < kUnits.size()) {
    v /= 1024;
    ++u;
  }
  return fmt::format("{:.1f} {}", v, kUnits[u]);
}

std::string format_count(double count) {
  const double a = std::fabs(count);
  if (a < 10000) return fmt::format("{:.0f}", count);
  if (a < 10e6) return fmt::format("{:.1f}k", count / 1e3);
  if (a < 10e9) return fmt::format("{:.1f}M", count / 1e6);
  return fmt::format("{:.1f}G", count / 1e9);
}

std::string format_value(double value, Metric metric) {
  return metric_info(metric).unit == "bytes" ? format_bytes(value) : format_count(value);
}

std::string format_delta(double value, Metric metric) {
  return (value > 0 ? "+" : "") + format_value(value, metric);
}

std::string format_duration(double s) {
  // Each unit is kept while the value rounds below the next unit's threshold.
  if (std::round(s * 1000) < 1000) return fmt::format("{:.0f}ms", s * 1000);
  if (std::round(s * 10) / 10 < 120) return fmt::format("{:.1f}s", s);
  if (std::round(s / 6) / 10 < 120) return fmt::format("{:.1f}min", s / 60);
  if (std::round(s / 360) / 10 < 48) return fmt::format("{:.1f}h", s / 3600);
  return fmt::format("{:.1f}d", s / 86400);
}

std::string format_rate(double per_second, Metric metric) {
  const double a = std::fabs(per_second);
  if (a >= 10) return format_value(per_second, metric) + "/s";
  if (a * 60 >= 10) return format_value(per_second * 60, metric) + "/min";
  return format_value(per_second * 3600, metric) + "/h";
}

namespace {

struct UnitFactor {
  std::string_view suffix;
  double factor;
};

std::optional<double> parse_with_units(std::string_view text, const UnitFactor* units, size_t n,
                                       double bare) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || !std::isfinite(v)) return std::nullopt;
  std::string_view rest(p, size_t(text.data() + text.size() - p));
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) return v * bare;
  for (size_t i = 0; i < n; ++i)
    if (rest == units[i].suffix) return v * units[i].factor;
  return std::nullopt;
}

}  // namespace

std::optional<double> parse_size(std::string_view text) {
  static constexpr UnitFactor kUnits[] = {
      {"B", 1},          {"K", 1024},        {"KiB", 1024},      {"k", 1024},
      {"KB", 1e3},       {"kB", 1e3},        {"M", 1048576.0},   {"MiB", 1048576.0},
      {"MB", 1e6},       {"G", 1073741824.0}, {"GiB", 1073741824.0}, {"GB", 1e9},
      {"T", 1099511627776.0}, {"TiB", 1099511627776.0}, {"TB", 1e12},
  };
  return parse_with_units(text, kUnits, std::size(kUnits), 1);
}

std::optional<double> parse_duration(std::string_view text) {
  static constexpr UnitFactor kUnits[] = {
      {"ms", 1e-3}, {"s", 1}, {"sec", 1}, {"m", 60}, {"min", 60}, {"h", 3600}, {"d", 86400},
  };
  auto v = parse_with_units(text, kUnits, std::size(kUnits), 1);
  if (v && *v < 0) return std::nullopt;
  return v;
}

}  // namespace memleak::core
