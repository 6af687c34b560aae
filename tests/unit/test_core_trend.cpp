// Unit tests of core/trend.h: median, Theil-Sen slope and the Mann-Kendall test (exact
// distribution for small n, tie-corrected normal approximation otherwise). Every expected
// number is worked out by hand in a comment next to it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/trend.h"

using namespace memleak::core;

namespace {

// Upper tail of the standard normal, for checking the normal approximation against a z that
// was worked out by hand (the table values are in the comments).
double normal_upper(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

std::vector<double> iota(int n, double from = 0, double step = 1) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(from + step * i);
  return v;
}

}  // namespace

TEST_CASE("memleak::core::median") {
  SUBCASE("an empty list has median 0") { CHECK(median({}) == 0); }
  SUBCASE("one value is its own median") { CHECK(median({5}) == 5); }
  SUBCASE("an odd count takes the middle value whatever the order") {
    // sorted {1, 2, 3}: the middle is 2
    CHECK(median({3, 1, 2}) == 2);
    // sorted {-7, 0, 4, 9, 100}: the middle is 4
    CHECK(median({100, -7, 9, 0, 4}) == 4);
  }
  SUBCASE("an even count averages the two middle values") {
    // sorted {1, 2, 3, 4}: (2 + 3) / 2 = 2.5
    CHECK(median({4, 1, 3, 2}) == 2.5);
    // sorted {-3, -1}: (-3 + -1) / 2 = -2
    CHECK(median({-1, -3}) == -2);
    // sorted {1, 1, 5, 5}: (1 + 5) / 2 = 3
    CHECK(median({5, 1, 5, 1}) == 3);
  }
}

TEST_CASE("memleak::core::theil_sen_slope") {
  SUBCASE("fewer than two points give slope 0") {
    CHECK(theil_sen_slope(std::vector<double>{}, std::vector<double>{}) == 0);
    CHECK(theil_sen_slope(std::vector<double>{1}, std::vector<double>{7}) == 0);
  }
  SUBCASE("a straight line gives its own slope") {
    // y = 2x: every pair has slope 2
    CHECK(theil_sen_slope(iota(4), iota(4, 0, 2)) == 2);
    // uneven x: (0,10) (10,30) (40,90): slopes 20/10=2, 80/40=2, 60/30=2
    CHECK(theil_sen_slope(std::vector<double>{0, 10, 40}, std::vector<double>{10, 30, 90}) == 2);
  }
  SUBCASE("one outlier does not move the slope") {
    // y = {0,1,2,3,100} at x = 0..4. Pair slopes: six pairs among the first four points = 1;
    // (0,4) 100/4=25, (1,4) 99/3=33, (2,4) 98/2=49, (3,4) 97/1=97.
    // Sorted {1,1,1,1,1,1,25,33,49,97}: median = (1 + 1) / 2 = 1.
    CHECK(theil_sen_slope(iota(5), std::vector<double>{0, 1, 2, 3, 100}) == 1);
  }
  SUBCASE("pairs with equal x are skipped") {
    // x = {0,0,1}, y = {0,10,1}: (0,1) skipped; (0,2) = 1/1 = 1; (1,2) = (1-10)/1 = -9.
    // median{1, -9} = -4
    CHECK(theil_sen_slope(std::vector<double>{0, 0, 1}, std::vector<double>{0, 10, 1}) == -4);
    // all x equal: no slope at all -> median of nothing = 0
    CHECK(theil_sen_slope(std::vector<double>{3, 3, 3}, std::vector<double>{1, 5, 9}) == 0);
  }
  SUBCASE("a falling line gives a negative slope") {
    // y = 10 - 3x
    CHECK(theil_sen_slope(iota(5), iota(5, 10, -3)) == -3);
  }
}

TEST_CASE("memleak::core::theil_sen_slope (long series: sampled selection, exact result)") {
  // The median of every pairwise slope, computed the plain way.
  auto reference = [](const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> slopes;
    for (size_t i = 0; i < x.size(); ++i)
      for (size_t j = i + 1; j < x.size(); ++j)
        if (x[j] != x[i]) slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
    std::sort(slopes.begin(), slopes.end());
    const size_t m = slopes.size() / 2;
    return slopes.size() % 2 ? slopes[m] : (slopes[m - 1] + slopes[m]) / 2;
  };
  std::mt19937 rng(42);
  int checked = 0;
  for (const size_t n : {65u, 66u, 100u, 151u, 152u, 200u, 399u, 400u, 1000u}) {
    for (int shape = 0; shape < 9; ++shape) {
      std::vector<double> x, y;
      // Shapes 5 and 6: Unix times in seconds with fractions (pprof), where x[j] - x[i] is
      // small against x and rounds; the others count snapshots.
      double t = shape == 5 || shape == 6 ? 1.7e9 + 0.123 : 0, v = 1000;
      for (size_t i = 0; i < n; ++i) {
        t += shape == 4 && i % 7 == 3 ? 0                              // shape 4: equal times
             : shape == 5 || shape == 6 ? 9.7 + double(rng() % 1000) / 999.0
                                        : 1 + double(rng() % 3);
        x.push_back(t);
        switch (shape) {
          case 0: v = double(rng() % 1000); break;                   // noise
          case 1: v += 16.0 * (rng() % 2); break;                    // staircase: many ties
          case 2: v = 5.0 * double(i) + double(rng() % 50); break;   // trend + noise
          case 3: v = i < n / 2 ? 100 : 4100; break;                 // one step
          case 5: v = 1e12 + 3e6 * double(i) + double(rng() % 1000000); break;  // big, growing
          case 6: v += double(rng() % 2) * 1e-9; break;              // tiny slopes, near 0
          case 7: v = 1e6 - 37.0 * double(i) + 37.0 * (rng() % 3); break;      // falling, ties
          case 8: v = std::ldexp(1.0, 55) + std::ldexp(double(rng() % 1024), 20); break;  // 2^55
          default: v += double(int(rng() % 21) - 10); break;         // random walk
        }
        y.push_back(v);
      }
      CHECK(theil_sen_slope(x, y) == reference(x, y));
      ++checked;
    }
  }
  CHECK(checked == 81);
}

TEST_CASE("memleak::core::mann_kendall (S by merge sort equals the sum over all pairs)") {
  std::mt19937 rng(7);
  for (const size_t n : {2u, 3u, 10u, 31u, 64u, 257u, 1000u}) {
    for (const unsigned spread : {3u, 1000u}) {  // few distinct values (ties) and many
      std::vector<double> y;
      for (size_t i = 0; i < n; ++i) y.push_back(double(rng() % spread) + (i % 5 == 0 ? double(i) : 0));
      double s = 0;
      for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) s += (y[j] > y[i]) - (y[j] < y[i]);
      CHECK(mann_kendall(y).s == s);
    }
  }
}

TEST_CASE("memleak::core::mann_kendall_exact_upper") {
  SUBCASE("all increasing: the one permutation with no inversion, p = 1/n!") {
    // n=3: 1/3! = 1/6; n=4: 1/4! = 1/24; n=5: 1/120
    CHECK(mann_kendall_exact_upper(3, 3) == doctest::Approx(1.0 / 6));
    CHECK(mann_kendall_exact_upper(4, 6) == doctest::Approx(1.0 / 24));
    CHECK(mann_kendall_exact_upper(5, 10) == doctest::Approx(1.0 / 120));
  }
  SUBCASE("one inversion allowed counts the Mahonian numbers M(n,0) + M(n,1)") {
    // S = N - 2I with N = n(n-1)/2. n=4: S >= 4 <=> I <= 1: (M(4,0)+M(4,1))/24 = (1+3)/24
    CHECK(mann_kendall_exact_upper(4, 4) == doctest::Approx(4.0 / 24));
    // n=3: S >= 1 <=> I <= 1: (1 + 2)/6 = 1/2
    CHECK(mann_kendall_exact_upper(3, 1) == doctest::Approx(0.5));
    // n=5: S >= 8 <=> I <= 1: (1 + 4)/120 = 1/24
    CHECK(mann_kendall_exact_upper(5, 8) == doctest::Approx(5.0 / 120));
    // n=5: S >= 6 <=> I <= 2: (1 + 4 + 9)/120 = 14/120
    CHECK(mann_kendall_exact_upper(5, 6) == doctest::Approx(14.0 / 120));
  }
  SUBCASE("an S between attainable values rounds up to the next attainable one") {
    // n=4: S takes values 6,4,2,...; P(S >= 5) = P(S = 6) = 1/24
    CHECK(mann_kendall_exact_upper(4, 5) == doctest::Approx(1.0 / 24));
  }
  SUBCASE("the lowest S is certain") {
    CHECK(mann_kendall_exact_upper(4, -6) == doctest::Approx(1.0));
    CHECK(mann_kendall_exact_upper(3, -3) == doctest::Approx(1.0));
  }
  SUBCASE("fewer than two points give p = 1") {
    CHECK(mann_kendall_exact_upper(1, 0) == 1);
    CHECK(mann_kendall_exact_upper(0, 0) == 1);
  }
}

TEST_CASE("memleak::core::mann_kendall") {
  SUBCASE("four increasing values: S = 6, exact p = 1/24") {
    const std::vector<double> y = {1, 2, 3, 4};
    const auto mk = mann_kendall(y);
    CHECK(mk.n == 4);
    CHECK(mk.s == 6);  // all C(4,2) = 6 pairs concordant
    CHECK(mk.exact);
    // Var = n(n-1)(2n+5)/18 = 4*3*13/18 = 156/18
    CHECK(mk.variance == doctest::Approx(156.0 / 18));
    CHECK(mk.p_increasing == doctest::Approx(1.0 / 24));
    CHECK(mk.p_decreasing == doctest::Approx(1.0));  // P(S >= -6) = 1
  }
  SUBCASE("three increasing values: exact p = 1/6, never below 0.05") {
    const std::vector<double> y = {10, 20, 30};
    const auto mk = mann_kendall(y);
    CHECK(mk.exact);
    CHECK(mk.s == 3);
    CHECK(mk.p_increasing == doctest::Approx(1.0 / 6));
    CHECK(mk.p_increasing > 0.05);
  }
  SUBCASE("p_decreasing mirrors p_increasing for the reversed series") {
    const std::vector<double> up = {1, 3, 2, 5, 4, 7};
    const std::vector<double> down = {7, 4, 5, 2, 3, 1};
    const auto a = mann_kendall(up);
    const auto b = mann_kendall(down);
    CHECK(a.s == -b.s);
    CHECK(a.p_increasing == doctest::Approx(b.p_decreasing));
    CHECK(a.p_decreasing == doctest::Approx(b.p_increasing));
    // up: discordant pairs (3,2) (5,4) -> I = 2, S = 15 - 4 = 11.
    // P(S >= 11) = P(I <= 2) = (M(6,0)+M(6,1)+M(6,2))/720 = (1 + 5 + 14)/720 = 20/720
    CHECK(a.s == 11);
    CHECK(a.p_increasing == doctest::Approx(20.0 / 720));
  }
  SUBCASE("four decreasing values: p_decreasing = 1/24") {
    const std::vector<double> y = {4, 3, 2, 1};
    const auto mk = mann_kendall(y);
    CHECK(mk.s == -6);
    CHECK(mk.p_decreasing == doctest::Approx(1.0 / 24));
    CHECK(mk.p_increasing == doctest::Approx(1.0));
  }
  SUBCASE("ties use the normal approximation with tie-corrected variance") {
    // y = {1,2,2,3,4}: pairs from 1: 4 up; from the first 2: (2,2) tie, 2 up; from the second
    // 2: 2 up; from 3: 1 up. S = 4 + 2 + 2 + 1 = 9.
    // Var = [n(n-1)(2n+5) - sum t(t-1)(2t+5)] / 18 = [5*4*15 - 2*1*9] / 18 = (300-18)/18 = 282/18
    //     = 15.667, sd = 3.95811.
    // z_up = (S - 1)/sd = 8/3.95811 = 2.02116; table: Phi(2.02)=0.97831, Phi(2.03)=0.97882,
    //   interpolated 1 - Phi(2.0212) = 0.02163.
    // z_down = (-S - 1)/sd = -10/3.95811 = -2.52646; 1 - Phi(-2.5265) = Phi(2.5265)
    //   = 0.99413 + 0.65*0.00017 = 0.99424.
    const std::vector<double> y = {1, 2, 2, 3, 4};
    const auto mk = mann_kendall(y);
    CHECK_FALSE(mk.exact);
    CHECK(mk.s == 9);
    CHECK(mk.variance == doctest::Approx(282.0 / 18));
    CHECK(mk.p_increasing == doctest::Approx(normal_upper(8 / std::sqrt(282.0 / 18))));
    CHECK(mk.p_increasing == doctest::Approx(0.02163).epsilon(0.001));
    CHECK(mk.p_decreasing == doctest::Approx(0.99424).epsilon(0.0001));
  }
  SUBCASE("two groups of ties: a one-step rise") {
    // y = {100,100,100,1100,1100,1100}: 9 cross pairs up, 6 tied pairs: S = 9.
    // ties: two groups of t=3: 2 * 3*2*11 = 132. Var = (6*5*17 - 132)/18 = (510-132)/18 = 21.
    // z = (9-1)/sqrt(21) = 8/4.58258 = 1.74574; Phi(1.74)=0.95907, Phi(1.75)=0.95994:
    //   1 - (0.95907 + 0.57*0.00087) = 0.04043.
    const std::vector<double> y = {100, 100, 100, 1100, 1100, 1100};
    const auto mk = mann_kendall(y);
    CHECK_FALSE(mk.exact);
    CHECK(mk.s == 9);
    CHECK(mk.variance == doctest::Approx(21.0));
    CHECK(mk.p_increasing == doctest::Approx(0.04043).epsilon(0.001));
  }
  SUBCASE("all values equal: no evidence either way") {
    // Var = (4*3*13 - 4*3*13)/18 = 0
    const std::vector<double> y = {5, 5, 5, 5};
    const auto mk = mann_kendall(y);
    CHECK(mk.s == 0);
    CHECK(mk.variance == 0);
    CHECK(mk.p_increasing == 1);
    CHECK(mk.p_decreasing == 1);
  }
  SUBCASE("a weak trend without ties: S = 1 of a possible 3") {
    // y = {1,3,2}: pairs (1,3)+ (1,2)+ (3,2)-: S = 1.
    // exact: P(S >= 1) = P(I <= 1) = (1+2)/6 = 0.5, and P(S <= 1) = P(S' >= -1) = 1 - 1/6
    const std::vector<double> y = {1, 3, 2};
    const auto mk = mann_kendall(y);
    CHECK(mk.s == 1);
    CHECK(mk.p_increasing == doctest::Approx(0.5));
    CHECK(mk.p_decreasing == doctest::Approx(5.0 / 6));
  }
  SUBCASE("exact up to 30 points, normal approximation from 31") {
    const auto y30 = iota(30);
    const auto y31 = iota(31);
    CHECK(mann_kendall(y30).exact);
    const auto mk = mann_kendall(y31);
    CHECK_FALSE(mk.exact);
    // S = C(31,2) = 465; Var = 31*30*67/18 = 62310/18 = 3461.67
    CHECK(mk.s == 465);
    CHECK(mk.variance == doctest::Approx(62310.0 / 18));
    // z = 464/58.84 = 7.9: p far below 1e-10
    CHECK(mk.p_increasing < 1e-10);
    CHECK(mk.p_decreasing == doctest::Approx(1.0));
  }
  SUBCASE("one value: n = 1, p = 1") {
    const std::vector<double> y = {42};
    const auto mk = mann_kendall(y);
    CHECK(mk.n == 1);
    CHECK(mk.s == 0);
    CHECK(mk.p_increasing == 1);
    CHECK(mk.p_decreasing == 1);
  }
}
