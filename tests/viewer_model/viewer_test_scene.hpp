// A small line with every kind of element the viewer draws (source, buffer, stations with
// breakdowns, a conveyor, a sink) and a model reference, shared by the viewer model tests.
#pragma once

#include <string_view>

#include "io/scene_file.hpp"

namespace linetwin::viewer {

inline constexpr std::string_view kViewerTestScene = R"(linetwin_scene: 1
name: viewer test line
seed: 42
run: {duration: 2h, warmup: 10min, replications: 4}
elements:
  - {id: blanks, type: source, interarrival: {distribution: exponential, mean: 50s}, to: OP10}
  - id: OP10
    type: station
    processing: {distribution: gamma, shape: 4, mean: 40s}
    breakdowns:
      time_to_failure: {distribution: exponential, mean: 20min}
      time_to_repair: {distribution: exponential, mean: 3min}
    to: belt
    pose: {x: 0, y: 0}
    model: models/station.obj
  - {id: belt, type: conveyor, length_m: 6, speed_m_per_s: 0.2, spacing_m: 1, to: B1,
     pose: {x: 2, y: 0}}
  - {id: B1, type: buffer, capacity: 5, to: OP20, pose: {x: 9, y: 0}}
  - id: OP20
    type: station
    processing: {distribution: exponential, mean: 45s}
    to: shipped
    pose: {x: 12, y: 0, yaw_deg: 90}
  - {id: shipped, type: sink, pose: {x: 15, y: 0}}
)";

// The scene above, loaded once per test program.
inline const Scene& viewer_test_scene() {
  static const Scene scene = load_scene_text(kViewerTestScene, "test.yaml");
  return scene;
}

// A line whose first buffer is fed by its source, which counts no parts: the estimate of the
// line's state from its telemetry cannot tell B0's level (a what-if from now asks for it).
inline constexpr std::string_view kFedBySourceScene = R"(linetwin_scene: 1
name: fed by a source
seed: 5
elements:
  - {id: arrivals, type: source, interarrival: {distribution: exponential, mean: 50s}, to: B0}
  - {id: B0, type: buffer, capacity: 6, to: OP10}
  - {id: OP10, type: station, processing: {distribution: gamma, shape: 4, mean: 40s}, to: B1}
  - {id: B1, type: buffer, capacity: 4, to: OP20}
  - {id: OP20, type: station, processing: {distribution: gamma, shape: 4, mean: 45s}, to: out}
  - {id: out, type: sink}
)";

}  // namespace linetwin::viewer
