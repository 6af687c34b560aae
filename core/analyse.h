// Analysis: from an aligned series to a ranked Report.
//
// Per site: the chosen metric's values over the kept snapshots, trend statistics and a verdict
// (core/verdict.h) against the sampling noise floor; a call-path drill-down that splits a site
// into its leaking caller paths when they, not the site as a whole, carry the leak; cause
// hints; then the ranking: sites with verdict leak first, by fitted growth (absolute size),
// then every other site by first-to-last growth; ties by the last value, then by key, so the
// order is total.
#pragma once

#include <cstddef>
#include <optional>

#include "core/report.h"
#include "core/sites.h"

namespace memleak::core {

struct AnalysisOptions {
  Metric metric = Metric::LiveBytes;
  size_t skip = 0;                 // warm-up snapshots to drop
  std::optional<int64_t> limit;    // --limit: project when the total reaches it
  bool drilldown = true;
  Granularity granularity = Granularity::Function;
  size_t threads = 0;  // sites are analysed on this many threads (0 = the hardware's, up to 8);
                       // the report is the same for any number
};

// Every site is ranked and kept (a gate looks at every site; keep_top trims for display).
// `run_context`, when given, is the analysis of the last input's own series (a massif file or
// a heaptrack trace compared as one point of a pair): sites whose trend inside that run is a
// leak rank right after the leaks, and every row notes its in-run verdict. A pair alone cannot
// tell a leak from a burst that was live at the later snapshot; the run can.
// Throws UsageError when --skip leaves fewer than two snapshots.
Report analyse(const AlignedSeries& series, const AnalysisOptions& options,
               const Report* run_context = nullptr);

// Keeps the top `top` rows (0 = all) and sums the rest into report.others, so that the shown
// rows plus others add up to the total in every snapshot. Returns the rows it took out, for
// the caller to free when it likes (cli/teardown.h).
[[nodiscard]] std::vector<SiteRow> keep_top(Report& report, size_t top);

}  // namespace memleak::core
