#include "telemetry/twin_report.hpp"

#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "core/duration.hpp"
#include "core/timestamp.hpp"
#include "io/json_values.hpp"
#include "linetwin_version.hpp"

namespace linetwin {

namespace {

using json_values::number;
using json_values::time_or_null;

using nlohmann::ordered_json;

// The twins a report lists: every station of the scene, then every other element that sent
// anything (a buffer or conveyor that reports its state).
std::vector<std::uint32_t> reported_machines(const LineTwins& twins) {
  std::vector<std::uint32_t> machines;
  for (const ElementIndex e : twins.scene().stations())
    machines.push_back(e);
  for (std::uint32_t m = 0; m < twins.size(); ++m) {
    const bool station = twins.scene().element(m).type == ElementType::kStation;
    if (!station && twins.twin(m).last_message_us() != kNoTime) machines.push_back(m);
  }
  return machines;
}

const std::string& name_of(const LineTwins& twins, std::uint16_t name) {
  return twins.names().names()[name];
}

}  // namespace

void write_twins_json(std::ostream& out, const TwinReport& report) {
  const LineTwins& twins = report.twins;
  const Scene& scene = twins.scene();
  ordered_json j;
  j["schema"] = kTwinsSchema;
  j["linetwin_version"] = kLinetwinVersion;
  j["scene"] = scene.source_file();
  j["scene_name"] = scene.name();
  j["source"] = report.source;
  j["source_format"] = report.source_format;
  j["observed_from"] = time_or_null(twins.observed_from_us());
  j["observed_until"] = time_or_null(twins.observed_until_us());
  j["observed_s"] =
      twins.observed_from_us() == kNoTime
          ? 0.0
          : static_cast<double>(twins.observed_until_us() - twins.observed_from_us()) / 1e6;
  const IngestCounts& c = twins.counts();
  ordered_json ingestion;
  ingestion["samples"] = c.samples;
  ingestion["applied"] = c.applied;
  ingestion["duplicates"] = c.duplicates;
  ingestion["out_of_order"] = c.out_of_order;
  ingestion["unknown_machine"] = c.unknown_machine;
  ingestion["unknown_machines"] = report.unknown_machines;
  j["ingestion"] = ingestion;

  ordered_json stations = ordered_json::array();
  ordered_json others = ordered_json::array();
  for (const std::uint32_t m : reported_machines(twins)) {
    const Element& e = scene.element(m);
    const MachineTwin& twin = twins.twin(m);
    const TwinKpis k = twins.kpis(m);
    const StationResult& st = k.station;
    ordered_json row;
    row["id"] = e.id;
    if (e.type == ElementType::kStation) {
      row["servers"] = scene.station_spec(e).servers;
    } else {
      row["type"] = std::string(to_string(e.type));
    }
    row["state"] = std::string(machine_state_name(twin.state()));
    row["reason"] = name_of(twins, twin.reason());
    row["state_since"] = time_or_null(twin.state_since_us());
    row["working"] = number(st.working);
    row["setup"] = number(st.setup);
    row["waiting_operator"] = number(st.waiting_operator);
    row["starved"] = number(st.starved);
    row["blocked"] = number(st.blocked);
    row["down"] = number(st.down);
    row["off_shift"] = number(st.off_shift);
    row["unknown"] = number(k.unknown);
    row["parts_processed"] = st.parts_processed;
    row["parts_good"] = st.parts_good;
    row["parts_scrapped"] = st.parts_scrapped;
    row["parts_reworked"] = st.parts_reworked;
    row["failures"] = st.failures;
    row["setups"] = st.setups;
    ordered_json oee;
    oee["availability"] = number(st.oee.availability);
    oee["performance"] = number(st.oee.performance);
    oee["quality"] = number(st.oee.quality);
    oee["oee"] = number(st.oee.oee);
    row["oee"] = oee;
    row["active_period_mean_s"] = number(st.active_period_mean_s);
    row["active_periods"] = st.active_periods;
    row["throughput_per_hour"] = number(k.throughput_per_hour);
    row["cycle_time_mean_s"] = number(k.cycle_time_mean_s);
    row["last_cycle_s"] = number(k.last_cycle_s);
    row["ideal_cycle_s"] = number(k.ideal_cycle_s);
    row["reports_parts"] = twin.reports_parts();
    ordered_json counters = ordered_json::object();
    for (const MachineTwin::Counter& counter : twin.counters()) {
      ordered_json value;
      value["reading"] = counter.reading;
      value["counted"] = counter.total;
      value["resets"] = counter.resets;
      counters[name_of(twins, counter.name)] = value;
    }
    row["counters"] = counters;
    ordered_json sensors = ordered_json::object();
    for (const MachineTwin::Sensor& sensor : twin.sensors()) {
      ordered_json value;
      value["value"] = sensor.value;
      value["at"] = time_or_null(sensor.timestamp_us);
      sensors[name_of(twins, sensor.channel)] = value;
    }
    row["sensors"] = sensors;
    row["last_message"] = time_or_null(twin.last_message_us());
    row["samples_applied"] = twin.applied();
    row["duplicates"] = twin.duplicates();
    row["out_of_order"] = twin.out_of_order();
    (e.type == ElementType::kStation ? stations : others).push_back(row);
  }
  j["stations"] = stations;
  j["other_elements"] = others;
  out << j.dump(2) << '\n';
}

namespace {
std::string csv_number(double value) {
  return std::isfinite(value) ? fmt::format("{}", value) : std::string();
}
}  // namespace

void write_twins_csv(std::ostream& out, const TwinReport& report) {
  const LineTwins& twins = report.twins;
  // Ids are restricted to [A-Za-z0-9_.-], so no field needs quoting.
  out << "section,id,kpi,value\n";
  const IngestCounts& c = twins.counts();
  fmt::print(out, "ingestion,,samples,{}\n", c.samples);
  fmt::print(out, "ingestion,,applied,{}\n", c.applied);
  fmt::print(out, "ingestion,,duplicates,{}\n", c.duplicates);
  fmt::print(out, "ingestion,,out_of_order,{}\n", c.out_of_order);
  fmt::print(out, "ingestion,,unknown_machine,{}\n", c.unknown_machine);
  for (const std::uint32_t m : reported_machines(twins)) {
    const Element& e = twins.scene().element(m);
    const TwinKpis k = twins.kpis(m);
    const StationResult& st = k.station;
    const std::string section =
        e.type == ElementType::kStation ? "station" : std::string(to_string(e.type));
    auto row = [&](std::string_view kpi, double value) {
      fmt::print(out, "{},{},{},{}\n", section, e.id, kpi, csv_number(value));
    };
    row("observed_s", k.observed_s);
    row("working", st.working);
    row("setup", st.setup);
    row("waiting_operator", st.waiting_operator);
    row("starved", st.starved);
    row("blocked", st.blocked);
    row("down", st.down);
    row("off_shift", st.off_shift);
    row("unknown", k.unknown);
    row("parts_processed", static_cast<double>(st.parts_processed));
    row("parts_good", static_cast<double>(st.parts_good));
    row("parts_scrapped", static_cast<double>(st.parts_scrapped));
    row("failures", static_cast<double>(st.failures));
    row("setups", static_cast<double>(st.setups));
    row("availability", st.oee.availability);
    row("performance", st.oee.performance);
    row("quality", st.oee.quality);
    row("oee", st.oee.oee);
    row("active_period_mean_s", st.active_period_mean_s);
    row("throughput_per_hour", k.throughput_per_hour);
    row("cycle_time_mean_s", k.cycle_time_mean_s);
  }
}

namespace {
std::string percent(double share) {
  return std::isfinite(share) ? fmt::format("{:.1f}%", share * 100.0) : std::string("-");
}
std::string fixed(double value, int decimals) {
  return std::isfinite(value) ? fmt::format("{:.{}f}", value, decimals) : std::string("-");
}
}  // namespace

void write_twins_table(std::ostream& out, const TwinReport& report) {
  const LineTwins& twins = report.twins;
  fmt::print(out, "{} — twins fed from {} ({})\n", twins.scene().name(), report.source,
             report.source_format);
  if (twins.observed_from_us() == kNoTime) {
    fmt::print(out, "no samples: nothing observed\n");
  } else {
    const double observed_s =
        static_cast<double>(twins.observed_until_us() - twins.observed_from_us()) / 1e6;
    fmt::print(out, "observed {} to {} ({})\n", format_timestamp_iso(twins.observed_from_us()),
               format_timestamp_iso(twins.observed_until_us()), format_duration(observed_s));
  }
  const IngestCounts& c = twins.counts();
  fmt::print(out,
             "samples {}: {} applied, {} duplicates, {} out of order, {} for unknown machines{}\n",
             c.samples, c.applied, c.duplicates, c.out_of_order, c.unknown_machine,
             report.unknown_machines.empty()
                 ? std::string()
                 : fmt::format(" ({})", fmt::join(report.unknown_machines, ", ")));

  fmt::print(
      out,
      "\n  {:<16} {:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>7} {:>6} {:>8} {:>9}\n",
      "machine", "state", "working", "setup", "starved", "blocked", "down", "off", "unknown", "OEE",
      "good", "scrap", "parts/h", "cycle [s]");
  for (const std::uint32_t m : reported_machines(twins)) {
    const MachineTwin& twin = twins.twin(m);
    const TwinKpis k = twins.kpis(m);
    const StationResult& st = k.station;
    std::string state(machine_state_name(twin.state()));
    if (twin.reason() != 0) state += " (" + name_of(twins, twin.reason()) + ")";
    const bool counted = twin.reports_parts();
    fmt::print(
        out,
        "  {:<16} {:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>6} {:>7} {:>6} {:>8} {:>9}\n",
        twins.scene().element(m).id, state, percent(st.working), percent(st.setup),
        percent(st.starved), percent(st.blocked), percent(st.down), percent(st.off_shift),
        percent(k.unknown), percent(st.oee.oee), counted ? std::to_string(st.parts_good) : "-",
        counted ? std::to_string(st.parts_scrapped) : "-", fixed(k.throughput_per_hour, 2),
        fixed(k.cycle_time_mean_s, 1));
  }
  fmt::print(out,
             "\n  OEE = availability x performance x quality, with the simulator's definitions "
             "(docs/twins.md);\n  '-' where the machine reported no part counter.\n");
}

}  // namespace linetwin
