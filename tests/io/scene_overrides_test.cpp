// Scene overrides: each kind of path changes exactly the field it names, `.mean` scales a
// distribution and keeps its shape, insert_buffer puts a buffer between an element and its
// target, anchors shared with other places survive, and every refusal is reported at the
// override's own place (file, line, column, field path), never at a line of the changed text.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/duration.hpp"
#include "input_error_check.hpp"
#include "io/scene_file.hpp"
#include "io/scene_overrides.hpp"
#include "plant/line_run.hpp"

using namespace linetwin;

namespace {

// Ids with dots (line.in, B1.b next to B1), products, a pool, limits with and without a name,
// calendars that share their shifts through an anchor, and distributions of several kinds.
const std::string kScene = R"(linetwin_scene: 1
name: overrides
products: [sedan, suv]
seed: 11
run: {duration: 2h, replications: 2}
operators:
  - {pool: fitters, count: 2, skills: [repair]}
calendars:
  day:
    shifts: &day_shifts
      - {name: early, weekdays: [mon, tue, wed, thu, fri], start: "06:00", end: "14:00"}
  weekend:
    shifts: *day_shifts
calendar: day
wip_limits:
  - {from: OP10, to: OP20, cards: 6}
  - {name: loop, from: B1.b, to: OP10, cards: 10}
elements:
  - id: line.in
    type: source
    interarrival: {distribution: exponential, mean: 50s}
    mix: {sedan: 0.6, suv: 0.4}
    to: B1.b
  - {id: B1.b, type: buffer, capacity: 2, to: OP10, pose: {x: -2, y: 0}}
  - id: OP10
    type: station
    processing: {distribution: gamma, shape: 4, mean: 40s}
    processing_by_product:
      suv: {distribution: lognormal, mean: 48s, sd: 12s}
    to: B1
    pose: {x: 0, y: 0}
  - {id: B1, type: buffer, capacity: 5, to: OP20, pose: {x: 4, y: 2}}
  - id: OP20
    type: station
    processing: 30s
    breakdowns:
      time_to_failure: {distribution: empirical, samples: [30min, 1h, 90min]}
      time_to_repair: {distribution: normal, mean: 5min, sd: 1min}
    operators: {repair: repair}
    to: line.out
    pose: {x: 8, y: 4}
  - {id: line.out, type: sink, pose: {x: 12, y: 8}}
)";
const std::string kBase = "base.yaml";
const std::string kScenario = "scenario.yaml";

// The overrides as a scenario writes them: override i on line 10 + i, column 7.
std::vector<SceneOverride> overrides(const std::vector<std::pair<std::string, std::string>>& sets) {
  std::vector<SceneOverride> out;
  for (const auto& [path, value] : sets) {
    const int line = 10 + static_cast<int>(out.size());
    out.push_back({path, value, {kScenario, line, 7, "variants[v].set." + path}});
  }
  return out;
}

Scene changed(const std::vector<std::pair<std::string, std::string>>& sets,
              const std::string& base = kScene) {
  return load_scene_with_overrides(base, kBase, overrides(sets));
}

const StationSpec& station(const Scene& scene, std::string_view id) {
  return scene.station_spec(scene.element(*scene.find(id)));
}
std::uint64_t capacity(const Scene& scene, std::string_view id) {
  return scene.buffer_spec(scene.element(*scene.find(id))).capacity;
}

std::string file_text(const std::string& path) {
  std::ostringstream text;
  text << std::ifstream(path, std::ios::binary).rdbuf();
  return text.str();
}

// The error that loading the changed scene throws, checked to stand at override `index`.
InputError error_at(const std::vector<std::pair<std::string, std::string>>& sets, std::size_t index,
                    const std::string& base = kScene) {
  const InputError e = test::input_error([&] { changed(sets, base); });
  INFO("error: " << e.what());
  CHECK(e.where().file == kScenario);
  CHECK(e.where().line == 10 + static_cast<int>(index));
  CHECK(e.where().column == 7);
  CHECK(e.where().field_path == "variants[v].set." + sets[index].first);
  return e;
}

}  // namespace

TEST_CASE("an override of each kind of path changes that field and nothing else") {
  const Scene base = load_scene_text(kScene, kBase);

  const Scene buffers = changed({{"B1.capacity", "12"}, {"B1.b.capacity", "3"}});
  CHECK(capacity(buffers, "B1") == 12);
  CHECK(capacity(buffers, "B1.b") == 3);  // the longest id that fits: B1.b, not B1's key 'b'
  CHECK(capacity(changed({{"B1.b.capacity", "unlimited"}}), "B1") == 5);

  const Scene station_fields =
      changed({{"OP10.servers", "2"},  // not in the base: added
               {"OP20.breakdowns.counted_on", "calendar_time"},
               {"OP10.processing", "{distribution: gamma, shape: 2, mean: 30s}"}});
  CHECK(station(station_fields, "OP10").servers == 2);
  CHECK(station(station_fields, "OP20").breakdowns->counted_on == FailureClock::kCalendarTime);
  CHECK(station(station_fields, "OP10").processing.describe() ==
        Distribution::gamma_with_mean(2, 30).describe());
  CHECK(station(station_fields, "OP20").servers == 1);

  const Scene mix = changed({{"line.in.mix.sedan", "0.5"}, {"line.in.mix.suv", "0.5"}});
  CHECK(mix.source_spec(mix.element(*mix.find("line.in"))).mix == std::vector<double>{0.5, 0.5});

  const Scene crew = changed({{"operators.fitters.count", "4"},
                              {"wip_limits.limit 1.cards", "8"},  // a limit without a name
                              {"wip_limits.loop.cards", "3"}});
  CHECK(crew.operator_pools().at(0).count == 4);
  CHECK(crew.wip_limits().at(0).cards == 8);
  CHECK(crew.wip_limits().at(1).cards == 3);

  const Scene run = changed({{"run.duration", "4h"}, {"run.warmup", "30min"}});
  CHECK(run.run_settings().duration_s == 4 * 3600.0);
  CHECK(run.run_settings().warmup_s == 1800.0);
  CHECK(run.run_settings().replications == base.run_settings().replications);
  CHECK(run.seed() == base.seed());

  const Scene shifts = changed({{"calendars.day.start_weekday", "sat"}, {"calendar", "weekend"}});
  CHECK(shifts.calendars().at(0).spec.start_weekday == 5);
  CHECK(shifts.calendars().at(1).spec.start_weekday == base.calendars().at(1).spec.start_weekday);
  CHECK(station(shifts, "OP10").calendar == 1);  // the line's calendar is now `weekend`
  CHECK(station(base, "OP10").calendar == 0);

  // The changed scene is the base's file as far as the engine knows.
  CHECK(buffers.source_file() == kBase);
  CHECK(buffers.elements().size() == base.elements().size());
}

TEST_CASE("a mean scales every duration of its distribution and keeps its shape") {
  // gamma: the shape stays, the scale follows the mean; its own distribution per product stays.
  const Scene gamma = changed({{"OP10.processing.mean", "20s"}});
  CHECK(station(gamma, "OP10").processing.mean() == doctest::Approx(20.0));
  CHECK(station(gamma, "OP10").processing.describe() ==
        Distribution::gamma_with_mean(4, 20).describe());
  CHECK(station(gamma, "OP10").processing_by_product.at(1)->describe() ==
        Distribution::lognormal(48, 12).describe());

  // lognormal: the standard deviation scales with the mean (the coefficient of variation stays).
  const Scene lognormal = changed({{"OP10.processing_by_product.suv.mean", "24s"}});
  CHECK(station(lognormal, "OP10").processing_by_product.at(1)->describe() ==
        Distribution::lognormal(24, 6).describe());
  CHECK(station(lognormal, "OP10").processing.describe() ==
        Distribution::gamma_with_mean(4, 40).describe());

  // A bare duration is a constant; an empirical distribution's samples all scale; a normal's
  // mean after truncation at zero scales with its parameters.
  const Scene others = changed({{"OP20.processing.mean", "15s"},
                                {"OP20.breakdowns.time_to_failure.mean", "2h"},
                                {"OP20.breakdowns.time_to_repair.mean", "10min"},
                                {"line.in.interarrival.mean", "1min"}});
  CHECK(station(others, "OP20").processing.describe() == Distribution::constant(15).describe());
  CHECK(station(others, "OP20").breakdowns->time_to_failure.mean() == doctest::Approx(7200.0));
  CHECK(station(others, "OP20").breakdowns->time_to_failure.describe() == "empirical(3 samples)");
  const Distribution& repair = station(others, "OP20").breakdowns->time_to_repair;
  CHECK(repair.mean() == doctest::Approx(600.0));
  const Distribution base_repair =
      station(load_scene_text(kScene, kBase), "OP20").breakdowns->time_to_repair;
  CHECK(repair.describe() ==
        Distribution::normal(600.0 * 300.0 / base_repair.mean(), 60.0 * 600.0 / base_repair.mean())
            .describe());
  CHECK(others.source_spec(others.element(*others.find("line.in"))).interarrival.mean() ==
        doctest::Approx(60.0));

  // Erlang keeps its phases, weibull its shape, a uniform and a triangular all of their bounds.
  std::string shapes = kScene;
  shapes.replace(shapes.find("processing: 30s"), 15,
                 "processing: {distribution: triangular, min: 10s, mode: 20s, max: 60s}");
  shapes.replace(shapes.find("{distribution: exponential, mean: 50s}"), 38,
                 "{distribution: erlang, k: 3, mean: 50s}");
  const Scene scaled =
      changed({{"OP20.processing.mean", "60s"}, {"line.in.interarrival.mean", "25s"}}, shapes);
  CHECK(station(scaled, "OP20").processing.describe() ==
        Distribution::triangular(20, 40, 120).describe());
  CHECK(scaled.source_spec(scaled.element(*scaled.find("line.in"))).interarrival.describe() ==
        Distribution::erlang(3, 25).describe());
}

TEST_CASE("insert_buffer puts a new buffer between an element and its one target") {
  const Scene base = load_scene_text(kScene, kBase);
  const Scene scene =
      changed({{"insert_buffer", "{after: OP20, id: B2, capacity: 4}"}, {"B2.capacity", "6"}});
  REQUIRE(scene.elements().size() == base.elements().size() + 1);
  const Element& b2 = scene.element(*scene.find("B2"));
  CHECK(b2.type == ElementType::kBuffer);
  CHECK(scene.buffer_spec(b2).capacity == 6);  // a later override may change the new buffer
  CHECK(scene.element(*scene.find("OP20")).route.targets ==
        std::vector<ElementIndex>{*scene.find("B2")});
  CHECK(b2.route.targets == std::vector<ElementIndex>{*scene.find("line.out")});
  CHECK(scene.element(*scene.find("line.out")).inputs ==
        std::vector<ElementIndex>{*scene.find("B2")});
  // Halfway between OP20 (8, 4) and line.out (12, 8), and placed after OP20 in the list.
  CHECK(b2.pose.x_m == 10.0);
  CHECK(b2.pose.y_m == 6.0);
  CHECK(*scene.find("B2") == *scene.find("OP20") + 1);

  const Scene posed =
      changed({{"insert_buffer", "{after: OP20, id: B2, capacity: 0, pose: {x: 7, y: 9}}"}});
  CHECK(posed.element(*posed.find("B2")).pose.y_m == 9.0);
  CHECK(posed.buffer_spec(posed.element(*posed.find("B2"))).capacity == 0);

  // The changed line runs: a day's replication (the shift starts at 06:00) moves parts through
  // the new buffer.
  RunSettings day;
  day.duration_s = 86400.0;
  const ReplicationResult result = LineRun(scene, scene.seed(), 0, day).run_to_end();
  CHECK(!result.deadlock);
  CHECK(result.throughput_per_hour > 0.0);
}

TEST_CASE("the new buffer takes the place of the element before it in a merge priority") {
  const std::string priority = R"(linetwin_scene: 1
elements:
  - {id: a, type: source, supply: unlimited, to: P}
  - {id: b, type: source, supply: unlimited, to: Q}
  - {id: P, type: station, processing: 10s, to: M}
  - {id: Q, type: station, processing: 10s, to: M}
  - {id: M, type: station, processing: 4s, to: out, merge: {priority: [Q, P]}}
  - {id: out, type: sink}
)";
  const Scene merged = changed({{"insert_buffer", "{after: Q, id: BQ, capacity: 1}"}}, priority);
  CHECK(station(merged, "M").merge_priority ==
        std::vector<ElementIndex>{*merged.find("BQ"), *merged.find("P")});
}

TEST_CASE("a change through an anchor's node leaves the other places that share it alone") {
  const std::string shared = R"(linetwin_scene: 1
elements:
  - {id: in, type: source, supply: unlimited, to: OP10}
  - {id: OP10, type: station, processing: &std {distribution: gamma, shape: 4, mean: 40s}, to: OP20}
  - {id: OP20, type: station, processing: *std, to: OP30}
  - {id: OP30, type: station, processing: *std, to: out}
  - {id: out, type: sink}
)";
  const std::vector<SceneOverride> change =
      overrides({{"OP30.processing.mean", "20s"}, {"OP20.processing.shape", "2"}});
  const Scene scene = load_scene_with_overrides(shared, kBase, change);
  CHECK(station(scene, "OP10").processing.describe() ==
        Distribution::gamma_with_mean(4, 40).describe());
  CHECK(station(scene, "OP20").processing.describe() ==
        Distribution::gamma_with_mean(2, 40).describe());
  CHECK(station(scene, "OP30").processing.describe() ==
        Distribution::gamma_with_mean(4, 20).describe());

  // OP10 and ... nothing else shares `std` now; with one change only, OP10 and OP20 still share
  // it, and the changed text still says so with an anchor and an alias.
  const std::string text =
      apply_overrides(shared, kBase, overrides({{"OP30.processing.mean", "20s"}}));
  CHECK(text.find('&') != std::string::npos);
  CHECK(text.find('*') != std::string::npos);

  // The bundled final assembly shares its shifts between two calendars: replacing one calendar's
  // shifts leaves the other's.
  const std::string path = std::string(LINETWIN_SOURCE_DIR) + "/scenes/final_assembly.yaml";
  const Scene assembly = load_scene_file(path);
  const std::string yaml = R"({name: early, weekdays: [mon], start: "06:00", end: "14:00"})";
  const Scene one_shift = load_scene_with_overrides(
      file_text(path), path,
      overrides({{"calendars.wax_shifts.shifts", "[" + yaml + "]"}, {"PBS.capacity", "40"}}));
  CHECK(one_shift.calendars().at(0).spec.shifts.size() ==
        assembly.calendars().at(0).spec.shifts.size());
  CHECK(one_shift.calendars().at(1).spec.shifts.size() == 1);
  CHECK(one_shift.source_file() == path);  // and its order file, relative to it, was found
  CHECK(one_shift.source_spec(one_shift.element(*one_shift.find("orders"))).orders.size() ==
        assembly.source_spec(assembly.element(*assembly.find("orders"))).orders.size());

  const std::string unchanged_shifts =
      apply_overrides(file_text(path), path, overrides({{"PBS.capacity", "40"}}));
  CHECK(unchanged_shifts.find("&") != std::string::npos);
  CHECK(unchanged_shifts.find("*") != std::string::npos);
}

TEST_CASE("a path that names nothing, or a change that cannot be made, is refused at its place") {
  CHECK(
      test::says(error_at({{"B9.capacity", "4"}}, 0), "no element has the id 'B9', nor any fleet"));
  CHECK(test::says(error_at({{"B1.capacity", "4"}, {"operators.welders.count", "2"}}, 1),
                   "no operator pool is named by 'welders'; expected one of: fitters"));
  CHECK(test::says(error_at({{"wip_limits.kanban.cards", "2"}}, 0),
                   "expected one of: limit 1, loop"));
  CHECK(test::says(error_at({{"calendars.night.start_weekday", "mon"}}, 0),
                   "no calendar is named by 'night'; expected one of: day, weekend"));
  CHECK(test::says(error_at({{"OP10", "{servers: 2}"}}, 0), "expected a field of the element"));
  CHECK(test::says(error_at({{"OP10.id", "OP11"}}, 0), "an element's id cannot be changed"));
  CHECK(test::says(error_at({{"B1..capacity", "4"}}, 0), "expected a path such as"));
  CHECK(test::says(error_at({{"run.replications", "50"}}, 0), "common random numbers"));
  CHECK(test::says(error_at({{"seed", "5"}}, 0), "common random numbers"));
  CHECK(test::says(error_at({{"run.seed", "5"}}, 0), "run.duration and run.warmup"));

  // `.mean` needs a distribution there, and a duration above zero.
  CHECK(test::says(
      error_at({{"B1.capacity", "4"}, {"OP10.breakdowns.time_to_repair.mean", "1min"}}, 1),
      "there is no distribution at 'OP10.breakdowns.time_to_repair' to scale"));
  CHECK(test::says(error_at({{"OP10.processing.mean", "fast"}}, 0), "expected a duration"));
  CHECK(test::says(error_at({{"OP10.processing.mean", "0s"}}, 0), "expected a duration > 0"));
  CHECK(test::says(error_at({{"OP20.processing.shape", "2"}}, 0),
                   "'processing' is '30s', which has no 'shape'"));

  // A path deeper than any field: each key was a level of the emitted YAML, whose indentation
  // made a path of 5,000 keys take seconds and one of 50,000 overflow the stack.
  std::string deep = "OP10.processing";
  for (std::size_t k = 1; k < kMaxOverrideKeys; ++k)
    deep += ".a";
  CHECK(test::says(error_at({{deep, "1"}}, 0), "in the changed scene"));  // reaches the loader
  deep += ".a";
  CHECK(test::says(error_at({{deep, "1"}}, 0),
                   "expected a path of at most " + std::to_string(kMaxOverrideKeys) + " keys"));
  for (int k = 0; k < 50'000; ++k)
    deep += ".a";
  CHECK(test::says(error_at({{deep, "1"}}, 0), "found 50017"));

  // Too many overrides at once: 8,000 new keys of one element took minutes.
  std::vector<std::pair<std::string, std::string>> many;
  for (std::size_t k = 0; k <= kMaxOverrides; ++k)
    many.emplace_back("OP10.k" + std::to_string(k), "1");
  CHECK(test::says(error_at(many, kMaxOverrides),
                   "expected at most " + std::to_string(kMaxOverrides) + " changes to one scene"));

  // insert_buffer
  CHECK(test::says(error_at({{"insert_buffer", "{after: OP20, id: B1, capacity: 4}"}}, 0),
                   "'B1' is already the id of an element"));
  CHECK(test::says(error_at({{"insert_buffer", "{after: OP10, id: B9, capacity: 4}"}}, 0),
                   "'OP10' hands its parts to the buffer 'B1', and a buffer feeds stations and "
                   "sinks only"));
  CHECK(test::says(error_at({{"insert_buffer", "{after: B1, id: B9, capacity: 4}"}}, 0),
                   "'B1' is a buffer, and a buffer cannot feed another"));
  CHECK(test::says(error_at({{"insert_buffer", "{after: line.out, id: B9, capacity: 4}"}}, 0),
                   "to no element (a sink)"));
  CHECK(test::says(error_at({{"insert_buffer", "{after: OPX, id: B9, capacity: 4}"}}, 0),
                   "no element has the id 'OPX'"));
  CHECK(test::says(error_at({{"insert_buffer", "{after: OP20, id: B9}"}}, 0),
                   "missing required key 'capacity'"));
  CHECK(test::says(error_at({{"insert_buffer", "{after: OP20, id: B9, capacity: 1, size: 2}"}}, 0),
                   "unknown key 'size'"));
  CHECK(test::says(error_at({{"insert_buffer", "{after: OP20, id: 'B 9', capacity: 1}"}}, 0),
                   "expected a new element id"));
  // A list as `after` was once "no element has the id ''", and a repeated key lost its second
  // value without a word.
  CHECK(test::says(error_at({{"insert_buffer", "{after: [OP20], id: B9, capacity: 1}"}}, 0),
                   "expected 'after' to be the id of the element the buffer goes after, found a "
                   "list"));
  CHECK(test::says(
      error_at({{"insert_buffer", "{after: OP20, id: B9, capacity: 1, capacity: 5}"}}, 0),
      "the key 'capacity' appears twice here"));
  CHECK(test::says(error_at({{"insert_buffer", "{after: OP20, id: B9, capacity: 1, [x]: 5}"}}, 0),
                   "found a key that is a list"));
  std::string routed = kScene;
  routed.replace(routed.find("to: line.out"), 12, "to: {round_robin: [line.out]}");
  CHECK(test::says(error_at({{"insert_buffer", "{after: OP20, id: B9, capacity: 1}"}}, 0, routed),
                   "several targets or by a routing rule"));
}

TEST_CASE("what the loader finds wrong in the changed scene is reported at the override's place") {
  // The loader's own message, at the override whose field it concerns.
  CHECK(test::says(error_at({{"OP10.servers", "2"}, {"B1.capacity", "-1"}}, 1),
                   "expected a capacity: a whole number >= 0, or 'unlimited', found '-1'"));
  CHECK(test::says(error_at({{"B1.capcity", "4"}}, 0), "unknown key 'capcity'"));
  CHECK(test::says(error_at({{"OP10.servers", "1.5"}, {"B1.capacity", "3"}}, 0),
                   "expected a whole number from 1 to 65535, found '1.5'"));
  CHECK(test::says(error_at({{"run.duration", "forever"}}, 0), "expected a duration"));
  // A rule over several fields: the mix no longer adds up to 1, at the mix.
  const InputError mix = error_at({{"B1.capacity", "3"}, {"line.in.mix.sedan", "0.7"}}, 1);
  CHECK(test::says(mix,
                   "in the changed scene, field 'elements[line.in].mix': expected shares "
                   "that add up to 1"));
  // A problem of the line as a whole goes to the first override; no line of the changed text.
  const InputError whole = error_at({{"OP20.to", "OP10"}, {"B1.capacity", "3"}}, 0);
  CHECK(whole.message().find("line ") == std::string::npos);
}

namespace {

// A fleet `AGV` carrying parts from OP10 at node A to the buffer `AGV.dock` at node B, 20 m
// away: an element whose id starts with the fleet's.
const std::string kFleetScene = R"(linetwin_scene: 1
name: fleet overrides
seed: 5
run: {duration: 1h, replications: 2}
paths:
  nodes:
    - {id: A, x_m: 0, y_m: 0}
    - {id: B, x_m: 20, y_m: 0}
  edges:
    - {from: A, to: B, width_m: 2, speed_limit_m_per_s: 2}
fleets:
  - id: AGV
    home: A
    vehicles: 2
    vehicle:
      max_speed_m_per_s: 1.5
      acceleration_m_per_s2: 0.5
      deceleration_m_per_s2: 0.5
      width_m: 1
      load_time: {distribution: uniform, min: 4s, max: 6s}
      unload_time: 5s
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - id: OP10
    type: station
    processing: 20s
    to: {via: AGV, to: AGV.dock}
    transfer_node: A
  - {id: AGV.dock, type: buffer, capacity: 2, to: OP20, transfer_node: B, pose: {x: 20, y: 1}}
  - {id: OP20, type: station, processing: 20s, to: out, pose: {x: 22, y: 1}}
  - {id: out, type: sink, pose: {x: 24, y: 1}}
)";

// The time from A to B on the 20 m edge: accelerating at a to v (v/a s, v^2/2a m), braking the
// same, and the rest at v; the edge's limit of 2 m/s is above v.
double a_to_b_s(double v, double a) {
  return 2.0 * v / a + (20.0 - v * v / a) / v;
}

double travel_a_to_b_s(const Scene& scene) {
  const FleetSpec& fleet = scene.fleets().at(0);
  REQUIRE(fleet.stops.size() == 2);
  REQUIRE(scene.paths()->nodes()[fleet.stops[1]].id == "B");
  return fleet.travel(0, 1);
}

}  // namespace

TEST_CASE("a fleet's size, dispatching and vehicle are paths, and the travel times follow") {
  const Scene base = load_scene_text(kFleetScene, kBase);
  CHECK(travel_a_to_b_s(base) == doctest::Approx(a_to_b_s(1.5, 0.5)).epsilon(1e-12));

  const Scene bigger = changed({{"AGV.vehicles", "7"}, {"AGV.dispatch", "fifo"}}, kFleetScene);
  CHECK(bigger.fleets().at(0).vehicles == 7);
  CHECK(bigger.fleets().at(0).dispatch == DispatchRule::kFifo);
  CHECK(base.fleets().at(0).dispatch == DispatchRule::kNearestIdle);

  const Scene slower = changed(
      {{"AGV.vehicle.max_speed_m_per_s", "1"}, {"AGV.vehicle.load_time.mean", "10s"}}, kFleetScene);
  CHECK(slower.fleets().at(0).vehicle.motion.max_speed_m_per_s == 1.0);
  CHECK(travel_a_to_b_s(slower) == doctest::Approx(a_to_b_s(1.0, 0.5)).epsilon(1e-12));
  // The uniform's bounds scale by 10 / 5, so it keeps its proportions.
  CHECK(slower.fleets().at(0).vehicle.load_time.describe() ==
        Distribution::uniform(8, 12).describe());
  CHECK(slower.fleets().at(0).vehicles == 2);

  // The longest id that the path starts with: the element AGV.dock, not the fleet's key 'dock'.
  const Scene dock = changed({{"AGV.dock.capacity", "6"}}, kFleetScene);
  CHECK(capacity(dock, "AGV.dock") == 6);
  CHECK(dock.fleets().at(0).vehicles == 2);
}

TEST_CASE("a fleet path that names no fleet or field is refused at the override's place") {
  CHECK(
      test::says(error_at({{"AGV9.vehicles", "3"}}, 0, kFleetScene),
                 "no element has the id 'AGV9', nor any fleet; expected a path that starts with an "
                 "element id (supply, OP10, AGV.dock, OP20, out), a fleet id (AGV)"));
  CHECK(test::says(error_at({{"AGV.vehicle.max_sped_m_per_s", "1"}}, 0, kFleetScene),
                   "unknown key 'max_sped_m_per_s'"));
  CHECK(test::says(error_at({{"AGV.vehicles", "0"}}, 0, kFleetScene),
                   "expected a whole number from 1 to 100000, found 0"));
  CHECK(test::says(error_at({{"AGV.dispatch", "random"}}, 0, kFleetScene),
                   "expected 'nearest_idle' or 'fifo', found 'random'"));
  CHECK(
      test::says(error_at({{"AGV.id", "TUG"}}, 0, kFleetScene), "a fleet's id cannot be changed"));
  CHECK(test::says(error_at({{"AGV", "{vehicles: 3}"}}, 0, kFleetScene),
                   "expected a field of the fleet 'AGV' after its name"));
  CHECK(test::says(
      error_at({{"AGV.vehicle.load_time.shape", "2"}, {"AGV.vehicles", "3"}}, 0, kFleetScene),
      "unknown key 'shape'"));

  // An id of an element and of a fleet: the loader refuses the scene at the fleet, and a path
  // with that id is refused as naming both.
  std::string both = kFleetScene;
  both.replace(both.find("- id: AGV\n"), 10, "- id: OP20\n");
  const InputError loader = test::input_error([&] { load_scene_text(both, kBase); });
  CHECK(loader.where().field_path == "fleets[0].id");
  CHECK(loader.where().line == 12);
  CHECK(test::says(loader,
                   "expected an id that no element has, found 'OP20', the id of the element on "
                   "line 30"));
  const InputError path = test::input_error([&] {
    apply_overrides(both, kBase, overrides({{"OP20.servers", "2"}}));
  });
  CHECK(path.where().file == kScenario);
  CHECK(test::says(path, "'OP20' is the id of an element and of a fleet"));
}
