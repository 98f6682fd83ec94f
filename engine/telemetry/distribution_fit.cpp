#include "telemetry/distribution_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <numeric>

#include <fmt/format.h>
#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>

#include "core/random_stream.hpp"
#include "core/statistics.hpp"

namespace linetwin {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr DistributionKind kFamilies[] = {
    DistributionKind::kConstant,  DistributionKind::kExponential, DistributionKind::kGamma,
    DistributionKind::kLognormal, DistributionKind::kWeibull,     DistributionKind::kNormal,
    DistributionKind::kUniform,   DistributionKind::kTriangular,
};

// Boost.Math computes in long double by default; double is accurate enough for a fit, and ten
// times faster for the incomplete gamma function, which the KS bootstrap calls most.
using DoublePrecision = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

using Parameters = std::array<double, 3>;  // in the engine's order, as DistributionFit lists them

// What every fit needs from the observations, computed once.
struct Observations {
  std::vector<double> sorted;
  double n = 0.0;
  double sum = 0.0;
  double mean = 0.0;
  double range = 0.0;
  std::size_t zeros = 0;
  double log_sum = 0.0;  // only meaningful without zeros
};

Observations summarise(std::span<const double> durations_s) {
  Observations obs;
  obs.sorted.assign(durations_s.begin(), durations_s.end());
  std::sort(obs.sorted.begin(), obs.sorted.end());
  obs.n = static_cast<double>(obs.sorted.size());
  for (double x : obs.sorted) {
    obs.sum += x;
    if (x == 0.0) {
      ++obs.zeros;
    } else {
      obs.log_sum += std::log(x);
    }
  }
  if (!obs.sorted.empty()) {
    obs.mean = obs.sum / obs.n;
    obs.range = obs.sorted.back() - obs.sorted.front();
  }
  return obs;
}

struct PointFit {
  std::optional<std::string> problem;
  Parameters p{};
  double log_likelihood = kNaN;
};

PointFit failed(std::string why) {
  PointFit fit;
  fit.problem = std::move(why);
  return fit;
}

int free_parameters(DistributionKind kind) {
  switch (kind) {
    case DistributionKind::kConstant:
    case DistributionKind::kExponential:
      return 1;
    case DistributionKind::kTriangular:
      return 3;
    default:
      return 2;
  }
}

std::vector<std::string_view> parameter_names(DistributionKind kind) {
  switch (kind) {
    case DistributionKind::kConstant:
      return {"value"};
    case DistributionKind::kUniform:
      return {"min", "max"};
    case DistributionKind::kTriangular:
      return {"min", "mode", "max"};
    case DistributionKind::kExponential:
      return {"mean"};
    case DistributionKind::kNormal:
    case DistributionKind::kLognormal:
      return {"mean", "sd"};
    case DistributionKind::kGamma:
    case DistributionKind::kWeibull:
      return {"shape", "scale"};
    case DistributionKind::kEmpirical:
      break;
  }
  return {};
}

Distribution make_distribution(DistributionKind kind, const Parameters& p) {
  switch (kind) {
    case DistributionKind::kConstant:
      return Distribution::constant(p[0]);
    case DistributionKind::kUniform:
      return Distribution::uniform(p[0], p[1]);
    case DistributionKind::kTriangular:
      return Distribution::triangular(p[0], p[1], p[2]);
    case DistributionKind::kExponential:
      return Distribution::exponential(p[0]);
    case DistributionKind::kNormal:
      return Distribution::normal(p[0], p[1]);
    case DistributionKind::kLognormal:
      return Distribution::lognormal(p[0], p[1]);
    case DistributionKind::kGamma:
      return Distribution::gamma(p[0], p[1]);
    case DistributionKind::kWeibull:
      return Distribution::weibull(p[0], p[1]);
    case DistributionKind::kEmpirical:
      break;
  }
  return {};
}

// Upper tail of the standard normal, accurate far into the tail.
double normal_upper_tail(double z) {
  return 0.5 * std::erfc(z / std::numbers::sqrt2);
}

// The lognormal's mu and sigma^2 of the logarithm, from the mean and sd of the duration.
std::pair<double, double> lognormal_log_moments(double mean, double sd) {
  const double v = std::log1p((sd * sd) / (mean * mean));
  return {std::log(mean) - 0.5 * v, v};
}

double cdf_of(DistributionKind kind, const Parameters& p, double x) {
  switch (kind) {
    case DistributionKind::kConstant:
      return x < p[0] ? 0.0 : 1.0;
    case DistributionKind::kUniform:
      if (x <= p[0]) return 0.0;
      if (x >= p[1]) return 1.0;
      return (x - p[0]) / (p[1] - p[0]);
    case DistributionKind::kTriangular: {
      const double a = p[0], c = p[1], b = p[2];
      if (x <= a) return 0.0;
      if (x >= b) return 1.0;
      if (x <= c) return (x - a) * (x - a) / ((b - a) * (c - a));
      return 1.0 - (b - x) * (b - x) / ((b - a) * (b - c));
    }
    case DistributionKind::kExponential:
      return x <= 0.0 ? 0.0 : -std::expm1(-x / p[0]);
    case DistributionKind::kNormal:
      // The normal N(mean, sd) conditioned on x >= 0, as the engine draws it.
      if (x < 0.0) return 0.0;
      if (p[1] == 0.0) return x < p[0] ? 0.0 : 1.0;
      return 1.0 - normal_upper_tail((x - p[0]) / p[1]) / normal_upper_tail(-p[0] / p[1]);
    case DistributionKind::kLognormal: {
      if (x <= 0.0) return 0.0;
      const auto [mu, v] = lognormal_log_moments(p[0], p[1]);
      if (v == 0.0) return x < p[0] ? 0.0 : 1.0;
      return normal_upper_tail(-(std::log(x) - mu) / std::sqrt(v));
    }
    case DistributionKind::kGamma:
      return x <= 0.0 ? 0.0 : boost::math::gamma_p(p[0], x / p[1], DoublePrecision());
    case DistributionKind::kWeibull:
      return x <= 0.0 ? 0.0 : -std::expm1(-std::pow(x / p[1], p[0]));
    case DistributionKind::kEmpirical:
      break;
  }
  return kNaN;
}

// ---- maximum-likelihood point estimates, family by family ----

std::optional<std::string> need(const Observations& obs, double at_least) {
  if (obs.n < at_least)
    return fmt::format("expected at least {} observations, found {}", at_least, obs.n);
  return std::nullopt;
}

std::optional<std::string> need_positive(const Observations& obs) {
  if (obs.zeros > 0)
    return fmt::format("expected durations > 0 for this family, found {} of 0 s", obs.zeros);
  return std::nullopt;
}

std::optional<std::string> need_spread(const Observations& obs) {
  if (obs.range <= 0.0) return std::string("expected observations that differ, found all equal");
  return std::nullopt;
}

PointFit fit_exponential(const Observations& obs) {
  if (auto why = need(obs, 1)) return failed(*why);
  if (obs.mean <= 0.0) return failed("expected a mean > 0, found every duration 0 s");
  PointFit fit;
  fit.p = {obs.mean};
  fit.log_likelihood = -obs.n * std::log(obs.mean) - obs.n;
  return fit;
}

PointFit fit_gamma(const Observations& obs) {
  if (auto why = need(obs, 2)) return failed(*why);
  if (auto why = need_positive(obs)) return failed(*why);
  // The shape solves log k - digamma(k) = log(mean) - mean(log x) =: s (Choi and Wette 1969),
  // by Newton's method from Minka's (2002) closed-form approximation.
  const double s = std::log(obs.mean) - obs.log_sum / obs.n;
  if (!(s > 0.0)) return failed("expected observations that differ, found all equal");
  const double guess = (3.0 - s + std::sqrt((s - 3.0) * (s - 3.0) + 24.0 * s)) / (12.0 * s);
  auto score = [s](double k) {
    return std::pair{std::log(k) - boost::math::digamma(k, DoublePrecision()) - s,
                     1.0 / k - boost::math::trigamma(k, DoublePrecision())};
  };
  const double k = boost::math::tools::newton_raphson_iterate(score, guess, guess * 1e-3,
                                                              guess * 1e3 + 10.0, 50);
  const double theta = obs.mean / k;
  PointFit fit;
  fit.p = {k, theta};
  fit.log_likelihood =
      (k - 1.0) * obs.log_sum - obs.n * k - obs.n * k * std::log(theta) - obs.n * std::lgamma(k);
  return fit;
}

PointFit fit_lognormal(const Observations& obs) {
  if (auto why = need(obs, 2)) return failed(*why);
  if (auto why = need_positive(obs)) return failed(*why);
  const double mu = obs.log_sum / obs.n;
  double v = 0.0;
  for (double x : obs.sorted)
    v += (std::log(x) - mu) * (std::log(x) - mu);
  v /= obs.n;
  if (!(v > 0.0)) return failed("expected observations that differ, found all equal");
  const double mean = std::exp(mu + 0.5 * v);
  PointFit fit;
  fit.p = {mean, mean * std::sqrt(std::expm1(v))};
  fit.log_likelihood =
      -obs.log_sum - 0.5 * obs.n * std::log(2.0 * std::numbers::pi * v) - 0.5 * obs.n;
  return fit;
}

double weibull_log_likelihood(const Observations& obs, double k, double scale) {
  double sum_z = 0.0;
  for (double x : obs.sorted)
    sum_z += std::pow(x / scale, k);
  return obs.n * std::log(k) - obs.n * k * std::log(scale) + (k - 1.0) * obs.log_sum - sum_z;
}

PointFit fit_weibull(const Observations& obs) {
  if (auto why = need(obs, 2)) return failed(*why);
  if (auto why = need_positive(obs)) return failed(*why);
  if (auto why = need_spread(obs)) return failed(*why);
  // The shape solves sum x^k log x / sum x^k - 1/k - mean(log x) = 0, which rises with k. With
  // x divided by the largest observation, x^k stays in (0, 1] for any k.
  const double largest = obs.sorted.back();
  std::vector<double> log_y(obs.sorted.size());
  double mean_log_y = 0.0;
  for (std::size_t i = 0; i < log_y.size(); ++i) {
    log_y[i] = std::log(obs.sorted[i] / largest);
    mean_log_y += log_y[i];
  }
  mean_log_y /= obs.n;
  auto power_mean = [&](double k) {
    double s0 = 0.0, s1 = 0.0;
    for (double ly : log_y) {
      const double w = std::exp(k * ly);
      s0 += w;
      s1 += w * ly;
    }
    return std::pair{s0, s1};
  };
  auto score = [&](double k) {
    const auto [s0, s1] = power_mean(k);
    return s1 / s0 - 1.0 / k - mean_log_y;
  };
  double sd_log = 0.0;
  for (double ly : log_y)
    sd_log += (ly - mean_log_y) * (ly - mean_log_y);
  sd_log = std::sqrt(sd_log / obs.n);
  // log x of a Weibull has sd pi / (k sqrt 6): the starting point.
  const double guess = std::clamp(std::numbers::pi / (std::sqrt(6.0) * sd_log), 1e-3, 1e6);
  std::uintmax_t iterations = 200;
  const auto [low, high] = boost::math::tools::bracket_and_solve_root(
      score, guess, 2.0, true, boost::math::tools::eps_tolerance<double>(45), iterations);
  const double k = 0.5 * (low + high);
  const double scale = largest * std::pow(power_mean(k).first / obs.n, 1.0 / k);
  PointFit fit;
  fit.p = {k, scale};
  fit.log_likelihood = weibull_log_likelihood(obs, k, scale);
  return fit;
}

// phi(t) / Phi(t): the inverse Mills ratio of the normal truncated below at -t standard units.
double mills(double t) {
  const double pdf = std::exp(-0.5 * t * t) / std::sqrt(2.0 * std::numbers::pi);
  return pdf / normal_upper_tail(-t);
}

double truncated_normal_log_likelihood(const Observations& obs, double mu, double sigma) {
  double s2 = 0.0;
  for (double x : obs.sorted)
    s2 += (x - mu) * (x - mu);
  return -0.5 * obs.n * std::log(2.0 * std::numbers::pi) - obs.n * std::log(sigma) -
         s2 / (2.0 * sigma * sigma) - obs.n * std::log(normal_upper_tail(-mu / sigma));
}

PointFit fit_normal(const Observations& obs) {
  if (auto why = need(obs, 2)) return failed(*why);
  if (auto why = need_spread(obs)) return failed(*why);
  double m2 = 0.0;
  for (double x : obs.sorted)
    m2 += x * x;
  m2 /= obs.n;
  const double plain_sd = std::sqrt(std::max(0.0, m2 - obs.mean * obs.mean));
  double mu = obs.mean, sigma = plain_sd;
  if (obs.mean < 8.0 * plain_sd) {
    // The normal truncated at zero is an exponential family in (x, x^2): its maximum likelihood
    // matches the first two moments. Their ratio mean^2 / E[x^2] depends on t = mu / sigma only:
    // with h = phi(t) / Phi(t), E[x] = sigma (t + h) and E[x^2] = sigma^2 (1 + t^2 + t h).
    // Beyond 8 standard units the truncation changes nothing in double precision.
    auto ratio = [](double t) {
      const double h = mills(t);
      return (t + h) * (t + h) / (1.0 + t * t + t * h);
    };
    const double target = obs.mean * obs.mean / m2;
    if (target <= ratio(0.0)) {
      return failed(fmt::format(
          "the engine's normal needs mean > 0, and these observations are too skewed for one "
          "(coefficient of variation {:.3g}; at most {:.3g} with mean > 0)",
          plain_sd / obs.mean, std::sqrt(1.0 / ratio(0.0) - 1.0)));
    }
    std::uintmax_t iterations = 200;
    const auto [low, high] = boost::math::tools::toms748_solve(
        [&](double t) { return ratio(t) - target; }, 0.0, 9.0,
        boost::math::tools::eps_tolerance<double>(45), iterations);
    const double t = 0.5 * (low + high);
    sigma = obs.mean / (t + mills(t));
    mu = t * sigma;
  }
  PointFit fit;
  fit.p = {mu, sigma};
  fit.log_likelihood = truncated_normal_log_likelihood(obs, mu, sigma);
  return fit;
}

PointFit fit_uniform(const Observations& obs) {
  if (auto why = need(obs, 2)) return failed(*why);
  if (auto why = need_spread(obs)) return failed(*why);
  PointFit fit;
  fit.p = {obs.sorted.front(), obs.sorted.back()};
  fit.log_likelihood = -obs.n * std::log(obs.range);
  return fit;
}

// The triangular's log-likelihood with its mode at the observation x[r] (sorted). Points left of
// the mode have density 2 (x - a) / ((b - a)(c - a)), points right of it 2 (b - x) / ((b - a)(b -
// c)), the mode itself 2 / (b - a). The terms of the points left of the mode depend on a only,
// those right of it on b only: each bound's step sums only its side.
double triangular_left(const std::vector<double>& x, double a, std::size_t r) {
  double sum = 0.0;
  for (std::size_t i = 0; i < r; ++i)
    sum += std::log((x[i] - a) / (x[r] - a));
  return sum;
}
double triangular_right(const std::vector<double>& x, double b, std::size_t r) {
  double sum = 0.0;
  for (std::size_t i = r + 1; i < x.size(); ++i)
    sum += std::log((b - x[i]) / (b - x[r]));
  return sum;
}
double triangular_log_likelihood(const std::vector<double>& x, double a, double b, std::size_t r) {
  const double n = static_cast<double>(x.size());
  return n * std::log(2.0 / (b - a)) + triangular_left(x, a, r) + triangular_right(x, b, r);
}

// For given bounds, the mode's maximum-likelihood value is one of the observations (Oliver 1972):
// the one that maximises the log-likelihood, found in one pass with running sums.
std::size_t best_mode(const std::vector<double>& x, double a, double b) {
  const std::size_t n = x.size();
  std::vector<double> right(n + 1, 0.0);  // right[i] = sum over j >= i of log(b - x[j])
  for (std::size_t i = n; i-- > 0;)
    right[i] = right[i + 1] + std::log(b - x[i]);
  double left = 0.0;  // sum over j < r of log(x[j] - a)
  double best = -std::numeric_limits<double>::infinity();
  std::size_t best_r = 0;
  for (std::size_t r = 0; r < n; ++r) {
    const double l = static_cast<double>(r), m = static_cast<double>(n - 1 - r);
    double value = left + right[r + 1];
    if (r > 0) value -= l * std::log(x[r] - a);
    if (r + 1 < n) value -= m * std::log(b - x[r]);
    if (value > best) {
      best = value;
      best_r = r;
    }
    left += std::log(x[r] - a);
  }
  return best_r;
}

PointFit fit_triangular(const Observations& obs) {
  if (auto why = need(obs, 3)) return failed(*why);
  if (auto why = need_spread(obs)) return failed(*why);
  // No closed form and a support that moves with the parameters: coordinate ascent over the
  // mode (among the observations), the lower bound and the upper bound, each step maximising the
  // likelihood exactly (Brent's method for a bound), so it never decreases. Bounds are searched
  // within one range of the observations (and the lower one at >= 0, as the engine requires).
  const std::vector<double>& x = obs.sorted;
  const double n = obs.n;
  const double lowest = x.front(), highest = x.back();
  const double a_floor = std::max(0.0, lowest - obs.range);
  const double b_ceiling = highest + obs.range;
  const double gap = 1e-9 * obs.range;  // keeps a bound off an observation it must stay below
  double a = std::max(a_floor, lowest - 0.05 * obs.range);
  double b = highest + 0.05 * obs.range;
  std::size_t r = best_mode(x, a, b);
  double ll = triangular_log_likelihood(x, a, b, r);
  for (int iteration = 0; iteration < 500; ++iteration) {
    const double before = ll;
    if (r == 0) {
      // The mode is the lowest observation: the closer the bound, the likelier. It stays a gap
      // below, so that the next step may still move the mode up.
      a = std::max(a_floor, lowest - gap);
    } else if (lowest - gap > a_floor) {
      std::uintmax_t iterations = 100;
      a = boost::math::tools::brent_find_minima(
              [&](double at) { return n * std::log(b - at) - triangular_left(x, at, r); }, a_floor,
              lowest - gap, 40, iterations)
              .first;
    }
    if (r + 1 == x.size()) {
      b = highest + gap;
    } else {
      std::uintmax_t iterations = 100;
      b = boost::math::tools::brent_find_minima(
              [&](double at) { return n * std::log(at - a) - triangular_right(x, at, r); },
              highest + gap, b_ceiling, 40, iterations)
              .first;
    }
    r = best_mode(x, a, b);
    ll = triangular_log_likelihood(x, a, b, r);
    if (ll - before <= 1e-10 * (1.0 + std::abs(ll))) break;
  }
  PointFit fit;
  fit.p = {a, x[r], b};
  fit.log_likelihood = ll;
  return fit;
}

PointFit fit_constant(const Observations& obs, double tolerance_s) {
  if (auto why = need(obs, 1)) return failed(*why);
  if (obs.range > tolerance_s) {
    return failed(fmt::format(
        "a constant fits only observations that are all equal; these differ by up to {:.6g} s",
        obs.range));
  }
  PointFit fit;
  fit.p = {obs.mean};
  return fit;
}

PointFit fit_point_unguarded(DistributionKind kind, const Observations& obs,
                             const FitSettings& settings) {
  switch (kind) {
    case DistributionKind::kConstant:
      return fit_constant(obs, settings.constant_tolerance_s);
    case DistributionKind::kUniform:
      return fit_uniform(obs);
    case DistributionKind::kTriangular:
      return fit_triangular(obs);
    case DistributionKind::kExponential:
      return fit_exponential(obs);
    case DistributionKind::kNormal:
      return fit_normal(obs);
    case DistributionKind::kLognormal:
      return fit_lognormal(obs);
    case DistributionKind::kGamma:
      return fit_gamma(obs);
    case DistributionKind::kWeibull:
      return fit_weibull(obs);
    case DistributionKind::kEmpirical:
      break;
  }
  return failed("the empirical distribution resamples the observations; it has nothing to fit");
}

PointFit fit_point(DistributionKind kind, const Observations& obs, const FitSettings& settings) {
  try {
    return fit_point_unguarded(kind, obs, settings);
  } catch (const std::exception& e) {
    // Boost.Math's root finders throw when they cannot converge: this family does not fit, and
    // the others may still.
    return failed(fmt::format("the likelihood equations could not be solved: {}", e.what()));
  }
}

double ks_distance(DistributionKind kind, const Parameters& p, const std::vector<double>& sorted) {
  const double n = static_cast<double>(sorted.size());
  double d = 0.0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double f = cdf_of(kind, p, sorted[i]);
    const double i_d = static_cast<double>(i);
    d = std::max({d, f - i_d / n, (i_d + 1.0) / n - f});
  }
  return d;
}

// ---- confidence intervals ----

double two_sided_z(double confidence) {
  return boost::math::quantile(boost::math::normal(), 0.5 + 0.5 * confidence);
}

// Wald intervals from the observed Fisher information -H (H: Hessian of the log-likelihood at
// the maximum), on the log scale for positive parameters. Leaves the intervals out when -H is not
// positive definite (a maximum on the boundary, or too few observations to curve).
void fisher_intervals(DistributionFit& fit, const Eigen::Matrix2d& hessian,
                      const std::array<bool, 2>& log_scale) {
  const Eigen::LLT<Eigen::Matrix2d> information(-hessian);
  if (information.info() != Eigen::Success) return;
  const Eigen::Matrix2d covariance = information.solve(Eigen::Matrix2d::Identity());
  const double z = two_sided_z(fit.confidence);
  for (int i = 0; i < 2; ++i) {
    FittedParameter& param = fit.parameters[static_cast<std::size_t>(i)];
    param.standard_error = std::sqrt(covariance(i, i));
    if (log_scale[static_cast<std::size_t>(i)]) {
      const double spread = z * param.standard_error / param.value;
      param.ci_low = param.value * std::exp(-spread);
      param.ci_high = param.value * std::exp(spread);
    } else {
      param.ci_low = param.value - z * param.standard_error;
      param.ci_high = param.value + z * param.standard_error;
    }
  }
  fit.intervals = IntervalMethod::kFisherInformation;
}

void exponential_intervals(DistributionFit& fit, const Observations& obs) {
  // 2 n mean_hat / mean is chi-squared with 2 n degrees of freedom.
  const boost::math::chi_squared chi2(2.0 * obs.n);
  const double alpha = 1.0 - fit.confidence;
  FittedParameter& mean = fit.parameters[0];
  mean.standard_error = mean.value / std::sqrt(obs.n);
  mean.ci_low = 2.0 * obs.sum / boost::math::quantile(chi2, 1.0 - 0.5 * alpha);
  mean.ci_high = 2.0 * obs.sum / boost::math::quantile(chi2, 0.5 * alpha);
  fit.intervals = IntervalMethod::kExact;
}

void gamma_intervals(DistributionFit& fit, const Observations& obs) {
  const double k = fit.parameters[0].value, theta = fit.parameters[1].value;
  Eigen::Matrix2d h;
  h << -obs.n * boost::math::trigamma(k, DoublePrecision()), -obs.n / theta,  //
      -obs.n / theta, obs.n * k / (theta * theta) - 2.0 * obs.sum / (theta * theta * theta);
  fisher_intervals(fit, h, {true, true});
}

void weibull_intervals(DistributionFit& fit, const Observations& obs) {
  const double k = fit.parameters[0].value, lambda = fit.parameters[1].value;
  // With z = (x / lambda)^k and L = log(x / lambda).
  double sum_z = 0.0, sum_zl = 0.0, sum_zll = 0.0;
  for (double x : obs.sorted) {
    const double l = std::log(x / lambda);
    const double z = std::exp(k * l);
    sum_z += z;
    sum_zl += z * l;
    sum_zll += z * l * l;
  }
  Eigen::Matrix2d h;
  const double kk = -obs.n / (k * k) - sum_zll;
  const double kl = (-obs.n + sum_z + k * sum_zl) / lambda;
  const double ll = (obs.n * k - k * (k + 1.0) * sum_z) / (lambda * lambda);
  h << kk, kl, kl, ll;
  fisher_intervals(fit, h, {true, true});
}

void normal_intervals(DistributionFit& fit, const Observations& obs) {
  const double mu = fit.parameters[0].value, sigma = fit.parameters[1].value;
  const double t = mu / sigma, h = mills(t), dh = -h * (t + h);
  double s1 = 0.0, s2 = 0.0;
  for (double x : obs.sorted) {
    s1 += x - mu;
    s2 += (x - mu) * (x - mu);
  }
  const double n = obs.n, s_2 = sigma * sigma, s_3 = s_2 * sigma, s_4 = s_2 * s_2;
  Eigen::Matrix2d hess;
  const double mm = -n / s_2 - n * dh / s_2;
  const double ms = -2.0 * s1 / s_3 + n * h / s_2 + n * dh * mu / s_3;
  const double ss = n / s_2 - 3.0 * s2 / s_4 - n * mu * mu * dh / s_4 - 2.0 * n * mu * h / s_3;
  hess << mm, ms, ms, ss;
  // The mean may sit close to zero, where a log scale would distort it.
  fisher_intervals(fit, hess, {false, true});
}

void lognormal_intervals(DistributionFit& fit, const Observations& obs) {
  // mu_hat and v_hat (mean and variance of log x) are independent with variances v / n and
  // 2 v^2 / n; log mean = mu + v / 2 and log sd = log mean + log(e^v - 1) / 2 follow by the delta
  // method (Zhou and Gao 1997 for the mean).
  const auto [mu, v] = lognormal_log_moments(fit.parameters[0].value, fit.parameters[1].value);
  const Eigen::Matrix2d covariance = Eigen::Vector2d(v / obs.n, 2.0 * v * v / obs.n).asDiagonal();
  const Eigen::Vector2d grad_mean(1.0, 0.5);
  const Eigen::Vector2d grad_sd(1.0, 0.5 + 0.5 * std::exp(v) / std::expm1(v));
  const double z = two_sided_z(fit.confidence);
  const Eigen::Vector2d grads[2] = {grad_mean, grad_sd};
  for (std::size_t i = 0; i < 2; ++i) {
    const double se_log = std::sqrt(grads[i].dot(covariance * grads[i]));
    FittedParameter& param = fit.parameters[i];
    param.standard_error = param.value * se_log;
    param.ci_low = param.value * std::exp(-z * se_log);
    param.ci_high = param.value * std::exp(z * se_log);
  }
  fit.intervals = IntervalMethod::kFisherInformation;
}

void uniform_intervals(DistributionFit& fit, const Observations& obs) {
  // With D = smallest - min and R the range of the sample, D / (D + R) is Beta(1, n - 1), so
  // P(D <= c R) = 1 - (1 - c / (1 + c))^(n - 1): the one-sided interval [smallest - c R, smallest]
  // holds min with the stated confidence for c = alpha^(-1 / (n - 1)) - 1; max likewise.
  const double c = std::pow(1.0 - fit.confidence, -1.0 / (obs.n - 1.0)) - 1.0;
  // The standard deviation of the sample minimum (and maximum) of n uniforms over the range.
  const double se = obs.range * std::sqrt(obs.n) / ((obs.n + 1.0) * std::sqrt(obs.n + 2.0));
  FittedParameter& min = fit.parameters[0];
  FittedParameter& max = fit.parameters[1];
  min.standard_error = max.standard_error = se;
  min.ci_low = std::max(0.0, min.value - c * obs.range);
  min.ci_high = min.value;
  max.ci_low = max.value;
  max.ci_high = max.value + c * obs.range;
  fit.intervals = IntervalMethod::kExact;
}

// Resamples of the observations' size from the fitted distribution (the engine's own sampler),
// each refitted: their parameters and Kolmogorov-Smirnov distances.
struct Bootstrap {
  std::vector<Parameters> parameters;
  std::vector<double> ks;
};

Bootstrap bootstrap(const DistributionFit& fit, const Parameters& p, std::size_t n,
                    const FitSettings& settings) {
  Bootstrap out;
  const Distribution fitted = make_distribution(fit.kind, p);
  std::vector<double> draws(n);
  for (std::uint32_t b = 0; b < settings.bootstrap_resamples; ++b) {
    RandomStream rng(settings.seed, "distribution-fit bootstrap", to_string(fit.kind), b);
    for (double& x : draws)
      x = fitted.sample(rng);
    const Observations resample = summarise(draws);
    const PointFit refit = fit_point(fit.kind, resample, settings);
    if (refit.problem) continue;  // a resample may fall outside the family's domain: not counted
    out.parameters.push_back(refit.p);
    out.ks.push_back(ks_distance(fit.kind, refit.p, resample.sorted));
  }
  return out;
}

Parameters values_of(const DistributionFit& fit) {
  Parameters p{};
  for (std::size_t i = 0; i < fit.parameters.size(); ++i)
    p[i] = fit.parameters[i].value;
  return p;
}

void set_ks_p_value(DistributionFit& fit, const std::vector<double>& resampled_ks) {
  if (resampled_ks.empty()) return;
  const auto at_least = std::count_if(resampled_ks.begin(), resampled_ks.end(),
                                      [&](double d) { return d >= fit.ks_statistic; });
  fit.ks_resamples = static_cast<std::uint32_t>(resampled_ks.size());
  fit.ks_p_value = (1.0 + static_cast<double>(at_least)) / (1.0 + fit.ks_resamples);
}

void triangular_intervals(DistributionFit& fit, const Observations& obs,
                          const FitSettings& settings) {
  const Bootstrap boot = bootstrap(fit, values_of(fit), obs.sorted.size(), settings);
  if (boot.parameters.size() < 2) return;
  // Percentile intervals; the bootstrap's distances give the goodness of fit at no extra cost.
  const double alpha = 1.0 - fit.confidence;
  const double probabilities[] = {0.5 * alpha, 1.0 - 0.5 * alpha};
  for (std::size_t i = 0; i < 3; ++i) {
    std::vector<double> values;
    for (const Parameters& p : boot.parameters)
      values.push_back(p[i]);
    const double mean =
        std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
    double ss = 0.0;
    for (double v : values)
      ss += (v - mean) * (v - mean);
    double bounds[2];
    quantiles(values, probabilities, bounds);
    FittedParameter& param = fit.parameters[i];
    param.standard_error = std::sqrt(ss / static_cast<double>(values.size() - 1));
    param.ci_low = bounds[0];
    param.ci_high = bounds[1];
  }
  fit.intervals = IntervalMethod::kBootstrap;
  set_ks_p_value(fit, boot.ks);
}

void add_intervals(DistributionFit& fit, const Observations& obs, const FitSettings& settings) {
  switch (fit.kind) {
    case DistributionKind::kConstant:
      fit.parameters[0].standard_error = 0.0;
      fit.parameters[0].ci_low = fit.parameters[0].ci_high = fit.parameters[0].value;
      break;
    case DistributionKind::kExponential:
      exponential_intervals(fit, obs);
      break;
    case DistributionKind::kGamma:
      gamma_intervals(fit, obs);
      break;
    case DistributionKind::kWeibull:
      weibull_intervals(fit, obs);
      break;
    case DistributionKind::kNormal:
      normal_intervals(fit, obs);
      break;
    case DistributionKind::kLognormal:
      lognormal_intervals(fit, obs);
      break;
    case DistributionKind::kUniform:
      uniform_intervals(fit, obs);
      break;
    case DistributionKind::kTriangular:
      triangular_intervals(fit, obs, settings);
      break;
    case DistributionKind::kEmpirical:
      break;
  }
}

// The point estimate as a DistributionFit: parameters named, AIC and KS distance, no intervals.
DistributionFit point_fit(DistributionKind kind, const Observations& obs,
                          const FitSettings& settings) {
  DistributionFit fit;
  fit.kind = kind;
  fit.confidence = settings.confidence;
  fit.observations = obs.sorted.size();
  fit.free_parameters = free_parameters(kind);
  const PointFit point = fit_point(kind, obs, settings);
  if (point.problem) {
    fit.not_fitted = point.problem;
    return fit;
  }
  const std::vector<std::string_view> names = parameter_names(kind);
  for (std::size_t i = 0; i < names.size(); ++i) {
    fit.parameters.push_back({names[i], point.p[i], kNaN, kNaN, kNaN});
  }
  fit.log_likelihood = point.log_likelihood;
  fit.aic = 2.0 * fit.free_parameters - 2.0 * fit.log_likelihood;
  if (kind != DistributionKind::kConstant)
    fit.ks_statistic = ks_distance(kind, point.p, obs.sorted);
  return fit;
}

std::optional<std::string> check_durations(std::span<const double> durations_s) {
  for (std::size_t i = 0; i < durations_s.size(); ++i) {
    if (!std::isfinite(durations_s[i]) || durations_s[i] < 0.0) {
      return fmt::format("expected durations >= 0 s, found {} at position {}", durations_s[i], i);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(IntervalMethod method) {
  switch (method) {
    case IntervalMethod::kNone:
      return "none";
    case IntervalMethod::kExact:
      return "exact";
    case IntervalMethod::kFisherInformation:
      return "observed Fisher information";
    case IntervalMethod::kBootstrap:
      return "parametric bootstrap";
  }
  return "unknown";
}

Distribution DistributionFit::distribution() const {
  return make_distribution(kind, values_of(*this));
}

double DistributionFit::cdf(double x_s) const {
  return cdf_of(kind, values_of(*this), x_s);
}

std::span<const DistributionKind> fittable_families() {
  return kFamilies;
}

DistributionFit fit_distribution(DistributionKind kind, std::span<const double> durations_s,
                                 const FitSettings& settings) {
  if (auto why = check_durations(durations_s)) {
    DistributionFit fit;
    fit.kind = kind;
    fit.not_fitted = why;
    return fit;
  }
  const Observations obs = summarise(durations_s);
  DistributionFit fit = point_fit(kind, obs, settings);
  if (fit.fitted()) add_intervals(fit, obs, settings);
  return fit;
}

void test_goodness_of_fit(DistributionFit& fit, std::span<const double> durations_s,
                          const FitSettings& settings) {
  if (!fit.fitted() || fit.kind == DistributionKind::kConstant || fit.ks_resamples > 0) return;
  const Bootstrap boot = bootstrap(fit, values_of(fit), durations_s.size(), settings);
  set_ks_p_value(fit, boot.ks);
}

const DistributionFit* FamilyComparison::best() const {
  return !fits.empty() && fits.front().fitted() ? &fits.front() : nullptr;
}

FamilyComparison compare_families(std::span<const double> durations_s, const FitSettings& settings,
                                  std::span<const DistributionKind> families) {
  FamilyComparison out;
  const auto invalid = check_durations(durations_s);
  const Observations obs = summarise(invalid ? std::span<const double>() : durations_s);
  // All observations equal: a constant, and no continuous density to compare it with.
  const bool all_equal =
      !invalid && !obs.sorted.empty() && obs.range <= settings.constant_tolerance_s;
  for (DistributionKind kind : families) {
    DistributionFit fit;
    if (invalid) {
      fit.kind = kind;
      fit.not_fitted = invalid;
    } else if (all_equal && kind != DistributionKind::kConstant) {
      fit.kind = kind;
      fit.observations = obs.sorted.size();
      fit.not_fitted = "every observation is the same: a constant";
    } else {
      fit = point_fit(kind, obs, settings);
    }
    // The triangular's intervals need a bootstrap: only if it is chosen.
    if (fit.fitted() && kind != DistributionKind::kTriangular) add_intervals(fit, obs, settings);
    out.fits.push_back(std::move(fit));
  }
  std::stable_sort(out.fits.begin(), out.fits.end(),
                   [](const DistributionFit& x, const DistributionFit& y) {
                     if (x.fitted() != y.fitted()) return x.fitted();
                     if (!x.fitted()) return false;
                     // A constant has no AIC, and is only ever fitted alone.
                     constexpr double kLowest = -std::numeric_limits<double>::infinity();
                     const double ax = std::isnan(x.aic) ? kLowest : x.aic;
                     const double ay = std::isnan(y.aic) ? kLowest : y.aic;
                     return ax < ay;
                   });
  if (!out.fits.empty() && out.fits.front().fitted()) {
    DistributionFit& best = out.fits.front();
    if (best.kind == DistributionKind::kTriangular) add_intervals(best, obs, settings);
    test_goodness_of_fit(best, obs.sorted, settings);
  }
  return out;
}

}  // namespace linetwin
