// Scene files with the plant element library (products, order files, routing and merges,
// assembly, conveyors, setups, shift calendars, operator pools, quality, batches, WIP limits):
// bad input in each of these fields is an InputError that names the file, the line and the path
// of the field, and says what was expected.
//
// Every case starts from kLibraryScene, a small line that uses every capability and loads, and
// breaks one thing in it. Lines are looked up in the text that was loaded (line_of), so that the
// expectations say "the line of that key" rather than a number that moves whenever the scene is
// edited.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "io/scene_file.hpp"

using namespace linetwin;

namespace {

const char* kLibraryScene = R"(linetwin_scene: 1
name: element library
products: [sedan, suv]
operators:
  - {pool: fitters, count: 2, skills: [fitting]}
  - {pool: technicians, count: 1, skills: [repair]}
calendars:
  day:
    shifts:
      - name: early
        weekdays: [mon, tue, wed, thu, fri]
        start: "06:00"
        end: "14:00"
        breaks: [{start: "09:00", duration: 15min}]
      - {name: late, weekdays: [mon, tue, wed, thu, fri], start: "14:00", end: "22:00"}
calendar: day
wip_limits:
  - {name: conwip, from: Q1, to: OVEN, cards: 12}
elements:
  - {id: in, type: source, interarrival: 70s, mix: {sedan: 0.6, suv: 0.4}, to: Q1}
  - {id: Q1, type: buffer, capacity: 4, to: OP10}
  - id: OP10
    type: station
    processing: 50s
    processing_by_product: {suv: 55s}
    setup: {products: [sedan, suv], times: [[0s, 2min], [1min, 0s]]}
    operators: {processing: fitting, repair: repair}
    breakdowns: {time_to_failure: {distribution: exponential, mean: 2h}, time_to_repair: 10min}
    to: {by_product: {sedan: belt, suv: OP15}}
  - {id: OP15, type: station, processing: 40s, to: belt}
  - {id: belt, type: conveyor, length_m: 12, speed_m_per_s: 0.2, spacing_m: 3, to: {probability: {QA: 0.5, QB: 0.5}}}
  - {id: QA, type: buffer, capacity: 2, to: OP20A}
  - {id: QB, type: buffer, capacity: 2, to: OP20B}
  - {id: OP20A, type: station, processing: 90s, to: Qmain}
  - {id: OP20B, type: station, processing: 90s, to: Qmain}
  - {id: doors, type: source, interarrival: 15s, to: Qdoors}
  - {id: Qdoors, type: buffer, capacity: 8, to: ASM}
  - {id: Qmain, type: buffer, capacity: 3, to: ASM}
  - id: ASM
    type: station
    processing: 45s
    assembly: {main: Qmain, components: [{from: Qdoors, quantity: 4}]}
    to: Qinsp
  - {id: Qinsp, type: buffer, capacity: 4, to: INSP}
  - id: INSP
    type: station
    processing: 30s
    quality: {scrap: 0.01, rework: 0.05, rework_to: Qrep}
    merge: {priority: [Qrework, Qinsp]}
    to: Qoven
  - {id: Qrep, type: buffer, capacity: 2, to: REP}
  - {id: REP, type: station, processing: 5min, to: Qrework}
  - {id: Qrework, type: buffer, capacity: 2, to: INSP}
  - {id: Qoven, type: buffer, capacity: 10, to: OVEN}
  - {id: OVEN, type: station, processing: 6min, batch: {min: 2, max: 6}, to: out}
  - {id: out, type: sink}
)";

// The index of each element in kLibraryScene's list, for the paths the errors name.
constexpr int kIn = 0;
constexpr int kOp10 = 2;
constexpr int kOp15 = 3;
constexpr int kBelt = 4;
constexpr int kAsm = 12;
constexpr int kInsp = 14;
constexpr int kOven = 19;

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "the scene has no '" << from << "'");
  return text.replace(at, from.size(), to);
}

// The 1-based line of the first occurrence of `needle` in `text`.
int line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  REQUIRE_MESSAGE(at != std::string::npos, "the scene has no '" << needle << "'");
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

std::string element(int index) {
  return "elements[" + std::to_string(index) + "]";
}

// Loads `text` and returns the error; fails the test if there is none.
InputError load_error(const std::string& text) {
  try {
    load_scene_text(text, "library.yaml");
  } catch (const InputError& e) {
    return e;
  }
  FAIL("expected an InputError");
  throw;  // unreachable
}

bool says(const InputError& e, const std::string& fragment) {
  return e.message().find(fragment) != std::string::npos;
}

// The error names the scene file, the line, the field, and (in its full text) all three.
void check_where(const InputError& e, const std::string& field_path, int line) {
  INFO("error: " << e.what());
  CHECK(e.where().file == "library.yaml");
  CHECK(e.where().field_path == field_path);
  CHECK(e.where().line == line);
  CHECK(std::string(e.what()).rfind("library.yaml:" + std::to_string(line) + ":", 0) == 0);
  CHECK(std::string(e.what()).find("field '" + field_path + "'") != std::string::npos);
}

// A fresh directory per test case, so that test processes run in parallel never share a file.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("linetwin-scene-library-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out << text;
    REQUIRE(out.good());
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("scene errors: the library scene itself loads") {
  const Scene scene = load_scene_text(kLibraryScene, "library.yaml");
  CHECK(scene.products() == std::vector<std::string>{"sedan", "suv"});
  CHECK(scene.element(*scene.find("ASM")).id == scene.elements()[kAsm].id);
  CHECK(scene.elements()[kIn].id == "in");
  CHECK(scene.elements()[kOp10].id == "OP10");
  CHECK(scene.elements()[kOp15].id == "OP15");
  CHECK(scene.elements()[kBelt].id == "belt");
  CHECK(scene.elements()[kInsp].id == "INSP");
  CHECK(scene.elements()[kOven].id == "OVEN");
}

TEST_CASE("scene errors: an unknown product in a by_product route, mix, processing or setup") {
  SUBCASE("route by product") {
    const std::string text = replace(kLibraryScene, "{sedan: belt,", "{coupe: belt,");
    const InputError e = load_error(text);
    check_where(e, element(kOp10) + ".to.by_product.coupe", line_of(text, "coupe: belt"));
    CHECK(says(e, "unknown product 'coupe'; expected one of: sedan, suv"));
  }
  SUBCASE("mix") {
    const std::string text = replace(kLibraryScene, "suv: 0.4}", "van: 0.4}");
    const InputError e = load_error(text);
    check_where(e, element(kIn) + ".mix.van", line_of(text, "van: 0.4"));
    CHECK(says(e, "unknown product 'van'"));
  }
  SUBCASE("processing by product") {
    const std::string text = replace(kLibraryScene, "{suv: 55s}", "{truck: 55s}");
    const InputError e = load_error(text);
    check_where(e, element(kOp10) + ".processing_by_product.truck", line_of(text, "truck: 55s"));
    CHECK(says(e, "unknown product 'truck'; expected one of: sedan, suv"));
  }
  SUBCASE("setup products") {
    const std::string text =
        replace(kLibraryScene, "products: [sedan, suv], times", "products: [sedan, van], times");
    const InputError e = load_error(text);
    check_where(e, element(kOp10) + ".setup.products[1]", line_of(text, "products: [sedan, van]"));
    CHECK(says(e, "unknown product 'van'"));
  }
  SUBCASE("per-product scrap share") {
    const std::string text =
        replace(kLibraryScene, "scrap: 0.01,", "scrap: {default: 0.01, van: 0.1},");
    const InputError e = load_error(text);
    check_where(e, element(kInsp) + ".quality.scrap.van", line_of(text, "van: 0.1"));
    CHECK(says(e, "unknown product 'van'"));
  }
}

TEST_CASE("scene errors: a by_product route must name a target for every product") {
  const std::string text = replace(kLibraryScene, "{by_product: {sedan: belt, suv: OP15}}",
                                   "{by_product: {sedan: belt}}");
  const InputError e = load_error(text);
  check_where(e, element(kOp10) + ".to.by_product", line_of(text, "{sedan: belt}"));
  CHECK(says(e, "expected a target for every product; 'suv' has none"));
}

TEST_CASE("scene errors: shares that do not add up to 1") {
  SUBCASE("probability route") {
    const std::string text = replace(kLibraryScene, "QB: 0.5}", "QB: 0.4}");
    const InputError e = load_error(text);
    // Checked once the targets are known, at the element.
    check_where(e, element(kBelt) + ".to.probability", line_of(text, "{id: belt,"));
    CHECK(says(e, "expected shares that add up to 1, found a total of 0.9"));
  }
  SUBCASE("probability route, a share out of range") {
    const std::string text = replace(kLibraryScene, "QB: 0.5}", "QB: 1.5}");
    const InputError e = load_error(text);
    check_where(e, element(kBelt) + ".to.probability.QB", line_of(text, "QB: 1.5"));
    CHECK(says(e, "expected a share from 0 to 1, found 1.5"));
  }
  SUBCASE("probability route, a target with a share of 0") {
    const std::string text = replace(kLibraryScene, "{QA: 0.5, QB: 0.5}", "{QA: 0, QB: 1}");
    const InputError e = load_error(text);
    check_where(e, element(kBelt) + ".to.probability.QA", line_of(text, "{id: belt,"));
    CHECK(says(e, "expected a share > 0 and <= 1, found 0"));
  }
  SUBCASE("product mix") {
    const std::string text = replace(kLibraryScene, "suv: 0.4}", "suv: 0.2}");
    const InputError e = load_error(text);
    check_where(e, element(kIn) + ".mix", line_of(text, "mix: {sedan: 0.6, suv: 0.2}"));
    CHECK(says(e, "expected shares that add up to 1, found 0.8"));
  }
}

TEST_CASE("scene errors: an assembly's bill of materials names buffers that can feed it") {
  SUBCASE("a missing element") {
    const std::string text = replace(kLibraryScene, "{from: Qdoors,", "{from: Qdoorz,");
    const InputError e = load_error(text);
    check_where(e, element(kAsm) + ".assembly.components[0].from", line_of(text, "id: ASM"));
    CHECK(says(e, "expected the id of an element in this scene, found 'Qdoorz'"));
  }
  SUBCASE("the main part from a missing element") {
    const std::string text = replace(kLibraryScene, "{main: Qmain,", "{main: Qbody,");
    const InputError e = load_error(text);
    check_where(e, element(kAsm) + ".assembly.main", line_of(text, "id: ASM"));
    CHECK(says(e, "found 'Qbody'"));
  }
  SUBCASE("an element that is not a buffer") {
    const std::string text = replace(kLibraryScene, "{from: Qdoors,", "{from: OP15,");
    const InputError e = load_error(text);
    check_where(e, element(kAsm) + ".assembly.components[0].from", line_of(text, "id: ASM"));
    CHECK(says(e, "expected a buffer that feeds only 'ASM'; 'OP15' is not one"));
  }
  SUBCASE("a buffer that also feeds another station") {
    // Qdoors hands its parts to ASM or, when ASM cannot take them, to REP.
    const std::string text = replace(kLibraryScene, "capacity: 8, to: ASM}",
                                     "capacity: 8, to: {first_free: [ASM, REP]}}");
    const InputError e = load_error(text);
    check_where(e, element(kAsm) + ".assembly.components[0].from", line_of(text, "id: ASM"));
    CHECK(says(e, "expected a buffer that feeds only 'ASM'; 'Qdoors' is not one"));
  }
  SUBCASE("a buffer too small for the quantity") {
    const std::string text = replace(kLibraryScene, "{id: Qdoors, type: buffer, capacity: 8,",
                                     "{id: Qdoors, type: buffer, capacity: 3,");
    const InputError e = load_error(text);
    check_where(e, element(kAsm) + ".assembly.components[0].from", line_of(text, "id: ASM"));
    CHECK(says(e, "buffer 'Qdoors' holds 3 parts, fewer than the 4 this station needs at once"));
  }
  SUBCASE("a quantity of zero") {
    const std::string text = replace(kLibraryScene, "quantity: 4}", "quantity: 0}");
    const InputError e = load_error(text);
    check_where(e, element(kAsm) + ".assembly.components[0].quantity",
                line_of(text, "quantity: 0"));
    CHECK(says(e, "expected a whole number from 1 to 100000, found 0"));
  }
}

TEST_CASE(
    "scene errors: an assembly station fed by an input that is not in its bill of materials") {
  // OP20B now brings its parts through a buffer of its own, which the bill does not list.
  std::string text = replace(kLibraryScene, "processing: 90s, to: Qmain}\n  - {id: doors",
                             "processing: 90s, to: Qspare}\n  - {id: doors");
  text = replace(text, "  - {id: Qmain,",
                 "  - {id: Qspare, type: buffer, capacity: 2, to: ASM}\n  - {id: Qmain,");
  const InputError e = load_error(text);
  check_where(e, element(kAsm + 1) + ".assembly", line_of(text, "id: ASM"));
  CHECK(says(e, "'Qspare' feeds this assembly station but is not in its bill of materials"));
}

TEST_CASE("scene errors: a setup matrix of the wrong size") {
  SUBCASE("too few rows") {
    const std::string text =
        replace(kLibraryScene, "times: [[0s, 2min], [1min, 0s]]", "times: [[0s, 2min]]");
    const InputError e = load_error(text);
    check_where(e, element(kOp10) + ".setup.times", line_of(text, "times: [[0s, 2min]]"));
    CHECK(says(e, "expected a 2 x 2 matrix"));
    CHECK(says(e, "found 1 rows"));
  }
  SUBCASE("a short row") {
    const std::string text = replace(kLibraryScene, "[1min, 0s]]", "[1min]]");
    const InputError e = load_error(text);
    check_where(e, element(kOp10) + ".setup.times[1]", line_of(text, "[1min]]"));
    CHECK(says(e, "expected a row of 2 setup times"));
  }
  SUBCASE("a negative setup time") {
    const std::string text = replace(kLibraryScene, "[1min, 0s]]", "[-1min, 0s]]");
    const InputError e = load_error(text);
    check_where(e, element(kOp10) + ".setup.times[1][0]", line_of(text, "[-1min, 0s]]"));
  }
}

TEST_CASE("scene errors: shift calendars") {
  SUBCASE("overlapping shifts") {
    const std::string text = replace(kLibraryScene, "start: \"14:00\", end: \"22:00\"",
                                     "start: \"13:00\", end: \"22:00\"");
    const InputError e = load_error(text);
    // Calendar rules are checked on the whole calendar: its line, and the path to the shift.
    check_where(e, "calendars.day.shifts[1]", line_of(text, "    shifts:"));
    CHECK(says(e, "overlaps"));
    CHECK(says(e, "'early'"));
  }
  SUBCASE("a break outside its shift") {
    const std::string text = replace(kLibraryScene, "{start: \"09:00\", duration: 15min}",
                                     "{start: \"13:50\", duration: 15min}");
    const InputError e = load_error(text);
    check_where(e, "calendars.day.shifts[0].breaks[0]", line_of(text, "    shifts:"));
    CHECK(says(e, "is outside shift 'early'"));
    CHECK(says(e, "expected a break within its shift"));
  }
  SUBCASE("a time of day that is not one") {
    const std::string text = replace(kLibraryScene, "end: \"14:00\"", "end: \"25:00\"");
    const InputError e = load_error(text);
    check_where(e, "calendars.day.shifts[0].end", line_of(text, "end: \"25:00\""));
    CHECK(says(e, "expected a time of day HH:MM"));
  }
  SUBCASE("an unknown weekday") {
    const std::string text = replace(kLibraryScene, "weekdays: [mon, tue, wed, thu, fri]\n",
                                     "weekdays: [mon, tue, wed, thu, fry]\n");
    const InputError e = load_error(text);
    check_where(e, "calendars.day.shifts[0].weekdays[4]", line_of(text, "fry]"));
    CHECK(says(e, "expected a weekday"));
  }
}

TEST_CASE("scene errors: an unknown calendar name") {
  SUBCASE("the line's calendar") {
    const std::string text = replace(kLibraryScene, "calendar: day\n", "calendar: night\n");
    const InputError e = load_error(text);
    check_where(e, "calendar", line_of(text, "calendar: night"));
    CHECK(says(e, "expected the name of a calendar under 'calendars', found 'night'"));
  }
  SUBCASE("a station's calendar") {
    const std::string text = replace(kLibraryScene, "processing: 40s, to: belt}",
                                     "processing: 40s, calendar: nights, to: belt}");
    const InputError e = load_error(text);
    check_where(e, element(kOp15) + ".calendar", line_of(text, "{id: OP15,"));
    CHECK(says(e, "found 'nights'"));
  }
}

TEST_CASE("scene errors: operators") {
  SUBCASE("an unknown skill") {
    const std::string text = replace(kLibraryScene, "processing: fitting", "processing: welding");
    const InputError e = load_error(text);
    check_where(e, element(kOp10) + ".operators.processing", line_of(text, "id: OP10"));
    CHECK(says(e, "no operator pool has the skill 'welding'"));
  }
  SUBCASE("a repair operator on a station without breakdowns") {
    const std::string text = replace(kLibraryScene, "processing: 40s, to: belt}",
                                     "processing: 40s, operators: {repair: repair}, to: belt}");
    const InputError e = load_error(text);
    check_where(e, element(kOp15) + ".operators.repair", line_of(text, "{id: OP15,"));
    CHECK(says(e, "the station has no breakdowns to repair"));
  }
  SUBCASE("a pool without operators") {
    const std::string text = replace(kLibraryScene, "count: 2,", "count: 0,");
    const InputError e = load_error(text);
    check_where(e, "operators[0].count", line_of(text, "count: 0"));
    CHECK(says(e, "expected a whole number from 1 to 100000, found 0"));
  }
  SUBCASE("a home that is no element") {
    const std::string text =
        replace(kLibraryScene, "skills: [repair]}", "skills: [repair], home: crib}");
    const InputError e = load_error(text);
    check_where(e, "operators[1].home", line_of(text, "home: crib"));
    CHECK(says(e, "found 'crib'"));
  }
}

TEST_CASE("scene errors: WIP limits") {
  SUBCASE("'to' is not downstream of 'from'") {
    const std::string text = replace(kLibraryScene, "from: Q1, to: OVEN,", "from: OVEN, to: Q1,");
    const InputError e = load_error(text);
    check_where(e, "wip_limits[0].to", line_of(text, "{name: conwip"));
    CHECK(says(e, "parts entering 'OVEN' never reach 'Q1'"));
  }
  SUBCASE("'to' on another branch") {
    // OP15 builds SUVs only; parts entering OP20A come from the belt after it, never through it.
    const std::string text =
        replace(kLibraryScene, "from: Q1, to: OVEN,", "from: OP20A, to: OP15,");
    const InputError e = load_error(text);
    check_where(e, "wip_limits[0].to", line_of(text, "{name: conwip"));
    CHECK(says(e, "never reach 'OP15'"));
  }
  SUBCASE("an unknown element") {
    const std::string text = replace(kLibraryScene, "from: Q1, to: OVEN,", "from: Q0, to: OVEN,");
    const InputError e = load_error(text);
    check_where(e, "wip_limits[0].from", line_of(text, "{name: conwip"));
    CHECK(says(e, "found 'Q0'"));
  }
  SUBCASE("starting at a source") {
    const std::string text = replace(kLibraryScene, "from: Q1, to: OVEN,", "from: in, to: OVEN,");
    const InputError e = load_error(text);
    check_where(e, "wip_limits[0].from", line_of(text, "{name: conwip"));
    CHECK(says(e, "'in' is a source"));
  }
}

TEST_CASE("scene errors: quality") {
  SUBCASE("scrap and rework shares above 1 together") {
    const std::string text =
        replace(kLibraryScene, "{scrap: 0.01, rework: 0.05,", "{scrap: 0.6, rework: 0.5,");
    const InputError e = load_error(text);
    check_where(e, element(kInsp) + ".quality", line_of(text, "id: INSP"));
    CHECK(says(e, "add up to at most 1 for product 'sedan', found 0.6 and 0.5"));
  }
  SUBCASE("above 1 for one product only") {
    const std::string text =
        replace(kLibraryScene, "rework: 0.05,", "rework: {default: 0.05, suv: 0.995},");
    const InputError e = load_error(text);
    check_where(e, element(kInsp) + ".quality", line_of(text, "id: INSP"));
    CHECK(says(e, "for product 'suv', found 0.01 and 0.995"));
  }
  SUBCASE("rework without rework_to") {
    const std::string text = replace(kLibraryScene, ", rework_to: Qrep}", "}");
    const InputError e = load_error(text);
    check_where(e, element(kInsp) + ".quality.rework_to", line_of(text, "id: INSP"));
    CHECK(says(e, "expected where reworked parts go"));
  }
  SUBCASE("rework_to a sink") {
    const std::string text = replace(kLibraryScene, "rework_to: Qrep}", "rework_to: out}");
    const InputError e = load_error(text);
    check_where(e, element(kInsp) + ".quality.rework_to", line_of(text, "id: INSP"));
    CHECK(says(e, "'out' is a sink"));
  }
}

TEST_CASE("scene errors: conveyors") {
  SUBCASE("spacing longer than the belt") {
    const std::string text = replace(kLibraryScene, "spacing_m: 3,", "spacing_m: 13,");
    const InputError e = load_error(text);
    // The belt's parameters are checked together, at the element.
    check_where(e, element(kBelt), line_of(text, "{id: belt,"));
    CHECK(says(e, "expected spacing_m > 0 and <= length_m (12 m), found 13"));
  }
  SUBCASE("a speed of zero") {
    const std::string text = replace(kLibraryScene, "speed_m_per_s: 0.2,", "speed_m_per_s: 0,");
    const InputError e = load_error(text);
    check_where(e, element(kBelt), line_of(text, "{id: belt,"));
    CHECK(says(e, "expected a finite speed_m_per_s > 0, found 0"));
  }
  SUBCASE("accumulating is true or false") {
    const std::string text =
        replace(kLibraryScene, "spacing_m: 3,", "spacing_m: 3, accumulating: maybe,");
    const InputError e = load_error(text);
    check_where(e, element(kBelt) + ".accumulating", line_of(text, "accumulating: maybe"));
    CHECK(says(e, "expected true or false, found 'maybe'"));
  }
}

TEST_CASE("scene errors: batches") {
  SUBCASE("min above max") {
    const std::string text =
        replace(kLibraryScene, "batch: {min: 2, max: 6}", "batch: {min: 7, max: 6}");
    const InputError e = load_error(text);
    check_where(e, element(kOven) + ".batch", line_of(text, "{id: OVEN,"));
    CHECK(says(e, "expected 1 <= min <= max, found min 7 and max 6"));
  }
  SUBCASE("an input buffer smaller than the minimum batch") {
    const std::string text = replace(kLibraryScene, "{id: Qoven, type: buffer, capacity: 10,",
                                     "{id: Qoven, type: buffer, capacity: 1,");
    const InputError e = load_error(text);
    check_where(e, element(kOven) + ".batch.min", line_of(text, "{id: OVEN,"));
    CHECK(says(e, "'Qoven' is not one"));
  }
}

TEST_CASE("scene errors: merge priorities name the station's inputs") {
  SUBCASE("an element that does not feed the station") {
    const std::string text =
        replace(kLibraryScene, "priority: [Qrework, Qinsp]", "priority: [Qrep, Qinsp]");
    const InputError e = load_error(text);
    check_where(e, element(kInsp) + ".merge.priority[0]", line_of(text, "id: INSP"));
    CHECK(says(e, "'Qrep' does not feed this station"));
  }
  SUBCASE("an input left out") {
    const std::string text =
        replace(kLibraryScene, "priority: [Qrework, Qinsp]", "priority: [Qrework]");
    const InputError e = load_error(text);
    check_where(e, element(kInsp) + ".merge.priority", line_of(text, "id: INSP"));
    CHECK(says(e, "expected every input in the priority list; 'Qinsp' is missing"));
  }
}

TEST_CASE("scene errors: an order file with an unknown variant names the CSV file and its line") {
  TempDir dir;
  const std::string orders = dir.write("orders.csv",
                                       "order_id,variant,release_time\n"
                                       "A1,sedan,0\n"
                                       "A2,suv,70s\n"
                                       "\n"
                                       "A3,coupe,140s\n"
                                       "A4,sedan,210s\n");
  const std::string scene_text = replace(
      kLibraryScene, "interarrival: 70s, mix: {sedan: 0.6, suv: 0.4},", "orders: orders.csv,");
  const std::string scene = dir.write("line.yaml", scene_text);
  try {
    load_scene_file(scene);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    INFO("error: " << e.what());
    // The path is relative to the scene file, and the error names the order file.
    CHECK(std::filesystem::equivalent(e.where().file, orders));
    CHECK(e.where().line == 5);  // blank lines count, as in an editor
    CHECK(e.where().field_path == "variant");
    CHECK(says(e, "unknown variant 'coupe' in order 'A3'"));
    CHECK(says(e, "expected one of the scene's products: sedan, suv"));
  }
  // The same file with known variants loads, in release order.
  dir.write("orders.csv", "order_id,variant,release_time\nA2,suv,70s\nA1,sedan,0\n");
  const Scene loaded = load_scene_file(scene);
  const SourceSpec& source = loaded.source_spec(loaded.elements()[kIn]);
  REQUIRE(source.orders.size() == 2);
  CHECK(source.orders[0].id == "A1");
  CHECK(source.orders[1].product == 1);
  CHECK(source.orders[1].release_s == 70.0);
}

TEST_CASE("scene errors: an order source takes its products from its file, and needs the file") {
  TempDir dir;
  dir.write("orders.csv", "order_id,variant,release_time\nA1,sedan,0\n");
  SUBCASE("orders and a mix") {
    const std::string text =
        replace(kLibraryScene, "interarrival: 70s, mix:", "orders: orders.csv, mix:");
    try {
      load_scene_file(dir.write("line.yaml", text));
      FAIL("expected an InputError");
    } catch (const InputError& e) {
      INFO("error: " << e.what());
      CHECK(e.where().field_path == element(kIn));
      CHECK(e.where().line == line_of(text, "{id: in,"));
      CHECK(says(e, "an order source takes the product of each order from its file"));
    }
  }
  SUBCASE("orders and interarrival") {
    const std::string text =
        replace(kLibraryScene, "interarrival: 70s,", "interarrival: 70s, orders: orders.csv,");
    const InputError e = load_error(text);
    check_where(e, element(kIn), line_of(text, "{id: in,"));
    CHECK(says(e, "exactly one of 'supply: unlimited', 'interarrival' or 'orders'"));
  }
  SUBCASE("a missing order file") {
    const std::string text = replace(
        kLibraryScene, "interarrival: 70s, mix: {sedan: 0.6, suv: 0.4},", "orders: none.csv,");
    try {
      load_scene_file(dir.write("line.yaml", text));
      FAIL("expected an InputError");
    } catch (const InputError& e) {
      INFO("error: " << e.what());
      CHECK(std::filesystem::path(e.where().file).filename() == "none.csv");
      CHECK(says(e, "cannot open the order file"));
    }
  }
}

TEST_CASE("scene errors: loops in the flow are rejected, except through rework") {
  SUBCASE("the library scene reworks in a loop, and loads") {
    CHECK_NOTHROW(load_scene_text(kLibraryScene, "library.yaml"));
  }
  SUBCASE("the same loop through a route instead of rework_to") {
    const std::string text =
        replace(kLibraryScene, "to: Qoven\n", "to: {first_free: [Qoven, Qrep]}\n");
    const InputError e = load_error(text);
    CHECK(e.where().file == "library.yaml");
    CHECK(e.where().field_path.rfind("elements[", 0) == 0);
    CHECK(e.where().field_path.find(".to") != std::string::npos);
    CHECK(e.where().line > 0);
    CHECK(says(e, "runs in a loop"));
    CHECK(says(e, "loops are only for rework: quality.rework_to"));
  }
  SUBCASE("a branch that leads back to the start of the line") {
    const std::string text = replace(kLibraryScene, "processing: 90s, to: Qmain}\n  - {id: doors",
                                     "processing: 90s, to: Q1}\n  - {id: doors");
    const InputError e = load_error(text);
    CHECK(e.where().field_path.find(".to") != std::string::npos);
    CHECK(says(e, "runs in a loop"));
  }
}

TEST_CASE("scene errors: none in the bundled final-assembly scene and its order file") {
  // The scene that docs/element-library.md describes uses every capability tested above.
  const Scene scene =
      load_scene_file(std::string(LINETWIN_SOURCE_DIR) + "/scenes/final_assembly.yaml");
  CHECK(scene.products() == std::vector<std::string>{"sedan", "touring", "suv"});
  const SourceSpec& orders = scene.source_spec(scene.element(*scene.find("orders")));
  CHECK(orders.orders.size() == 1392);  // 2 days x 14.5 productive hours x 48 jobs per hour
  CHECK(scene.calendars().size() == 2);
  CHECK(scene.operator_pools().size() == 2);
  CHECK(scene.wip_limits().size() == 1);
  CHECK(scene.conveyors().size() == 2);
}
