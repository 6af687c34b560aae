// Cutting a heaptrack run into time slices in one pass.
//
// The run's duration is known only at its last `c` line, so the slice times k*T/N cannot be
// known while the events go by. Reading the trace twice (the first time for T) doubled the
// cost of the reader, and needed a spool file for stdin. Instead the state is recorded on a
// grid of times that coarsens as the run goes on: one point every `step` ms (starting at the
// clock's 1 ms); when more than max(2N, kMinGridPoints) points exist, or more than 2N points
// hold more than kMaxStoredChanges changes between them, every other point is dropped and the
// step doubles. A slice is then at most one step before its ideal time (T/512 for the default
// N and a small trace, at most T/N for a large one), and exactly at it for runs shorter than
// kMinGridPoints ms. A point stores only the sites that changed since the point before it
// (the replay tracks them), so recording costs O(changes), not O(sites) per point. At the end, slice k < N
// is the last grid point at or before k*T/N (exactly the state at k*T/N while the step is
// still 1 ms, since event times are whole ms), and slice N is the end of the run.
//
// Memory: about kMaxStoredChanges changes, or 2N+1 points of at most every site each.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "core/metrics.h"
#include "formats/heaptrack/heaptrack_trace.h"

namespace memleak::formats::heaptrack {

// The state of the run at one time: the sites with any non-zero value.
struct Capture {
  std::vector<std::pair<uint32_t, core::Values>> sites;
  double ms = 0;
  int64_t rss_pages = -1;
};

Capture capture(const std::vector<core::Values>& sites, double ms, int64_t rss_pages);

inline constexpr size_t kMinGridPoints = 1024;
inline constexpr size_t kMaxStoredChanges = size_t(1) << 18;  // 12 MiB of (site, values)

class GridSlicer final : public ClockObserver {
 public:
  explicit GridSlicer(int slices);
  // Needs a Replay constructed with track_changes.
  void before_advance(Replay& replay, uint64_t next_ms) override;
  // After the last event: the N slices in order, the last one the end of the run at
  // `end_ms`, handed to `emit` one at a time (so that only one is held at once).
  void finish(Replay& replay, uint64_t end_ms, const std::function<void(Capture&&)>& emit);
  std::vector<Capture> finish(Replay& replay, uint64_t end_ms);

 private:
  using Changes = std::vector<std::pair<uint32_t, core::Values>>;
  struct Point {
    uint64_t ms = 0;
    Changes changes;  // sites changed since the previous point, with their values at ms
    int64_t rss_pages = -1;
  };
  void coarsen();
  static void merge_into(Changes& later, Changes&& earlier, std::vector<uint32_t>& index);

  int slices_;
  size_t max_points_;
  uint64_t step_ = 1;
  uint64_t next_ms_ = 1;  // the next grid time
  std::vector<Point> points_;
  size_t stored_ = 0;       // changes held by points_ and pending_
  Changes pending_;        // changes of dropped points not yet folded into a later one
  std::vector<uint32_t> index_;  // scratch for merge_into: site -> position + 1
};

}  // namespace memleak::formats::heaptrack
