// linetwin's JSON schema, field by field: which fields a sample has, which go together, and where
// a sample's machine comes from.
#include "telemetry/linetwin_json_decoder.hpp"

#include <array>
#include <bit>

#include <fmt/format.h>

#include "core/timestamp.hpp"

namespace linetwin::decoding {

namespace {

// SampleField by bit number, to name the field that a fault is about.
constexpr std::array<std::string_view, 9> kSampleFieldNames{
    "machine", "ts", "seq", "state", "reason", "counter", "sensor", "value", "samples"};

}  // namespace

bool LinetwinJsonDecoder::read_sample_field(std::string_view key, od::value& value, Sample& sample,
                                            bool& taken) {
  taken = true;
  if (key == "ts") {
    return reader_.once(sample.seen, kFieldTs, key) &&
           reader_.read_timestamp(value, key, sample.timestamp_us);
  }
  if (key == "machine") {
    return reader_.once(sample.seen, kFieldMachine, key) &&
           reader_.read_string(value, key, "a machine id (a string)", sample.machine);
  }
  if (key == "seq") {
    return reader_.once(sample.seen, kFieldSeq, key) &&
           reader_.read_unsigned(value, key, "a sequence number (an unsigned integer)",
                                 sample.sequence);
  }
  if (key == "value") {
    return reader_.once(sample.seen, kFieldValue, key) &&
           reader_.read_finite(value, key, "a number", sample.value);
  }
  if (key == "state") {
    std::string_view text;
    return reader_.once(sample.seen, kFieldState, key) &&
           reader_.read_string(value, key, "a state name (a string)", text) &&
           reader_.read_state(text, key, sample.state);
  }
  if (key == "counter") {
    return reader_.once(sample.seen, kFieldCounter, key) &&
           reader_.read_string(value, key, "a counter name (a string)", sample.counter);
  }
  if (key == "sensor") {
    return reader_.once(sample.seen, kFieldSensor, key) &&
           reader_.read_string(value, key, "a sensor channel name (a string)", sample.sensor);
  }
  if (key == "reason") {
    return reader_.once(sample.seen, kFieldReason, key) &&
           reader_.read_string(value, key, "a reason (a string)", sample.reason);
  }
  taken = false;
  return true;
}

bool LinetwinJsonDecoder::read_batch(od::value& value) {
  return reader_.read_array(value, "samples", "an array of samples",
                            [this](od::value& item) { return read_batch_sample(item); });
}

bool LinetwinJsonDecoder::read_batch_sample(od::value& item) {
  Sample sample;
  const auto read_field = [&](std::string_view key, od::value& field) {
    bool taken = false;
    if (!read_sample_field(key, field, sample, taken)) return false;
    if (taken) return true;
    if (key == "samples") {
      return reader_.fail(MessageFault::kWrongType, key, "a sample cannot hold a batch");
    }
    return reader_.skip_value(field, key);
  };
  return reader_.read_object(item, "a sample (an object)", read_field) && append_sample(sample);
}

// Checks that the fields of one sample go together, and appends it.
bool LinetwinJsonDecoder::append_sample(const Sample& sample) {
  const unsigned kinds = sample.seen & (kFieldState | kFieldCounter | kFieldSensor);
  if (kinds == 0) {
    return reader_.fail(MessageFault::kMissingField, "",
                        "expected one of 'state', 'counter' or 'sensor'");
  }
  if ((kinds & (kinds - 1)) != 0) {
    return reader_.fail(
        MessageFault::kWrongType, "",
        "a sample has exactly one of 'state', 'counter' and 'sensor', found several");
  }
  if ((sample.seen & kFieldTs) == 0) {
    return reader_.fail(MessageFault::kMissingField, "ts",
                        fmt::format("missing; expected the sample's time: {}", kTimestampSyntax));
  }
  TelemetrySample out;
  out.timestamp_us = sample.timestamp_us;
  out.sequence = sample.sequence;
  NameRef name;
  if (kinds == kFieldState) {
    if ((sample.seen & kFieldValue) != 0) {
      return reader_.fail(MessageFault::kWrongType, "value", "a state sample has no value");
    }
    out.kind = SampleKind::kState;
    out.state = sample.state;
    if (!samples_.name_ref(sample.reason, "reason", true, name)) return false;
  } else {
    if ((sample.seen & kFieldReason) != 0) {
      return reader_.fail(MessageFault::kWrongType, "reason", "only a state sample has a reason");
    }
    const bool counter = kinds == kFieldCounter;
    if ((sample.seen & kFieldValue) == 0) {
      return reader_.fail(MessageFault::kMissingField, "value",
                          counter ? "missing; expected the counter's reading (a number)"
                                  : "missing; expected the sensor's value (a number)");
    }
    if (counter && !reader_.check_counter_reading(sample.value, "value")) return false;
    out.kind = counter ? SampleKind::kCounter : SampleKind::kSensor;
    out.value = sample.value;
    if (!samples_.name_ref(counter ? sample.counter : sample.sensor, counter ? "counter" : "sensor",
                           false, name))
      return false;
  }
  if ((sample.seen & kFieldMachine) != 0) {
    const auto machine = samples_.find_machine(sample.machine);
    if (!machine) return samples_.unknown_machine("machine", sample.machine);
    out.machine = *machine;
  } else {
    out.machine = kUnresolvedMachine;
    ++unresolved_machines_;
  }
  return samples_.append(out, name);
}

bool LinetwinJsonDecoder::finish() {
  if ((top_.seen & kFieldSamples) != 0) {
    const unsigned extra = top_.seen & ~(kFieldMachine | kFieldSamples);
    if (extra != 0) {
      const auto first = static_cast<std::size_t>(std::countr_zero(extra));
      return reader_.fail(
          MessageFault::kWrongType, kSampleFieldNames[first],
          "a batch has only 'machine' and 'samples'; this field belongs in each sample");
    }
    if ((top_.seen & kFieldMachine) != 0 && !samples_.find_machine(top_.machine)) {
      return samples_.unknown_machine("machine", top_.machine);
    }
  } else if (!append_sample(top_)) {
    return false;
  }
  return resolve_default_machine();
}

// Samples without their own "machine" belong to the batch's, or else to the topic's last level.
bool LinetwinJsonDecoder::resolve_default_machine() {
  if (unresolved_machines_ == 0) return true;
  std::uint32_t machine = 0;
  if ((top_.seen & kFieldMachine) != 0) {
    const auto found = samples_.find_machine(top_.machine);
    if (!found) return samples_.unknown_machine("machine", top_.machine);
    machine = *found;
  } else {
    const std::string_view level = samples_.topic_machine();
    if (level.empty()) {
      return reader_.fail(MessageFault::kMissingField, "machine",
                          fmt::format("missing; expected the machine id, in the message or as the "
                                      "last level of the topic (topic {})",
                                      excerpt(samples_.topic())));
    }
    const auto found = samples_.find_machine(level);
    if (!found) {
      return reader_.fail(MessageFault::kUnknownMachine, "machine",
                          fmt::format("no 'machine' field, and the topic's last level {} is not a "
                                      "machine of the scene",
                                      excerpt(level)));
    }
    machine = *found;
  }
  std::vector<TelemetrySample>& out = samples_.out();
  for (std::size_t i = samples_.begin(); i < out.size(); ++i) {
    if (out[i].machine == kUnresolvedMachine) out[i].machine = machine;
  }
  return true;
}

}  // namespace linetwin::decoding
