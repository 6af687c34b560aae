// Trend statistics over one site's values: pure functions of vectors of numbers.
//
//  - Theil-Sen slope: the median of the slopes between every pair of points. Robust: up to
//    29% of the points can be outliers (a burst, a GC hiccup) without moving it much.
//  - Mann-Kendall: S = sum over pairs i<j of sign(y_j - y_i). Under "no trend" every ordering
//    is equally likely; the one-sided p-value for an increasing trend is P(S' >= S). Exact (by
//    the distribution of inversions of a random permutation) for n <= kExactMaxN without ties;
//    otherwise the normal approximation with the tie-corrected variance and a continuity
//    correction. With n points the smallest exact p is 1/n!, so n < 4 can never reach 0.05.
#pragma once

#include <span>
#include <vector>

namespace memleak::core {

inline constexpr int kExactMaxN = 30;

double median(std::vector<double> values);

// Median of (y_j - y_i) / (x_j - x_i) over pairs with x_j != x_i; 0 with fewer than 2 points.
double theil_sen_slope(std::span<const double> x, std::span<const double> y);

struct MannKendall {
  int n = 0;
  double s = 0;              // concordant minus discordant pairs
  double variance = 0;       // of S under no trend, tie-corrected
  double p_increasing = 1;   // one-sided p-value for an upward trend
  double p_decreasing = 1;   // one-sided p-value for a downward trend
  bool exact = false;        // true when computed from the exact distribution
};
MannKendall mann_kendall(std::span<const double> y);

// P(S >= s) for n distinct values under no trend (exact). Exposed for tests.
double mann_kendall_exact_upper(int n, int s);

}  // namespace memleak::core
