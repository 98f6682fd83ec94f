#include "recording/simulation_recording.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/timestamp.hpp"
#include "plant/line_run.hpp"
#include "recording/belt_parts.hpp"
#include "recording/telemetry_recording.hpp"
#include "recording/trajectory_sampler.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/simulated_telemetry.hpp"

namespace linetwin {
namespace {

// The belt parts' rows of the instants k / rate from `instant` up to `until_s` (exclusive, except
// at the end of the run), each read with the run advanced to it: a physics world knows where its
// parts are only now. Returns the next instant due.
std::uint64_t sample_belt_parts(LineRun& line, BeltPartSampler& belt_parts,
                                const SimulationRecordingSettings& settings, std::uint64_t instant,
                                double until_s, bool inclusive, std::vector<BodyPose>& rows) {
  if (belt_parts.conveyors().empty()) return instant;
  std::vector<std::vector<double>> positions(belt_parts.conveyors().size());
  const SampleInstants instants{.rate_hz = settings.trajectory_rate_hz,
                                .start_time_us = settings.start_time_us};
  for (;; ++instant) {
    const double t = instants.time_s(instant);
    if (!SampleInstants::before(t, until_s, inclusive)) break;
    line.advance_to(t);
    for (std::size_t b = 0; b < positions.size(); ++b)
      line.conveyor_positions(belt_parts.conveyors()[b], positions[b]);
    belt_parts.sample(instants.timestamp_us(t), positions, rows);
  }
  return instant;
}

}  // namespace

std::uint64_t record_simulation(const Scene& scene, const std::string& scene_text,
                                std::uint64_t seed, std::uint32_t replication,
                                const RunSettings& run,
                                const SimulationRecordingSettings& settings) {
  TelemetryLog log;
  SimulatedTelemetry telemetry(scene, log, settings.start_time_us);
  LineTwins twins(scene);
  twins.set_observation_start(settings.start_time_us);
  const LogBinding binding(log.names, twins);  // the simulated names are all interned up front

  RecordingMetadata metadata;
  metadata.source = RecordingSource::kSimulation;
  metadata.scene_file = scene.source_file();
  metadata.scene_text = scene_text;
  metadata.seed = seed;
  metadata.replication = replication;
  metadata.start_time_us = settings.start_time_us;
  const bool trajectories = settings.trajectory_rate_hz > 0.0;
  RecordedBodies bodies;
  if (trajectories) bodies = recorded_bodies(scene);
  metadata.bodies = std::move(bodies.bodies);
  RecordingWriter writer(settings.path, metadata, log.names);

  LineRun line(scene, seed, replication, run);
  line.observe(&telemetry);
  std::optional<TrajectorySampler> sampler;
  std::optional<BeltPartSampler> belt_parts;
  std::vector<BodyPose> poses;
  std::vector<BodyPose> part_poses;
  // Poses are sampled in slices of simulated time of at most about kPoseSliceRows rows, so that
  // memory does not grow with the KPI interval times the rate times the vehicles.
  constexpr double kPoseSliceRows = 65536.0;
  double pose_slice_s = 0.0;
  if (trajectories) {
    line.record_vehicle_tracks();
    sampler.emplace(line.vehicle_tracks(), settings.trajectory_rate_hz, settings.start_time_us);
    belt_parts.emplace(scene, bodies.first_belt_part);
    pose_slice_s = std::max(1.0, kPoseSliceRows / (settings.trajectory_rate_hz *
                                                   static_cast<double>(metadata.bodies.size())));
  }
  std::uint64_t belt_instant = 0;  // the next instant k / rate whose belt parts are due
  std::vector<KpiSnapshot> snapshots;
  const double end_s = line.end_time();
  for (double t = 0.0; t < end_s;) {
    const double from = t;
    t = std::min(end_s, t + settings.kpi_interval_s);
    for (double slice = from; sampler && slice < t;) {
      slice = std::min(t, slice + pose_slice_s);
      const bool last_slice = slice >= end_s;
      part_poses.clear();
      belt_instant = sample_belt_parts(line, *belt_parts, settings, belt_instant, slice, last_slice,
                                       part_poses);
      line.advance_to(slice);
      poses.clear();
      sampler->sample_until(slice, last_slice, poses);
      // Both cover the same instants: merged into time order, vehicles first at each instant.
      const std::size_t vehicle_rows = poses.size();
      poses.insert(poses.end(), part_poses.begin(), part_poses.end());
      std::inplace_merge(
          poses.begin(), poses.begin() + static_cast<std::ptrdiff_t>(vehicle_rows), poses.end(),
          [](const BodyPose& a, const BodyPose& b) { return a.timestamp_us < b.timestamp_us; });
      writer.append_poses(poses);
    }
    line.advance_to(t);
    writer.append(log.samples);
    TelemetrySample bound;
    for (const TelemetrySample& sample : log.samples) {
      if (binding.translate(sample, bound)) twins.apply(bound);
    }
    log.samples.clear();
    const std::int64_t now_us = timestamp_at_us(settings.start_time_us, t);
    twins.advance_to(now_us);
    snapshots.clear();
    for (ElementIndex station : scene.stations())
      snapshots.push_back(make_kpi_snapshot(now_us, station, twins.kpis(station)));
    writer.append_kpis(snapshots);
    writer.flush();
  }
  line.observe(nullptr);
  const std::uint64_t written = writer.samples_appended();
  writer.close();
  return written;
}

}  // namespace linetwin
