// Paired and Welch comparisons against values worked out by hand, and the ranking.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "experiment/variant_comparison.hpp"

using namespace linetwin;

TEST_CASE("comparison: paired differences give the paired t interval and test") {
  // Differences 1, 2, 2, 3: mean 2, sample sd sqrt(2/3), standard error sqrt(2/3)/2.
  const std::vector<double> baseline{1, 2, 3, 4};
  const std::vector<double> variant{2, 4, 5, 7};
  const KpiComparison c = compare_kpi("throughput_per_hour", baseline, variant, true, 0.95);
  const double se = std::sqrt(2.0 / 3.0) / 2.0;
  CHECK(c.difference.mean == doctest::Approx(2.0));
  // t(0.975, 3) = 3.182446 (tables).
  CHECK(c.difference.ci_high - c.difference.mean == doctest::Approx(3.182446 * se).epsilon(1e-6));
  // Student t with 3 degrees of freedom has a closed-form CDF: with x = t / sqrt(3),
  // P(|T| > t) = 1 - (2/pi) (x / (1 + x^2) + atan x).
  const double x = 2.0 / se / std::sqrt(3.0);
  const double p = 1.0 - 2.0 / std::numbers::pi * (x / (1.0 + x * x) + std::atan(x));
  CHECK(c.p_value == doctest::Approx(p).epsilon(1e-9));
  CHECK(c.differs);
  CHECK(c.paired);
  CHECK(c.baseline.mean == doctest::Approx(2.5));
  CHECK(c.variant.mean == doctest::Approx(4.5));
}

TEST_CASE("comparison: independent sets get Welch's interval, and the unpaired half-width") {
  const std::vector<double> baseline{1, 2, 3, 4};  // variance 5/3
  const std::vector<double> variant{2, 4, 5, 7};   // variance 13/3
  const KpiComparison c = compare_kpi("wip_mean", baseline, variant, false, 0.95);
  const double va = 5.0 / 3.0 / 4.0, vb = 13.0 / 3.0 / 4.0;
  const double se = std::sqrt(va + vb);
  CHECK(c.difference.mean == doctest::Approx(2.0));
  CHECK(std::isnan(c.difference.stdev));  // no per-replication differences
  // Welch-Satterthwaite: (va + vb)^2 / (va^2 / 3 + vb^2 / 3) = 5.0103; t(0.975, 5) = 2.5706, and
  // the quantile falls with the degrees of freedom.
  const double t = (c.difference.ci_high - c.difference.mean) / se;  // Welch's standard error
  CHECK(t < 2.5706);
  CHECK(t > 2.5650);
  CHECK_FALSE(c.paired);
  CHECK(c.unpaired_half_width == doctest::Approx(c.difference.ci_high - c.difference.mean));
  // Paired data report the unpaired half-width too: what common random numbers saved.
  const KpiComparison p = compare_kpi("wip_mean", baseline, variant, true, 0.95);
  CHECK(p.unpaired_half_width == doctest::Approx(c.unpaired_half_width));
  CHECK(p.difference.ci_high - p.difference.mean < p.unpaired_half_width);
}

TEST_CASE("comparison: deadlocked replications (NaN) leave their pair out") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const KpiComparison c =
      compare_kpi("throughput_per_hour", {1, nan, 3, 4}, {2, 9, nan, 5}, true, 0.95);
  CHECK(c.difference.replications == 2);  // pairs 0 and 3
  CHECK(c.difference.mean == doctest::Approx(1.0));
  CHECK(c.baseline.replications == 3);
  CHECK(c.variant.replications == 3);
  // A constant difference is exact.
  CHECK(c.difference.ci_low == doctest::Approx(1.0));
  CHECK(c.p_value == 0.0);
  const KpiComparison same = compare_kpi("x", {1, 2, 3}, {1, 2, 3}, true, 0.95);
  CHECK(same.p_value == 1.0);
  CHECK_FALSE(same.differs);
}

TEST_CASE("comparison: ranking best first, NaN last, ties in variant order") {
  std::vector<Estimate> e(4);
  e[0].mean = 50;
  e[1].mean = 55;
  e[2].mean = std::numeric_limits<double>::quiet_NaN();
  e[3].mean = 55;
  CHECK(rank_by_mean(e, true) == std::vector<std::size_t>{1, 3, 0, 2});
  CHECK(rank_by_mean(e, false) == std::vector<std::size_t>{0, 1, 3, 2});
}

TEST_CASE("comparison: paired, both sides cover the replications they have in common") {
  // The variant has two replications more (a precision goal added them): its estimate in the
  // comparison covers the first four, as the difference does.
  const KpiComparison c =
      compare_kpi("throughput_per_hour", {1, 2, 3, 4}, {2, 4, 5, 7, 100, 200}, true, 0.95);
  CHECK(c.variant.replications == 4);
  CHECK(c.variant.mean == doctest::Approx(4.5));
  CHECK(c.difference.mean == doctest::Approx(c.variant.mean - c.baseline.mean));
  const KpiComparison welch =
      compare_kpi("throughput_per_hour", {1, 2, 3, 4}, {2, 4, 5, 7, 100, 200}, false, 0.95);
  CHECK(welch.variant.replications == 6);
}
