#include "live/mqtt_message_writer.hpp"

#include <cassert>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/timestamp.hpp"
#include "telemetry/machine_state.hpp"

namespace linetwin {
namespace {

const std::string& cached_literal(std::vector<std::string>& cache, std::size_t index,
                                  const std::string& text) {
  if (cache.size() <= index) cache.resize(index + 1);
  // nlohmann escapes quotes, backslashes and control characters; done once per name.
  if (cache[index].empty()) cache[index] = nlohmann::json(text).dump();
  return cache[index];
}

void append_timestamp(std::int64_t timestamp_us, std::string& out) {
  auto it = std::back_inserter(out);
  if (timestamp_us < 0) {  // epoch milliseconds are digits only: before 1970, ISO 8601 it is
    fmt::format_to(it, "\"{}\"", format_timestamp_iso(timestamp_us));
    return;
  }
  const std::int64_t micros = timestamp_us % 1000;
  if (micros == 0) {
    fmt::format_to(it, "{}", timestamp_us / 1000);
  } else {
    fmt::format_to(it, "{}.{:03}", timestamp_us / 1000, micros);
  }
}

}  // namespace

const std::string& MqttMessageWriter::quoted_machine(std::uint32_t machine) {
  return cached_literal(machines_, machine, names_.machines().at(machine));
}

const std::string& MqttMessageWriter::quoted_name(std::uint16_t name) {
  return cached_literal(names_json_, name, names_.names().at(name));
}

void MqttMessageWriter::append_fields(const TelemetrySample& sample, std::string& out) {
  out += "\"ts\":";
  append_timestamp(sample.timestamp_us, out);
  auto it = std::back_inserter(out);
  if (sample.sequence != 0) fmt::format_to(it, ",\"seq\":{}", sample.sequence);
  switch (sample.kind) {
    case SampleKind::kState:
      fmt::format_to(it, ",\"state\":\"{}\"", machine_state_name(sample.state));
      if (sample.name != 0) {
        out += ",\"reason\":";
        out += quoted_name(sample.name);
      }
      return;
    case SampleKind::kCounter:
      out += ",\"counter\":";
      break;
    case SampleKind::kSensor:
      out += ",\"sensor\":";
      break;
  }
  out += quoted_name(sample.name);
  // {} is the shortest text that reads back to the same double.
  fmt::format_to(std::back_inserter(out), ",\"value\":{}", sample.value);
}

void MqttMessageWriter::write_sample(const TelemetrySample& sample, std::string& out) {
  out.clear();
  out += "{\"machine\":";
  out += quoted_machine(sample.machine);
  out += ',';
  append_fields(sample, out);
  out += '}';
}

void MqttMessageWriter::write_batch(std::span<const TelemetrySample> samples, std::string& out) {
  assert(!samples.empty());
  bool one_machine = true;
  for (const TelemetrySample& sample : samples) {
    one_machine = one_machine && sample.machine == samples.front().machine;
  }
  out.clear();
  out += '{';
  if (one_machine) {
    out += "\"machine\":";
    out += quoted_machine(samples.front().machine);
    out += ',';
  }
  out += "\"samples\":[";
  for (std::size_t i = 0; i < samples.size(); ++i) {
    out += i == 0 ? "{" : ",{";
    if (!one_machine) {
      out += "\"machine\":";
      out += quoted_machine(samples[i].machine);
      out += ',';
    }
    append_fields(samples[i], out);
    out += '}';
  }
  out += "]}";
}

std::string MqttMessageWriter::topic(std::string_view prefix, std::uint32_t machine) const {
  return fmt::format("{}/{}", prefix, names_.machines().at(machine));
}

}  // namespace linetwin
