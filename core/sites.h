// Sites: how a stack becomes an allocation site, and the aligned site x snapshot matrix.
//
// The default site (Granularity::Function) is the path from the allocation up to the first
// frame of the program's own code: allocator frames at the leaf are dropped, library and
// runtime frames are kept but do not end the site (core/frame_class.h). Sites are keyed by
// symbols only (function, file basename, line where the granularity asks for it; module and
// offset for unsymbolized frames), never by address, so that rebuilt binaries line up.
//
// Alignment reads any number of Profiles (in series order) and produces one SiteSeries per
// site with the values of every metric in every snapshot. Memory: sites x snapshots; frames
// are not copied but point into the profiles (core/frame_list.h), which must outlive the
// series and every report computed from it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "core/frame_list.h"
#include "core/model.h"
#include "core/site_key.h"

namespace memleak::core {

enum class Granularity : uint8_t {
  Function,  // the path up to the first program frame, by function
  Line,      // the same path, by function and line
  Stack,     // the whole stack, by function and line
};
std::optional<Granularity> parse_granularity(std::string_view text);
std::string_view granularity_name(Granularity g);

struct KeyPolicy {
  Granularity granularity = Granularity::Function;
  std::optional<std::regex> focus;   // keep only stacks with a frame whose function matches
  std::optional<std::regex> ignore;  // drop stacks with a frame whose function matches
  // The metric the series keep (SeriesValue): analyse() must be asked for the same one.
  Metric metric = Metric::LiveBytes;
  // The table the keys are made in; null: a new one for each align(). Alignments that share
  // one give equal keys equal ids (a pair of runs: the later run's own series and the pair's,
  // matched by analyse() with run_context).
  std::shared_ptr<KeyTable> keys;
};

// One site's values in one snapshot: the metric the series were aligned for and its partner
// in the other unit (bytes <-> objects: the sampling noise needs both; 0 for goroutines).
// Two of the five metrics, as the analysis reads no others: the ten slices of a 20M-event
// heaptrack trace hold 160 bytes a series instead of 400, 11 MB less at align's peak.
struct SeriesValue {
  int64_t value = 0;
  int64_t partner = 0;
  // (As Values::operator-=, clamped.)
  SeriesValue& operator-=(const SeriesValue& o) {
    value = clamped_add(value, -clamped_add(o.value, 0));
    partner = clamped_add(partner, -clamped_add(o.partner, 0));
    return *this;
  }
  friend bool operator==(const SeriesValue&, const SeriesValue&) = default;
};

// One site's values over the series.
struct SiteSeries {
  SiteKey key;                        // symbolic identity (stable across runs; site_key.h)
  FrameList frames;                   // the frames that identify the site, leaf first
  FrameList stack;                    // one representative full stack (the largest), leaf first
  std::vector<SeriesValue> values;    // one per snapshot of the series
  bool seen = false;                  // some snapshot's value, in any metric, is not 0
  // Paths beyond the site: the site's frames extended up to the next program frame. Filled
  // for the call-path drill-down (core/analyse.cpp) when there are two or more, sorted by
  // key; empty for one (it would be the site again), for stack granularity and for series
  // too short for a leak verdict.
  std::vector<SiteSeries> callers;
};

struct SeriesSnapshot {
  std::string source;  // input path
  std::string label;
  std::optional<double> time;
  TimeUnit time_unit = TimeUnit::None;
  Values total;        // the format's own total (massif mem_heap_B) or the sum of samples
};

struct AlignedSeries {
  std::vector<SeriesSnapshot> snapshots;
  // In order of first appearance (slices in order, each snapshot's samples in order): as
  // deterministic as sorting by key, which cost 0.07 s of a 400k-sample pprof pair (63k long
  // keys with long common prefixes). Reports never depend on it: analyse() ranks rows by a
  // total order that ends in the key.
  std::vector<SiteSeries> sites;
  MetricMask metrics;             // metrics every profile provides
  Metric metric = Metric::LiveBytes;  // SeriesValue::value (KeyPolicy::metric)
  std::optional<Metric> partner;      // SeriesValue::partner (partner_metric)
  TimeUnit time_unit = TimeUnit::None;
  int64_t sampling_period = 0;    // the largest of the profiles' (0 = exact)
  std::string kind;               // "heap", "goroutine", ...
  std::string format;
};

// The frames of a site for `stack` (leaf first) under `policy`: indices into `stack`.
// Exposed for tests.
std::vector<size_t> site_frame_indices(const Profile& profile, StackView stack,
                                       Granularity granularity);

// Some snapshots of one profile, in order (a profile's tables stay shared by its slices).
struct ProfileSlice {
  const Profile* profile;
  std::span<const Snapshot> snapshots;
};

// Called once a snapshot's samples are in the series: (slice index, snapshot index within
// the slice). A caller that owns the profiles may free those samples there, so that a long
// series never holds all of its samples and all of its series at once.
using SnapshotAligned = std::function<void(size_t slice, size_t snapshot)>;

// Aligns the snapshots of every slice, in order. `drill_depth` program frames beyond the
// site are kept as caller paths (0 = none).
AlignedSeries align(const std::vector<ProfileSlice>& slices, const KeyPolicy& policy,
                    int drill_depth = 1, const SnapshotAligned& aligned = {});
// Every snapshot of every profile.
AlignedSeries align(const std::vector<const Profile*>& profiles, const KeyPolicy& policy,
                    int drill_depth = 1);

SiteFrame resolve_frame(const Profile& profile, FrameId id);

}  // namespace memleak::core
