#include "experiment/replication_table.hpp"

#include <cassert>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "experiment/bottleneck.hpp"
#include "transport/zone_reservations.hpp"

namespace linetwin {

namespace {
// 1 when the resource is the replication's bottleneck (experiment/bottleneck.hpp).
std::uint64_t bottleneck_mark(const ReplicationResult& r, Bottleneck::Kind kind,
                              std::size_t index) {
  const std::optional<Bottleneck> b = line_bottleneck(r);
  return b && b->kind == kind && b->index == index ? 1 : 0;
}
}  // namespace

template <class Locate>
void ReplicationTable::add_real(std::string name, Locate locate) {
  Column c;
  c.name = std::move(name);
  c.type = Type::kReal;
  c.get_real = [locate](const ReplicationResult& r) { return static_cast<double>(locate(r)); };
  c.set_real = [locate](ReplicationResult& r, double v) { locate(r) = v; };
  columns_.push_back(std::move(c));
}

template <class Locate>
void ReplicationTable::add_count(std::string name, Locate locate) {
  Column c;
  c.name = std::move(name);
  c.type = Type::kCount;
  c.get_count = [locate](const ReplicationResult& r) {
    return static_cast<std::uint64_t>(locate(r));
  };
  c.set_count = [locate](ReplicationResult& r, std::uint64_t v) { locate(r) = v; };
  columns_.push_back(std::move(c));
}

template <class Locate>
void ReplicationTable::add_vehicle_columns(const std::string& prefix, Locate locate) {
  add_real(
      prefix + "loaded_travel", [locate](auto& r) -> auto& { return locate(r).loaded_travel; });
  add_real(
      prefix + "empty_travel", [locate](auto& r) -> auto& { return locate(r).empty_travel; });
  add_real(
      prefix + "driving_home", [locate](auto& r) -> auto& { return locate(r).driving_home; });
  add_real(
      prefix + "waiting_for_zone", [locate](auto& r) -> auto& {
        return locate(r).waiting_for_zone;
      });
  add_real(
      prefix + "handling", [locate](auto& r) -> auto& { return locate(r).handling; });
  add_real(
      prefix + "idle", [locate](auto& r) -> auto& { return locate(r).idle; });
  add_count(
      prefix + "orders", [locate](auto& r) -> auto& { return locate(r).orders; });
  // Derived from the shares above, so there is nothing to write back.
  Column busy;
  busy.name = prefix + "busy";
  busy.get_real = [locate](const ReplicationResult& r) { return busy_share(locate(r)); };
  busy.set_real = [](ReplicationResult&, double) {};
  columns_.push_back(std::move(busy));
}

ReplicationTable::ReplicationTable(const Scene& scene)
    : stations_(scene.stations().size()),
      buffers_(scene.buffers().size()),
      sources_(scene.sources().size()),
      conveyors_(scene.conveyors().size()),
      pools_(scene.operator_pools().size()),
      products_(scene.products().size()),
      limits_(scene.wip_limits().size()) {
  add_count(
      "replication", [](auto& r) -> auto& { return r.replication; });
  {
    // Whether the line deadlocked, when, and how many parts it held then (0 when it did not):
    // whether it was a cycle and which elements were in it are no numbers and stay out.
    Column deadlocked;
    deadlocked.name = "deadlocked";
    deadlocked.type = Type::kCount;
    deadlocked.get_count = [](const ReplicationResult& r) -> std::uint64_t {
      return r.deadlock ? 1 : 0;
    };
    deadlocked.set_count = [](ReplicationResult& r, std::uint64_t v) {
      if (v != 0) r.deadlock.emplace();
    };
    columns_.push_back(std::move(deadlocked));
    Column time;
    time.name = "deadlock_time_s";
    time.get_real = [](const ReplicationResult& r) {
      return r.deadlock ? r.deadlock->time_s : std::numeric_limits<double>::quiet_NaN();
    };
    time.set_real = [](ReplicationResult& r, double v) {
      if (r.deadlock) r.deadlock->time_s = v;
    };
    columns_.push_back(std::move(time));
    Column held;
    held.name = "deadlock_parts_in_line";
    held.type = Type::kCount;
    held.get_count = [](const ReplicationResult& r) -> std::uint64_t {
      return r.deadlock ? r.deadlock->parts_in_line : 0;
    };
    held.set_count = [](ReplicationResult& r, std::uint64_t v) {
      if (r.deadlock) r.deadlock->parts_in_line = v;
    };
    columns_.push_back(std::move(held));
  }
  add_real(
      "observed_s", [](auto& r) -> auto& { return r.observed_s; });
  add_real(
      "throughput_per_hour", [](auto& r) -> auto& { return r.throughput_per_hour; });
  add_real(
      "wip_mean", [](auto& r) -> auto& { return r.wip_mean; });
  add_real(
      "lead_time_mean_s", [](auto& r) -> auto& { return r.lead_time_mean_s; });
  add_real(
      "lead_time_p50_s", [](auto& r) -> auto& { return r.lead_time_p50_s; });
  add_real(
      "lead_time_p95_s", [](auto& r) -> auto& { return r.lead_time_p95_s; });
  add_real(
      "scrap_rate", [](auto& r) -> auto& { return r.scrap_rate; });
  add_count(
      "parts_completed", [](auto& r) -> auto& { return r.parts_completed; });
  add_count(
      "parts_in_line_at_end", [](auto& r) -> auto& { return r.parts_in_line_at_end; });
  add_count(
      "events", [](auto& r) -> auto& { return r.events; });
  add_count(
      "ledger.created", [](auto& r) -> auto& { return r.ledger.created; });
  add_count(
      "ledger.completed", [](auto& r) -> auto& { return r.ledger.completed; });
  add_count(
      "ledger.scrapped", [](auto& r) -> auto& { return r.ledger.scrapped; });
  add_count(
      "ledger.consumed", [](auto& r) -> auto& { return r.ledger.consumed; });
  add_count(
      "ledger.in_line", [](auto& r) -> auto& { return r.ledger.in_line; });

  for (std::size_t i = 0; i < stations_; ++i) {
    const Element& e = scene.element(scene.stations()[i]);
    const std::string p = e.id + ".";
    add_real(
        p + "working", [i](auto& r) -> auto& { return r.stations[i].working; });
    add_real(
        p + "setup", [i](auto& r) -> auto& { return r.stations[i].setup; });
    add_real(
        p + "waiting_operator", [i](auto& r) -> auto& { return r.stations[i].waiting_operator; });
    add_real(
        p + "starved", [i](auto& r) -> auto& { return r.stations[i].starved; });
    add_real(
        p + "blocked", [i](auto& r) -> auto& { return r.stations[i].blocked; });
    add_real(
        p + "down", [i](auto& r) -> auto& { return r.stations[i].down; });
    add_real(
        p + "off_shift", [i](auto& r) -> auto& { return r.stations[i].off_shift; });
    // Only a station whose parts ride a fleet has it, so that other tables keep their columns.
    if (e.route.via.carried_by_fleet()) {
      add_real(
          p + "waiting_for_vehicle", [i](auto& r) -> auto& {
            return r.stations[i].waiting_for_vehicle;
          });
    }
    add_count(
        p + "parts_processed", [i](auto& r) -> auto& { return r.stations[i].parts_processed; });
    add_count(
        p + "parts_good", [i](auto& r) -> auto& { return r.stations[i].parts_good; });
    add_count(
        p + "parts_scrapped", [i](auto& r) -> auto& { return r.stations[i].parts_scrapped; });
    add_count(
        p + "parts_reworked", [i](auto& r) -> auto& { return r.stations[i].parts_reworked; });
    add_count(
        p + "failures", [i](auto& r) -> auto& { return r.stations[i].failures; });
    add_count(
        p + "setups", [i](auto& r) -> auto& { return r.stations[i].setups; });
    add_real(
        p + "availability", [i](auto& r) -> auto& { return r.stations[i].oee.availability; });
    add_real(
        p + "performance", [i](auto& r) -> auto& { return r.stations[i].oee.performance; });
    add_real(
        p + "quality", [i](auto& r) -> auto& { return r.stations[i].oee.quality; });
    add_real(
        p + "oee", [i](auto& r) -> auto& { return r.stations[i].oee.oee; });
    std::size_t lines = 0;
    if (const auto& assembly = scene.station_spec(e).assembly) {
      lines = 1 + assembly->components.size();
      for (std::size_t line = 0; line < lines; ++line) {
        const ElementIndex input =
            line == 0 ? assembly->main_from : assembly->components[line - 1].from;
        add_real(
            p + "starved_by." + scene.element(input).id,
            [ i, line ](auto& r) -> auto& { return r.stations[i].starved_by[line]; });
      }
    }
    assembly_lines_.push_back(lines);
    add_real(
        p + "active_period_mean_s", [i](auto& r) -> auto& {
          return r.stations[i].active_period_mean_s;
        });
    add_count(
        p + "active_periods", [i](auto& r) -> auto& { return r.stations[i].active_periods; });
    Column bottleneck;
    bottleneck.name = p + "bottleneck";
    bottleneck.type = Type::kCount;
    const auto position = static_cast<std::int64_t>(i);
    // The line's bottleneck, which a fleet may be instead of the station bottleneck: written
    // back, a 1 restores the station bottleneck, and a fleet's follows from its shares.
    bottleneck.get_count = [i](const ReplicationResult& r) {
      return bottleneck_mark(r, Bottleneck::Kind::kStation, i);
    };
    bottleneck.set_count = [position](ReplicationResult& r, std::uint64_t v) {
      if (v != 0) r.bottleneck_station = position;
    };
    columns_.push_back(std::move(bottleneck));
  }
  for (std::size_t i = 0; i < buffers_; ++i) {
    const std::string p = scene.element(scene.buffers()[i]).id + ".";
    add_real(
        p + "occupancy_mean", [i](auto& r) -> auto& { return r.buffers[i].occupancy_mean; });
    add_count(
        p + "occupancy_max", [i](auto& r) -> auto& { return r.buffers[i].occupancy_max; });
  }
  for (std::size_t i = 0; i < sources_; ++i) {
    const std::string p = scene.element(scene.sources()[i]).id + ".";
    add_count(
        p + "arrivals", [i](auto& r) -> auto& { return r.sources[i].arrivals; });
    add_count(
        p + "lost", [i](auto& r) -> auto& { return r.sources[i].lost; });
    add_real(
        p + "loss_probability", [i](auto& r) -> auto& { return r.sources[i].loss_probability; });
    add_real(
        p + "blocked", [i](auto& r) -> auto& { return r.sources[i].blocked; });
  }
  for (std::size_t i = 0; i < conveyors_; ++i) {
    const std::string p = scene.element(scene.conveyors()[i]).id + ".";
    add_count(
        p + "parts_transported", [i](auto& r) -> auto& {
          return r.conveyors[i].parts_transported;
        });
    add_real(
        p + "occupancy_mean", [i](auto& r) -> auto& { return r.conveyors[i].occupancy_mean; });
    add_real(
        p + "stopped", [i](auto& r) -> auto& { return r.conveyors[i].stopped; });
  }
  for (std::size_t i = 0; i < pools_; ++i) {
    const std::string p = "operators." + scene.operator_pools()[i].name + ".";
    add_real(
        p + "utilisation", [i](auto& r) -> auto& { return r.operators[i].utilisation; });
    add_real(
        p + "walking", [i](auto& r) -> auto& { return r.operators[i].walking; });
    add_real(
        p + "working", [i](auto& r) -> auto& { return r.operators[i].working; });
    add_count(
        p + "assignments", [i](auto& r) -> auto& { return r.operators[i].assignments; });
    add_real(
        p + "on_shift", [i](auto& r) -> auto& { return r.operators[i].on_shift; });
  }
  for (std::size_t i = 0; i < products_; ++i) {
    const std::string p = "products." + scene.products()[i] + ".";
    add_count(
        p + "completed", [i](auto& r) -> auto& { return r.products[i].completed; });
    add_count(
        p + "scrapped", [i](auto& r) -> auto& { return r.products[i].scrapped; });
    add_real(
        p + "throughput_per_hour", [i](auto& r) -> auto& {
          return r.products[i].throughput_per_hour;
        });
    add_real(
        p + "lead_time_mean_s", [i](auto& r) -> auto& { return r.products[i].lead_time_mean_s; });
  }
  for (std::size_t i = 0; i < limits_; ++i) {
    add_real(
        "wip_limits." + scene.wip_limits()[i].name + ".cards_in_use_mean", [i](auto& r) -> auto& {
          return r.wip_limits[i].cards_in_use_mean;
        });
  }
  // A fleet's columns, then each vehicle's (FLEET.N., N from 1, as the CSV report numbers them).
  for (std::size_t i = 0; i < scene.fleets().size(); ++i) {
    fleet_vehicles_.push_back(scene.fleets()[i].vehicles);
    const std::string p = "fleets." + scene.fleets()[i].id + ".";
    // Only a fleet with batteries has these, so that other tables keep their columns.
    auto battery_columns = [this, &scene, i](const std::string& prefix, auto locate) {
      if (!scene.fleets()[i].battery) return;
      add_real(
          prefix + "charging", [locate](auto& r) -> auto& { return locate(r).charging; });
      add_count(
          prefix + "charges", [locate](auto& r) -> auto& { return locate(r).charges; });
      add_real(
          prefix + "energy_kwh", [locate](auto& r) -> auto& { return locate(r).energy_kwh; });
    };
    auto fleet = [i](auto& r) -> auto& {
      return r.fleets[i].fleet;
    };
    add_vehicle_columns(p, fleet);
    battery_columns(p, fleet);
    add_real(
        p + "order_lead_time_mean_s", [i](auto& r) -> auto& {
          return r.fleets[i].order_lead_time_mean_s;
        });
    Column bottleneck;
    bottleneck.name = p + "bottleneck";
    bottleneck.type = Type::kCount;
    bottleneck.get_count = [i](const ReplicationResult& r) {
      return bottleneck_mark(r, Bottleneck::Kind::kFleet, i);
    };
    bottleneck.set_count = [](ReplicationResult&, std::uint64_t) {};  // follows from the shares
    columns_.push_back(std::move(bottleneck));
    for (std::size_t v = 0; v < fleet_vehicles_[i]; ++v) {
      auto vehicle = [ i, v ](auto& r) -> auto& {
        return r.fleets[i].vehicles[v];
      };
      add_vehicle_columns(p + std::to_string(v + 1) + ".", vehicle);
      battery_columns(p + std::to_string(v + 1) + ".", vehicle);
    }
  }
  // Congestion per zone of the path network: zones.node.ID.* and zones.edge.I.* (I: the edge's
  // place in paths.edges). A blank result has no zones: a column written grows them to its own.
  if (scene.fleets().empty()) return;
  const PathNetwork& network = *scene.paths();
  for (ZoneIndex z = 0; z < zone_count(network); ++z) {
    const std::string p = z < network.nodes().size()
                              ? "zones.node." + network.nodes()[z].id + "."
                              : "zones.edge." + std::to_string(z - network.nodes().size()) + ".";
    auto zone = [z](auto& r) -> auto& {
      if constexpr (!std::is_const_v<std::remove_reference_t<decltype(r)>>) {
        if (r.zones.size() <= z) r.zones.resize(z + 1);
      }
      return r.zones[z];
    };
    add_count(
        p + "waits", [zone](auto& r) -> auto& { return zone(r).waits; });
    add_real(
        p + "wait_s", [zone](auto& r) -> auto& { return zone(r).wait_s; });
  }
}

std::optional<std::size_t> ReplicationTable::find(std::string_view name) const {
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].name == name) return c;
  }
  return std::nullopt;
}

std::vector<std::string> ReplicationTable::names() const {
  std::vector<std::string> out;
  out.reserve(columns_.size());
  for (const Column& c : columns_)
    out.push_back(c.name);
  return out;
}

double ReplicationTable::value(const ReplicationResult& r, std::size_t column) const {
  const Column& c = columns_[column];
  return c.type == Type::kReal ? c.get_real(r) : static_cast<double>(c.get_count(r));
}

std::uint64_t ReplicationTable::count(const ReplicationResult& r, std::size_t column) const {
  assert(columns_[column].type == Type::kCount);
  return columns_[column].get_count(r);
}

ReplicationResult ReplicationTable::blank() const {
  ReplicationResult r;
  r.stations.resize(stations_);
  for (std::size_t i = 0; i < stations_; ++i)
    r.stations[i].starved_by.resize(assembly_lines_[i]);
  r.buffers.resize(buffers_);
  r.sources.resize(sources_);
  r.conveyors.resize(conveyors_);
  r.operators.resize(pools_);
  r.products.resize(products_);
  r.wip_limits.resize(limits_);
  r.fleets.resize(fleet_vehicles_.size());
  for (std::size_t i = 0; i < fleet_vehicles_.size(); ++i)
    r.fleets[i].vehicles.resize(fleet_vehicles_[i]);
  return r;
}

void ReplicationTable::set_real(ReplicationResult& r, std::size_t column, double value) const {
  assert(columns_[column].type == Type::kReal);
  columns_[column].set_real(r, value);
}

void ReplicationTable::set_count(ReplicationResult& r, std::size_t column,
                                 std::uint64_t value) const {
  assert(columns_[column].type == Type::kCount);
  columns_[column].set_count(r, value);
}

}  // namespace linetwin
