#include "formats/heaptrack/slicer.h"

#include <algorithm>

namespace memleak::formats::heaptrack {

Capture capture(const std::vector<core::Values>& sites, double ms, int64_t rss_pages) {
  Capture c;
  c.ms = ms;
  c.rss_pages = rss_pages;
  for (size_t i = 0; i < sites.size(); ++i)
    if (!sites[i].is_zero()) c.sites.emplace_back(static_cast<uint32_t>(i), sites[i]);
  return c;
}

Slicer::Slicer(int slices)
    : slices_(std::max(slices, 1)), max_points_(std::max<size_t>(2 * size_t(slices_), kMinGridPoints)) {}

Slicer::Slicer(int slices, uint64_t duration_ms) : Slicer(slices) {
  exact_ = true;
  duration_ms_ = duration_ms;
}

void Slicer::before_advance(Replay& replay, uint64_t next_ms) {
  if (exact_) {
    // Every cut before next_ms sees the state as it is now (events stamped <= the cut).
    bool first = true;
    while (next_cut_ < slices_ && cut_ms(next_cut_) < double(next_ms)) {
      Point p;
      p.ms = cut_ms(next_cut_++);
      p.rss_pages = replay.rss_pages;
      if (first) replay.take_changes(p.changes);
      first = false;
      points_.push_back(std::move(p));
    }
    return;
  }
  // Every grid time before next_ms sees the state as it is now; the replay's changes go to
  // the first, and changes a coarsening carried over go to the next point.
  bool first = true;
  while (next_ms_ < next_ms) {
    Point p;
    p.ms = double(next_ms_);
    p.rss_pages = replay.rss_pages;
    p.changes = std::move(pending_);
    pending_.clear();
    if (first) {
      replay.take_changes(p.changes);
      first = false;
    }
    stored_ += p.changes.size();
    points_.push_back(std::move(p));
    // A hostile clock near 2^64 must not wrap the grid around (an endless loop).
    if (__builtin_add_overflow(next_ms_, step_, &next_ms_)) next_ms_ = UINT64_MAX;
    if (points_.size() > max_points_ ||
        (points_.size() > 2 * size_t(slices_) && stored_ > kMaxStoredChanges))
      coarsen();
  }
}

void Slicer::coarsen() {
  // Keep the points at even multiples of the step; fold each dropped point's changes into
  // the kept point after it (or into pending_ when the last point is dropped).
  std::vector<Point> kept;
  kept.reserve(points_.size() / 2 + 1);
  Changes carry;
  for (auto& p : points_) {
    if ((uint64_t(p.ms) / step_) % 2 == 0) {
      merge_into(p.changes, std::move(carry), index_);
      carry.clear();
      kept.push_back(std::move(p));
    } else {
      merge_into(p.changes, std::move(carry), index_);
      carry = std::move(p.changes);
    }
  }
  pending_ = std::move(carry);
  points_ = std::move(kept);
  stored_ = pending_.size();
  for (const auto& p : points_) stored_ += p.changes.size();
  step_ = step_ > UINT64_MAX / 2 ? UINT64_MAX : step_ * 2;
  if (__builtin_add_overflow(points_.empty() ? 0 : uint64_t(points_.back().ms), step_, &next_ms_))
    next_ms_ = UINT64_MAX;
}

// `later` wins for sites in both: it holds the values at the later time. Entries of a list
// are applied in order, so a site listed twice in one list ends with its last values.
void Slicer::merge_into(Changes& later, Changes&& earlier, std::vector<uint32_t>& index) {
  if (earlier.empty()) return;
  if (later.empty()) {
    later = std::move(earlier);
    return;
  }
  for (size_t i = 0; i < later.size(); ++i) {
    const uint32_t site = later[i].first;
    if (index.size() <= site) index.resize(site + 1, 0);
    index[site] = uint32_t(i + 1);
  }
  for (auto& [site, values] : earlier)
    if (site >= index.size() || index[site] == 0) later.emplace_back(site, values);
  for (const auto& [site, values] : later)
    if (site < index.size()) index[site] = 0;
}

std::vector<Capture> Slicer::finish(Replay& replay, uint64_t end_ms) {
  std::vector<Capture> out;
  finish(replay, end_ms, [&](Capture&& c) { out.push_back(std::move(c)); });
  return out;
}

void Slicer::finish(Replay& replay, uint64_t end_ms,
                        const std::function<void(Capture&&)>& emit) {
  std::vector<core::Values> state(replay.sites().size());
  // Each point's changes are freed once applied: the slices being built take their place,
  // so the peak is about one copy of the run's changes, not two.
  auto apply = [&](Changes& changes) {
    for (const auto& [site, values] : changes) state[site] = values;
    Changes().swap(changes);
  };
  // Cuts the clock never passed see the end state (every event is stamped before them).
  if (exact_) before_advance(replay, UINT64_MAX);
  size_t next_point = 0;
  for (int k = 1; k < slices_; ++k) {
    const double target = double(end_ms) * k / slices_;
    // The last grid point at or before the target.
    while (next_point < points_.size() && points_[next_point].ms <= target)
      apply(points_[next_point++].changes);
    if (next_point == 0) {  // the clock never moved: every event is stamped at the start
      emit(capture(replay.sites(), target, replay.rss_pages));
      continue;
    }
    const double at = points_[next_point - 1].ms;
    const int64_t rss = points_[next_point - 1].rss_pages;
    // While the step is 1 ms the grid holds every whole ms: the state at the target itself
    // (and exact cuts are at the targets).
    const double ms = exact_ || step_ == 1 ? target : at;
    emit(capture(state, ms, rss));
  }
  emit(capture(replay.sites(), double(end_ms), replay.rss_pages));
}

}  // namespace memleak::formats::heaptrack
