// The per-field pattern of both telemetry wire formats (linetwin JSON, OPC UA PubSub JSON),
// written once: read one JSON value as what a field needs (a string, a finite number, a sequence
// number, a time, a state, an OPC UA StatusCode), or read past it proving it well-formed, and on
// anything else record the fault with the field's JSON path and what was found and expected.
//
// Every reader returns false once it has recorded a fault, so a decoder stops at the first one:
// `if (!reader.read_string(value, key, "a string", text)) return false;`. Nothing is thrown: a
// live loop counts bad messages and carries on. The readers that every sample goes through are
// inline here, their fault paths out of line.
//
// Internal to the message decoders: it includes simdjson, which the engine links privately.
#pragma once

#include <simdjson.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "telemetry/machine_state.hpp"
#include "telemetry/message_decoder.hpp"

namespace linetwin::decoding {

namespace od = simdjson::ondemand;
using simdjson::error_code;

// Counter, sensor and reason names are at most this long.
inline constexpr std::size_t kMaxNameBytes = 128;
// Our formats nest 8 levels deep at most (NetworkMessage, Messages, DataSetMessage, Payload,
// DataValue, Variant, LocalizedText); the rest is room for fields we skip.
inline constexpr std::size_t kMaxJsonDepth = 64;

// A piece of the message quoted in a fault detail: at most 40 bytes, cut at a UTF-8 character
// boundary, control characters shown as '?', so that a hostile payload cannot garble a log line.
std::string excerpt(std::string_view text, bool quoted = true);
// "an array", "a string", ...: what a fault detail says was found.
std::string_view json_type_name(od::json_type type);
// 1 to 128 bytes without control characters.
bool is_printable_name(std::string_view name);
// JSON's number grammar (RFC 8259, section 6): tells a number too large for a double, which is
// valid JSON, from broken text such as "01" or "1.".
bool is_json_number(std::string_view text);
// A number sent as JSON text: OPC UA's JSON encoding writes Int64 and UInt64 values as strings.
std::optional<double> number_in_text(std::string_view text);
// raw_json_token() keeps the whitespace after a token.
inline std::string_view trim_trailing_space(std::string_view text) {
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// Where in the message a decoder is, for fault details: "samples[3].value",
// "Messages[0].Payload.State.Value", or "(message)" for the message as a whole. Decoders set it
// as they go down, and clear what they leave.
struct JsonPath {
  std::string_view array;  // "samples" or "Messages" while inside its element `index`
  std::size_t index = 0;
  std::string_view object;  // "Payload" while inside its field `field`
  std::string_view field;

  std::string to_string(std::string_view leaf) const;
};

// Reads field values and records the message's first fault. One per decoder, reused.
class FieldReader {
 public:
  JsonPath path;

  void start() {
    fault_ = MessageFault::kNone;
    detail_.clear();
    path = {};
  }
  MessageFault fault() const { return fault_; }
  // The path, what was found and what was expected; empty while there is no fault.
  std::string take_detail() { return std::move(detail_); }

  // ---- recording a fault: each returns false ----------------------------------------------------

  // `leaf` extends the path ("value", "Status"); empty for the place the path names.
  bool fail(MessageFault fault, std::string_view leaf, std::string_view what);
  bool syntax(error_code error, std::string_view leaf);
  // A value that could not be read as `expected`: the wrong type, a number out of range, or
  // broken JSON (syntax).
  bool value_error(error_code error, od::value& value, std::string_view leaf,
                   std::string_view expected);
  // A field of a format's own, met a second time in one object.
  bool once(unsigned& seen, unsigned bit, std::string_view key) {
    if ((seen & bit) != 0) return duplicate(key);
    seen |= bit;
    return true;
  }
  bool duplicate(std::string_view key);

  // ---- walking objects and arrays ---------------------------------------------------------------

  // Calls `use(key, value)` for each field of `object` in order, until it returns false; a field
  // that does not parse is a syntax fault at `leaf`.
  template <typename Use>
  bool for_each_field(od::object& object, std::string_view leaf, Use&& use) {
    for (auto field_result : object) {
      od::field field;
      if (const error_code error = std::move(field_result).get(field)) return syntax(error, leaf);
      std::string_view key;
      if (const error_code error = field.unescaped_key().get(key)) return syntax(error, leaf);
      if (!use(key, field.value())) return false;
    }
    return true;
  }

  // Calls `use(item)` for each element of `array` in order, until it returns false.
  template <typename Use>
  bool for_each_element(od::array& array, std::string_view leaf, Use&& use) {
    for (auto element : array) {
      od::value item;
      if (const error_code error = element.get(item)) return syntax(error, leaf);
      if (!use(item)) return false;
    }
    return true;
  }

  // Reads `value` as an object (else it is the wrong type, not `expected`), calling
  // `use(key, field)` for each field.
  template <typename Use>
  bool read_object(od::value& value, std::string_view expected, Use&& use) {
    od::object object;
    if (const error_code error = value.get_object().get(object)) {
      return value_error(error, value, "", expected);
    }
    return for_each_field(object, "", use);
  }

  // Reads `value`, the field `name` ("samples", "Messages"), as an array (else it is the wrong
  // type, not `expected`), calling `use(item)` for each element with the path inside it
  // ("samples[3]").
  template <typename Use>
  bool read_array(od::value& value, std::string_view name, std::string_view expected, Use&& use) {
    od::array array;
    if (const error_code error = value.get_array().get(array)) {
      return value_error(error, value, name, expected);
    }
    path.array = name;
    path.index = 0;
    const bool read = for_each_element(array, "", [&](od::value& item) {
      if (!use(item)) return false;
      ++path.index;
      return true;
    });
    if (read) path.array = {};
    return read;
  }

  // ---- reading values ---------------------------------------------------------------------------

  bool read_string(od::value& value, std::string_view leaf, std::string_view expected,
                   std::string_view& text) {
    if (const error_code error = value.get_string().get(text)) {
      return value_error(error, value, leaf, expected);
    }
    return true;
  }

  bool read_unsigned(od::value& value, std::string_view leaf, std::string_view expected,
                     std::uint64_t& number) {
    if (const error_code error = value.get_uint64().get(number)) {
      return value_error(error, value, leaf, expected);
    }
    return true;
  }

  bool read_finite(od::value& value, std::string_view leaf, std::string_view expected,
                   double& number) {
    if (const error_code error = value.get_double().get(number)) {
      return value_error(error, value, leaf, expected);
    }
    // simdjson refuses infinities and JSON has no NaN, but a check costs nothing.
    return std::isfinite(number) || out_of_range(leaf, expected);
  }

  // An ISO 8601 string or epoch milliseconds, as a number or in a string; both go through
  // parse_timestamp_us, so "1690210470547.868" means the same instant as the number.
  bool read_timestamp(od::value& value, std::string_view leaf, std::int64_t& timestamp_us);
  // A linetwin or PackML state name (parse_reported_state).
  bool read_state(std::string_view text, std::string_view leaf, MachineState& state) {
    const std::optional<MachineState> parsed = parse_reported_state(text);
    if (!parsed) return bad_state(text, leaf);
    state = *parsed;
    return true;
  }
  // An OPC UA StatusCode: a number, or {"Code":..,"Symbol":..} in the 1.05 verbose encoding.
  // `bad` when its top bit is set (OPC 10000-4, 7.39).
  bool read_status(od::value& value, std::string_view leaf, bool& bad);
  // Reads a value that no format uses, only to prove it well-formed: On-Demand would skip it by
  // its brackets alone, and let "tru" or "01" through. Deeper than kMaxJsonDepth is a fault.
  bool skip_value(od::value& value, std::string_view leaf, std::size_t depth = 0);

  // ---- checking what was read -------------------------------------------------------------------

  // A counter's reading is cumulative, so never negative.
  bool check_counter_reading(double reading, std::string_view leaf) {
    return reading >= 0.0 || negative_counter(reading, leaf);
  }
  // A counter, sensor or reason name. `allow_empty`: an empty reason means none.
  bool check_name(std::string_view name, std::string_view leaf, bool allow_empty) {
    return (name.empty() ? allow_empty : is_printable_name(name)) || bad_name(name, leaf);
  }

 private:
  bool out_of_range(std::string_view leaf, std::string_view expected);
  bool bad_state(std::string_view text, std::string_view leaf);
  bool negative_counter(double reading, std::string_view leaf);
  bool bad_name(std::string_view name, std::string_view leaf);

  MessageFault fault_ = MessageFault::kNone;
  std::string detail_;
};

}  // namespace linetwin::decoding
