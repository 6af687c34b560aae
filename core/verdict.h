// Verdicts: what one site's series says, in one word, with the evidence behind it.
//
// Rules (the README explains them for users; tests pin each one):
//  - noise floor: the standard error of first-to-last growth that sampling alone explains
//    (0 for exact profiles); growth must exceed kNoiseZ times it to count at all, unless it
//    is a staircase: in a sampled profile, sampled objects persist between snapshots, so a
//    site whose memory turns over (a bounded cache) steps down as often as up, while a leak
//    only steps up. Growth above one standard error whose steps of at least half a sample
//    are upward with sign-test p < kStaircaseP counts too (a slow leak in a big heap).
//  - leak: at least kMinLeakSnapshots snapshots, a significant upward Mann-Kendall trend
//    (p < kLeakP), first-to-last and fitted growth above the noise floor and above
//    kMinShareOfHeap of the heap (growth under kMaterialShareOfHeap needs p < kStrictLeakP:
//    runtime pools and warm-up add a few objects now and then, a weak trend in a short
//    series that no user would call a leak), still growing in the recent half (not a plateau), the
//    last value near the maximum (not a burst that fell back), and growth spread over
//    several steps (no single rise above kMaxStepShare of all rises).
//  - plateau: grew above the floor, then the recent half stayed flat (cache fill, warm-up).
//  - burst: rose clearly above both ends and fell back.
//  - growing: grew above the floor without the evidence for leak; the reason says why.
//  - shrinking: fell below the floor, with no upward slope.
//  - stable: none of the above.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace memleak::core {

enum class Verdict : uint8_t { Leak, Growing, Plateau, Burst, Stable, Shrinking };
std::string_view verdict_name(Verdict v);

inline constexpr int kMinLeakSnapshots = 4;
inline constexpr double kLeakP = 0.05;
inline constexpr double kNoiseZ = 3.0;
inline constexpr double kMinShareOfHeap = 0.001;
inline constexpr double kMaterialShareOfHeap = 0.01;
inline constexpr double kStrictLeakP = 0.01;
inline constexpr double kPlateauTailRatio = 0.25;
inline constexpr double kStaircaseP = 0.1;
// A leak grows over several steps: the largest single rise may carry at most this share of
// all rises (one jump that stays is a step: startup, a cache fill, a burst not yet freed).
inline constexpr double kMaxStepShare = 0.6;

// One-sided sign test: P(at least `ups` of `ups + downs` fair coin flips come up).
double sign_test_upper(int ups, int downs);

struct TrendInput {
  std::vector<double> x;      // time (seconds or the format's unit) or snapshot index
  std::vector<double> y;      // the site's values
  std::vector<double> sigma;  // sampling standard error of each value (empty = exact)
  double heap_scale = 0;      // the size of the whole (largest total), for kMinShareOfHeap
  double step_weight = 0;     // sampled profiles: what one sample stands for (0 = exact)
};

struct Trend {
  double first = 0, last = 0, delta = 0, min = 0, max = 0;
  double slope = 0;          // Theil-Sen, per unit of x
  double intercept = 0;      // median(y - slope x): the fitted line is intercept + slope x
  double fitted_growth = 0;  // slope x window
  double tail_growth = 0;    // Theil-Sen growth over the recent half (series that grew; else 0)
  double mk_s = 0;
  double p_value = 1;        // one-sided, for the direction of the change
  double noise = 0;          // standard error of first-to-last growth from sampling
  int steps_up = 0, steps_down = 0;  // steps between snapshots beyond half a sample (or 0)
  Verdict verdict = Verdict::Stable;
  std::string reason;        // one short sentence: the evidence, or what is missing
};

Trend analyse_trend(const TrendInput& in);

// Standard error of a sampled heap value: a Poisson estimate whose samples each stand for
// `weight` bytes (or objects) has standard error sqrt(value x weight); a site seen at 0 could
// still hide one sample, so values below one weight count as one.
double sampling_sigma(double value, double weight);
// Bytes one sample stands for, for objects of `object_size` bytes sampled every `period`
// bytes on average (Go's unsampling: size / (1 - exp(-size/period))).
double sample_weight(double object_size, double period);

}  // namespace memleak::core
