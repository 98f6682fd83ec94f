// Maximum-likelihood fits of the engine's duration distributions to observed durations: the
// statistics behind `linetwin calibrate` (docs/calibration.md gives the formulas and sources).
//
// Every family the engine samples (core/distribution.hpp) except the empirical one is fitted in
// the engine's own parameterisation, so that a fit is written to a scene file as it stands: the
// exponential by its mean, gamma (Erlang included) and Weibull by shape and scale, the lognormal
// by the mean and standard deviation of the duration itself, the normal by the mean and standard
// deviation of the normal that the engine truncates at zero (the likelihood is that of the
// truncated density), uniform and triangular by their bounds (and mode). When every observation
// is the same (to within the timestamp resolution), the fit is a constant and nothing else.
//
// Each fit reports its log-likelihood and AIC = 2 k - 2 log L, by which the family is chosen, and
// a confidence interval per parameter:
//   - exact where a pivot exists: the exponential mean (chi-squared), the uniform's bounds
//     (from the distribution of the sample range, one-sided since min <= smallest observation);
//   - from the observed Fisher information (the inverse Hessian of the log-likelihood at the
//     maximum) for the smooth families, as a Wald interval on the log scale for positive
//     parameters (better coverage in small samples, and never below zero), by the delta method
//     for the lognormal's mean and sd;
//   - by parametric bootstrap percentiles for the triangular, whose support depends on its
//     parameters, so that the Fisher information does not apply.
// Goodness of fit is the Kolmogorov-Smirnov distance between the observations' empirical CDF and
// the fitted CDF. Its p-value comes from a parametric bootstrap (Stute, Gonzalez Manteiga and
// Presedo Quindimil 1993): resamples of the same size drawn from the fitted distribution with the
// engine's own sampler and refitted, so that the p-value accounts for the parameters having been
// estimated from the same data (the Kolmogorov distribution would not: it assumes parameters known
// beforehand and gives p-values far too high). Bootstrap draws come from RandomStream keyed by the
// settings' seed, so a fit is reproducible.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/distribution.hpp"

namespace linetwin {

struct FitSettings {
  double confidence = 0.95;                 // of each parameter's interval
  std::uint32_t bootstrap_resamples = 200;  // KS p-values and triangular intervals
  std::uint64_t seed = 1;                   // of the bootstrap draws
  // Observations that differ by no more than this are taken as all equal (a constant): a duration
  // between two timestamps rounded to the microsecond is off by less than 1 us, so equal durations
  // differ by less than 2 us (the half microsecond more absorbs the decimal-to-binary rounding).
  double constant_tolerance_s = 2.5e-6;
};

// How a parameter's confidence interval was found.
enum class IntervalMethod : std::uint8_t { kNone, kExact, kFisherInformation, kBootstrap };
std::string_view to_string(IntervalMethod method);

struct FittedParameter {
  std::string_view name;  // the scene file's key: value, mean, sd, shape, scale, min, mode, max
  double value = 0.0;     // seconds, except a shape, which is a plain number
  double standard_error = std::numeric_limits<double>::quiet_NaN();  // NaN where undefined
  double ci_low = 0.0;
  double ci_high = 0.0;
};

struct DistributionFit {
  DistributionKind kind = DistributionKind::kConstant;
  // Why this family could not be fitted to these observations; nothing when it was.
  std::optional<std::string> not_fitted;
  // In the engine's parameterisation and order: constant (value), uniform (min, max), triangular
  // (min, mode, max), exponential (mean), normal and lognormal (mean, sd), gamma and Weibull
  // (shape, scale).
  std::vector<FittedParameter> parameters;
  IntervalMethod intervals = IntervalMethod::kNone;
  double confidence = 0.95;
  std::size_t observations = 0;
  int free_parameters = 0;
  // Of the continuous density; NaN for a constant, whose likelihood is not a density.
  double log_likelihood = std::numeric_limits<double>::quiet_NaN();
  double aic = std::numeric_limits<double>::quiet_NaN();
  double ks_statistic = std::numeric_limits<double>::quiet_NaN();
  double ks_p_value = std::numeric_limits<double>::quiet_NaN();  // until test_goodness_of_fit
  std::uint32_t ks_resamples = 0;  // bootstrap resamples the p-value rests on

  bool fitted() const { return !not_fitted.has_value(); }
  // The fitted distribution, ready to put into a StationSpec. Only for a fitted family.
  Distribution distribution() const;
  // Its cumulative distribution function.
  double cdf(double x_s) const;
};

// The families a comparison considers: every one the engine samples except the empirical.
std::span<const DistributionKind> fittable_families();

// Maximum-likelihood fit of one family with its parameters' confidence intervals and the
// Kolmogorov-Smirnov statistic (its p-value: see test_goodness_of_fit). Durations are in
// seconds and must be finite and >= 0; they need not be sorted. A family that does not apply
// (too few observations, a zero for a family that needs positive durations, a normal whose
// maximum lies at mean <= 0, which the engine does not accept) comes back with `not_fitted`.
DistributionFit fit_distribution(DistributionKind kind, std::span<const double> durations_s,
                                 const FitSettings& settings = {});

// Adds the Kolmogorov-Smirnov p-value by parametric bootstrap to a fitted family (settings'
// bootstrap_resamples; none with 0). A triangular fit has it already: the bootstrap that gave its
// intervals gave the p-value too.
void test_goodness_of_fit(DistributionFit& fit, std::span<const double> durations_s,
                          const FitSettings& settings = {});

struct FamilyComparison {
  // Fitted families by AIC, lowest (best) first; those that could not be fitted after them.
  std::vector<DistributionFit> fits;
  // The family chosen (lowest AIC), with intervals and goodness of fit; null when none fitted.
  const DistributionFit* best() const;
};

// Fits every family, chooses by AIC, and tests the chosen one's goodness of fit. The others keep
// their intervals only where they are cheap (not the triangular's bootstrap).
FamilyComparison compare_families(std::span<const double> durations_s,
                                  const FitSettings& settings = {},
                                  std::span<const DistributionKind> families = fittable_families());

}  // namespace linetwin
