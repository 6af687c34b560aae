#include "core/metrics.h"

namespace memleak::core {

namespace {
constexpr std::array<MetricInfo, kMetricCount> kMetrics = {{
    {Metric::LiveBytes, "live_bytes", "inuse_space", "bytes", true},
    {Metric::LiveObjects, "live_objects", "inuse_objects", "count", true},
    {Metric::AllocBytes, "alloc_bytes", "alloc_space", "bytes", false},
    {Metric::AllocObjects, "alloc_objects", "alloc_objects", "count", false},
    {Metric::Goroutines, "goroutines", "goroutine", "count", true},
}};
}  // namespace

const MetricInfo& metric_info(Metric m) { return kMetrics[size_t(m)]; }

std::optional<Metric> parse_metric(std::string_view text) {
  for (const auto& info : kMetrics)
    if (text == info.name || text == info.alias) return info.metric;
  return std::nullopt;
}

std::optional<Metric> partner_metric(Metric m) {
  switch (m) {
    case Metric::LiveBytes: return Metric::LiveObjects;
    case Metric::LiveObjects: return Metric::LiveBytes;
    case Metric::AllocBytes: return Metric::AllocObjects;
    case Metric::AllocObjects: return Metric::AllocBytes;
    case Metric::Goroutines: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace memleak::core
