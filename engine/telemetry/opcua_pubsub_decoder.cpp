// OPC UA PubSub JSON, from the NetworkMessage down to one DataSet field's value; the tables of
// docs/telemetry-messages.md say which field means what.
#include "telemetry/opcua_pubsub_decoder.hpp"

#include <utility>

#include <fmt/format.h>

namespace linetwin::decoding {

namespace {

// The NetworkMessage header fields that are read (OPC 10000-14, 7.2.5.3).
enum NetworkField : unsigned {
  kNetworkMessages = 1U << 0,
  kNetworkMessageType = 1U << 1,
  kNetworkPublisherId = 1U << 2,
};

// The DataSet fields with a meaning; any other is a sensor channel, or ignored.
enum PayloadField : unsigned {
  kPayloadState = 1U << 0,
  kPayloadReason = 1U << 1,
  kPayloadMachineId = 1U << 2,
  kPayloadGood = 1U << 3,
  kPayloadScrap = 1U << 4,
};

unsigned payload_field_bit(std::string_view key) {
  if (key == "State") return kPayloadState;
  if (key == "StopReason") return kPayloadReason;
  if (key == "MachineId") return kPayloadMachineId;
  if (key == "GoodParts") return kPayloadGood;
  if (key == "ScrapParts") return kPayloadScrap;
  return 0;
}

// "Value.Body" etc.: the wrappers a reading passed through, for fault paths.
std::string wrapper_path(const OpcuaPubsubDecoder::FieldReading& reading, std::string_view key,
                         int depth = -1) {
  std::string leaf;
  for (int i = 0; i < (depth < 0 ? reading.wrapper_count : depth); ++i) {
    if (!leaf.empty()) leaf += '.';
    leaf += reading.wrappers[static_cast<std::size_t>(i)];
  }
  if (!key.empty()) {
    if (!leaf.empty()) leaf += '.';
    leaf += key;
  }
  return leaf;
}

}  // namespace

bool OpcuaPubsubDecoder::read_top_field(std::string_view key, od::value& value, bool& taken) {
  taken = true;
  if (key == "Messages") {
    return reader_.once(seen_, kNetworkMessages, key) && read_data_set_messages(value);
  }
  if (key == "MessageType") {
    return reader_.once(seen_, kNetworkMessageType, key) &&
           reader_.read_string(value, key, "a string such as \"ua-data\"", message_type_);
  }
  if (key == "PublisherId") {
    return reader_.once(seen_, kNetworkPublisherId, key) &&
           reader_.read_string(value, key, "a string", publisher_id_);
  }
  if (key == "MessageId" || key == "WriterGroupName" || key == "DataSetClassId") {
    return reader_.skip_value(value, key);
  }
  taken = false;
  return true;
}

bool OpcuaPubsubDecoder::read_data_set_messages(od::value& value) {
  return reader_.read_array(value, "Messages", "an array of DataSetMessages",
                            [this](od::value& item) { return read_data_set_message(item); });
}

// One JSON DataSetMessage (OPC 10000-14, 7.2.5.4): its header, and a Payload whose fields
// become samples. A DataSetMessage without Payload is a keep-alive.
bool OpcuaPubsubDecoder::read_data_set_message(od::value& value) {
  enum : unsigned {
    kWriterId = 1U << 0,
    kWriterName = 1U << 1,
    kPublisher = 1U << 2,
    kSequence = 1U << 3,
    kTimestamp = 1U << 4,
    kStatus = 1U << 5,
    kType = 1U << 6,
    kOtherHeader = 1U << 7,
    kPayload = 1U << 8,
  };
  unsigned seen = 0;
  DataSetRecord record;
  record.message_index = reader_.path.index;
  record.begin = samples_.end();
  std::int64_t timestamp_us = kNoTimestamp;
  std::uint64_t sequence = 0;
  bool bad_status = false;
  std::string_view message_type;
  PayloadState payload;
  const auto read_header_field = [&](std::string_view key, od::value& field) {
    if (key == "Payload") return reader_.once(seen, kPayload, key) && read_payload(field, payload);
    if (key == "Timestamp") {
      return reader_.once(seen, kTimestamp, key) &&
             reader_.read_timestamp(field, key, timestamp_us);
    }
    if (key == "SequenceNumber") {
      return reader_.once(seen, kSequence, key) &&
             reader_.read_unsigned(field, key, "a sequence number (an unsigned integer)", sequence);
    }
    if (key == "DataSetWriterName") {
      return reader_.once(seen, kWriterName, key) &&
             reader_.read_string(field, key, "a string", record.writer_name);
    }
    if (key == "PublisherId") {
      return reader_.once(seen, kPublisher, key) &&
             reader_.read_string(field, key, "a string", record.publisher_id);
    }
    if (key == "Status") {
      return reader_.once(seen, kStatus, key) && reader_.read_status(field, key, bad_status);
    }
    if (key == "MessageType") {
      return reader_.once(seen, kType, key) &&
             reader_.read_string(field, key, "a string such as \"ua-keyframe\"", message_type);
    }
    if (key == "DataSetWriterId") {
      return reader_.once(seen, kWriterId, key) && reader_.skip_value(field, key);
    }
    if (key == "WriterGroupName" || key == "MetaDataVersion" || key == "MinorVersion") {
      seen |= kOtherHeader;
    }
    return reader_.skip_value(field, key);
  };
  if (!reader_.read_object(value, "a DataSetMessage (an object)", read_header_field)) return false;

  if ((seen & kPayload) == 0) {
    if (seen == 0) {
      return reader_.fail(MessageFault::kMissingField, "Payload",
                          "missing; expected a DataSetMessage with its header (DataSetWriterId, "
                          "SequenceNumber, Timestamp, ...) and a Payload, or a keep-alive");
    }
    return true;  // a keep-alive: no samples
  }
  if (bad_status) {  // the values are not to be trusted, says the publisher
    samples_.drop_from(record.begin);
    return true;
  }
  if (payload.state_sample != kNoSample && payload.has_reason) {
    reader_.path.object = "Payload";
    reader_.path.field = "StopReason";
    NameRef reason;
    if (!samples_.name_ref(payload.reason, "", true, reason)) return false;
    reader_.path.object = {};
    samples_.set_name(payload.state_sample, reason);
  }
  std::vector<TelemetrySample>& out = samples_.out();
  for (std::size_t i = record.begin; i < out.size(); ++i) {
    TelemetrySample& sample = out[i];
    if (sample.timestamp_us == kNoTimestamp) {
      if (timestamp_us == kNoTimestamp) {
        return reader_.fail(MessageFault::kMissingField, "Timestamp",
                            "missing; expected the DataSetMessage's Timestamp, or a "
                            "SourceTimestamp on every field");
      }
      sample.timestamp_us = timestamp_us;
    }
    sample.sequence = sequence;
  }
  record.end = out.size();
  record.has_machine_id = payload.has_machine_id;
  record.machine_id = payload.machine_id;
  if (record.end > record.begin) data_sets_.push_back(record);
  return true;
}

// The DataSet fields: State, StopReason, MachineId, GoodParts and ScrapParts have a meaning;
// any other field with a number (or a boolean) is a sensor channel of that name, and fields
// of other types (strings, arrays, structures) are not telemetry the twin follows.
bool OpcuaPubsubDecoder::read_payload(od::value& value, PayloadState& payload) {
  od::object object;
  if (const error_code error = value.get_object().get(object)) {
    return reader_.value_error(error, value, "Payload", "an object of DataSet fields");
  }
  reader_.path.object = "Payload";
  const bool read = reader_.for_each_field(object, "", [&](std::string_view key, od::value& field) {
    reader_.path.field = key;
    const unsigned bit = payload_field_bit(key);
    if (bit != 0 && (payload.seen & bit) != 0) return reader_.duplicate("");
    payload.seen |= bit;
    FieldReading reading;
    return read_field(field, reading, 0) &&
           (reading.bad_status || use_field(key, bit, reading, payload));
  });
  if (!read) return false;
  reader_.path.object = {};
  return true;
}

bool OpcuaPubsubDecoder::read_field(od::value& value, FieldReading& reading, int depth) {
  using Kind = FieldReading::Kind;
  const auto leaf = [&reading](std::string_view key) { return wrapper_path(reading, key); };
  od::json_type type{};
  if (const error_code error = value.type().get(type)) return reader_.syntax(error, leaf(""));
  reading.value_depth = reading.wrapper_count;
  switch (type) {
    case od::json_type::string:
      if (const error_code error = value.get_string().get(reading.text)) {
        return reader_.syntax(error, leaf(""));
      }
      reading.kind = Kind::kString;
      return true;
    case od::json_type::number:
      reading.text = trim_trailing_space(value.raw_json_token());
      if (const error_code error = value.get_double().get(reading.number)) {
        return reader_.value_error(error, value, leaf(""), "a number");
      }
      reading.kind = Kind::kNumber;
      return true;
    case od::json_type::boolean:
      if (const error_code error = value.get_bool().get(reading.boolean)) {
        return reader_.syntax(error, leaf(""));
      }
      reading.kind = Kind::kBoolean;
      return true;
    case od::json_type::null:
      reading.kind = Kind::kNull;
      return reader_.skip_value(value, leaf(""));
    case od::json_type::array:
      reading.kind = Kind::kOther;
      return reader_.skip_value(value, leaf(""));
    case od::json_type::object:
      break;
  }
  if (depth >= kMaxWrapperDepth) {
    reading.kind = Kind::kOther;
    return reader_.skip_value(value, leaf(""));
  }
  od::object object;
  if (const error_code error = value.get_object().get(object)) {
    return reader_.syntax(error, leaf(""));
  }
  bool wrapped = false;
  bool has_dimensions = false;
  bool other_fields = false;  // a structure, not a Variant or DataValue
  const bool read =
      reader_.for_each_field(object, leaf(""), [&](std::string_view key, od::value& field) {
        if (key == "Value" || key == "Body" || key == "Text") {
          if (wrapped) {
            return reader_.fail(
                MessageFault::kSyntax, leaf(key),
                "duplicate value; a Variant or DataValue holds one (Value, Body or Text)");
          }
          wrapped = true;
          reading.wrappers[static_cast<std::size_t>(reading.wrapper_count++)] = key;
          if (!read_field(field, reading, depth + 1)) return false;
          --reading.wrapper_count;
          return true;
        }
        if (key == "SourceTimestamp") {
          return reader_.read_timestamp(field, leaf(key), reading.source_timestamp_us);
        }
        if (key == "Status") {
          bool bad = false;
          if (!reader_.read_status(field, leaf(key), bad)) return false;
          reading.bad_status = reading.bad_status || bad;
          return true;
        }
        // Dimensions: a multi-dimensional array, not a value the twin follows.
        has_dimensions = has_dimensions || key == "Dimensions";
        other_fields = other_fields || (key != "Dimensions" && key != "Type" && key != "UaType" &&
                                        key != "Locale" && key != "SourcePicoseconds" &&
                                        key != "ServerTimestamp" && key != "ServerPicoseconds");
        return reader_.skip_value(field, leaf(key));
      });
  if (!read) return false;
  if (has_dimensions || (!wrapped && other_fields)) {
    reading.kind = Kind::kOther;
    reading.value_depth = reading.wrapper_count;
  } else if (!wrapped) {
    reading.kind = Kind::kAbsent;  // a null Variant, or a DataValue without a value
  }
  return true;
}

// Turns one read DataSet field into a sample (or into the state's reason, or the machine id).
bool OpcuaPubsubDecoder::use_field(std::string_view key, unsigned bit, const FieldReading& reading,
                                   PayloadState& payload) {
  using Kind = FieldReading::Kind;
  if (reading.kind == Kind::kAbsent || reading.kind == Kind::kNull) return true;  // no value
  const std::string leaf = wrapper_path(reading, "", reading.value_depth);
  if (bit == kPayloadState) return use_state(reading, leaf, payload);
  if (bit == kPayloadReason) {
    // A reason code is named by its digits, as the message wrote them.
    const bool code = reading.kind == Kind::kNumber &&
                      reading.text.find_first_of(".eE") == std::string_view::npos;
    if (reading.kind != Kind::kString && !code) {
      return reader_.fail(MessageFault::kWrongType, leaf,
                          "expected a stop reason (a string, or an integer reason code)");
    }
    // Interned only with a State to belong to: a delta frame may carry the reason alone.
    payload.has_reason = true;
    payload.reason = reading.text;
    return reader_.check_name(reading.text, leaf, true);
  }
  if (bit == kPayloadMachineId) {
    if (reading.kind != Kind::kString) {
      return reader_.fail(MessageFault::kWrongType, leaf, "expected a machine id (a string)");
    }
    payload.has_machine_id = true;
    payload.machine_id = reading.text;
    return true;
  }
  const bool counter = bit != 0;  // GoodParts or ScrapParts
  double number = 0.0;
  if (reading.kind == Kind::kNumber) {
    number = reading.number;
  } else if (reading.kind == Kind::kString && number_in_text(reading.text)) {
    number = *number_in_text(reading.text);  // an Int64 or UInt64, written as text
  } else if (reading.kind == Kind::kBoolean && !counter) {
    number = reading.boolean ? 1.0 : 0.0;
  } else if (counter) {
    return reader_.fail(MessageFault::kWrongType, leaf, "expected a counter reading (a number)");
  } else {
    return true;  // not a sensor reading: ignored
  }
  TelemetrySample sample;
  sample.timestamp_us = reading.source_timestamp_us;  // kNoTimestamp: the message's Timestamp
  sample.machine = kUnresolvedMachine;                // resolved with the whole message
  NameRef name;
  if (counter) {
    if (!reader_.check_counter_reading(number, leaf)) return false;
    sample.kind = SampleKind::kCounter;
    if (!samples_.name_ref(bit == kPayloadGood ? kGoodPartsCounter : kScrapPartsCounter, "", false,
                           name))
      return false;
  } else {
    sample.kind = SampleKind::kSensor;
    if (!samples_.name_ref(key, "", false, name)) return false;
  }
  sample.value = number;
  return samples_.append(sample, name);
}

bool OpcuaPubsubDecoder::use_state(const FieldReading& reading, std::string_view leaf,
                                   PayloadState& payload) {
  using Kind = FieldReading::Kind;
  if (reading.kind != Kind::kString) {
    const std::string_view found = reading.kind == Kind::kNumber ? "a number" : "another type";
    return reader_.fail(MessageFault::kWrongType, leaf,
                        fmt::format("expected a state name (a String or LocalizedText; PackML "
                                    "state numbers differ between standards, so names only), "
                                    "found {}",
                                    found));
  }
  // The non-reversible encoding writes an enumeration as "Name_Value", e.g. "Execute_4".
  std::string_view text = reading.text;
  if (!parse_reported_state(text)) {
    const std::size_t underscore = text.rfind('_');
    if (underscore != std::string_view::npos && underscore + 1 < text.size() &&
        text.find_first_not_of("0123456789", underscore + 1) == std::string_view::npos)
      text = text.substr(0, underscore);
  }
  TelemetrySample sample;
  sample.timestamp_us = reading.source_timestamp_us;  // kNoTimestamp: the message's Timestamp
  sample.machine = kUnresolvedMachine;                // resolved with the whole message
  sample.kind = SampleKind::kState;
  // Named by its StopReason when the whole DataSetMessage is read.
  if (!reader_.read_state(text, leaf, sample.state) || !samples_.append(sample, NameRef{}))
    return false;
  payload.state_sample = samples_.end() - 1;
  return true;
}

bool OpcuaPubsubDecoder::finish() {
  // Metadata, status and discovery messages share topics with data in OPC UA MQTT
  // deployments: they are not telemetry, and not faults either.
  if ((seen_ & kNetworkMessageType) != 0 && message_type_ != "ua-data") {
    samples_.drop_all();
    return true;
  }
  if ((seen_ & kNetworkMessages) == 0) {
    return reader_.fail(MessageFault::kMissingField, "Messages",
                        "missing; expected the array of DataSetMessages of a \"ua-data\" "
                        "NetworkMessage");
  }
  std::vector<TelemetrySample>& out = samples_.out();
  reader_.path.array = "Messages";
  for (const DataSetRecord& record : data_sets_) {
    reader_.path.index = record.message_index;
    std::uint32_t machine = 0;
    if (!resolve_machine(record, machine)) return false;
    for (std::size_t i = record.begin; i < record.end; ++i)
      out[i].machine = machine;
  }
  reader_.path.array = {};
  return true;
}

// An explicit Payload.MachineId must name a machine. Otherwise the first of DataSetWriterName,
// the PublisherId (of the DataSetMessage, else of the NetworkMessage) and the topic's last level
// that names a machine of the scene does: a gateway publishes many machines under its own
// PublisherId, a machine that publishes itself may name its writers after its datasets.
bool OpcuaPubsubDecoder::resolve_machine(const DataSetRecord& record, std::uint32_t& machine) {
  if (record.has_machine_id) {
    const auto found = samples_.find_machine(record.machine_id);
    if (!found) return samples_.unknown_machine("Payload.MachineId", record.machine_id);
    machine = *found;
    return true;
  }
  const std::array<std::pair<std::string_view, std::string_view>, 3> candidates{{
      {"DataSetWriterName", record.writer_name},
      {"PublisherId", record.publisher_id.empty() ? publisher_id_ : record.publisher_id},
      {"topic level", samples_.topic_machine()},
  }};
  std::string tried;
  for (const auto& [what, id] : candidates) {
    if (id.empty()) continue;
    if (const auto found = samples_.find_machine(id)) {
      machine = *found;
      return true;
    }
    tried += tried.empty() ? "" : ", ";
    tried += fmt::format("{} {}", what, excerpt(id));
  }
  if (tried.empty()) {
    return reader_.fail(MessageFault::kMissingField, "",
                        "expected a machine id: Payload.MachineId, DataSetWriterName, PublisherId "
                        "or the topic's last level");
  }
  return reader_.fail(MessageFault::kUnknownMachine, "",
                      fmt::format("no machine of the scene among {}", tried));
}

}  // namespace linetwin::decoding
