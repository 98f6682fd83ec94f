// How the decoder stays fast and safe:
//  - The payload is copied into a buffer with SIMDJSON_PADDING bytes after it (simdjson reads
//    whole 64-byte blocks), and parsed with one On-Demand parser allocated once. Every value is
//    read through simdjson's error codes; nothing is thrown, and a fault stops the decoding at
//    once.
//  - Samples are appended to the caller's vector as they are read, and the vector is cut back to
//    its old size on a fault. New names are only noted while decoding and interned when the whole
//    message has proved good, so a faulty message changes nothing at all.
//  - Machine ids and names are looked up in hash maps of our own with string_view lookup, kept
//    in step with TelemetryNames (whose tables only grow), so that a lookup allocates nothing.
//  - JSON objects are unordered, so a field can come after the fields that need it (a batch's
//    "machine" after its "samples"; a DataSetMessage's Timestamp after its Payload). Such values
//    are filled in when the object is complete, instead of reading the message twice.
#include "telemetry/message_decoder.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "telemetry/timestamp.hpp"

namespace linetwin {

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

constexpr std::uint32_t kUnresolvedMachine = std::numeric_limits<std::uint32_t>::max();
constexpr std::int64_t kNoTimestamp = std::numeric_limits<std::int64_t>::min();
constexpr std::size_t kNoIndex = std::numeric_limits<std::size_t>::max();
constexpr std::uint32_t kNotPending = std::numeric_limits<std::uint32_t>::max();
// TelemetrySample::name is a uint16 index.
constexpr std::size_t kNameTableCapacity = std::size_t{1} << 16;
constexpr std::size_t kMaxNameBytes = 128;
// Our formats nest 8 levels deep at most (NetworkMessage, Messages, DataSetMessage, Payload,
// DataValue, Variant, LocalizedText); the rest is room for fields we skip.
constexpr std::size_t kMaxJsonDepth = 64;
// A DataValue wraps a Variant, which may wrap a LocalizedText: deeper wrappers are not values.
constexpr int kMaxWrapperDepth = 3;

// PackML (ISA-TR88.00.02) states as machines report them, mapped to the twin's states
// (machine_state.hpp gives the reasoning; docs/telemetry-messages.md has the table). The
// hyphenated spellings are those of OPC 30060's StateEnumeration.
struct PackmlState {
  std::string_view name;
  MachineState state;
};
constexpr std::array kPackmlStates{
    PackmlState{"Execute", MachineState::kProducing},
    PackmlState{"Idle", MachineState::kIdle},
    PackmlState{"Starting", MachineState::kIdle},
    PackmlState{"Suspended", MachineState::kIdle},
    PackmlState{"Suspending", MachineState::kIdle},
    PackmlState{"Unsuspending", MachineState::kIdle},
    PackmlState{"Un-suspending", MachineState::kIdle},
    PackmlState{"Completing", MachineState::kIdle},
    PackmlState{"Complete", MachineState::kIdle},
    PackmlState{"Resetting", MachineState::kIdle},
    PackmlState{"Held", MachineState::kDown},
    PackmlState{"Holding", MachineState::kDown},
    PackmlState{"Unholding", MachineState::kDown},
    PackmlState{"Un-holding", MachineState::kDown},
    PackmlState{"Stopped", MachineState::kDown},
    PackmlState{"Stopping", MachineState::kDown},
    PackmlState{"Aborting", MachineState::kDown},
    PackmlState{"Aborted", MachineState::kDown},
    PackmlState{"Clearing", MachineState::kDown},
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};
template <typename Index>
using StringIndex = std::unordered_map<std::string, Index, StringHash, std::equal_to<>>;

// A piece of the message quoted in a fault detail: at most 40 bytes, cut at a UTF-8 character
// boundary, control characters shown as '?', so that a hostile payload cannot garble a log line.
std::string excerpt(std::string_view text, bool quoted = true) {
  constexpr std::size_t kMaxBytes = 40;
  bool cut = false;
  if (text.size() > kMaxBytes) {
    std::size_t end = kMaxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    text = text.substr(0, end);
    cut = true;
  }
  std::string shown;
  shown.reserve(text.size() + 5);
  if (quoted) shown += '\'';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    shown += byte < 0x20 || byte == 0x7F ? '?' : c;
  }
  if (cut) shown += "...";
  if (quoted) shown += '\'';
  return shown;
}

std::string_view json_type_name(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a JSON value";
}

bool is_printable_name(std::string_view name) {
  if (name.size() > kMaxNameBytes) return false;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return false;
  }
  return true;
}

// A number sent as JSON text: OPC UA's JSON encoding writes Int64 and UInt64 values as strings.
std::optional<double> number_in_text(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value))
    return std::nullopt;
  return value;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// JSON's number grammar (RFC 8259, section 6): tells a number too large for a double, which is
// valid JSON, from broken text such as "01" or "1.".
bool is_json_number(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t first = i;
    while (i < text.size() && is_digit(text[i]))
      ++i;
    return i > first;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

std::string_view trim_trailing_space(std::string_view text) {
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

std::string_view last_topic_level(std::string_view topic) {
  const std::size_t slash = topic.rfind('/');
  return slash == std::string_view::npos ? topic : topic.substr(slash + 1);
}

// The fields of one linetwin sample (or of a batch's header), as read so far.
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
constexpr std::array<std::string_view, 9> kSampleFieldNames{
    "machine", "ts", "seq", "state", "reason", "counter", "sensor", "value", "samples"};

struct LinetwinSample {
  unsigned seen = 0;
  std::string_view machine;
  std::int64_t timestamp_us = 0;
  std::uint64_t sequence = 0;
  MachineState state = MachineState::kUnknown;
  std::string_view reason;
  std::string_view counter;
  std::string_view sensor;
  double value = 0.0;
};

// One DataSet field's value, unwrapped from the OPC UA JSON encodings: a plain JSON value
// (non-reversible Variant), {"Type":..,"Body":..} (reversible Variant), {"UaType":..,"Value":..}
// (1.05 Variant), a DataValue {"Value":..,"Status":..,"SourceTimestamp":..} around any of these,
// or a LocalizedText {"Locale":..,"Text":..}.
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

// A name used by a sample: an index in TelemetryNames, or a name that the message is the first
// to use, interned only when the message proves good.
struct NameRef {
  std::uint16_t index = 0;
  std::uint32_t pending = kNotPending;
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

// What a DataSetMessage's Payload said besides its samples.
struct PayloadState {
  unsigned seen = 0;
  std::size_t state_sample = kNoIndex;  // the State sample, which a StopReason belongs to
  bool has_reason = false;
  std::string_view reason;
  bool has_machine_id = false;
  std::string_view machine_id;
};

}  // namespace

std::string_view message_fault_name(MessageFault fault) {
  switch (fault) {
    case MessageFault::kNone:
      return "none";
    case MessageFault::kOversized:
      return "oversized";
    case MessageFault::kSyntax:
      return "syntax";
    case MessageFault::kWrongType:
      return "wrong_type";
    case MessageFault::kMissingField:
      return "missing_field";
    case MessageFault::kUnknownMachine:
      return "unknown_machine";
    case MessageFault::kBadTimestamp:
      return "bad_timestamp";
    case MessageFault::kBadState:
      return "bad_state";
    case MessageFault::kTooManyNames:
      return "too_many_names";
  }
  return "unknown";
}

std::optional<MachineState> parse_reported_state(std::string_view name) {
  if (const auto state = parse_machine_state(name)) return state;
  for (const PackmlState& packml : kPackmlStates) {
    if (packml.name == name) return packml.state;
  }
  return std::nullopt;
}

class MessageDecoder::Impl {
 public:
  Impl(TelemetryNames& names, DecoderLimits limits)
      : limits_(limits), names_(names), parser_(limits.max_payload_bytes) {
    // One allocation for the largest message allowed; iterate() never grows the parser after.
    // If it fails (out of memory), iterate() tries again and reports it for the message.
    if (parser_.allocate(limits_.max_payload_bytes, kMaxJsonDepth) != simdjson::SUCCESS) {
      parser_ = od::parser(limits_.max_payload_bytes);
    }
  }

  const DecoderLimits& limits() const { return limits_; }

  DecodeResult decode(std::string_view topic, std::string_view payload,
                      std::vector<TelemetrySample>& out) {
    DecodeResult result;
    start_message(topic, out);
    if (payload.size() > limits_.max_payload_bytes) {
      fail(MessageFault::kOversized, "",
           fmt::format("the payload has {} bytes, more than the limit of {}", payload.size(),
                       limits_.max_payload_bytes));
    } else if (trim_trailing_space(payload).empty()) {
      fail(MessageFault::kSyntax, "", "the payload is empty; expected a JSON object");
    } else {
      parse(payload);
    }
    if (fault_ == MessageFault::kNone) {
      commit_names();
      result.samples = out.size() - start_;
    } else {
      out.resize(start_);
      result.fault = fault_;
      result.detail = std::move(detail_);
    }
    out_ = nullptr;
    return result;
  }

 private:
  // ---- the message being decoded -------------------------------------------------------------

  void start_message(std::string_view topic, std::vector<TelemetrySample>& out) {
    topic_ = topic;
    out_ = &out;
    start_ = out.size();
    fault_ = MessageFault::kNone;
    detail_.clear();
    array_ = {};
    index_ = 0;
    payload_field_ = {};
    unresolved_machines_ = 0;
    pending_names_.clear();
    // Only when used: clearing a hash map costs its bucket count, even when it is empty.
    if (!pending_index_.empty()) pending_index_.clear();
    name_patches_.clear();
    data_sets_.clear();
    catch_up_with_names();
  }

  void parse(std::string_view payload) {
    const std::size_t needed = payload.size() + simdjson::SIMDJSON_PADDING;
    if (needed > buffer_capacity_) {
      buffer_capacity_ = std::max(needed, 2 * buffer_capacity_);
      buffer_ = std::make_unique<char[]>(buffer_capacity_);
    }
    std::memcpy(buffer_.get(), payload.data(), payload.size());
    std::memset(buffer_.get() + payload.size(), ' ', simdjson::SIMDJSON_PADDING);
    const simdjson::padded_string_view json(buffer_.get(), payload.size(), buffer_capacity_);
    od::document doc;
    if (const error_code error = parser_.iterate(json).get(doc)) {
      syntax(error, "");
      return;
    }
    decode_document(doc);
  }

  // ---- faults ----------------------------------------------------------------------------------

  // "samples[3].value", "Messages[0].Payload.State.Value", or "(message)" for the whole.
  std::string path(std::string_view leaf) const {
    std::string where;
    if (!array_.empty()) where = fmt::format("{}[{}]", array_, index_);
    if (!payload_field_.empty()) {
      where += ".Payload.";
      where +=
          is_printable_name(payload_field_) ? std::string(payload_field_) : excerpt(payload_field_);
    }
    if (!leaf.empty()) {
      if (!where.empty()) where += '.';
      where += leaf;
    }
    return where.empty() ? "(message)" : where;
  }

  bool fail(MessageFault fault, std::string_view leaf, std::string_view what) {
    fault_ = fault;
    detail_ = path(leaf);
    detail_ += ": ";
    detail_ += what;
    return false;
  }

  bool syntax(error_code error, std::string_view leaf) {
    return fail(MessageFault::kSyntax, leaf,
                fmt::format("invalid JSON ({})", simdjson::error_message(error)));
  }

  // A value that could not be read as `expected`: the wrong type, a number out of range, or
  // broken JSON.
  template <typename Value>
  bool value_error(error_code error, Value& value, std::string_view leaf,
                   std::string_view expected) {
    const bool number_error =
        error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE;
    if (error != simdjson::INCORRECT_TYPE && !number_error) return syntax(error, leaf);
    od::json_type type{};
    if (value.type().get(type) != simdjson::SUCCESS) return syntax(error, leaf);
    if (type == od::json_type::number) {
      const std::string_view token = trim_trailing_space(raw_token(value));
      if (!is_json_number(token)) return syntax(error, leaf);
      return fail(
          MessageFault::kWrongType, leaf,
          number_error
              ? fmt::format("expected {}, found {}, out of range", expected, excerpt(token, false))
              : fmt::format("expected {}, found the number {}", expected, excerpt(token, false)));
    }
    if (number_error) return syntax(error, leaf);
    return fail(MessageFault::kWrongType, leaf,
                fmt::format("expected {}, found {}", expected, json_type_name(type)));
  }

  static std::string_view raw_token(od::value& value) { return value.raw_json_token(); }
  static std::string_view raw_token(od::document& doc) {
    std::string_view token;
    return doc.raw_json_token().get(token) == simdjson::SUCCESS ? token : std::string_view();
  }

  // Reads a value that no format uses, only to prove it well-formed: On-Demand would skip it by
  // its brackets alone, and let "tru" or "01" through.
  bool skip_value(od::value& value, std::string_view leaf, std::size_t depth = 0) {
    od::json_type type{};
    if (const error_code error = value.type().get(type)) return syntax(error, leaf);
    switch (type) {
      case od::json_type::array:
      case od::json_type::object:
        break;
      case od::json_type::number: {
        double number = 0.0;
        const error_code error = value.get_double().get(number);
        if (error == simdjson::SUCCESS || (error == simdjson::NUMBER_ERROR &&
                                           is_json_number(trim_trailing_space(raw_token(value)))))
          return true;  // a number, if out of a double's range
        return syntax(error, leaf);
      }
      case od::json_type::string: {
        std::string_view text;
        if (const error_code error = value.get_string().get(text)) return syntax(error, leaf);
        return true;
      }
      case od::json_type::boolean: {
        bool boolean = false;
        if (const error_code error = value.get_bool().get(boolean)) return syntax(error, leaf);
        return true;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (const error_code error = value.is_null().get(is_null)) return syntax(error, leaf);
        return is_null || syntax(simdjson::N_ATOM_ERROR, leaf);
      }
    }
    if (depth >= kMaxJsonDepth) {
      return fail(MessageFault::kSyntax, leaf,
                  fmt::format("nested deeper than {} levels", kMaxJsonDepth));
    }
    if (type == od::json_type::array) {
      od::array array;
      if (const error_code error = value.get_array().get(array)) return syntax(error, leaf);
      for (auto element : array) {
        od::value item;
        if (const error_code error = element.get(item)) return syntax(error, leaf);
        if (!skip_value(item, leaf, depth + 1)) return false;
      }
      return true;
    }
    od::object object;
    if (const error_code error = value.get_object().get(object)) return syntax(error, leaf);
    for (auto field_result : object) {
      od::field field;
      if (const error_code error = std::move(field_result).get(field)) return syntax(error, leaf);
      std::string_view key;
      if (const error_code error = field.unescaped_key().get(key)) return syntax(error, leaf);
      if (!skip_value(field.value(), leaf, depth + 1)) return false;
    }
    return true;
  }

  bool duplicate(unsigned& seen, unsigned bit, std::string_view key) {
    if ((seen & bit) != 0) {
      return fail(MessageFault::kSyntax, key, "duplicate field; each field may appear once");
    }
    seen |= bit;
    return true;
  }

  // ---- reading values --------------------------------------------------------------------------

  bool read_string(od::value& value, std::string_view leaf, std::string_view expected,
                   std::string_view& text) {
    if (const error_code error = value.get_string().get(text)) {
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
    if (!std::isfinite(number)) {
      return fail(MessageFault::kWrongType, leaf,
                  fmt::format("expected {}, found a number out of range", expected));
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

  // An ISO 8601 string or epoch milliseconds, as a number or in a string; both go through
  // parse_timestamp_us, so "1690210470547.868" means the same instant as the number.
  bool read_timestamp(od::value& value, std::string_view leaf, std::int64_t& timestamp_us) {
    od::json_type type{};
    if (const error_code error = value.type().get(type)) return syntax(error, leaf);
    std::string_view text;
    if (type == od::json_type::string) {
      if (!read_string(value, leaf, kTimestampSyntax, text)) return false;
    } else if (type == od::json_type::number) {
      text = trim_trailing_space(value.raw_json_token());
      double validated = 0.0;  // proves the token a JSON number; the text is what counts
      if (!read_finite(value, leaf, kTimestampSyntax, validated)) return false;
    } else {
      return fail(MessageFault::kBadTimestamp, leaf,
                  fmt::format("expected {}, found {}", kTimestampSyntax, json_type_name(type)));
    }
    const std::optional<std::int64_t> parsed = parse_timestamp_us(text);
    if (!parsed) {
      return fail(MessageFault::kBadTimestamp, leaf,
                  fmt::format("expected {}, found {}", kTimestampSyntax, excerpt(text)));
    }
    timestamp_us = *parsed;
    return true;
  }

  bool read_state(std::string_view text, std::string_view leaf, MachineState& state) {
    if (const auto parsed = parse_reported_state(text)) {
      state = *parsed;
      return true;
    }
    return fail(MessageFault::kBadState, leaf,
                fmt::format("expected a state (producing, idle, blocked, down, setup, off_shift, "
                            "unknown, or a PackML state such as Execute or Held), found {}",
                            excerpt(text)));
  }

  // An OPC UA StatusCode: a number, or {"Code":..,"Symbol":..} in the 1.05 verbose encoding.
  // Bad codes have the top bit set (OPC 10000-4, 7.39).
  bool read_status(od::value& value, std::string_view leaf, bool& bad) {
    constexpr std::string_view kExpected = "a StatusCode (a number, or an object with a Code)";
    od::json_type type{};
    if (const error_code error = value.type().get(type)) return syntax(error, leaf);
    std::uint64_t code = 0;
    if (type == od::json_type::object) {
      od::object object;
      if (const error_code error = value.get_object().get(object)) return syntax(error, leaf);
      for (auto field_result : object) {
        od::field field;
        if (const error_code error = std::move(field_result).get(field)) return syntax(error, leaf);
        std::string_view key;
        if (const error_code error = field.unescaped_key().get(key)) return syntax(error, leaf);
        if (!(key == "Code" ? read_unsigned(field.value(), leaf, kExpected, code)
                            : skip_value(field.value(), leaf)))
          return false;
      }
    } else if (!read_unsigned(value, leaf, kExpected, code)) {
      return false;
    }
    if (code > std::numeric_limits<std::uint32_t>::max()) {
      return fail(MessageFault::kWrongType, leaf,
                  fmt::format("expected {}, found {}, more than 32 bits", kExpected, code));
    }
    bad = (code & 0x80000000U) != 0;
    return true;
  }

  // ---- machines and names ----------------------------------------------------------------------

  // TelemetryNames only ever grows, so our indexes stay right once made; bring them up to date
  // with whatever was interned since the last message (by the twins, a log reader, ...).
  void catch_up_with_names() {
    const std::vector<std::string>& machines = names_.machines();
    for (; machines_known_ < machines.size(); ++machines_known_) {
      machine_index_.emplace(machines[machines_known_],
                             static_cast<std::uint32_t>(machines_known_));
    }
    const std::vector<std::string>& names = names_.names();
    for (; names_known_ < names.size(); ++names_known_) {
      name_index_.emplace(names[names_known_], static_cast<std::uint16_t>(names_known_));
    }
  }

  std::optional<std::uint32_t> find_machine(std::string_view id) const {
    const auto it = machine_index_.find(id);
    if (it == machine_index_.end()) return std::nullopt;
    return it->second;
  }

  bool unknown_machine(std::string_view leaf, std::string_view id) {
    return fail(MessageFault::kUnknownMachine, leaf,
                fmt::format("{} is not a machine of the scene", excerpt(id)));
  }

  // A counter, sensor or reason name. `allow_empty`: an empty reason means none.
  bool check_name(std::string_view name, std::string_view leaf, bool allow_empty) {
    if (name.empty() ? allow_empty : is_printable_name(name)) return true;
    return fail(MessageFault::kWrongType, leaf,
                fmt::format("expected a name of 1 to 128 printable characters, found {}",
                            name.empty() ? "an empty string" : excerpt(name)));
  }

  bool name_ref(std::string_view name, std::string_view leaf, bool allow_empty, NameRef& ref) {
    ref = NameRef{};
    if (name.empty() && !allow_empty) return check_name(name, leaf, allow_empty);
    if (const auto it = name_index_.find(name); it != name_index_.end()) {
      ref.index = it->second;  // known names were checked when they were new
      return true;
    }
    if (!check_name(name, leaf, allow_empty)) return false;
    // A hash map, not a scan: a hostile message may bring thousands of new names.
    if (const auto it = pending_index_.find(name); it != pending_index_.end()) {
      ref.pending = it->second;
      return true;
    }
    if (names_.names().size() + pending_names_.size() >= kNameTableCapacity) {
      return fail(MessageFault::kTooManyNames, leaf,
                  fmt::format("{} would be a new name, and the table of {} names is full",
                              excerpt(name), kNameTableCapacity));
    }
    ref.pending = static_cast<std::uint32_t>(pending_names_.size());
    pending_names_.emplace_back(name);
    pending_index_.emplace(name, ref.pending);
    return true;
  }

  void set_name(std::size_t sample, NameRef ref) {
    if (ref.pending == kNotPending) {
      (*out_)[sample].name = ref.index;
    } else {
      name_patches_.emplace_back(sample, ref.pending);
    }
  }

  void commit_names() {
    if (pending_names_.empty()) return;
    pending_indexes_.clear();
    for (const std::string& name : pending_names_) {
      const std::uint16_t index = names_.intern_name(name);
      name_index_.emplace(name, index);
      pending_indexes_.push_back(index);
    }
    names_known_ = names_.names().size();
    for (const auto& [sample, slot] : name_patches_) {
      (*out_)[sample].name = pending_indexes_[slot];
    }
  }

  bool append(const TelemetrySample& sample, NameRef name) {
    if (out_->size() - start_ >= limits_.max_samples_per_message) {
      return fail(
          MessageFault::kOversized, "",
          fmt::format("more than {} samples in one message", limits_.max_samples_per_message));
    }
    out_->push_back(sample);
    set_name(out_->size() - 1, name);
    return true;
  }

  // ---- the document ----------------------------------------------------------------------------

  bool decode_document(od::document& doc) {
    od::object root;
    if (const error_code error = doc.get_object().get(root)) {
      return value_error(error, doc, "", "a JSON object");
    }
    LinetwinSample top;
    std::string_view linetwin_key;  // the first field of each format, to name a mix of both
    std::string_view opcua_key;
    unsigned network_seen = 0;
    std::string_view message_type;
    std::string_view publisher_id;
    for (auto field_result : root) {
      od::field field;
      if (const error_code error = std::move(field_result).get(field)) return syntax(error, "");
      std::string_view key;
      if (const error_code error = field.unescaped_key().get(key)) return syntax(error, "");
      od::value& value = field.value();
      if (key == "samples") {
        if (!duplicate(top.seen, kFieldSamples, key) || !decode_batch(value)) return false;
        if (linetwin_key.empty()) linetwin_key = key;
        continue;
      }
      bool taken = false;
      if (!take_sample_field(key, value, top, taken)) return false;
      if (taken) {
        if (linetwin_key.empty()) linetwin_key = key;
        continue;
      }
      // The OPC UA NetworkMessage header (OPC 10000-14, 7.2.5.3).
      if (key == "Messages") {
        if (!duplicate(network_seen, 1U, key) || !decode_data_set_messages(value)) return false;
      } else if (key == "MessageType") {
        if (!duplicate(network_seen, 2U, key) ||
            !read_string(value, key, "a string such as \"ua-data\"", message_type))
          return false;
      } else if (key == "PublisherId") {
        if (!duplicate(network_seen, 4U, key) || !read_string(value, key, "a string", publisher_id))
          return false;
      } else {
        if (!skip_value(value, key)) return false;
        // A field of neither format is ignored.
        if (key != "MessageId" && key != "WriterGroupName" && key != "DataSetClassId") continue;
      }
      if (opcua_key.empty()) opcua_key = key;
    }
    // The object must be the whole message: at its end, there is no current location.
    const char* trailing = nullptr;
    if (doc.current_location().get(trailing) != simdjson::OUT_OF_BOUNDS) {
      return fail(MessageFault::kSyntax, "", "invalid JSON (content after the message's object)");
    }

    if (!linetwin_key.empty() && !opcua_key.empty()) {
      return fail(MessageFault::kWrongType, "",
                  fmt::format("expected a linetwin message or an OPC UA NetworkMessage, found "
                              "fields of both ('{}' and '{}')",
                              linetwin_key, opcua_key));
    }
    if (!opcua_key.empty()) return finish_network_message(network_seen, message_type, publisher_id);
    if (linetwin_key.empty()) {
      return fail(MessageFault::kMissingField, "",
                  "expected a linetwin sample ('ts' and one of 'state', 'counter', 'sensor'), a "
                  "batch ('samples') or an OPC UA NetworkMessage ('Messages')");
    }
    if ((top.seen & kFieldSamples) != 0) {
      const unsigned extra = top.seen & ~(kFieldMachine | kFieldSamples);
      if (extra != 0) {
        const auto first = static_cast<std::size_t>(std::countr_zero(extra));
        return fail(MessageFault::kWrongType, kSampleFieldNames[first],
                    "a batch has only 'machine' and 'samples'; this field belongs in each sample");
      }
      if ((top.seen & kFieldMachine) != 0 && !find_machine(top.machine)) {
        return unknown_machine("machine", top.machine);
      }
    } else if (!finish_linetwin_sample(top)) {
      return false;
    }
    return resolve_default_machine(top);
  }

  // ---- linetwin's own format -------------------------------------------------------------------

  // Reads `key` into `sample` when it is one of a sample's fields (`taken`); false on a fault.
  bool take_sample_field(std::string_view key, od::value& value, LinetwinSample& sample,
                         bool& taken) {
    taken = true;
    if (key == "ts") {
      return duplicate(sample.seen, kFieldTs, key) &&
             read_timestamp(value, key, sample.timestamp_us);
    }
    if (key == "machine") {
      return duplicate(sample.seen, kFieldMachine, key) &&
             read_string(value, key, "a machine id (a string)", sample.machine);
    }
    if (key == "seq") {
      return duplicate(sample.seen, kFieldSeq, key) &&
             read_unsigned(value, key, "a sequence number (an unsigned integer)", sample.sequence);
    }
    if (key == "value") {
      return duplicate(sample.seen, kFieldValue, key) &&
             read_finite(value, key, "a number", sample.value);
    }
    if (key == "state") {
      std::string_view text;
      return duplicate(sample.seen, kFieldState, key) &&
             read_string(value, key, "a state name (a string)", text) &&
             read_state(text, key, sample.state);
    }
    if (key == "counter") {
      return duplicate(sample.seen, kFieldCounter, key) &&
             read_string(value, key, "a counter name (a string)", sample.counter);
    }
    if (key == "sensor") {
      return duplicate(sample.seen, kFieldSensor, key) &&
             read_string(value, key, "a sensor channel name (a string)", sample.sensor);
    }
    if (key == "reason") {
      return duplicate(sample.seen, kFieldReason, key) &&
             read_string(value, key, "a reason (a string)", sample.reason);
    }
    taken = false;
    return true;
  }

  bool decode_batch(od::value& value) {
    od::array samples;
    if (const error_code error = value.get_array().get(samples)) {
      return value_error(error, value, "samples", "an array of samples");
    }
    array_ = "samples";
    index_ = 0;
    for (auto element : samples) {
      od::value item;
      if (const error_code error = element.get(item)) return syntax(error, "");
      od::object object;
      if (const error_code error = item.get_object().get(object)) {
        return value_error(error, item, "", "a sample (an object)");
      }
      LinetwinSample sample;
      for (auto field_result : object) {
        od::field field;
        if (const error_code error = std::move(field_result).get(field)) return syntax(error, "");
        std::string_view key;
        if (const error_code error = field.unescaped_key().get(key)) return syntax(error, "");
        bool taken = false;
        if (!take_sample_field(key, field.value(), sample, taken)) return false;
        if (!taken && key == "samples") {
          return fail(MessageFault::kWrongType, key, "a sample cannot hold a batch");
        }
        if (!taken && !skip_value(field.value(), key)) return false;
      }
      if (!finish_linetwin_sample(sample)) return false;
      ++index_;
    }
    array_ = {};
    return true;
  }

  bool finish_linetwin_sample(const LinetwinSample& sample) {
    const unsigned kinds = sample.seen & (kFieldState | kFieldCounter | kFieldSensor);
    if (kinds == 0) {
      return fail(MessageFault::kMissingField, "",
                  "expected one of 'state', 'counter' or 'sensor'");
    }
    if ((kinds & (kinds - 1)) != 0) {
      return fail(MessageFault::kWrongType, "",
                  "a sample has exactly one of 'state', 'counter' and 'sensor', found several");
    }
    if ((sample.seen & kFieldTs) == 0) {
      return fail(MessageFault::kMissingField, "ts",
                  fmt::format("missing; expected the sample's time: {}", kTimestampSyntax));
    }
    TelemetrySample out;
    out.timestamp_us = sample.timestamp_us;
    out.sequence = sample.sequence;
    NameRef name;
    if (kinds == kFieldState) {
      if ((sample.seen & kFieldValue) != 0) {
        return fail(MessageFault::kWrongType, "value", "a state sample has no value");
      }
      out.kind = SampleKind::kState;
      out.state = sample.state;
      if (!name_ref(sample.reason, "reason", true, name)) return false;
    } else {
      if ((sample.seen & kFieldReason) != 0) {
        return fail(MessageFault::kWrongType, "reason", "only a state sample has a reason");
      }
      if ((sample.seen & kFieldValue) == 0) {
        return fail(MessageFault::kMissingField, "value",
                    kinds == kFieldCounter ? "missing; expected the counter's reading (a number)"
                                           : "missing; expected the sensor's value (a number)");
      }
      const bool counter = kinds == kFieldCounter;
      if (counter && sample.value < 0.0) {
        return fail(
            MessageFault::kWrongType, "value",
            fmt::format("expected a counter reading (a number >= 0), found {}", sample.value));
      }
      out.kind = counter ? SampleKind::kCounter : SampleKind::kSensor;
      out.value = sample.value;
      if (!name_ref(counter ? sample.counter : sample.sensor, counter ? "counter" : "sensor", false,
                    name))
        return false;
    }
    if ((sample.seen & kFieldMachine) != 0) {
      const auto machine = find_machine(sample.machine);
      if (!machine) return unknown_machine("machine", sample.machine);
      out.machine = *machine;
    } else {
      out.machine = kUnresolvedMachine;
      ++unresolved_machines_;
    }
    return append(out, name);
  }

  // Samples without their own "machine" belong to the batch's, or else to the topic's last level.
  bool resolve_default_machine(const LinetwinSample& top) {
    if (unresolved_machines_ == 0) return true;
    array_ = {};
    std::uint32_t machine = 0;
    if ((top.seen & kFieldMachine) != 0) {
      const auto found = find_machine(top.machine);
      if (!found) return unknown_machine("machine", top.machine);
      machine = *found;
    } else {
      const std::string_view level = last_topic_level(topic_);
      if (level.empty()) {
        return fail(MessageFault::kMissingField, "machine",
                    fmt::format("missing; expected the machine id, in the message or as the last "
                                "level of the topic (topic {})",
                                excerpt(topic_)));
      }
      const auto found = find_machine(level);
      if (!found) {
        return fail(MessageFault::kUnknownMachine, "machine",
                    fmt::format("no 'machine' field, and the topic's last level {} is not a "
                                "machine of the scene",
                                excerpt(level)));
      }
      machine = *found;
    }
    for (std::size_t i = start_; i < out_->size(); ++i) {
      if ((*out_)[i].machine == kUnresolvedMachine) (*out_)[i].machine = machine;
    }
    return true;
  }

  // ---- OPC UA PubSub JSON ----------------------------------------------------------------------

  bool decode_data_set_messages(od::value& value) {
    od::array messages;
    if (const error_code error = value.get_array().get(messages)) {
      return value_error(error, value, "Messages", "an array of DataSetMessages");
    }
    array_ = "Messages";
    index_ = 0;
    for (auto element : messages) {
      od::value item;
      if (const error_code error = element.get(item)) return syntax(error, "");
      if (!decode_data_set_message(item)) return false;
      ++index_;
    }
    array_ = {};
    return true;
  }

  // One JSON DataSetMessage (OPC 10000-14, 7.2.5.4): its header, and a Payload whose fields
  // become samples. A DataSetMessage without Payload is a keep-alive.
  bool decode_data_set_message(od::value& value) {
    od::object object;
    if (const error_code error = value.get_object().get(object)) {
      return value_error(error, value, "", "a DataSetMessage (an object)");
    }
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
    record.message_index = index_;
    record.begin = out_->size();
    std::int64_t timestamp_us = kNoTimestamp;
    std::uint64_t sequence = 0;
    bool bad_status = false;
    std::string_view message_type;
    PayloadState payload;
    for (auto field_result : object) {
      od::field field;
      if (const error_code error = std::move(field_result).get(field)) return syntax(error, "");
      std::string_view key;
      if (const error_code error = field.unescaped_key().get(key)) return syntax(error, "");
      od::value& field_value = field.value();
      bool ok = true;
      if (key == "Payload") {
        ok = duplicate(seen, kPayload, key) && decode_payload(field_value, payload);
      } else if (key == "Timestamp") {
        ok = duplicate(seen, kTimestamp, key) && read_timestamp(field_value, key, timestamp_us);
      } else if (key == "SequenceNumber") {
        ok = duplicate(seen, kSequence, key) &&
             read_unsigned(field_value, key, "a sequence number (an unsigned integer)", sequence);
      } else if (key == "DataSetWriterName") {
        ok = duplicate(seen, kWriterName, key) &&
             read_string(field_value, key, "a string", record.writer_name);
      } else if (key == "PublisherId") {
        ok = duplicate(seen, kPublisher, key) &&
             read_string(field_value, key, "a string", record.publisher_id);
      } else if (key == "Status") {
        ok = duplicate(seen, kStatus, key) && read_status(field_value, key, bad_status);
      } else if (key == "MessageType") {
        ok = duplicate(seen, kType, key) &&
             read_string(field_value, key, "a string such as \"ua-keyframe\"", message_type);
      } else if (key == "DataSetWriterId") {
        ok = duplicate(seen, kWriterId, key) && skip_value(field_value, key);
      } else {
        if (key == "WriterGroupName" || key == "MetaDataVersion" || key == "MinorVersion") {
          seen |= kOtherHeader;
        }
        ok = skip_value(field_value, key);
      }
      if (!ok) return false;
    }

    if ((seen & kPayload) == 0) {
      if (seen == 0) {
        return fail(MessageFault::kMissingField, "Payload",
                    "missing; expected a DataSetMessage with its header (DataSetWriterId, "
                    "SequenceNumber, Timestamp, ...) and a Payload, or a keep-alive");
      }
      return true;  // a keep-alive: no samples
    }
    if (bad_status) {  // the values are not to be trusted, says the publisher
      drop_samples_from(record.begin);
      return true;
    }
    if (payload.state_sample != kNoIndex && payload.has_reason) {
      payload_field_ = "StopReason";
      NameRef reason;
      if (!name_ref(payload.reason, "", true, reason)) return false;
      payload_field_ = {};
      set_name(payload.state_sample, reason);
    }
    for (std::size_t i = record.begin; i < out_->size(); ++i) {
      TelemetrySample& sample = (*out_)[i];
      if (sample.timestamp_us == kNoTimestamp) {
        if (timestamp_us == kNoTimestamp) {
          return fail(MessageFault::kMissingField, "Timestamp",
                      "missing; expected the DataSetMessage's Timestamp, or a SourceTimestamp on "
                      "every field");
        }
        sample.timestamp_us = timestamp_us;
      }
      sample.sequence = sequence;
    }
    record.end = out_->size();
    record.has_machine_id = payload.has_machine_id;
    record.machine_id = payload.machine_id;
    if (record.end > record.begin) data_sets_.push_back(record);
    return true;
  }

  void drop_samples_from(std::size_t begin) {
    out_->resize(begin);
    while (!name_patches_.empty() && name_patches_.back().first >= begin)
      name_patches_.pop_back();
  }

  // The DataSet fields: State, StopReason, MachineId, GoodParts and ScrapParts have a meaning;
  // any other field with a number (or a boolean) is a sensor channel of that name, and fields
  // of other types (strings, arrays, structures) are not telemetry the twin follows.
  bool decode_payload(od::value& value, PayloadState& payload) {
    od::object object;
    if (const error_code error = value.get_object().get(object)) {
      return value_error(error, value, "Payload", "an object of DataSet fields");
    }
    enum : unsigned {
      kState = 1U << 0,
      kReason = 1U << 1,
      kMachineId = 1U << 2,
      kGood = 1U << 3,
      kScrap = 1U << 4,
    };
    for (auto field_result : object) {
      od::field field;
      if (const error_code error = std::move(field_result).get(field))
        return syntax(error, "Payload");
      std::string_view key;
      if (const error_code error = field.unescaped_key().get(key)) {
        return syntax(error, "Payload");
      }
      payload_field_ = key;
      unsigned bit = 0;
      if (key == "State") {
        bit = kState;
      } else if (key == "StopReason") {
        bit = kReason;
      } else if (key == "MachineId") {
        bit = kMachineId;
      } else if (key == "GoodParts") {
        bit = kGood;
      } else if (key == "ScrapParts") {
        bit = kScrap;
      }
      if (bit != 0 && (payload.seen & bit) != 0) {
        return fail(MessageFault::kSyntax, "", "duplicate field; each field may appear once");
      }
      payload.seen |= bit;
      FieldReading reading;
      if (!read_field(field.value(), reading, 0)) return false;
      if (!reading.bad_status && !use_field(key, bit, reading, payload)) return false;
    }
    payload_field_ = {};
    return true;
  }

  // "Value.Body" etc.: the wrappers a reading passed through, for fault paths.
  static std::string wrapper_path(const FieldReading& reading, std::string_view key,
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

  bool read_field(od::value& value, FieldReading& reading, int depth) {
    using Kind = FieldReading::Kind;
    const auto leaf = [&reading](std::string_view key) { return wrapper_path(reading, key); };
    od::json_type type{};
    if (const error_code error = value.type().get(type)) return syntax(error, leaf(""));
    reading.value_depth = reading.wrapper_count;
    switch (type) {
      case od::json_type::string:
        if (const error_code error = value.get_string().get(reading.text)) {
          return syntax(error, leaf(""));
        }
        reading.kind = Kind::kString;
        return true;
      case od::json_type::number:
        reading.text = trim_trailing_space(value.raw_json_token());
        if (const error_code error = value.get_double().get(reading.number)) {
          return value_error(error, value, leaf(""), "a number");
        }
        reading.kind = Kind::kNumber;
        return true;
      case od::json_type::boolean:
        if (const error_code error = value.get_bool().get(reading.boolean)) {
          return syntax(error, leaf(""));
        }
        reading.kind = Kind::kBoolean;
        return true;
      case od::json_type::null:
        reading.kind = Kind::kNull;
        return skip_value(value, leaf(""));
      case od::json_type::array:
        reading.kind = Kind::kOther;
        return skip_value(value, leaf(""));
      case od::json_type::object:
        break;
    }
    if (depth >= kMaxWrapperDepth) {
      reading.kind = Kind::kOther;
      return skip_value(value, leaf(""));
    }
    od::object object;
    if (const error_code error = value.get_object().get(object)) return syntax(error, leaf(""));
    bool wrapped = false;
    bool has_dimensions = false;
    bool other_fields = false;  // a structure, not a Variant or DataValue
    for (auto field_result : object) {
      od::field field;
      if (const error_code error = std::move(field_result).get(field)) {
        return syntax(error, leaf(""));
      }
      std::string_view key;
      if (const error_code error = field.unescaped_key().get(key)) return syntax(error, leaf(""));
      if (key == "Value" || key == "Body" || key == "Text") {
        if (wrapped) {
          return fail(MessageFault::kSyntax, leaf(key),
                      "duplicate value; a Variant or DataValue holds one (Value, Body or Text)");
        }
        wrapped = true;
        reading.wrappers[static_cast<std::size_t>(reading.wrapper_count++)] = key;
        if (!read_field(field.value(), reading, depth + 1)) return false;
        --reading.wrapper_count;
        continue;
      }
      bool ok = true;
      if (key == "SourceTimestamp") {
        ok = read_timestamp(field.value(), leaf(key), reading.source_timestamp_us);
      } else if (key == "Status") {
        bool bad = false;
        ok = read_status(field.value(), leaf(key), bad);
        reading.bad_status = reading.bad_status || bad;
      } else {
        // Dimensions: a multi-dimensional array, not a value the twin follows.
        has_dimensions = has_dimensions || key == "Dimensions";
        other_fields = other_fields || (key != "Dimensions" && key != "Type" && key != "UaType" &&
                                        key != "Locale" && key != "SourcePicoseconds" &&
                                        key != "ServerTimestamp" && key != "ServerPicoseconds");
        ok = skip_value(field.value(), leaf(key));
      }
      if (!ok) return false;
    }
    if (has_dimensions || (!wrapped && other_fields)) {
      reading.kind = Kind::kOther;
      reading.value_depth = reading.wrapper_count;
    } else if (!wrapped) {
      reading.kind = Kind::kAbsent;  // a null Variant, or a DataValue without a value
    }
    return true;
  }

  // Turns one read DataSet field into a sample (or into the state's reason, or the machine id).
  bool use_field(std::string_view key, unsigned bit, const FieldReading& reading,
                 PayloadState& payload) {
    using Kind = FieldReading::Kind;
    if (reading.kind == Kind::kAbsent || reading.kind == Kind::kNull) return true;  // no value
    const std::string leaf = wrapper_path(reading, "", reading.value_depth);
    TelemetrySample sample;
    sample.timestamp_us = reading.source_timestamp_us;  // kNoTimestamp: the message's Timestamp
    sample.machine = kUnresolvedMachine;                // resolved with the whole message
    NameRef name;
    if (key == "State") {
      if (reading.kind != Kind::kString) {
        const std::string_view found = reading.kind == Kind::kNumber ? "a number" : "another type";
        return fail(MessageFault::kWrongType, leaf,
                    fmt::format("expected a state name (a String or LocalizedText; PackML state "
                                "numbers differ between standards, so names only), found {}",
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
      sample.kind = SampleKind::kState;
      if (!read_state(text, leaf, sample.state) || !append(sample, name)) return false;
      payload.state_sample = out_->size() - 1;
      return true;
    }
    if (key == "StopReason") {
      // A reason code is named by its digits, as the message wrote them.
      const bool code = reading.kind == Kind::kNumber &&
                        reading.text.find_first_of(".eE") == std::string_view::npos;
      if (reading.kind != Kind::kString && !code) {
        return fail(MessageFault::kWrongType, leaf,
                    "expected a stop reason (a string, or an integer reason code)");
      }
      // Interned only with a State to belong to: a delta frame may carry the reason alone.
      payload.has_reason = true;
      payload.reason = reading.text;
      return check_name(reading.text, leaf, true);
    }
    if (key == "MachineId") {
      if (reading.kind != Kind::kString) {
        return fail(MessageFault::kWrongType, leaf, "expected a machine id (a string)");
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
      return fail(MessageFault::kWrongType, leaf, "expected a counter reading (a number)");
    } else {
      return true;  // not a sensor reading: ignored
    }
    if (counter) {
      if (number < 0.0) {
        return fail(MessageFault::kWrongType, leaf,
                    fmt::format("expected a counter reading (a number >= 0), found {}", number));
      }
      sample.kind = SampleKind::kCounter;
      if (!name_ref(key == "GoodParts" ? kGoodPartsCounter : kScrapPartsCounter, "", false, name))
        return false;
    } else {
      sample.kind = SampleKind::kSensor;
      if (!name_ref(key, "", false, name)) return false;
    }
    sample.value = number;
    return append(sample, name);
  }

  bool finish_network_message(unsigned seen, std::string_view message_type,
                              std::string_view publisher_id) {
    // Metadata, status and discovery messages share topics with data in OPC UA MQTT
    // deployments: they are not telemetry, and not faults either.
    if ((seen & 2U) != 0 && message_type != "ua-data") {
      drop_samples_from(start_);
      pending_names_.clear();  // nothing refers to them any more
      return true;
    }
    if ((seen & 1U) == 0) {
      return fail(MessageFault::kMissingField, "Messages",
                  "missing; expected the array of DataSetMessages of a \"ua-data\" "
                  "NetworkMessage");
    }
    for (const DataSetRecord& record : data_sets_) {
      array_ = "Messages";
      index_ = record.message_index;
      std::uint32_t machine = 0;
      if (!resolve_data_set_machine(record, publisher_id, machine)) return false;
      for (std::size_t i = record.begin; i < record.end; ++i)
        (*out_)[i].machine = machine;
    }
    array_ = {};
    return true;
  }

  // An explicit Payload.MachineId must name a machine. Otherwise the first of DataSetWriterName,
  // the PublisherId (of the DataSetMessage, else of the NetworkMessage) and the topic's last level
  // that names a machine of the scene does: a gateway publishes many machines under its own
  // PublisherId, a machine that publishes itself may name its writers after its datasets.
  bool resolve_data_set_machine(const DataSetRecord& record, std::string_view network_publisher,
                                std::uint32_t& machine) {
    if (record.has_machine_id) {
      const auto found = find_machine(record.machine_id);
      if (!found) return unknown_machine("Payload.MachineId", record.machine_id);
      machine = *found;
      return true;
    }
    const std::array<std::pair<std::string_view, std::string_view>, 3> candidates{{
        {"DataSetWriterName", record.writer_name},
        {"PublisherId", record.publisher_id.empty() ? network_publisher : record.publisher_id},
        {"topic level", last_topic_level(topic_)},
    }};
    std::string tried;
    for (const auto& [what, id] : candidates) {
      if (id.empty()) continue;
      if (const auto found = find_machine(id)) {
        machine = *found;
        return true;
      }
      tried += tried.empty() ? "" : ", ";
      tried += fmt::format("{} {}", what, excerpt(id));
    }
    if (tried.empty()) {
      return fail(MessageFault::kMissingField, "",
                  "expected a machine id: Payload.MachineId, DataSetWriterName, PublisherId or "
                  "the topic's last level");
    }
    return fail(MessageFault::kUnknownMachine, "",
                fmt::format("no machine of the scene among {}", tried));
  }

  // ---- members ---------------------------------------------------------------------------------

  DecoderLimits limits_;
  TelemetryNames& names_;
  od::parser parser_;
  std::unique_ptr<char[]> buffer_;
  std::size_t buffer_capacity_ = 0;

  StringIndex<std::uint32_t> machine_index_;
  StringIndex<std::uint16_t> name_index_;
  std::size_t machines_known_ = 0;
  std::size_t names_known_ = 0;

  // The message being decoded.
  std::string_view topic_;
  std::vector<TelemetrySample>* out_ = nullptr;
  std::size_t start_ = 0;
  MessageFault fault_ = MessageFault::kNone;
  std::string detail_;
  std::string_view array_;  // "samples" or "Messages" while inside one, for fault paths
  std::size_t index_ = 0;
  std::string_view payload_field_;  // the DataSet field being read
  std::size_t unresolved_machines_ = 0;
  std::vector<std::string> pending_names_;  // new names of this message, by pending slot
  StringIndex<std::uint32_t> pending_index_;
  std::vector<std::uint16_t> pending_indexes_;
  std::vector<std::pair<std::size_t, std::uint32_t>> name_patches_;  // (sample, pending slot)
  std::vector<DataSetRecord> data_sets_;
};

MessageDecoder::MessageDecoder(TelemetryNames& names, DecoderLimits limits)
    : impl_(std::make_unique<Impl>(names, limits)) {}

MessageDecoder::~MessageDecoder() = default;

DecodeResult MessageDecoder::decode(std::string_view topic, std::string_view payload,
                                    std::vector<TelemetrySample>& out) {
  return impl_->decode(topic, payload, out);
}

const DecoderLimits& MessageDecoder::limits() const {
  return impl_->limits();
}

}  // namespace linetwin
