// Reads order files with Ben Strasser's Fast C++ CSV Parser (Debian's libfccp-dev, header only),
// which does the CSV work: quoting, trimming, finding the columns by their header names, and
// counting lines. This file checks the values and turns the parser's exceptions, which carry the
// line but speak in their own terms, into InputError.
#include "io/order_file.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "io/csv_parser.hpp"

#include "core/duration.hpp"
#include "core/input_error.hpp"

namespace linetwin {

namespace {

constexpr std::string_view kIdColumn = "order_id";
constexpr std::string_view kVariantColumn = "variant";
constexpr std::string_view kReleaseColumn = "release_time";
constexpr std::string_view kExpectedHeader =
    "a header row naming the columns order_id, variant and release_time";

// Fields separated by commas, optionally in double quotes ("" inside stands for one quote),
// spaces and tabs around them trimmed, blank lines skipped.
using CsvReader = io::CSVReader<3, io::trim_chars<' ', '\t'>, io::double_quote_escape<',', '"'>,
                                io::throw_on_overflow, io::empty_line_comment>;

[[noreturn]] void fail(const std::string& path, int line, std::string_view field,
                       const std::string& what) {
  throw InputError({path, line, 0, std::string(field)}, what);
}

// The parser trims outside the quotes only; an id or variant with spaces inside them would later
// match nothing in the scene, for reasons invisible in the file.
std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Called inside a catch block for io::error::base: rethrows the parser's exception as an
// InputError. `line` is the line the parser was reading (the header's own errors carry none).
[[noreturn]] void rethrow_as_input_error(const std::string& path, int line) {
  try {
    throw;
  } catch (const io::error::header_missing&) {
    fail(path, 0, "", fmt::format("the file is empty; expected {}", kExpectedHeader));
  } catch (const io::error::missing_column_in_header& e) {
    fail(path, line, e.column_name,
         fmt::format("the header has no column '{}'; expected {}", e.column_name, kExpectedHeader));
  } catch (const io::error::duplicated_column_in_header& e) {
    fail(path, line, e.column_name,
         fmt::format("the header names the column '{}' twice; expected each column once",
                     e.column_name));
  } catch (const io::error::too_few_columns&) {
    fail(path, line, "",
         "this line has fewer fields than the header has columns; expected one field for each "
         "column");
  } catch (const io::error::too_many_columns&) {
    fail(path, line, "",
         "this line has more fields than the header has columns; expected one field for each "
         "column (a comma inside a field needs double quotes around the field)");
  } catch (const io::error::escaped_string_not_closed&) {
    fail(path, line, "",
         "a double-quoted field is not closed; expected a closing \" on the same line");
  } catch (const io::error::line_length_limit_exceeded&) {
    fail(path, line, "", "this line is longer than 16 MiB; expected one order a line");
  } catch (const io::error::base& e) {
    // One this reader does not anticipate; still say where.
    fail(path, line, "", e.what());
  }
}

}  // namespace

std::vector<Order> load_order_file(const std::string& path) {
  // fopen opens a directory, which then reads as an empty file.
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    fail(path, 0, "", "is a directory; expected an order file (CSV)");
  }
  // On the heap because the parser can be neither copied nor moved, and has to outlive the
  // try block that catches its constructor's error.
  std::unique_ptr<CsvReader> csv;
  try {
    csv = std::make_unique<CsvReader>(path);
  } catch (const io::error::can_not_open_file& e) {
    fail(path, 0, "", fmt::format("cannot open the order file: {}", std::strerror(e.errno_value)));
  }

  std::vector<Order> orders;
  std::unordered_map<std::string, int> line_of_id;
  try {
    csv->read_header(io::ignore_extra_column, std::string(kIdColumn), std::string(kVariantColumn),
                     std::string(kReleaseColumn));
    std::string id_field, variant_field, release_field;
    while (csv->read_row(id_field, variant_field, release_field)) {
      const int line = static_cast<int>(csv->get_file_line());
      Order order{trimmed(id_field), trimmed(variant_field), 0.0, line};

      if (order.id.empty()) {
        fail(path, line, kIdColumn, "the order id is empty; expected an id that names the order");
      }
      const auto [first, inserted] = line_of_id.emplace(order.id, line);
      if (!inserted) {
        fail(path, line, kIdColumn,
             fmt::format("the order id '{}' is already on line {}; expected each order id once",
                         order.id, first->second));
      }

      if (order.variant.empty()) {
        fail(path, line, kVariantColumn,
             "the variant is empty; expected the name of the product variant to build");
      }

      const std::string release = trimmed(release_field);
      if (release.empty()) {
        fail(path, line, kReleaseColumn,
             fmt::format("expected {}, found nothing", kDurationSyntax));
      }
      // A release time from the start of the run, no later than a run can last.
      order.release_s = read_duration(release, true, {path, line, 0, std::string(kReleaseColumn)});
      if (orders.size() == kMaxOrders) {
        fail(path, line, "",
             fmt::format("more than {} orders; expected at most {} in one order file", kMaxOrders,
                         kMaxOrders));
      }
      orders.push_back(std::move(order));
    }
  } catch (const io::error::base&) {
    rethrow_as_input_error(path, static_cast<int>(csv->get_file_line()));
  }

  if (orders.empty()) {
    fail(path, 0, "",
         fmt::format("no orders; expected a row for each order after {}", kExpectedHeader));
  }
  // Stable: orders released together are built in the sequence the file lists them.
  std::stable_sort(orders.begin(), orders.end(),
                   [](const Order& a, const Order& b) { return a.release_s < b.release_s; });
  return orders;
}

}  // namespace linetwin
