// The facade over the two wire formats. It parses the payload, tells the formats apart by their
// top-level fields and hands each field to its format's decoder (linetwin_json_decoder.hpp,
// opcua_pubsub_decoder.hpp); both read values through the shared field readers
// (json_field_readers.hpp) and append to the shared message samples (message_samples.hpp).
//
// How the decoder stays fast and safe:
//  - The payload is copied into a buffer with SIMDJSON_PADDING bytes after it (simdjson reads
//    whole 64-byte blocks), and parsed with one On-Demand parser allocated once. Every value is
//    read through simdjson's error codes; nothing is thrown, and a fault stops the decoding at
//    once.
//  - The message is read once, top to bottom: a top-level field goes to the decoder whose field it
//    is, as it comes, so the format needs no look-ahead. Fields of both formats are a fault once
//    the message is read.
//  - A faulty message changes nothing: its samples are cut back and its new names never interned.
//  - A payload that is not JSON at all is a syntax fault wherever it breaks, even when its first
//    token looks like a value (`[1,2`, `tru`, `42 x`); only well-formed JSON that is not an object
//    is the wrong type.
#include "telemetry/message_decoder.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "telemetry/json_field_readers.hpp"
#include "telemetry/linetwin_json_decoder.hpp"
#include "telemetry/message_samples.hpp"
#include "telemetry/opcua_pubsub_decoder.hpp"

namespace linetwin {

using namespace decoding;

namespace {

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

// The whole document has been read: On-Demand has no current location past its end.
bool at_end(od::document& doc) {
  const char* location = nullptr;
  return doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

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
      : limits_(limits),
        parser_(limits.max_payload_bytes),
        samples_(names, limits_, reader_),
        linetwin_(reader_, samples_),
        opcua_(reader_, samples_) {
    // One allocation for the largest message allowed; iterate() never grows the parser after.
    // If it fails (out of memory), iterate() tries again and reports it for the message.
    if (parser_.allocate(limits_.max_payload_bytes, kMaxJsonDepth) != simdjson::SUCCESS) {
      parser_ = od::parser(limits_.max_payload_bytes);
    }
  }

  const DecoderLimits& limits() const { return limits_; }

  DecodeResult decode(std::string_view topic, std::string_view payload,
                      std::vector<TelemetrySample>& out) {
    reader_.start();
    samples_.start(topic, out);
    linetwin_.start();
    opcua_.start();
    if (payload.size() > limits_.max_payload_bytes) {
      reader_.fail(MessageFault::kOversized, "",
                   fmt::format("the payload has {} bytes, more than the limit of {}",
                               payload.size(), limits_.max_payload_bytes));
    } else if (trim_trailing_space(payload).empty()) {
      reader_.fail(MessageFault::kSyntax, "", "the payload is empty; expected a JSON object");
    } else {
      text_read_ = false;
      parse(payload);
      const MessageFault fault = reader_.fault();
      if (fault != MessageFault::kNone && fault != MessageFault::kSyntax && !text_read_) {
        confirm_json(payload.size());
      }
    }
    DecodeResult result;
    if (reader_.fault() == MessageFault::kNone) {
      result.samples = samples_.commit();
    } else {
      samples_.roll_back();
      result.fault = reader_.fault();
      result.detail = reader_.take_detail();
    }
    return result;
  }

 private:
  void parse(std::string_view payload) {
    const std::size_t needed = payload.size() + simdjson::SIMDJSON_PADDING;
    if (needed > buffer_capacity_) {
      buffer_capacity_ = std::max(needed, 2 * buffer_capacity_);
      buffer_ = std::make_unique<char[]>(buffer_capacity_);
    }
    std::memcpy(buffer_.get(), payload.data(), payload.size());
    std::memset(buffer_.get() + payload.size(), ' ', simdjson::SIMDJSON_PADDING);
    od::document doc;
    if (const error_code error = parser_.iterate(padded(payload.size())).get(doc)) {
      reader_.syntax(error, "");
      return;
    }
    decode_document(doc, payload);
  }

  // The payload, as copied into the buffer.
  simdjson::padded_string_view padded(std::size_t size) const {
    return simdjson::padded_string_view(buffer_.get(), size, buffer_capacity_);
  }

  bool decode_document(od::document& doc, std::string_view payload) {
    od::object root;
    if (const error_code error = doc.get_object().get(root)) {
      // Not an object, or one that is cut off: which, the first token says.
      od::json_type type{};
      if (doc.type().get(type) != simdjson::SUCCESS) return no_json_value(payload);
      if (type == od::json_type::object) return reader_.syntax(error, "");
      return not_an_object(doc, type, payload);
    }
    std::string_view linetwin_key;  // the first field of each format, to name a mix of both
    std::string_view opcua_key;
    const bool read = reader_.for_each_field(root, "", [&](std::string_view key, od::value& value) {
      bool taken = false;
      if (!linetwin_.read_top_field(key, value, taken)) return false;
      if (taken) {
        if (linetwin_key.empty()) linetwin_key = key;
        return true;
      }
      if (!opcua_.read_top_field(key, value, taken)) return false;
      if (taken) {
        if (opcua_key.empty()) opcua_key = key;
        return true;
      }
      // A field of neither format is ignored, once it has proved well-formed.
      return reader_.skip_value(value, key);
    });
    if (!read) return false;
    // The object must be the whole message.
    if (!at_end(doc)) return content_after("the message's object");
    text_read_ = true;

    if (!linetwin_key.empty() && !opcua_key.empty()) {
      return reader_.fail(MessageFault::kWrongType, "",
                          fmt::format("expected a linetwin message or an OPC UA NetworkMessage, "
                                      "found fields of both ('{}' and '{}')",
                                      linetwin_key, opcua_key));
    }
    if (!opcua_key.empty()) return opcua_.finish();
    if (linetwin_key.empty()) {
      return reader_.fail(MessageFault::kMissingField, "",
                          "expected a linetwin sample ('ts' and one of 'state', 'counter', "
                          "'sensor'), a batch ('samples') or an OPC UA NetworkMessage "
                          "('Messages')");
    }
    return linetwin_.finish();
  }

  // The payload does not start with a JSON value ("hello", a byte order mark, binary that
  // happens to be UTF-8).
  bool no_json_value(std::string_view payload) {
    const std::size_t start = payload.find_first_not_of(" \t\n\r");
    payload.remove_prefix(std::min(start, payload.size()));
    if (payload.starts_with("\xEF\xBB\xBF")) {
      return reader_.fail(MessageFault::kSyntax, "",
                          "invalid JSON (it starts with a byte order mark, which JSON sent over "
                          "a network must not have: RFC 8259, 8.1); expected a JSON object");
    }
    return reader_.fail(
        MessageFault::kSyntax, "",
        fmt::format("invalid JSON (found {}); expected a JSON object", excerpt(payload)));
  }

  // A message that is well-formed JSON but not an object is the wrong type; a broken one is a
  // syntax fault, however it starts, so the whole text is read before saying which.
  bool not_an_object(od::document& doc, od::json_type type, std::string_view payload) {
    const std::string_view found = json_type_name(type);
    if (type == od::json_type::array) {
      od::value array;
      if (const error_code error = doc.get_value().get(array)) return reader_.syntax(error, "");
      if (!reader_.skip_value(array, "")) return false;
      return at_end(doc) ? wrong_root(found) : content_after(found);
    }
    // A scalar: its token must be the whole text (it ends where the payload ends), and valid.
    std::string_view token;
    if (doc.raw_json_token().get(token) != simdjson::SUCCESS) return no_json_value(payload);
    if (token.data() + token.size() != buffer_.get() + payload.size()) return content_after(found);
    token = trim_trailing_space(token);
    // Literals and numbers by their text: simdjson 3.0's root-level checks let "nulli" through.
    bool valid = false;
    switch (type) {
      case od::json_type::number:
        if (is_json_number(token)) {  // a number out of a double's range is still JSON
          return wrong_root(fmt::format("the number {}", excerpt(token, false)));
        }
        break;
      case od::json_type::string: {
        std::string_view text;
        valid = doc.get_string().get(text) == simdjson::SUCCESS;
        break;
      }
      case od::json_type::boolean:
        valid = token == "true" || token == "false";
        break;
      case od::json_type::null:
        valid = token == "null";
        break;
      case od::json_type::array:
      case od::json_type::object:
        break;  // read above, and by decode_document
    }
    return valid ? wrong_root(found) : no_json_value(payload);
  }

  bool wrong_root(std::string_view found) {
    text_read_ = true;  // only said of a whole text that proved JSON
    return reader_.fail(MessageFault::kWrongType, "",
                        fmt::format("expected a JSON object, found {}", found));
  }

  bool content_after(std::string_view found) {
    return reader_.fail(MessageFault::kSyntax, "",
                        fmt::format("invalid JSON (content after {})", found));
  }

  // A fault met part-way through the text says nothing of the rest, and a payload that is not
  // JSON at all is a syntax fault whatever else it has wrong (a bad time, then a broken value).
  // Only such faulty messages pay for reading the text again, value by value, as the first
  // reading reads past the fields of neither format.
  void confirm_json(std::size_t size) {
    od::document doc;
    od::object root;
    // Both succeeded on the first reading: only objects are left unread after a fault.
    if (parser_.iterate(padded(size)).get(doc) != simdjson::SUCCESS ||
        doc.get_object().get(root) != simdjson::SUCCESS)
      return;
    FieldReader walk;
    if (!walk.for_each_field(root, "", [&walk](std::string_view key, od::value& value) {
          return walk.skip_value(value, key);
        })) {
      reader_ = std::move(walk);
    } else if (!at_end(doc)) {
      reader_.start();  // the fault is the whole message's, not the place of the first one
      content_after("the message's object");
    }
  }

  // Declared in this order: each is made from those above it.
  DecoderLimits limits_;
  od::parser parser_;
  std::unique_ptr<char[]> buffer_;
  std::size_t buffer_capacity_ = 0;
  bool text_read_ = false;  // the whole payload has been read, and is JSON
  FieldReader reader_;
  MessageSamples samples_;
  LinetwinJsonDecoder linetwin_;
  OpcuaPubsubDecoder opcua_;
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
