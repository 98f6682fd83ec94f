#include "simulation_source.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "io/results_report.hpp"
#include "view_states.hpp"

namespace linetwin::viewer {

void SimulationSource::Collector::on_station_report(const StationReport& report) {
  if (held.size() == kMaxHeldReports) held.pop_front();
  held.push_back(report);
  last_report_s = report.time_s;
}

SimulationSource::SimulationSource(const Scene& scene, std::uint64_t seed)
    : SimulationSource(scene, seed, scene.run_settings()) {}

SimulationSource::SimulationSource(const Scene& scene, std::uint64_t seed,
                                   const RunSettings& settings)
    : scene_(scene), run_(scene, seed, 0, settings) {
  run_.observe(&collector_);
  // The vehicles' exact tracks give their poses at any instant; without fleets there are none.
  if (!scene.fleets().empty()) run_.record_vehicle_tracks();
  copyable_ = scene.physics_conveyors().empty();
}

SimulationSource::~SimulationSource() {
  run_.observe(nullptr);
}

void SimulationSource::advance(double wall_s) {
  if (playing_ && wall_s > 0.0) run_until(run_.now() + wall_s * speed_);
  // A deadlock ends the run: the controls show it paused, with nothing left to play.
  if (run_.deadlock()) playing_ = false;
}

void SimulationSource::set_speed(double speed) {
  speed_ = std::clamp(speed, kMinSpeed, kMaxSpeed);
}

void SimulationSource::run_until(double t_s) {
  run_.advance_to(std::min(t_s, run_.end_time()));
}

void SimulationSource::step() {
  const double now = run_.now();
  if (finished()) return;
  if (!copyable_) {
    step_in_place();
    return;
  }
  // The probe is a copy of the run that reports to a collector of its own; its first report
  // later than now is the instant to step to.
  struct FirstChange final : StationObserver {
    double after_s;
    double at_s;
    void on_station_report(const StationReport& report) override {
      if (report.time_s > after_s) at_s = std::min(at_s, report.time_s);
    }
  };
  FirstChange first{};
  first.after_s = now;
  first.at_s = run_.end_time();
  LineRun probe = run_;
  probe.observe(&first);
  for (double window = 1.0;
       first.at_s == run_.end_time() && probe.now() < run_.end_time() && !probe.deadlock();
       window *= 2.0)
    probe.advance_to(now + window);
  probe.observe(nullptr);
  // A deadlock is an instant worth stepping to, whether or not a station reported there.
  if (probe.deadlock()) first.at_s = std::min(first.at_s, probe.now());
  run_until(first.at_s);
}

void SimulationSource::step_in_place() {
  const double now = run_.now();
  while (collector_.last_report_s <= now && run_.step()) {
  }
  // The rest of that instant's events: all of them are due before the next double after it.
  if (run_.now() > now) run_until(std::nextafter(run_.now(), run_.end_time()));
}

void SimulationSource::update(LineView& view) const {
  view.time_s = run_.now();
  const auto& stations = scene_.stations();
  for (std::size_t s = 0; s < stations.size(); ++s)
    view.elements[stations[s]].state = view_state(run_.station_activity(s));
  for (ElementView& e : view.elements)
    e.parts = run_.parts_at(e.element);
  const auto& conveyors = scene_.conveyors();
  for (std::size_t c = 0; c < conveyors.size(); ++c)
    run_.conveyor_positions(c, view.elements[conveyors[c]].part_positions_m);
  const std::vector<TrackedVehicle>& tracks = run_.vehicle_tracks();
  for (std::size_t v = 0; v < view.vehicles.size() && v < tracks.size(); ++v) {
    VehicleView& vehicle = view.vehicles[v];
    const VehicleTrack& track = tracks[v].track;
    const std::optional<FloorPose> pose = track.pose_at(view.time_s);
    if (!pose) {
      vehicle.state = BodyState::kParked;
      vehicle.loaded = false;
      continue;
    }
    vehicle.pose = *pose;
    vehicle.state = track.moving_at(view.time_s) ? BodyState::kMoving : BodyState::kStanding;
    vehicle.loaded = track.loaded_at(view.time_s);
  }
  run_.operator_positions(view.operators);
  // Once: the report stays as it is from the instant the run stopped.
  if (run_.deadlock() && !view.deadlock) {
    view.deadlock = DeadlockView{*run_.deadlock(), deadlock_report(scene_, *run_.deadlock())};
    for (const DeadlockResult::Element& e : run_.deadlock()->elements)
      view.elements[e.element].deadlocked = true;
  }
}

void SimulationSource::take_reports(std::vector<StationReport>& out) {
  out.insert(out.end(), collector_.held.begin(), collector_.held.end());
  collector_.held.clear();
}

std::vector<std::string> deadlock_report(const Scene& scene, const DeadlockResult& deadlock) {
  // write_deadlocks() writes the terminal's text from a summary; one of replication 0 alone is
  // made for it, so that the viewer and `linetwin run` say the same.
  ExperimentSummary summary;
  summary.replications = 1;
  summary.deadlocks.emplace_back(0, deadlock);
  const ExperimentSettings settings;
  std::ostringstream text;
  write_deadlocks(text, RunReport{scene, settings, summary});
  std::vector<std::string> lines;
  std::istringstream in(text.str());
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

}  // namespace linetwin::viewer
