// The one error type for bad user input: scene files, CLI flags, and later telemetry messages and
// Python arguments. It says where (file, line and column where known, and the path of the field
// such as `elements[3].processing.mean`), what was found and what was expected. Programmer errors
// are asserts, never this type.
#pragma once

#include <stdexcept>
#include <string>

namespace linetwin {

struct InputLocation {
  std::string file;        // empty when the input is not a file (a flag, a string)
  int line = 0;            // 1-based; 0 when unknown
  int column = 0;          // 1-based; 0 when unknown
  std::string field_path;  // e.g. "elements[2].capacity"; empty when the whole input is at fault
};

class InputError : public std::runtime_error {
 public:
  InputError(InputLocation where, const std::string& message)
      : std::runtime_error(format(where, message)), where_(std::move(where)), message_(message) {}

  const InputLocation& where() const { return where_; }
  // The message without the location prefix.
  const std::string& message() const { return message_; }

 private:
  static std::string format(const InputLocation& where, const std::string& message) {
    std::string text;
    if (!where.file.empty()) {
      text += where.file;
      if (where.line > 0) {
        text += ':' + std::to_string(where.line);
        if (where.column > 0) text += ':' + std::to_string(where.column);
      }
      text += ": ";
    }
    if (!where.field_path.empty()) text += "field '" + where.field_path + "': ";
    return text + message;
  }
  InputLocation where_;
  std::string message_;
};

}  // namespace linetwin
