// Vehicle tracks (LineRun::vehicle_tracks) as rows of a recording's /trajectories: each vehicle's
// pose at the instants k / rate (k = 0, 1, ...) of simulated time, while it moves, and once at the
// first instant after it stops, parks or comes onto the floor. A still or parked vehicle therefore
// costs no rows, and a reader finds any vehicle's pose at an instant in its last row at or before
// it (docs/recording-format.md, "/trajectories").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "plant/run/vehicle_tracks.hpp"
#include "plant/scene.hpp"
#include "recording/telemetry_recording.hpp"

namespace linetwin {

// A scene's vehicles as bodies, in LineRun::vehicle_tracks() order: "AGV#1", ... (the fleet's id
// and the vehicle's number from 1) with the fleet's footprint.
std::vector<RecordedBody> vehicle_bodies(const Scene& scene);
// The bodies a recording of the scene holds: vehicle_bodies, then, in the same order, each
// vehicle's load, named load_body_id(vehicle's id), with the fleet's load footprint (the
// vehicle's where the fleet gives none: the load stands within it), then, from
// `first_belt_part` on, the places of the parts on the physics conveyors (belt_part_bodies,
// recording/belt_parts.hpp; BeltPartSampler's `first_body`).
struct RecordedBodies {
  std::vector<RecordedBody> bodies;
  std::uint32_t first_belt_part = 0;
};
RecordedBodies recorded_bodies(const Scene& scene);
std::string load_body_id(const std::string& vehicle_id);

// The instants at which a recording samples moving bodies: k / rate of simulated time, k = 0, 1,
// ... (k / rate, not a running sum, so that instants do not drift over a long run), each with its
// timestamp (timestamp_at_us, core/timestamp.hpp). The vehicles' and the belt parts' rows share
// them.
struct SampleInstants {
  double rate_hz = 0.0;
  std::int64_t start_time_us = 0;  // simulated time 0
  double time_s(std::uint64_t k) const { return static_cast<double>(k) / rate_hz; }
  std::int64_t timestamp_us(double t) const { return timestamp_at_us(start_time_us, t); }
  // Whether an instant at `t` is sampled before `until_s` (with `inclusive`, up to it).
  static bool before(double t, double until_s, bool inclusive) {
    return t < until_s || (inclusive && t == until_s);
  }
};

class TrajectorySampler {
 public:
  // `vehicles` is the run's (it grows as the run goes on, and must outlive the sampler);
  // `rate_hz` > 0; simulated time 0 is `start_time_us`.
  TrajectorySampler(const std::vector<TrackedVehicle>& vehicles, double rate_hz,
                    std::int64_t start_time_us);

  // Appends the rows of every instant before `until_s` not sampled yet (with `inclusive`, of
  // `until_s` too, at the end of a run): the run must have reached `until_s`, so that no track
  // changes there any more (events at `until_s` itself may still be due, hence exclusive).
  void sample_until(double until_s, bool inclusive, std::vector<BodyPose>& rows);

 private:
  struct LastRow {
    bool written = false;
    BodyPose pose;
  };

  const std::vector<TrackedVehicle>* vehicles_;
  SampleInstants instants_;
  std::uint64_t next_instant_ = 0;
  std::vector<LastRow> last_;  // per body: the vehicles, then their loads
};

}  // namespace linetwin
