#include "io/results_report.hpp"

#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "core/duration.hpp"
#include "core/timestamp.hpp"
#include "io/csv_field.hpp"
#include "io/json_values.hpp"
#include "io/run_object.hpp"
#include "linetwin_version.hpp"
#include "plant/vehicle_name.hpp"
#include "transport/zone_reservations.hpp"

namespace linetwin {

namespace {

using json_values::number;

using nlohmann::ordered_json;

ordered_json to_json(const Estimate& e) {
  ordered_json j;
  j["mean"] = number(e.mean);
  j["ci95_low"] = number(e.ci_low);
  j["ci95_high"] = number(e.ci_high);
  j["stdev"] = number(e.stdev);
  j["n"] = e.replications;
  return j;
}

ordered_json to_json(const Scene& scene, std::uint32_t replication, const DeadlockResult& d) {
  ordered_json j;
  j["replication"] = replication;
  j["time_s"] = number(d.time_s);
  j["kind"] = d.cycle ? "cycle" : "stuck";
  j["parts_in_line"] = d.parts_in_line;
  ordered_json elements = ordered_json::array();
  for (const DeadlockResult::Element& e : d.elements) {
    ordered_json row;
    row["id"] = scene.element(e.element).id;
    row["parts"] = e.parts;
    row["state"] = e.state;
    elements.push_back(row);
  }
  j["elements"] = elements;
  ordered_json vehicles = ordered_json::array();
  for (const DeadlockResult::Vehicle& v : d.vehicles) {
    ordered_json row;
    row["fleet"] = scene.fleets()[v.fleet].id;
    row["vehicle"] = v.vehicle + 1;
    row["parts"] = v.parts;
    row["state"] = v.state;
    vehicles.push_back(row);
  }
  j["vehicles"] = vehicles;
  return j;
}

std::string capacity_text(const BufferSpec& spec) {
  return spec.capacity == BufferSpec::kUnlimited ? std::string("unlimited")
                                                 : std::to_string(spec.capacity);
}

// Where the replications started, when not from an empty line: the snapshot's file, when the line
// was in that state, and the stations kept down (docs/results-format.md, "start").
ordered_json start_object(const StartingSnapshot& start) {
  const LineSnapshot& snapshot = start.snapshot;
  ordered_json j;
  j["snapshot"] = start.file;
  j["origin"] = snapshot.origin;
  j["timestamp"] = snapshot.timestamp_us ? json_values::time_or_null(*snapshot.timestamp_us)
                                         : ordered_json(nullptr);
  j["simulated_time_s"] = json_values::number(snapshot.simulated_time_s);
  ordered_json down_for = ordered_json::object();
  for (const StationSnapshot& station : snapshot.stations) {
    if (station.down_for_s) down_for[station.id] = *station.down_for_s;
  }
  j["down_for_s"] = down_for;
  return j;
}

// "from the snapshot now.yaml (live, 2026-12-07T10:15:30Z; OP30 down for 4h)".
std::string describe_start(const StartingSnapshot& start) {
  const LineSnapshot& snapshot = start.snapshot;
  std::string text = "from the snapshot " + start.file + " (" + snapshot.origin;
  if (snapshot.timestamp_us) {
    text += ", " + format_timestamp_iso(*snapshot.timestamp_us);
  } else if (std::isfinite(snapshot.simulated_time_s)) {
    text += " at " + format_duration(snapshot.simulated_time_s);
  }
  for (const StationSnapshot& station : snapshot.stations) {
    if (station.down_for_s)
      text += "; " + station.id + " down for " + format_duration(*station.down_for_s);
  }
  return text + ")";
}

}  // namespace

ordered_json run_object(const RunReport& report) {
  const Scene& scene = report.scene;
  const ExperimentSummary& s = report.summary;
  ordered_json j;
  j["schema"] = kResultsSchema;
  j["linetwin_version"] = kLinetwinVersion;
  j["scene"] = scene.source_file();
  j["scene_name"] = scene.name();
  j["products"] = scene.products();
  j["seed"] = report.settings.seed;
  j["replications"] = s.replications;
  j["warmup_s"] = report.settings.run.warmup_s;
  j["duration_s"] = report.settings.run.duration_s;
  if (report.settings.start) j["start"] = start_object(*report.settings.start);
  j["confidence"] = 0.95;
  ordered_json kpis;
  kpis["throughput_per_hour"] = to_json(s.throughput_per_hour);
  kpis["wip_mean"] = to_json(s.wip_mean);
  kpis["lead_time_mean_s"] = to_json(s.lead_time_mean_s);
  kpis["lead_time_p50_s"] = to_json(s.lead_time_p50_s);
  kpis["lead_time_p95_s"] = to_json(s.lead_time_p95_s);
  kpis["scrap_rate"] = to_json(s.scrap_rate);
  j["kpis"] = kpis;
  ordered_json products = ordered_json::array();
  for (std::size_t i = 0; i < s.products.size(); ++i) {
    ordered_json row;
    row["product"] = scene.products()[i];
    row["throughput_per_hour"] = to_json(s.products[i].throughput_per_hour);
    row["lead_time_mean_s"] = to_json(s.products[i].lead_time_mean_s);
    row["scrapped"] = to_json(s.products[i].scrapped);
    products.push_back(row);
  }
  j["by_product"] = products;
  ordered_json bottleneck;
  bottleneck["method"] =
      "average active period (Roser, Nakano and Tanaka, 2001); a fleet busier than that "
      "station is active";
  bottleneck["station"] =
      s.bottleneck_station ? ordered_json(scene.element(scene.stations()[*s.bottleneck_station]).id)
                           : ordered_json(nullptr);
  // The line's bottleneck: that station, or a fleet busier than it (experiment/bottleneck.hpp).
  if (s.bottleneck_fleet) {
    bottleneck["kind"] = "fleet";
    bottleneck["id"] = scene.fleets()[*s.bottleneck_fleet].id;
  } else {
    bottleneck["kind"] = s.bottleneck_station ? ordered_json("station") : ordered_json(nullptr);
    bottleneck["id"] = bottleneck["station"];
  }
  j["bottleneck"] = bottleneck;

  ordered_json stations = ordered_json::array();
  for (std::size_t i = 0; i < s.stations.size(); ++i) {
    const Element& e = scene.element(scene.stations()[i]);
    const StationSummary& st = s.stations[i];
    ordered_json row;
    row["id"] = e.id;
    row["servers"] = scene.station_spec(e).servers;
    row["working"] = to_json(st.working);
    row["setup"] = to_json(st.setup);
    row["waiting_operator"] = to_json(st.waiting_operator);
    row["starved"] = to_json(st.starved);
    row["blocked"] = to_json(st.blocked);
    row["down"] = to_json(st.down);
    row["off_shift"] = to_json(st.off_shift);
    if (e.route.via.carried_by_fleet())
      row["waiting_for_vehicle"] = to_json(st.waiting_for_vehicle);
    row["parts_processed"] = to_json(st.parts_processed);
    row["parts_good"] = to_json(st.parts_good);
    row["parts_scrapped"] = to_json(st.parts_scrapped);
    row["parts_reworked"] = to_json(st.parts_reworked);
    row["failures"] = to_json(st.failures);
    row["setups"] = to_json(st.setups);
    ordered_json oee;
    oee["availability"] = to_json(st.availability);
    oee["performance"] = to_json(st.performance);
    oee["quality"] = to_json(st.quality);
    oee["oee"] = to_json(st.oee);
    row["oee"] = oee;
    if (const auto& assembly = scene.station_spec(e).assembly) {
      ordered_json starved_by = ordered_json::array();
      for (std::size_t line = 0; line < st.starved_by.size(); ++line) {
        ordered_json input;
        input["input"] =
            scene.element(line == 0 ? assembly->main_from : assembly->components[line - 1].from).id;
        input["starved"] = to_json(st.starved_by[line]);
        starved_by.push_back(input);
      }
      row["starved_by"] = starved_by;
    }
    row["active_period_mean_s"] = to_json(st.active_period_mean_s);
    row["bottleneck_share"] = st.bottleneck_share;
    stations.push_back(row);
  }
  j["stations"] = stations;
  ordered_json buffers = ordered_json::array();
  for (std::size_t i = 0; i < s.buffers.size(); ++i) {
    const Element& e = scene.element(scene.buffers()[i]);
    const BufferSpec& spec = scene.buffer_spec(e);
    ordered_json row;
    row["id"] = e.id;
    row["capacity"] = spec.capacity == BufferSpec::kUnlimited ? ordered_json("unlimited")
                                                              : ordered_json(spec.capacity);
    row["occupancy_mean"] = to_json(s.buffers[i].occupancy_mean);
    row["occupancy_max"] = s.buffers[i].occupancy_max ? ordered_json(*s.buffers[i].occupancy_max)
                                                      : ordered_json(nullptr);
    buffers.push_back(row);
  }
  j["buffers"] = buffers;
  ordered_json sources = ordered_json::array();
  for (std::size_t i = 0; i < s.sources.size(); ++i) {
    ordered_json row;
    row["id"] = scene.element(scene.sources()[i]).id;
    row["arrivals"] = to_json(s.sources[i].arrivals);
    row["lost"] = to_json(s.sources[i].lost);
    row["loss_probability"] = to_json(s.sources[i].loss_probability);
    row["blocked"] = to_json(s.sources[i].blocked);
    sources.push_back(row);
  }
  j["sources"] = sources;
  ordered_json conveyors = ordered_json::array();
  for (std::size_t i = 0; i < s.conveyors.size(); ++i) {
    ordered_json row;
    row["id"] = scene.element(scene.conveyors()[i]).id;
    row["parts_transported"] = to_json(s.conveyors[i].parts_transported);
    row["occupancy_mean"] = to_json(s.conveyors[i].occupancy_mean);
    row["stopped"] = to_json(s.conveyors[i].stopped);
    conveyors.push_back(row);
  }
  j["conveyors"] = conveyors;
  ordered_json operators = ordered_json::array();
  for (std::size_t i = 0; i < s.operators.size(); ++i) {
    ordered_json row;
    row["pool"] = scene.operator_pools()[i].name;
    row["operators"] = scene.operator_pools()[i].count;
    row["utilisation"] = to_json(s.operators[i].utilisation);
    row["walking"] = to_json(s.operators[i].walking);
    row["working"] = to_json(s.operators[i].working);
    row["on_shift"] = to_json(s.operators[i].on_shift);
    operators.push_back(row);
  }
  j["operator_pools"] = operators;
  ordered_json fleets = ordered_json::array();
  for (std::size_t i = 0; i < s.fleets.size(); ++i) {
    const bool battery = scene.fleets()[i].battery.has_value();
    auto shares = [battery](ordered_json& row, const VehicleSummary& v) {
      row["loaded_travel"] = to_json(v.loaded_travel);
      row["empty_travel"] = to_json(v.empty_travel);
      row["driving_home"] = to_json(v.driving_home);
      row["waiting_for_zone"] = to_json(v.waiting_for_zone);
      row["handling"] = to_json(v.handling);
      row["idle"] = to_json(v.idle);
      row["orders"] = to_json(v.orders);
      row["busy"] = to_json(v.busy);
      if (!battery) return;
      row["charging"] = to_json(v.charging);
      row["charges"] = to_json(v.charges);
      row["energy_kwh"] = to_json(v.energy_kwh);
    };
    ordered_json row;
    row["id"] = scene.fleets()[i].id;
    row["vehicles"] = scene.fleets()[i].vehicles;
    shares(row, s.fleets[i].fleet);
    row["order_lead_time_mean_s"] = to_json(s.fleets[i].order_lead_time_mean_s);
    row["bottleneck_share"] = number(s.fleets[i].bottleneck_share);
    ordered_json by_vehicle = ordered_json::array();
    for (const VehicleSummary& v : s.fleets[i].vehicles) {
      ordered_json vehicle;
      vehicle["vehicle"] = by_vehicle.size() + 1;
      shares(vehicle, v);
      by_vehicle.push_back(vehicle);
    }
    row["by_vehicle"] = by_vehicle;
    fleets.push_back(row);
  }
  j["fleets"] = fleets;
  ordered_json zones = ordered_json::array();
  for (std::size_t z = 0; z < s.zones.size(); ++z) {
    ordered_json row;
    row["zone"] = zone_name(*scene.paths(), static_cast<ZoneIndex>(z));
    row["waits"] = to_json(s.zones[z].waits);
    row["wait_s"] = to_json(s.zones[z].wait_s);
    zones.push_back(row);
  }
  j["zones"] = zones;
  ordered_json limits = ordered_json::array();
  for (std::size_t i = 0; i < s.wip_limits.size(); ++i) {
    ordered_json row;
    row["name"] = scene.wip_limits()[i].name;
    row["cards"] = scene.wip_limits()[i].cards;
    row["cards_in_use_mean"] = to_json(s.wip_limits[i]);
    limits.push_back(row);
  }
  j["wip_limits"] = limits;
  j["events"] = s.events;
  j["deadlocked_replications"] = s.deadlocks.size();
  ordered_json deadlocks = ordered_json::array();
  for (const auto& [replication, deadlock] : s.deadlocks)
    deadlocks.push_back(to_json(scene, replication, deadlock));
  j["deadlocks"] = deadlocks;
  return j;
}

void write_json(std::ostream& out, const RunReport& report) {
  out << run_object(report).dump(2) << '\n';
}

namespace {
void csv_row(std::ostream& out, std::string_view section, std::string_view id, std::string_view kpi,
             const Estimate& e) {
  fmt::print(out, "{},{},{},{},{},{},{},{}\n", section, id, kpi, csv_number(e.mean),
             csv_number(e.ci_low), csv_number(e.ci_high), csv_number(e.stdev), e.replications);
}
}  // namespace

void write_csv(std::ostream& out, const RunReport& report) {
  const Scene& scene = report.scene;
  const ExperimentSummary& s = report.summary;
  // Ids are restricted to [A-Za-z0-9_.-], so no field needs quoting.
  out << "section,id,kpi,mean,ci95_low,ci95_high,stdev,n\n";
  csv_row(out, "line", "", "throughput_per_hour", s.throughput_per_hour);
  csv_row(out, "line", "", "wip_mean", s.wip_mean);
  csv_row(out, "line", "", "lead_time_mean_s", s.lead_time_mean_s);
  csv_row(out, "line", "", "lead_time_p50_s", s.lead_time_p50_s);
  csv_row(out, "line", "", "lead_time_p95_s", s.lead_time_p95_s);
  csv_row(out, "line", "", "scrap_rate", s.scrap_rate);
  for (std::size_t i = 0; i < s.products.size(); ++i) {
    const std::string& id = scene.products()[i];
    csv_row(out, "product", id, "throughput_per_hour", s.products[i].throughput_per_hour);
    csv_row(out, "product", id, "lead_time_mean_s", s.products[i].lead_time_mean_s);
    csv_row(out, "product", id, "scrapped", s.products[i].scrapped);
  }
  for (std::size_t i = 0; i < s.stations.size(); ++i) {
    const std::string& id = scene.element(scene.stations()[i]).id;
    const StationSummary& st = s.stations[i];
    csv_row(out, "station", id, "working", st.working);
    csv_row(out, "station", id, "setup", st.setup);
    csv_row(out, "station", id, "waiting_operator", st.waiting_operator);
    csv_row(out, "station", id, "starved", st.starved);
    csv_row(out, "station", id, "blocked", st.blocked);
    csv_row(out, "station", id, "down", st.down);
    csv_row(out, "station", id, "off_shift", st.off_shift);
    if (scene.element(scene.stations()[i]).route.via.carried_by_fleet())
      csv_row(out, "station", id, "waiting_for_vehicle", st.waiting_for_vehicle);
    csv_row(out, "station", id, "parts_processed", st.parts_processed);
    csv_row(out, "station", id, "parts_good", st.parts_good);
    csv_row(out, "station", id, "parts_scrapped", st.parts_scrapped);
    csv_row(out, "station", id, "parts_reworked", st.parts_reworked);
    csv_row(out, "station", id, "failures", st.failures);
    csv_row(out, "station", id, "setups", st.setups);
    csv_row(out, "station", id, "availability", st.availability);
    csv_row(out, "station", id, "performance", st.performance);
    csv_row(out, "station", id, "quality", st.quality);
    csv_row(out, "station", id, "oee", st.oee);
    csv_row(out, "station", id, "active_period_mean_s", st.active_period_mean_s);
  }
  for (std::size_t i = 0; i < s.buffers.size(); ++i) {
    csv_row(out, "buffer", scene.element(scene.buffers()[i]).id, "occupancy_mean",
            s.buffers[i].occupancy_mean);
  }
  for (std::size_t i = 0; i < s.sources.size(); ++i) {
    const std::string& id = scene.element(scene.sources()[i]).id;
    csv_row(out, "source", id, "arrivals", s.sources[i].arrivals);
    csv_row(out, "source", id, "lost", s.sources[i].lost);
    csv_row(out, "source", id, "loss_probability", s.sources[i].loss_probability);
    csv_row(out, "source", id, "blocked", s.sources[i].blocked);
  }
  for (std::size_t i = 0; i < s.conveyors.size(); ++i) {
    const std::string& id = scene.element(scene.conveyors()[i]).id;
    csv_row(out, "conveyor", id, "parts_transported", s.conveyors[i].parts_transported);
    csv_row(out, "conveyor", id, "occupancy_mean", s.conveyors[i].occupancy_mean);
    csv_row(out, "conveyor", id, "stopped", s.conveyors[i].stopped);
  }
  for (std::size_t i = 0; i < s.operators.size(); ++i) {
    const std::string& id = scene.operator_pools()[i].name;
    csv_row(out, "operator_pool", id, "utilisation", s.operators[i].utilisation);
    csv_row(out, "operator_pool", id, "walking", s.operators[i].walking);
    csv_row(out, "operator_pool", id, "working", s.operators[i].working);
    csv_row(out, "operator_pool", id, "on_shift", s.operators[i].on_shift);
  }
  for (std::size_t i = 0; i < s.fleets.size(); ++i) {
    auto shares = [&](std::string_view section, const std::string& id, const VehicleSummary& v) {
      csv_row(out, section, id, "loaded_travel", v.loaded_travel);
      csv_row(out, section, id, "empty_travel", v.empty_travel);
      csv_row(out, section, id, "driving_home", v.driving_home);
      csv_row(out, section, id, "waiting_for_zone", v.waiting_for_zone);
      csv_row(out, section, id, "handling", v.handling);
      csv_row(out, section, id, "idle", v.idle);
      csv_row(out, section, id, "orders", v.orders);
      csv_row(out, section, id, "busy", v.busy);
      if (!scene.fleets()[i].battery) return;
      csv_row(out, section, id, "charging", v.charging);
      csv_row(out, section, id, "charges", v.charges);
      csv_row(out, section, id, "energy_kwh", v.energy_kwh);
    };
    const std::string& id = scene.fleets()[i].id;
    shares("fleet", id, s.fleets[i].fleet);
    csv_row(out, "fleet", id, "order_lead_time_mean_s", s.fleets[i].order_lead_time_mean_s);
    for (std::size_t k = 0; k < s.fleets[i].vehicles.size(); ++k)
      shares("vehicle", vehicle_name(scene.fleets()[i], static_cast<std::uint32_t>(k)),
             s.fleets[i].vehicles[k]);
  }
  for (std::size_t z = 0; z < s.zones.size(); ++z) {
    const std::string zone = zone_name(*scene.paths(), static_cast<ZoneIndex>(z));
    csv_row(out, "zone", zone, "waits", s.zones[z].waits);
    csv_row(out, "zone", zone, "wait_s", s.zones[z].wait_s);
  }
  for (std::size_t i = 0; i < s.wip_limits.size(); ++i) {
    csv_row(out, "wip_limit", scene.wip_limits()[i].name, "cards_in_use_mean", s.wip_limits[i]);
  }
  // Deadlocks: their count, then per deadlocked replication its time, the parts in the line and
  // the parts each listed element held (id "r<replication>" and "r<replication>:<element>").
  fmt::print(out, "line,,deadlocked_replications,{},,,,{}\n", s.deadlocks.size(), s.replications);
  for (const auto& [replication, deadlock] : s.deadlocks) {
    fmt::print(out, "deadlock,r{},time_s,{},,,,1\n", replication, csv_number(deadlock.time_s));
    fmt::print(out, "deadlock,r{},parts_in_line,{},,,,1\n", replication, deadlock.parts_in_line);
    fmt::print(out, "deadlock,r{},cycle,{},,,,1\n", replication, deadlock.cycle ? 1 : 0);
    for (const DeadlockResult::Element& e : deadlock.elements) {
      fmt::print(out, "deadlock,r{}:{},parts_held,{},,,,1\n", replication,
                 scene.element(e.element).id, e.parts);
    }
    for (const DeadlockResult::Vehicle& v : deadlock.vehicles) {
      fmt::print(out, "deadlock,r{}:{},parts_held,{},,,,1\n", replication,
                 vehicle_name(scene.fleets()[v.fleet], v.vehicle), v.parts);
    }
  }
}

void write_deadlocks(std::ostream& out, const RunReport& report) {
  const Scene& scene = report.scene;
  const ExperimentSummary& s = report.summary;
  for (const auto& [replication, d] : s.deadlocks) {
    std::string what;
    if (!d.vehicles.empty()) {
      for (const DeadlockResult::Vehicle& v : d.vehicles)
        what += vehicle_name(scene.fleets()[v.fleet], v.vehicle) + " -> ";
      what += vehicle_name(scene.fleets()[d.vehicles.front().fleet], d.vehicles.front().vehicle);
      what = "a cycle of vehicles each waiting for a zone the next holds, " + what;
    } else if (d.cycle) {
      what = "a cycle of elements each blocked on the next, ";
      for (const DeadlockResult::Element& e : d.elements)
        what += scene.element(e.element).id + " -> ";
      what += scene.element(d.elements.front().element).id;
    } else {
      what = "parts that nothing can move any more";
    }
    fmt::print(out, "deadlock in replication {} at t = {:.1f} s ({}): {}; {} part{} in the line\n",
               replication, d.time_s, format_duration(d.time_s), what, d.parts_in_line,
               d.parts_in_line == 1 ? "" : "s");
    for (const DeadlockResult::Element& e : d.elements) {
      fmt::print(out, "  {:<16} {:>6} part{}  {}\n", scene.element(e.element).id, e.parts,
                 e.parts == 1 ? " " : "s", e.state);
    }
    for (const DeadlockResult::Vehicle& v : d.vehicles) {
      fmt::print(out, "  {:<16} {:>6} part{}  {}\n",
                 vehicle_name(scene.fleets()[v.fleet], v.vehicle), v.parts,
                 v.parts == 1 ? " " : "s", v.state);
    }
  }
}

namespace {
std::string with_interval(const Estimate& e, int digits) {
  if (!std::isfinite(e.mean)) return "-";
  if (!e.has_interval) return fmt::format("{:.{}f}", e.mean, digits);
  return fmt::format("{:.{}f} ± {:.{}f}", e.mean, digits, (e.ci_high - e.ci_low) / 2.0, digits);
}
std::string percent(const Estimate& e) {
  return std::isfinite(e.mean) ? fmt::format("{:5.1f}%", 100.0 * e.mean) : std::string("-");
}
// A share of the replications, "-" when none counts (every one deadlocked).
std::string share(double fraction) {
  return std::isfinite(fraction) ? fmt::format("{:.0f}%", 100.0 * fraction) : std::string("-");
}
}  // namespace

void write_table(std::ostream& out, const RunReport& report) {
  const Scene& scene = report.scene;
  const ExperimentSummary& s = report.summary;
  fmt::print(out, "{} — {} replication{} of {} after {} warm-up, seed {}\n", scene.name(),
             s.replications, s.replications == 1 ? "" : "s",
             format_duration(report.settings.run.duration_s),
             format_duration(report.settings.run.warmup_s), report.settings.seed);
  if (report.settings.start) fmt::print(out, "{}\n", describe_start(*report.settings.start));
  fmt::print(out, "(± is the half-width of the 95% confidence interval across replications)\n\n");
  fmt::print(out, "  {:<22} {}\n", "throughput [parts/h]", with_interval(s.throughput_per_hour, 2));
  fmt::print(out, "  {:<22} {}\n", "WIP [parts]", with_interval(s.wip_mean, 2));
  fmt::print(out, "  {:<22} {}\n", "lead time mean [s]", with_interval(s.lead_time_mean_s, 1));
  fmt::print(out, "  {:<22} {}\n", "lead time p50 [s]", with_interval(s.lead_time_p50_s, 1));
  fmt::print(out, "  {:<22} {}\n", "lead time p95 [s]", with_interval(s.lead_time_p95_s, 1));
  if (s.bottleneck_fleet) {
    const std::size_t f = *s.bottleneck_fleet;
    fmt::print(out, "  {:<22} {} (fleet busy {:.1f}% of the time{})\n", "bottleneck",
               scene.fleets()[f].id, 100.0 * s.fleets[f].fleet.busy.mean,
               s.bottleneck_station
                   ? fmt::format(", more than station {} is active",
                                 scene.element(scene.stations()[*s.bottleneck_station]).id)
                   : std::string());
  } else if (s.bottleneck_station) {
    fmt::print(out, "  {:<22} {} (longest mean active period)\n", "bottleneck",
               scene.element(scene.stations()[*s.bottleneck_station]).id);
  }
  if (s.products.size() > 1) {
    fmt::print(out, "\n  {:<16} {:>18} {:>20}\n", "product", "throughput [/h]", "lead time [s]");
    for (std::size_t i = 0; i < s.products.size(); ++i) {
      fmt::print(out, "  {:<16} {:>18} {:>20}\n", scene.products()[i],
                 with_interval(s.products[i].throughput_per_hour, 2),
                 with_interval(s.products[i].lead_time_mean_s, 1));
    }
  }
  if (!s.stations.empty()) {
    fmt::print(out, "\n  {:<16} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>18} {:>11}\n",
               "station", "working", "setup", "wait op", "starved", "blocked", "down", "off", "OEE",
               "active period [s]", "bottleneck");
    for (std::size_t i = 0; i < s.stations.size(); ++i) {
      const StationSummary& st = s.stations[i];
      fmt::print(out, "  {:<16} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>18} {:>11}\n",
                 scene.element(scene.stations()[i]).id, percent(st.working), percent(st.setup),
                 percent(st.waiting_operator), percent(st.starved), percent(st.blocked),
                 percent(st.down), percent(st.off_shift), percent(st.oee),
                 with_interval(st.active_period_mean_s, 1), share(st.bottleneck_share));
    }
  }
  if (!s.operators.empty()) {
    fmt::print(out, "\n  {:<16} {:>10} {:>12} {:>8} {:>8}\n", "operator pool", "operators",
               "utilisation", "walking", "working");
    for (std::size_t i = 0; i < s.operators.size(); ++i) {
      fmt::print(out, "  {:<16} {:>10} {:>12} {:>8} {:>8}\n", scene.operator_pools()[i].name,
                 scene.operator_pools()[i].count, percent(s.operators[i].utilisation),
                 percent(s.operators[i].walking), percent(s.operators[i].working));
    }
  }
  if (!s.fleets.empty()) {
    fmt::print(out,
               "\n  {:<16} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>14} {:>20} {:>8} "
               "{:>11}\n",
               "fleet", "vehicles", "loaded", "empty", "home", "zone", "handling", "idle", "orders",
               "order lead time [s]", "busy", "bottleneck");
    for (std::size_t i = 0; i < s.fleets.size(); ++i) {
      const FleetSummary& f = s.fleets[i];
      fmt::print(
          out, "  {:<16} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>14} {:>20} {:>8} {:>11}\n",
          scene.fleets()[i].id, scene.fleets()[i].vehicles, percent(f.fleet.loaded_travel),
          percent(f.fleet.empty_travel), percent(f.fleet.driving_home),
          percent(f.fleet.waiting_for_zone), percent(f.fleet.handling), percent(f.fleet.idle),
          with_interval(f.fleet.orders, 0), with_interval(f.order_lead_time_mean_s, 1),
          percent(f.fleet.busy), share(f.bottleneck_share));
    }
  }
  if (!s.conveyors.empty()) {
    fmt::print(out, "\n  {:<16} {:>18} {:>8}\n", "conveyor", "mean occupancy", "stopped");
    for (std::size_t i = 0; i < s.conveyors.size(); ++i) {
      fmt::print(out, "  {:<16} {:>18} {:>8}\n", scene.element(scene.conveyors()[i]).id,
                 with_interval(s.conveyors[i].occupancy_mean, 2), percent(s.conveyors[i].stopped));
    }
  }
  if (std::isfinite(s.scrap_rate.mean) && s.scrap_rate.mean > 0.0) {
    fmt::print(out, "\n  scrap rate {} of the parts finished\n", percent(s.scrap_rate));
  }
  if (!s.buffers.empty()) {
    fmt::print(out, "\n  {:<16} {:>10} {:>18} {:>5}\n", "buffer", "capacity", "mean occupancy",
               "max");
    for (std::size_t i = 0; i < s.buffers.size(); ++i) {
      const Element& e = scene.element(scene.buffers()[i]);
      fmt::print(out, "  {:<16} {:>10} {:>18} {:>5}\n", e.id, capacity_text(scene.buffer_spec(e)),
                 with_interval(s.buffers[i].occupancy_mean, 2),
                 s.buffers[i].occupancy_max ? std::to_string(*s.buffers[i].occupancy_max) : "-");
    }
  }
  for (std::size_t i = 0; i < s.sources.size(); ++i) {
    const std::string& id = scene.element(scene.sources()[i]).id;
    if (s.sources[i].lost.mean > 0.0) {
      fmt::print(out, "\n  source {} lost {} of its arrivals\n", id,
                 percent(s.sources[i].loss_probability));
    }
    // A waiting arrival holds up the arrival process: the line saw fewer parts than offered.
    if (s.sources[i].blocked.mean > 0.0) {
      fmt::print(out, "\n  source {} was blocked {} of the time (arrivals waiting for room)\n", id,
                 percent(s.sources[i].blocked));
    }
  }
}

}  // namespace linetwin
