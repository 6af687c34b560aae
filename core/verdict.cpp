#include "core/verdict.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/trend.h"

namespace memleak::core {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Leak: return "leak";
    case Verdict::Growing: return "growing";
    case Verdict::Plateau: return "plateau";
    case Verdict::Burst: return "burst";
    case Verdict::Stable: return "stable";
    case Verdict::Shrinking: return "shrinking";
  }
  return "stable";
}

double sample_weight(double object_size, double period) {
  if (period <= 1 || object_size <= 0) return 0;
  return object_size / -std::expm1(-object_size / period);
}

double sampling_sigma(double value, double weight) {
  if (weight <= 0) return 0;
  return std::sqrt(std::max(std::fabs(value), weight) * weight);
}

double sign_test_upper(int ups, int downs) {
  const int n = ups + downs;
  if (n <= 0) return 1;
  // Sum of C(n, k) / 2^n for k >= ups, in doubles (n is a number of snapshots: small).
  double p = 0, c = 1;  // c = C(n, k)
  for (int k = 0; k <= n; ++k) {
    if (k >= ups) p += c;
    c = c * double(n - k) / double(k + 1);
  }
  return p / std::pow(2.0, n);
}

namespace {

std::string fmt_p(double p) { return p < 0.001 ? "p<0.001" : fmt::format("p={:.3f}", p); }

// What the recent half (tx, ty) grew at its robust pace: the Theil-Sen slope over its span.
double recent_growth(std::span<const double> tx, std::span<const double> ty) {
  return theil_sen_slope(tx, ty) * (tx.back() - tx.front());
}

// A series that is not above its first value, yet rises: a robust upward slope whose fitted
// growth is above the noise floor and not small next to the heap, a significant Mann-Kendall
// trend over enough snapshots, and the recent half still rising at its pace (not levelled
// off). Sets t.tail_growth when it is.
bool rising_after_peak(Trend& t, const TrendInput& in, const MannKendall& mk, double floor,
                       std::span<const double> tx, std::span<const double> ty,
                       double expected_tail) {
  const size_t n = in.y.size();
  if (n < size_t(kMinLeakSnapshots) || t.slope <= 0 || mk.p_increasing >= kLeakP) return false;
  if (t.fitted_growth <= floor || t.fitted_growth < kMinShareOfHeap * in.heap_scale) return false;
  const double tail_growth = recent_growth(tx, ty);
  if (tail_growth <= floor || tail_growth <= kPlateauTailRatio * expected_tail) return false;
  t.tail_growth = tail_growth;
  return true;
}

}  // namespace

Trend analyse_trend(const TrendInput& in) {
  Trend t;
  const size_t n = in.y.size();
  if (n == 0) return t;
  t.first = in.y.front();
  t.last = in.y.back();
  t.delta = t.last - t.first;
  t.min = *std::min_element(in.y.begin(), in.y.end());
  t.max = *std::max_element(in.y.begin(), in.y.end());
  if (n < 2) {
    t.reason = "one snapshot: nothing to compare";
    return t;
  }
  t.slope = theil_sen_slope(in.x, in.y);
  {
    std::vector<double> residual;
    residual.reserve(n);
    for (size_t i = 0; i < n; ++i) residual.push_back(in.y[i] - t.slope * in.x[i]);
    t.intercept = median(std::move(residual));
  }
  const double window = in.x.back() - in.x.front();
  t.fitted_growth = t.slope * window;
  const auto mk = mann_kendall(in.y);
  t.mk_s = mk.s;
  if (!in.sigma.empty())
    t.noise = std::sqrt(in.sigma.front() * in.sigma.front() + in.sigma.back() * in.sigma.back());
  const double floor = kNoiseZ * t.noise;
  const double range = t.max - t.min;

  // The recent half: at least 3 points, and the point where it starts shared with the rest.
  const size_t tail_n = std::min(n, std::max<size_t>(3, n / 2 + 1));
  const size_t tail_from = n - tail_n;
  const std::span<const double> tx(in.x.data() + tail_from, tail_n);
  const std::span<const double> ty(in.y.data() + tail_from, tail_n);
  // What the recent half should add if growth went on at its pace: the larger of the robust
  // slope's and the average first-to-last rate's share. A cache that jumped early and now
  // creeps has a small robust slope but a large average rate, and is a plateau.
  const double tail_window = in.x.back() - in.x[tail_from];
  const double expected_tail =
      std::max(t.slope * tail_window, window > 0 ? (t.last - t.first) * tail_window / window : 0.0);

  const double step_floor = in.step_weight / 2;
  for (size_t i = 1; i < n; ++i) {
    const double step = in.y[i] - in.y[i - 1];
    t.steps_up += step >= step_floor && step > 0;
    t.steps_down += step <= -step_floor && step < 0;
  }
  const bool staircase = in.step_weight > 0 && t.delta > t.noise &&
                         sign_test_upper(t.steps_up, t.steps_down) < kStaircaseP;
  const bool grew = (t.delta > floor || staircase) && t.delta > 0;
  const bool fell = t.delta < -floor && t.delta < 0 && t.slope <= 0;
  const double peak_excess = t.max - std::max(t.first, t.last);
  const bool burst = peak_excess > floor && peak_excess > 0.5 * range && range > 0 &&
                     t.max > t.first && t.max > t.last;

  if (grew) {
    // Only growth needs the recent half's pace (plateau or not): a second Theil-Sen.
    t.tail_growth = recent_growth(tx, ty);
    t.p_value = mk.p_increasing;
    // Small growth next to the heap must show an unambiguous trend (see verdict.h).
    const bool material = t.delta >= kMaterialShareOfHeap * in.heap_scale;
    const double p_needed = material ? kLeakP : kStrictLeakP;
    const bool significant = n >= size_t(kMinLeakSnapshots) && mk.p_increasing < p_needed;
    const bool large = (t.fitted_growth > floor || staircase) && t.fitted_growth > 0 &&
                       t.delta >= kMinShareOfHeap * in.heap_scale;
    const bool plateau = t.tail_growth <= kPlateauTailRatio * expected_tail ||
                         (floor > 0 && !staircase && t.tail_growth <= floor / 2);
    const bool near_top = t.last >= t.max - 0.25 * range;
    double rises = 0, largest_rise = 0;
    for (size_t i = 1; i < n; ++i) {
      const double step = in.y[i] - in.y[i - 1];
      if (step <= 0) continue;
      rises += step;
      largest_rise = std::max(largest_rise, step);
    }
    const bool one_step = rises > 0 && largest_rise > kMaxStepShare * rises;
    // The one step is the last: nothing has had time to level off or to stay.
    // (With fewer snapshots than a trend needs, that is the reason given.)
    const bool jumped_last = n >= size_t(kMinLeakSnapshots) && one_step &&
                             in.y[n - 1] - in.y[n - 2] == largest_rise;
    if (significant && large && !plateau && near_top && !one_step) {
      t.verdict = Verdict::Leak;
      size_t ups = 0;
      for (size_t i = 1; i < n; ++i) ups += in.y[i] > in.y[i - 1];
      t.reason = fmt::format("sustained growth: up in {} of {} steps, {}", ups, n - 1,
                             fmt_p(mk.p_increasing));
      if (staircase && t.delta <= floor)
        t.reason += fmt::format(" (a sampled staircase: {} steps up, {} down)", t.steps_up,
                                t.steps_down);
    } else if (burst) {
      t.verdict = Verdict::Burst;
      t.reason = "rose and fell back";
    } else if (jumped_last) {
      t.verdict = Verdict::Growing;
      t.reason = "most of its rise came in the last step: too recent to tell";
    } else if (plateau && n >= 3) {
      t.verdict = Verdict::Plateau;
      t.reason = "grew, then levelled off";
    } else if (one_step && n >= 3) {
      t.verdict = Verdict::Plateau;
      t.reason = "grew in one step, then stayed";
    } else {
      t.verdict = Verdict::Growing;
      if (n < size_t(kMinLeakSnapshots))
        t.reason = fmt::format("{} snapshots: a trend needs at least {}", n, kMinLeakSnapshots);
      else if (!significant && material)
        t.reason = fmt::format("no significant upward trend ({})", fmt_p(mk.p_increasing));
      else if (!significant)
        t.reason = fmt::format("small next to the heap (under {:g}%) and no clear upward trend ({})",
                               kMaterialShareOfHeap * 100, fmt_p(mk.p_increasing));
      else if (!large)
        // Not small, but late: most pairs of snapshots are flat, so the robust slope is.
        t.reason = t.delta >= kMinShareOfHeap * in.heap_scale && t.fitted_growth <= floor
                       ? "grew only in its last steps: the trend over the window is still flat"
                       : "growth too small to matter";
      else
        t.reason = "fell back from its maximum";
    }
  } else if (burst) {
    t.verdict = Verdict::Burst;
    t.reason = "rose and fell back";
  } else if (fell) {
    t.p_value = mk.p_decreasing;
    t.verdict = Verdict::Shrinking;
    t.reason = "fell";
  } else if (rising_after_peak(t, in, mk, floor, tx, ty, expected_tail)) {
    // Below its first value, but rising, significantly and still in the recent half: a leak
    // that started after a warm-up peak that was freed (start-up buffers, a first request's
    // caches) and is not yet back above it. Not "stable": the first value is the outlier.
    t.p_value = mk.p_increasing;
    t.verdict = Verdict::Growing;
    t.reason = fmt::format("rising after an early peak ({}): a leak may start after warm-up; "
                           "--skip drops the warm-up snapshots",
                           fmt_p(mk.p_increasing));
  } else {
    t.p_value = t.delta >= 0 ? mk.p_increasing : mk.p_decreasing;
    t.verdict = Verdict::Stable;
    t.reason = floor > 0 && t.delta != 0 ? "change within sampling noise" : "no change";
  }
  return t;
}

}  // namespace memleak::core
