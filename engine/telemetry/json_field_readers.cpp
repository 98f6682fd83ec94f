// The field readers' fault paths and the readers that call out anyway (times, states, status
// codes, values read past). Fault details follow docs/telemetry-messages.md's table.
#include "telemetry/json_field_readers.hpp"

#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "core/timestamp.hpp"

namespace linetwin::decoding {

std::string excerpt(std::string_view text, bool quoted) {
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

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

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

std::optional<double> number_in_text(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::string JsonPath::to_string(std::string_view leaf) const {
  std::string where;
  if (!array.empty()) where = fmt::format("{}[{}]", array, index);
  if (!object.empty()) {
    if (!where.empty()) where += '.';
    where += object;
    where += '.';
    // A DataSet field's name is the publisher's: shown safely when it is not a plain name.
    where += is_printable_name(field) ? std::string(field) : excerpt(field);
  }
  if (!leaf.empty()) {
    if (!where.empty()) where += '.';
    where += leaf;
  }
  return where.empty() ? "(message)" : where;
}

// ---- recording a fault ----------------------------------------------------------------------

bool FieldReader::fail(MessageFault fault, std::string_view leaf, std::string_view what) {
  fault_ = fault;
  detail_ = path.to_string(leaf);
  detail_ += ": ";
  detail_ += what;
  return false;
}

bool FieldReader::syntax(error_code error, std::string_view leaf) {
  return fail(MessageFault::kSyntax, leaf,
              fmt::format("invalid JSON ({})", simdjson::error_message(error)));
}

bool FieldReader::value_error(error_code error, od::value& value, std::string_view leaf,
                              std::string_view expected) {
  const bool number_error =
      error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE;
  if (error != simdjson::INCORRECT_TYPE && !number_error) return syntax(error, leaf);
  od::json_type type{};
  if (value.type().get(type) != simdjson::SUCCESS) return syntax(error, leaf);
  if (type == od::json_type::number) {
    const std::string_view token = trim_trailing_space(value.raw_json_token());
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

bool FieldReader::duplicate(std::string_view key) {
  return fail(MessageFault::kSyntax, key, "duplicate field; each field may appear once");
}

bool FieldReader::out_of_range(std::string_view leaf, std::string_view expected) {
  return fail(MessageFault::kWrongType, leaf,
              fmt::format("expected {}, found a number out of range", expected));
}

bool FieldReader::negative_counter(double reading, std::string_view leaf) {
  return fail(MessageFault::kWrongType, leaf,
              fmt::format("expected a counter reading (a number >= 0), found {}", reading));
}

bool FieldReader::bad_name(std::string_view name, std::string_view leaf) {
  return fail(MessageFault::kWrongType, leaf,
              fmt::format("expected a name of 1 to {} printable characters, found {}",
                          kMaxNameBytes, name.empty() ? "an empty string" : excerpt(name)));
}

// ---- reading values -------------------------------------------------------------------------

bool FieldReader::read_timestamp(od::value& value, std::string_view leaf,
                                 std::int64_t& timestamp_us) {
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

bool FieldReader::bad_state(std::string_view text, std::string_view leaf) {
  return fail(MessageFault::kBadState, leaf,
              fmt::format("expected a state (producing, idle, blocked, down, setup, off_shift, "
                          "unknown, or a PackML state such as Execute or Held), found {}",
                          excerpt(text)));
}

bool FieldReader::read_status(od::value& value, std::string_view leaf, bool& bad) {
  constexpr std::string_view kExpected = "a StatusCode (a number, or an object with a Code)";
  od::json_type type{};
  if (const error_code error = value.type().get(type)) return syntax(error, leaf);
  std::uint64_t code = 0;
  if (type == od::json_type::object) {
    od::object object;
    if (const error_code error = value.get_object().get(object)) return syntax(error, leaf);
    const bool read = for_each_field(object, leaf, [&](std::string_view key, od::value& field) {
      return key == "Code" ? read_unsigned(field, leaf, kExpected, code) : skip_value(field, leaf);
    });
    if (!read) return false;
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

bool FieldReader::skip_value(od::value& value, std::string_view leaf, std::size_t depth) {
  od::json_type type{};
  if (const error_code error = value.type().get(type)) return syntax(error, leaf);
  switch (type) {
    case od::json_type::array:
    case od::json_type::object:
      break;
    case od::json_type::number: {
      double number = 0.0;
      const error_code error = value.get_double().get(number);
      if (error == simdjson::SUCCESS ||
          (error == simdjson::NUMBER_ERROR &&
           is_json_number(trim_trailing_space(value.raw_json_token()))))
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
    return for_each_element(array, leaf,
                            [&](od::value& item) { return skip_value(item, leaf, depth + 1); });
  }
  od::object object;
  if (const error_code error = value.get_object().get(object)) return syntax(error, leaf);
  return for_each_field(object, leaf, [&](std::string_view, od::value& field) {
    return skip_value(field, leaf, depth + 1);
  });
}

}  // namespace linetwin::decoding
