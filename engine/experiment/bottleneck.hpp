// The line's bottleneck among its stations and its fleets (docs/results-format.md, "What the
// numbers mean"; docs/transport.md, "The bottleneck with fleets").
//
// Stations are ranked by Roser, Nakano and Tanaka's average active period (2001): the run names
// the station whose active periods (every server busy, or the station down) are longest on
// average. A fleet is a resource like a station, and where the line is limited by its transport,
// its stations block while no vehicle comes and the method alone would name a station. Vehicles
// report shares of time, not active periods, so the fleets and the station the method names
// meet on one scale: the share of its time a resource works. A fleet's is its busy share (loaded
// and empty travel, loading and unloading, waiting for a zone and charging; driving home and idle
// are time without an order), or, when larger, the share of time the station it keeps waiting
// most stood blocked for want of a vehicle (a fleet held back by its aisles or its dispatching
// limits the line though its vehicles are idle part of the time); the station's is its active
// share (working, changing over, waiting for an operator or down, over its time on shift). The
// busiest fleet is the line's bottleneck when its share is larger than that station's; otherwise
// the station is. A line without fleets gets the active period method unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "plant/replication_result.hpp"

namespace linetwin {

// Share of a vehicle's time (or, for a fleet's result, of its vehicles' time) spent on orders.
double busy_share(const VehicleResult& vehicle);
// A fleet's share on the bottleneck's scale: its busy share, or the largest share of time a
// station it serves waited for one of its vehicles, whichever is larger.
double fleet_share(const FleetResult& fleet);
// Share of a station's time on shift that counts as active in the average active period method;
// 0 for a station never on shift.
double active_share(const StationResult& station);

struct Bottleneck {
  enum class Kind : std::uint8_t { kStation, kFleet };
  Kind kind = Kind::kStation;
  std::size_t index = 0;  // in Scene::stations() or Scene::fleets()
};

// The bottleneck of one replication: its station bottleneck (ReplicationResult's), unless a fleet
// is busier; none when no station was ever active and no vehicle ever busy.
std::optional<Bottleneck> line_bottleneck(const ReplicationResult& r);

// The same rule between a station's and the fleets' shares, whatever they are averaged over: the
// fleet (its index in `fleet_busy`) that is busier than `station_active` and than every other
// fleet (the first of equals), if any.
template <class Shares>
std::optional<std::size_t> busier_fleet(double station_active, const Shares& fleet_busy) {
  std::optional<std::size_t> fleet;
  double busiest = station_active;
  for (std::size_t f = 0; f < fleet_busy.size(); ++f) {
    if (fleet_busy[f] > busiest) {
      busiest = fleet_busy[f];
      fleet = f;
    }
  }
  return fleet;
}

}  // namespace linetwin
