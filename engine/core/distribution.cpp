#include "core/distribution.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "core/state_stream.hpp"

namespace linetwin {

namespace {
struct KindName {
  std::string_view name;
  DistributionKind kind;
};
constexpr KindName kKindNames[] = {
    {"constant", DistributionKind::kConstant},     {"uniform", DistributionKind::kUniform},
    {"triangular", DistributionKind::kTriangular}, {"exponential", DistributionKind::kExponential},
    {"normal", DistributionKind::kNormal},         {"lognormal", DistributionKind::kLognormal},
    {"gamma", DistributionKind::kGamma},           {"weibull", DistributionKind::kWeibull},
    {"empirical", DistributionKind::kEmpirical},
};

struct UnitName {
  std::string_view symbol;
  DurationUnit unit;
  double seconds;
};
// As core/duration.cpp reads them; a bare number is seconds.
constexpr UnitName kUnitNames[] = {
    {"ms", DurationUnit::kMilliseconds, 1e-3}, {"s", DurationUnit::kSeconds, 1.0},
    {"min", DurationUnit::kMinutes, 60.0},     {"h", DurationUnit::kHours, 3600.0},
    {"d", DurationUnit::kDays, 86400.0},       {"w", DurationUnit::kWeeks, 604800.0},
};

// A duration in `unit`: "1.5 min".
std::string in_unit(double seconds, DurationUnit unit) {
  for (const UnitName& entry : kUnitNames) {
    if (entry.unit == unit) return fmt::format("{:g} {}", seconds / entry.seconds, entry.symbol);
  }
  return fmt::format("{:g} s", seconds);
}

bool finite_nonneg(double x) {
  return std::isfinite(x) && x >= 0.0;
}
bool finite_positive(double x) {
  return std::isfinite(x) && x > 0.0;
}
}  // namespace

std::string_view to_string(DistributionKind kind) {
  for (const auto& entry : kKindNames) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}

std::optional<DistributionKind> distribution_kind_from_string(std::string_view name) {
  if (name == "erlang") return DistributionKind::kGamma;
  if (name == "deterministic") return DistributionKind::kConstant;
  for (const auto& entry : kKindNames) {
    if (entry.name == name) return entry.kind;
  }
  return std::nullopt;
}

std::optional<DurationUnit> duration_unit_of(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  std::size_t letters = 0;
  while (letters < text.size() &&
         std::isalpha(static_cast<unsigned char>(text[text.size() - 1 - letters])) != 0)
    ++letters;
  const std::string_view symbol = text.substr(text.size() - letters);
  if (symbol.empty()) return DurationUnit::kSeconds;
  for (const UnitName& entry : kUnitNames) {
    if (entry.symbol == symbol) return entry.unit;
  }
  return std::nullopt;
}

Distribution::Distribution(DistributionKind kind, double a, double b, double c)
    : kind_(kind), a_(a), b_(b), c_(c) {}

Distribution Distribution::constant(double value) {
  return {DistributionKind::kConstant, value};
}
Distribution Distribution::deterministic(double value) {
  Distribution d = constant(value);
  d.written_name_ = WrittenName::kDeterministic;
  return d;
}
Distribution Distribution::uniform(double min, double max) {
  return {DistributionKind::kUniform, min, max};
}
Distribution Distribution::triangular(double min, double mode, double max) {
  return {DistributionKind::kTriangular, min, max, mode};
}
Distribution Distribution::exponential(double mean) {
  return {DistributionKind::kExponential, mean};
}
Distribution Distribution::normal(double mean, double sd) {
  return {DistributionKind::kNormal, mean, sd};
}
Distribution Distribution::gamma(double shape, double scale) {
  return {DistributionKind::kGamma, shape, scale};
}
Distribution Distribution::erlang(int k, double mean) {
  Distribution d = gamma(k, mean / k);
  d.written_name_ = WrittenName::kErlang;
  return d;
}
Distribution Distribution::gamma_with_mean(double shape, double mean) {
  Distribution d = gamma(shape, shape > 0 ? mean / shape : 0.0);
  d.written_name_ = WrittenName::kGammaByMean;
  return d;
}
Distribution Distribution::weibull(double shape, double scale) {
  return {DistributionKind::kWeibull, shape, scale};
}

Distribution Distribution::lognormal(double mean, double sd) {
  Distribution d{DistributionKind::kLognormal, mean, sd};
  if (mean > 0.0 && sd >= 0.0) {
    // Moments of the variable to those of its logarithm.
    const double sigma2 = std::log1p((sd * sd) / (mean * mean));
    d.log_sigma_ = std::sqrt(sigma2);
    d.log_mu_ = std::log(mean) - 0.5 * sigma2;
  }
  return d;
}

Distribution Distribution::empirical(std::vector<double> samples) {
  Distribution d{DistributionKind::kEmpirical, 0.0};
  d.samples_ = std::move(samples);
  return d;
}

std::optional<std::string> Distribution::problem() const {
  switch (kind_) {
    case DistributionKind::kConstant:
      if (!finite_nonneg(a_)) return fmt::format("expected a value >= 0, found {}", a_);
      break;
    case DistributionKind::kUniform:
      if (!finite_nonneg(a_) || !std::isfinite(b_) || b_ < a_) {
        return fmt::format("expected 0 <= min <= max, found min={} max={}", a_, b_);
      }
      break;
    case DistributionKind::kTriangular:
      if (!finite_nonneg(a_) || !std::isfinite(b_) || !(a_ <= c_ && c_ <= b_) || a_ == b_) {
        return fmt::format(
            "expected 0 <= min <= mode <= max and min < max, found min={} mode={} max={}", a_, c_,
            b_);
      }
      break;
    case DistributionKind::kExponential:
      if (!finite_positive(a_)) return fmt::format("expected mean > 0, found {}", a_);
      break;
    case DistributionKind::kNormal:
      // A positive mean keeps the rejection of negative draws below one half.
      if (!finite_positive(a_) || !finite_nonneg(b_)) {
        return fmt::format("expected mean > 0 and sd >= 0, found mean={} sd={}", a_, b_);
      }
      break;
    case DistributionKind::kLognormal:
      if (!finite_positive(a_) || !finite_nonneg(b_)) {
        return fmt::format("expected mean > 0 and sd >= 0, found mean={} sd={}", a_, b_);
      }
      break;
    case DistributionKind::kGamma:
    case DistributionKind::kWeibull:
      if (!finite_positive(a_) || !finite_positive(b_)) {
        return fmt::format("expected shape > 0 and scale > 0, found shape={} scale={}", a_, b_);
      }
      break;
    case DistributionKind::kEmpirical:
      if (samples_.empty()) return std::string("expected at least one sample, found none");
      for (std::size_t i = 0; i < samples_.size(); ++i) {
        if (!finite_nonneg(samples_[i])) {
          return fmt::format("expected samples >= 0, found {} at position {}", samples_[i], i);
        }
      }
      break;
  }
  return std::nullopt;
}

double Distribution::standard_normal(RandomStream& rng) const {
  // Box-Muller, one variate per pair of uniforms: keeps the stream stateless beyond the generator.
  const double radius = std::sqrt(-2.0 * std::log(rng.uniform_open0()));
  return radius * std::cos(2.0 * std::numbers::pi * rng.uniform01());
}

double Distribution::gamma_draw(RandomStream& rng) const {
  // Marsaglia & Tsang (2000), with the shape < 1 boost G(k) = G(k+1) * U^(1/k).
  const double shape = a_ < 1.0 ? a_ + 1.0 : a_;
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  double value;
  for (;;) {
    double x, v;
    do {
      x = standard_normal(rng);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniform_open0();
    if (u < 1.0 - 0.0331 * x * x * x * x ||
        std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) {
      value = d * v;
      break;
    }
  }
  if (a_ < 1.0) value *= std::pow(rng.uniform_open0(), 1.0 / a_);
  return value * b_;
}

double Distribution::sample_other(RandomStream& rng) const {
  switch (kind_) {
    case DistributionKind::kConstant:
      return a_;
    case DistributionKind::kExponential:
      return exponential_draw(a_, rng);
    case DistributionKind::kUniform:
      return a_ + (b_ - a_) * rng.uniform01();
    case DistributionKind::kTriangular: {
      const double u = rng.uniform01();
      const double split = (c_ - a_) / (b_ - a_);
      return u < split ? a_ + std::sqrt(u * (b_ - a_) * (c_ - a_))
                       : b_ - std::sqrt((1.0 - u) * (b_ - a_) * (b_ - c_));
    }
    case DistributionKind::kNormal: {
      for (;;) {
        const double x = a_ + b_ * standard_normal(rng);
        if (x >= 0.0) return x;
      }
    }
    case DistributionKind::kLognormal:
      return std::exp(log_mu_ + log_sigma_ * standard_normal(rng));
    case DistributionKind::kGamma:
      return gamma_draw(rng);
    case DistributionKind::kWeibull:
      return b_ * std::pow(-std::log(rng.uniform_open0()), 1.0 / a_);
    case DistributionKind::kEmpirical: {
      auto index = static_cast<std::size_t>(rng.uniform01() * static_cast<double>(samples_.size()));
      return samples_[index < samples_.size() ? index : samples_.size() - 1];
    }
  }
  return 0.0;
}

double Distribution::sample_remaining(double elapsed_s, RandomStream& rng) const {
  if (std::isnan(elapsed_s) || elapsed_s <= 0.0 || kind_ == DistributionKind::kExponential)
    return sample(rng);
  if (kind_ == DistributionKind::kConstant) return std::max(0.0, a_ - elapsed_s);
  // Rejection from the distribution itself: exact, and cheap unless the age is far in the tail.
  for (int attempt = 0; attempt < kMaxRemainingTries; ++attempt) {
    const double x = sample(rng);
    if (x > elapsed_s) return x - elapsed_s;
  }
  return 0.0;
}

double Distribution::mean() const {
  switch (kind_) {
    case DistributionKind::kConstant:
      return a_;
    case DistributionKind::kExponential:
      return a_;
    case DistributionKind::kUniform:
      return 0.5 * (a_ + b_);
    case DistributionKind::kTriangular:
      return (a_ + b_ + c_) / 3.0;
    case DistributionKind::kNormal: {
      if (b_ == 0.0) return a_;
      // Mean of N(mu, sd) truncated to [0, inf): mu + sd * phi(alpha) / (1 - Phi(alpha)).
      const double alpha = -a_ / b_;
      const double pdf = std::exp(-0.5 * alpha * alpha) / std::sqrt(2.0 * std::numbers::pi);
      const double tail = 0.5 * std::erfc(alpha / std::numbers::sqrt2);
      return a_ + b_ * pdf / tail;
    }
    case DistributionKind::kLognormal:
      return a_;
    case DistributionKind::kGamma:
      return a_ * b_;
    case DistributionKind::kWeibull:
      return b_ * std::tgamma(1.0 + 1.0 / a_);
    case DistributionKind::kEmpirical: {
      double sum = 0.0;
      for (double x : samples_)
        sum += x;
      return samples_.empty() ? 0.0 : sum / static_cast<double>(samples_.size());
    }
  }
  return 0.0;
}

Distribution Distribution::with_units(DurationUnit first, DurationUnit second,
                                      DurationUnit third) const {
  Distribution d = *this;
  d.units_ = {first, second, third};
  return d;
}

std::string Distribution::describe() const {
  const auto time = [&](double seconds, std::size_t k) { return in_unit(seconds, units_[k]); };
  switch (kind_) {
    case DistributionKind::kConstant:
      return fmt::format(
          "{}({})", written_name_ == WrittenName::kDeterministic ? "deterministic" : "constant",
          time(a_, 0));
    case DistributionKind::kExponential:
      return fmt::format("exponential(mean={})", time(a_, 0));
    case DistributionKind::kUniform:
      return fmt::format("uniform({}, {})", time(a_, 0), time(b_, 1));
    case DistributionKind::kTriangular:
      return fmt::format("triangular({}, {}, {})", time(a_, 0), time(c_, 1), time(b_, 2));
    case DistributionKind::kNormal:
      return fmt::format("normal(mean={}, sd={})", time(a_, 0), time(b_, 1));
    case DistributionKind::kLognormal:
      return fmt::format("lognormal(mean={}, sd={})", time(a_, 0), time(b_, 1));
    case DistributionKind::kGamma:
      if (written_name_ == WrittenName::kErlang)
        return fmt::format("erlang(k={:g}, mean={})", a_, time(a_ * b_, 0));
      if (written_name_ == WrittenName::kGammaByMean)
        return fmt::format("gamma(shape={:g}, mean={})", a_, time(a_ * b_, 0));
      return fmt::format("gamma(shape={:g}, scale={})", a_, time(b_, 0));
    case DistributionKind::kWeibull:
      return fmt::format("weibull(shape={:g}, scale={})", a_, time(b_, 0));
    case DistributionKind::kEmpirical:
      return fmt::format("empirical({} samples)", samples_.size());
  }
  return "unknown";
}

void Distribution::add_to(StableHash& hash) const {
  hash.number(static_cast<std::uint64_t>(kind_));
  for (double parameter : {a_, b_, c_})
    hash.number(parameter);
  hash.number(static_cast<std::uint64_t>(samples_.size()));
  for (double x : samples_)
    hash.number(x);
}

}  // namespace linetwin
