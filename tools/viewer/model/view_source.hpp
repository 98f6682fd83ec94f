// ViewSource: what feeds the viewer: a simulation of the scene, a replayed recording or log, or a
// live MQTT stream. The application asks it to move on by the wall-clock time of each frame and
// to fill the LineView it draws; the panels read its KPIs and the state changes since the last
// frame. Each source's own controls (play, pause, step, speed, seek) are on the concrete class.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "line_view.hpp"
#include "plant/replication_result.hpp"
#include "plant/station_observer.hpp"

namespace linetwin::viewer {

class ViewSource {
 public:
  virtual ~ViewSource() = default;
  virtual std::string_view kind() const = 0;  // "simulation", "replay", "live"
  // Moves on by `wall_s` seconds of real time, at the source's speed (a paused source stays; a
  // live one takes what has arrived).
  virtual void advance(double wall_s) = 0;
  virtual double time_s() const = 0;
  // The state of every element now. `view` comes from layout_view() of the same scene, so only
  // states, parts and time change.
  virtual void update(LineView& view) const = 0;
  // The KPIs so far, in the simulator's own terms (twins compute theirs into the same fields).
  virtual std::optional<ReplicationResult> kpis() const = 0;
  // Station reports since the last call (state changes and counters), oldest first.
  virtual void take_reports(std::vector<StationReport>& out) = 0;
};

}  // namespace linetwin::viewer
