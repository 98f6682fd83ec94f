// SimulationSource: the scene simulated as the viewer watches, one replication (index 0) of the
// engine's LineRun moved on by the frame's wall-clock time times a speed of 1 to 10,000.
//
// The run is the engine's own, so what the viewer shows at a time is exactly what a LineRun
// driven to that time reports (tests/viewer_model checks it). Station reports reach the panels
// through a StationObserver; they are held until take_reports() and, should nobody take them
// (a headless capture of a long run), only the newest kMaxHeldReports are kept.
//
// The scene's vehicles are where their exact tracks (LineRun::record_vehicle_tracks) put them at
// the run's time. The scene's operators are where the run has them at its time
// (LineRun::operator_positions): at a station, walking between two poses, or idle.
//
// A deadlock stops the run for good (LineRun::deadlock()): the clock stays at that instant, play()
// and step() change nothing, and update() puts the report into the LineView.
//
// step() moves to the next instant at which a station changes (its activity or its counters):
// the instants a viewer can show. LineRun does not expose its event calendar, so the instant is
// found on a copy of the run (a probe that runs ahead in doubling windows and notes the first
// report), then the run itself advances to it; the copy costs one LineRun's memory per step. A
// run with physics conveyors cannot be copied (its Bullet world has no copy), so it takes its own
// events one at a time up to the first that makes a station report after now, then finishes that
// instant by running to the next double after it: the same instant, found without a probe, with
// the clock one unit in the last place past it (no event can fall in between).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plant/line_run.hpp"
#include "plant/scene.hpp"
#include "view_source.hpp"

namespace linetwin::viewer {

class SimulationSource final : public ViewSource {
 public:
  static constexpr double kMinSpeed = 1.0;
  static constexpr double kMaxSpeed = 10000.0;
  static constexpr std::size_t kMaxHeldReports = 100000;

  // Replication 0 of `scene` with `seed`, over the scene's run settings (warm-up included) or
  // `settings`. The scene must outlive the source. Starts paused at time 0, at speed 1.
  SimulationSource(const Scene& scene, std::uint64_t seed);
  SimulationSource(const Scene& scene, std::uint64_t seed, const RunSettings& settings);
  // The run reports to a member: the source stays where it was built.
  SimulationSource(const SimulationSource&) = delete;
  SimulationSource& operator=(const SimulationSource&) = delete;
  ~SimulationSource() override;

  std::string_view kind() const override { return "simulation"; }
  // While playing: speed × wall_s seconds of simulated time, never beyond the end of the run.
  void advance(double wall_s) override;
  double time_s() const override { return run_.now(); }
  void update(LineView& view) const override;
  std::optional<ReplicationResult> kpis() const override { return run_.results(); }
  void take_reports(std::vector<StationReport>& out) override;

  // Does nothing once the line has deadlocked: nothing can move any more.
  void play() { playing_ = !run_.deadlock(); }
  void pause() { playing_ = false; }
  bool playing() const { return playing_; }
  // Clamped to [kMinSpeed, kMaxSpeed].
  void set_speed(double speed);
  double speed() const { return speed_; }
  // To the next instant (later than now) at which a station changes; to the end of the run when
  // none does, or to the deadlock that stops it. Does not change playing().
  void step();
  // Simulates up to `t_s` (headless capture, tests); a time already passed changes nothing.
  void run_until(double t_s);
  double end_time_s() const { return run_.end_time(); }
  // The run can go no further: it reached its end, or its line deadlocked.
  bool finished() const { return run_.now() >= run_.end_time() || run_.deadlock(); }
  // Set once the line could no longer move; the clock stays at its time.
  const std::optional<DeadlockResult>& deadlock() const { return run_.deadlock(); }

 private:
  class Collector final : public StationObserver {
   public:
    void on_station_report(const StationReport& report) override;
    std::deque<StationReport> held;
    double last_report_s = 0.0;  // the time of the latest report, taken or not
  };
  // Moves on to the next instant at which a station changes without copying the run.
  void step_in_place();
  const Scene& scene_;
  LineRun run_;
  Collector collector_;
  bool copyable_ = true;  // false with physics conveyors: step() cannot probe on a copy
  bool playing_ = false;
  double speed_ = 1.0;
};

// The lines `linetwin run` writes on the terminal for a deadlock of replication 0 (what the
// simulation source runs): when, the cycle or the stuck parts, then one line per element listed.
std::vector<std::string> deadlock_report(const Scene& scene, const DeadlockResult& deadlock);

}  // namespace linetwin::viewer
