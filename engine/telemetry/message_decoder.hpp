// The telemetry message decoder: turns one MQTT payload into TelemetrySamples, fast enough for a
// plant of thousands of machines on one core, and robust against anything a network can deliver.
//
// Two formats are accepted, told apart by their fields (docs/telemetry-messages.md has the schema
// tables, examples and the fault table):
//  - linetwin's own JSON: one sample {"machine":"OP10","ts":...,"state":"down","reason":"jam"},
//    or a batch {"machine":"OP10","samples":[{...},{...}]};
//  - OPC UA PubSub JSON NetworkMessages (OPC 10000-14, 7.2.5 JSON message mapping), whose
//    DataSetMessages carry several fields each, so that one message yields several samples.
//
// MessageDecoder tells the formats apart and hands each top-level field to its format's decoder
// (linetwin_json_decoder.hpp, opcua_pubsub_decoder.hpp), both over the same field readers
// (json_field_readers.hpp). Decoding uses simdjson's On-Demand API: one parser and one padded
// input buffer per decoder, reused for every message, no DOM and no allocation per message once
// the names are known. A message is decoded all-or-nothing: a fault appends no sample and interns
// no name, and is reported as a MessageFault with the JSON path of the offending field, never
// thrown, because a live loop counts bad messages and carries on.
//
// Machines are fixed by the scene: the decoder looks machine ids up in TelemetryNames and never
// adds one. Counter, sensor and reason names are interned (at most 65,536 names in all).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/machine_state.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

struct DecoderLimits {
  // Checked before parsing: a payload longer than this is refused unread.
  std::size_t max_payload_bytes = 256 * 1024;
  std::size_t max_samples_per_message = 10000;
};

enum class MessageFault : std::uint8_t {
  kNone,
  kOversized,       // payload over max_payload_bytes, or more than max_samples_per_message
  kSyntax,          // not JSON, whatever else is wrong; duplicate fields, nesting over 64 levels
  kWrongType,       // JSON of the wrong type (the message, a field), out of range, or conflicting
  kMissingField,    // a required field is absent
  kUnknownMachine,  // the machine id is not an element of the scene
  kBadTimestamp,    // not an ISO 8601 time with a zone or epoch milliseconds, or out of range
  kBadState,        // not a linetwin or PackML state name
  kTooManyNames,    // the message needs a new name and the table of 65,536 names is full
};
inline constexpr int kMessageFaultCount = 9;

// "none", "oversized", "syntax", "wrong_type", "missing_field", "unknown_machine",
// "bad_timestamp", "bad_state", "too_many_names": the names used in reports and counters.
std::string_view message_fault_name(MessageFault fault);

struct DecodeResult {
  MessageFault fault = MessageFault::kNone;
  std::string detail;       // JSON path + what was found and expected; empty when ok
  std::size_t samples = 0;  // samples appended
};

// The state a machine reports, by linetwin name ("producing", "down", ...) or PackML state name
// ("Execute", "Held", ...; table in docs/telemetry-messages.md); nullopt for any other text.
std::optional<MachineState> parse_reported_state(std::string_view name);

class MessageDecoder {  // one per thread; reuses its simdjson parser and buffers
 public:
  explicit MessageDecoder(TelemetryNames& names, DecoderLimits limits = {});
  ~MessageDecoder();
  MessageDecoder(const MessageDecoder&) = delete;
  MessageDecoder& operator=(const MessageDecoder&) = delete;

  // Appends the samples of one MQTT message (linetwin JSON, single or batch, or an OPC UA PubSub
  // JSON NetworkMessage) to `out`. The machine id comes from the payload, or else from the last
  // topic level. Unknown machine ids are a fault (machines are fixed by the scene). A faulty
  // message appends nothing (all-or-nothing).
  DecodeResult decode(std::string_view topic, std::string_view payload,
                      std::vector<TelemetrySample>& out);

  const DecoderLimits& limits() const;

 private:
  // simdjson stays out of this header: it is large, and the engine links it privately.
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace linetwin
