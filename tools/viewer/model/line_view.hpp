// LineView: what the viewer draws at one moment, whatever feeds it (a simulation, a replayed
// recording, a live MQTT stream). One entry per scene element, in scene order, with its place on
// the floor, its model and its state. It holds no GL type, so the sources that fill it and the
// panels that read it are tested headless; the renderer only ever reads a LineView.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plant/replication_result.hpp"
#include "plant/run/operator_position.hpp"
#include "plant/scene.hpp"
#include "recording/telemetry_recording.hpp"
#include "transport/vehicle_track.hpp"

namespace linetwin::viewer {

// The states an element is coloured by. Stations take the activity the engine (or the twin)
// reports; buffers, sources, sinks and conveyors are kPassive (drawn in their own colour, with
// their parts shown); kUnknown is a twin that has not reported yet.
enum class ViewState : std::uint8_t {
  kWorking,
  kStarved,
  kBlocked,
  kDown,
  kSetup,
  kOffShift,
  kWaitingOperator,
  kUnknown,
  kPassive,
};
inline constexpr int kViewStateCount = 9;

struct ElementView {
  ElementIndex element = 0;
  ElementType type = ElementType::kStation;
  std::string id;
  Pose pose;
  std::string model;  // the model file resolved against the scene's folder; empty: a labelled box
  ViewState state = ViewState::kPassive;
  std::uint64_t parts = 0;     // parts at the element now (queued, in process, on the belt)
  std::uint64_t capacity = 0;  // a buffer's capacity (0: unlimited), to draw its fill
  // A conveyor's parts, metres from its entry, head first (empty for other elements).
  std::vector<double> part_positions_m;
  double conveyor_length_m = 0.0;
  // A physics conveyor's parts are boxes of its part's size (length along the belt, width,
  // height; recording/belt_parts.hpp), each with its front at its position. All zero for every
  // other element: its parts are the viewer's small cubes, centred at their positions.
  std::array<double, 3> part_size_m{};
  bool deadlocked = false;  // listed by the line's deadlock: drawn highlighted
};

// A line that could no longer move (a simulation's deadlock, docs/viewer.md "Deadlocks"): the
// view draws `report` as a banner and highlights the elements the result lists (each marked
// ElementView::deadlocked).
struct DeadlockView {
  DeadlockResult result;
  std::vector<std::string> report;  // the lines `linetwin run` writes for it on the terminal
};

// A link of the material flow: parts go from one element to the other (the scene's `to:`).
struct FlowLinkView {
  ElementIndex from = 0;
  ElementIndex to = 0;
};

// A vehicle of the scene's fleets: its id ("AGV#1", as a recording's /bodies names it), its
// footprint (a rectangle centred on its pose, long along its heading) and where it is now. A
// parked vehicle is off the aisles: it has no pose and is not drawn.
struct VehicleView {
  std::string id;
  double length_m = 0.0;
  double width_m = 0.0;
  // The footprint of what it carries (the fleet's `load`); 0: within the vehicle's own.
  double load_length_m = 0.0;
  double load_width_m = 0.0;
  BodyState state = BodyState::kParked;
  FloorPose pose;
  bool loaded = false;  // carrying a part: from the end of loading to the end of unloading
};

struct LineView {
  double time_s = 0.0;
  std::vector<ElementView> elements;  // Scene order: elements[i].element == i
  std::vector<FlowLinkView> links;    // by element, then in the order of its targets
  // Fleet by fleet in the scene's order, as LineRun::vehicle_tracks() (empty without fleets).
  std::vector<VehicleView> vehicles;
  // Pool by pool, as LineRun::operator_positions() gives them; a simulation fills it, a replay or
  // a live stream has no operator data and leaves it empty (none drawn).
  std::vector<OperatorPosition> operators;
  std::optional<DeadlockView> deadlock;
};

}  // namespace linetwin::viewer
