// Scene files: what they accept, and that every kind of bad input is reported with the file, the
// line and the path of the field, and what was expected.
#include <doctest/doctest.h>

#include <string>

#include "input_error_check.hpp"
#include "io/scene_file.hpp"

using namespace linetwin;

namespace {
const char* kGoodScene = R"(linetwin_scene: 1
name: two stations
seed: 7
run: {duration: 2h, warmup: 10min, replications: 3}
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 60s}, when_full: lose, to: Q}
  - {id: Q, type: buffer, capacity: 4, to: M1}
  - id: M1
    type: station
    servers: 2
    processing: {distribution: triangular, min: 20s, mode: 30s, max: 1min}
    breakdowns:
      time_to_failure: {distribution: weibull, shape: 1.5, scale: 2h}
      time_to_repair: {distribution: lognormal, mean: 5min, sd: 2min}
      counted_on: calendar_time
    to: M2
    pose: {x: 1.5, y: -2, z: 0, yaw_deg: 90}
    model: models/press.glb
  - {id: M2, type: station, processing: 45s, to: out}
  - {id: out, type: sink}
)";

// Loads `text` and returns the error; fails the test if there is none.
InputError load_error(const std::string& text) {
  return linetwin::test::input_error([&] { load_scene_text(text, "bad.yaml"); });
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("a well-formed scene loads with every field") {
  const Scene scene = load_scene_text(kGoodScene, "good.yaml");
  CHECK(scene.name() == "two stations");
  CHECK(scene.seed() == 7);
  CHECK(scene.run_settings().duration_s == 7200.0);
  CHECK(scene.run_settings().warmup_s == 600.0);
  CHECK(scene.run_settings().replications == 3);
  REQUIRE(scene.elements().size() == 5);
  const Element& m1 = scene.element(*scene.find("M1"));
  CHECK(m1.pose.x_m == 1.5);
  CHECK(m1.pose.yaw_deg == 90.0);
  CHECK(m1.model == "models/press.glb");
  CHECK(m1.inputs == std::vector<ElementIndex>{*scene.find("Q")});
  CHECK(m1.route.targets == std::vector<ElementIndex>{*scene.find("M2")});
  const StationSpec& spec = scene.station_spec(m1);
  CHECK(spec.servers == 2);
  CHECK(spec.processing.mean() == doctest::Approx(110.0 / 3.0));
  REQUIRE(spec.breakdowns.has_value());
  CHECK(spec.breakdowns->counted_on == FailureClock::kCalendarTime);
  CHECK(spec.breakdowns->time_to_repair.mean() == doctest::Approx(300.0));
  CHECK(scene.station_spec(scene.element(*scene.find("M2"))).processing.mean() == 45.0);
  CHECK(scene.source_spec(scene.element(*scene.find("in"))).when_output_full ==
        WhenOutputFull::kLose);
  CHECK(scene.buffer_spec(scene.element(*scene.find("Q"))).capacity == 4);
}

TEST_CASE("a YAML syntax error names the file and line") {
  const InputError e = load_error("linetwin_scene: 1\nelements: [\n  {id: a, type: sink\n");
  CHECK(e.where().file == "bad.yaml");
  CHECK(e.where().line >= 3);
  CHECK(std::string(e.what()).find("not valid YAML") != std::string::npos);
}

TEST_CASE("bytes that are not UTF-8 are refused at their line, wherever they are") {
  // Names end up in JSON, CSV and recordings, which hold UTF-8 only: a scene name, a product
  // and a comment alike (a lone continuation byte, a truncated character, an overlong form).
  for (const char* bad : {"\xff", "\xc3", "\xc0\xaf"}) {
    const std::string text = std::string("linetwin_scene: 1\nname: \"line ") + bad +
                             "\"\nelements:\n  - {id: a, type: sink}\n";
    const InputError e = load_error(text);
    CHECK(e.where().file == "bad.yaml");
    CHECK(e.where().line == 2);
    CHECK(e.message().find("expected UTF-8 text") != std::string::npos);
  }
  const InputError product =
      load_error(std::string("linetwin_scene: 1\n# fine\nproducts: [\"a\xff"
                             "b\"]\n"));
  CHECK(product.where().line == 3);
  // Characters beyond ASCII are welcome where a scene takes free text.
  CHECK_NOTHROW(load_scene_text(
      "linetwin_scene: 1\nname: \"Linie Süd – 東\"\nrun: {duration: 1h}\nelements:\n"
      "  - {id: in, type: source, interarrival: 10s, to: check}\n"
      "  - {id: check, type: station, processing: 5s, to: out}\n  - {id: out, type: sink}\n",
      "good.yaml"));
}

TEST_CASE("control characters are refused at their line: a NUL would pass into names") {
  // Raw, and as YAML escapes, which the parser turns into the bytes.
  const std::string nul("ab\0cd", 5);
  for (const std::string& bad : {nul,
                                 std::string("ab\x01"
                                             "cd"),
                                 std::string("ab\\0cd"), std::string("ab\\ecd")}) {
    const std::string text =
        "linetwin_scene: 1\nname: \"" + bad + "\"\nelements:\n  - {id: a, type: sink}\n";
    const InputError e = load_error(text);
    CHECK(e.where().line == 2);
    CHECK(e.where().field_path == "name");
    CHECK(e.message().find("expected text without control characters") != std::string::npos);
  }
}

TEST_CASE("an unknown key is an error that lists the keys expected there") {
  const InputError e = load_error(replace(kGoodScene, "servers: 2", "serverz: 2"));
  CHECK(e.where().line == 10);
  CHECK(e.where().field_path == "elements[M1].serverz");
  CHECK(e.message().find("unknown key 'serverz'") != std::string::npos);
  CHECK(e.message().find("servers") != std::string::npos);
  const InputError top = load_error(replace(kGoodScene, "seed: 7", "sead: 7"));
  CHECK(top.where().field_path == "sead");
  CHECK(top.where().line == 3);
}

TEST_CASE("a negative capacity is rejected at its field") {
  const InputError e = load_error(replace(kGoodScene, "capacity: 4", "capacity: -1"));
  CHECK(e.where().field_path == "elements[Q].capacity");
  CHECK(e.where().line == 7);
  CHECK(e.message().find("whole number >= 0") != std::string::npos);
  CHECK(std::string(e.what()).rfind("bad.yaml:7:", 0) == 0);
}

TEST_CASE("an unknown distribution is rejected with the list of known ones") {
  const InputError e =
      load_error(replace(kGoodScene, "distribution: triangular", "distribution: poisson"));
  CHECK(e.where().field_path == "elements[M1].processing.distribution");
  CHECK(e.message().find("unknown distribution 'poisson'") != std::string::npos);
  CHECK(e.message().find("lognormal") != std::string::npos);
}

TEST_CASE("bad distribution parameters name the parameter") {
  const InputError e = load_error(replace(kGoodScene, "mode: 30s", "mode: 3min"));
  CHECK(e.where().field_path == "elements[M1].processing");
  CHECK(e.message().find("min <= mode <= max") != std::string::npos);
  const InputError misspelt = load_error(replace(kGoodScene, "mean: 60s}", "average: 60s}"));
  CHECK(misspelt.where().field_path == "elements[in].interarrival.average");
  CHECK(misspelt.message().find("expected one of: distribution, mean") != std::string::npos);
  const InputError missing = load_error(replace(kGoodScene, ", mean: 60s}", "}"));
  CHECK(missing.where().field_path == "elements[in].interarrival.mean");
  CHECK(missing.message().find("missing required key 'mean'") != std::string::npos);
  const InputError unit = load_error(replace(kGoodScene, "mean: 5min", "mean: 5 parsecs"));
  CHECK(unit.where().field_path == "elements[M1].breakdowns.time_to_repair.mean");
  CHECK(unit.message().find("90s") != std::string::npos);
}

TEST_CASE("a dangling connection names the missing element") {
  const InputError e = load_error(replace(kGoodScene, "to: M2", "to: M3"));
  CHECK(e.where().field_path == "elements[M1].to");
  CHECK(e.where().line == 8);
  CHECK(e.message().find("'M3'") != std::string::npos);
}

TEST_CASE("topology rules: no loops, ends in a sink") {
  const InputError back = load_error(replace(kGoodScene, "to: out}", "to: M1}"));
  CHECK(back.message().find("loop") != std::string::npos);
  const InputError duplicate = load_error(replace(kGoodScene, "{id: M2,", "{id: M1,"));
  // Both elements are elements[M1]: the message says where the first one is.
  CHECK(duplicate.where().field_path == "elements[M1].id");
  CHECK(duplicate.where().line == 19);
  CHECK(duplicate.message() ==
        "expected a unique id, but 'M1' is already the id of the element on line 8");
  const InputError no_type = load_error(replace(kGoodScene, "type: sink", "type: teleporter"));
  CHECK(no_type.message().find("unknown element type 'teleporter'") != std::string::npos);
  const InputError loop = load_error(R"(linetwin_scene: 1
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 1s, to: QB}
  - {id: QB, type: buffer, capacity: 1, to: B}
  - {id: B, type: station, processing: 1s, to: QA}
  - {id: QA, type: buffer, capacity: 1, to: A}
  - {id: out, type: sink}
)");
  CHECK(loop.message().find("runs in a loop") != std::string::npos);
  const InputError no_sink_link = load_error(R"(linetwin_scene: 1
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 1s}
  - {id: out, type: sink}
)");
  CHECK(no_sink_link.where().field_path == "elements[A].to");
}

TEST_CASE("run settings and version are checked") {
  CHECK(load_error(replace(kGoodScene, "duration: 2h", "duration: 0s")).where().field_path ==
        "run.duration");
  CHECK(load_error(replace(kGoodScene, "replications: 3", "replications: 0")).where().field_path ==
        "run.replications");
  CHECK(load_error(replace(kGoodScene, "linetwin_scene: 1", "linetwin_scene: 2"))
            .message()
            .find("format 1") != std::string::npos);
  CHECK(load_error("name: x\n").message().find("linetwin_scene") != std::string::npos);
}

TEST_CASE("a missing file is reported with its path") {
  try {
    load_scene_file("/nonexistent/scene.yaml");
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(e.where().file == "/nonexistent/scene.yaml");
    CHECK(std::string(e.what()).find("No such file") != std::string::npos);
  }
}

TEST_CASE("every bundled scene loads") {
  for (const char* name : {"balanced_line.yaml", "breakdown_line.yaml", "line_100_stations.yaml"}) {
    INFO(name);
    const Scene scene = load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/scenes/" + name);
    CHECK_FALSE(scene.stations().empty());
  }
}

TEST_CASE("lines whose clock could never advance are rejected at load time") {
  const InputError to_sink = load_error(R"(linetwin_scene: 1
elements:
  - {id: in, type: source, supply: unlimited, to: out}
  - {id: out, type: sink}
)");
  CHECK(to_sink.where().field_path == "elements[in].to");
  CHECK(to_sink.message().find("unlimited supply must feed a station") != std::string::npos);
  const InputError to_endless_buffer = load_error(R"(linetwin_scene: 1
elements:
  - {id: in, type: source, supply: unlimited, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: 1s, to: out}
  - {id: out, type: sink}
)");
  CHECK(to_endless_buffer.where().field_path == "elements[in].to");
  const InputError zero_processing =
      load_error(replace(kGoodScene, "processing: 45s", "processing: 0s"));
  CHECK(zero_processing.where().field_path == "elements[M2].processing");
  CHECK(zero_processing.message().find("mean > 0") != std::string::npos);
  const InputError zero_arrivals =
      load_error(replace(kGoodScene, "{distribution: exponential, mean: 60s}",
                         "{distribution: uniform, min: 0s, max: 0s}"));
  CHECK(zero_arrivals.where().field_path == "elements[in].interarrival");
}

TEST_CASE("a key given twice is an error, not a silent first-one-wins") {
  const InputError e =
      load_error(replace(kGoodScene, "processing: 45s,", "processing: 45s, processing: 10s,"));
  CHECK(e.where().field_path == "elements[M2].processing");
  CHECK(e.message().find("appears twice") != std::string::npos);
  CHECK(load_error(replace(kGoodScene, "seed: 7", "seed: 7\nseed: 8")).where().field_path ==
        "seed");
}

TEST_CASE("durations that overflow and gamma without scale or mean are rejected") {
  const InputError huge = load_error(replace(kGoodScene, "duration: 2h", "duration: 1e306w"));
  CHECK(huge.where().field_path == "run.duration");
  CHECK(huge.where().line == 4);
  const InputError gamma = load_error(
      replace(kGoodScene, "processing: 45s,", "processing: {distribution: gamma, shape: 2},"));
  CHECK(gamma.message().find("exactly one of 'scale' or 'mean'") != std::string::npos);
}

TEST_CASE("whole-scene errors point at the element list") {
  const InputError e = load_error(R"(linetwin_scene: 1
name: no source
elements:
  - {id: M, type: station, processing: 1s, to: out}
  - {id: out, type: sink}
)");
  CHECK(e.where().field_path == "elements");
  CHECK(e.where().line == 4);  // where the list begins: its first item
  CHECK(e.message() == "expected at least one source");
}

TEST_CASE("a directory is not a scene file") {
  try {
    load_scene_file(LINETWIN_SOURCE_DIR);
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(e.message().find("is a directory") != std::string::npos);
  }
}
