// What the twins of a line (telemetry/line_twins.hpp) show the viewer, shared by the replay and
// the live source: each station's twin state as a ViewState, the line's KPIs in the simulator's
// terms, and station reports, one for each sample that changed a station's state or counters, at
// the sample's time.
//
// Telemetry says what each machine does and counts, not where the parts are: elements other than
// stations stay kPassive with no parts, and the KPIs that need parts followed through the line
// (WIP, lead time) are NaN. The line's output is what its last stations (those that hand on to a
// sink) counted good; its throughput is that over the observed period.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "line_view.hpp"
#include "plant/replication_result.hpp"
#include "plant/station_observer.hpp"
#include "telemetry/line_twins.hpp"

namespace linetwin::viewer {

// Seconds of the twins' observed period so far (0 before the first sample).
double twins_time_s(const LineTwins& twins);

// Sets the state of every station in `view` from its twin, and the view's time.
void show_twins(const LineTwins& twins, LineView& view);

// The KPIs of the observed period so far, stations in Scene::stations() order; nullopt before the
// first sample.
std::optional<ReplicationResult> twin_line_kpis(const LineTwins& twins);

// Turns what a sample changed in a station's twin into a station report, as a simulated station
// reports (activity and good/scrap totals), at the twin's clock (the sample's time) in seconds of
// the observed period. Reports wait in the reporter until taken; should nobody take them, only
// the newest kMaxHeldReports are kept.
class TwinReporter {
 public:
  static constexpr std::size_t kMaxHeldReports = 100000;

  explicit TwinReporter(const Scene& scene);
  // After the twins applied a sample of `machine`: holds a report if it is a station whose state
  // or counters differ from its last report.
  void note(const LineTwins& twins, std::uint32_t machine);
  // Appends the reports held, oldest first, and forgets them.
  void take(std::vector<StationReport>& out);
  // Forgets everything (the twins were rebuilt, e.g. a replay went back in time).
  void reset();

 private:
  struct Seen {
    MachineState state = MachineState::kUnknown;
    std::uint16_t reason = 0;
    double good = 0.0;
    double scrap = 0.0;
  };
  const Scene& scene_;
  std::vector<std::int64_t> station_of_;  // per element: its position in stations(), or -1
  std::vector<Seen> seen_;                // per station
  std::deque<StationReport> held_;
};

}  // namespace linetwin::viewer
