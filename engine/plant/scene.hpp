// A production line as loaded and validated: the immutable model that every replication shares.
//
// Following MuJoCo's model/data split, a Scene holds only what the line *is* (its products, its
// elements, their parameters and connections, operator pools, shift calendars, WIP limits, its
// layout, the seed and the run settings); the mutable state of one replication lives in LineRun.
// Many runs on many threads read one Scene at once.
//
// Elements are referred to by ElementIndex, their position in `elements()`; each element also has
// an index among the elements of its own type (`type_index`) into the flat spec arrays, which is
// what the simulation walks. Products (variants) are referred to by ProductIndex.
//
// Connections: every element but a sink hands its parts on through its Route: one target, or
// several chosen by a rule (by product, probability, round robin, shortest queue, first free).
// Several elements may feed one element (a merge); a station takes from its inputs first come
// first served or by a priority order. The flow has no loops, except the rework loop a station's
// quality check may send parts back through.
//
// Build scenes through SceneBuilder, which checks every rule and reports a broken one as an
// InputError that names the element's field (and, when the builder was given them, its file line).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/distribution.hpp"
#include "core/input_error.hpp"
#include "plant/conveyor_belt.hpp"
#include "plant/shift_calendar.hpp"
#include "transport/path_network.hpp"

namespace linetwin {

using ElementIndex = std::uint32_t;
inline constexpr ElementIndex kNoElement = std::numeric_limits<ElementIndex>::max();
using ProductIndex = std::uint16_t;
inline constexpr std::size_t kMaxWipLimits = 16;  // a part carries one bit per limit

// What a scene may ask for (docs/scene-format.md#limits). A few lines of YAML can ask for more
// memory than any machine has; these bounds refuse such a scene as bad input, before anything of
// that size is allocated, rather than end in std::bad_alloc or the out-of-memory killer.
inline constexpr std::size_t kMaxProducts = 4096;
inline constexpr std::size_t kMaxElements = 100'000;
inline constexpr std::uint32_t kMaxServersPerStation = 65'535;
inline constexpr std::uint64_t kMaxServers = 1'000'000;  // all stations together
inline constexpr std::uint32_t kMaxOperatorsPerPool = 100'000;
inline constexpr std::uint64_t kMaxOperators = 100'000;  // all pools together
// Batch sizes, split counts and bill-of-materials quantities: parts handled at once.
inline constexpr std::uint32_t kMaxPartsAtOnce = 100'000;
inline constexpr std::uint32_t kMaxWipCards = 100'000'000;
// The most parts a conveyor holds, floor(length_m / spacing_m).
inline constexpr double kMaxConveyorParts = 1'000'000;
// Values held per product or per pair of products, all elements together: each per-product
// processing time, scrap or rework share, mix share and by-product route target counts one, a
// setup matrix products x products. 2^22 values are at most 320 MiB (a processing time by
// product is the largest value, 80 bytes).
inline constexpr std::size_t kMaxProductValues = std::size_t{1} << 22;

// Letters, digits, '_', '-' and '.', at least one: an element id as scene files write it.
bool is_valid_element_id(std::string_view id);

enum class ElementType : std::uint8_t { kSource, kBuffer, kStation, kSink, kConveyor };
inline constexpr int kElementTypes = 5;
std::string_view to_string(ElementType type);

// Where an element stands on the shop floor: metres, and yaw in degrees about the vertical axis.
struct Pose {
  double x_m = 0.0;
  double y_m = 0.0;
  double z_m = 0.0;
  double yaw_deg = 0.0;
};

enum class WhenOutputFull : std::uint8_t {
  kWait,  // the arrival waits at the source, and the arrival process pauses until it is taken
  kLose,  // the arrival is turned away and counted as lost
};

// One order of a just-in-sequence release: a product released at a time, in sequence.
struct OrderRelease {
  std::string id;
  ProductIndex product = 0;
  double release_s = 0.0;
};

struct SourceSpec {
  // Unlimited supply: a part is always ready for the element downstream (saturated line).
  bool unlimited_supply = false;
  Distribution interarrival;
  WhenOutputFull when_output_full = WhenOutputFull::kWait;
  // What it releases: one product, a random mix (weights per product, summing to 1; each
  // arrival draws its product), or the orders of a sequence file at their release times.
  ProductIndex product = 0;
  std::vector<double> mix;           // empty, or one weight per product
  std::vector<OrderRelease> orders;  // non-empty: an order source (no interarrival)
  std::string orders_file;           // where the orders came from, for errors
  // Index into Scene::calendars(); -1: always on shift (the line's calendar is the stations').
  // Off shift a source makes no arrivals: its arrival clock stands still, orders due are
  // released when the shift begins, and an unlimited supply hands nothing over.
  std::int32_t calendar = -1;
};

struct BufferSpec {
  static constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();
  // 0 is a direct hand-over: a part passes only when the next element can take it at once.
  std::uint64_t capacity = kUnlimited;
};

enum class FailureClock : std::uint8_t {
  kOperatingTime,  // time to failure elapses only while the station is processing
  kCalendarTime,   // time to failure elapses from the end of the last repair, whatever the state
};

struct BreakdownSpec {
  Distribution time_to_failure;
  Distribution time_to_repair;
  FailureClock counted_on = FailureClock::kOperatingTime;
};

// What a station does with each part it finishes: most pass, some are scrapped, some go back to
// be reworked. Probabilities per product.
struct QualitySpec {
  std::vector<double> scrap;   // per product
  std::vector<double> rework;  // per product
  ElementIndex rework_to = kNoElement;
};

// An assembly station joins a main part (which keeps its identity: product, order, lead time)
// with components, each line from its own input buffer.
struct BomLine {
  ElementIndex from = kNoElement;  // a buffer feeding only this station
  std::uint32_t quantity = 1;
};
struct AssemblySpec {
  ElementIndex main_from = kNoElement;  // the buffer that brings the main part
  std::vector<BomLine> components;
};

enum class OperatorTask : std::uint8_t { kProcessing, kSetup, kRepair };
inline constexpr int kOperatorTasks = 3;
inline constexpr std::uint32_t kNoPool = std::numeric_limits<std::uint32_t>::max();

enum class MergeRule : std::uint8_t { kFirstCome, kPriority };

struct StationSpec {
  std::uint32_t servers = 1;
  Distribution processing;  // for every product without its own
  std::vector<std::optional<Distribution>> processing_by_product;  // empty, or one per product
  std::optional<BreakdownSpec> breakdowns;
  // Changeover time when a server switches from one product (row) to another (column);
  // empty when the station has no setups. Products x products, seconds.
  std::vector<double> setup_s;
  std::optional<QualitySpec> quality;
  // Batch processing: takes between batch_min and batch_max parts from its input at once.
  std::uint32_t batch_min = 1;
  std::uint32_t batch_max = 1;
  std::uint32_t split_into = 1;  // each finished part leaves as this many parts (disassembly)
  std::optional<AssemblySpec> assembly;
  // The skill an operator needs for each task, as the set of pools that have it; empty: the task
  // needs no operator.
  std::vector<std::uint32_t> operator_pools[kOperatorTasks];
  std::int32_t calendar = -1;  // index into Scene::calendars(); -1: always on shift
  MergeRule merge = MergeRule::kFirstCome;
  std::vector<ElementIndex> merge_priority;  // inputs, highest priority first (kPriority)

  const Distribution& processing_for(ProductIndex product) const {
    if (product < processing_by_product.size() && processing_by_product[product])
      return *processing_by_product[product];
    return processing;
  }
  bool needs_operator(OperatorTask task) const {
    return !operator_pools[static_cast<int>(task)].empty();
  }
};

struct SinkSpec {};

// How an element chooses where a part goes when it has several targets.
enum class RouteRule : std::uint8_t {
  kSingle,         // one target
  kByProduct,      // each product has its target
  kProbability,    // drawn at random with the given weights
  kRoundRobin,     // targets in turn
  kShortestQueue,  // the target with the fewest parts waiting or in process
  kFirstFree,      // the first target, in order, that can take the part now
};

// A link that a fleet's vehicles carry (`to: {via: FLEET, to: TARGET}`, a station's single target):
// the fleet, and the stops (FleetSpec::stops) where parts are picked up and dropped off.
inline constexpr std::uint32_t kNoFleet = std::numeric_limits<std::uint32_t>::max();
struct TransportLink {
  std::uint32_t fleet = kNoFleet;
  std::uint32_t pick_up = 0;
  std::uint32_t drop_off = 0;
  std::uint32_t priority = 0;  // higher first, under DispatchRule::kPriority
  bool carried_by_fleet() const { return fleet != kNoFleet; }
};

struct Route {
  RouteRule rule = RouteRule::kSingle;
  std::vector<ElementIndex> targets;
  std::vector<double> weights;            // kProbability: one per target, summing to 1
  std::vector<std::uint32_t> by_product;  // kByProduct: index into targets, per product
  TransportLink via;                      // not carried_by_fleet: the part moves on at once
};

// Which idle vehicle takes a new transport order (docs/transport.md#dispatching).
enum class DispatchRule : std::uint8_t {
  kNearestIdle,  // the one with the shortest travel time to the pick-up, ties by vehicle index
  kFifo,         // the one idle longest, ties by vehicle index
  // Queued orders of higher link priority first, ties first come first served; the nearest idle
  // vehicle takes an order.
  kPriority,
};

// How a fleet's vehicles share the aisles (docs/transport.md, "Traffic control").
enum class TrafficControl : std::uint8_t {
  kZones,  // every node and edge a zone that one vehicle holds at a time; a route reserved at once
  kNone,   // no reservations: vehicles pass through each other
};

// Where a fleet's vehicle with no order waits (docs/transport.md, "Idle vehicles").
enum class IdlePlace : std::uint8_t {
  kHome,    // parked in the depot at the fleet's home, off the aisles
  kPickUp,  // at the nearest pick-up stop with no vehicle and no drop-off, else home
};

// Whether a vehicle's load of this size has a footprint of its own (both sides > 0); one without
// stands within its vehicle's. Copies of a fleet's load size (tracks, audits, views) ask it too.
inline bool load_has_footprint(double load_length_m, double load_width_m) {
  return load_length_m > 0.0 && load_width_m > 0.0;
}

struct VehicleSpec {
  MotionLimits motion;
  double width_m = 1.0;
  double length_m = 1.0;
  // What a loaded vehicle carries, a rectangle centred on it and long along its heading; 0: the
  // load stands within the vehicle's footprint (docs/transport.md, "Loads").
  double load_width_m = 0.0;
  double load_length_m = 0.0;
  Distribution load_time;
  Distribution unload_time;
  // The rectangle that holds the vehicle and its load: what aisles and reservations must clear.
  double outer_width_m() const { return width_m > load_width_m ? width_m : load_width_m; }
  double outer_length_m() const { return length_m > load_length_m ? length_m : load_length_m; }
  bool has_load_footprint() const { return load_has_footprint(load_length_m, load_width_m); }
};

// A fleet's batteries (docs/transport.md, "Batteries and charging"): energy is spent only while
// driving, distance times consumption; a vehicle below `charge_below` of its capacity after a
// delivery goes to a charger and charges at `charge_rate_kw` to `charge_to` of its capacity.
struct BatterySpec {
  double capacity_kwh = 0.0;
  double consumption_kwh_per_m = 0.0;
  double charge_rate_kw = 0.0;
  double charge_below = 0.3;
  double charge_to = 1.0;
};

// The way a fleet's vehicles take from one stop to another: the fastest route for the vehicle and
// its exact motion profile from rest to rest (no step and no time from a stop to itself).
struct FleetLeg {
  PathRoute route;
  MotionProfile profile{{}, MotionLimits{}};
};

// A fleet of identical vehicles on the scene's path network. Its vehicles stop only at `stops`:
// its home (stop 0, where they start), then the pick-up and drop-off nodes of the links it
// carries; `legs` holds the way from every stop to every other, planned once when the scene is
// built, so that a run looks up travel times and routes and never routes.
struct FleetSpec {
  std::string id;
  PathNodeIndex home = 0;
  std::uint32_t vehicles = 1;
  VehicleSpec vehicle;
  DispatchRule dispatch = DispatchRule::kNearestIdle;
  TrafficControl traffic = TrafficControl::kZones;
  IdlePlace idle_at = IdlePlace::kHome;
  std::vector<PathNodeIndex> stops;
  std::vector<std::uint32_t> pick_ups;   // the stops where its links pick parts up, ascending
  std::vector<std::uint32_t> drop_offs;  // and where they drop them off
  std::vector<FleetLeg> legs;            // stops x stops, row: from
  std::optional<BatterySpec> battery;
  std::vector<std::uint32_t> chargers;  // stops where vehicles charge, one at a time each
  // Per stop: the energy to drive to the nearest charger (0 at a charger); empty without battery.
  std::vector<double> charger_reserve_kwh;
  double energy_kwh(std::uint32_t from, std::uint32_t to) const {
    return from == to ? 0.0
                      : leg(from, to).profile.total_length_m() * battery->consumption_kwh_per_m;
  }
  const FleetLeg& leg(std::uint32_t from, std::uint32_t to) const {
    return legs[from * stops.size() + to];
  }
  double travel(std::uint32_t from, std::uint32_t to) const {
    return leg(from, to).profile.total_time_s();
  }
};

struct OperatorPoolSpec {
  std::string name;
  std::uint32_t count = 1;
  std::vector<std::string> skills;
  double walking_speed_m_per_s = 1.0;
  ElementIndex home = kNoElement;  // where the operators start; the origin when none
  // Index into Scene::calendars(); -1: always on duty. Off shift no operator of the pool works: a
  // task in hand is interrupted and waits, with the work left, for an operator on duty.
  std::int32_t calendar = -1;
};

// A WIP cap on a segment of the line (CONWIP, kanban): a part needs one of `cards` to enter
// `from`, and gives it back when it leaves `to` (or is scrapped or assembled in between).
struct WipLimitSpec {
  std::string name;
  ElementIndex from = kNoElement;
  ElementIndex to = kNoElement;
  std::uint32_t cards = 1;
};

struct NamedCalendar {
  std::string name;
  CalendarSpec spec;
};

struct Element {
  std::string id;
  ElementType type = ElementType::kStation;
  std::uint32_t type_index = 0;  // index into the spec array of its type
  Pose pose;
  std::string model;  // optional 3D model reference (path relative to the scene), empty if none
  Route route;        // empty targets for a sink
  // The elements whose routes name this one, in scene order, then those that rework into it.
  std::vector<ElementIndex> inputs;
};

struct RunSettings {
  double duration_s = 8 * 3600.0;  // the observed period, after warm-up
  double warmup_s = 0.0;
  std::uint32_t replications = 1;
};

// The first rule run settings break, as the field ("duration", "warmup" or "replications") and
// what was expected; nothing when they are valid. A run ends at warm-up plus duration, which must
// be at most kMaxDurationS (core/duration.hpp) so that every time it reaches can be recorded.
// The builder checks the scene's settings; whatever overrides them (linetwin run --duration)
// checks the result.
struct RunSettingsProblem {
  std::string field;
  std::string message;
};
std::optional<RunSettingsProblem> run_settings_problem(const RunSettings& run);

class Scene {
 public:
  const std::string& name() const { return name_; }
  // The products (variants) the line builds; at least one.
  const std::vector<std::string>& products() const { return products_; }
  std::optional<ProductIndex> find_product(std::string_view name) const;
  std::uint64_t seed() const { return seed_; }
  const RunSettings& run_settings() const { return run_settings_; }
  const std::string& source_file() const { return source_file_; }

  const std::vector<Element>& elements() const { return elements_; }
  const Element& element(ElementIndex index) const { return elements_[index]; }
  std::optional<ElementIndex> find(std::string_view id) const;

  // Element indices of each type, in scene order; position i corresponds to the spec arrays.
  const std::vector<ElementIndex>& sources() const { return of_type_[0]; }
  const std::vector<ElementIndex>& buffers() const { return of_type_[1]; }
  const std::vector<ElementIndex>& stations() const { return of_type_[2]; }
  const std::vector<ElementIndex>& sinks() const { return of_type_[3]; }
  const std::vector<ElementIndex>& conveyors() const { return of_type_[4]; }

  const SourceSpec& source_spec(const Element& e) const { return source_specs_[e.type_index]; }
  const BufferSpec& buffer_spec(const Element& e) const { return buffer_specs_[e.type_index]; }
  const StationSpec& station_spec(const Element& e) const { return station_specs_[e.type_index]; }
  const ConveyorSpec& conveyor_spec(const Element& e) const {
    return conveyor_specs_[e.type_index];
  }
  // The conveyors whose parts are bodies in a physics world (`mode: physics`, docs/physics.md), as
  // positions in conveyors(), in its order; empty: the scene has none.
  std::vector<std::size_t> physics_conveyors() const;

  const std::vector<OperatorPoolSpec>& operator_pools() const { return operator_pools_; }
  const std::vector<WipLimitSpec>& wip_limits() const { return wip_limits_; }
  const std::vector<NamedCalendar>& calendars() const { return calendars_; }
  // The aisles vehicles drive (none in a scene without fleets) and the fleets that drive them.
  const std::optional<PathNetwork>& paths() const { return paths_; }
  const std::vector<FleetSpec>& fleets() const { return fleets_; }

 private:
  friend class SceneBuilder;
  std::string name_;
  std::vector<std::string> products_{"part"};
  std::string source_file_;
  std::uint64_t seed_ = 1;
  RunSettings run_settings_;
  std::vector<Element> elements_;
  std::vector<ElementIndex> of_type_[kElementTypes];
  std::vector<SourceSpec> source_specs_;
  std::vector<BufferSpec> buffer_specs_;
  std::vector<StationSpec> station_specs_;
  std::vector<ConveyorSpec> conveyor_specs_;
  std::vector<OperatorPoolSpec> operator_pools_;
  std::vector<WipLimitSpec> wip_limits_;
  std::vector<NamedCalendar> calendars_;
  std::optional<PathNetwork> paths_;
  std::vector<FleetSpec> fleets_;
  std::unordered_map<std::string, ElementIndex> by_id_;
};

// Assembles and validates a Scene. Element fields are given in plant terms; connections by id.
class SceneBuilder {
 public:
  // Where an element was declared, so that topology errors can point at the file and line.
  struct Origin {
    int line = 0;
    int column = 0;
    std::string field_path;  // e.g. "elements[OP10]"; empty: elements[id] for an element
  };

  explicit SceneBuilder(std::string name = "unnamed line");
  SceneBuilder& source_file(std::string path);
  // The products the line builds, declared before anything refers to them by ProductIndex.
  SceneBuilder& products(std::vector<std::string> names);
  SceneBuilder& seed(std::uint64_t seed);
  // Where the list of elements was declared, for errors about the line as a whole.
  SceneBuilder& elements_origin(Origin origin);
  SceneBuilder& run_settings(RunSettings settings);
  std::optional<ProductIndex> find_product(std::string_view name) const;

  // Where an element hands its parts: element ids, resolved when the scene is built.
  struct RouteByIds {
    RouteByIds() = default;
    // One target; an empty id means none (a sink).
    RouteByIds(std::string target) {  // NOLINT: implicit, so that {"id", "next", ...} reads well
      if (!target.empty()) targets.push_back(std::move(target));
    }
    RouteByIds(const char* target) : RouteByIds(std::string(target)) {}  // NOLINT: as above
    RouteRule rule = RouteRule::kSingle;
    std::vector<std::string> targets;
    std::vector<double> weights;            // kProbability
    std::vector<std::uint32_t> by_product;  // kByProduct: index into targets per product
    std::string via;                        // the fleet that carries the part; empty: none
    std::uint32_t via_priority = 0;         // its orders' priority under dispatch: priority
    Origin via_origin;
  };
  struct Common {
    std::string id;
    RouteByIds to;  // no targets for a sink
    Pose pose;
    std::string model;
    Origin origin;
  };
  // A station's references to other parts of the scene, by id or name.
  struct StationRefs {
    std::string rework_to;
    std::string assembly_main;
    std::vector<std::pair<std::string, std::uint32_t>> assembly_components;  // from, quantity
    std::vector<std::string> merge_priority;
    std::string operator_skill[kOperatorTasks];  // empty: the task needs no operator
    std::string calendar;                        // empty: the line's calendar, if any
  };
  // `calendar`: the name of the calendar the source follows; empty: always on shift.
  SceneBuilder& add_source(Common common, SourceSpec spec, std::string calendar = {});
  SceneBuilder& add_buffer(Common common, BufferSpec spec);
  SceneBuilder& add_station(Common common, StationSpec spec, StationRefs refs = {});
  SceneBuilder& add_conveyor(Common common, ConveyorSpec spec);
  SceneBuilder& add_sink(Common common);

  // `calendar`: the name of the calendar the pool's operators follow; empty: always on duty.
  SceneBuilder& add_operator_pool(OperatorPoolSpec pool, std::string home_id, Origin origin,
                                  std::string calendar = {});
  SceneBuilder& add_wip_limit(std::string name, std::string from, std::string to,
                              std::uint32_t cards, Origin origin);
  SceneBuilder& add_calendar(std::string name, CalendarSpec spec, Origin origin);
  // The calendar of every station that names none; empty: always on shift.
  SceneBuilder& line_calendar(std::string name, Origin origin);
  // The path network (validated by its own builder) and the fleets on it; `home`: a node id.
  SceneBuilder& paths(PathNetwork network);
  SceneBuilder& add_fleet(FleetSpec fleet, std::string home, Origin origin);
  // The charging spots (node ids) of the fleet added last, named at `origin`.
  SceneBuilder& fleet_chargers(std::vector<std::string> nodes, Origin origin);
  // Where vehicles pick up and drop off an element's parts: the node `transfer_node` names (a node
  // id, `origin` where it was named), or when empty the node nearest the element's pose, if it
  // was given one. An element without either cannot be a stop.
  struct VehicleStop {
    std::string transfer_node;
    bool has_pose = false;
    Origin origin;
  };
  SceneBuilder& vehicle_stop(std::string element_id, VehicleStop stop);

  // Checks connections and parameters; throws InputError naming the offending field.
  Scene build() const;

 private:
  struct Pending {
    Common common;
    ElementType type;
    StationRefs refs;  // a station's references; of a source's, only `calendar`
  };
  struct PendingLimit {
    std::string name, from, to;
    std::uint32_t cards;
    Origin origin;
  };
  void add_pending(Common common, ElementType type, StationRefs refs);
  InputError error_at(const Origin& origin, std::string_view field, const std::string& what) const;
  void check_parameters(Scene& scene) const;
  void connect(Scene& scene) const;
  void resolve_station_refs(Scene& scene) const;
  void check_flow(const Scene& scene) const;
  void connect_fleets(Scene& scene) const;
  // A fleet's stop at an element; `stop_origins` (where each stop was named) grows with the stops.
  std::uint32_t fleet_stop(Scene& scene, FleetSpec& fleet, ElementIndex element,
                           std::vector<Origin>& stop_origins) const;
  void plan_travel(Scene& scene, std::size_t fleet, const std::vector<Origin>& stop_origins) const;
  // A battery fleet's chargers as stops, and the check that a charged vehicle can do every order.
  void add_chargers(Scene& scene, std::size_t fleet, std::vector<Origin>& stop_origins) const;
  void check_battery(Scene& scene, std::size_t fleet) const;
  Scene scene_;
  std::vector<Pending> pending_;
  std::vector<std::pair<std::string, Origin>> pool_homes_;
  std::vector<std::string> pool_calendars_;
  std::vector<Origin> calendar_origins_;
  std::vector<PendingLimit> limits_;
  std::vector<std::pair<std::string, Origin>> fleet_homes_;
  std::vector<std::pair<std::vector<std::string>, Origin>> fleet_chargers_;  // per fleet
  std::unordered_map<std::string, VehicleStop> vehicle_stops_;  // by element id, never iterated
  std::string line_calendar_;
  Origin line_calendar_origin_;
  Origin elements_origin_{0, 0, "elements"};
};

}  // namespace linetwin
