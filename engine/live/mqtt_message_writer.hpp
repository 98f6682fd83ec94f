// Writes telemetry samples as linetwin JSON messages (docs/telemetry-messages.md), the payloads
// a machine or gateway publishes to PREFIX/<machine id>: the inverse of MessageDecoder for
// linetwin's own format. The publisher tool (tools/telemetry_publisher) sends recorded logs and
// benchmark load with it, and tests round-trip samples through it and the decoder.
//
//   one sample:  {"machine":"OP10","ts":1709532432250.125,"seq":4,"state":"down","reason":"jam"}
//   a batch:     {"machine":"OP10","samples":[{"ts":...,"seq":5,"counter":"good","value":17},...]}
//
// Timestamps are written as epoch milliseconds with the microseconds as a fraction (the decoder
// reads the number's text, so no precision is lost), and values in the shortest form that reads
// back to the same double, so that decode(write(sample)) == sample bit for bit. Machine ids and
// names are JSON-escaped once, when first used, and then copied: writing allocates nothing once
// the output string has grown to its working size.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

class MqttMessageWriter {
 public:
  // `names` resolves the samples' machine and name indices; it must outlive the writer and may
  // grow meanwhile.
  explicit MqttMessageWriter(const TelemetryNames& names) : names_(names) {}

  // Replaces `out` with a message holding one sample.
  void write_sample(const TelemetrySample& sample, std::string& out);
  // Replaces `out` with a batch message. When every sample is of the same machine, its id is
  // written once, at the top; otherwise each sample names its own machine (a gateway's batch).
  // `samples` must not be empty.
  void write_batch(std::span<const TelemetrySample> samples, std::string& out);

  // PREFIX/<machine id>, the topic a machine's messages go to.
  std::string topic(std::string_view prefix, std::uint32_t machine) const;

 private:
  const std::string& quoted_machine(std::uint32_t machine);
  const std::string& quoted_name(std::uint16_t name);
  void append_fields(const TelemetrySample& sample, std::string& out);

  const TelemetryNames& names_;
  std::vector<std::string> machines_;  // JSON string literals, quotes included; "" until used
  std::vector<std::string> names_json_;
};

}  // namespace linetwin
