// Replications of one scene, run in parallel, and their summary with confidence intervals.
//
// Replication r of a scene with seed s always draws from the streams keyed by (s, element id,
// purpose, r), and results are stored by replication index and summarised in that order, so the
// numbers are bit-identical whatever the number of threads and whichever thread ran which
// replication. The Scene is shared read-only; each replication owns its LineRun.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cancellation.hpp"
#include "core/statistics.hpp"
#include "plant/line_snapshot.hpp"
#include "plant/replication_result.hpp"
#include "plant/scene.hpp"

namespace linetwin {

// Runs that start from the line as a snapshot has it ("what-if from now",
// LineRun::from_snapshot) instead of empty at time zero.
struct StartingSnapshot {
  LineSnapshot snapshot;
  std::string file;  // where it was read, for errors
};

struct ExperimentSettings {
  std::uint64_t seed = 1;
  RunSettings run;
  std::shared_ptr<const StartingSnapshot> start;  // nullptr: from an empty line
  unsigned threads = 1;                           // 0: one per hardware thread
  // Called after each finished replication with (finished, total), from the calling thread's
  // point of view serialised (never concurrently). May be empty.
  std::function<void(std::size_t, std::size_t)> progress;
  // Set from any thread to stop: the replications under way give up within about a millisecond
  // and run_replications throws RunCancelled. nullptr: runs to the end.
  const CancelFlag* cancel = nullptr;
};

// The scene's own seed and run settings, to be overridden field by field.
ExperimentSettings settings_from_scene(const Scene& scene);

std::vector<ReplicationResult> run_replications(const Scene& scene,
                                                const ExperimentSettings& settings);

// One replication to run: LineRun(*scene, seed, replication, run).run_to_end(), or the run from
// `start` with the same arguments.
struct ReplicationJob {
  const Scene* scene = nullptr;
  std::uint64_t seed = 1;
  std::uint32_t replication = 0;
  RunSettings run;
  std::shared_ptr<const StartingSnapshot> start;
};
// Runs one job on the calling thread (RunCancelled once `cancel` is set).
ReplicationResult run_job(const ReplicationJob& job, const CancelFlag* cancel = nullptr);
// The name of run_jobs' worker threads (/proc/PID/task/TID/comm, `top -H`): at most 15 bytes.
inline constexpr char kReplicationThreadName[] = "linetwin-rep";
// Runs the jobs on `threads` workers (0: one per hardware thread), each job on its own LineRun;
// results in job order. `finished_one` (may be empty) is called after each job, never
// concurrently. The first exception of any job is rethrown once the workers have stopped; once
// `cancel` is set, no job starts and those under way stop: RunCancelled.
std::vector<ReplicationResult> run_jobs(const std::vector<ReplicationJob>& jobs, unsigned threads,
                                        const std::function<void()>& finished_one,
                                        const CancelFlag* cancel = nullptr);

struct StationSummary {
  Estimate working, setup, waiting_operator, starved, blocked, down, off_shift;
  Estimate waiting_for_vehicle;  // of blocked; 0 where the station's parts ride no fleet
  Estimate parts_processed, parts_good, parts_scrapped, parts_reworked;
  Estimate failures, setups;
  Estimate availability, performance, quality, oee;
  std::vector<Estimate> starved_by;  // assembly: per bill-of-materials line, main part first
  Estimate active_period_mean_s;
  // Fraction of replications in which it was the line's bottleneck (experiment/bottleneck.hpp).
  double bottleneck_share = 0.0;
};
struct BufferSummary {
  Estimate occupancy_mean;
  // Over the replications that did not deadlock; none when every one did.
  std::optional<std::uint64_t> occupancy_max;
};
struct SourceSummary {
  Estimate arrivals, lost, loss_probability, blocked;
};

struct ConveyorSummary {
  Estimate parts_transported, occupancy_mean, stopped;
};
struct OperatorPoolSummary {
  Estimate utilisation, walking, working;  // over the time on duty
  Estimate on_shift;                       // share of the observed period on duty
};
// A vehicle's shares of time (ReplicationResult's VehicleResult) and orders delivered; a fleet's
// are the mean over its vehicles, with the orders of all of them (and, with batteries, their
// charges and energy).
struct VehicleSummary {
  Estimate loaded_travel, empty_travel, driving_home, waiting_for_zone, handling, idle, orders;
  Estimate charging, charges, energy_kwh;
  Estimate busy;  // busy_share (experiment/bottleneck.hpp): the time on orders
};
struct FleetSummary {
  VehicleSummary fleet;
  Estimate order_lead_time_mean_s;
  std::vector<VehicleSummary> vehicles;
  // Fraction of replications in which it was the line's bottleneck (experiment/bottleneck.hpp).
  double bottleneck_share = 0.0;
};
// Congestion at a zone of the path network (ReplicationResult's ZoneResult): waits and the time
// they took, per replication's observed period.
struct ZoneSummary {
  Estimate waits, wait_s;
};
struct ProductSummary {
  Estimate throughput_per_hour, lead_time_mean_s, scrapped;
};

struct ExperimentSummary {
  double confidence = 0.95;
  std::size_t replications = 0;
  Estimate throughput_per_hour;
  Estimate wip_mean;
  Estimate lead_time_mean_s, lead_time_p50_s, lead_time_p95_s;
  std::vector<StationSummary> stations;  // Scene::stations() order
  std::vector<BufferSummary> buffers;
  std::vector<SourceSummary> sources;
  std::vector<ConveyorSummary> conveyors;
  std::vector<OperatorPoolSummary> operators;
  std::vector<FleetSummary> fleets;  // Scene::fleets() order
  std::vector<ZoneSummary> zones;    // per zone of Scene::paths(): nodes, then edges
  std::vector<ProductSummary> products;
  std::vector<Estimate> wip_limits;  // mean cards in use
  Estimate scrap_rate;
  // The station with the longest mean active period averaged over replications (Roser et al.'s
  // average active period method); empty for a scene without stations.
  std::optional<std::size_t> bottleneck_station;
  // The fleet that is the line's bottleneck instead of that station, by the rule of
  // experiment/bottleneck.hpp on the means over replications: the busiest fleet, if its busy
  // share is above the station's active share. Empty: the station is the bottleneck.
  std::optional<std::size_t> bottleneck_fleet;
  std::uint64_t events = 0;
  // The replications whose line deadlocked, by index, with what stopped them. Their KPIs are left
  // out of every estimate above (each Estimate's n says how many replications it covers): a
  // replication that stopped is no sample of how the line runs.
  std::vector<std::pair<std::uint32_t, DeadlockResult>> deadlocks;
};

ExperimentSummary summarize(const std::vector<ReplicationResult>& replications,
                            double confidence = 0.95);

}  // namespace linetwin
