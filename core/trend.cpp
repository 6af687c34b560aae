#include "core/trend.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace memleak::core {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(mid));
  return (lo + hi) / 2;
}

double theil_sen_slope(std::span<const double> x, std::span<const double> y) {
  std::vector<double> slopes;
  const size_t n = std::min(x.size(), y.size());
  slopes.reserve(n * (n - 1) / 2);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      if (x[j] != x[i]) slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
  return median(std::move(slopes));
}

double mann_kendall_exact_upper(int n, int s) {
  // S = N - 2*I where N = n(n-1)/2 and I is the number of inversions; the number of
  // permutations of n with k inversions is the Mahonian number M(n, k).
  if (n < 2) return 1;
  const int total = n * (n - 1) / 2;
  std::vector<double> counts(size_t(total) + 1, 0.0), next(size_t(total) + 1);
  counts[0] = 1;
  for (int m = 2; m <= n; ++m) {
    // Inserting the m-th element adds 0..m-1 inversions.
    std::fill(next.begin(), next.end(), 0.0);
    const int max_k = m * (m - 1) / 2;
    double window = 0;
    for (int k = 0; k <= max_k; ++k) {
      window += counts[size_t(k)];
      if (k - m >= 0) window -= counts[size_t(k - m)];
      next[size_t(k)] = window;
    }
    std::swap(counts, next);
  }
  double all = 0, hit = 0;
  for (int k = 0; k <= total; ++k) {
    all += counts[size_t(k)];
    if (total - 2 * k >= s) hit += counts[size_t(k)];
  }
  return hit / all;
}

MannKendall mann_kendall(std::span<const double> y) {
  MannKendall mk;
  const int n = static_cast<int>(y.size());
  mk.n = n;
  if (n < 2) return mk;
  double s = 0;
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) s += (y[size_t(j)] > y[size_t(i)]) - (y[size_t(j)] < y[size_t(i)]);
  mk.s = s;
  std::map<double, int> groups;
  for (double v : y) ++groups[v];
  double ties = 0;
  for (auto& [v, t] : groups) ties += double(t) * (t - 1) * (2 * t + 5);
  mk.variance = (double(n) * (n - 1) * (2 * n + 5) - ties) / 18.0;
  const bool has_ties = groups.size() < size_t(n);
  if (n <= kExactMaxN && !has_ties) {
    mk.exact = true;
    mk.p_increasing = mann_kendall_exact_upper(n, int(s));
    mk.p_decreasing = mann_kendall_exact_upper(n, int(-s));
    return mk;
  }
  if (mk.variance <= 0) return mk;  // all values equal: no evidence either way
  const double sd = std::sqrt(mk.variance);
  auto upper_tail = [](double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); };
  // Continuity correction: S moves in steps of 2, so use S-1 (S+1) for the upper (lower) tail.
  mk.p_increasing = upper_tail((s - 1) / sd);
  mk.p_decreasing = upper_tail((-s - 1) / sd);
  mk.p_increasing = std::clamp(mk.p_increasing, 0.0, 1.0);
  mk.p_decreasing = std::clamp(mk.p_decreasing, 0.0, 1.0);
  return mk;
}

}  // namespace memleak::core
