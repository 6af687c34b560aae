// Metrics: what a snapshot can measure per allocation site.
//
// Live bytes/objects and goroutine counts are levels (gauges): the state at one instant.
// Allocated bytes/objects are counters since the process started: they only grow, and their
// growth is the allocation rate, not a leak. The two kinds are never mixed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace memleak::core {

enum class Metric : uint8_t { LiveBytes, LiveObjects, AllocBytes, AllocObjects, Goroutines };
inline constexpr size_t kMetricCount = 5;

struct MetricInfo {
  Metric metric;
  std::string_view name;   // as used by --metric and in JSON ("live_bytes")
  std::string_view alias;  // pprof's sample type name ("inuse_space"), accepted by --metric
  std::string_view unit;   // "bytes" or "count"
  bool gauge;              // true: a level; false: a counter since start
};

const MetricInfo& metric_info(Metric m);
// The metric that counts the same objects as `m` in the other unit (bytes <-> objects);
// none for goroutines.
std::optional<Metric> partner_metric(Metric m);
// Accepts the name or the alias; nullopt for anything else.
std::optional<Metric> parse_metric(std::string_view text);

// A set of metrics (what an input really provides).
class MetricMask {
 public:
  constexpr MetricMask() = default;
  constexpr MetricMask& add(Metric m) { bits_ |= uint8_t(1u << uint8_t(m)); return *this; }
  constexpr bool has(Metric m) const { return bits_ & (1u << uint8_t(m)); }
  constexpr bool empty() const { return bits_ == 0; }
  friend constexpr bool operator==(MetricMask, MetricMask) = default;

 private:
  uint8_t bits_ = 0;
};

// Values are kept within +-kMaxValue (2^61): inputs are untrusted, and with this bound the
// difference of any two values, and the sum of a few, cannot overflow int64. Real heaps are
// nowhere near it (2^61 bytes = 2 EiB).
inline constexpr int64_t kMaxValue = int64_t(1) << 61;
// a + b, clamped to [-kMaxValue, kMaxValue].
constexpr int64_t clamped_add(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return a > 0 ? kMaxValue : -kMaxValue;
  return r > kMaxValue ? kMaxValue : r < -kMaxValue ? -kMaxValue : r;
}

// One value per metric; metrics the input lacks stay 0 (check the mask, not the value).
struct Values {
  std::array<int64_t, kMetricCount> v{};
  int64_t& operator[](Metric m) { return v[size_t(m)]; }
  int64_t operator[](Metric m) const { return v[size_t(m)]; }
  Values& operator+=(const Values& o) {
    for (size_t i = 0; i < kMetricCount; ++i) v[i] = clamped_add(v[i], clamped_add(o.v[i], 0));
    return *this;
  }
  Values& operator-=(const Values& o) {
    for (size_t i = 0; i < kMetricCount; ++i) v[i] = clamped_add(v[i], -clamped_add(o.v[i], 0));
    return *this;
  }
  bool is_zero() const {
    for (auto x : v) if (x != 0) return false;
    return true;
  }
};

}  // namespace memleak::core
