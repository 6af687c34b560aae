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

// The last input's own run (a massif file or a heaptrack trace compared as one point of a
// pair), for analyse(): what the analysis of its own series said of each site, without the
// rows (a report's rows were most of a pair's memory at its peak: 27 MB for the 42k sites of
// a 20M-event trace). A drill-down row of the run stands for its site: that site was split
// into caller paths and has no row of its own in the run, while the pair (too short for the
// drill-down) has one; the site leaked in the run if a caller path of it did (the leak behind
// a shared helper that the drill-down is for), and the first such path in rank order (the
// largest) is named.
class RunContext {
 public:
  explicit RunContext(const Report& run);

  struct Site {
    SiteKey key;       // the run row's key (it keeps its KeyTable alive)
    bool caller_path;  // a leaking caller path's key: its site part names the site
    Verdict verdict;
    std::string through;   // the leaking caller path's frame, for a site the drill-down split
  };
  const std::vector<Site>& sites() const { return sites_; }

 private:
  std::vector<Site> sites_;
};

// Every site is ranked and kept (a gate looks at every site; keep_top trims for display).
// With `run_context`, sites whose trend inside the last run is a leak rank right after the
// leaks, and every row notes its in-run verdict. A pair alone cannot tell a leak from a burst
// that was live at the later snapshot; the run can.
// Throws UsageError when --skip leaves fewer than two snapshots.
Report analyse(const AlignedSeries& series, const AnalysisOptions& options,
               const RunContext* run_context = nullptr);

// Keeps the top `top` rows (0 = all) and sums the rest into report.others, so that the shown
// rows plus others add up to the total in every snapshot. Returns the rows it took out, for
// the caller to free when it likes (cli/teardown.h).
[[nodiscard]] std::vector<SiteRow> keep_top(Report& report, size_t top);

}  // namespace memleak::core
