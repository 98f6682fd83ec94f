// The report of a live session: the twins' report (twin_report.hpp, schema linetwin.twins/1),
// whose "ingestion" object gains what only a live feed has: messages and bytes received,
// malformed messages by fault kind, connections and reconnects, the receive rate and the age of
// each sample when applied (negative ages, clocks ahead of ours, counted apart). Every other field
// is the replay report's, so that a live session and a replay of the same telemetry compare key by
// key (docs/live-telemetry.md lists the fields).
#pragma once

#include <iosfwd>
#include <string>

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

}  // namespace linetwin
