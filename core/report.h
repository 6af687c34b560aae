// Report: everything a writer needs, computed once. Writers never compute (DESIGN.md §8):
// they only render a Report. Rows' frames point into the profiles the report was computed
// from (core/frame_list.h): those must outlive the report, which `inputs` can guarantee. Sites are ranked (rank 1 = most suspicious); `sites` holds the
// top N and `others` sums the rest, so that shown rows plus others add up to the total in
// every snapshot.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "core/sites.h"
#include "core/verdict.h"

namespace memleak::core {

struct SiteRow {
  size_t rank = 0;
  SiteKey key;  // the site's identity (core/site_key.h)
  FrameList frames;  // identify the site, leaf first (for drill-down rows: the whole path up
                     // to the distinguishing caller); points into the input profiles
  FrameList stack;   // one representative full stack, leaf first
  std::vector<int64_t> values;    // one per snapshot
  int64_t first = 0, last = 0, delta = 0;
  std::optional<double> delta_pct;       // null when first == 0
  Trend trend;
  std::optional<double> rate_per_second;  // null without times in seconds
  double share = 0;               // delta / sum of positive deltas over all sites
  std::string hint;               // cause hint (core/hints.h), "" when none applies
  // Drill-down: the caller frame that distinguishes this row; null for most rows (shared, not
  // an optional: 16 bytes instead of 128 in every row, and a large diff has 60k+ rows).
  std::shared_ptr<const SiteFrame> path;
  bool other_callers = false;     // drill-down remainder: the site's non-leaking callers
  std::string blocking;           // goroutine profiles: the blocking operation
  std::string goroutine_function; // goroutine profiles: the function the goroutine runs
  std::optional<std::string> suppressed_by;  // a suppression rule that matched (check)
  std::optional<Verdict> run_verdict;  // pairs of series inputs: the verdict inside the last run
};

struct ReportSnapshot {
  size_t index = 0;
  std::string source;
  std::string label;
  std::optional<double> time;
  int64_t total = 0;  // of the chosen metric: the sum of all sites
};

struct GateViolation {
  std::string rule;      // "max-growth", "fail-on", ...
  std::string measured;  // human readable
  std::string limit;
  std::string site;      // the site concerned, "" for whole-series rules
  std::string message;   // one sentence for people: "--max-growth 10%: measured +2.0 MiB ..."
  size_t rank = 0;       // the row it is about (a per-site rule: the site's first row), 0 if none
};

struct GateResult {
  bool passed = true;
  std::vector<std::string> rules;  // every rule that was checked, as given
  std::vector<GateViolation> violations;
};

struct Report {
  Metric metric = Metric::LiveBytes;
  std::string kind;    // "heap", "goroutine", ...
  std::string format;  // reader name
  Granularity granularity = Granularity::Function;
  TimeUnit time_unit = TimeUnit::None;
  std::vector<ReportSnapshot> snapshots;
  size_t skipped = 0;        // warm-up snapshots dropped by --skip
  int64_t total_first = 0, total_last = 0, total_delta = 0;
  Trend total_trend;         // of the total (no noise floor)
  std::optional<double> total_rate_per_second;  // null without times in seconds
  size_t site_count = 0;     // all sites, before top N
  size_t leak_count = 0;
  std::vector<SiteRow> sites;           // ranked, top N
  std::optional<SiteRow> others;        // the rest, summed (absent when nothing is left)
  std::optional<int64_t> limit;         // --limit
  std::optional<double> seconds_to_limit;  // projection at the current leak rate
  double leak_rate_per_second = 0;      // sum over leak rows
  bool run_context = false;             // rows carry run_verdict (see core::analyse)
  std::vector<std::string> notes;       // plain-language remarks ("a trend needs ...")
  std::vector<std::string> warnings;    // from readers and analysis
  std::optional<GateResult> gate;
  // The profiles the rows' frames point into, when the caller hands their ownership to the
  // report (the cli does); empty when the caller keeps them alive itself.
  std::vector<std::shared_ptr<const Profile>> inputs;
};

}  // namespace memleak::core
