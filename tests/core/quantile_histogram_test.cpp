// QuantileHistogram against exact sample quantiles (the sorted values, interpolated as numpy's
// default does) on distributions that stress a logarithmic scale: the exponential of queueing
// lead times, a lognormal and a log-uniform spread over many decades, a constant, two points,
// negative and mixed-sign values. Then merging, bounded memory and the edge cases.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/distribution.hpp"
#include "core/quantile_histogram.hpp"
#include "core/random_stream.hpp"

namespace linetwin {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// numpy's default quantile (type 7) of sorted values: linear between the order statistics at
// positions floor and ceil of p * (n - 1).
double exact_quantile(const std::vector<double>& sorted, double p) {
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto j = static_cast<std::size_t>(std::floor(position));
  const double fraction = position - static_cast<double>(j);
  if (j + 1 >= sorted.size()) return sorted[j];
  return sorted[j] + fraction * (sorted[j + 1] - sorted[j]);
}

// Every probability in `probabilities`, and every order statistic of the first and last thousand,
// within the documented bound of the exact quantile. The bound is relative to the magnitude; a
// few ulps are allowed for the arithmetic of the estimate.
void check_bound(std::vector<double> values, const QuantileHistogram& h) {
  std::sort(values.begin(), values.end());
  REQUIRE(h.count() == values.size());
  std::vector<double> probabilities = {0.0,  0.001, 0.01, 0.05, 0.1,   0.25,   0.5,
                                       0.75, 0.9,   0.95, 0.99, 0.999, 0.9999, 1.0};
  const auto n = static_cast<double>(values.size());
  for (int k = 0; k < 1000; ++k) {
    probabilities.push_back(k / (n - 1));
    probabilities.push_back(1.0 - k / (n - 1));
  }
  double worst = 0.0;
  for (const double p : probabilities) {
    const double exact = exact_quantile(values, p);
    const double estimate = h.quantile(p);
    CAPTURE(p);
    CAPTURE(exact);
    CAPTURE(estimate);
    CHECK(std::abs(estimate - exact) <=
          QuantileHistogram::kRelativeError * std::abs(exact) * (1.0 + 1e-9));
    if (exact != 0.0) worst = std::max(worst, std::abs(estimate - exact) / std::abs(exact));
  }
  MESSAGE("largest relative error " << worst << " against the bound "
                                    << QuantileHistogram::kRelativeError);
  CHECK(h.quantile(0.0) == values.front());
  CHECK(h.quantile(1.0) == values.back());
}

template <typename Draw>
std::vector<double> draw_values(std::size_t n, const char* purpose, Draw draw) {
  RandomStream rng(17, "quantile histogram", purpose, 0);
  std::vector<double> values(n);
  for (double& v : values)
    v = draw(rng);
  return values;
}

QuantileHistogram histogram_of(const std::vector<double>& values) {
  QuantileHistogram h;
  for (const double v : values)
    REQUIRE(h.record(v));
  return h;
}

// Two histograms count the same values when every order statistic has the same estimate.
void check_same_values(const QuantileHistogram& a, const QuantileHistogram& b) {
  REQUIRE(a.count() == b.count());
  CHECK(a.negative_count() == b.negative_count());
  CHECK(a.zero_count() == b.zero_count());
  CHECK(a.min() == b.min());
  CHECK(a.max() == b.max());
  CHECK(a.mean() == doctest::Approx(b.mean()).epsilon(1e-12));
  const auto n = static_cast<double>(a.count());
  for (std::uint64_t k = 0; k < a.count(); ++k) {
    const double p = static_cast<double>(k) / (n - 1);
    CAPTURE(k);
    CHECK(a.quantile(p) == b.quantile(p));
  }
}

}  // namespace

TEST_CASE("quantile histogram: the error bound holds against exact quantiles") {
  constexpr std::size_t n = 100'000;
  SUBCASE("exponential, as queueing lead times") {
    const Distribution d = Distribution::exponential(30.0);
    const auto values = draw_values(n, "exponential", [&](RandomStream& r) { return d.sample(r); });
    check_bound(values, histogram_of(values));
  }
  SUBCASE("lognormal over ten decades") {
    // Mean 1, standard deviation 100: sigma of the logarithm sqrt(ln(1 + 100^2)) = 3.03.
    const Distribution d = Distribution::lognormal(1.0, 100.0);
    const auto values = draw_values(n, "lognormal", [&](RandomStream& r) { return d.sample(r); });
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    REQUIRE(*high / *low > 1e10);
    check_bound(values, histogram_of(values));
  }
  SUBCASE("log-uniform from 1 microsecond to 11 days") {
    const auto values = draw_values(n, "log-uniform", [](RandomStream& r) {
      return std::pow(10.0, -6.0 + 12.0 * r.uniform01());
    });
    check_bound(values, histogram_of(values));
  }
  SUBCASE("negative values: the exponential mirrored") {
    const Distribution d = Distribution::exponential(2.5);
    const auto values = draw_values(n, "negative", [&](RandomStream& r) { return -d.sample(r); });
    const QuantileHistogram h = histogram_of(values);
    CHECK(h.negative_count() == n);
    check_bound(values, h);
  }
  SUBCASE("two points, 30% at 1 s and 70% at 1000 s") {
    const auto values = draw_values(
        n, "two points", [](RandomStream& r) { return r.uniform01() < 0.3 ? 1.0 : 1000.0; });
    check_bound(values, histogram_of(values));
  }
}

TEST_CASE("quantile histogram: a constant stream has exact statistics") {
  QuantileHistogram h;
  for (int k = 0; k < 1000; ++k)
    h.record(42.5);
  for (const double p : {0.0, 0.01, 0.5, 0.95, 1.0})
    CHECK(h.quantile(p) == 42.5);
  CHECK(h.min() == 42.5);
  CHECK(h.max() == 42.5);
  CHECK(h.mean() == 42.5);
  CHECK(h.count() == 1000);
}

TEST_CASE("quantile histogram: negative values, zeros and positive values in order") {
  // Sorted: -5, -1, 0, 0, 2, 10. Type 7 at p = k/5 is the k-th of them.
  QuantileHistogram h;
  for (const double v : {2.0, -1.0, 0.0, 10.0, -0.0, -5.0})
    CHECK(h.record(v));
  CHECK(h.count() == 6);
  CHECK(h.negative_count() == 2);
  CHECK(h.zero_count() == 2);
  CHECK(h.min() == -5.0);
  CHECK(h.max() == 10.0);
  CHECK(h.sum() == 6.0);
  CHECK(h.mean() == 1.0);
  const double bound = QuantileHistogram::kRelativeError;
  CHECK(h.quantile(0.0) == -5.0);
  CHECK(h.quantile(0.2) == doctest::Approx(-1.0).epsilon(bound));
  CHECK(h.quantile(0.4) == 0.0);
  CHECK(h.quantile(0.6) == 0.0);
  CHECK(h.quantile(0.8) == doctest::Approx(2.0).epsilon(bound));
  CHECK(h.quantile(1.0) == 10.0);
  // Halfway between 0 and 2.
  CHECK(h.quantile(0.7) == doctest::Approx(1.0).epsilon(bound));

  QuantileHistogram zeros;
  zeros.record(-0.0);
  CHECK(zeros.min() == 0.0);
  CHECK_FALSE(std::signbit(zeros.min()));
  CHECK(zeros.negative_count() == 0);
}

TEST_CASE("quantile histogram: NaN and infinities are refused, an empty one answers NaN") {
  QuantileHistogram h;
  CHECK(h.count() == 0);
  CHECK(std::isnan(h.quantile(0.5)));
  CHECK(std::isnan(h.min()));
  CHECK(std::isnan(h.max()));
  CHECK(std::isnan(h.mean()));
  CHECK_FALSE(h.record(kNaN));
  CHECK_FALSE(h.record(std::numeric_limits<double>::infinity()));
  CHECK_FALSE(h.record(-std::numeric_limits<double>::infinity()));
  CHECK(h.count() == 0);
  CHECK(std::isnan(h.quantile(0.5)));
  CHECK(h.record(3.0));
  CHECK(h.count() == 1);
  CHECK(h.quantile(0.5) == 3.0);
}

TEST_CASE("quantile histogram: the extremes of double") {
  constexpr double kMax = std::numeric_limits<double>::max();
  QuantileHistogram h;
  for (const double share : {0.6, 0.7, 0.8, 0.9, 1.0})
    h.record(share * kMax);
  CHECK(h.quantile(1.0) == kMax);
  CHECK(h.quantile(0.0) == 0.6 * kMax);
  CHECK(std::isfinite(h.quantile(0.75)));
  CHECK(h.quantile(0.5) == doctest::Approx(0.8 * kMax).epsilon(QuantileHistogram::kRelativeError));
  CHECK(h.quantile(0.75) == doctest::Approx(0.9 * kMax).epsilon(QuantileHistogram::kRelativeError));

  QuantileHistogram tiny;
  tiny.record(std::numeric_limits<double>::denorm_min());
  tiny.record(std::numeric_limits<double>::min());
  tiny.record(1.0);
  CHECK(tiny.quantile(0.0) == std::numeric_limits<double>::denorm_min());
  CHECK(tiny.quantile(0.5) == doctest::Approx(std::numeric_limits<double>::min())
                                  .epsilon(QuantileHistogram::kRelativeError));
  CHECK(tiny.quantile(1.0) == 1.0);
}

TEST_CASE("quantile histogram: merging gives the histogram of the union") {
  const Distribution exponential = Distribution::exponential(30.0);
  const Distribution lognormal = Distribution::lognormal(5.0, 200.0);
  SUBCASE("two replications, one with negative values and zeros") {
    const auto a =
        draw_values(20'000, "merge a", [&](RandomStream& r) { return exponential.sample(r); });
    const auto b = draw_values(15'000, "merge b", [&](RandomStream& r) {
      const double u = r.uniform01();
      return u < 0.1 ? 0.0 : u < 0.3 ? -lognormal.sample(r) : lognormal.sample(r);
    });
    std::vector<double> both = a;
    both.insert(both.end(), b.begin(), b.end());
    const QuantileHistogram whole = histogram_of(both);
    QuantileHistogram ab = histogram_of(a);
    ab.merge(histogram_of(b));
    check_same_values(ab, whole);
    QuantileHistogram ba = histogram_of(b);
    ba.merge(histogram_of(a));
    check_same_values(ba, whole);
    QuantileHistogram from_empty;
    from_empty.merge(whole);
    check_same_values(from_empty, whole);
  }
  SUBCASE("more than 64 binades apart, so that the smallest magnitudes fold") {
    // a: 2^-70 .. 1; b: 2^10 .. 2^20. Together they span 90 binades: a's smallest fold into
    // the lowest bucket of the union whether they came first or last.
    const auto a = draw_values(5'000, "fold a",
                               [](RandomStream& r) { return std::exp2(-70.0 * r.uniform01()); });
    const auto b = draw_values(
        5'000, "fold b", [](RandomStream& r) { return std::exp2(10.0 + 10.0 * r.uniform01()); });
    std::vector<double> both = a;
    both.insert(both.end(), b.begin(), b.end());
    QuantileHistogram ab = histogram_of(a);
    ab.merge(histogram_of(b));
    check_same_values(ab, histogram_of(both));
    std::vector<double> b_first = b;
    b_first.insert(b_first.end(), a.begin(), a.end());
    check_same_values(ab, histogram_of(b_first));
  }
  SUBCASE("with itself: every value twice") {
    const auto a =
        draw_values(1'000, "self", [&](RandomStream& r) { return exponential.sample(r); });
    QuantileHistogram twice = histogram_of(a);
    twice.merge(twice);
    std::vector<double> doubled = a;
    doubled.insert(doubled.end(), a.begin(), a.end());
    check_same_values(twice, histogram_of(doubled));
  }
}

TEST_CASE("quantile histogram: memory depends on the range of values, not on their number") {
  // Log-uniform over 2^0 .. 2^10: ten binades, each drawn a tenth of the time, so the first
  // thousand values reach all of them; the next 999,000 add counts and no memory.
  RandomStream rng(3, "quantile histogram", "memory", 0);
  const auto draw = [&] { return std::exp2(10.0 * rng.uniform01()); };
  QuantileHistogram h;
  for (int k = 0; k < 1000; ++k)
    h.record(draw());
  const std::size_t after_thousand = h.memory_bytes();
  for (int k = 0; k < 999'000; ++k)
    h.record(draw());
  CHECK(h.count() == 1'000'000);
  CHECK(h.memory_bytes() == after_thousand);
  // Ten binades of 256 eight-byte counts, with at most the vector's doubling on top.
  CHECK(h.memory_bytes() <= sizeof(QuantileHistogram) + 2 * 10 * 256 * 8);

  // clear() forgets the values and keeps the memory; what follows is counted as by a new one.
  h.clear();
  CHECK(h.count() == 0);
  CHECK(std::isnan(h.quantile(0.5)));
  CHECK(h.memory_bytes() == after_thousand);
  QuantileHistogram fresh;
  for (const double v : {3.0, 700.0, 5.5, 12.0}) {
    h.record(v);
    fresh.record(v);
  }
  check_same_values(h, fresh);
  CHECK(h.memory_bytes() == after_thousand);
}

TEST_CASE("quantile histogram: memory stays bounded over any range of values") {
  // Log-uniform over 2^-500 .. 2^500, both signs: far more than 64 binades each.
  RandomStream rng(3, "quantile histogram", "range", 0);
  QuantileHistogram h;
  std::vector<double> values;
  for (int k = 0; k < 200'000; ++k) {
    const double magnitude = std::exp2(-500.0 + 1000.0 * rng.uniform01());
    values.push_back(k % 2 == 0 ? magnitude : -magnitude);
    h.record(values.back());
  }
  CHECK(h.memory_bytes() <= sizeof(QuantileHistogram) + QuantileHistogram::kMaxBucketBytes);
  // Magnitudes within 2^64 of the largest keep the bound: the top and bottom 3% here.
  std::sort(values.begin(), values.end());
  for (const double p : {0.0, 0.001, 0.01, 0.02, 0.98, 0.99, 0.999, 1.0}) {
    const double exact = exact_quantile(values, p);
    CAPTURE(p);
    CHECK(std::abs(h.quantile(p) - exact) <=
          QuantileHistogram::kRelativeError * std::abs(exact) * (1.0 + 1e-9));
  }
  CHECK(h.count() == 200'000);
  CHECK(h.min() == values.front());
  CHECK(h.max() == values.back());
}

}  // namespace linetwin
