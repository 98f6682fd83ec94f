// The fast-path facts of a line run, derived in one place when the run is built: which stations
// take the plain path (StationPath) and what a buffer needs beyond queueing its parts. Every
// fact is a conjunction of the scene's features that the general path handles and the fast path
// leaves out, so a feature added to the general path must be added to the test here.
#pragma once

#include <vector>

#include "plant/run/flow_types.hpp"
#include "plant/run/station_state.hpp"
#include "plant/scene.hpp"

namespace linetwin::line_run {

struct BufferPaths {
  bool feeds_puller = false;    // an assembly or batch station after it decides when to take
  bool tracks_arrival = false;  // a station after it merges inputs first come, first served
  // One station after it, no WIP limit starting or ending here: a part passes straight
  // through to that station without the card bookkeeping.
  bool passes_to_one_station = false;
  // No WIP limit starts here, no arrival times, no puller: a part queues and that is all.
  bool only_queues = false;
  // Vehicles fill it: a place that comes free goes to a transport order (TransportFlow).
  bool filled_by_vehicles = false;
};

BufferPaths classify_buffer(const Scene& scene, ElementIndex buffer,
                            const std::vector<Node>& nodes);

StationPath classify_station(const StationSpec& spec, const std::vector<Link>& inputs,
                             const Output& output, const Node& node);

}  // namespace linetwin::line_run
