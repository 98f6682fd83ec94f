// Fleets of vehicles in a line run: parts carried between elements as transport orders.
//
// A station whose route goes through a fleet (`to: {via: FLEET, to: B}`) hands a finished part
// to TransportFlow instead of to its target. When a place is free at the target (a buffer only
// vehicles fill, or a sink), the place is reserved and an order made, so that a vehicle never
// waits at a drop-off; otherwise the station waits on the target's list, as it would for a full
// buffer, and the order is made when a place comes free. Either way the station stays blocked,
// holding its part, until a vehicle has loaded it. An order goes to an idle vehicle chosen by the
// fleet's dispatch rule, or waits in the fleet's queue, first come first served; a vehicle that
// has delivered takes the next queued order or waits where it is.
//
// Each leg of an order (empty travel, loading, loaded travel, unloading) ends with one event at
// its exact time: travel times come from the fleet's table of motion-profile times, loading and
// unloading times from the fleet's own random streams. Vehicles do not reserve aisles yet: they
// may pass through each other (docs/transport.md says what they do not do).
#pragma once

#include <cstdint>
#include <vector>

#include "core/fifo_queue.hpp"
#include "core/random_stream.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/run/routing.hpp"
#include "plant/run/vehicle_tracks.hpp"
#include "plant/scene.hpp"

namespace linetwin::line_run {

struct Line;
struct BufferRun;

enum class VehicleTask : std::uint8_t { kIdle, kEmptyTravel, kLoading, kLoadedTravel, kUnloading };
inline constexpr int kVehicleTasks = 5;

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

  void reset(double now);
  void write(double now, ReplicationResult& r) const;

  // From now on (before the first event) each vehicle's track is written as it dispatches; by
  // default none is, so that runs pay nothing for it.
  void record_tracks();
  const std::vector<TrackedVehicle>& tracks() const { return tracks_; }

 private:
  struct VehicleRun {
    std::uint32_t fleet = 0;
    std::uint32_t stop = 0;  // where it stands, or last stood
    VehicleTask task = VehicleTask::kIdle;
    double since_s = 0.0;  // when the task began
    double task_s[kVehicleTasks] = {};
    std::uint64_t orders = 0;
    bool parked =
        true;  // in the depot at its fleet's home, off the aisles (as every vehicle starts)
    TransportOrder order;
  };
  struct FleetRun {
    const FleetSpec* spec = nullptr;
    std::uint32_t first_vehicle = 0;
    FifoQueue<TransportOrder> queued;
    RandomStream load_rng, unload_rng;
    std::uint64_t delivered = 0;
    double lead_time_sum_s = 0.0;
  };

  void make_order(Line& line, const TransportLink& link, const Link& to, const Holder& holder);
  void assign(Line& line, std::uint32_t vehicle, const TransportOrder& order);
  void begin(Line& line, std::uint32_t vehicle, VehicleTask task, double duration_s);
  bool has_room(const Line& line, const Link& to) const;
  // The vehicle sets off now from the stop where it stands to `to` (its track, when recorded).
  void set_off(const Line& line, std::uint32_t vehicle, std::uint32_t to);

  const Scene* scene_ = nullptr;
  std::vector<FleetRun> fleets_;
  std::vector<VehicleRun> vehicles_;
  std::vector<std::uint64_t> reserved_;  // per buffer: places reserved for parts on their way
  std::vector<TrackedVehicle> tracks_;   // per vehicle, when recorded; else empty
};

}  // namespace linetwin::line_run
