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
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "input_error_check.hpp"
#include "io/scene_file.hpp"
#include "test_files.hpp"

using namespace linetwin;
using linetwin::test::says;
using linetwin::test::TempDir;

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

// Errors name an element by its id.
std::string element(const std::string& id) {
  return "elements[" + id + "]";
}

// Loads `text` and returns the error; fails the test if there is none.
InputError load_error(const std::string& text) {
  return linetwin::test::input_error([&] { load_scene_text(text, "library.yaml"); });
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

// One thing broken in kLibraryScene, and the error that loading it must give.
struct Breakage {
  std::string from;               // the first occurrence of this in kLibraryScene
  std::string to;                 // is replaced by this;
  std::string field_path;         // the error names this field,
  std::string line_with;          // on the first line of the broken text that has this in it,
  std::vector<std::string> says;  // and its message says each of these.
};

void check_broken(const Breakage& broken) {
  const std::string text = replace(kLibraryScene, broken.from, broken.to);
  const InputError e = load_error(text);
  check_where(e, broken.field_path, line_of(text, broken.line_with));
  INFO("error: " << e.what());
  for (const std::string& fragment : broken.says) {
    CAPTURE(fragment);
    CHECK(says(e, fragment));
  }
}

}  // namespace

TEST_CASE("scene errors: the library scene itself loads") {
  const Scene scene = load_scene_text(kLibraryScene, "library.yaml");
  CHECK(scene.products() == std::vector<std::string>{"sedan", "suv"});
  CHECK(scene.elements().size() == 21);
}

TEST_CASE("scene errors: an unknown product in a by_product route, mix, processing or setup") {
  SUBCASE("route by product") {
    check_broken({.from = "{sedan: belt,",
                  .to = "{coupe: belt,",
                  .field_path = element("OP10") + ".to.by_product.coupe",
                  .line_with = "coupe: belt",
                  .says = {"unknown product 'coupe'; expected one of: sedan, suv"}});
  }
  SUBCASE("mix") {
    check_broken({.from = "suv: 0.4}",
                  .to = "van: 0.4}",
                  .field_path = element("in") + ".mix.van",
                  .line_with = "van: 0.4",
                  .says = {"unknown product 'van'"}});
  }
  SUBCASE("processing by product") {
    check_broken({.from = "{suv: 55s}",
                  .to = "{truck: 55s}",
                  .field_path = element("OP10") + ".processing_by_product.truck",
                  .line_with = "truck: 55s",
                  .says = {"unknown product 'truck'; expected one of: sedan, suv"}});
  }
  SUBCASE("setup products") {
    check_broken({.from = "products: [sedan, suv], times",
                  .to = "products: [sedan, van], times",
                  .field_path = element("OP10") + ".setup.products[1]",
                  .line_with = "products: [sedan, van]",
                  .says = {"unknown product 'van'"}});
  }
  SUBCASE("per-product scrap share") {
    check_broken({.from = "scrap: 0.01,",
                  .to = "scrap: {default: 0.01, van: 0.1},",
                  .field_path = element("INSP") + ".quality.scrap.van",
                  .line_with = "van: 0.1",
                  .says = {"unknown product 'van'"}});
  }
}

TEST_CASE("scene errors: a by_product route must name a target for every product") {
  check_broken({.from = "{by_product: {sedan: belt, suv: OP15}}",
                .to = "{by_product: {sedan: belt}}",
                .field_path = element("OP10") + ".to.by_product",
                .line_with = "{sedan: belt}",
                .says = {"expected a target for every product; 'suv' has none"}});
}

TEST_CASE("scene errors: shares that do not add up to 1") {
  SUBCASE("probability route") {
    // Checked once the targets are known, at the element.
    check_broken({.from = "QB: 0.5}",
                  .to = "QB: 0.4}",
                  .field_path = element("belt") + ".to.probability",
                  .line_with = "{id: belt,",
                  .says = {"expected shares that add up to 1, found a total of 0.9"}});
  }
  SUBCASE("probability route, a share out of range") {
    check_broken({.from = "QB: 0.5}",
                  .to = "QB: 1.5}",
                  .field_path = element("belt") + ".to.probability.QB",
                  .line_with = "QB: 1.5",
                  .says = {"expected a share from 0 to 1, found 1.5"}});
  }
  SUBCASE("probability route, a target with a share of 0") {
    check_broken({.from = "{QA: 0.5, QB: 0.5}",
                  .to = "{QA: 0, QB: 1}",
                  .field_path = element("belt") + ".to.probability.QA",
                  .line_with = "{id: belt,",
                  .says = {"expected a share > 0 and <= 1, found 0"}});
  }
  SUBCASE("product mix") {
    check_broken({.from = "suv: 0.4}",
                  .to = "suv: 0.2}",
                  .field_path = element("in") + ".mix",
                  .line_with = "mix: {sedan: 0.6, suv: 0.2}",
                  .says = {"expected shares that add up to 1, found 0.8"}});
  }
}

TEST_CASE("scene errors: an assembly's bill of materials names buffers that can feed it") {
  SUBCASE("a missing element") {
    check_broken({.from = "{from: Qdoors,",
                  .to = "{from: Qdoorz,",
                  .field_path = element("ASM") + ".assembly.components[0].from",
                  .line_with = "id: ASM",
                  .says = {"expected the id of an element in this scene, found 'Qdoorz'"}});
  }
  SUBCASE("the main part from a missing element") {
    check_broken({.from = "{main: Qmain,",
                  .to = "{main: Qbody,",
                  .field_path = element("ASM") + ".assembly.main",
                  .line_with = "id: ASM",
                  .says = {"found 'Qbody'"}});
  }
  SUBCASE("an element that is not a buffer") {
    check_broken({.from = "{from: Qdoors,",
                  .to = "{from: OP15,",
                  .field_path = element("ASM") + ".assembly.components[0].from",
                  .line_with = "id: ASM",
                  .says = {"expected a buffer that feeds only 'ASM'; 'OP15' is not one"}});
  }
  SUBCASE("a buffer that also feeds another station") {
    // Qdoors hands its parts to ASM or, when ASM cannot take them, to REP.
    check_broken({.from = "capacity: 8, to: ASM}",
                  .to = "capacity: 8, to: {first_free: [ASM, REP]}}",
                  .field_path = element("ASM") + ".assembly.components[0].from",
                  .line_with = "id: ASM",
                  .says = {"expected a buffer that feeds only 'ASM'; 'Qdoors' is not one"}});
  }
  SUBCASE("a buffer too small for the quantity") {
    check_broken(
        {.from = "{id: Qdoors, type: buffer, capacity: 8,",
         .to = "{id: Qdoors, type: buffer, capacity: 3,",
         .field_path = element("ASM") + ".assembly.components[0].from",
         .line_with = "id: ASM",
         .says = {"buffer 'Qdoors' holds 3 parts, fewer than the 4 this station needs at once"}});
  }
  SUBCASE("a quantity of zero") {
    check_broken({.from = "quantity: 4}",
                  .to = "quantity: 0}",
                  .field_path = element("ASM") + ".assembly.components[0].quantity",
                  .line_with = "quantity: 0",
                  .says = {"expected a whole number from 1 to 100000, found 0"}});
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
  check_where(e, element("ASM") + ".assembly", line_of(text, "id: ASM"));
  CHECK(says(e, "'Qspare' feeds this assembly station but is not in its bill of materials"));
}

TEST_CASE("scene errors: a setup matrix of the wrong size") {
  SUBCASE("too few rows") {
    check_broken({.from = "times: [[0s, 2min], [1min, 0s]]",
                  .to = "times: [[0s, 2min]]",
                  .field_path = element("OP10") + ".setup.times",
                  .line_with = "times: [[0s, 2min]]",
                  .says = {"expected a 2 x 2 matrix", "found 1 rows"}});
  }
  SUBCASE("a short row") {
    check_broken({.from = "[1min, 0s]]",
                  .to = "[1min]]",
                  .field_path = element("OP10") + ".setup.times[1]",
                  .line_with = "[1min]]",
                  .says = {"expected a row of 2 setup times"}});
  }
  SUBCASE("a negative setup time") {
    check_broken({.from = "[1min, 0s]]",
                  .to = "[-1min, 0s]]",
                  .field_path = element("OP10") + ".setup.times[1][0]",
                  .line_with = "[-1min, 0s]]",
                  .says = {}});
  }
}

TEST_CASE("scene errors: shift calendars") {
  SUBCASE("overlapping shifts") {
    // Calendar rules are checked on the whole calendar: its line, and the path to the shift.
    check_broken({.from = "start: \"14:00\", end: \"22:00\"",
                  .to = "start: \"13:00\", end: \"22:00\"",
                  .field_path = "calendars.day.shifts[1]",
                  .line_with = "    shifts:",
                  .says = {"overlaps", "'early'"}});
  }
  SUBCASE("a break outside its shift") {
    check_broken({.from = "{start: \"09:00\", duration: 15min}",
                  .to = "{start: \"13:50\", duration: 15min}",
                  .field_path = "calendars.day.shifts[0].breaks[0]",
                  .line_with = "    shifts:",
                  .says = {"is outside shift 'early'", "expected a break within its shift"}});
  }
  SUBCASE("a time of day that is not one") {
    check_broken({.from = "end: \"14:00\"",
                  .to = "end: \"25:00\"",
                  .field_path = "calendars.day.shifts[0].end",
                  .line_with = "end: \"25:00\"",
                  .says = {"expected a time of day HH:MM"}});
  }
  SUBCASE("an unknown weekday") {
    check_broken({.from = "weekdays: [mon, tue, wed, thu, fri]\n",
                  .to = "weekdays: [mon, tue, wed, thu, fry]\n",
                  .field_path = "calendars.day.shifts[0].weekdays[4]",
                  .line_with = "fry]",
                  .says = {"expected a weekday"}});
  }
}

TEST_CASE("scene errors: an unknown calendar name") {
  SUBCASE("the line's calendar") {
    check_broken({.from = "calendar: day\n",
                  .to = "calendar: night\n",
                  .field_path = "calendar",
                  .line_with = "calendar: night",
                  .says = {"expected the name of a calendar under 'calendars', found 'night'"}});
  }
  SUBCASE("a station's calendar") {
    check_broken({.from = "processing: 40s, to: belt}",
                  .to = "processing: 40s, calendar: nights, to: belt}",
                  .field_path = element("OP15") + ".calendar",
                  .line_with = "{id: OP15,",
                  .says = {"found 'nights'"}});
  }
}

TEST_CASE("scene errors: operators") {
  SUBCASE("an unknown skill") {
    check_broken({.from = "processing: fitting",
                  .to = "processing: welding",
                  .field_path = element("OP10") + ".operators.processing",
                  .line_with = "id: OP10",
                  .says = {"no operator pool has the skill 'welding'"}});
  }
  SUBCASE("a repair operator on a station without breakdowns") {
    check_broken({.from = "processing: 40s, to: belt}",
                  .to = "processing: 40s, operators: {repair: repair}, to: belt}",
                  .field_path = element("OP15") + ".operators.repair",
                  .line_with = "{id: OP15,",
                  .says = {"the station has no breakdowns to repair"}});
  }
  SUBCASE("a pool without operators") {
    check_broken({.from = "count: 2,",
                  .to = "count: 0,",
                  .field_path = "operators[0].count",
                  .line_with = "count: 0",
                  .says = {"expected a whole number from 1 to 100000, found 0"}});
  }
  SUBCASE("a home that is no element") {
    check_broken({.from = "skills: [repair]}",
                  .to = "skills: [repair], home: crib}",
                  .field_path = "operators[1].home",
                  .line_with = "home: crib",
                  .says = {"found 'crib'"}});
  }
}

TEST_CASE("scene errors: WIP limits") {
  SUBCASE("'to' is not downstream of 'from'") {
    check_broken({.from = "from: Q1, to: OVEN,",
                  .to = "from: OVEN, to: Q1,",
                  .field_path = "wip_limits[0].to",
                  .line_with = "{name: conwip",
                  .says = {"parts entering 'OVEN' never reach 'Q1'"}});
  }
  SUBCASE("'to' on another branch") {
    // OP15 builds SUVs only; parts entering OP20A come from the belt after it, never through it.
    check_broken({.from = "from: Q1, to: OVEN,",
                  .to = "from: OP20A, to: OP15,",
                  .field_path = "wip_limits[0].to",
                  .line_with = "{name: conwip",
                  .says = {"never reach 'OP15'"}});
  }
  SUBCASE("an unknown element") {
    check_broken({.from = "from: Q1, to: OVEN,",
                  .to = "from: Q0, to: OVEN,",
                  .field_path = "wip_limits[0].from",
                  .line_with = "{name: conwip",
                  .says = {"found 'Q0'"}});
  }
  SUBCASE("starting at a source") {
    check_broken({.from = "from: Q1, to: OVEN,",
                  .to = "from: in, to: OVEN,",
                  .field_path = "wip_limits[0].from",
                  .line_with = "{name: conwip",
                  .says = {"'in' is a source"}});
  }
}

TEST_CASE("scene errors: quality") {
  SUBCASE("scrap and rework shares above 1 together") {
    check_broken({.from = "{scrap: 0.01, rework: 0.05,",
                  .to = "{scrap: 0.6, rework: 0.5,",
                  .field_path = element("INSP") + ".quality",
                  .line_with = "id: INSP",
                  .says = {"add up to at most 1 for product 'sedan', found 0.6 and 0.5"}});
  }
  SUBCASE("above 1 for one product only") {
    check_broken({.from = "rework: 0.05,",
                  .to = "rework: {default: 0.05, suv: 0.995},",
                  .field_path = element("INSP") + ".quality",
                  .line_with = "id: INSP",
                  .says = {"for product 'suv', found 0.01 and 0.995"}});
  }
  SUBCASE("rework without rework_to") {
    check_broken({.from = ", rework_to: Qrep}",
                  .to = "}",
                  .field_path = element("INSP") + ".quality.rework_to",
                  .line_with = "id: INSP",
                  .says = {"expected where reworked parts go"}});
  }
  SUBCASE("rework_to a sink") {
    check_broken({.from = "rework_to: Qrep}",
                  .to = "rework_to: out}",
                  .field_path = element("INSP") + ".quality.rework_to",
                  .line_with = "id: INSP",
                  .says = {"'out' is a sink"}});
  }
}

TEST_CASE("scene errors: conveyors") {
  SUBCASE("spacing longer than the belt") {
    // The belt's parameters are checked together, at the element.
    check_broken({.from = "spacing_m: 3,",
                  .to = "spacing_m: 13,",
                  .field_path = element("belt"),
                  .line_with = "{id: belt,",
                  .says = {"expected spacing_m > 0 and <= length_m (12 m), found 13"}});
  }
  SUBCASE("a speed of zero") {
    check_broken({.from = "speed_m_per_s: 0.2,",
                  .to = "speed_m_per_s: 0,",
                  .field_path = element("belt"),
                  .line_with = "{id: belt,",
                  .says = {"expected a finite speed_m_per_s > 0, found 0"}});
  }
  SUBCASE("accumulating is true or false") {
    check_broken({.from = "spacing_m: 3,",
                  .to = "spacing_m: 3, accumulating: maybe,",
                  .field_path = element("belt") + ".accumulating",
                  .line_with = "accumulating: maybe",
                  .says = {"expected true or false, found 'maybe'"}});
  }
}

TEST_CASE("scene errors: batches") {
  SUBCASE("min above max") {
    check_broken({.from = "batch: {min: 2, max: 6}",
                  .to = "batch: {min: 7, max: 6}",
                  .field_path = element("OVEN") + ".batch",
                  .line_with = "{id: OVEN,",
                  .says = {"expected 1 <= min <= max <= 100000, found min 7 and max 6"}});
  }
  SUBCASE("an input buffer smaller than the minimum batch") {
    check_broken({.from = "{id: Qoven, type: buffer, capacity: 10,",
                  .to = "{id: Qoven, type: buffer, capacity: 1,",
                  .field_path = element("OVEN") + ".batch.min",
                  .line_with = "{id: OVEN,",
                  .says = {"'Qoven' is not one"}});
  }
}

TEST_CASE("scene errors: merge priorities name the station's inputs") {
  SUBCASE("an element that does not feed the station") {
    check_broken({.from = "priority: [Qrework, Qinsp]",
                  .to = "priority: [Qrep, Qinsp]",
                  .field_path = element("INSP") + ".merge.priority[0]",
                  .line_with = "id: INSP",
                  .says = {"'Qrep' does not feed this station"}});
  }
  SUBCASE("an input left out") {
    check_broken({.from = "priority: [Qrework, Qinsp]",
                  .to = "priority: [Qrework]",
                  .field_path = element("INSP") + ".merge.priority",
                  .line_with = "id: INSP",
                  .says = {"expected every input in the priority list; 'Qinsp' is missing"}});
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
  const SourceSpec& source = loaded.source_spec(loaded.element(*loaded.find("in")));
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
      CHECK(e.where().field_path == element("in"));
      CHECK(e.where().line == line_of(text, "{id: in,"));
      CHECK(says(e, "an order source takes the product of each order from its file"));
    }
  }
  SUBCASE("orders and interarrival") {
    check_broken({.from = "interarrival: 70s,",
                  .to = "interarrival: 70s, orders: orders.csv,",
                  .field_path = element("in"),
                  .line_with = "{id: in,",
                  .says = {"exactly one of 'supply: unlimited', 'interarrival' or 'orders'"}});
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

TEST_CASE("scene errors: an element is named by its id, by its place only without a usable id") {
  SUBCASE("an element with an id") {
    check_broken({.from = "{id: OP15, type: station, processing: 40s,",
                  .to = "{id: OP15, type: station, processing: 40s, servers: 0,",
                  .field_path = "elements[OP15].servers",
                  .line_with = "{id: OP15,",
                  .says = {"expected a whole number from 1 to 65535, found 0"}});
  }
  SUBCASE("an id that is not one: its place in the list, counted from 0") {
    check_broken({.from = "{id: OP15,",
                  .to = "{id: \"OP 15\",",
                  .field_path = "elements[3].id",
                  .line_with = "OP 15",
                  .says = {"expected a non-empty id of letters, digits"}});
  }
  SUBCASE("no id at all") {
    check_broken({.from = "{id: OP15, type: station,",
                  .to = "{type: station,",
                  .field_path = "elements[3].id",
                  .line_with = "processing: 40s, to: belt",
                  .says = {"missing required key 'id'"}});
  }
}

TEST_CASE("scene errors: a product that processing_by_product leaves out is named") {
  // OP15 gives SUVs their own time and has no 'processing' for the sedans it would also take.
  check_broken({.from = "{id: OP15, type: station, processing: 40s,",
                .to = "{id: OP15, type: station, processing_by_product: {suv: 40s},",
                .field_path = "elements[OP15].processing_by_product",
                .line_with = "{id: OP15,",
                .says = {"station 'OP15' has no processing time for product 'sedan'",
                         "expected an entry for 'sedan' in processing_by_product, or a "
                         "'processing' time"}});
}

TEST_CASE("scene errors: a duplicate id is reported before any order file is read") {
  // The order source comes first and its file does not exist; the duplicate comes after it.
  const std::string text =
      replace(replace(kLibraryScene, "interarrival: 70s, mix: {sedan: 0.6, suv: 0.4},",
                      "orders: no_such_orders.csv,"),
              "{id: OP20B,", "{id: OP20A,");
  TempDir dir;
  try {
    load_scene_file(dir.write("line.yaml", text));
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    INFO("error: " << e.what());
    CHECK(std::filesystem::path(e.where().file).filename() == "line.yaml");
    CHECK(e.where().field_path == "elements[OP20A].id");
    CHECK(e.where().line == line_of(text, "{id: OP20A,") + 1);  // the second, on the next line
    CHECK(says(e, "expected a unique id, but 'OP20A' is already the id of the element on line " +
                      std::to_string(line_of(text, "{id: OP20A,"))));
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
