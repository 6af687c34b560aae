// Cutting a heaptrack run into time slices while its events are replayed once.
//
// Slice k of N is the state at k*T/N, T the run's duration (its last `c` line). When T is
// known before the replay (a regular file: a quick scan of its `c` lines), the slicer records
// the state exactly at those times. When it is not (standard input, a FIFO), the state is
// recorded on a grid of times that coarsens as the run goes on: one point every `step` ms
// (from 0, at the clock's 1 ms); when more than max(2N, kMinGridPoints) points exist, or
// more than 2N points hold more than kMaxStoredChanges changes between them, every other
// point is dropped and the step doubles; slice k is then the last grid point at or before
// k*T/N (exactly it for runs shorter than kMinGridPoints ms, up to one step before it for
// longer ones; its time says when it is).
//
// Either way a point stores only the sites that changed since the point before it (the
// replay tracks them), so recording costs O(changes), not O(sites) per point, and the slices
// are rebuilt one at a time at the end.
//
// Memory: N points of changed sites with a known duration; about kMaxStoredChanges changes,
// or 2N+1 points of at most every site each, on the grid.
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

class Slicer final : public ClockObserver {
 public:
  // The duration is not known: a coarsening grid.
  explicit Slicer(int slices);
  // The run lasts `duration_ms`: points exactly at k*duration/N.
  Slicer(int slices, uint64_t duration_ms);
  // Needs a Replay constructed with track_changes.
  void before_advance(Replay& replay, uint64_t next_ms) override;
  // After the last event: the N slices in order, the last one the end of the run at
  // `end_ms`, handed to `emit` one at a time (so that only one is held at once).
  void finish(Replay& replay, uint64_t end_ms, const std::function<void(Capture&&)>& emit);
  std::vector<Capture> finish(Replay& replay, uint64_t end_ms);

 private:
  using Changes = std::vector<std::pair<uint32_t, core::Values>>;
  struct Point {
    double ms = 0;
    Changes changes;  // sites changed since the previous point, with their values at ms
    int64_t rss_pages = -1;
  };
  void coarsen();
  static void merge_into(Changes& later, Changes&& earlier, std::vector<uint32_t>& index);

  double cut_ms(int k) const { return double(duration_ms_) * k / slices_; }

  int slices_;
  bool exact_ = false;     // the duration is known: points at the cut times
  uint64_t duration_ms_ = 0;
  int next_cut_ = 1;       // exact: the next cut's k
  size_t max_points_;
  uint64_t step_ = 1;
  uint64_t next_ms_ = 0;  // the next grid time (0: events stamped at the start count too)
  std::vector<Point> points_;
  size_t stored_ = 0;       // changes held by points_ and pending_
  Changes pending_;        // changes of dropped points not yet folded into a later one
  std::vector<uint32_t> index_;  // scratch for merge_into: site -> position + 1
};

}  // namespace memleak::formats::heaptrack
