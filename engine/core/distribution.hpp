// Probability distributions of durations (processing, inter-arrival, time to failure, time to
// repair). A Distribution is a small value: a kind and its parameters, sampled by a switch, so a
// station holds its distributions inline and a draw costs no virtual call.
//
// All distributions here produce non-negative values, since they model durations. The normal
// distribution is truncated at zero by rejection (hence its mean must be positive: at least half
// of the draws are accepted). The lognormal is parameterised by the mean and standard deviation of
// the duration itself, as engineers quote them, not of its logarithm. Erlang-k is gamma with an
// integer shape. Empirical resamples the listed observations with equal weight.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/random_stream.hpp"

namespace linetwin {

class StableHash;

enum class DistributionKind : std::uint8_t {
  kConstant,
  kUniform,
  kTriangular,
  kExponential,
  kNormal,
  kLognormal,
  kGamma,
  kWeibull,
  kEmpirical,
};

std::string_view to_string(DistributionKind kind);
// Accepts the names above in lower case, and "erlang" (mapped to gamma) and "deterministic".
std::optional<DistributionKind> distribution_kind_from_string(std::string_view name);

class Distribution {
 public:
  static Distribution constant(double value);
  static Distribution uniform(double min, double max);
  static Distribution triangular(double min, double mode, double max);
  static Distribution exponential(double mean);
  static Distribution normal(double mean, double sd);  // truncated at zero
  static Distribution lognormal(double mean, double sd);
  static Distribution gamma(double shape, double scale);
  static Distribution erlang(int k, double mean) { return gamma(k, mean / k); }
  static Distribution weibull(double shape, double scale);
  static Distribution empirical(std::vector<double> samples);

  Distribution() = default;  // constant zero

  // What is wrong with the parameters, phrased as "expected ..., found ...", or nothing when they
  // are valid. Loaders call this and attach the file and field.
  std::optional<std::string> problem() const;

  // The exponential, the workhorse of queueing models, is sampled inline; the rest out of line.
  [[gnu::always_inline]] double sample(RandomStream& rng) const {
    if (kind_ == DistributionKind::kExponential) return -a_ * std::log(rng.uniform_open0());
    return sample_other(rng);
  }
  // What is left of a duration that has already lasted `elapsed_s`: a draw X - elapsed of X given
  // X > elapsed (the residual life). Where no draw in kMaxRemainingTries exceeds it, the duration
  // is overdue and ends now (0). The exponential forgets its age and the constant has none to
  // draw, so neither draws more than once; an unknown age (NaN) draws the whole duration.
  double sample_remaining(double elapsed_s, RandomStream& rng) const;
  static constexpr int kMaxRemainingTries = 1000;
  // The exact mean (for the normal, the mean after truncation at zero).
  double mean() const;
  DistributionKind kind() const { return kind_; }
  // Human-readable, e.g. "exponential(mean=60s)".
  std::string describe() const;
  // Adds the kind and every parameter, to the bit, to `hash` (a scene's fingerprint).
  void add_to(StableHash& hash) const;

 private:
  Distribution(DistributionKind kind, double a, double b = 0.0, double c = 0.0);
  double sample_other(RandomStream& rng) const;
  double standard_normal(RandomStream& rng) const;
  double gamma_draw(RandomStream& rng) const;

  DistributionKind kind_ = DistributionKind::kConstant;
  double a_ = 0.0;  // constant: value; uniform/triangular: min; exponential: mean;
                    // normal/lognormal: mean; gamma/weibull: shape
  double b_ = 0.0;  // uniform/triangular: max; normal/lognormal: sd; gamma/weibull: scale
  double c_ = 0.0;  // triangular: mode
  // Lognormal: mu and sigma of the logarithm, precomputed.
  double log_mu_ = 0.0;
  double log_sigma_ = 0.0;
  std::vector<double> samples_;
};

}  // namespace linetwin
