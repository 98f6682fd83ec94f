// Scenario files: the bundled example and a scenario that uses every key are read back exactly,
// the baseline is the base scene as `linetwin run` loads it, sweeps come in their documented
// order with their names, and every kind of bad input is refused at its file, line, column and
// field path.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "input_error_check.hpp"
#include "io/scenario_file.hpp"
#include "io/scene_file.hpp"
#include "test_files.hpp"

using namespace linetwin;

namespace {

const std::string kSource = LINETWIN_SOURCE_DIR;

const StationSpec& station(const Scene& scene, std::string_view id) {
  return scene.station_spec(scene.element(*scene.find(id)));
}
std::uint64_t capacity(const Scene& scene, std::string_view id) {
  return scene.buffer_spec(scene.element(*scene.find(id))).capacity;
}
std::vector<std::string> names(const Scenario& scenario) {
  std::vector<std::string> out;
  for (const ScenarioVariant& v : scenario.variants)
    out.push_back(v.name);
  return out;
}

// The 1-based line and column where `fragment` first stands in `text`.
std::pair<int, int> position(const std::string& text, const std::string& fragment) {
  const std::size_t at = text.find(fragment);
  REQUIRE(at != std::string::npos);
  const std::size_t line_start = text.rfind('\n', at);
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
  const int column =
      static_cast<int>(at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
  return {line, column};
}

// A base scene and a scenario on it, in a folder of their own.
constexpr std::string_view kBase = R"(linetwin_scene: 1
name: three stations
seed: 5
run: {duration: 1h, replications: 3}
elements:
  - {id: in, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: {distribution: gamma, shape: 4, mean: 40s}, to: B1}
  - {id: B1, type: buffer, capacity: 4, to: OP20}
  - {id: OP20, type: station, processing: 45s, to: B2}
  - {id: B2, type: buffer, capacity: 4, to: OP30}
  - {id: OP30, type: station, processing: {distribution: exponential, mean: 42s}, to: out}
  - {id: out, type: sink}
)";
constexpr std::string_view kHead = "linetwin_scenario: 1\nbase: base.yaml\n";

class Folder {
 public:
  Folder() { dir_.write("base.yaml", std::string(kBase)); }
  Scenario load(const std::string& text) const {
    return load_scenario_file(dir_.write("s.scenario.yaml", text));
  }
  // The error the scenario is refused with, checked to stand where `fragment` does in it.
  InputError refused(const std::string& text, const std::string& fragment,
                     const std::string& field) const {
    const std::string file = dir_.write("s.scenario.yaml", text);
    const InputError e = test::input_error([&] { load_scenario_file(file); });
    INFO("error: " << e.what());
    const auto [line, column] = position(text, fragment);
    CHECK(e.where().file == file);
    CHECK(e.where().line == line);
    CHECK(e.where().column == column);
    CHECK(e.where().field_path == field);
    return e;
  }
  std::string path(const std::string& name) const { return dir_.path() + "/" + name; }
  void write(const std::string& name, const std::string& text) const { dir_.write(name, text); }

 private:
  test::TempDir dir_;
};

}  // namespace

TEST_CASE("the bundled buffer-allocation example reads as documented") {
  const std::string file = kSource + "/examples/buffer_allocation.scenario.yaml";
  const Scenario s = load_scenario_file(file);
  CHECK(s.file == file);
  CHECK(s.name == "Buffer allocation around OP30");
  CHECK(
      s.base_path ==
      (std::filesystem::path(kSource) / "scenes/breakdown_line.yaml").lexically_normal().string());
  CHECK(s.replications == 30u);
  CHECK(!s.seed);
  CHECK(s.base_fixes_warmup);
  CHECK(names(s) == std::vector<std::string>{"baseline", "fast repair", "B1 4, B2 4", "B1 4, B2 8",
                                             "B1 4, B2 16", "B1 8, B2 4", "B1 8, B2 8",
                                             "B1 8, B2 16", "B1 16, B2 4", "B1 16, B2 8",
                                             "B1 16, B2 16"});
  CHECK(station(s.variants[1].scene, "OP30").breakdowns->time_to_repair.mean() ==
        doctest::Approx(75.0));
  const ScenarioVariant& last = s.variants.back();
  CHECK(capacity(last.scene, "B1") == 16);
  CHECK(capacity(last.scene, "B2") == 16);
  REQUIRE(last.parameters.size() == 2);
  CHECK(last.parameters[0].path == "B1.capacity");
  CHECK(last.parameters[0].value == 16.0);
  REQUIRE(s.gates.size() == 2);
  CHECK(s.gates[0].kind == ScenarioGate::Kind::kNoDeadlock);
  CHECK(s.gates[1].kind == ScenarioGate::Kind::kAtLeast);
  CHECK(s.gates[1].kpi == "throughput_per_hour");
  CHECK(s.gates[1].bound == 50.0);
  CHECK(!s.gates[1].variant);
}

TEST_CASE("a scenario with every key is read back exactly") {
  const std::string file = kSource + "/tests/io/scenarios/buffers.scenario.yaml";
  const Scenario s = load_scenario_file(file);
  CHECK(s.name == "Buffers around OP30");
  CHECK(s.seed == 99u);
  CHECK(s.replications == 12u);
  CHECK(s.duration_s == 8 * 3600.0);
  CHECK(!s.warmup_s);
  CHECK(s.warmup_auto);
  // The base file's bytes, all of them.
  CHECK(s.base_text.size() == std::filesystem::file_size(s.base_path));
  CHECK(s.base_text.starts_with("# A four-station line where breakdowns"));
  CHECK(names(s) == std::vector<std::string>{"as built", "B2 16", "faster OP30",
                                             "buffer before the sink", "B1 4 / B3 12",
                                             "B1 12 / B3 4"});
  CHECK(s.variants[0].overrides.empty());
  CHECK(capacity(s.variants[1].scene, "B2") == 16);
  CHECK(station(s.variants[2].scene, "OP30").processing.mean() == doctest::Approx(35.0));
  CHECK(s.variants[3].scene.find("B4").has_value());
  // Zip takes the i-th value of each list together.
  CHECK(capacity(s.variants[4].scene, "B1") == 4);
  CHECK(capacity(s.variants[4].scene, "B3") == 12);
  CHECK(capacity(s.variants[5].scene, "B1") == 12);
  CHECK(capacity(s.variants[5].scene, "B3") == 4);
  // Each override knows where it was written.
  const SceneOverride& b2 = s.variants[1].overrides.at(0);
  CHECK(b2.path == "B2.capacity");
  CHECK(b2.value_yaml == "16");
  CHECK(b2.origin.file == file);
  CHECK(b2.origin.line == position(s.text, "16}").first);
  CHECK(b2.origin.column == position(s.text, "16}").second);
  CHECK(b2.origin.field_path == "variants[B2 16].set.B2.capacity");
  CHECK(s.variants[4].overrides.at(1).origin.field_path == "sweep.zip.B3.capacity[0]");

  REQUIRE(s.gates.size() == 4);
  CHECK(s.gates[0].kind == ScenarioGate::Kind::kAtLeast);
  CHECK(s.gates[0].variant == "B2 16");
  CHECK(s.gates[0].bound == 40.0);
  CHECK(s.gates[0].confidence == 0.9);
  CHECK(s.gates[0].text == "throughput_per_hour of B2 16 >= 40 (90%)");
  CHECK(s.gates[1].text == "OP30.oee >= 0.1 (95%)");
  CHECK(s.gates[2].kind == ScenarioGate::Kind::kAtMost);
  CHECK(s.gates[2].kpi == "B4.occupancy_mean");  // a column of that variant only
  CHECK(s.gates[3].kind == ScenarioGate::Kind::kNoDeadlock);
  CHECK(s.gates[3].text == "no deadlock");
  CHECK(s.gates[3].origin.line == position(s.text, "{no_deadlock").first);

  REQUIRE(s.precision);
  CHECK(s.precision->kpi == "throughput_per_hour");
  CHECK(s.precision->half_width == 0.5);
  CHECK(s.precision->batch == 5);
  CHECK(s.precision->max_replications == 100);
  REQUIRE(s.selection);
  CHECK(s.selection->maximise);
  CHECK(s.selection->indifference == 0.5);
  CHECK(s.selection->confidence == 0.9);
  CHECK(s.selection->first_stage == 8);
  CHECK(s.selection->max_replications == 200);
}

TEST_CASE("the baseline is the base scene as load_scene_file loads it") {
  const Scenario s = load_scenario_file(kSource + "/examples/buffer_allocation.scenario.yaml");
  const Scene direct = load_scene_file(s.base_path);
  const Scene& baseline = s.variants.front().scene;
  CHECK(baseline.name() == direct.name());
  CHECK(baseline.source_file() == direct.source_file());
  CHECK(baseline.seed() == direct.seed());
  CHECK(baseline.run_settings().duration_s == direct.run_settings().duration_s);
  CHECK(baseline.run_settings().warmup_s == direct.run_settings().warmup_s);
  CHECK(baseline.run_settings().replications == direct.run_settings().replications);
  REQUIRE(baseline.elements().size() == direct.elements().size());
  for (std::size_t i = 0; i < direct.elements().size(); ++i) {
    const Element& a = baseline.elements()[i];
    const Element& b = direct.elements()[i];
    CAPTURE(b.id);
    CHECK(a.id == b.id);
    CHECK(a.type == b.type);
    CHECK(a.route.targets == b.route.targets);
    CHECK(a.pose.x_m == b.pose.x_m);
    if (b.type == ElementType::kStation) {
      const StationSpec& x = baseline.station_spec(a);
      const StationSpec& y = direct.station_spec(b);
      CHECK(x.servers == y.servers);
      CHECK(x.processing.describe() == y.processing.describe());
      CHECK(x.breakdowns.has_value() == y.breakdowns.has_value());
      if (y.breakdowns) {
        CHECK(x.breakdowns->time_to_failure.describe() == y.breakdowns->time_to_failure.describe());
        CHECK(x.breakdowns->time_to_repair.describe() == y.breakdowns->time_to_repair.describe());
      }
    }
    if (b.type == ElementType::kBuffer)
      CHECK(baseline.buffer_spec(a).capacity == direct.buffer_spec(b).capacity);
  }
  // The other variants are the base's text with their overrides, under the base's name.
  CHECK(s.variants[1].scene.source_file() == direct.source_file());
}

TEST_CASE("a grid varies its first path slowest and names its points by their values") {
  const Folder folder;
  const Scenario s = folder.load(std::string(kHead) + R"(sweep:
  grid:
    B1.capacity: [2, unlimited]
    OP20.processing.mean: [30s, 1min, 50]
)");
  CHECK(names(s) == std::vector<std::string>{"baseline", "B1.capacity=2, OP20.processing.mean=30s",
                                             "B1.capacity=2, OP20.processing.mean=1min",
                                             "B1.capacity=2, OP20.processing.mean=50",
                                             "B1.capacity=unlimited, OP20.processing.mean=30s",
                                             "B1.capacity=unlimited, OP20.processing.mean=1min",
                                             "B1.capacity=unlimited, OP20.processing.mean=50"});
  CHECK(s.name == "s");  // the file's name without .scenario.yaml
  CHECK(!s.base_fixes_warmup);
  const ScenarioVariant& point = s.variants[5];
  CHECK(capacity(point.scene, "B1") == BufferSpec::kUnlimited);
  CHECK(station(point.scene, "OP20").processing.mean() == 60.0);
  REQUIRE(point.parameters.size() == 2);
  CHECK(point.parameters[0].text == "unlimited");
  CHECK(!point.parameters[0].value);
  CHECK(point.parameters[1].text == "1min");
  CHECK(point.parameters[1].value == 60.0);
  CHECK(s.variants[6].parameters[1].value == 50.0);
  CHECK(point.overrides.at(0).origin.field_path == "sweep.grid.B1.capacity[1]");
  CHECK(point.overrides.at(1).origin.field_path == "sweep.grid.OP20.processing.mean[1]");
}

TEST_CASE("every problem of a scenario is refused at its line, column and field") {
  const std::string head(kHead);
  const std::string variant = head + "variants:\n  - name: big\n    set: {B2.capacity: 9}\n";
  std::string hundred = "[1";  // 101 x 100 grid points: refused before any is built
  for (int i = 2; i <= 100; ++i)
    hundred += ", " + std::to_string(i);
  // 20,000 changes in one variant: refused at the first one past the limit, at once (the check
  // of repeated keys compared each key with every one before it).
  std::string many = head + "variants:\n  - name: many\n    set: {";
  for (int i = 0; i < 20'000; ++i)
    many += "OP10.k" + std::to_string(i) + ": v" + std::to_string(i) + ", ";
  many += "}\n";
  const Folder folder;
  struct Case {
    std::string text;
    std::string fragment;  // where the error must stand: the first place this stands
    std::string field;
    std::string message;
  };
  const Case cases[] = {
      {"linetwin_scenario: 2\nbase: base.yaml\n", "2", "linetwin_scenario",
       "reads scenario format 1"},
      {"linetwin_scenario: 1\nvariants: []\n", "linetwin_scenario", "base",
       "missing required key 'base'"},
      {"linetwin_scenario: 1\nbase: elsewhere.yaml\n", "elsewhere.yaml", "base",
       "the base scene 'elsewhere.yaml' (here " + folder.path("elsewhere.yaml") +
           "): cannot open the scene file"},
      {head + "varaints: []\n", "varaints", "varaints", "unknown key 'varaints'"},
      {head + "name: " + std::string(201, 'x') + "\n", "xxx", "name", "at most 200 bytes"},
      {head + "run: {warmup: soon}\n", "soon", "run.warmup", "expected a duration"},
      {head + "run: {replications: 0}\n", "0}", "run.replications", "from 1 to 1000000"},
      // Variants: an override's problem at its value, the variant named by its name.
      {head + "variants:\n  - name: B2 16\n    set: {B2.capacity: -1}\n", "-1",
       "variants[B2 16].set.B2.capacity", "expected a capacity"},
      {head + "variants:\n  - name: B9\n    set: {B9.capacity: 4}\n", "4}",
       "variants[B9].set.B9.capacity", "no element has the id 'B9'"},
      {head + "variants:\n  - name: again\n    set: {seed: 4}\n", "4}", "variants[again].set.seed",
       "common random numbers"},
      {head + "variants:\n  - name: a\n    set: {B1.capacity: 2}\n  - name: a\n    set: {}\n",
       "a\n    set: {}", "variants[a].name", "already that of the variant on line 4"},
      {head + "variants:\n  - name: baseline\n    set: {B1.capacity: 2}\n", "baseline",
       "variants[baseline].name", "already that of the baseline"},
      {head + "variants:\n  - name: twice\n    set: {B1.capacity: 2, B1.capacity: 3}\n",
       "B1.capacity: 3", "variants[twice].set.B1.capacity", "appears twice"},
      {head + "variants:\n  - name: nothing\n    set: {}\n", "{}", "variants[nothing].set",
       "at least one change"},
      {many, "v1000,", "variants[many].set.OP10.k1000",
       "expected at most " + std::to_string(kMaxOverrides) + " changes to one scene, found 20000"},
      // Sweeps.
      {head + "sweep:\n  grid: {B1.capacity: [1, 2]}\n  zip: {B2.capacity: [1, 2]}\n", "grid",
       "sweep", "exactly one of 'grid'"},
      {head + "sweep:\n  zip:\n    B1.capacity: [1, 2]\n    B2.capacity: [1, 2, 3]\n", "[1, 2, 3]",
       "sweep.zip.B2.capacity", "expected 2 values, as many as 'B1.capacity' has"},
      {head + "sweep:\n  grid: {B1.capacity: []}\n", "[]", "sweep.grid.B1.capacity",
       "non-empty list"},
      {head + "sweep:\n  grid: {B1.capacity: [1, x]}\n", "x]", "sweep.grid.B1.capacity[1]",
       "found 'x'"},
      {head + "sweep:\n  grid: {B1.capacity: [1, 2]}\n  name: same\n", "same", "sweep.name",
       "the name 'same' is already that of the variant on line 4"},
      {head + "sweep:\n  grid: {B1.capacity: [1, 2]}\n  name: \"B1 {B2.capacity}\"\n", "\"B1",
       "sweep.name", "'{B2.capacity}' names no swept path; expected one of: B1.capacity"},
      {head + "sweep:\n  grid:\n    B1.capacity: " + hundred +
           ", 101]\n    B2.capacity: " + hundred + "]\n",
       "B1.capacity", "sweep.grid", "the grid makes 101 x 100 = 10100 points"},
      // Gates, precision and selection.
      {variant + "gates:\n  - {no_deadlock: true}\n  - {kpi: OP20.oee, at_least: 0.5}\n"
                 "  - {kpi: OP20.eoe, at_least: 0.5}\n",
       "OP20.eoe", "gates[2].kpi",
       "unknown KPI 'OP20.eoe' in variant 'baseline'; expected one of: throughput_per_hour"},
      {variant + "gates:\n  - {kpi: OP20.oee, variant: small, at_least: 0.5}\n", "small",
       "gates[0].variant", "unknown variant 'small'; expected one of: baseline, big"},
      {variant + "gates:\n  - {kpi: OP20.oee, at_least: 0.5, at_most: 0.9}\n", "{kpi", "gates[0]",
       "exactly one bound"},
      {variant + "gates:\n  - {kpi: OP20.oee, at_least: 0.5, confidence: 95}\n", "95",
       "gates[0].confidence", "below 1, found 95"},
      {variant + "gates:\n  - {no_deadlock: false}\n", "false", "gates[0].no_deadlock",
       "expected true"},
      {variant + "precision: {kpi: wip_mean, half_width: 0}\n", "0}", "precision.half_width",
       "above 0"},
      {head + "selection: {kpi: wip_mean, goal: min, indifference: 1}\n", "{kpi", "selection",
       "at least two variants"},
      {variant + "selection: {kpi: wip_mean, goal: least, indifference: 1}\n", "least",
       "selection.goal", "expected max or min"},
      {variant + "selection: {kpi: wip_mean, indifference: 1, confidence: 0.5}\n", "0.5}",
       "selection.confidence", "above 0.5"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(test::says(folder.refused(c.text, c.fragment, c.field), c.message));
  }
}

TEST_CASE("a KPI of one variant's own element is refused for the variants without it") {
  const Folder folder;
  const std::string text = std::string(kHead) +
                           "variants:\n  - name: more\n"
                           "    set: {insert_buffer: {after: OP30, id: B3, capacity: 2}}\n"
                           "gates:\n  - {kpi: B3.occupancy_mean, variant: more, at_most: 2}\n"
                           "  - {kpi: B3.occupancy_mean, at_most: 2}\n";
  CHECK(test::says(folder.refused(text, "B3.occupancy_mean, at_most", "gates[1].kpi"),
                   "unknown KPI 'B3.occupancy_mean' in variant 'baseline'"));
}

TEST_CASE("a problem of the base scene itself names the base file") {
  const Folder folder;
  folder.write("broken.yaml",
               std::string(kBase).replace(kBase.find("capacity: 4"), 11, "capacity: -4"));
  const InputError e =
      test::input_error([&] { folder.load("linetwin_scenario: 1\nbase: broken.yaml\n"); });
  CHECK(e.where().file == folder.path("broken.yaml"));
  CHECK(e.where().field_path == "elements[B1].capacity");
}

TEST_CASE(
    "a scenario without a name takes its file's, which must then be UTF-8 of 1 to 200 bytes") {
  const Folder folder;
  const std::string text = std::string(kHead);
  folder.write("line study.scenario.yaml", text);
  CHECK(load_scenario_file(folder.path("line study.scenario.yaml")).name == "line study");
  // A file name that is not UTF-8 (Latin-1 'u with umlaut'), and one of 201 bytes.
  for (const std::string& stem : {std::string("Pr\xfc") + "fstand", std::string(201, 'x')}) {
    folder.write(stem + ".yaml", text);
    const InputError e =
        test::input_error([&] { load_scenario_file(folder.path(stem + ".yaml")); });
    CHECK(e.where().field_path == "name");
    CHECK(std::string(e.what()).find("expected a name") != std::string::npos);
    // Given a name, the same file loads.
    folder.write(stem + ".yaml", text + "name: test stand\n");
    CHECK(load_scenario_file(folder.path(stem + ".yaml")).name == "test stand");
  }
}
