// LineRun: the mutable state of one replication of a Scene, and the rules by which parts move.
//
// Parts flow downstream by *offers*: an element offers a part to a target chosen by its route,
// which takes it or refuses it. A refused part stays where it is and its holder (a station server
// that has finished, a source, or a conveyor's exit) is put on the waiting list of the element
// that refused it. When that element frees a place, it takes from its waiting list in first-come
// order. This one mechanism gives blocking after service, direct hand-over (a buffer of capacity
// 0), sources that wait or lose arrivals, and an unlimited supply in front of a buffer. A holder
// routed "first free" waits on every target's list at once; a ticket makes the entries it leaves
// behind stale once one target has taken its part. Hand-overs happen in zero simulated time and
// cascade within one event. A server that is handing parts over is in a state of its own, so a
// cascade that comes back to its station (rework) never takes it for idle.
//
// Stations pull: a server that becomes free takes from its inputs (buffers in front of it, parts
// waiting to be handed over directly, an unlimited supply) by the station's merge rule, first come
// first served by the time each part became ready, or by a priority order. An assembly station
// takes a main part and its components all at once; a batch station takes up to its batch size.
// A server goes through setup (on a product change, from the station's matrix), processing, and
// handing over; each of setup and processing may need an operator from a pool, who walks to the
// station first and stays with it (also through a breakdown or a break) until the task is done.
//
// A station stops when it breaks down or goes off shift. Both interrupt setups and processing
// (preempt-resume: the remaining work is done after the repair or the break). A failure clock
// counted on operating time only advances while the station processes at least one part. Its
// failure event is scheduled only once it is certain to fall inside the current processing (the
// station is busy without a break until its latest service end), so stations that toggle between
// working and waiting thousands of times never schedule and cancel failures.
//
// WIP limits (CONWIP, kanban) are cards: a part takes one to enter the limit's first element and
// gives it back when it leaves the last one (or is scrapped or assembled into another). Cards
// freed during a hand-over are handed out by an event at the same instant, which keeps cascades
// from re-entering the element that is handing over.
//
// Statistics are collected from the end of the warm-up to the end of the observed period, except
// the part ledger (created, completed, scrapped, consumed, in the line), which covers the whole
// run so that conservation can be checked at any time.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/fifo_queue.hpp"
#include "core/random_stream.hpp"
#include "core/simulation_kernel.hpp"
#include "core/statistics.hpp"
#include "plant/conveyor_belt.hpp"
#include "plant/replication_result.hpp"
#include "plant/scene.hpp"
#include "plant/shift_calendar.hpp"
#include "plant/station_observer.hpp"

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

  // Reports each station's activity and part counters to `observer` from now on (nullptr to
  // stop); the observer must outlive the run or be detached first. Reports every station at once.
  void observe(StationObserver* observer);

  // What a viewer shows now. A station's activity (Scene::stations() order), as reported to an
  // observer; the parts at an element (queued in a buffer, in process or held at a station,
  // loaded on a conveyor; 0 for sources and sinks); the positions of the parts on a conveyor
  // (Scene::conveyors() order), metres from its entry, head first.
  StationActivity station_activity(std::size_t station) const {
    return activity_of(stations_[station]);
  }
  std::uint64_t parts_at(ElementIndex element) const;
  void conveyor_positions(std::size_t conveyor, std::vector<double>& out) const {
    conveyors_[conveyor].belt.positions(kernel_.now(), out);
  }

  // Called by the kernel for each event; inlined into the run loop (advance_to), so that an event
  // costs no call and no saving of registers.
  void operator()(const ScheduledEvent& event);

 private:
  enum EventKind : std::uint16_t {
    kArrival,
    kServiceEnd,
    kSetupEnd,
    kOperatorArrives,
    kFailure,
    kRepairEnd,
    kShiftChange,
    kConveyorHead,
    kConveyorEntry,
    kCardFreed,
    kWarmupEnd,
  };
  static constexpr std::uint16_t kRepairTask = 0xFFFF;  // kOperatorArrives detail for a repair
  static constexpr std::uint32_t kNoOperator = std::numeric_limits<std::uint32_t>::max();

  struct Part {
    double entered_s = 0.0;  // when the part entered the line (was taken from its source)
    ProductIndex product = 0;
    std::uint16_t cards = 0;  // one bit per WIP limit whose card it holds
  };
  // An element that could not hand its part over and waits for room.
  struct Holder {
    ElementIndex element = kNoElement;
    std::uint32_t server = 0;
    std::uint32_t ticket = 0;  // stale once the holder's part was taken elsewhere (first free)
    double since_s = 0.0;      // when it began to wait (first-come merges)
  };
  // An element's type and its index among the elements of that type (Element carries strings).
  struct Node {
    ElementType type;
    std::uint32_t type_index;
    std::uint8_t gate;    // the WIP limit that starts here, or kNoGate
    std::uint16_t exits;  // WIP limits that end here, one bit each
  };
  static constexpr std::uint8_t kNoGate = 0xFF;
  // A connection resolved when the run is built, so that the hot path indexes the right array
  // directly instead of looking the element up.
  struct Link {
    ElementType type = ElementType::kSink;
    std::uint32_t index = 0;  // into the run array of its type (unused for a sink)
    ElementIndex element = kNoElement;
  };
  struct Output {
    RouteRule rule = RouteRule::kSingle;
    Link single;  // the one target (kSingle), else the first
    std::vector<Link> targets;
    std::vector<double> cumulative;  // kProbability: running sums of the weights
    const std::vector<std::uint32_t>* by_product = nullptr;
    std::uint32_t next = 0;  // kRoundRobin
    RandomStream rng;        // kProbability
  };
  struct SourceRun {
    ElementIndex element;
    Output output;
    const SourceSpec* spec;
    RandomStream interarrival_rng;
    RandomStream mix_rng;
    std::size_t next_order = 0;
    Part held;
    std::uint32_t ticket = 0;
    TimeAverage blocked_time;  // 1 while an arrival waits to be taken (when_full: wait)
    std::uint64_t arrivals = 0;
    std::uint64_t lost = 0;
  };
  struct BufferRun {
    ElementIndex element;
    Output output;  // stations or sinks, which pull first come first served
    std::uint64_t capacity;
    bool feeds_puller;  // an assembly or batch station, which decides itself when to take
    // The plain case: one station after it, no WIP limit starting or ending here; a part passes
    // straight through without the card bookkeeping.
    bool plain_pass;
    std::uint8_t gate;
    FifoQueue<Part> queue;
    // When each queued part arrived, kept only for a buffer in front of a station that merges
    // several inputs first come, first served (the plain line does without it).
    bool tracks_arrival = false;
    FifoQueue<double> arrived_s;
    // No WIP limit starts here, no arrival times, no puller: a part queues and that is all.
    bool plain_queue = false;
    TimeAverage occupancy;
    std::uint64_t occupancy_max = 0;
  };
  enum class ServerState : std::uint8_t {
    kIdle,             // starved
    kWaitingOperator,  // holds its parts; the operator is requested or walking here
    kSetup,
    kWorking,
    kBlocked,      // its finished parts were refused downstream
    kHandingOver,  // handing its finished parts over, at one instant (takes no time)
  };
  static constexpr int kCountedStates = 6;
  // The states whose server time is integrated (idle is the rest; a hand-over takes no time).
  static constexpr unsigned kIntegrated = 1u << 1 | 1u << 2 | 1u << 3 | 1u << 4;
  // The states in which a server keeps its station active (working on it or about to).
  static constexpr unsigned kBusy = 1u << 1 | 1u << 2 | 1u << 3;
  struct ServerRun {
    ServerState state = ServerState::kIdle;
    bool paused = false;  // setup or processing interrupted by a stop
    OperatorTask waiting_for = OperatorTask::kProcessing;
    Part part;  // the part in process (the main part of a batch)
    EventHandle completion;
    double end_s = 0.0;        // when the current setup or processing ends (while running)
    double remaining_s = 0.0;  // work left when a stop interrupted it
    std::uint32_t ticket = 0;
    std::uint32_t operator_id = kNoOperator;
    std::int32_t last_product = -1;  // for setups
  };
  // What a server holds beyond one part, kept apart from ServerRun so that the hot state of
  // plain stations stays small.
  struct ServerLoad {
    std::vector<Part> batch;     // the other parts of a batch
    std::vector<Part> outgoing;  // finished parts still to hand over (general path)
    std::vector<std::uint8_t> to_rework;
    std::size_t next_out = 0;
    std::vector<Part> redo;  // reworked at this very station: processed again by this server
  };
  enum class FailureMode : std::uint8_t { kNever, kOnOperatingTime, kOnCalendarTime };
  struct StationRun {
    std::uint32_t index;  // in stations_, the target of its events
    ElementIndex element;
    std::vector<Link> inputs;  // in merge order (priority) or scene order
    Output output;
    Output rework;  // where reworked parts go (single target)
    const StationSpec* spec;
    std::vector<const Distribution*> processing;  // per product
    FailureMode failure_mode;
    // The plain case (one input, one output, one part at a time, no setups, operators or
    // quality) takes the short path through hand-over and refill.
    bool plain;
    bool plain_from_buffer;  // and fed by a buffer: the shortest path of all
    bool takes_offers;       // not an assembly or batch station (those pull)
    std::uint8_t gate;
    Link first_input;
    std::uint32_t first_server;
    std::uint32_t servers;
    std::uint32_t count[kCountedStates] = {};  // servers per state
    std::uint32_t busy = 0;                    // servers in a kBusy state
    bool down = false;
    bool off_shift = false;
    bool halted = false;  // down or off shift, kept as one flag for the hot path
    std::uint32_t repair_operator = kNoOperator;  // called for the repair (not one already here)
    RandomStream processing_rng;
    RandomStream failure_rng;
    RandomStream repair_rng;
    RandomStream quality_rng;
    // Failure clock.
    double time_to_failure_s = 0.0;  // operating time: what is left when operating_since_s began
    double operating_since_s = 0.0;
    double busy_until_s = 0.0;  // while operating: the latest end of the processings under way
    bool failure_pending = false;
    EventHandle failure_event;
    // Server time per state, integrated (server-seconds); while the station is stopped its
    // servers count as down or off shift only. Starved (idle) is the rest.
    TimeAverage in_state[kCountedStates];
    TimeAverage down_servers;
    TimeAverage off_shift_servers;
    // Active periods: the time spent active, and the number of periods begun. A station that
    // goes inactive and active again at the same instant stays in the same period.
    bool active = false;
    double inactive_since_s = -std::numeric_limits<double>::infinity();
    TimeAverage active_time;
    std::uint64_t active_periods = 0;
    std::uint64_t processed = 0;
    std::uint64_t scrapped = 0;
    std::uint64_t reworked = 0;
    std::uint64_t failures = 0;
    std::uint64_t setups = 0;
    // Sum of the mean processing time of each part processed; with one mean for every product
    // (uniform_ideal), it is processed times that mean and is computed at the end instead.
    double ideal_work_s = 0.0;
    bool uniform_ideal = true;
    // Assembly: per component line (main first), 1 while an idle server waits for it.
    std::vector<TimeAverage> starved_by;
    std::vector<std::uint8_t> short_of;
  };
  struct ConveyorRun {
    ElementIndex element;
    Output output;
    ConveyorBelt belt;
    FifoQueue<Part> parts;
    EventHandle head_event;
    EventHandle entry_event;
    bool head_waiting = false;  // the head is at the exit, refused downstream
    std::uint32_t ticket = 0;
    TimeAverage occupancy;
    double stopped_at_warmup_s = 0.0;
    std::uint64_t transported = 0;
  };
  struct OperatorRun {
    std::uint32_t pool;
    double x_m, y_m;  // where the operator stands
    bool busy = false;
  };
  struct PoolRun {
    const OperatorPoolSpec* spec;
    std::uint32_t first_operator;
    TimeAverage walking;
    TimeAverage working;
    std::uint64_t assignments = 0;
  };
  struct OperatorRequest {
    std::uint32_t station;
    std::uint16_t server;  // or kRepairTask
    OperatorTask task;
  };
  struct CalendarRun {
    ShiftCalendar calendar;
    std::vector<std::uint32_t> stations;
    bool on_shift = true;
  };
  struct LimitRun {
    ElementIndex from;
    std::uint32_t cards_free;
    TimeAverage in_use;
  };

  static Link link_to(const Scene& scene, ElementIndex element);
  Output make_output(const Scene& scene, const Element& e, std::uint64_t seed);

  // Moving parts.
  bool hand_on(Output& output, Part& part, const Holder& self);
  std::uint64_t load_of(const Link& target) const;
  bool offer(const Link& to, Part& part);
  bool offer_to_buffer(BufferRun& buffer, Part& part);
  void enqueue(BufferRun& buffer, const Part& part);
  bool passed_through(BufferRun& buffer, Part& part);
  Part take_head(BufferRun& buffer);
  bool station_can_take(const StationRun& station) const;
  bool offer_to_station(StationRun& station, Part& part);
  bool offer_to_conveyor(ConveyorRun& conveyor, Part& part);
  bool take_card(std::uint8_t gate, Part& part);
  void leave(ElementIndex element, Part& part);
  void drop_cards(Part& part);
  void complete(Part& part);
  void enter_line(Part& part, ProductIndex product);
  Part take_from(const Holder& holder);
  void release(const Holder& holder);
  bool holder_is_current(const Holder& holder) const;
  // Only first-free routes leave stale entries; without them the check is skipped.
  bool pop_holder(FifoQueue<Holder>& waiting, Holder& out);
  bool pop_current_holder(FifoQueue<Holder>& waiting, Holder& out);
  void wait_on(ElementIndex element, const Holder& holder);
  void admit(ElementIndex element);
  void admit_waiting(BufferRun& buffer);
  ProductIndex next_product(SourceRun& source);
  void supply_unlimited(SourceRun& source);
  void schedule_arrival(SourceRun& source);

  // Stations.
  void refill(StationRun& station, std::uint32_t server);
  bool refill_from_buffer(StationRun& station, std::uint32_t server);
  void refill_other(StationRun& station, std::uint32_t server);
  void refill_all(StationRun& station);
  bool pull_part(StationRun& station, Part& part);
  bool pull_batch(StationRun& station, std::uint32_t server);
  bool try_assemble(StationRun& station, std::uint32_t server);
  void update_starvation(StationRun& station);
  void load_server(StationRun& station, std::uint32_t server, const Part& part);
  void begin_tasks(StationRun& station, std::uint32_t server);
  void start_setup(StationRun& station, std::uint32_t server);
  void start_service(StationRun& station, std::uint32_t server, const Part& part);
  template <bool kPlain>
  void start_processing(StationRun& station, std::uint32_t server);
  void finish(StationRun& station, std::uint32_t server);
  void hand_out(StationRun& station, std::uint32_t server);
  void set_state(StationRun& station, ServerRun& server, ServerState state);
  template <ServerState kFrom, ServerState kTo, bool kRunning>
  void move_server(StationRun& station, ServerRun& server);
  void refresh_active(StationRun& station);
  bool stopped(const StationRun& station) const { return station.halted; }
  // Every part processed leaves good, scrapped or reworked; the good ones are not counted apart.
  static std::uint64_t good_parts(const StationRun& station) {
    return station.processed - station.scrapped - station.reworked;
  }
  void arm_failure_if_due(StationRun& station);
  void set_stop(StationRun& station, bool down, bool off_shift);
  void add_state_integrals(StationRun& station, double sign);

  // Operators.
  bool request_operator(StationRun& station, std::uint16_t server, OperatorTask task);
  void assign(std::uint32_t op, const OperatorRequest& request, const StationRun& station);
  void release_operator(std::uint32_t op);
  const Pose& pose_of(ElementIndex element) const { return poses_[element]; }

  // Conveyors.
  void schedule_head(ConveyorRun& conveyor);
  void schedule_entry(ConveyorRun& conveyor);
  void conveyor_unloaded(ConveyorRun& conveyor);

  // Every event but the end of a processing, out of line so that the run loop stays small.
  [[gnu::noinline]] void dispatch_other(const ScheduledEvent& event);
  void on_arrival(SourceRun& source);
  void on_service_end(StationRun& station, std::uint32_t server);
  void on_setup_end(StationRun& station, std::uint32_t server);
  void on_operator_arrives(StationRun& station, std::uint16_t server);
  void on_failure(StationRun& station);
  void on_repair(StationRun& station);
  void start_repair(StationRun& station);
  void on_shift_change(CalendarRun& calendar);
  void on_conveyor_head(ConveyorRun& conveyor);
  void on_card_freed(std::uint32_t limit);
  void on_warmup_end();

  RunSettings settings_;
  std::uint32_t replication_;
  std::string scene_file_;  // for errors
  static constexpr std::uint64_t kStuckEvents = 10'000'000;
  SimulationKernel kernel_;
  std::vector<Node> nodes_;
  std::vector<Pose> poses_;
  std::vector<SourceRun> sources_;
  std::vector<BufferRun> buffers_;
  std::vector<StationRun> stations_;
  std::vector<ServerRun> servers_;
  std::vector<ServerLoad> loads_;  // parallel to servers_
  std::vector<ConveyorRun> conveyors_;
  std::vector<OperatorRun> operators_;
  std::vector<PoolRun> pools_;
  std::vector<OperatorRequest> requests_;  // waiting for an operator, first come first served
  std::vector<CalendarRun> calendars_;
  std::vector<LimitRun> limits_;
  std::vector<FifoQueue<Holder>> waiting_;  // per element: holders refused by it, first come first
  std::size_t product_count_;
  std::vector<double> ideal_s_;  // per station and product: mean processing time per part
  TimeAverage wip_;
  std::uint64_t completed_ = 0;
  bool stale_holders_possible_ = false;  // a first-free route can leave stale waiting entries
  // Station reports: what was last reported per station, and the stations changed in this event.
  struct ReportedState {
    StationActivity activity = StationActivity::kIdle;
    bool dirty = false;
    std::uint64_t good_seen = 0;  // station.good when last reported (reset with it at warm-up)
    std::uint64_t scrapped_seen = 0;
    std::uint64_t good_total = 0;
    std::uint64_t scrapped_total = 0;
  };
  StationObserver* observer_ = nullptr;
  std::vector<ReportedState> reported_;  // per station, while observed
  std::vector<std::uint32_t> changed_stations_;
  // Out of line and cold: the hot path of an unobserved run keeps only the test of observer_.
  [[gnu::noinline, gnu::cold]] void mark_changed(const StationRun& station);
  // Adds the parts counted since the last report to the reported totals.
  void absorb_counts(const StationRun& station);
  StationActivity activity_of(const StationRun& station) const;
  void report_changes(bool all);
  std::vector<std::uint64_t> completed_by_product_;
  std::vector<std::uint64_t> scrapped_by_product_;
  std::vector<double> lead_time_sum_by_product_;
  PartLedger ledger_;
  // Mutable: results() reorders it to find quantiles, which changes nothing it measures.
  mutable std::vector<double> lead_times_s_;
  double observed_from_s_ = 0.0;
};

}  // namespace linetwin
