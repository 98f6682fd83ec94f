// Maximum-likelihood fits recover the parameters of samples drawn with the engine's own
// distributions and random streams; their intervals cover the true values as often as stated;
// AIC picks the family that made the data; the bootstrap KS p-value is uniform when the family is
// right and small when it is wrong.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/distribution.hpp"
#include "core/random_stream.hpp"
#include "telemetry/distribution_fit.hpp"

namespace linetwin {
namespace {

std::vector<double> draw(const Distribution& d, std::size_t n, std::uint64_t replication,
                         std::string_view purpose = "fit test") {
  RandomStream rng(20261201, "distribution fit test", purpose, replication);
  std::vector<double> x(n);
  for (double& v : x)
    v = d.sample(rng);
  return x;
}

const FittedParameter& param(const DistributionFit& fit, std::string_view name) {
  for (const FittedParameter& p : fit.parameters) {
    if (p.name == name) return p;
  }
  FAIL("no parameter " << name);
  return fit.parameters.front();
}

bool covers(const FittedParameter& p, double truth) {
  return p.ci_low <= truth && truth <= p.ci_high;
}

struct Truth {
  DistributionKind kind;
  Distribution distribution;
  std::vector<std::pair<std::string_view, double>> parameters;
};

std::vector<Truth> truths() {
  return {
      {DistributionKind::kExponential, Distribution::exponential(60.0), {{"mean", 60.0}}},
      {DistributionKind::kGamma, Distribution::gamma(4.0, 15.0), {{"shape", 4.0}, {"scale", 15.0}}},
      {DistributionKind::kLognormal,
       Distribution::lognormal(600.0, 300.0),
       {{"mean", 600.0}, {"sd", 300.0}}},
      {DistributionKind::kWeibull,
       Distribution::weibull(1.5, 7200.0),
       {{"shape", 1.5}, {"scale", 7200.0}}},
      // A normal whose truncation at zero matters (about 11% of N(10, 8) lies below zero).
      {DistributionKind::kNormal, Distribution::normal(10.0, 8.0), {{"mean", 10.0}, {"sd", 8.0}}},
      {DistributionKind::kUniform,
       Distribution::uniform(20.0, 50.0),
       {{"min", 20.0}, {"max", 50.0}}},
      {DistributionKind::kTriangular,
       Distribution::triangular(30.0, 40.0, 70.0),
       {{"min", 30.0}, {"mode", 40.0}, {"max", 70.0}}},
  };
}

}  // namespace

TEST_CASE("distribution fit: every family recovers its parameters within 99.9% intervals") {
  FitSettings settings;
  settings.confidence = 0.999;  // 16 intervals: all should hold, whatever the seed
  settings.bootstrap_resamples = 100;
  for (const Truth& truth : truths()) {
    CAPTURE(to_string(truth.kind));
    const std::vector<double> x = draw(truth.distribution, 3000, 0);
    const DistributionFit fit = fit_distribution(truth.kind, x, settings);
    REQUIRE(fit.fitted());
    CHECK(fit.intervals != IntervalMethod::kNone);
    CHECK(fit.observations == 3000);
    for (const auto& parameter : truth.parameters) {
      // Named copies: clang 14 cannot capture structured bindings in CAPTURE.
      const auto& name = parameter.first;
      const auto value = parameter.second;
      const FittedParameter& p = param(fit, name);
      CAPTURE(name);
      CAPTURE(p.value);
      CAPTURE(p.ci_low);
      CAPTURE(p.ci_high);
      CHECK(covers(p, value));
      CHECK(p.ci_low <= p.value);  // equal for a uniform's max: it is at least the largest
      CHECK(p.value <= p.ci_high);
      // 3,000 observations pin every parameter down to a few percent.
      CHECK(std::abs(p.value - value) < 0.1 * value);
    }
    // The fitted distribution is one the engine accepts, and its CDF is close to the sample's:
    // 1.95 / sqrt(n) is the Kolmogorov distance exceeded with probability 0.1% (known parameters).
    CHECK_FALSE(fit.distribution().problem().has_value());
    CHECK(fit.ks_statistic < 1.95 / std::sqrt(3000.0));
    CHECK(fit.aic == doctest::Approx(2.0 * fit.free_parameters - 2.0 * fit.log_likelihood));
  }
}

TEST_CASE("distribution fit: 95% intervals cover the true parameters about 95% of the time") {
  // 400 samples of 100 observations each; the count of intervals holding the truth is binomial
  // (400, 0.95) when the intervals are right: 380 +- 4.4, so 366..394 holds it with 99.8%.
  // Also, the standard errors from the Fisher information match the spread of the estimates.
  constexpr int kRepetitions = 400;
  FitSettings settings;
  settings.bootstrap_resamples = 0;
  for (const Truth& truth : truths()) {
    if (truth.kind == DistributionKind::kTriangular) continue;  // bootstrap: too slow for this
    CAPTURE(to_string(truth.kind));
    for (const auto& parameter : truth.parameters) {
      const auto& name = parameter.first;
      const auto value = parameter.second;
      CAPTURE(name);
      int covered = 0;
      double sum = 0.0, sum_sq = 0.0, se_sum = 0.0;
      for (int r = 0; r < kRepetitions; ++r) {
        const std::vector<double> x =
            draw(truth.distribution, 100, static_cast<std::uint64_t>(r), "coverage");
        const DistributionFit fit = fit_distribution(truth.kind, x, settings);
        REQUIRE(fit.fitted());
        const FittedParameter& p = param(fit, name);
        covered += covers(p, value) ? 1 : 0;
        sum += p.value;
        sum_sq += p.value * p.value;
        se_sum += p.standard_error;
      }
      CHECK(covered >= 366);
      CHECK(covered <= 394);
      const double mean = sum / kRepetitions;
      const double spread = std::sqrt(sum_sq / kRepetitions - mean * mean);
      CHECK(se_sum / kRepetitions == doctest::Approx(spread).epsilon(0.15));
    }
  }
}

TEST_CASE("distribution fit: the exponential's interval is the exact chi-squared one") {
  // One observation x: 2 x / mean is chi-squared with 2 degrees of freedom, that is exponential
  // with mean 2, whose quantiles are -2 log(1 - p): the interval is x / -log(p) for p = 0.975,
  // 0.025.
  const std::vector<double> x{10.0};
  const DistributionFit fit = fit_distribution(DistributionKind::kExponential, x);
  REQUIRE(fit.fitted());
  CHECK(fit.intervals == IntervalMethod::kExact);
  CHECK(param(fit, "mean").value == doctest::Approx(10.0));
  CHECK(param(fit, "mean").ci_low == doctest::Approx(10.0 / -std::log(0.025)));
  CHECK(param(fit, "mean").ci_high == doctest::Approx(10.0 / -std::log(0.975)));
}

TEST_CASE("distribution fit: the uniform's bounds have exact one-sided intervals") {
  // min, max = smallest, largest; min's interval reaches down c * range with
  // c = 0.05^(-1 / (n - 1)) - 1.
  const std::vector<double> x{12.0, 15.0, 20.0};
  const DistributionFit fit = fit_distribution(DistributionKind::kUniform, x);
  REQUIRE(fit.fitted());
  const double c = std::pow(0.05, -0.5) - 1.0;
  CHECK(param(fit, "min").value == 12.0);
  CHECK(param(fit, "max").value == 20.0);
  CHECK(param(fit, "min").ci_low == doctest::Approx(std::max(0.0, 12.0 - 8.0 * c)));
  CHECK(param(fit, "max").ci_high == doctest::Approx(20.0 + 8.0 * c));
  CHECK(fit.log_likelihood == doctest::Approx(-3.0 * std::log(8.0)));
}

TEST_CASE("distribution fit: AIC picks the family that made the data") {
  const Truth clear_cases[] = {
      {DistributionKind::kGamma, Distribution::gamma(4.0, 15.0), {}},
      {DistributionKind::kLognormal, Distribution::lognormal(600.0, 300.0), {}},
      {DistributionKind::kWeibull, Distribution::weibull(3.0, 100.0), {}},
      {DistributionKind::kUniform, Distribution::uniform(20.0, 50.0), {}},
      {DistributionKind::kNormal, Distribution::normal(60.0, 10.0), {}},
      {DistributionKind::kTriangular, Distribution::triangular(30.0, 40.0, 70.0), {}},
  };
  FitSettings settings;
  settings.bootstrap_resamples = 50;
  for (const Truth& truth : clear_cases) {
    CAPTURE(to_string(truth.kind));
    const std::vector<double> x = draw(truth.distribution, 2000, 1, "aic");
    const FamilyComparison comparison = compare_families(x, settings);
    REQUIRE(comparison.best() != nullptr);
    CHECK(comparison.best()->kind == truth.kind);
    // Ranked by AIC, the families that could not be fitted last.
    for (std::size_t i = 1; i < comparison.fits.size(); ++i) {
      if (comparison.fits[i].fitted()) CHECK(comparison.fits[i - 1].aic <= comparison.fits[i].aic);
      if (comparison.fits[i - 1].fitted() == false) CHECK_FALSE(comparison.fits[i].fitted());
    }
    CHECK(comparison.best()->ks_resamples > 0);
    CHECK(comparison.best()->intervals != IntervalMethod::kNone);
  }
  // Exponential data: gamma and Weibull contain the exponential (shape 1), so either may win by a
  // hair; whichever wins must then have a shape interval that holds 1.
  const std::vector<double> x = draw(Distribution::exponential(60.0), 2000, 2, "aic");
  const FamilyComparison comparison = compare_families(x, settings);
  REQUIRE(comparison.best() != nullptr);
  const DistributionFit& best = *comparison.best();
  if (best.kind != DistributionKind::kExponential) {
    REQUIRE((best.kind == DistributionKind::kGamma || best.kind == DistributionKind::kWeibull));
    CHECK(covers(param(best, "shape"), 1.0));
  }
}

TEST_CASE(
    "distribution fit: KS p-values are uniform under the right family, small under a wrong one") {
  FitSettings settings;
  settings.bootstrap_resamples = 99;
  // 100 samples from a gamma, fitted as gamma: about 10% of p-values fall below 0.1 (binomial
  // (100, 0.1): 10 +- 3, so at most 20 with 99.9%) and their mean is 0.5 (sd 0.029 for 100 uniform
  // values, so 0.4..0.6 holds with 99.9%).
  int below_tenth = 0;
  double sum = 0.0;
  for (std::uint64_t r = 0; r < 100; ++r) {
    const std::vector<double> x = draw(Distribution::gamma(2.0, 30.0), 60, r, "ks null");
    DistributionFit fit = fit_distribution(DistributionKind::kGamma, x, settings);
    REQUIRE(fit.fitted());
    test_goodness_of_fit(fit, x, settings);
    REQUIRE(fit.ks_resamples == 99);
    CHECK(fit.ks_p_value > 0.0);
    CHECK(fit.ks_p_value <= 1.0);
    below_tenth += fit.ks_p_value <= 0.1 ? 1 : 0;
    sum += fit.ks_p_value;
  }
  CHECK(below_tenth >= 2);
  CHECK(below_tenth <= 20);
  CHECK(sum / 100.0 > 0.4);
  CHECK(sum / 100.0 < 0.6);

  // Gamma data with shape 4 are far from exponential: 500 observations reject it.
  const std::vector<double> x = draw(Distribution::gamma(4.0, 15.0), 500, 0, "ks power");
  DistributionFit wrong = fit_distribution(DistributionKind::kExponential, x, settings);
  test_goodness_of_fit(wrong, x, settings);
  CHECK(wrong.ks_p_value == doctest::Approx(0.01));  // (1 + 0) / (1 + 99): none as far
}

TEST_CASE("distribution fit: equal observations are a constant, and nothing else") {
  // Microsecond timestamps make a 30 s cycle 29.999999, 30 or 30.000001 s.
  const std::vector<double> x{30.0, 30.000001, 29.999999, 30.0};
  const FamilyComparison comparison = compare_families(x);
  REQUIRE(comparison.best() != nullptr);
  CHECK(comparison.best()->kind == DistributionKind::kConstant);
  CHECK(comparison.best()->parameters.at(0).value == doctest::Approx(30.0));
  for (std::size_t i = 1; i < comparison.fits.size(); ++i)
    CHECK_FALSE(comparison.fits[i].fitted());
  CHECK(comparison.best()->distribution().mean() == doctest::Approx(30.0));

  const std::vector<double> spread{30.0, 31.0};
  const DistributionFit constant = fit_distribution(DistributionKind::kConstant, spread);
  CHECK_FALSE(constant.fitted());
}

TEST_CASE("distribution fit: a family that does not apply says why") {
  const std::vector<double> with_zero{0.0, 5.0, 7.0, 12.0};
  const DistributionFit gamma = fit_distribution(DistributionKind::kGamma, with_zero);
  REQUIRE_FALSE(gamma.fitted());
  CHECK(gamma.not_fitted->find("durations > 0") != std::string::npos);
  CHECK(fit_distribution(DistributionKind::kExponential, with_zero).fitted());

  // Exponential data are too skewed for a normal with a positive mean (its coefficient of
  // variation is 1; a normal truncated at zero reaches at most 0.76 with mean > 0).
  const std::vector<double> skewed = draw(Distribution::exponential(60.0), 2000, 3, "skewed");
  const DistributionFit normal = fit_distribution(DistributionKind::kNormal, skewed);
  REQUIRE_FALSE(normal.fitted());
  CHECK(normal.not_fitted->find("mean > 0") != std::string::npos);

  const std::vector<double> negative{-1.0, 2.0};
  CHECK_FALSE(fit_distribution(DistributionKind::kExponential, negative).fitted());
  const std::vector<double> two{1.0, 2.0};
  CHECK_FALSE(fit_distribution(DistributionKind::kTriangular, two).fitted());
}

}  // namespace linetwin
