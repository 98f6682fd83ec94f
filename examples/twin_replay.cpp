// Example: a digital twin fed by a real machine's telemetry, through the engine's API.
//
// Reads the NIST PocketNC MTConnect log (rows out of time order), puts it in time order, feeds it
// sample by sample into the twins of a one-machine scene, prints each change of the machine's
// state as the twin sees it, and then the twin's KPIs, computed as the simulator computes a
// station's. `linetwin replay` does the same from the command line.
//
//   example_twin_replay scenes/pocketnc_cell.yaml
//       ../shared/data/telemetry/nist_dtl_pocketnc/pocketnc_mtconnect_2023-07-24.csv
// (one command line; the scene, then the log)
#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

#include <fmt/format.h>

#include "core/timestamp.hpp"
#include "io/scene_file.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/mtconnect_log.hpp"

int main(int argc, char** argv) {
  using namespace linetwin;
  if (argc != 3) {
    fmt::print(stderr, "usage: {} SCENE MTCONNECT_CSV\n", argv[0]);
    return 2;
  }
  try {
    const Scene scene = load_scene_file(argv[1]);
    // The log is about the scene's only station.
    const std::string machine_id = scene.element(scene.stations().front()).id;
    TelemetryLog log = read_mtconnect_csv(argv[2], machine_id);
    std::stable_sort(log.samples.begin(), log.samples.end(),
                     [](const auto& a, const auto& b) { return a.timestamp_us < b.timestamp_us; });

    LineTwins twins(scene);
    LogBinding binding(log.names, twins);
    const auto machine = static_cast<std::uint32_t>(twins.names().find_machine(machine_id));
    const MachineTwin& twin = twins.twin(machine);
    fmt::print("{} as its twin saw it:\n", machine_id);
    MachineState shown = MachineState::kUnknown;
    for (const TelemetrySample& sample : log.samples) {
      binding.apply(sample);
      if (twin.state() != shown) {
        const std::string& reason = twins.names().names()[twin.reason()];
        fmt::print("  {}  {}{}\n", format_timestamp_iso(twin.state_since_us()),
                   machine_state_name(twin.state()), reason.empty() ? "" : " (" + reason + ")");
        shown = twin.state();
      }
    }

    const TwinKpis k = twins.kpis(machine);
    auto percent = [](double share) {
      return std::isfinite(share) ? fmt::format("{:5.1f}%", 100.0 * share) : std::string("    -");
    };
    fmt::print("\nover {:.1f} s: producing {}, setup {}, idle {}, down {}, unknown {}\n",
               k.observed_s, percent(k.station.working), percent(k.station.setup),
               percent(k.station.starved), percent(k.station.down), percent(k.unknown));
    fmt::print("availability {} (unknown time is not planned time); performance and OEE {}\n",
               percent(k.station.oee.availability),
               twin.reports_parts() ? percent(k.station.oee.oee)
                                    : std::string("unknown: the machine counts no parts"));
    fmt::print("{} samples applied, {} duplicates, {} out of order\n", twins.counts().applied,
               twins.counts().duplicates, twins.counts().out_of_order);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  }
}
