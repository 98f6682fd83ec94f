#include "plant/line_run.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/input_error.hpp"
#include "plant/run/event_path.hpp"
#include "plant/run/line.hpp"
#include "plant/run/run_start.hpp"

namespace linetwin {

namespace {

using line_run::Line;
using line_run::RunEvent;

// A model whose clock stops advancing would run forever: the scene builder rules out the known
// causes, and advance_to turns any other into an error instead of a hang. It runs in stretches of
// kCheckEvents events and checks between them, so that the events pay nothing for it: stretches
// that end at the instant they began add up, and this many events at one instant is stuck.
// Between stretches it also looks at the cancel flag (about a millisecond's work apart).
constexpr std::uint64_t kStuckEvents = 10'000'000;
constexpr std::uint64_t kCheckEvents = 1'000'000;

// The build steps, in dependency order: nodes and waiting lists, the WIP limits' marks on them,
// then each kind, operators and stops.
void build_parts(Line& line, const Scene& scene, std::uint64_t seed) {
  line.flow.build(scene);
  line.limits.build(scene, line.flow.nodes());
  line.buffers.build(scene, line.flow.nodes(), seed, line.replication);
  line.stations.build(scene, line.flow.nodes(), seed, line.replication);
  line.conveyors.build(scene, line.flow.nodes(), seed, line.replication);
  line.sources.build(scene, seed, line.replication);
  line.operators.build(scene);
  line.transport.build(scene, seed, line.replication);
  line.calendars.build(scene);
  line.deadlocks.build(scene);
}

}  // namespace

namespace line_run {

void start_clocks(Line& line) {
  line.calendars.start(line);
  line.stops.start(line);
}

void start_flow(Line& line) {
  line.conveyors.start(line);
  line.sources.start(line);
  for (line_run::StationRun& station : line.stations.all()) {
    if (station.spec->assembly) line.stations.update_starvation(line, station);
  }
  if (line.settings.warmup_s > 0.0) {
    // Runs after everything else due at the same instant: the observed window is
    // (warm-up, end], so an event at exactly the warm-up time belongs to the warm-up.
    line.deadlocks.passive_scheduled();
    line.kernel.schedule_at(line.settings.warmup_s, line_run::event(RunEvent::kWarmupEnd, 0),
                            EventCalendar::kMaxPriority);
  }
}

}  // namespace line_run

namespace {

void on_warmup_end(Line& line) {
  const double now = line.kernel.now();
  line.reports.on_warmup_end(line);  // before the counters restart
  line.statistics.reset(now);
  line.stations.reset(now);
  line.buffers.reset(now);
  line.sources.reset(now);
  line.conveyors.reset(now);
  line.operators.reset(now);
  line.limits.reset(now);
  line.transport.reset(now);
}

// Every event but the end of a processing, out of line so that the run loop stays small.
[[gnu::noinline]] void dispatch_other(Line& line, const ScheduledEvent& event) {
  const std::uint32_t target = event.payload.target;
  const std::uint16_t detail = event.payload.detail;
  if (!line_run::moves_parts(line_run::kind_of(event.payload))) line.deadlocks.passive_gone();
  switch (line_run::kind_of(event.payload)) {
    case RunEvent::kServiceEnd:  // handled by EventDispatch
      break;
    case RunEvent::kSetupEnd:
      line.stations.on_setup_end(line, line.stations.at(target), detail);
      break;
    case RunEvent::kArrival:
      line.sources.on_arrival(line, line.sources.at(target));
      break;
    case RunEvent::kOperatorArrives:
      line.operators.on_arrives(line, line.stations.at(target), detail);
      break;
    case RunEvent::kFailure:
      line.stops.on_failure(line, line.stations.at(target));
      break;
    case RunEvent::kRepairEnd:
      line.stops.on_repair(line, line.stations.at(target));
      break;
    case RunEvent::kShiftChange:
      line.calendars.on_change(line, target);
      break;
    case RunEvent::kConveyorHead:
      line.conveyors.on_head_at_exit(line, line.conveyors.at(target));
      break;
    case RunEvent::kConveyorEntry:
      line.conveyors.admit(line, line.conveyors.at(target));
      break;
    case RunEvent::kConveyorPhysics:
      line.conveyors.on_physics(line, detail);
      break;
    case RunEvent::kCardFreed:
      line.limits.on_card_freed(line, target);
      break;
    case RunEvent::kWarmupEnd:
      on_warmup_end(line);
      break;
    case RunEvent::kVehicleLegEnd:
      line.transport.on_leg_end(line, target);
      break;
    case RunEvent::kZoneRelease:
      line.transport.on_zone_release(line, target);
      break;
  }
  line.deadlocks.after_event(line);
}

// The end of an event that needs more than its own part's work (Line::attention): reports to an
// observer, and the end of the run at a deadlock.
[[gnu::noinline]] void end_of_event(Line& line) {
  if (line.reports.observing() && line.reports.changes_pending()) line.reports.report_changes(line);
  if (!line.deadlocks.found()) return;
  // A deadlock in the warm-up leaves nothing to observe: the observed period starts and ends here.
  if (line.kernel.now() < line.settings.warmup_s) on_warmup_end(line);
  throw StopRun{};
}

// The kernel's handler, inlined into its run loop, so that an event costs no call and no saving
// of registers.
struct EventDispatch {
  Line& line;
  [[gnu::always_inline]] void operator()(const ScheduledEvent& event) {
    // Processing ends first: in most lines most events are.
    if (line_run::kind_of(event.payload) == RunEvent::kServiceEnd) [[likely]] {
      line.stations.on_service_end(line, line.stations.at(event.payload.target),
                                   event.payload.detail);
    } else {
      dispatch_other(line, event);
    }
    if (line.attention) [[unlikely]]
      end_of_event(line);
  }
};

}  // namespace

LineRun::LineRun(const Scene& scene, std::uint64_t seed, std::uint32_t replication,
                 RunSettings settings)
    : LineRun(scene, seed, replication, settings, BuiltOnly{}) {
  line_run::start_clocks(*line_);
  line_run::start_flow(*line_);
}

LineRun::LineRun(const Scene& scene, std::uint64_t seed, std::uint32_t replication,
                 RunSettings settings, BuiltOnly)
    : line_(std::make_unique<Line>(scene, settings, replication)), scene_(&scene), seed_(seed) {
  build_parts(*line_, scene, seed);
}

LineRun::LineRun(const LineRun& other)
    : line_(std::make_unique<Line>(*other.line_)),
      scene_(other.scene_),
      seed_(other.seed_),
      cancel_(other.cancel_) {}
LineRun& LineRun::operator=(const LineRun& other) {
  if (this != &other) {
    line_ = std::make_unique<Line>(*other.line_);
    scene_ = other.scene_;
    seed_ = other.seed_;
    cancel_ = other.cancel_;
  }
  return *this;
}
LineRun::LineRun(LineRun&&) noexcept = default;
LineRun& LineRun::operator=(LineRun&&) noexcept = default;
LineRun::~LineRun() = default;

std::uint32_t LineRun::replication() const {
  return line_->replication;
}
const RunSettings& LineRun::settings() const {
  return line_->settings;
}

double LineRun::now() const {
  return line_->kernel.now();
}
const std::optional<DeadlockResult>& LineRun::deadlock() const {
  return line_->deadlocks.report();
}

void LineRun::record_vehicle_tracks() {
  if (line_->kernel.events_executed() > 0)
    throw std::logic_error("LineRun::record_vehicle_tracks: the run has started");
  line_->transport.record_tracks();
}
const std::vector<TrackedVehicle>& LineRun::vehicle_tracks() const {
  return line_->transport.tracks();
}

void LineRun::operator_positions(std::vector<OperatorPosition>& out) const {
  line_->operators.positions(*line_, line_->kernel.now(), out);
}

void LineRun::simulate_conveyors_with(const ConveyorPhysicsFactory& factory) {
  if (line_->kernel.events_executed() > 0)
    throw std::logic_error("LineRun::simulate_conveyors_with: the run has started");
  line_->conveyors.simulate_with(factory);
}
const ConveyorPhysics* LineRun::conveyor_physics() const {
  return line_->conveyors.physics();
}
double LineRun::end_time() const {
  return line_->end_time();
}

void LineRun::observe(StationObserver* observer) {
  line_->reports.observe(*line_, observer);
}

StationActivity LineRun::station_activity(std::size_t station) const {
  return line_run::StationReports::activity_of(
      line_->stations.at(static_cast<std::uint32_t>(station)));
}

std::uint64_t LineRun::parts_at(ElementIndex element) const {
  return line_->flow.parts_at(*line_, element);
}

void LineRun::conveyor_positions(std::size_t conveyor, std::vector<double>& out) const {
  line_->conveyors.positions(static_cast<std::uint32_t>(conveyor), line_->kernel.now(), out);
}

StopReason LineRun::advance_to(double time) {
  Line& line = *line_;
  // The clock never goes back: a time already passed leaves the run where it is; a deadlock
  // ended it.
  if (line.deadlocks.found()) return StopReason::kStopped;
  if (time <= line.kernel.now()) return StopReason::kTimeReached;
  RunLimits limits;
  limits.until = std::min(time, line.end_time());
  limits.max_events = kCheckEvents;
  double instant_s = line.kernel.now();
  std::uint64_t at_instant = 0;  // events run in whole stretches that ended where they began
  for (;;) {
    const double began_s = line.kernel.now();
    const StopReason stop = line.kernel.run(EventDispatch{line}, limits);
    if (stop != StopReason::kEventLimit) return stop;
    if (cancel_ && cancel_->load(std::memory_order_relaxed)) throw RunCancelled();
    if (line.kernel.now() != began_s || began_s != instant_s) {
      instant_s = line.kernel.now();
      at_instant = 0;
      continue;
    }
    at_instant += kCheckEvents;
    if (at_instant >= kStuckEvents) {
      throw InputError({line.scene_file, 0, 0, ""},
                       fmt::format("the simulation is stuck at t = {} s: {} events without the "
                                   "clock advancing; look for processing, inter-arrival or "
                                   "repair times that are almost always zero",
                                   began_s, kStuckEvents));
    }
  }
}

bool LineRun::step() {
  Line& line = *line_;
  if (line.deadlocks.found() || line.kernel.now() >= line.end_time()) return false;
  RunLimits limits;
  limits.until = line.end_time();
  limits.max_events = 1;
  return line.kernel.run(EventDispatch{line}, limits) == StopReason::kEventLimit ||
         line.deadlocks.found();
}

void LineRun::fail_station(std::size_t station, double repair_s) {
  Line& line = *line_;
  if (station >= line.stations.size()) {
    throw InputError(
        {"", 0, 0, "station"},
        fmt::format("expected a station index below {}, found {}", line.stations.size(), station));
  }
  line_run::StationRun& s = line.stations.at(static_cast<std::uint32_t>(station));
  const std::string& id = scene_->element(s.element).id;
  if (!std::isfinite(repair_s) || repair_s < 0.0) {
    throw InputError({"", 0, 0, "repair"},
                     fmt::format("expected a repair time of 0 s or more, found {}", repair_s));
  }
  if (line.deadlocks.found() || line.kernel.now() >= line.end_time()) {
    throw InputError({"", 0, 0, "station"},
                     fmt::format("the run has stopped (at t = {} s): {} cannot fail any more",
                                 line.kernel.now(), id));
  }
  if (s.down) {
    throw InputError({"", 0, 0, "station"},
                     fmt::format("expected a station that is not down, found {} down", id));
  }
  ++s.failures;
  line.stops.place_down(line, s, repair_s);
  // Between events: what an observer is shown at the end of an event, it is shown now.
  if (line.reports.observing() && line.reports.changes_pending()) line.reports.report_changes(line);
}

ReplicationResult LineRun::run_to_end() {
  advance_to(line_->end_time());
  return results();
}

ReplicationResult LineRun::results() const {
  const Line& line = *line_;
  const double now = line.kernel.now();
  ReplicationResult r;
  r.replication = line.replication;
  r.events = line.kernel.events_executed();
  line.statistics.write(now, r);
  line.stations.write(now, line.statistics.observed_from_s(), r);
  line.buffers.write(now, r);
  const double observed =
      r.observed_s > 0.0 ? r.observed_s : std::numeric_limits<double>::quiet_NaN();
  line.sources.write(now, observed, r);
  line.conveyors.write(now, observed, r);
  line.operators.write(now, r.observed_s, r);
  line.limits.write(now, r);
  line.transport.write(now, r);
  r.deadlock = line.deadlocks.report();
  return r;
}

}  // namespace linetwin
