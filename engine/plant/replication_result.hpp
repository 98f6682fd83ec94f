// What one replication measured, over its observed period (after warm-up). Plain numbers only:
// experiment/ turns a set of these into estimates with confidence intervals, io/ writes them out.
#pragma once

#include <cstdint>
#include <vector>

namespace linetwin {

struct StationResult {
  // Shares of server time in each state; they add up to 1. With several servers, a station's
  // share is the average over its servers; while the station is down, all its servers are down.
  double working = 0.0;
  double starved = 0.0;
  double blocked = 0.0;
  double down = 0.0;
  std::uint64_t parts_processed = 0;  // services completed in the observed period
  std::uint64_t failures = 0;
  // Active periods (Roser et al. 2001): maximal spans in which the station is working on all its
  // servers or down, i.e. not waiting for parts or for space downstream.
  double active_period_mean_s = 0.0;
  std::uint64_t active_periods = 0;
};

struct BufferResult {
  double occupancy_mean = 0.0;  // time-average number of parts waiting in it
  std::uint64_t occupancy_max = 0;
};

struct SourceResult {
  std::uint64_t arrivals = 0;     // parts created (for an unlimited supply, parts taken)
  std::uint64_t lost = 0;         // arrivals turned away because the output was full
  double loss_probability = 0.0;  // NaN when nothing arrived
  // Share of the time an arrival waited to be taken (when_full: wait), during which the arrival
  // process stood still; NaN for an unlimited supply.
  double blocked = 0.0;
};

struct ReplicationResult {
  std::uint32_t replication = 0;
  double observed_s = 0.0;
  std::uint64_t parts_completed = 0;
  std::uint64_t parts_in_line_at_end = 0;  // entered and not yet out when the run stopped
  double throughput_per_hour = 0.0;
  double wip_mean = 0.0;          // time-average parts in the line (entered, not yet out)
  double lead_time_mean_s = 0.0;  // NaN when no part completed
  double lead_time_p50_s = 0.0;
  double lead_time_p95_s = 0.0;
  std::vector<StationResult> stations;   // in Scene::stations() order
  std::vector<BufferResult> buffers;     // in Scene::buffers() order
  std::vector<SourceResult> sources;     // in Scene::sources() order
  std::int64_t bottleneck_station = -1;  // position in stations, longest mean active period
  std::uint64_t events = 0;              // events executed, warm-up included
};

}  // namespace linetwin
