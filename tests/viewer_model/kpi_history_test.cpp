// The KPI history keeps an even spacing over the whole run in bounded memory.
#include <doctest/doctest.h>

#include <cmath>

#include "kpi_history.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {
ReplicationResult kpis_at(double t) {
  ReplicationResult r;
  r.throughput_per_hour = t;  // a KPI that tells the point's time
  r.wip_mean = 2.0;
  r.lead_time_mean_s = 60.0;
  r.stations.resize(2);
  r.stations[0].oee.oee = 0.5;
  r.stations[1].oee.oee = 0.7;
  return r;
}
}  // namespace

TEST_CASE("the KPI history samples once per interval and decimates when full") {
  KpiHistory history(8, 1.0);
  for (double t = 0.0; t < 4.0; t += 0.25)
    history.record(t, kpis_at(t));
  REQUIRE(history.points().size() == 4);  // 0, 1, 2, 3
  CHECK(history.points()[3].time_s == 3.0);
  CHECK(history.points()[3].throughput_per_hour == 3.0);
  CHECK(history.points()[3].oee == doctest::Approx(0.6));  // the stations' mean

  for (double t = 4.0; t <= 1000.0; t += 0.25)
    history.record(t, kpis_at(t));
  const auto& points = history.points();
  CHECK(points.size() <= 8);
  CHECK(points.size() >= 4);
  CHECK(points.front().time_s == 0.0);
  // Even spacing at the current interval, and the latest point no older than one interval.
  for (std::size_t i = 1; i < points.size(); ++i)
    CHECK(points[i].time_s - points[i - 1].time_s == history.interval_s());
  CHECK(1000.0 - points.back().time_s < history.interval_s());
  CHECK(history.interval_s() == 128.0);  // doubled each time 8 points were full: 8, 16, ... 512 s

  history.record(10.0, kpis_at(10.0));  // back in time: a replay scrubbed back
  REQUIRE(history.points().size() == 1);
  CHECK(history.interval_s() == 1.0);
}

TEST_CASE("line OEE is the mean of the stations that have one") {
  ReplicationResult r = kpis_at(0.0);
  r.stations.push_back({});
  r.stations.back().oee.oee = std::nan("");
  CHECK(line_oee(r) == doctest::Approx(0.6));
  r.stations.clear();
  CHECK(std::isnan(line_oee(r)));
}
