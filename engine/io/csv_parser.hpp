// Ben Strasser's Fast C++ CSV Parser (Debian's libfccp-dev, header only), included the one way
// the whole program must include it, for every CSV reader (io/order_file.cpp,
// telemetry/csv_telemetry_log.cpp, telemetry/mtconnect_log.cpp). It does the CSV work: quoting,
// trimming, comment lines, finding columns by their header names and counting lines; the readers
// check the values.
#pragma once

// Read on this thread: otherwise the parser starts a thread to read ahead in files over 32 MiB.
// Every file of the program that includes csv.h must agree on this macro, since it changes the
// layout of the parser's LineReader: include csv.h only through this header.
#define CSV_IO_NO_THREAD
// The parser's header shadows its own members in setters, declares an array in redundant
// parentheses and copies names with strncpy. From a system directory the compiler is silent about
// it, but found through -I (another install prefix) our warnings-as-errors would reject it, so
// exactly those warnings are silenced around it, and nothing of ours.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wparentheses"
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#endif
#include <libfccp/csv.h>
#pragma GCC diagnostic pop

#include <cstring>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace linetwin::csv {

// Called inside a catch block for io::error::base: rethrows the parser's exception, which
// carries the line but speaks in the parser's terms, as an InputError naming the file, the line
// and the column. `expected_header` says what the header row should be.
[[noreturn]] inline void rethrow_as_input_error(const std::string& path, int line,
                                                std::string_view expected_header) {
  auto fail = [&](int at_line, std::string field, const std::string& what) {
    throw InputError({path, at_line, 0, std::move(field)}, what);
  };
  try {
    throw;
  } catch (const io::error::can_not_open_file& e) {
    fail(0, "", fmt::format("cannot open the file: {}", std::strerror(e.errno_value)));
  } catch (const io::error::header_missing&) {
    fail(0, "", fmt::format("the file is empty; expected {}", expected_header));
  } catch (const io::error::duplicated_column_in_header& e) {
    fail(1, e.column_name,
         fmt::format("the header names the column '{}' twice; expected each column once",
                     e.column_name));
  } catch (const io::error::too_few_columns&) {
    fail(line, "", "this row has fewer fields than the header has columns; expected one each");
  } catch (const io::error::too_many_columns&) {
    fail(line, "",
         "this row has more fields than the header has columns; expected one each (a comma "
         "inside a field needs double quotes around the field)");
  } catch (const io::error::escaped_string_not_closed&) {
    fail(line, "", "a double-quoted field is not closed; expected a closing \" on the same line");
  } catch (const io::error::line_length_limit_exceeded&) {
    fail(line, "", "this line is longer than 16 MiB; expected one sample a line");
  } catch (const io::error::base& e) {
    fail(line, "", e.what());  // one not anticipated here; still say where
  }
  throw;  // unreachable: every branch above throws
}

}  // namespace linetwin::csv
