#include "simulation_source.hpp"

#include <algorithm>

#include "view_states.hpp"

namespace linetwin::viewer {

void SimulationSource::Collector::on_station_report(const StationReport& report) {
  if (held.size() == kMaxHeldReports) held.pop_front();
  held.push_back(report);
}

SimulationSource::SimulationSource(const Scene& scene, std::uint64_t seed)
    : SimulationSource(scene, seed, scene.run_settings()) {}

SimulationSource::SimulationSource(const Scene& scene, std::uint64_t seed,
                                   const RunSettings& settings)
    : scene_(scene), run_(scene, seed, 0, settings) {
  run_.observe(&collector_);
}

SimulationSource::~SimulationSource() {
  run_.observe(nullptr);
}

void SimulationSource::advance(double wall_s) {
  if (playing_ && wall_s > 0.0) run_until(run_.now() + wall_s * speed_);
}

void SimulationSource::set_speed(double speed) {
  speed_ = std::clamp(speed, kMinSpeed, kMaxSpeed);
}

void SimulationSource::run_until(double t_s) {
  run_.advance_to(std::min(t_s, run_.end_time()));
}

void SimulationSource::step() {
  const double now = run_.now();
  if (now >= run_.end_time()) return;
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
  for (double window = 1.0; first.at_s == run_.end_time() && probe.now() < run_.end_time();
       window *= 2.0)
    probe.advance_to(now + window);
  probe.observe(nullptr);
  run_until(first.at_s);
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
}

void SimulationSource::take_reports(std::vector<StationReport>& out) {
  out.insert(out.end(), collector_.held.begin(), collector_.held.end());
  collector_.held.clear();
}

}  // namespace linetwin::viewer
