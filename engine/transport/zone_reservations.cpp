#include "transport/zone_reservations.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace linetwin {

RouteZones route_zones(const PathNetwork& network, const PathRoute& route, PathNodeIndex start) {
  RouteZones out;
  out.zones.push_back(zone_of_node(start));
  out.end_m.push_back(0.0);
  double covered = 0.0;
  for (const RouteStep& step : route.steps) {
    covered += network.edges()[step.edge].length_m;
    out.zones.push_back(zone_of_edge(network, step.edge));
    out.end_m.push_back(covered);
    out.zones.push_back(zone_of_node(step.to));
    out.end_m.push_back(covered);
  }
  return out;
}

std::string zone_name(const PathNetwork& network, ZoneIndex zone) {
  const auto nodes = network.nodes();
  if (zone < nodes.size()) return "node " + nodes[zone].id;
  const PathEdge& edge = network.edges()[zone - nodes.size()];
  return "edge " + nodes[edge.from].id + "-" + nodes[edge.to].id;
}

ZoneReservations::ZoneReservations(std::size_t zones, std::size_t holders)
    : holder_(zones, kNoZoneHolder), wanted_(holders), waiting_(holders, false) {}

std::vector<ZoneIndex> ZoneReservations::held_by(ZoneHolder who) const {
  std::vector<ZoneIndex> out;
  for (ZoneIndex z = 0; z < holder_.size(); ++z) {
    if (holder_[z] == who) out.push_back(z);
  }
  return out;
}

ZoneIndex ZoneReservations::first_blocked(std::span<const ZoneIndex> zones, ZoneHolder who) const {
  for (ZoneIndex z : zones) {
    if (holder_[z] != kNoZoneHolder && holder_[z] != who) return z;
  }
  return kNoZone;
}

bool ZoneReservations::free_for(std::span<const ZoneIndex> zones, ZoneHolder who) const {
  return first_blocked(zones, who) == kNoZone;
}

bool ZoneReservations::try_reserve(std::span<const ZoneIndex> zones, ZoneHolder who) {
  if (!free_for(zones, who)) return false;
  for (ZoneIndex z : zones)
    holder_[z] = who;
  return true;
}

void ZoneReservations::release(ZoneIndex zone, [[maybe_unused]] ZoneHolder who) {
  assert(holder_[zone] == who && "a zone is released by its holder");
  holder_[zone] = kNoZoneHolder;
}

void ZoneReservations::wait(ZoneHolder who, std::vector<ZoneIndex> zones) {
  assert(!waiting_[who] && "a vehicle waits for one route at a time");
  wanted_[who] = std::move(zones);
  waiting_[who] = true;
  queue_.push_back(who);
}

bool ZoneReservations::wanted_by_waiter(ZoneIndex zone) const {
  return std::any_of(queue_.begin(), queue_.end(), [&](ZoneHolder who) {
    return std::find(wanted_[who].begin(), wanted_[who].end(), zone) != wanted_[who].end();
  });
}

void ZoneReservations::admit_waiters(std::vector<ZoneHolder>& served) {
  served.clear();
  // One pass in the order of waiting: a waiter served takes its zones, which later waiters then
  // find held, so that no two are served the same zone.
  std::erase_if(queue_, [&](ZoneHolder who) {
    if (!try_reserve(wanted_[who], who)) return false;
    waiting_[who] = false;
    wanted_[who].clear();
    served.push_back(who);
    return true;
  });
}

bool ZoneReservations::cycle_from(ZoneHolder at, ZoneHolder target, std::vector<ZoneHolder>& path,
                                  std::vector<bool>& seen) const {
  for (ZoneIndex z : wanted_[at]) {
    const ZoneHolder next = holder_[z];
    if (next == kNoZoneHolder || next == at) continue;
    if (next == target) return true;
    if (!waiting_[next] || seen[next]) continue;
    seen[next] = true;
    path.push_back(next);
    if (cycle_from(next, target, path, seen)) return true;
    path.pop_back();
  }
  return false;
}

std::vector<ZoneHolder> ZoneReservations::wait_cycle(ZoneHolder who) const {
  if (!waiting_[who]) return {};
  std::vector<ZoneHolder> path{who};
  std::vector<bool> seen(waiting_.size(), false);
  seen[who] = true;
  if (cycle_from(who, who, path, seen)) return path;
  return {};
}

}  // namespace linetwin
