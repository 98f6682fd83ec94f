#include "live/mqtt_live_report.hpp"

#include <cmath>
#include <ostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/duration.hpp"
#include "core/timestamp.hpp"
#include "io/json_values.hpp"

namespace linetwin {
namespace {

using json_values::number;
using json_values::time_or_null;

using nlohmann::ordered_json;

}  // namespace

void write_live_json(std::ostream& out, const LiveReport& report) {
  // The twins' report is written by its own writer and extended here, so that the two stay one
  // schema however it evolves.
  std::ostringstream twins_text;
  write_twins_json(twins_text, report.twins);
  ordered_json j = ordered_json::parse(twins_text.str());

  const MqttFeedStats& s = report.feed;
  const MqttCounters& c = report.connection;
  ordered_json faults = ordered_json::object();
  for (int f = 1; f < kMessageFaultCount; ++f) {
    faults[std::string(message_fault_name(static_cast<MessageFault>(f)))] =
        s.faults[static_cast<std::size_t>(f)];
  }
  const double span_s = s.first_message_us == kNoTime
                            ? 0.0
                            : static_cast<double>(s.last_message_us - s.first_message_us) * 1e-6;
  // Per sample applied; a negative age (a clock ahead of ours) is counted and shown, not hidden.
  ordered_json age;
  age["count"] = s.age_s.count();
  age["p50"] = number(s.age_s.quantile(0.50));
  age["p99"] = number(s.age_s.quantile(0.99));
  age["max"] = number(s.age_s.max());
  age["negative_ages"] = s.age_s.negative_count();
  age["min"] = number(s.age_s.min());

  ordered_json& ingestion = j["ingestion"];
  ingestion["broker"] = fmt::format("{}:{}", report.options.host, report.options.port);
  ingestion["topic_filter"] = report.options.topic_prefix + "/#";
  ingestion["qos"] = report.options.qos;
  ingestion["count_only"] = report.count_only;
  ingestion["messages"] = s.messages;
  ingestion["payload_bytes"] = s.payload_bytes;
  ingestion["faulty_messages"] = s.faulty_messages;
  ingestion["faults"] = faults;
  ingestion["decoded_samples"] = s.samples;
  ingestion["connects"] = c.connects;
  ingestion["reconnects"] = c.connects > 0 ? c.connects - 1 : 0;
  ingestion["disconnects"] = c.disconnects;
  ingestion["failed_connection_attempts"] = c.failed_attempts;
  ingestion["first_message"] = time_or_null(s.first_message_us);
  ingestion["last_message"] = time_or_null(s.last_message_us);
  ingestion["receive_span_s"] = span_s;
  const auto rate = [&](std::uint64_t count) {
    return span_s > 0.0 ? number(static_cast<double>(count) / span_s) : ordered_json(nullptr);
  };
  ingestion["messages_per_s"] = rate(s.messages);
  ingestion["samples_per_s"] = rate(s.samples);
  ingestion["sample_age_s"] = age;
  out << j.dump(2) << '\n';
}

SampleAges summarize_ages(const QuantileHistogram& ages) {
  SampleAges summary;
  summary.samples = ages.count();
  if (summary.samples == 0) return summary;
  summary.p50_s = ages.quantile(0.50);
  summary.p99_s = ages.quantile(0.99);
  summary.ahead = ages.negative_count();
  if (summary.ahead > 0) summary.ahead_by_s = -ages.min();
  return summary;
}

namespace {

std::string describe_age(double seconds) {
  const double magnitude = std::fabs(seconds);
  if (magnitude < 1.0) return fmt::format("{:.1f} ms", seconds * 1e3);
  if (magnitude < 2 * 86400.0) return format_duration(seconds);
  return fmt::format("{:.0f} d", seconds / 86400.0);
}

}  // namespace

std::string describe_ages(const SampleAges& ages) {
  if (ages.samples == 0) return "-";
  std::string text =
      fmt::format("p50 {}, p99 {}", describe_age(ages.p50_s), describe_age(ages.p99_s));
  if (ages.ahead > 0) {
    text += fmt::format(", {} ahead of our clock (by up to {})", ages.ahead,
                        describe_age(ages.ahead_by_s));
  }
  if (std::fabs(ages.p50_s) >= 3600.0) text += " (old timestamps, or clocks apart)";
  return text;
}

}  // namespace linetwin
