// Records one simulated replication to HDF5 as the telemetry its stations would have sent
// (engine/telemetry/simulated_telemetry.hpp), with a time series of each station's KPIs computed
// from that telemetry by the same twins that replay and live streaming feed. A recording of a
// simulation and one of a real line therefore have the same layout (docs/recording-format.md) and
// can be replayed, calibrated from and compared the same way.
#pragma once

#include <cstdint>
#include <string>

#include "plant/scene.hpp"

namespace linetwin {

struct SimulationRecordingSettings {
  std::string path;  // the HDF5 file to write
  std::int64_t start_time_us =
      1'767'571'200'000'000;      // simulated time 0: 2026-01-05T00:00Z, a Monday
  double kpi_interval_s = 900.0;  // simulated time between KPI snapshots (and flushes)
  // Vehicles' poses per second of simulated time in /trajectories (trajectory_sampler.hpp); 0:
  // none. The scene must have vehicles or physics conveyors (whose parts are bodies too,
  // recording/belt_parts.hpp) when it is not 0.
  double trajectory_rate_hz = 0.0;
};

// Simulates replication `replication` of `scene` with `seed` over `run` (warm-up included: the
// recording covers the whole run) and writes it. `scene_text` is stored as the run's metadata.
// Returns the number of samples written.
std::uint64_t record_simulation(const Scene& scene, const std::string& scene_text,
                                std::uint64_t seed, std::uint32_t replication,
                                const RunSettings& run,
                                const SimulationRecordingSettings& settings);

}  // namespace linetwin
