// LineRun: one replication of a Scene, run event by event.
//
// The state of the run and the rules by which parts move are the parts of line_run::Line
// (engine/plant/run/): how parts pass between elements (part_flow.hpp), one part per element kind
// (sources, buffers, stations, conveyors, sinks), operators, stops (breakdowns and shift
// calendars), WIP limits, statistics and station reports. LineRun builds them, dispatches each
// event to the part that owns it, and reads the results; docs/architecture.md draws the whole.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cancellation.hpp"
#include "core/simulation_kernel.hpp"
#include "plant/conveyor_physics.hpp"
#include "plant/line_snapshot.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/operator_position.hpp"
#include "plant/run/vehicle_tracks.hpp"
#include "plant/scene.hpp"
#include "plant/station_observer.hpp"

namespace linetwin {

// Saved states and snapshots do not hold vehicles yet: for a scene with fleets, `what` ("saving
// the state") is refused as an InputError naming the scene's fleets.
void refuse_fleets(const Scene& scene, std::string_view what);

namespace line_run {
struct Line;
}  // namespace line_run

class LineRun {
 public:
  // `settings` overrides the scene's run settings (the CLI's --duration and --warmup).
  LineRun(const Scene& scene, std::uint64_t seed, std::uint32_t replication, RunSettings settings);
  LineRun(const Scene& scene, std::uint64_t seed, std::uint32_t replication)
      : LineRun(scene, seed, replication, scene.run_settings()) {}
  // A copy is an independent run that continues from the same state (the scene stays shared):
  // a fork, which runs on exactly as the original would (tests/plant/fork_test.cpp).
  LineRun(const LineRun& other);
  LineRun& operator=(const LineRun& other);
  LineRun(LineRun&&) noexcept;
  LineRun& operator=(LineRun&&) noexcept;
  ~LineRun();

  // Simulates through warm-up and the observed period and returns what was measured.
  ReplicationResult run_to_end();
  // Advances the clock to `time` (for stepping and viewers); never beyond the end of the run.
  StopReason advance_to(double time);
  // From now on, advance_to and run_to_end look at `flag` (nullptr: none) every million events or
  // so and throw RunCancelled once it is set; a copy looks at the same flag.
  void cancel_on(const CancelFlag* flag) { cancel_ = flag; }
  // Executes the next event, if one is due before the end of the run: true when one ran; false
  // at the end of the run (the clock then stands there) or once a deadlock stopped it.
  bool step();
  // Station `station` (Scene::stations() order) breaks down now and is repaired `repair_s`
  // seconds after its repair starts (at once, or when its technician comes), as a breakdown of
  // its own would be; it counts as a failure. Draws no random numbers. A station already down,
  // a repair time that is negative or not finite, or a run that has stopped is an InputError
  // naming the field ("station", "repair").
  void fail_station(std::size_t station, double repair_s);
  double now() const;
  double end_time() const;
  // What has been measured so far in the observed period.
  ReplicationResult results() const;
  // Set once the line could no longer move (docs/architecture.md, "Deadlocks"): the run stopped
  // at that instant, and advance_to() returns StopReason::kStopped from then on.
  const std::optional<DeadlockResult>& deadlock() const;

  // Reports each station's activity and part counters to `observer` from now on (nullptr to
  // stop); the observer must outlive the run or be detached first. Reports every station at once.
  void observe(StationObserver* observer);

  // The run's state as it stands, written to `out` in the versioned binary format of
  // docs/architecture.md ("Forks and saved states"): the seed, replication, run settings, time and
  // the scene's fingerprint, then every part's state. The observer is not saved.
  void save_state(std::ostream& out) const;
  // The run that `in` saved, on `scene`, to continue exactly as the saved run would have. A state
  // that is truncated, damaged, of another scene or no state at all is an InputError naming
  // `display_name` (the file), the field and what was expected.
  static LineRun restore(const Scene& scene, std::istream& in, const std::string& display_name);
  // The line as it stands now, in a snapshot's terms (line_snapshot.hpp): exact station
  // activities, parts held and buffer levels. Times in state and work done are known only for
  // what `activity_since_s` gives: per station (Scene::stations() order), when its current
  // activity began (an observer's record); without it they are NaN.
  LineSnapshot snapshot(const std::vector<double>& activity_since_s = {}) const;
  // A run that starts from `snapshot` at time zero and runs for `settings` (usually without a
  // warm-up): buffers filled to their levels, stations in their activities holding their parts,
  // with the processing and repair time left drawn from the scene's distributions given the time
  // already spent (Distribution::sample_remaining); replications draw differently. A snapshot
  // that does not fit the scene, or a scene this cannot start mid-way (parts held on conveyors, at
  // assembly or batch stations, or inside a WIP limit), is an InputError naming `display_name`
  // (the snapshot's file) and the element.
  static LineRun from_snapshot(const Scene& scene, const LineSnapshot& snapshot,
                               const std::string& display_name, std::uint64_t seed,
                               std::uint32_t replication, RunSettings settings);
  std::uint64_t seed() const { return seed_; }
  std::uint32_t replication() const;
  const RunSettings& settings() const;

  // What a viewer shows now. A station's activity (Scene::stations() order), as reported to an
  // observer; the parts at an element (queued in a buffer, in process or held at a station,
  // loaded on a conveyor; 0 for sources and sinks); the positions of the parts on a conveyor
  // (Scene::conveyors() order), metres from its entry, head first.
  StationActivity station_activity(std::size_t station) const;
  std::uint64_t parts_at(ElementIndex element) const;
  void conveyor_positions(std::size_t conveyor, std::vector<double>& out) const;
  // Where each operator is now (operator_position.hpp), pool by pool in Scene::operator_pools()
  // order, into `out` (cleared first). Read from the crew's state when asked: a run pays nothing
  // for it. An operator restored from a saved state names its pool's home or the first station
  // at its place.
  void operator_positions(std::vector<OperatorPosition>& out) const;

  // Asks the run to write each vehicle's track (docs/transport.md, "Vehicle tracks"): call it
  // before the first event (std::logic_error after), since a track starts with the vehicle
  // parked at its fleet's home. Off by default, so that runs pay nothing for it; the results are
  // the same either way.
  void record_vehicle_tracks();
  // One per vehicle, fleet by fleet in Scene::fleets() order, written up to now; empty when not
  // recorded. A fork carries its own copy.
  const std::vector<TrackedVehicle>& vehicle_tracks() const;

  // Simulates the scene's `mode: physics` conveyors with the model `factory` makes (one for the
  // run, plant/conveyor_physics.hpp): call it before the first event (std::logic_error after). A
  // run given none uses the one install_conveyor_physics installed; without either, a scene with
  // a physics conveyor is an InputError at the first event, naming its `mode`.
  void simulate_conveyors_with(const ConveyorPhysicsFactory& factory);
  // The run's physics model, for its counts; nullptr before the first event when none was given,
  // and in a scene without physics conveyors.
  const ConveyorPhysics* conveyor_physics() const;

 private:
  struct BuiltOnly {};
  // Builds the run's parts without starting it (time zero): what restore() reads into.
  LineRun(const Scene& scene, std::uint64_t seed, std::uint32_t replication, RunSettings settings,
          BuiltOnly);

  std::unique_ptr<line_run::Line> line_;
  // For saving: the scene the run was built from (it outlives the run), and the seed its streams
  // were drawn from.
  const Scene* scene_ = nullptr;
  std::uint64_t seed_ = 0;
  const CancelFlag* cancel_ = nullptr;
};

}  // namespace linetwin
