// Snapshot files: a snapshot written and read again is the same to the bit, unknown numbers and
// levels included; the documented example reads as documented; stations and buffers left out
// come back idle and empty, in scene order; and every kind of bad input is refused at its line,
// column and field, with what was expected.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "input_error_check.hpp"
#include "io/scene_file.hpp"
#include "io/snapshot_file.hpp"
#include "test_files.hpp"

using namespace linetwin;

namespace {

const std::string kSource = LINETWIN_SOURCE_DIR;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const Scene& breakdown_line() {
  static const Scene scene = load_scene_file(kSource + "/scenes/breakdown_line.yaml");
  return scene;
}

// A line with a station of two servers, and ids that YAML would read as other things than text
// unless they are quoted.
const Scene& two_servers() {
  static const Scene scene = load_scene_text(R"(linetwin_scene: 1
name: two servers
elements:
  - {id: in, type: source, supply: unlimited, to: M1}
  - {id: M1, type: station, servers: 2, processing: 30s, to: "null"}
  - {id: "null", type: buffer, capacity: 3, to: "1e5"}
  - {id: "1e5", type: station, processing: 20s, to: "true"}
  - {id: "true", type: buffer, capacity: 2, to: M3}
  - {id: M3, type: station, processing: 20s, to: out}
  - {id: out, type: sink}
)",
                                             "two_servers.yaml");
  return scene;
}

// NaN stands for "not known", so two NaNs are the same value here; every other double must be
// equal to the bit.
bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

void check_same(const LineSnapshot& got, const LineSnapshot& want) {
  CHECK(got.origin == want.origin);
  CHECK(got.scene == want.scene);
  CHECK(got.timestamp_us == want.timestamp_us);
  CHECK(same(got.simulated_time_s, want.simulated_time_s));
  REQUIRE(got.stations.size() == want.stations.size());
  for (std::size_t i = 0; i < want.stations.size(); ++i) {
    const StationSnapshot& g = got.stations[i];
    const StationSnapshot& w = want.stations[i];
    INFO("station " << w.id);
    CHECK(g.id == w.id);
    CHECK(g.activity == w.activity);
    CHECK(same(g.in_state_s, w.in_state_s));
    CHECK(g.down_for_s.has_value() == w.down_for_s.has_value());
    if (w.down_for_s && g.down_for_s) CHECK(same(*g.down_for_s, *w.down_for_s));
    REQUIRE(g.parts.size() == w.parts.size());
    for (std::size_t p = 0; p < w.parts.size(); ++p) {
      CHECK(g.parts[p].finished == w.parts[p].finished);
      CHECK(same(g.parts[p].work_done_s, w.parts[p].work_done_s));
    }
  }
  REQUIRE(got.buffers.size() == want.buffers.size());
  for (std::size_t i = 0; i < want.buffers.size(); ++i) {
    INFO("buffer " << want.buffers[i].id);
    CHECK(got.buffers[i].id == want.buffers[i].id);
    CHECK(got.buffers[i].level == want.buffers[i].level);
    CHECK(got.buffers[i].source == want.buffers[i].source);
  }
}

StationSnapshot station(std::string id, StationActivity activity, double in_state_s,
                        std::vector<HeldPart> parts = {},
                        std::optional<double> down_for_s = std::nullopt) {
  return {std::move(id), activity, in_state_s, std::move(parts), down_for_s};
}

// The example of docs/snapshot-format.md, which must be this text: the first YAML block there.
std::string documented_example() {
  std::ifstream in(kSource + "/docs/snapshot-format.md");
  std::stringstream doc;
  doc << in.rdbuf();
  const std::string text = doc.str();
  const std::size_t open = text.find("```yaml\n");
  REQUIRE(open != std::string::npos);
  const std::size_t begin = open + 8;
  const std::size_t end = text.find("```", begin);
  REQUIRE(end != std::string::npos);
  return text.substr(begin, end - begin);
}

std::string with(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "'" << from << "' is not in the text");
  return text.replace(at, from.size(), to);
}

// Reads `text` as the snapshot "snap.yaml" of `scene`, expects it refused, and checks that the
// error stands where the first `at` does in the text, at `field`. Returns the error.
InputError refused(const std::string& text, const std::string& at, const std::string& field,
                   const Scene& scene = breakdown_line()) {
  const InputError e = test::input_error([&] { parse_snapshot(text, "snap.yaml", scene); });
  INFO("error: " << e.what());
  const std::size_t offset = text.find(at);
  REQUIRE(offset != std::string::npos);
  const std::size_t line_start = text.rfind('\n', offset) + 1;  // npos + 1 is 0: the first line
  CHECK(e.where().file == "snap.yaml");
  CHECK(e.where().line == 1 + std::count(text.begin(), text.begin() + offset, '\n'));
  CHECK(e.where().column == static_cast<int>(offset - line_start) + 1);
  CHECK(e.where().field_path == field);
  return e;
}

// A change to a good snapshot that makes it bad: `from` replaced by `to`, refused where `at` first
// stands in the changed text, at `field`, with `message` in the error.
struct Change {
  std::string from, to, at, field, message;
};

void refused_changes(const std::string& good, std::initializer_list<Change> changes) {
  for (const Change& c : changes) {
    CAPTURE(c.to);
    CHECK(test::says(refused(with(good, c.from, c.to), c.at, c.field), c.message));
  }
}

}  // namespace

TEST_CASE("a snapshot of breakdown_line, written and read, is the same snapshot to the bit") {
  const Scene& scene = breakdown_line();
  LineSnapshot s;
  s.origin = "live";
  s.scene = "scenes/breakdown_line.yaml";
  s.timestamp_us = 1'796'638'530'250'001;  // a microsecond that is not a whole millisecond
  // Doubles whose shortest text has many digits, or an exponent.
  s.stations = {
      station("OP10", StationActivity::kWorking, 0.1 + 0.2, {{false, 12.5}}),
      station("OP20", StationActivity::kBlocked, 40.0, {{true, kNaN}}),
      station("OP30", StationActivity::kDown, 1.0 / 3.0, {{false, 1e-7}}, 4 * 3600.0),
      station("OP40", StationActivity::kIdle, kNaN),
  };
  s.buffers = {
      {"B1", 8, "counters"},
      {"B2", std::nullopt, "unknown: fed by a source, which reports no counters"},
      // Text that YAML must quote, with UTF-8 beyond ASCII.
      {"B3", 0, "Zähler \"gut\" # ohne: Ausschuss, [1] {2} 'x'"},
  };
  const std::string text = snapshot_yaml(s);
  INFO(text);
  check_same(parse_snapshot(text, "written.yaml", scene), s);
  // One element a line, as docs/snapshot-format.md shows it.
  CHECK(text.find("  OP20: {activity: blocked, in_state: 40s, parts: [{finished: true}]}\n") !=
        std::string::npos);
  CHECK(text.find("  OP40: {activity: idle}\n") != std::string::npos);
  CHECK(text.find("  B1: {level: 8, source: counters}\n") != std::string::npos);
  CHECK(text.find("  B2: {level: null, source: ") != std::string::npos);

  // A snapshot of a simulation: a clock instead of a timestamp, every activity, finished parts
  // with the work they took, and the largest numbers the format holds.
  LineSnapshot sim;
  sim.origin = "simulation";
  sim.scene = "";
  sim.simulated_time_s = 123'456.789'012'345'6;
  sim.stations = {
      station("OP10", StationActivity::kWaitingOperator, 0.0, {{false, 0.0}}),
      station("OP20", StationActivity::kSetup, 5e-324, {{false, kNaN}}),
      station("OP30", StationActivity::kOffShift, 7200.0, {{true, 49.999999999999993}}, 1e-3),
      station("OP40", StationActivity::kDown, 251'634'729'599.0, {}, 251'634'729'599.0),
  };
  sim.buffers = {{"B1", 8, "simulation"}, {"B2", 0, ""}, {"B3", 3, "simulation"}};
  const std::string sim_text = snapshot_yaml(sim);
  INFO(sim_text);
  CHECK(sim_text.find("timestamp") == std::string::npos);
  check_same(parse_snapshot(sim_text, "sim.yaml", scene), sim);
}

TEST_CASE("a station of two servers holds two parts, and ids YAML would misread are quoted") {
  const Scene& scene = two_servers();
  LineSnapshot s;
  s.origin = "replay";
  s.scene = "two_servers.yaml";
  s.timestamp_us = -1;  // before 1970: still a time
  s.stations = {station("M1", StationActivity::kWorking, 3.0, {{false, 3.0}, {false, kNaN}}),
                station("1e5", StationActivity::kBlocked, 2.0, {{true, 20.0}}),
                station("M3", StationActivity::kIdle, kNaN)};
  s.buffers = {{"null", 3, "level signal"}, {"true", std::nullopt, "unknown"}};
  const std::string text = snapshot_yaml(s);
  INFO(text);
  check_same(parse_snapshot(text, "two.yaml", scene), s);
  CHECK(text.find("\"null\": {level: 3") != std::string::npos);
}

TEST_CASE("the documented example reads as docs/snapshot-format.md says") {
  using namespace std::chrono;
  const LineSnapshot s = parse_snapshot(documented_example(), "example.yaml", breakdown_line());
  CHECK(s.origin == "live");
  CHECK(s.scene == "scenes/breakdown_line.yaml");
  const auto instant = sys_days{year{2026} / December / 7} + hours{10} + minutes{15} + seconds{30} +
                       milliseconds{250};
  CHECK(s.timestamp_us == duration_cast<microseconds>(instant.time_since_epoch()).count());
  CHECK(std::isnan(s.simulated_time_s));
  CHECK(snapshot_yaml(s) == documented_example());  // the file as linetwin writes it
  check_same(s, LineSnapshot{
                    s.timestamp_us,
                    kNaN,
                    "live",
                    "scenes/breakdown_line.yaml",
                    {station("OP10", StationActivity::kWorking, 12.5, {{false, 12.5}}),
                     station("OP20", StationActivity::kBlocked, 40.0, {{true, kNaN}}),
                     station("OP30", StationActivity::kDown, 300.0, {{false, 20.0}}, 14400.0),
                     station("OP40", StationActivity::kIdle, 3.0)},
                    {{"B1", 8, "counters"},
                     {"B2", std::nullopt, "unknown: fed by a source, which reports no counters"},
                     {"B3", 2, "counters"}},
                });
}

TEST_CASE("stations and buffers left out come back idle and empty, all of them in scene order") {
  const Scene& scene = breakdown_line();
  // The file names OP30 and B2 only, and out of the scene's order.
  const LineSnapshot s = parse_snapshot(
      "linetwin_snapshot: 1\norigin: replay\nbuffers:\n  B2: {level: 5}\n"
      "stations:\n  OP30: {activity: down, down_for: 90min}\n",
      "short.yaml", scene);
  CHECK(s.scene == scene.source_file());  // none given: the scene it was read against
  CHECK(!s.timestamp_us);
  const std::string empty = "not in the file: empty";
  check_same(s, LineSnapshot{std::nullopt,
                             kNaN,
                             "replay",
                             scene.source_file(),
                             {station("OP10", StationActivity::kIdle, kNaN),
                              station("OP20", StationActivity::kIdle, kNaN),
                              station("OP30", StationActivity::kDown, kNaN, {}, 5400.0),
                              station("OP40", StationActivity::kIdle, kNaN)},
                             {{"B1", 0, empty}, {"B2", 5, "given in the file"}, {"B3", 0, empty}}});
}

TEST_CASE("a snapshot file on disk is read, and one that cannot be is refused naming it") {
  const test::TempDir dir;
  const std::string file = dir.write("state.yaml", documented_example());
  CHECK(read_snapshot_file(file, breakdown_line()).stations[2].down_for_s == 14400.0);
  const InputError missing =
      test::input_error([&] { read_snapshot_file(dir.path() + "/none.yaml", breakdown_line()); });
  CHECK(missing.where().file == dir.path() + "/none.yaml");
  CHECK(test::says(missing, "cannot open the snapshot file"));
  const InputError folder =
      test::input_error([&] { read_snapshot_file(dir.path(), breakdown_line()); });
  CHECK(test::says(folder, "is a directory"));
}

TEST_CASE(
    "a snapshot file is at most 1 MiB, 4 KiB per station and buffer and 100 bytes per server") {
  // breakdown_line: 4 stations of one server and 3 buffers.
  const std::size_t limit = 1024 * 1024 + 4096 * (4 + 3) + 100 * 4;
  const std::string head = "linetwin_snapshot: 1\norigin: live\n#";
  const std::string at_limit = head + std::string(limit - head.size() - 1, 'x') + "\n";
  REQUIRE(at_limit.size() == limit);
  CHECK(parse_snapshot(at_limit, "big.yaml", breakdown_line()).origin == "live");
  const std::string over = at_limit + " ";
  const InputError e =
      test::input_error([&] { parse_snapshot(over, "big.yaml", breakdown_line()); });
  CHECK(e.where().file == "big.yaml");
  CHECK(e.where().line == 0);
  CHECK(test::says(e, "is " + std::to_string(limit + 1) + " bytes long"));
  CHECK(test::says(e, "at most " + std::to_string(limit) + " bytes"));
  // From a file, the size is checked before the bytes are read.
  const test::TempDir dir;
  const InputError from_file =
      test::input_error([&] { read_snapshot_file(dir.write("big.yaml", over), breakdown_line()); });
  CHECK(from_file.where().file == dir.path() + "/big.yaml");
  CHECK(test::says(from_file, "at most " + std::to_string(limit) + " bytes"));
}

TEST_CASE(
    "bad snapshot files are refused at the line, column and field, saying what was expected") {
  const std::string good = documented_example();

  SUBCASE("the format version") {
    refused_changes(good, {{"linetwin_snapshot: 1\n", "", "origin", "linetwin_snapshot",
                            "missing required key 'linetwin_snapshot'"},
                           {"snapshot: 1", "snapshot: 2", "2\norigin", "linetwin_snapshot",
                            "this build reads snapshot format 1, found format 2"},
                           {"snapshot: 1", "snapshot: one", "one\n", "linetwin_snapshot",
                            "expected a format version number, found 'one'"}});
    CHECK(test::says(refused("- linetwin_snapshot: 1\n", "-", ""), "expected a mapping"));
  }
  SUBCASE("top-level keys and values") {
    refused_changes(
        good,
        {{"timestamp:", "time_stamp:", "time_stamp", "time_stamp",
          "unknown key 'time_stamp'; expected one of: linetwin_snapshot, origin"},
         {"origin: live", "origin: estimate", "estimate", "origin",
          "expected simulation, live or replay, found 'estimate'"},
         {"origin: live\n", "", "linetwin_snapshot", "origin", "missing required key 'origin'"},
         {"10:15:30.250Z", "25:15:30Z", "2026-12", "timestamp",
          "expected an ISO 8601 time with a time zone"},
         {"10:15:30.250Z", "10:15:30", "2026-12", "timestamp", "found '2026-12-07T10:15:30'"},
         {"origin: live\n", "origin: live\nsimulated_time: -1s\n", "-1s", "simulated_time",
          "expected a duration >= 0, found '-1s'"},
         {"origin: live", "origin: live\norigin: replay", "origin: replay", "origin",
          "the key 'origin' appears twice here"},
         // Free text: a tab (written escaped), and a raw NUL byte, which yaml-cpp reads as a
         // byte that is not UTF-8.
         {"breakdown_line", std::string("break\0_line", 11), "scenes/", "scene",
          "expected one line of UTF-8 text without control characters"}});
  }
  SUBCASE("station and buffer ids") {
    refused_changes(
        good,
        {{"OP40:", "OP50:", "OP50", "stations.OP50",
          "the scene has no element 'OP50'; expected a station of the scene: OP10, OP20, OP30, "
          "OP40"},
         {"OP40:", "B1:", "B1: {activity", "stations.B1",
          "'B1' is a buffer of the scene, not a station; expected one of: OP10, OP20, OP30, OP40"},
         {"B2:", "OP30:", "OP30: {level", "buffers.OP30",
          "'OP30' is a station of the scene, not a buffer; expected one of: B1, B2, B3"},
         {"B1:", "shipped:", "shipped", "buffers.shipped",
          "'shipped' is a sink of the scene, not a buffer"},
         // A repeated id: yaml-cpp keeps both, and lookups find the first, so it is refused at
         // the second.
         {"  OP40: {activity: idle", "  OP10: {activity: idle", "OP10: {activity: idle",
          "stations.OP10", "the key 'OP10' appears twice here"}});
    const std::string listed = "linetwin_snapshot: 1\norigin: live\nstations: [OP10]\n";
    CHECK(test::says(refused(listed, "[OP10]", "stations"), "expected a mapping"));
  }
  SUBCASE("a station's fields") {
    refused_changes(
        good,
        {{"activity: idle", "activity: starved", "starved", "stations.OP40.activity",
          "unknown activity 'starved'; expected one of: idle, waiting_operator, setup, working, "
          "blocked, down, off_shift"},
         {"{activity: idle, ", "{", "{in_state: 3s}", "stations.OP40.activity",
          "missing required key 'activity'"},
         {"in_state: 40s", "state: 40s", "state: 40s", "stations.OP20.state",
          "unknown key 'state'; expected one of: activity, in_state, parts, down_for"},
         {"in_state: 40s", "in_state: -40s", "-40s", "stations.OP20.in_state",
          "expected a duration >= 0, found '-40s'"},
         {"in_state: 40s", "in_state: inf", "inf", "stations.OP20.in_state",
          "expected a duration of at most 251634729599s"},
         {"in_state: 40s", "in_state: .nan", ".nan", "stations.OP20.in_state",
          "expected a duration such as 90"},
         {"in_state: 40s", "in_state: [40s]", "[40s]", "stations.OP20.in_state",
          "expected a duration such as 90"},
         {"down_for: 4h", "down_for: 0s", "0s}\n", "stations.OP30.down_for",
          "expected a duration > 0, found '0s'"}});
  }
  SUBCASE("parts") {
    refused_changes(
        good, {{"[{work_done: 12.5s}]", "[{work_done: 12.5s}, {}]", "[{work_done: 12.5s}, {}]",
                "stations.OP10.parts", "expected at most 1 part, one per server of OP10, found 2"},
               {"parts: [{work_done: 12.5s}]", "parts: {work_done: 12.5s}", "{work_done: 12.5s}",
                "stations.OP10.parts", "expected a list of parts, found a mapping"},
               {"finished: true", "finished: yes", "yes", "stations.OP20.parts[0].finished",
                "expected true or false, found 'yes'"},
               {"work_done: 20s", "work_done: -20s", "-20s", "stations.OP30.parts[0].work_done",
                "expected a duration >= 0, found '-20s'"},
               {"work_done: 20s", "done: 20s", "done: 20s", "stations.OP30.parts[0].done",
                "unknown key 'done'; expected one of: finished, work_done"}});
    // The second part of a two-server station, by its place in the list.
    const std::string two =
        "linetwin_snapshot: 1\norigin: live\nstations:\n"
        "  M1: {activity: working, parts: [{work_done: 2s}, {work_done: 1e999s}]}\n";
    CHECK(test::says(refused(two, "1e999s", "stations.M1.parts[1].work_done", two_servers()),
                     "expected a duration of at most"));
    const std::string three = with(two, "{work_done: 1e999s}", "{}, {}");
    CHECK(test::says(refused(three, "[{work", "stations.M1.parts", two_servers()),
                     "expected at most 2 parts, one per server of M1, found 3"));
  }
  SUBCASE("buffers") {
    refused_changes(
        good, {{"level: 8", "level: 9", "9, source", "buffers.B1.level",
                "expected at most 8 parts, the capacity of B1, found 9"},
               {"level: 8", "level: -1", "-1, source", "buffers.B1.level",
                "expected a whole number of parts, or null where it is not known, found '-1'"},
               {"level: 8", "level: 2.5", "2.5, source", "buffers.B1.level", "found '2.5'"},
               {"level: 8, ", "", "{source: counters}", "buffers.B1.level",
                "missing required key 'level'"},
               {"source: counters}", "source: [counters]}", "[counters]", "buffers.B1.source",
                "expected text, found a list"},
               {"source: counters}", "source: \"a\\tb\"}", "\"a", "buffers.B1.source",
                "expected one line of UTF-8 text without control characters"}});
  }
  SUBCASE("text that is not YAML or not UTF-8") {
    const InputError syntax = test::input_error([&] {
      parse_snapshot(with(good, "{level: 8,", "{level: 8}},"), "snap.yaml", breakdown_line());
    });
    CHECK(test::says(syntax, "not valid YAML"));
    CHECK(syntax.where().line ==
          1 + std::count(good.begin(), good.begin() + good.find("B1:"), '\n'));
    const InputError bytes = test::input_error([&] {
      parse_snapshot(with(good, "counters", "z\xe4hler"), "snap.yaml", breakdown_line());
    });
    CHECK(test::says(bytes, "expected UTF-8 text"));
    const InputError key = test::input_error(
        [&] { parse_snapshot(with(good, "  OP40:", "  [OP40]:"), "snap.yaml", breakdown_line()); });
    CHECK(key.where().line > 0);
  }
}
