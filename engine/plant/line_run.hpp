// LineRun: the mutable state of one replication of a Scene, and the rules by which parts move.
//
// Parts flow downstream by *offers*: an element offers a part to its downstream element, which
// takes it or refuses it. A refused part stays where it is and its holder (a station server that
// has finished, or a source) is put on the waiting list of the element that refused it. When that
// element frees a place, it takes from its waiting list in first-come order. This one mechanism
// gives blocking after service (a finished part keeps its server until there is room), direct
// hand-over (a buffer of capacity 0 only passes a part that the next station takes at once),
// sources that wait or lose arrivals, and an unlimited supply in front of a buffer (a source that
// always waits with a part ready; a station fed by an unlimited supply simply takes a new part
// whenever a server frees). Hand-overs happen in zero simulated time and cascade up the line
// within one event.
//
// Breakdowns interrupt processing (preempt-resume: the remaining work is done after the repair).
// A failure clock counted on operating time only advances while the station processes at least
// one part. Its failure event is scheduled only once it is certain to fall inside the current
// processing (the station is busy without a break until its latest service end), so stations that
// toggle between working and waiting thousands of times never schedule and cancel failures.
//
// Statistics are collected from the end of the warm-up to the end of the observed period.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/fifo_queue.hpp"
#include "core/random_stream.hpp"
#include "core/simulation_kernel.hpp"
#include "core/statistics.hpp"
#include "plant/replication_result.hpp"
#include "plant/scene.hpp"

namespace linetwin {

class LineRun {
 public:
  // `settings` overrides the scene's run settings (the CLI's --duration and --warmup).
  LineRun(const Scene& scene, std::uint64_t seed, std::uint32_t replication, RunSettings settings);
  LineRun(const Scene& scene, std::uint64_t seed, std::uint32_t replication)
      : LineRun(scene, seed, replication, scene.run_settings()) {}

  // Simulates through warm-up and the observed period and returns what was measured.
  ReplicationResult run_to_end();
  // Advances the clock to `time` (for stepping and viewers); never beyond the end of the run.
  StopReason advance_to(double time);
  double now() const { return kernel_.now(); }
  double end_time() const { return settings_.warmup_s + settings_.duration_s; }
  // What has been measured so far in the observed period.
  ReplicationResult results() const;

  // Called by the kernel for each event.
  void operator()(const ScheduledEvent& event);

 private:
  enum EventKind : std::uint16_t { kArrival, kServiceEnd, kFailure, kRepairEnd, kWarmupEnd };

  struct Part {
    double entered_s = 0.0;  // when the part entered the line (was taken from its source)
  };
  // An element that could not hand its part over and waits for room.
  struct Holder {
    ElementIndex element = kNoElement;
    std::uint32_t server = 0;
  };
  // An element's type and its index among the elements of that type (Element carries strings).
  struct Node {
    ElementType type;
    std::uint32_t type_index;
  };
  // A connection resolved when the run is built, so that the hot path indexes the right array
  // directly instead of looking the element up.
  struct Link {
    ElementType type = ElementType::kSink;
    std::uint32_t index = 0;  // into sources_, buffers_ or stations_ (unused for a sink)
    ElementIndex element = kNoElement;
  };
  struct SourceRun {
    ElementIndex element;
    Link output;
    const SourceSpec* spec;
    RandomStream interarrival_rng;
    Part held;
    TimeAverage blocked_time;  // 1 while an arrival waits to be taken (when_full: wait)
    std::uint64_t arrivals = 0;
    std::uint64_t lost = 0;
  };
  struct BufferRun {
    ElementIndex element;
    Link output;  // a station or a sink
    std::uint64_t capacity;
    FifoQueue<Part> queue;
    TimeAverage occupancy;
    std::uint64_t occupancy_max = 0;
  };
  enum class ServerState : std::uint8_t { kIdle, kWorking, kBlocked };
  struct ServerRun {
    ServerState state = ServerState::kIdle;
    Part part;
    EventHandle completion;
    double end_s = 0.0;        // when the current processing ends (while working and up)
    double remaining_s = 0.0;  // work left when a failure interrupted it
  };
  enum class FailureMode : std::uint8_t { kNever, kOnOperatingTime, kOnCalendarTime };
  struct StationRun {
    std::uint32_t index;  // in stations_, the target of its events
    ElementIndex element;
    Link input;
    Link output;
    const StationSpec* spec;
    FailureMode failure_mode;
    std::uint32_t first_server;
    std::uint32_t servers;
    std::uint32_t working = 0;
    std::uint32_t blocked = 0;
    bool down = false;
    RandomStream processing_rng;
    RandomStream failure_rng;
    RandomStream repair_rng;
    // Failure clock.
    double time_to_failure_s = 0.0;  // operating time: what is left when operating_since_s began
    double operating_since_s = 0.0;
    double busy_until_s = 0.0;  // while operating: the latest end of the processings under way
    bool failure_pending = false;
    // Servers working, blocked and down, integrated over time (server-seconds); while the station
    // is down its servers count as down only. Starved is the rest of the server time.
    TimeAverage working_servers;
    TimeAverage blocked_servers;
    TimeAverage down_servers;
    // Active periods: the time spent active, and the number of periods begun. A station that
    // goes inactive and active again at the same instant stays in the same period.
    bool active = false;
    double inactive_since_s = -std::numeric_limits<double>::infinity();
    TimeAverage active_time;
    std::uint64_t active_periods = 0;
    std::uint64_t processed = 0;
    std::uint64_t failures = 0;
  };

  static Link link_to(const Scene& scene, ElementIndex element);
  bool offer(const Link& to, Part part);
  bool offer_to_buffer(BufferRun& buffer, Part part);
  bool offer_to_station(StationRun& station, Part part);
  void complete(const Part& part);
  void enter_line(Part& part);
  void start_service(StationRun& station, std::uint32_t server, Part part);
  void refill(StationRun& station, std::uint32_t server);
  void refill_other(StationRun& station, std::uint32_t server);
  void admit_waiting(BufferRun& buffer);
  Part take_from(const Holder& holder);
  void release(const Holder& holder);
  void supply_unlimited(SourceRun& source);
  void schedule_arrival(SourceRun& source);
  void arm_failure_if_due(StationRun& station);
  void count_working(StationRun& station, int delta);
  void count_blocked(StationRun& station, int delta);
  void refresh_active(StationRun& station);

  void on_arrival(SourceRun& source);
  void on_service_end(StationRun& station, std::uint32_t server);
  void on_failure(StationRun& station);
  void on_repair(StationRun& station);
  void on_warmup_end();

  RunSettings settings_;
  std::uint32_t replication_;
  std::string scene_file_;  // for errors
  static constexpr std::uint64_t kMaxEventsPerInstant = 10'000'000;
  double last_event_time_s_ = -1.0;
  std::uint64_t events_at_this_instant_ = 0;
  SimulationKernel kernel_;
  std::vector<Node> nodes_;
  std::vector<SourceRun> sources_;
  std::vector<BufferRun> buffers_;
  std::vector<StationRun> stations_;
  std::vector<ServerRun> servers_;
  std::vector<FifoQueue<Holder>> waiting_;  // per element: holders refused by it, first come first
  TimeAverage wip_;
  std::uint64_t completed_ = 0;
  // Mutable: results() reorders it to find quantiles, which changes nothing it measures.
  mutable std::vector<double> lead_times_s_;
  double observed_from_s_ = 0.0;
};

}  // namespace linetwin
