// KpiHistory: the line's KPIs over time for the dashboard's charts, one point per sampling
// interval of source time, in bounded memory. When the points reach their limit, every other one
// is dropped and the interval doubles, so a run of any length keeps an even spacing over its
// whole span at no more than `max_points` points (a chart has only so many pixels anyway).
//
// Each point holds the KPIs so far as the source reports them (ReplicationResult): throughput and
// lead time of the observed period, time-average WIP, and the line's OEE, taken as the mean OEE
// of its stations (NaN when no station has one yet).
#pragma once

#include <cstddef>
#include <vector>

#include "plant/replication_result.hpp"

namespace linetwin::viewer {

struct KpiPoint {
  double time_s = 0.0;
  double throughput_per_hour = 0.0;
  double wip = 0.0;
  double lead_time_s = 0.0;
  double oee = 0.0;
};

double line_oee(const ReplicationResult& kpis);

class KpiHistory {
 public:
  // `max_points` >= 2; the first interval is `interval_s` of source time.
  explicit KpiHistory(std::size_t max_points = 2048, double interval_s = 1.0);

  // Adds a point when `time_s` is at least one interval after the last point (the first call
  // always adds one). A time earlier than the last point (a replay scrubbed back) starts afresh.
  void record(double time_s, const ReplicationResult& kpis);
  const std::vector<KpiPoint>& points() const { return points_; }
  double interval_s() const { return interval_s_; }
  void clear();

 private:
  std::size_t max_points_;
  double first_interval_s_;
  double interval_s_;
  std::vector<KpiPoint> points_;
};

}  // namespace linetwin::viewer
