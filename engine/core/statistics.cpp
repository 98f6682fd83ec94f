#include "core/statistics.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <boost/math/distributions/students_t.hpp>

#include "core/state_stream.hpp"

namespace linetwin {

void TimeAverage::transfer_state(StateStream& io) {
  io.value(start_);
  io.value(area_);
  io.value(value_);
}

void TimeIntegral::transfer_state(StateStream& io) {
  io.value(start_);
  io.value(area_);
}

namespace {
// The quantile of the whole of `values` (numpy's type 7), given that every element at or after
// `limit` is no smaller than any element before it, so the order statistics it needs lie before
// `limit` (or at it). Reorders [begin, limit].
double quantile_within(std::vector<double>& values, std::size_t limit, double probability) {
  const double position = probability * static_cast<double>(values.size() - 1);
  const auto lower_index = static_cast<std::size_t>(std::floor(position));
  const double fraction = position - static_cast<double>(lower_index);
  const auto end = values.begin() + static_cast<std::ptrdiff_t>(std::min(limit + 1, values.size()));
  auto lower = values.begin() + static_cast<std::ptrdiff_t>(lower_index);
  std::nth_element(values.begin(), lower, end);
  const double low = *lower;
  if (fraction == 0.0 || lower_index + 1 >= values.size()) return low;
  // After nth_element the next order statistic is the minimum of the part above; if the known
  // part ends right here, it is the minimum of the (larger) rest.
  const auto above_end = lower + 1 == end ? values.end() : end;
  const double high = *std::min_element(lower + 1, above_end);
  return low + fraction * (high - low);
}
}  // namespace

double quantile(std::vector<double>& values, double probability) {
  assert(probability >= 0.0 && probability <= 1.0);
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  return quantile_within(values, values.size(), probability);
}

void quantiles(std::vector<double>& values, std::span<const double> probabilities,
               std::span<double> out) {
  assert(probabilities.size() == out.size());
  std::vector<std::size_t> order(probabilities.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  // Highest first: each selection leaves the smaller elements in front, so the next one only
  // has to look there.
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return probabilities[a] > probabilities[b]; });
  std::size_t limit = values.size();
  for (std::size_t i : order) {
    assert(probabilities[i] >= 0.0 && probabilities[i] <= 1.0);
    if (values.empty()) {
      out[i] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    out[i] = quantile_within(values, limit, probabilities[i]);
    limit = static_cast<std::size_t>(
        std::floor(probabilities[i] * static_cast<double>(values.size() - 1)));
  }
}

double sample_mean(std::span<const double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0.0;
  for (double v : values)
    sum += v;
  return sum / static_cast<double>(values.size());
}

double student_t_critical(double confidence, std::size_t degrees_of_freedom) {
  assert(confidence > 0.0 && confidence < 1.0 && degrees_of_freedom > 0);
  boost::math::students_t dist(static_cast<double>(degrees_of_freedom));
  return boost::math::quantile(dist, 1.0 - (1.0 - confidence) / 2.0);
}

Estimate estimate(std::span<const double> per_replication, double confidence) {
  Estimate result;
  result.confidence = confidence;
  result.replications = per_replication.size();
  if (per_replication.empty()) {
    result.mean = result.ci_low = result.ci_high = result.stdev =
        std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  result.mean = sample_mean(per_replication);
  result.ci_low = result.ci_high = result.mean;
  if (per_replication.size() < 2) return result;
  double squares = 0.0;
  for (double v : per_replication)
    squares += (v - result.mean) * (v - result.mean);
  const auto n = static_cast<double>(per_replication.size());
  result.stdev = std::sqrt(squares / (n - 1.0));
  const double half_width =
      student_t_critical(confidence, per_replication.size() - 1) * result.stdev / std::sqrt(n);
  result.ci_low = result.mean - half_width;
  result.ci_high = result.mean + half_width;
  result.has_interval = true;
  return result;
}

}  // namespace linetwin
