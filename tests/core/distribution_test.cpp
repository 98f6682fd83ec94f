// Each distribution's draws match its exact mean and variance, and bad parameters are named.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "core/distribution.hpp"

using namespace linetwin;

namespace {
struct Moments {
  double mean = 0.0;
  double variance = 0.0;
  double min = 1e300;
};

Moments sample_moments(const Distribution& d, int n) {
  RandomStream rng(2026, d.describe(), "moments", 0);
  double sum = 0.0, sum2 = 0.0;
  Moments m;
  for (int i = 0; i < n; ++i) {
    const double x = d.sample(rng);
    sum += x;
    sum2 += x * x;
    m.min = std::min(m.min, x);
  }
  m.mean = sum / n;
  m.variance = sum2 / n - m.mean * m.mean;
  return m;
}

// The sample mean lies within 5 standard errors of the exact mean (a 1-in-3.5-million miss).
void check_mean_and_variance(const Distribution& d, double exact_mean, double exact_variance) {
  const int n = 200000;
  const Moments m = sample_moments(d, n);
  INFO(d.describe());
  CHECK(d.mean() == doctest::Approx(exact_mean).epsilon(1e-12));
  CHECK(std::fabs(m.mean - exact_mean) <= 5.0 * std::sqrt(exact_variance / n) + 1e-12);
  CHECK(m.variance == doctest::Approx(exact_variance).epsilon(0.03));
  CHECK(m.min >= 0.0);
}
}  // namespace

TEST_CASE("sampled moments match the exact ones") {
  check_mean_and_variance(Distribution::exponential(60.0), 60.0, 3600.0);
  check_mean_and_variance(Distribution::uniform(10.0, 30.0), 20.0, 400.0 / 12.0);
  // Triangular(a, c, b): mean (a+b+c)/3, variance (a²+b²+c²-ab-ac-bc)/18.
  check_mean_and_variance(Distribution::triangular(10.0, 15.0, 40.0), 65.0 / 3.0,
                          (100.0 + 1600.0 + 225.0 - 400.0 - 150.0 - 600.0) / 18.0);
  check_mean_and_variance(Distribution::lognormal(50.0, 20.0), 50.0, 400.0);
  check_mean_and_variance(Distribution::gamma(4.0, 15.0), 60.0, 4.0 * 225.0);
  check_mean_and_variance(Distribution::gamma(0.5, 10.0), 5.0, 0.5 * 100.0);
  check_mean_and_variance(Distribution::erlang(3, 30.0), 30.0, 3.0 * 100.0);
  // Weibull(k, lambda): mean lambda Γ(1+1/k), variance lambda²(Γ(1+2/k) - Γ(1+1/k)²).
  const double g1 = std::tgamma(1.5), g2 = std::tgamma(2.0);
  check_mean_and_variance(Distribution::weibull(2.0, 100.0), 100.0 * g1, 10000.0 * (g2 - g1 * g1));
  check_mean_and_variance(Distribution::empirical({10.0, 20.0, 60.0}), 30.0,
                          (100.0 + 400.0 + 3600.0) / 3.0 - 900.0);
  check_mean_and_variance(Distribution::constant(42.0), 42.0, 0.0);
}

TEST_CASE("the normal distribution is truncated at zero and its mean accounts for that") {
  // N(10, 10) truncated to [0, inf): mean = mu + sd * phi(-1) / (1 - Phi(-1)).
  const double phi = std::exp(-0.5) / std::sqrt(2.0 * std::numbers::pi);
  const double tail = 0.5 * std::erfc(-1.0 / std::numbers::sqrt2);
  const double mean = 10.0 + 10.0 * phi / tail;
  // Variance of the truncated normal: sd²(1 + a·phi(a)/(1-Phi(a)) - (phi(a)/(1-Phi(a)))²), a = -1.
  const double lambda = phi / tail;
  const double variance = 100.0 * (1.0 + (-1.0) * lambda - lambda * lambda);
  check_mean_and_variance(Distribution::normal(10.0, 10.0), mean, variance);
}

TEST_CASE("invalid parameters are reported with what was expected") {
  CHECK(Distribution::exponential(0.0).problem().value().find("mean > 0") != std::string::npos);
  CHECK(Distribution::uniform(5.0, 1.0).problem().value().find("min <= max") != std::string::npos);
  CHECK(Distribution::triangular(1.0, 5.0, 3.0).problem().has_value());
  CHECK(Distribution::normal(-1.0, 1.0).problem().has_value());
  CHECK(Distribution::gamma(0.0, 1.0).problem().has_value());
  CHECK(Distribution::weibull(1.0, -2.0).problem().has_value());
  CHECK(Distribution::empirical({}).problem().has_value());
  CHECK(Distribution::empirical({1.0, -1.0}).problem().value().find("position 1") !=
        std::string::npos);
  CHECK(Distribution::constant(-1.0).problem().has_value());
  CHECK_FALSE(Distribution::lognormal(10.0, 0.0).problem().has_value());
}

TEST_CASE("distribution names") {
  CHECK(distribution_kind_from_string("erlang") == DistributionKind::kGamma);
  CHECK(distribution_kind_from_string("weibull") == DistributionKind::kWeibull);
  CHECK_FALSE(distribution_kind_from_string("poisson").has_value());
  CHECK(to_string(DistributionKind::kLognormal) == "lognormal");
}
