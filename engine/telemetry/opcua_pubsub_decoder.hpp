// OPC UA PubSub JSON NetworkMessages (OPC 10000-14, 7.2.5 JSON message mapping): each
// DataSetMessage's Payload holds the fields of one DataSet, and each field becomes one sample (or
// the state's reason, or the machine id), so one message yields several samples. The fields'
// values come in any of the OPC UA JSON encodings (plain, reversible and 1.05 Variants,
// DataValues, LocalizedText). MessageDecoder hands this decoder the top-level fields of the
// NetworkMessage header, then asks it to finish once the whole message is read.
//
// JSON objects are unordered: a DataSetMessage's Timestamp may follow its Payload, and the
// NetworkMessage's PublisherId its Messages. Samples are appended as their fields are read, and
// their times and machines filled in when the object that gives them is complete.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/json_field_readers.hpp"
#include "telemetry/message_samples.hpp"

namespace linetwin::decoding {

class OpcuaPubsubDecoder {
 public:
  OpcuaPubsubDecoder(FieldReader& reader, MessageSamples& samples)
      : reader_(reader), samples_(samples) {}

  void start() {
    seen_ = 0;
    message_type_ = {};
    publisher_id_ = {};
    data_sets_.clear();
  }
  // Reads a top-level field when it belongs to the NetworkMessage header (`taken`); false on a
  // fault.
  bool read_top_field(std::string_view key, od::value& value, bool& taken);
  // After the whole message: a data message has Messages, and every DataSetMessage's samples get
  // their machine.
  bool finish();

  // A DataValue wraps a Variant, which may wrap a LocalizedText: deeper wrappers are not values.
  static constexpr int kMaxWrapperDepth = 3;
  static constexpr std::int64_t kNoTimestamp = std::numeric_limits<std::int64_t>::min();
  static constexpr std::size_t kNoSample = std::numeric_limits<std::size_t>::max();

  // One DataSet field's value, unwrapped from the OPC UA JSON encodings: a plain JSON value
  // (non-reversible Variant), {"Type":..,"Body":..} (reversible Variant), {"UaType":..,"Value":..}
  // (1.05 Variant), a DataValue {"Value":..,"Status":..,"SourceTimestamp":..} around any of
  // these, or a LocalizedText {"Locale":..,"Text":..}.
  struct FieldReading {
    enum class Kind : std::uint8_t { kAbsent, kNull, kString, kNumber, kBoolean, kOther };
    Kind kind = Kind::kAbsent;
    std::string_view text;  // a string's value, or a number's JSON text
    double number = 0.0;
    bool boolean = false;
    std::int64_t source_timestamp_us = kNoTimestamp;
    bool bad_status = false;
    // The wrapper fields passed through ("Value", "Body"), for fault paths: `wrapper_count` while
    // reading, `value_depth` of them lead to the value.
    std::array<std::string_view, kMaxWrapperDepth> wrappers{};
    int wrapper_count = 0;
    int value_depth = 0;
  };

  // What a DataSetMessage's Payload said besides its samples.
  struct PayloadState {
    unsigned seen = 0;
    std::size_t state_sample = kNoSample;  // the State sample, which a StopReason belongs to
    bool has_reason = false;
    std::string_view reason;
    bool has_machine_id = false;
    std::string_view machine_id;
  };

  // Where a DataSetMessage's samples are, and what may name its machine; resolved when the whole
  // NetworkMessage is read, because its PublisherId may come after its Messages.
  struct DataSetRecord {
    std::size_t message_index = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
    bool has_machine_id = false;
    std::string_view machine_id;   // Payload.MachineId
    std::string_view writer_name;  // DataSetWriterName
    std::string_view publisher_id;
  };

 private:
  bool read_data_set_messages(od::value& value);
  bool read_data_set_message(od::value& value);
  bool read_payload(od::value& value, PayloadState& payload);
  bool read_field(od::value& value, FieldReading& reading, int depth);
  bool use_field(std::string_view key, unsigned bit, const FieldReading& reading,
                 PayloadState& payload);
  bool use_state(const FieldReading& reading, std::string_view leaf, PayloadState& payload);
  bool resolve_machine(const DataSetRecord& record, std::uint32_t& machine);

  FieldReader& reader_;
  MessageSamples& samples_;
  // The NetworkMessage header, as read so far.
  unsigned seen_ = 0;
  std::string_view message_type_;
  std::string_view publisher_id_;
  std::vector<DataSetRecord> data_sets_;
};

}  // namespace linetwin::decoding
