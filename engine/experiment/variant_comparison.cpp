#include "experiment/variant_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/students_t.hpp>

namespace linetwin {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> defined(const std::vector<double>& values) {
  std::vector<double> out;
  for (double v : values) {
    if (!std::isnan(v)) out.push_back(v);
  }
  return out;
}

double two_sided_p(double t, double degrees_of_freedom) {
  if (!std::isfinite(t)) return std::isnan(t) ? kNaN : 0.0;
  const boost::math::students_t distribution(degrees_of_freedom);
  return 2.0 * boost::math::cdf(boost::math::complement(distribution, std::fabs(t)));
}

double t_quantile(double confidence, double degrees_of_freedom) {
  const boost::math::students_t distribution(degrees_of_freedom);
  return boost::math::quantile(boost::math::complement(distribution, (1.0 - confidence) / 2.0));
}

struct Welch {
  double mean = kNaN, half_width = kNaN, p_value = kNaN, stdev = kNaN, low = kNaN, high = kNaN;
  double degrees_of_freedom = kNaN;
};

Welch welch(const Estimate& a, const Estimate& b, double confidence) {
  Welch w;
  w.mean = b.mean - a.mean;
  if (!a.has_interval || !b.has_interval) return w;
  const double va = a.stdev * a.stdev / static_cast<double>(a.replications);
  const double vb = b.stdev * b.stdev / static_cast<double>(b.replications);
  const double se = std::sqrt(va + vb);
  w.stdev = se;
  if (!(se > 0.0)) {  // both sets constant: the difference is exact
    w.half_width = 0.0;
    w.low = w.high = w.mean;
    w.p_value = w.mean == 0.0 ? 1.0 : 0.0;
    return w;
  }
  w.degrees_of_freedom = (va + vb) * (va + vb) /
                         (va * va / static_cast<double>(a.replications - 1) +
                          vb * vb / static_cast<double>(b.replications - 1));
  w.half_width = t_quantile(confidence, w.degrees_of_freedom) * se;
  w.low = w.mean - w.half_width;
  w.high = w.mean + w.half_width;
  w.p_value = two_sided_p(w.mean / se, w.degrees_of_freedom);
  return w;
}

}  // namespace

std::vector<double> kpi_values(const ReplicationTable& table, std::size_t column,
                               const std::vector<ReplicationResult>& results) {
  std::vector<double> out;
  out.reserve(results.size());
  for (const ReplicationResult& r : results)
    out.push_back(r.deadlock ? kNaN : table.value(r, column));
  return out;
}

Estimate kpi_estimate(const ReplicationTable& table, std::size_t column,
                      const std::vector<ReplicationResult>& results, double confidence) {
  return estimate(defined(kpi_values(table, column, results)), confidence);
}

KpiComparison compare_kpi(std::string kpi, const std::vector<double>& baseline,
                          const std::vector<double>& variant, bool paired, double confidence) {
  KpiComparison c;
  c.kpi = std::move(kpi);
  c.paired = paired;
  // Paired: both sides over the replications they have in common, so that the two means and the
  // mean difference describe the same runs (a precision goal or a selection may have added
  // replications to one side only).
  const std::size_t common = std::min(baseline.size(), variant.size());
  const std::vector<double> b(
      baseline.begin(),
      baseline.begin() + static_cast<std::ptrdiff_t>(paired ? common : baseline.size()));
  const std::vector<double> v(
      variant.begin(),
      variant.begin() + static_cast<std::ptrdiff_t>(paired ? common : variant.size()));
  c.baseline = estimate(defined(b), confidence);
  c.variant = estimate(defined(v), confidence);
  const Welch unpaired = welch(c.baseline, c.variant, confidence);
  c.unpaired_half_width = unpaired.half_width;
  if (paired) {
    std::vector<double> differences;
    for (std::size_t r = 0; r < common; ++r) {
      if (!std::isnan(b[r]) && !std::isnan(v[r])) differences.push_back(v[r] - b[r]);
    }
    c.difference = estimate(differences, confidence);
    if (c.difference.has_interval) {
      const double se = c.difference.stdev / std::sqrt(static_cast<double>(differences.size()));
      c.p_value = se > 0.0 ? two_sided_p(c.difference.mean / se,
                                         static_cast<double>(differences.size() - 1))
                           : (c.difference.mean == 0.0 ? 1.0 : 0.0);
    } else {
      c.p_value = kNaN;
    }
  } else {
    c.difference.mean = unpaired.mean;
    c.difference.stdev = kNaN;  // no per-replication differences to spread
    c.difference.ci_low = unpaired.low;
    c.difference.ci_high = unpaired.high;
    c.difference.confidence = confidence;
    c.difference.replications = std::min(c.baseline.replications, c.variant.replications);
    c.difference.has_interval = !std::isnan(unpaired.half_width);
    c.p_value = unpaired.p_value;
  }
  c.differs =
      c.difference.has_interval && (c.difference.ci_low > 0.0 || c.difference.ci_high < 0.0);
  return c;
}

std::vector<std::size_t> rank_by_mean(const std::vector<Estimate>& estimates,
                                      bool larger_is_better) {
  std::vector<std::size_t> order(estimates.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double x = estimates[a].mean, y = estimates[b].mean;
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return larger_is_better ? x > y : x < y;
  });
  return order;
}

}  // namespace linetwin
