// linetwin's own JSON telemetry messages: one sample {"machine":"OP10","ts":..,"state":"down",
// "reason":"jam"}, or a batch {"machine":"OP10","samples":[{..},{..}]} (schema in
// docs/telemetry-messages.md). MessageDecoder hands this decoder the top-level fields that are
// linetwin's, then asks it to finish once the whole message is read.
//
// JSON objects are unordered, so a batch's "machine" may come after its "samples": samples without
// their own machine are appended unresolved and given the batch's (or the topic's) when the
// message is complete, instead of reading the message twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "telemetry/json_field_readers.hpp"
#include "telemetry/machine_state.hpp"
#include "telemetry/message_samples.hpp"

namespace linetwin::decoding {

class LinetwinJsonDecoder {
 public:
  LinetwinJsonDecoder(FieldReader& reader, MessageSamples& samples)
      : reader_(reader), samples_(samples) {}

  void start() {
    top_ = {};
    unresolved_machines_ = 0;
  }
  // Reads a top-level field when it is one of linetwin's (`taken`); false on a fault.
  bool read_top_field(std::string_view key, od::value& value, bool& taken) {
    if (key == "samples") {
      taken = true;
      return reader_.once(top_.seen, kFieldSamples, key) && read_batch(value);
    }
    return read_sample_field(key, value, top_, taken);
  }
  // After the whole message: a single sample is complete, a batch has no sample's fields, and
  // every sample has its machine.
  bool finish();

  // The fields of a sample or a batch, one bit each.
  enum SampleField : unsigned {
    kFieldMachine = 1U << 0,
    kFieldTs = 1U << 1,
    kFieldSeq = 1U << 2,
    kFieldState = 1U << 3,
    kFieldReason = 1U << 4,
    kFieldCounter = 1U << 5,
    kFieldSensor = 1U << 6,
    kFieldValue = 1U << 7,
    kFieldSamples = 1U << 8,
  };

  // The fields of one sample (or of a batch's header), as read so far.
  struct Sample {
    unsigned seen = 0;  // SampleField bits
    std::string_view machine;
    std::int64_t timestamp_us = 0;
    std::uint64_t sequence = 0;
    MachineState state = MachineState::kUnknown;
    std::string_view reason;
    std::string_view counter;
    std::string_view sensor;
    double value = 0.0;
  };

 private:
  bool read_sample_field(std::string_view key, od::value& value, Sample& sample, bool& taken);
  bool read_batch(od::value& value);
  bool read_batch_sample(od::value& item);
  bool append_sample(const Sample& sample);
  bool resolve_default_machine();

  FieldReader& reader_;
  MessageSamples& samples_;
  Sample top_;  // the message's own fields: a single sample, or a batch's header
  std::size_t unresolved_machines_ = 0;
};

}  // namespace linetwin::decoding
