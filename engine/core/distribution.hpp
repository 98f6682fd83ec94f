// Probability distributions of durations (processing, inter-arrival, time to failure, time to
// repair). A Distribution is a small value: a kind and its parameters, sampled by a switch, so a
// station holds its distributions inline and a draw costs no virtual call.
//
// All distributions here produce non-negative values, since they model durations. The normal
// distribution is truncated at zero by rejection (hence its mean must be positive: at least half
// of the draws are accepted). The lognormal is parameterised by the mean and standard deviation of
// the duration itself, as engineers quote them, not of its logarithm. Erlang-k is gamma with an
// integer shape. Empirical resamples the listed observations with equal weight.
//
// describe() shows a distribution as the scene wrote it: its name (an erlang is a gamma to the
// sampler, a deterministic one a constant) and each duration in the unit it was typed in. That
// written form is a few bytes in the padding after the kind, so a Distribution is no bigger, and
// sampling, the mean and the scene's fingerprint never read it: 60s and 1min are the same line.
#pragma once

#include <array>
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

// The unit a duration was typed in, shown back by Distribution::describe().
enum class DurationUnit : std::uint8_t {
  kSeconds,  // also a bare number
  kMilliseconds,
  kMinutes,
  kHours,
  kDays,
  kWeeks,
};
// The unit at the end of a duration as parse_duration_seconds reads it ("5min", "90", "2 h");
// nothing when the text ends in no unit it knows.
std::optional<DurationUnit> duration_unit_of(std::string_view text);

class Distribution {
 public:
  static Distribution constant(double value);
  // A constant the scene called `deterministic`.
  static Distribution deterministic(double value);
  static Distribution uniform(double min, double max);
  static Distribution triangular(double min, double mode, double max);
  static Distribution exponential(double mean);
  static Distribution normal(double mean, double sd);  // truncated at zero
  static Distribution lognormal(double mean, double sd);
  static Distribution gamma(double shape, double scale);
  // Gamma with shape k and scale mean / k, described by k and its mean.
  static Distribution erlang(int k, double mean);
  // Gamma with this shape and scale mean / shape, described by its shape and mean, as a scene
  // that gives `mean` rather than `scale` wrote it (a shape <= 0 keeps scale 0 for problem()).
  static Distribution gamma_with_mean(double shape, double mean);
  static Distribution weibull(double shape, double scale);
  static Distribution empirical(std::vector<double> samples);

  Distribution() = default;  // constant zero

  // What is wrong with the parameters, phrased as "expected ..., found ...", or nothing when they
  // are valid. Loaders call this and attach the file and field.
  std::optional<std::string> problem() const;

  // The exponential, the workhorse of queueing models, is sampled inline; the rest out of line.
  [[gnu::always_inline]] double sample(RandomStream& rng) const {
    if (kind_ == DistributionKind::kExponential) return exponential_draw(a_, rng);
    return sample_other(rng);
  }
  // A draw of the exponential with this mean, as sample() makes it: for callers that keep the
  // mean of a distribution they know to be exponential at hand.
  [[gnu::always_inline]] static double exponential_draw(double mean, RandomStream& rng) {
    return -mean * std::log(rng.uniform_open0());
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
  // The same distribution, shown with its durations in these units (in the order the factory
  // takes its durations: min, mode, max; mean, sd; a gamma's or a Weibull's scale; an erlang's
  // mean). An empirical distribution is described by its count of samples, in no unit.
  Distribution with_units(DurationUnit first, DurationUnit second = DurationUnit::kSeconds,
                          DurationUnit third = DurationUnit::kSeconds) const;
  // As the scene wrote it, each duration a number, a space and its unit: "exponential(mean=1
  // min)", "erlang(k=3, mean=1 min)", "lognormal(mean=40 s, sd=12 s)", "deterministic(5 min)",
  // "gamma(shape=2, scale=15 s)", "gamma(shape=8, mean=80 s)", "empirical(3 samples)". Made in
  // code, a distribution is described in seconds.
  std::string describe() const;
  // Adds the kind and every parameter, to the bit, to `hash` (a scene's fingerprint).
  void add_to(StableHash& hash) const;

 private:
  Distribution(DistributionKind kind, double a, double b = 0.0, double c = 0.0);
  double sample_other(RandomStream& rng) const;
  double standard_normal(RandomStream& rng) const;
  double gamma_draw(RandomStream& rng) const;

  // The name the scene used where it is not the kind's.
  enum class WrittenName : std::uint8_t { kKind, kErlang, kGammaByMean, kDeterministic };

  DistributionKind kind_ = DistributionKind::kConstant;
  WrittenName written_name_ = WrittenName::kKind;
  std::array<DurationUnit, 3> units_{};  // in with_units() order
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
