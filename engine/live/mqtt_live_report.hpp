// The report of a live session: the twins' report (twin_report.hpp, schema linetwin.twins/1),
// whose "ingestion" object gains what only a live feed has: messages and bytes received,
// malformed messages by fault kind, connections and reconnects, the receive rate and the age of
// each sample when applied (negative ages, clocks ahead of ours, counted apart). Every other field
// is the replay report's, so that a live session and a replay of the same telemetry compare key by
// key (docs/live-telemetry.md lists the fields).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>

#include "core/quantile_histogram.hpp"
#include "live/mqtt_subscriber.hpp"
#include "live/mqtt_twin_feed.hpp"
#include "telemetry/twin_report.hpp"

namespace linetwin {

struct LiveReport {
  TwinReport twins;  // source: mqtt://HOST:PORT/PREFIX/#, source_format: mqtt
  const MqttFeedStats& feed;
  const MqttCounters& connection;
  const MqttOptions& options;
  bool count_only = false;  // messages were only counted, not decoded
};

void write_live_json(std::ostream& out, const LiveReport& report);

// The ages of the samples applied so far (MqttFeedStats::age_s), as the status line of
// `linetwin live` and the viewer's live controls show them. Reading quantiles costs a few
// microseconds: a display reads them a few times a second, not every frame.
struct SampleAges {
  std::uint64_t samples = 0;
  double p50_s = std::numeric_limits<double>::quiet_NaN();
  double p99_s = std::numeric_limits<double>::quiet_NaN();
  std::uint64_t ahead = 0;  // stamped ahead of our clock: negative ages, kept as they are
  double ahead_by_s = std::numeric_limits<double>::quiet_NaN();  // how far the furthest was
};

SampleAges summarize_ages(const QuantileHistogram& ages);
// "p50 20.0 ms, p99 500.0 ms, 3 ahead of our clock (by up to 2.5s)", "-" before any sample;
// milliseconds for a delay, days for old telemetry, which it says may be clocks apart.
std::string describe_ages(const SampleAges& ages);

}  // namespace linetwin
