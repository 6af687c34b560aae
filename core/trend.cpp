#include "core/trend.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <mutex>

namespace memleak::core {

namespace {

// Series longer than this use the sampled two-pass selection in theil_sen_slope.
constexpr size_t kTheilSenSampledFrom = 64;  // 2k pairs
// Sampled pairs: an eighth of all pairs, between these bounds. The kept band is about
// 8 / sqrt(sample) of all pairs wide, so selection touches a fraction of them.
constexpr size_t kTheilSenMinSample = 256;
constexpr size_t kTheilSenMaxSample = 1024;

// The median of `v`, reordering it.
double median_in_place(std::span<double> v) {
  if (v.empty()) return 0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(mid));
  return (lo + hi) / 2;
}

}  // namespace

double median(std::vector<double> v) { return median_in_place(v); }

double theil_sen_slope(std::span<const double> x, std::span<const double> y) {
  const size_t n = std::min(x.size(), y.size());
  // A flat series (most sites of a long series) has slope 0: no n^2 pairs needed.
  if (n < 2 || std::all_of(y.begin(), y.begin() + static_cast<ptrdiff_t>(n),
                           [&](double v) { return v == y[0]; }))
    return 0;
  auto slope = [&](size_t i, size_t j) { return (y[j] - y[i]) / (x[j] - x[i]); };
  // Reused between calls: a series of 400 snapshots has 80k pairs, and a fresh buffer that
  // size is an mmap, page faults and an munmap for every site.
  thread_local std::vector<double> slopes;
  slopes.clear();
  if (n > kTheilSenSampledFrom) {
    // Long series: the median's neighbourhood is found from a sample of pair slopes, then
    // one pass over all pairs counts those below it and keeps only those inside it. The
    // result is exactly the median of all slopes (the same order statistics of the same
    // numbers); an unlucky sample falls back to keeping every slope.
    thread_local std::vector<double> sample;
    sample.clear();
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    auto next = [&] {  // splitmix64: deterministic, so reports are too
      state += 0x9e3779b97f4a7c15ULL;
      uint64_t z = state;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return z ^ (z >> 31);
    };
    const size_t want = std::clamp<size_t>(n * (n - 1) / 16, kTheilSenMinSample, kTheilSenMaxSample);
    for (size_t k = 0; k < want; ++k) {
      size_t i = next() % n, j = next() % n;
      if (i == j || x[i] == x[j]) continue;
      sample.push_back(i < j ? slope(i, j) : slope(j, i));
    }
    if (sample.size() > want / 2) {
      // +-4 standard errors of the sample median's rank: the true median is inside
      // unless the sample is very unlucky.
      const double margin = 4.0 * 0.5 / std::sqrt(double(sample.size()));
      const auto at = [&](double q) {
        const auto r = static_cast<ptrdiff_t>(std::clamp(q, 0.0, 1.0) * double(sample.size() - 1));
        std::nth_element(sample.begin(), sample.begin() + r, sample.end());
        return sample[size_t(r)];
      };
      const double lo = at(0.5 - margin), hi = at(0.5 + margin);
      // Branch-free: whether a slope is below, inside or above the band is data, and a
      // branch on it was mispredicted for a large share of the pairs. Every slope is written
      // and only those inside the band advance the end.
      size_t below = 0, total = 0, kept_end = 0;
      slopes.resize(n * (n - 1) / 2);
      double* const band = slopes.data();
      for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
          if (x[j] == x[i]) continue;
          ++total;
          const double s = slope(i, j);
          below += s < lo;
          band[kept_end] = s;
          kept_end += (s >= lo) & (s <= hi);
        }
      slopes.resize(kept_end);
      const size_t mid = total / 2;
      const size_t first_rank = total % 2 == 1 ? mid : mid - 1;
      if (total > 0 && below <= first_rank && mid < below + slopes.size()) {
        std::span<double> kept(slopes);
        const size_t k = mid - below;
        std::nth_element(kept.begin(), kept.begin() + static_cast<ptrdiff_t>(k), kept.end());
        const double upper = kept[k];
        if (total % 2 == 1) return upper;
        const double lower = *std::max_element(kept.begin(), kept.begin() + static_cast<ptrdiff_t>(k));
        return (lower + upper) / 2;
      }
      slopes.clear();
    }
  }
  slopes.reserve(n * (n - 1) / 2);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j)
      if (x[j] != x[i]) slopes.push_back(slope(i, j));
  return median_in_place(slopes);
}

namespace {

// The Mahonian numbers M(n, k), k = 0..n(n-1)/2: how many permutations of n items have k
// inversions (as doubles: n! passes 2^64 at n = 21).
std::vector<double> mahonian(int n) {
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
  return counts;
}

// mahonian(n) for the n of the exact test, made once per n by whichever thread needs it
// first (76 KB for every n up to kExactMaxN). Every series of a report has the same n, and
// each series asks twice (both tails): made per ask, with its two allocations, the table was
// as much CPU as the rest of mann_kendall (1.1% of the samples of a 10M-event trace's `diff`,
// 0.08% once kept; the report byte-identical).
const std::vector<double>& mahonian_table(int n) {
  static std::array<std::once_flag, kExactMaxN + 1> made;
  static std::array<std::vector<double>, kExactMaxN + 1> tables;
  std::call_once(made[size_t(n)], [n] { tables[size_t(n)] = mahonian(n); });
  return tables[size_t(n)];
}

}  // namespace

double mann_kendall_exact_upper(int n, int s) {
  // S = N - 2*I where N = n(n-1)/2 and I is the number of inversions.
  if (n < 2) return 1;
  std::vector<double> made_here;
  if (n > kExactMaxN) made_here = mahonian(n);
  const std::vector<double>& counts = n > kExactMaxN ? made_here : mahonian_table(n);
  const int total = n * (n - 1) / 2;
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
  // S = rising pairs - falling pairs, in O(n log n): falling pairs are the inversions a
  // merge sort counts, tied pairs come from the groups of equal values, rising pairs are
  // the rest. Exact (integer counts), and equal to the plain double loop over all pairs.
  thread_local std::vector<double> sorted, buffer;
  sorted.assign(y.begin(), y.end());
  buffer.resize(sorted.size());
  uint64_t falling = 0;
  for (size_t width = 1; width < sorted.size(); width *= 2) {
    for (size_t lo = 0; lo < sorted.size(); lo += 2 * width) {
      const size_t mid = std::min(lo + width, sorted.size()), hi = std::min(lo + 2 * width, sorted.size());
      size_t a = lo, b = mid, out = lo;
      while (a < mid && b < hi) {
        if (sorted[b] < sorted[a]) {
          falling += mid - a;  // every remaining left value is greater than sorted[b]
          buffer[out++] = sorted[b++];
        } else {
          buffer[out++] = sorted[a++];
        }
      }
      while (a < mid) buffer[out++] = sorted[a++];
      while (b < hi) buffer[out++] = sorted[b++];
    }
    std::swap(sorted, buffer);
  }
  // Groups of equal values, from the sorted copy: tied pairs for S, and the tie correction
  // of S's variance.
  uint64_t tied = 0;
  double ties = 0;
  size_t groups = 0;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    const uint64_t t = j - i;
    tied += t * (t - 1) / 2;
    ties += double(t) * double(t - 1) * double(2 * t + 5);
    ++groups;
    i = j;
  }
  const uint64_t pairs = uint64_t(n) * uint64_t(n - 1) / 2;
  const uint64_t rising = pairs - falling - tied;
  const double s = double(int64_t(rising) - int64_t(falling));
  mk.s = s;
  mk.variance = (double(n) * (n - 1) * (2 * n + 5) - ties) / 18.0;
  const bool has_ties = groups < size_t(n);
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
