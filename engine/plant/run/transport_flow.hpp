// Fleets of vehicles in a line run: parts carried between elements as transport orders.
//
// A station whose route goes through a fleet (`to: {via: FLEET, to: B}`) hands a finished part
// to TransportFlow instead of to its target. When a place is free at the target (a buffer only
// vehicles fill, or a sink), the place is reserved and an order made, so that a vehicle never
// waits at a drop-off; otherwise the station waits on the target's list, as it would for a full
// buffer, and the order is made when a place comes free. Either way the station stays blocked,
// holding its part, until a vehicle has loaded it. An order goes to an idle vehicle chosen by the
// fleet's dispatch rule, or waits in the fleet's queue, first come first served; a vehicle that
// has delivered takes the next queued order, or else goes where its fleet's idle vehicles wait:
// home, to park off the aisles, or (`idle_at: pick_up`) the nearest pick-up stop where no vehicle
// is, to be at hand for the next part there; one waiting there moves home when another vehicle
// needs its stop.
//
// Each leg of an order (empty travel, loading, loaded travel, unloading) ends with one event at
// its exact time: travel times come from the fleet's table of motion-profile routes, loading and
// unloading times from the fleet's own random streams. Under zone traffic control (the default)
// an order goes only to a vehicle that can hold its pick-up node from then on; a vehicle sets off
// only once it holds every zone of its route (ZoneReservations), waits where it stands otherwise,
// and gives each zone back with one event at the instant its body has left it; a cycle of
// vehicles waiting for each other is a deadlock, reported when it closes (docs/transport.md,
// "Traffic control"). A fleet with batteries spends energy on every drive and sends a vehicle low
// on charge, or one that could not do an order and still reach a charger, to charge first
// (docs/transport.md, "Batteries and charging").
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "core/random_stream.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/run/routing.hpp"
#include "plant/run/vehicle_tracks.hpp"
#include "plant/scene.hpp"
#include "transport/zone_reservations.hpp"

namespace linetwin::line_run {

struct Line;
struct BufferRun;

enum class VehicleTask : std::uint8_t {
  kIdle,
  kEmptyTravel,
  kLoading,
  kLoadedTravel,
  kUnloading,
  kDrivingHome,
  kWaitingForZone,
  kToCharger,
  kWaitingForCharger,  // for a charger to come free, where it stands or parked
  kCharging,
};
inline constexpr int kVehicleTasks = 10;

struct TransportOrder {
  Holder holder;  // the station server that holds the part until it is loaded
  TransportLink link;
  Link to;
  double created_s = 0.0;
  Part part;  // once loaded
};

class TransportFlow {
 public:
  void build(const Scene& scene, std::uint64_t seed, std::uint32_t replication);
  bool empty() const { return fleets_.empty(); }

  // `self` finished `output`'s part, whose link goes through a fleet: an order when a place is
  // free at the target, else `self` waits on the target's list. The part stays with `self`.
  void request(Line& line, const Output& output, const Holder& self);
  // A place came free at a buffer that vehicles fill: orders for those waiting, while places last.
  void admit(Line& line, BufferRun& buffer);
  // The end of vehicle `vehicle`'s current leg (RunEvent::kVehicleLegEnd).
  void on_leg_end(Line& line, std::uint32_t vehicle);
  // Vehicle `vehicle`'s body has left the next zone of its route (RunEvent::kZoneRelease).
  void on_zone_release(Line& line, std::uint32_t vehicle);

  void reset(double now);
  // Fleets, vehicles and zones, and each station's share waiting for a vehicle (r.stations and
  // r.observed_s written before).
  void write(double now, ReplicationResult& r) const;

  // From now on (before the first event) each vehicle's track is written as it dispatches; by
  // default none is, so that runs pay nothing for it.
  void record_tracks();
  const std::vector<TrackedVehicle>& tracks() const { return tracks_; }

 private:
  static constexpr std::uint32_t kNoStop = std::numeric_limits<std::uint32_t>::max();
  struct VehicleRun {
    std::uint32_t fleet = 0;
    std::uint32_t stop = 0;  // where it stands, or last stood
    VehicleTask task = VehicleTask::kIdle;
    double since_s = 0.0;       // when the task began
    double idle_since_s = 0.0;  // when it last became idle: the FIFO rule's key, over warm-ups
    double task_s[kVehicleTasks] = {};
    std::uint64_t orders = 0;
    bool parked =
        true;  // in the depot at its fleet's home, off the aisles (as every vehicle starts)
    TransportOrder order;
    // The drive it is on or waits to begin: where to, as which task, and the route's zones with
    // the instant each is given back (the next one at `next_release`).
    std::uint32_t travel_to = 0;
    VehicleTask travel_task = VehicleTask::kIdle;
    RouteZones zones;
    std::vector<double> release_s;
    std::size_t next_release = 0;
    ZoneIndex waited_zone = 0;          // while it waits: the zone that first blocked it
    std::uint32_t idle_stop = kNoStop;  // the pick-up stop it waits at idle, or drives to
    bool fetching = false;              // on its way to load its order's part, or loading it
    double charge_kwh = 0.0;            // with a battery
    double energy_kwh = 0.0;            // spent driving in the observed period
    std::uint64_t charges = 0;          // completed in the observed period
  };
  struct FleetRun {
    const FleetSpec* spec = nullptr;
    std::uint32_t first_vehicle = 0;
    std::deque<TransportOrder> queued;  // in the order made
    RandomStream load_rng, unload_rng;
    std::uint64_t delivered = 0;
    double lead_time_sum_s = 0.0;
    std::vector<std::uint32_t> charger_user;        // per charger: the vehicle bound there, or none
    std::deque<std::uint32_t> waiting_for_charger;  // vehicles, in the order they began to wait
    std::vector<std::uint32_t> idle_at_stop;  // per stop: the vehicle waiting idle there, or bound
  };

  void make_order(Line& line, const TransportLink& link, const Link& to, const Holder& holder);
  // The idle vehicle of the fleet that the dispatch rule gives `order`, or kNoOperator: none idle,
  // or (under traffic control) its pick-up node held by another vehicle, or (with batteries) none
  // with the charge for it; `short_of_charge` is then the first idle vehicle skipped for that.
  std::uint32_t choose(const FleetRun& fleet, const TransportOrder& order,
                       std::uint32_t& short_of_charge) const;
  // Whether the vehicle can do the order and still reach a charger (always, without a battery).
  bool can_do(const VehicleRun& vehicle, const TransportOrder& order) const;
  // The order waits; a vehicle idle only for want of charge goes to charge.
  void queue(Line& line, FleetRun& fleet, const TransportOrder& order,
             std::uint32_t short_of_charge);
  // The vehicle goes to the nearest free charger it can reach, or waits for one where it is.
  void go_charge(Line& line, std::uint32_t vehicle);
  // A charger of the fleet came free: the first waiter that can reach it drives there.
  void free_charger(Line& line, FleetRun& fleet, std::size_t charger);
  // The vehicle has no order: it goes where its fleet's idle vehicles wait (idle_stop), or
  // charges first when it would arrive there below its threshold.
  void go_idle(Line& line, std::uint32_t vehicle);
  // Where the vehicle is to wait idle: home (stop 0), or under `idle_at: pick_up` the pick-up
  // stop nearest to it that no other vehicle waits at, is bound for or (under traffic control)
  // holds; home when there is none.
  std::uint32_t idle_stop(std::uint32_t vehicle) const;
  // It has come to wait idle at its pick-up stop: it takes a queued order it may, or moves home
  // when a vehicle waits for its stop.
  void stand_idle(Line& line, std::uint32_t vehicle);
  // It no longer waits idle at a pick-up stop (it has an order, goes to charge or moves aside).
  void leave_idle_stop(std::uint32_t vehicle);
  // Vehicles waiting idle on zones of `vehicle`'s route drive home out of its way.
  void clear_way(Line& line, std::uint32_t vehicle);
  // A vehicle waiting idle at a pick-up stop gives it up and drives home out of the way.
  void move_home(Line& line, std::uint32_t vehicle);
  // Under traffic control, the node of `stop` is the vehicle's from now on (a pick-up it is bound
  // for, or the stop it waits idle at), so that no other vehicle is sent there meanwhile. The
  // caller has made sure that no other vehicle holds it.
  void hold_stop(std::uint32_t vehicle, std::uint32_t stop);
  // How long a station has waited, within the observed period, for the order's vehicle by `now`.
  double observed_wait_s(const TransportOrder& order, double now) const {
    return now - std::max(order.created_s, observed_from_s_);
  }
  // Idle vehicles take the queued orders they may, in the order made (zones came free).
  void dispatch_queued(Line& line);
  // Vehicle `vehicle` is free: the first queued order it may take, or a charge when it has too
  // little for one it may take; else nothing (false).
  bool take_queued(Line& line, std::uint32_t vehicle);
  void assign(Line& line, std::uint32_t vehicle, const TransportOrder& order);
  // The vehicle's task from now on (its time so far counted to the one before); begin also ends
  // the new task with a leg-end event `duration_s` from now (loading, unloading).
  void switch_task(Line& line, std::uint32_t vehicle, VehicleTask task);
  void begin(Line& line, std::uint32_t vehicle, VehicleTask task, double duration_s);
  bool has_room(const Line& line, const Link& to) const;
  // The vehicle is to drive from where it stands (or is parked) to stop `to`, as `task`: it sets
  // off now when it may, else waits for the zones of its route.
  void travel(Line& line, std::uint32_t vehicle, std::uint32_t to, VehicleTask task);
  // It holds its route's zones (under traffic control): it drives now.
  void depart(Line& line, std::uint32_t vehicle);
  // Its drive has ended at its destination.
  void arrive(Line& line, std::uint32_t vehicle);
  // Gives the zones of the vehicle's route back up to index `end`, from its next release.
  void release_zones(std::uint32_t vehicle, std::size_t end);
  // Zones were given back: the waiters that may drive now set off, in the order they waited.
  void admit_waiters(Line& line);
  // The vehicles of `cycle` each wait for a zone the next holds: a deadlock, to the watch.
  void report_cycle(Line& line, const std::vector<ZoneHolder>& cycle);
  // The vehicle parks in the depot at home, off the aisles, idle, and may take an order at once.
  void park(Line& line, std::uint32_t vehicle);
  bool zoned(const VehicleRun& vehicle) const {
    return fleets_[vehicle.fleet].spec->traffic == TrafficControl::kZones;
  }

  const Scene* scene_ = nullptr;
  std::vector<FleetRun> fleets_;
  std::vector<VehicleRun> vehicles_;
  std::vector<std::uint64_t> reserved_;   // per buffer: places reserved for parts on their way
  ZoneReservations zones_;                // one table for every fleet on the network
  double largest_half_diagonal_m_ = 0.0;  // of any vehicle's footprint: see zone_release_past_m
  std::vector<ZoneHolder> served_;        // admit_waiters' scratch
  std::vector<ZoneResult> congestion_;    // per zone, in the observed period
  std::vector<TrackedVehicle> tracks_;    // per vehicle, when recorded; else empty
  // Per element: seconds its parts waited for a vehicle, from the order to the end of loading,
  // in the observed period (orders still open are added by write()).
  std::vector<double> vehicle_wait_s_;
  double observed_from_s_ = 0.0;
};

}  // namespace linetwin::line_run
