// What one replication measured, over its observed period (after warm-up). Plain numbers only:
// experiment/ turns a set of these into estimates with confidence intervals, io/ writes them out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace linetwin {

// Overall equipment effectiveness and its three factors (docs/element-library.md explains them):
// availability = run time / planned time, where planned time is the time on shift and run time
// is planned time less breakdowns and setups; performance = ideal time of the parts processed /
// run time, the ideal time of a part being its mean processing time; quality = good parts /
// parts processed. OEE is their product, the ideal time of the good parts / planned time.
struct OeeResult {
  double availability = 0.0;
  double performance = 0.0;
  double quality = 0.0;
  double oee = 0.0;
};

struct StationResult {
  // Shares of server time in each state; they add up to 1. With several servers, a station's
  // share is the average over its servers; while the station is down or off shift, all its
  // servers are. Waiting for an operator includes the operator's walk.
  double working = 0.0;
  double setup = 0.0;
  double waiting_operator = 0.0;
  double starved = 0.0;
  double blocked = 0.0;
  double down = 0.0;
  double off_shift = 0.0;
  // Of `blocked`, for a station whose parts ride a fleet: from each transport order (a place
  // reserved at the target) to the end of loading, the time its part waited for a vehicle.
  double waiting_for_vehicle = 0.0;
  std::uint64_t parts_processed = 0;  // services completed in the observed period
  std::uint64_t parts_good = 0;       // of those, passed on downstream
  std::uint64_t parts_scrapped = 0;
  std::uint64_t parts_reworked = 0;
  std::uint64_t failures = 0;
  std::uint64_t setups = 0;
  OeeResult oee;
  // Assembly stations: per bill-of-materials line (main part first), the share of the time an
  // idle server waited because that input was short.
  std::vector<double> starved_by;
  // Active periods (Roser et al. 2001): maximal spans in which the station is working on all its
  // servers or down, i.e. not waiting for parts or for space downstream.
  double active_period_mean_s = 0.0;
  std::uint64_t active_periods = 0;
};

struct BufferResult {
  double occupancy_mean = 0.0;  // time-average number of parts waiting in it
  std::uint64_t occupancy_max = 0;
};

struct SourceResult {
  std::uint64_t arrivals = 0;     // parts created (for an unlimited supply, parts taken)
  std::uint64_t lost = 0;         // arrivals turned away because the output was full
  double loss_probability = 0.0;  // NaN when nothing arrived
  // Share of the time an arrival waited to be taken (when_full: wait), during which the arrival
  // process stood still; NaN for an unlimited supply.
  double blocked = 0.0;
};

struct ConveyorResult {
  std::uint64_t parts_transported = 0;
  double occupancy_mean = 0.0;
  double stopped = 0.0;  // share of the time a non-accumulating belt stood still
};

struct OperatorPoolResult {
  // Walking and working, over the pool's operator time on duty (on shift, for a pool that follows
  // a calendar).
  double utilisation = 0.0;
  double walking = 0.0;
  double working = 0.0;
  std::uint64_t assignments = 0;
  double on_shift = 1.0;  // share of the observed period the pool was on duty
};

// Shares of a vehicle's time in the observed period (they add up to 1), the transport orders
// it delivered and, with a battery, its charges and energy. A fleet's shares are the average over
// its vehicles.
struct VehicleResult {
  double loaded_travel = 0.0;
  double empty_travel = 0.0;      // to a pick-up
  double driving_home = 0.0;      // empty, back to the fleet's home to park
  double waiting_for_zone = 0.0;  // at a stop or in the depot, for a zone of its route
  double handling = 0.0;          // loading and unloading
  double idle = 0.0;              // parked at home, or at a stop with no order
  // With a battery: driving to a charger, waiting for a free one, and charging.
  double charging = 0.0;
  std::uint64_t orders = 0;
  std::uint64_t charges = 0;  // charges completed
  double energy_kwh = 0.0;    // spent driving
};
struct FleetResult {
  VehicleResult fleet;
  // Mean time from a transport order made (the part finished, a place reserved at its
  // destination) to the part delivered, over the orders delivered; NaN when none was.
  double order_lead_time_mean_s = 0.0;
  // The largest StationResult::waiting_for_vehicle among the stations whose parts it carries:
  // how long the station it keeps waiting most stood blocked for want of one of its vehicles.
  double station_wait_max = 0.0;
  std::vector<VehicleResult> vehicles;
};

// Congestion at one zone of the path network (docs/transport.md, "Traffic control"): the waits
// for a route that this zone was the first of to block, and how long they lasted, in the observed
// period. Zones are the network's nodes, then its edges.
struct ZoneResult {
  std::uint64_t waits = 0;
  double wait_s = 0.0;
};

struct ProductResult {
  std::uint64_t completed = 0;
  std::uint64_t scrapped = 0;
  double throughput_per_hour = 0.0;
  double lead_time_mean_s = 0.0;  // NaN when none completed
};

struct WipLimitResult {
  double cards_in_use_mean = 0.0;
};

// Every part over the whole run, warm-up included: created (by sources and splits) = in the line
// + completed + scrapped + consumed (assembled into another part).
struct PartLedger {
  std::uint64_t created = 0;
  std::uint64_t completed = 0;
  std::uint64_t scrapped = 0;
  std::uint64_t consumed = 0;
  std::uint64_t in_line = 0;
};

// A replication that stopped because its line could no longer move. Either a cycle of elements
// each blocked on the next (a station whose every server holds a finished part refused by a full
// buffer whose only takers are such stations, and so round), or parts in the line and nothing
// that could ever move them (no event to come can start a processing, release an arrival or
// bring a part anywhere). The run stops at that instant.
struct DeadlockResult {
  struct Element {
    std::uint32_t element = 0;  // index in Scene::elements()
    std::uint64_t parts = 0;    // parts it holds
    std::string state;          // what it waits for, in words: "blocked by B2", "short of C_doors"
  };
  double time_s = 0.0;
  bool cycle = false;  // a cycle of blocked elements, listed in order; else parts that are stuck
  // The cycle in order (each waits on the next, the last on the first), or every element that
  // holds parts or cannot start.
  std::vector<Element> elements;
  // A cycle of vehicles, each waiting for a zone of the path network that the next one holds
  // (elements is then empty).
  struct Vehicle {
    std::uint32_t fleet = 0;    // index in Scene::fleets()
    std::uint32_t vehicle = 0;  // its number within the fleet, from 0
    std::uint64_t parts = 0;    // the part it carries, if any
    std::string state;          // where it stands and the zone it waits for, in words
  };
  std::vector<Vehicle> vehicles;
  std::uint64_t parts_in_line = 0;
};

struct ReplicationResult {
  std::uint32_t replication = 0;
  double observed_s = 0.0;
  std::uint64_t parts_completed = 0;
  std::uint64_t parts_in_line_at_end = 0;  // entered and not yet out when the run stopped
  double throughput_per_hour = 0.0;
  double wip_mean = 0.0;          // time-average parts in the line (entered, not yet out)
  double lead_time_mean_s = 0.0;  // NaN when no part completed
  double lead_time_p50_s = 0.0;
  double lead_time_p95_s = 0.0;
  std::vector<StationResult> stations;        // in Scene::stations() order
  std::vector<BufferResult> buffers;          // in Scene::buffers() order
  std::vector<SourceResult> sources;          // in Scene::sources() order
  std::vector<ConveyorResult> conveyors;      // in Scene::conveyors() order
  std::vector<OperatorPoolResult> operators;  // in Scene::operator_pools() order
  std::vector<ProductResult> products;        // in Scene::products() order
  std::vector<WipLimitResult> wip_limits;     // in Scene::wip_limits() order
  std::vector<FleetResult> fleets;            // in Scene::fleets() order
  std::vector<ZoneResult> zones;              // per zone of Scene::paths(); empty without fleets
  double scrap_rate = 0.0;  // parts scrapped / parts finished or scrapped, whole line
  PartLedger ledger;
  std::int64_t bottleneck_station = -1;  // position in stations, longest mean active period
  std::uint64_t events = 0;              // events executed, warm-up included
  // Set when the line could no longer move; the run stopped there, and the KPIs above cover the
  // observed period up to that instant.
  std::optional<DeadlockResult> deadlock;
};

}  // namespace linetwin
