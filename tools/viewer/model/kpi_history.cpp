#include "kpi_history.hpp"

#include <cassert>
#include <cmath>
#include <limits>

namespace linetwin::viewer {

double line_oee(const ReplicationResult& kpis) {
  double sum = 0.0;
  int count = 0;
  for (const StationResult& s : kpis.stations) {
    if (std::isnan(s.oee.oee)) continue;
    sum += s.oee.oee;
    ++count;
  }
  return count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
}

KpiHistory::KpiHistory(std::size_t max_points, double interval_s)
    : max_points_(max_points), first_interval_s_(interval_s), interval_s_(interval_s) {
  assert(max_points >= 2 && interval_s > 0.0);
  points_.reserve(max_points);
}

void KpiHistory::clear() {
  points_.clear();
  interval_s_ = first_interval_s_;
}

void KpiHistory::record(double time_s, const ReplicationResult& kpis) {
  if (!points_.empty() && time_s < points_.back().time_s) clear();
  if (!points_.empty() && time_s < points_.back().time_s + interval_s_) return;
  if (points_.size() == max_points_) {
    // Keep the points at even positions (the first one among them), twice as far apart.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < points_.size(); i += 2)
      points_[kept++] = points_[i];
    points_.resize(kept);
    interval_s_ *= 2.0;
    if (time_s < points_.back().time_s + interval_s_) return;
  }
  points_.push_back(
      {time_s, kpis.throughput_per_hour, kpis.wip_mean, kpis.lead_time_mean_s, line_oee(kpis)});
}

}  // namespace linetwin::viewer
