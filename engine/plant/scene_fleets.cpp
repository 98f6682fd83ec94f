// SceneBuilder's fleets: each fleet's home and vehicle checked, the links it carries connected to
// its stops, and the exact travel between every two stops planned once (route and motion
// profile), so that a run looks them up and never routes. Split from scene.cpp, which builds the
// rest of the scene.
#include "plant/scene.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "plant/fleet_energy.hpp"

namespace linetwin {

SceneBuilder& SceneBuilder::add_fleet(FleetSpec fleet, std::string home, Origin origin) {
  scene_.fleets_.push_back(std::move(fleet));
  fleet_homes_.emplace_back(std::move(home), std::move(origin));
  fleet_chargers_.emplace_back();
  return *this;
}

SceneBuilder& SceneBuilder::fleet_chargers(std::vector<std::string> nodes, Origin origin) {
  fleet_chargers_.back() = {std::move(nodes), std::move(origin)};
  return *this;
}

SceneBuilder& SceneBuilder::vehicle_stop(std::string element_id, VehicleStop stop) {
  vehicle_stops_[std::move(element_id)] = std::move(stop);
  return *this;
}

namespace {

void insert_sorted(std::vector<std::uint32_t>& stops, std::uint32_t stop) {
  const auto at = std::lower_bound(stops.begin(), stops.end(), stop);
  if (at == stops.end() || *at != stop) stops.insert(at, stop);
}

}  // namespace

// Fleets: each one's home, its vehicle, the links it carries (a station's single target, a buffer
// that only vehicles fill or a sink), the stops of those links and the travel times between them.
void SceneBuilder::connect_fleets(Scene& scene) const {
  std::vector<std::vector<Origin>> stop_origins(scene.fleets_.size());
  for (std::size_t f = 0; f < scene.fleets_.size(); ++f) {
    FleetSpec& fleet = scene.fleets_[f];
    const Origin& origin = fleet_homes_[f].second;
    if (!scene.paths_) {
      throw error_at(origin, "",
                     "a fleet drives on the scene's path network; expected 'paths' with its "
                     "nodes and edges");
    }
    for (std::size_t g = 0; g < f; ++g) {
      if (scene.fleets_[g].id == fleet.id)
        throw error_at(origin, "id",
                       fmt::format("expected a unique id, found '{}' twice", fleet.id));
    }
    const auto home = scene.paths_->find_node(fleet_homes_[f].first);
    if (!home) {
      throw error_at(origin, "home",
                     fmt::format("expected the id of a node in paths.nodes, found '{}'",
                                 fleet_homes_[f].first));
    }
    fleet.home = *home;
    fleet.stops = {*home};
    stop_origins[f] = {origin};
    stop_origins[f].front().field_path += ".home";
    if (auto problem = fleet.vehicle.motion.problem()) throw error_at(origin, "vehicle", *problem);
    if (!(fleet.vehicle.width_m > 0.0 && std::isfinite(fleet.vehicle.width_m)))
      throw error_at(origin, "vehicle.width_m",
                     fmt::format("expected a width > 0, found {}", fleet.vehicle.width_m));
    if (!(fleet.vehicle.length_m > 0.0 && std::isfinite(fleet.vehicle.length_m)))
      throw error_at(origin, "vehicle.length_m",
                     fmt::format("expected a length > 0, found {}", fleet.vehicle.length_m));
  }
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const RouteByIds& to = pending_[i].common.to;
    if (to.via.empty()) continue;
    const Origin& origin = to.via_origin;
    std::size_t f = 0;
    while (f < scene.fleets_.size() && scene.fleets_[f].id != to.via)
      ++f;
    if (f == scene.fleets_.size())
      throw error_at(origin, "",
                     fmt::format("expected the id of a fleet in 'fleets', found '{}'", to.via));
    Element& e = scene.elements_[i];
    if (e.type != ElementType::kStation)
      throw error_at(origin, "",
                     fmt::format("vehicles pick parts up at stations only; found {} '{}'",
                                 to_string(e.type), e.id));
    const ElementIndex target = e.route.targets.front();
    const Element& t = scene.elements_[target];
    const bool buffer = t.type == ElementType::kBuffer;
    if (!buffer && t.type != ElementType::kSink)
      throw error_at(origin, "",
                     fmt::format("vehicles drop parts off in a buffer or a sink, where a place is "
                                 "reserved for each part on its way; found {} '{}'",
                                 to_string(t.type), t.id));
    if (buffer && scene.buffer_spec(t).capacity == 0)
      throw error_at(
          origin, "",
          fmt::format("buffer '{}' has no place to reserve; expected a capacity >= 1", t.id));
    // Places are reserved when an order is made: a part that came another way could take one.
    for (ElementIndex input : t.inputs) {
      if (!buffer) break;
      if (pending_[input].common.to.via.empty() || input == target)
        throw error_at(
            pending_[input].common.origin, "to",
            fmt::format("buffer '{}' is filled by vehicles; expected every element "
                        "that feeds it to do so through a fleet ({{via: FLEET, to: {}}})",
                        t.id, t.id));
    }
    for (const WipLimitSpec& limit : scene.wip_limits_) {
      if (limit.from == target)
        throw error_at(origin, "",
                       fmt::format("WIP limit '{}' starts at '{}', which vehicles fill; expected "
                                   "it to start elsewhere",
                                   limit.name, t.id));
    }
    e.route.via.fleet = static_cast<std::uint32_t>(f);
    e.route.via.priority = to.via_priority;
    e.route.via.pick_up =
        fleet_stop(scene, scene.fleets_[f], static_cast<ElementIndex>(i), stop_origins[f]);
    e.route.via.drop_off = fleet_stop(scene, scene.fleets_[f], target, stop_origins[f]);
    insert_sorted(scene.fleets_[f].pick_ups, e.route.via.pick_up);
    insert_sorted(scene.fleets_[f].drop_offs, e.route.via.drop_off);
  }
  for (std::size_t f = 0; f < scene.fleets_.size(); ++f) {
    add_chargers(scene, f, stop_origins[f]);
    plan_travel(scene, f, stop_origins[f]);
    check_battery(scene, f);
  }
}

// Chargers are stops of their own, after the links' stops, on nodes where no link stops and that
// are not home: a vehicle charging there holds the node, which would keep others from a dock.
void SceneBuilder::add_chargers(Scene& scene, std::size_t f,
                                std::vector<Origin>& stop_origins) const {
  FleetSpec& fleet = scene.fleets_[f];
  const auto& [nodes, origin] = fleet_chargers_[f];
  const Origin& fleet_origin = fleet_homes_[f].second;
  if (!fleet.battery) {
    if (!nodes.empty())
      throw error_at(origin, "", "chargers serve vehicles with batteries; expected 'battery'");
    return;
  }
  if (nodes.empty())
    throw error_at(fleet_origin, "chargers",
                   "a fleet with batteries charges at its chargers; expected at least one node");
  for (const std::string& id : nodes) {
    const auto node = scene.paths_->find_node(id);
    if (!node)
      throw error_at(origin, "",
                     fmt::format("expected the id of a node in paths.nodes, found '{}'", id));
    if (std::find(fleet.stops.begin(), fleet.stops.end(), *node) != fleet.stops.end())
      throw error_at(origin, "",
                     fmt::format("node '{}' is the fleet's home, a pick-up or drop-off point or "
                                 "a charger already; expected a node of its own for each charger",
                                 id));
    fleet.chargers.push_back(static_cast<std::uint32_t>(fleet.stops.size()));
    fleet.stops.push_back(*node);
    stop_origins.push_back(origin);
  }
}

// A vehicle leaves a charger with `charge_to` of its capacity; from every charger it must be able
// to do every order of the fleet and still reach a charger, and to drive home and still reach
// one, or it would charge for ever. The run keeps to this from any stop (docs/transport.md,
// "Batteries and charging").
void SceneBuilder::check_battery(Scene& scene, std::size_t f) const {
  FleetSpec& fleet = scene.fleets_[f];
  if (!fleet.battery) return;
  const Origin& origin = fleet_homes_[f].second;
  const PathNetwork& network = *scene.paths_;
  const auto n = static_cast<std::uint32_t>(fleet.stops.size());
  fleet.charger_reserve_kwh.assign(n, std::numeric_limits<double>::infinity());
  for (std::uint32_t s = 0; s < n; ++s) {
    for (std::uint32_t c : fleet.chargers)
      fleet.charger_reserve_kwh[s] = std::min(fleet.charger_reserve_kwh[s], fleet.energy_kwh(s, c));
  }
  const double full_kwh = fleet.battery->capacity_kwh * fleet.battery->charge_to;
  auto check = [&](std::uint32_t c, std::uint32_t to, double need_kwh, const std::string& what) {
    if (need_kwh <= full_kwh) return;
    throw error_at(
        origin, "battery.capacity_kwh",
        fmt::format("a vehicle charged to {} kWh at node '{}' cannot {} and reach a charger from "
                    "node '{}' (it needs {} kWh); expected a battery that can",
                    full_kwh, network.nodes()[fleet.stops[c]].id, what,
                    network.nodes()[fleet.stops[to]].id, need_kwh));
  };
  for (std::uint32_t c : fleet.chargers) {
    check(c, 0, energy_to_drive_kwh(fleet, c, 0), "drive home");
    for (const Element& e : scene.elements_) {
      const TransportLink& link = e.route.via;
      if (link.fleet != f) continue;
      check(c, link.drop_off, energy_to_carry_kwh(fleet, c, link),
            fmt::format("carry {}'s parts", e.id));
    }
  }
}

// The fleet's stop at an element: its transfer node, or the node nearest its pose.
std::uint32_t SceneBuilder::fleet_stop(Scene& scene, FleetSpec& fleet, ElementIndex element,
                                       std::vector<Origin>& stop_origins) const {
  const Common& common = pending_[element].common;
  const auto stop = vehicle_stops_.find(common.id);
  PathNodeIndex node = 0;
  Origin origin;
  if (stop != vehicle_stops_.end() && !stop->second.transfer_node.empty()) {
    origin = stop->second.origin;
    const auto found = scene.paths_->find_node(stop->second.transfer_node);
    if (!found)
      throw error_at(origin, "",
                     fmt::format("expected the id of a node in paths.nodes, found '{}'",
                                 stop->second.transfer_node));
    node = *found;
  } else if (stop != vehicle_stops_.end() && stop->second.has_pose) {
    node = scene.paths_->nearest_node(common.pose.x_m, common.pose.y_m);
    origin = stop->second.origin;
  } else {
    throw error_at(common.origin, "transfer_node",
                   "vehicles stop at this element: expected 'transfer_node' (a node of paths) or "
                   "a 'pose', whose nearest node is taken");
  }
  const auto at = std::find(fleet.stops.begin(), fleet.stops.end(), node);
  if (at != fleet.stops.end()) return static_cast<std::uint32_t>(at - fleet.stops.begin());
  fleet.stops.push_back(node);
  stop_origins.push_back(std::move(origin));
  return static_cast<std::uint32_t>(fleet.stops.size() - 1);
}

// The exact time between every two stops: the motion profile of the fastest route. A stop that
// no route reaches from another, or none wide enough for the vehicle, is bad input.
void SceneBuilder::plan_travel(Scene& scene, std::size_t f,
                               const std::vector<Origin>& stop_origins) const {
  FleetSpec& fleet = scene.fleets_[f];
  const PathNetwork& network = *scene.paths_;
  const Origin& origin = fleet_homes_[f].second;
  const std::size_t n = fleet.stops.size();
  fleet.legs.assign(n * n, FleetLeg{});
  // Loaded or empty, a vehicle keeps to edges its load fits.
  const double width_m = fleet.vehicle.outer_width_m();
  const bool load_wider = fleet.vehicle.load_width_m > fleet.vehicle.width_m;
  const RoutedVehicle routed{fleet.vehicle.motion.max_speed_m_per_s, width_m};
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      const PathNodeIndex from = fleet.stops[a];
      const PathNodeIndex to = fleet.stops[b];
      const auto route = network.fastest_route(from, to, routed);
      if (!route && !network.reaches(from, to)) {
        // Named at the point that cannot be reached, or at the one that cannot reach home.
        throw error_at(stop_origins[b == 0 ? a : b], "",
                       fmt::format("fleet '{}' drives from node '{}' to node '{}' (its home, "
                                   "pick-up and drop-off points), but no edge leads there; "
                                   "expected a point the fleet can reach from its home and leave",
                                   fleet.id, network.nodes()[from].id, network.nodes()[to].id));
      }
      if (!route) {
        throw error_at(origin, load_wider ? "vehicle.load.width_m" : "vehicle.width_m",
                       fmt::format("a vehicle {} m wide{} fits no route from node '{}' to node "
                                   "'{}': every route has an edge narrower; expected a vehicle "
                                   "no wider than the edges of some route",
                                   width_m, load_wider ? " with its load" : "",
                                   network.nodes()[from].id, network.nodes()[to].id));
      }
      FleetLeg& leg = fleet.legs[a * n + b];
      leg.profile = MotionProfile(network.motion_segments(*route), fleet.vehicle.motion);
      leg.route = *std::move(route);
    }
  }
}

}  // namespace linetwin
