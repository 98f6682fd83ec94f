// Order files: what they accept (columns in any order, extra columns, quotes, spaces, units,
// blank lines, Windows line ends), that orders come back in release order with ties in file order,
// and that every kind of bad input is reported with the file, the line and the column, and what
// was expected.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "input_error_check.hpp"
#include "io/order_file.hpp"
#include "test_files.hpp"

using namespace linetwin;
using linetwin::test::TempDir;

namespace {

// Loads `path` and returns the error; fails the test if there is none.
InputError load_error(const std::string& path) {
  return linetwin::test::input_error([&] { load_order_file(path); });
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Writes a file whose line 3 (after a header and one good order) is `bad_line`, and returns the
// error loading it gives.
InputError error_on_line_3(const TempDir& dir, const std::string& bad_line) {
  return load_error(
      dir.write("orders.csv", "order_id,variant,release_time\nA1,sedan,0\n" + bad_line + "\n"));
}

}  // namespace

TEST_CASE("order file: columns in any order, extra columns ignored, quotes and spaces removed") {
  TempDir dir;
  const std::string path = dir.write("orders.csv",
                                     "customer, release_time ,variant,order_id\n"
                                     "\"Kunde, Nord\", 90 min , sedan ,A1\n"
                                     "x,\"2h\",\"estate\",\" A2 \"\n"
                                     "y,45,coupe,\"A\"\"3\"\n");
  const std::vector<Order> orders = load_order_file(path);
  REQUIRE(orders.size() == 3);
  CHECK(orders[0].id == "A\"3");  // "" inside quotes is one quote
  CHECK(orders[0].variant == "coupe");
  CHECK(orders[0].release_s == 45.0);
  CHECK(orders[0].line == 4);
  CHECK(orders[1].id == "A1");
  CHECK(orders[1].variant == "sedan");
  CHECK(orders[1].release_s == 90.0 * 60.0);
  CHECK(orders[1].line == 2);
  CHECK(orders[2].id == "A2");  // spaces inside the quotes are trimmed too
  CHECK(orders[2].variant == "estate");
  CHECK(orders[2].release_s == 2.0 * 3600.0);
  CHECK(orders[2].line == 3);
}

TEST_CASE("order file: sorted by release time, orders released together keep the file's order") {
  TempDir dir;
  const std::string path = dir.write("orders.csv",
                                     "order_id,variant,release_time\n"
                                     "S1,sedan,10min\n"
                                     "S2,estate,0\n"
                                     "S3,coupe,600\n"
                                     "S4,sedan,0s\n"
                                     "S5,estate,10 min\n"
                                     "S6,sedan,1.5\n");
  const std::vector<Order> orders = load_order_file(path);
  std::vector<std::string> ids;
  for (const Order& order : orders)
    ids.push_back(order.id);
  CHECK(ids == std::vector<std::string>{"S2", "S4", "S6", "S1", "S3", "S5"});
  CHECK(orders.front().line == 3);
  CHECK(orders.back().line == 6);
}

TEST_CASE("order file: blank lines and Windows line ends; lines count as in an editor") {
  TempDir dir;
  const std::string path = dir.write("orders.csv",
                                     "\r\n"
                                     "order_id,variant,release_time\r\n"
                                     "A1,sedan,5\r\n"
                                     "   \r\n"
                                     "\r\n"
                                     "A2,estate,7");  // no line end after the last line
  const std::vector<Order> orders = load_order_file(path);
  REQUIRE(orders.size() == 2);
  CHECK(orders[0].line == 3);
  CHECK(orders[1].id == "A2");
  CHECK(orders[1].variant == "estate");
  CHECK(orders[1].release_s == 7.0);
  CHECK(orders[1].line == 6);
}

TEST_CASE("order file: a missing file or a directory is named, with why it cannot be read") {
  TempDir dir;
  const std::string missing = dir.path() + "/no-such-orders.csv";
  const InputError e = load_error(missing);
  CHECK(e.where().file == missing);
  CHECK(e.where().line == 0);
  CHECK(contains(e.message(), "cannot open the order file"));
  CHECK(contains(e.message(), "No such file"));
  const InputError directory = load_error(dir.path());
  CHECK(directory.where().file == dir.path());
  CHECK(contains(directory.message(), "is a directory"));
}

TEST_CASE("order file: an empty file, or a header without orders, says what was expected") {
  TempDir dir;
  const std::string empty = dir.write("empty.csv", "");
  const InputError e = load_error(empty);
  CHECK(e.where().file == empty);
  CHECK(contains(e.message(), "empty"));
  CHECK(contains(e.message(), "order_id, variant and release_time"));
  const InputError blank = load_error(dir.write("blank.csv", "\n  \n"));
  CHECK(contains(blank.message(), "empty"));
  const InputError header_only =
      load_error(dir.write("header.csv", "order_id,variant,release_time\n\n"));
  CHECK(contains(header_only.message(), "no orders"));
}

TEST_CASE("order file: a column missing from the header is named, on the header's line") {
  TempDir dir;
  const InputError e =
      load_error(dir.write("orders.csv", "order_id,variant,release\nA1,sedan,0\n"));
  CHECK(e.where().line == 1);
  CHECK(e.where().field_path == "release_time");
  CHECK(contains(e.message(), "no column 'release_time'"));
  CHECK(contains(std::string(e.what()), "orders.csv:1: field 'release_time': "));
  // Header names are matched exactly.
  const InputError cased =
      load_error(dir.write("cased.csv", "\nOrder_ID,variant,release_time\nA1,sedan,0\n"));
  CHECK(cased.where().line == 2);
  CHECK(cased.where().field_path == "order_id");
  const InputError twice = load_error(
      dir.write("twice.csv", "order_id,variant,release_time,variant\nA1,sedan,0,estate\n"));
  CHECK(twice.where().line == 1);
  CHECK(twice.where().field_path == "variant");
  CHECK(contains(twice.message(), "twice"));
}

TEST_CASE("order file: an empty order id is rejected at its line and column") {
  TempDir dir;
  for (const std::string bad : {",sedan,0", "  ,sedan,0", "\" \",sedan,0"}) {
    CAPTURE(bad);
    const InputError e = error_on_line_3(dir, bad);
    CHECK(e.where().line == 3);
    CHECK(e.where().field_path == "order_id");
    CHECK(contains(e.message(), "order id is empty"));
  }
}

TEST_CASE("order file: a duplicate order id names the line of the first") {
  TempDir dir;
  const InputError e = load_error(dir.write("orders.csv",
                                            "order_id,variant,release_time\n"
                                            "A1,sedan,0\n"
                                            "A2,sedan,0\n"
                                            "\"A1\",estate,5\n"));
  CHECK(e.where().line == 4);
  CHECK(e.where().field_path == "order_id");
  CHECK(contains(e.message(), "'A1' is already on line 2"));
}

TEST_CASE("order file: an empty variant is rejected at its line and column") {
  TempDir dir;
  const InputError e = error_on_line_3(dir, "A2, ,0");
  CHECK(e.where().line == 3);
  CHECK(e.where().field_path == "variant");
  CHECK(contains(e.message(), "variant is empty"));
}

TEST_CASE("order file: a release time that is not a duration >= 0 is rejected") {
  TempDir dir;
  for (const std::string bad :
       {"A2,sedan,soon", "A2,sedan,5 parsecs", "A2,sedan,", "A2,sedan,12:00"}) {
    CAPTURE(bad);
    const InputError e = error_on_line_3(dir, bad);
    CHECK(e.where().line == 3);
    CHECK(e.where().field_path == "release_time");
    CHECK(contains(e.message(), "expected a duration such as"));
  }
  const InputError empty = error_on_line_3(dir, "A2,sedan,\"\"");
  CHECK(contains(empty.message(), "found nothing"));
  const InputError negative = error_on_line_3(dir, "A2,sedan,-5min");
  CHECK(negative.where().line == 3);
  CHECK(negative.where().field_path == "release_time");
  CHECK(contains(negative.message(), ">= 0"));
  CHECK(contains(negative.message(), "'-5min'"));
}

TEST_CASE("order file: a release time later than a run can last is rejected") {
  // A run lasts at most from 2026-01-05, where its recording starts, to the end of the year 9999:
  // 251,634,729,599 s.
  TempDir dir;
  for (const std::string late : {"A2,sedan,251634729600", "A2,sedan,1e999", "A2,sedan,1e306w"}) {
    CAPTURE(late);
    const InputError e = error_on_line_3(dir, late);
    CHECK(e.where().line == 3);
    CHECK(e.where().field_path == "release_time");
    CHECK(contains(e.message(), "expected a duration of at most 251634729599s"));
  }
  const std::vector<Order> orders = load_order_file(
      dir.write("last.csv", "order_id,variant,release_time\nA1,sedan,251634729599\n"));
  CHECK(orders.front().release_s == 251634729599.0);
}

TEST_CASE("order file: more orders than one file may hold are rejected at the first one too many") {
  TempDir dir;
  std::string text = "order_id,variant,release_time\n";
  for (std::size_t i = 0; i <= kMaxOrders; ++i)
    text.append("A").append(std::to_string(i)).append(",sedan,0\n");
  const InputError e = load_error(dir.write("many.csv", text));
  CHECK(e.where().line == static_cast<int>(kMaxOrders) + 2);  // after the header
  CHECK(contains(e.message(), "more than 1000000 orders; expected at most 1000000"));
}

TEST_CASE("order file: too few or too many fields on a line are rejected at that line") {
  TempDir dir;
  const InputError few = error_on_line_3(dir, "A2,sedan");
  CHECK(few.where().file == dir.path() + "/orders.csv");
  CHECK(few.where().line == 3);
  CHECK(contains(few.message(), "fewer fields"));
  const InputError many = error_on_line_3(dir, "A2,sedan,5,extra");
  CHECK(many.where().line == 3);
  CHECK(contains(many.message(), "more fields"));
}

TEST_CASE("order file: an unclosed double quote is rejected at its line") {
  TempDir dir;
  const InputError e = error_on_line_3(dir, "\"A2,sedan,5");
  CHECK(e.where().line == 3);
  CHECK(contains(e.message(), "not closed"));
}
