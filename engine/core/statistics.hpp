// Statistics of one run, and estimates across replications.
//
// Within a run: TimeAverage integrates a piecewise-constant quantity (WIP, buffer occupancy) over
// simulated time; sample quantiles use the same definition as numpy's default (linear
// interpolation between order statistics, "type 7"), so figures match what an analyst computes
// from the exported samples.
//
// Across replications: each replication gives one independent observation of a KPI, so the
// confidence interval is the Student t interval mean +- t(1-a/2, n-1) * s / sqrt(n). With a single
// replication there is no spread to estimate and the interval is reported as the point itself
// with `has_interval == false`.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace linetwin {

class StateStream;

class TimeAverage {
 public:
  // Starts (or restarts) integration at `now` with the current value kept.
  void reset(double now) {
    start_ = now;
    area_ = -value_ * now;
  }
  // The integral from the last reset to `now` is area_ + value_ * now, where area_ collects
  // -delta * t for every change: one multiply-add per change and no bookkeeping of the time of
  // the last change, which matters on the hot path of a simulation. The cancellation this relies
  // on loses about 16 - log10(now * changes / integral) digits: plenty for any plant horizon.
  void add(double now, double delta) {
    value_ += delta;
    area_ -= delta * now;
  }
  void set(double now, double value) { add(now, value - value_); }
  double value() const { return value_; }
  double integral(double now) const { return area_ + value_ * now; }
  double mean(double now) const {
    const double span = now - start_;
    return span > 0.0 ? integral(now) / span : value_;
  }
  // Saves or restores the integral as it stands (a saved run, core/state_stream.hpp).
  void transfer_state(StateStream& io);

 private:
  double start_ = 0.0;
  double area_ = 0.0;
  double value_ = 0.0;
};

// The integral over time of a piecewise-constant quantity whose value the caller keeps anyway (the
// servers of a station in a state, the parts in a queue): TimeAverage's multiply-add per change,
// without a second copy of the value to update on the hot path. The caller passes the value where
// it is needed.
class TimeIntegral {
 public:
  void reset(double now, double value) {
    start_ = now;
    area_ = -value * now;
  }
  void add(double now, double delta) { area_ -= delta * now; }
  double integral(double now, double value) const { return area_ + value * now; }
  double mean(double now, double value) const {
    const double span = now - start_;
    return span > 0.0 ? integral(now, value) / span : value;
  }
  void transfer_state(StateStream& io);

 private:
  double start_ = 0.0;
  double area_ = 0.0;
};

// Sample quantile with linear interpolation (numpy's default). Reorders `values`. NaN if empty.
double quantile(std::vector<double>& values, double probability);
// Several quantiles of the same values at once, each out[i] for probabilities[i]: cheaper than
// one quantile() call each, since every selection narrows the next one. Reorders `values`.
void quantiles(std::vector<double>& values, std::span<const double> probabilities,
               std::span<double> out);

double sample_mean(std::span<const double> values);

struct Estimate {
  double mean = 0.0;
  double stdev = 0.0;  // sample standard deviation across replications
  double ci_low = 0.0;
  double ci_high = 0.0;
  double confidence = 0.95;
  std::size_t replications = 0;
  bool has_interval = false;  // false with fewer than two replications
};

// Student t confidence interval of the mean of independent replications.
Estimate estimate(std::span<const double> per_replication, double confidence = 0.95);

// The two-sided Student t quantile t(1 - (1-confidence)/2, degrees_of_freedom).
double student_t_critical(double confidence, std::size_t degrees_of_freedom);

}  // namespace linetwin
