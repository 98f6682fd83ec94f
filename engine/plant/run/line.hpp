// All the state of one replication of a line, as the parts of the run that own it: the kernel
// (clock and event calendar), the flow of parts between elements, one part per element kind,
// operators, stops, WIP limits, statistics and reports. LineRun owns one and drives its events.
//
// The parts call each other directly through this struct, which every function on the event path
// takes as its first argument: no virtual calls, no pointers between parts, and the whole chain of
// a plain station's hand-over and refill inlines into the run loop (the *_inline.hpp headers).
#pragma once

#include <cstdint>
#include <string>

#include "core/simulation_kernel.hpp"
#include "plant/run/buffer_flow.hpp"
#include "plant/run/conveyor_flow.hpp"
#include "plant/run/deadlock_watch.hpp"
#include "plant/run/line_statistics.hpp"
#include "plant/run/operator_crew.hpp"
#include "plant/run/part_flow.hpp"
#include "plant/run/run_events.hpp"
#include "plant/run/shift_calendars.hpp"
#include "plant/run/sink_flow.hpp"
#include "plant/run/source_flow.hpp"
#include "plant/run/station_flow.hpp"
#include "plant/run/station_reports.hpp"
#include "plant/run/station_stops.hpp"
#include "plant/run/transport_flow.hpp"
#include "plant/run/wip_limits.hpp"
#include "plant/scene.hpp"

namespace linetwin::line_run {

struct Line {
  Line(const Scene& scene, RunSettings run_settings, std::uint32_t replication_index)
      : settings(run_settings),
        replication(replication_index),
        scene_file(scene.source_file()),
        statistics(scene.products().size()) {}

  double end_time() const { return settings.warmup_s + settings.duration_s; }

  RunSettings settings;
  std::uint32_t replication;
  std::string scene_file;  // for errors
  SimulationKernel kernel;
  PartFlow flow;
  WipLimits limits;
  SourceFlow sources;
  BufferFlow buffers;
  StationFlow stations;
  ConveyorFlow conveyors;
  SinkFlow sinks;
  OperatorCrew operators;
  TransportFlow transport;
  StationStops stops;
  ShiftCalendars calendars;
  LineStatistics statistics;
  StationReports reports;
  DeadlockWatch deadlocks;
  // Work at the end of an event beyond its own part's: reports to an observer, or a deadlock
  // that ends the run. One flag, so that the run loop tests one byte per event.
  bool attention = false;
  void update_attention() { attention = reports.observing() || deadlocks.found(); }
};

}  // namespace linetwin::line_run
