// ZoneReservations: traffic control for vehicles on a path network by zones that one vehicle at a
// time may hold. Every node and every edge is a zone (zone_of_node, zone_of_edge). A vehicle
// about to drive reserves every zone of its route at once, or none: when one is held by another
// vehicle it waits, and the waiters are served in the order they began waiting whenever a zone is
// released. It knows no plant and no event: the line run says when a vehicle departs and when its
// body has left a zone, and asks here who may drive (docs/transport.md, "Traffic control").
//
// All-at-once reservation can still deadlock where vehicles standing on the aisles each need a
// zone another holds: wait_cycle() finds such a cycle at the instant it closes. A cycle can only
// close when a vehicle begins to wait (holders change otherwise only by reserving, and a vehicle
// that reserves drives and releases), so asking then finds every one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "transport/path_network.hpp"

namespace linetwin {

using ZoneIndex = std::uint32_t;
using ZoneHolder = std::uint32_t;  // a vehicle, numbered by the caller from 0
inline constexpr ZoneHolder kNoZoneHolder = std::numeric_limits<ZoneHolder>::max();

inline ZoneIndex zone_of_node(PathNodeIndex node) {
  return node;
}
inline ZoneIndex zone_of_edge(const PathNetwork& network, PathEdgeIndex edge) {
  return static_cast<ZoneIndex>(network.nodes().size()) + edge;
}
inline std::size_t zone_count(const PathNetwork& network) {
  return network.nodes().size() + network.edges().size();
}

// How far past a zone's end a vehicle's centre is when the zone goes back: half its length, so
// that its tail has left the zone's end, plus the largest half-diagonal of any vehicle on the
// network (hypot(length, width) / 2), so that a vehicle that then takes the zone and stands at its
// end, centred on the node and turned any way, cannot touch this one's tail.
inline double zone_release_past_m(double length_m, double largest_half_diagonal_m) {
  return length_m / 2.0 + largest_half_diagonal_m;
}

// A route's zones in the order a vehicle enters them (its first node, first edge, next node, ...,
// its last node), and the distance along the route at which each ends (a node is a point: where
// the route reaches it). A route of no step is its start node alone.
struct RouteZones {
  std::vector<ZoneIndex> zones;
  std::vector<double> end_m;
};
RouteZones route_zones(const PathNetwork& network, const PathRoute& route, PathNodeIndex start);

// Zones as a node's or an edge's id, for reports: "node MILLS", "edge MILLS-WASH".
std::string zone_name(const PathNetwork& network, ZoneIndex zone);

class ZoneReservations {
 public:
  ZoneReservations() = default;
  ZoneReservations(std::size_t zones, std::size_t holders);

  ZoneHolder holder(ZoneIndex zone) const { return holder_[zone]; }
  // The zones `who` holds, in zone order.
  std::vector<ZoneIndex> held_by(ZoneHolder who) const;
  // The first of `zones` that another holder holds, or kNoZone.
  static constexpr ZoneIndex kNoZone = std::numeric_limits<ZoneIndex>::max();
  ZoneIndex first_blocked(std::span<const ZoneIndex> zones, ZoneHolder who) const;

  // Takes every zone of `zones` for `who` when none is held by another (true), else none.
  bool try_reserve(std::span<const ZoneIndex> zones, ZoneHolder who);
  // `who` gives `zone` back; it must hold it.
  void release(ZoneIndex zone, ZoneHolder who);

  // `who` waits for `zones` (those it holds already, such as the node where it stands, it keeps)
  // until admit_waiters() reserves them all for it.
  void wait(ZoneHolder who, std::vector<ZoneIndex> zones);
  bool waiting(ZoneHolder who) const { return waiting_[who]; }
  // The zones a waiter waits for.
  std::span<const ZoneIndex> wanted(ZoneHolder who) const { return wanted_[who]; }
  // Whether some waiter waits for `zone`.
  bool wanted_by_waiter(ZoneIndex zone) const;
  // Reserves for each waiter whose zones are all free now, in the order they began waiting (an
  // earlier waiter goes first; a later one whose zones are free goes even while an earlier one
  // still waits). Writes those served, in that order, to `served` (cleared first).
  void admit_waiters(std::vector<ZoneHolder>& served);
  // A cycle of waiters through `who`, each waiting for a zone that the next one holds (the last
  // for one that `who` holds), starting with `who`; empty when there is none.
  std::vector<ZoneHolder> wait_cycle(ZoneHolder who) const;

 private:
  bool free_for(std::span<const ZoneIndex> zones, ZoneHolder who) const;
  bool cycle_from(ZoneHolder at, ZoneHolder target, std::vector<ZoneHolder>& path,
                  std::vector<bool>& seen) const;

  std::vector<ZoneHolder> holder_;              // per zone
  std::vector<std::vector<ZoneIndex>> wanted_;  // per holder, while it waits
  std::vector<bool> waiting_;                   // per holder
  std::vector<ZoneHolder> queue_;               // waiters, in the order they began waiting
};

}  // namespace linetwin
