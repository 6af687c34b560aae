// Units: human-readable sizes, counts, durations and rates, and their parsers.
//
// Sizes print in binary units with one decimal ("1.5 MiB", "512 B", "-3.0 KiB"); they parse
// from an integer or decimal followed by an optional unit: B, K/KB/KiB, M/MB/MiB, G/GB/GiB,
// T/TB/TiB (K and KiB are 1024; KB is 1000, as the SI prefix says). Durations parse from
// "500ms", "30s", "5m", "2h", "1d" (a bare number is seconds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/metrics.h"

namespace memleak::core {

std::string format_bytes(double bytes);
std::string format_count(double count);
// Bytes for byte metrics, counts otherwise.
std::string format_value(double value, Metric metric);
// "+1.5 MiB" / "-3 objects": with an explicit sign.
std::string format_delta(double value, Metric metric);
std::string format_duration(double seconds);
// A rate in the most readable of per second / minute / hour ("1.2 MiB/h").
std::string format_rate(double per_second, Metric metric);

std::optional<double> parse_size(std::string_view text);
std::optional<double> parse_duration(std::string_view text);

}  // namespace memleak::core
