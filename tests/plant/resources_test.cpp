// The plant's resources on small lines whose behaviour is known exactly: conveyors, shift
// calendars, operators, batch stations, WIP limits and the OEE of a station. Every time in these
// scenes is deterministic, so each expected number below is worked out by hand from the scene and
// the semantics in plant/line_run.hpp, plant/conveyor_belt.hpp and plant/replication_result.hpp;
// the comment next to a check says how.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_files.hpp"

using namespace linetwin;
using linetwin::test::TempDir;

namespace {

Scene scene_of(const std::string& yaml) {
  return load_scene_text("linetwin_scene: 1\n" + yaml, "resources.yaml");
}

ReplicationResult simulate(const std::string& yaml, std::uint32_t replication = 0) {
  const Scene scene = scene_of(yaml);
  LineRun run(scene, scene.seed(), replication);
  return run.run_to_end();
}

// Writes an order file `name` into `dir` that releases the given products in sequence, one every
// `every_s` from 0 (all at 0 by default); returns its absolute path (scene files resolve a
// relative one against the scene's folder, which a scene given as text does not have).
std::string write_orders(const TempDir& dir, const std::string& name,
                         const std::vector<std::string>& products, double every_s = 0.0) {
  std::ostringstream text;
  text << "order_id,variant,release_time\n";
  for (std::size_t i = 0; i < products.size(); ++i)
    text << "o" << i << "," << products[i] << "," << every_s * static_cast<double>(i) << "\n";
  return dir.write(name + ".csv", text.str());
}

// Runs replication 0 of `scene` to its end a second at a time; its results, and the most parts
// that were in the line at any of those seconds.
struct SteppedRun {
  ReplicationResult results;
  std::uint64_t most_in_line = 0;
};
SteppedRun run_second_by_second(const Scene& scene) {
  LineRun run(scene, scene.seed(), 0);
  std::uint64_t most_in_line = 0;
  for (double t = 1.0; t <= run.end_time(); t += 1.0) {
    run.advance_to(t);
    most_in_line = std::max(most_in_line, run.results().ledger.in_line);
  }
  return {run.results(), most_in_line};
}

std::vector<std::string> alternating(std::size_t count) {
  std::vector<std::string> products;
  for (std::size_t i = 0; i < count; ++i)
    products.push_back(i % 2 == 0 ? "a" : "b");
  return products;
}

}  // namespace

// ---- conveyors ----

TEST_CASE("resources: a lone part crosses a conveyor in length / speed") {
  // Arrivals every 100 s, far apart; a 10 m belt at 0.5 m/s takes 20 s. Parts loaded at 100, 200,
  // ..., 900 s leave at 120, ..., 920 s; the one loaded at 1000 s is still on the belt.
  const auto r = simulate(R"(
run: {duration: 1000s}
elements:
  - {id: in, type: source, interarrival: 100s, to: C}
  - {id: C, type: conveyor, length_m: 10, speed_m_per_s: 0.5, spacing_m: 1, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 9);
  CHECK(r.lead_time_mean_s == doctest::Approx(20.0));
  CHECK(r.lead_time_p95_s == doctest::Approx(20.0));
  CHECK(r.conveyors[0].parts_transported == 9);
  // One part on the belt for 20 s in every 100 s, for nine parts: 180 part-seconds.
  CHECK(r.conveyors[0].occupancy_mean == doctest::Approx(180.0 / 1000.0));
  CHECK(r.conveyors[0].stopped == 0.0);
}

TEST_CASE("resources: a saturated conveyor delivers one part per spacing / speed") {
  // 10 m at 0.5 m/s with a 1 m pitch: a part may be loaded every 2 s, and ten parts (the
  // capacity, floor(10 / 1)) fit on the belt during the 20 s transit, so the pitch limits.
  // Loads at 0, 2, 4, ...; exits at 20, 22, ...: in (100 s, 1100 s] the exits at 102, ..., 1100 s.
  const auto r = simulate(R"(
run: {duration: 1000s, warmup: 100s}
elements:
  - {id: in, type: source, supply: unlimited, to: C}
  - {id: C, type: conveyor, length_m: 10, speed_m_per_s: 0.5, spacing_m: 1, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 500);
  CHECK(r.throughput_per_hour == doctest::Approx(3600.0 * 0.5 / 1.0));
  CHECK(r.lead_time_mean_s == doctest::Approx(20.0));  // a part enters when the belt takes it
  CHECK(r.conveyors[0].occupancy_mean == doctest::Approx(10.0));
  CHECK(r.wip_mean == doctest::Approx(10.0));  // Little: (1 / 2 s) x 20 s

  // 12 m at 0.5 m/s with a 5 m pitch: the pitch would allow a part every 10 s, but only
  // floor(12 / 5) = 2 parts fit on the belt and each stays 24 s, so a full belt admits the next
  // part only when its head leaves: loads at 0, 10, 24, 34, 48, 58, ..., two parts every 24 s
  // (capacity x speed / length), exits at 24, 34, 48, 58, ... In (120 s, 2520 s]: 200 exits.
  const auto full = simulate(R"(
run: {duration: 2400s, warmup: 120s}
elements:
  - {id: in, type: source, supply: unlimited, to: C}
  - {id: C, type: conveyor, length_m: 12, speed_m_per_s: 0.5, spacing_m: 5, to: out}
  - {id: out, type: sink}
)");
  CHECK(full.parts_completed == 200);
  CHECK(full.throughput_per_hour == doctest::Approx(3600.0 * 2.0 / 24.0));
  CHECK(full.lead_time_mean_s == doctest::Approx(24.0));
  CHECK(full.conveyors[0].occupancy_mean == doctest::Approx(2.0));
}

TEST_CASE("resources: a blocked exit stops a non-accumulating belt; an accumulating one fills") {
  // Arrivals every 7 s (the source waits when the belt refuses); a 10 m belt at 0.5 m/s, 1 m
  // pitch (20 s transit, 2 s between loads, capacity 10); the station after it is taken off shift
  // for maintenance from 150 s to past the end of the run. Part k is loaded at 7k and reaches
  // the exit at 7k + 20: parts 1..18 pass (the 18th at 146 s, processed by 147 s); part 19
  // reaches the exit at 153 s and cannot leave.
  const std::string scene = R"(
run: {duration: 1000s}
calendars:
  stop: {maintenance: [{name: overhaul, start: 150s, end: 2000s}]}
elements:
  - {id: in, type: source, interarrival: 7s, to: C}
  - {id: C, type: conveyor, length_m: 10, speed_m_per_s: 0.5, spacing_m: 1, accumulating: ACC, to: M}
  - {id: M, type: station, processing: 1s, calendar: stop, to: out}
  - {id: out, type: sink}
)";
  auto with = [&](const char* accumulating) {
    std::string yaml = scene;
    yaml.replace(yaml.find("ACC"), 3, accumulating);
    return simulate(yaml);
  };

  // Accumulating: the belt runs on under the waiting head and takes parts until it holds ten,
  // parts 19..28 (loaded 133 .. 196 s); part 29 arrives at 203 s to a full belt and waits there.
  const auto acc = with("true");
  CHECK(acc.parts_completed == 18);
  CHECK(acc.conveyors[0].parts_transported == 18);
  CHECK(acc.conveyors[0].stopped == 0.0);
  CHECK(acc.ledger.in_line == 10);
  CHECK(acc.sources[0].arrivals == 29);
  CHECK(acc.sources[0].blocked == doctest::Approx((1000.0 - 203.0) / 1000.0));
  // Parts 1..18 ride 20 s each; parts 19..28 from 7k s to the end.
  double on_belt = 18 * 20.0;
  for (int k = 19; k <= 28; ++k)
    on_belt += 1000.0 - 7.0 * k;
  CHECK(acc.conveyors[0].occupancy_mean == doctest::Approx(on_belt / 1000.0));

  // Non-accumulating: the whole belt stops at 153 s with parts 19, 20, 21 on it (loaded 133, 140,
  // 147 s). The last of them is 3 m in, more than a pitch, so part 22 is still loaded at 154 s,
  // onto the standing belt; part 23 (161 s) finds the last part less than a pitch in and waits.
  const auto non = with("false");
  CHECK(non.parts_completed == 18);
  CHECK(non.conveyors[0].stopped == doctest::Approx((1000.0 - 153.0) / 1000.0));
  CHECK(non.ledger.in_line == 4);
  CHECK(non.sources[0].arrivals == 23);
  CHECK(non.sources[0].blocked == doctest::Approx((1000.0 - 161.0) / 1000.0));
  on_belt = 18 * 20.0;
  for (int k = 19; k <= 22; ++k)
    on_belt += 1000.0 - 7.0 * k;
  CHECK(non.conveyors[0].occupancy_mean == doctest::Approx(on_belt / 1000.0));
}

TEST_CASE("resources: a non-accumulating belt feeding a slower station moves one pitch a cycle") {
  // Unlimited supply onto a 10 m belt at 0.5 m/s, 1 m pitch (capacity 10, a load every 2 s of
  // belt motion), feeding a 10 s station. In steady state the station takes the head every 10 s;
  // the belt then moves 2 s until the next part reaches the exit and stands 8 s. So the belt is
  // stopped 8/10 of the time, carries ten parts, and a part spends ten cycles on the belt and one
  // in the station: 110 s. The accumulating belt gives the same flow (its queue at the exit is
  // the same ten parts) without ever stopping.
  const std::string scene = R"(
run: {duration: 1000s, warmup: 200s}
elements:
  - {id: in, type: source, supply: unlimited, to: C}
  - {id: C, type: conveyor, length_m: 10, speed_m_per_s: 0.5, spacing_m: 1, accumulating: ACC, to: M}
  - {id: M, type: station, processing: 10s, to: out}
  - {id: out, type: sink}
)";
  for (const char* accumulating : {"false", "true"}) {
    CAPTURE(accumulating);
    std::string yaml = scene;
    yaml.replace(yaml.find("ACC"), 3, accumulating);
    const auto r = simulate(yaml);
    CHECK(r.parts_completed == 100);
    CHECK(r.stations[0].working == doctest::Approx(1.0));
    CHECK(r.conveyors[0].occupancy_mean == doctest::Approx(10.0).epsilon(1e-9));
    CHECK(r.lead_time_mean_s == doctest::Approx(110.0));
    CHECK(r.wip_mean == doctest::Approx(11.0));
    CHECK(r.conveyors[0].stopped ==
          doctest::Approx(std::string(accumulating) == "false" ? 0.8 : 0.0));
  }
}

// ---- shift calendars ----

TEST_CASE("resources: off shift is the calendar's off-shift share, and output scales with it") {
  // Monday to Friday: early shift 06:00-14:00 with a 30 min break at 09:00, late shift
  // 14:00-22:00; maintenance on Wednesday 10:00-12:00 (58 h to 60 h after Monday 00:00).
  // Planned time in the week: 5 x (7.5 h + 8 h) - 2 h = 75.5 h of 168 h.
  const std::string calendar = R"(
calendars:
  two_shift:
    start_weekday: mon
    shifts:
      - {name: early, weekdays: [mon, tue, wed, thu, fri], start: "06:00", end: "14:00", breaks: [{start: "09:00", duration: 30min}]}
      - {name: late, weekdays: [mon, tue, wed, thu, fri], start: "14:00", end: "22:00"}
    maintenance: [{name: pm, start: 58h, end: 60h}]
)";
  const std::string line = R"(
run: {duration: 168h}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - {id: M, type: station, processing: 130s, to: out}
  - {id: out, type: sink}
)";
  const double week_s = 168 * 3600.0;
  const double planned_s = 75.5 * 3600.0;
  const auto shifts = simulate(calendar + "calendar: two_shift\n" + line);
  const auto always = simulate(line);
  const auto& m = shifts.stations[0];
  CHECK(m.off_shift == doctest::Approx(1.0 - planned_s / week_s));
  // Saturated, the station works whenever it is on shift; with preempt-resume the parts cut by a
  // break or the end of a shift lose no work, so the week yields floor(planned / 130 s) parts
  // (no shift ends exactly on a part's completion in this week).
  CHECK(m.working == doctest::Approx(planned_s / week_s));
  CHECK(m.starved == doctest::Approx(0.0));
  CHECK(m.parts_processed == static_cast<std::uint64_t>(std::floor(planned_s / 130.0)));
  CHECK(shifts.parts_completed == 2090);
  CHECK(always.parts_completed == static_cast<std::uint64_t>(std::floor(week_s / 130.0)));
  CHECK(shifts.throughput_per_hour ==
        doctest::Approx(always.throughput_per_hour * planned_s / week_s).epsilon(0.001));
  CHECK(m.oee.availability == doctest::Approx(1.0));
}

TEST_CASE("resources: a part in process at a break finishes after it") {
  // A single part arrives on Monday at 08:55 (32100 s) at a 10 min station; the shift runs
  // 06:00-14:00 with a break at 09:00 for 30 min. It gets 5 min done, waits out the break and
  // finishes at 09:35: lead time 10 min + 30 min.
  const auto r = simulate(R"(
run: {duration: 40000s}
calendars:
  day:
    shifts: [{weekdays: [mon], start: "06:00", end: "14:00", breaks: [{start: "09:00", duration: 30min}]}]
calendar: day
elements:
  - {id: in, type: source, interarrival: 32100s, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: 10min, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 1);
  CHECK(r.lead_time_mean_s == doctest::Approx(600.0 + 1800.0));
  // Off shift 00:00-06:00, 09:00-09:30 and after 14:00 (none of it before 40000 s = 11:06:40).
  CHECK(r.stations[0].off_shift == doctest::Approx((6 * 3600.0 + 1800.0) / 40000.0));
  CHECK(r.stations[0].working == doctest::Approx(600.0 / 40000.0));

  // A part arriving before the shift waits for it: at 05:00, done at 06:10.
  const auto early = simulate(R"(
run: {duration: 30000s}
calendars:
  day: {shifts: [{weekdays: [mon], start: "06:00", end: "14:00"}]}
calendar: day
elements:
  - {id: in, type: source, interarrival: 5h, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: 10min, to: out}
  - {id: out, type: sink}
)");
  CHECK(early.parts_completed == 1);
  CHECK(early.lead_time_mean_s == doctest::Approx(3600.0 + 600.0));
}

// ---- operators ----

TEST_CASE("resources: one operator shared by two stations walks between them every part") {
  // A and B need the one fitter for processing (30 s each); B stands 10 m from A (6 m, 8 m) and
  // the fitter walks 0.5 m/s: 20 s. The fitter starts at A: A works [0, 30]; the part goes to B,
  // which calls the fitter (walk [30, 50], work [50, 80]); meanwhile A has taken its next part and
  // waits for the fitter, who walks back [80, 100]. A cycle of 100 s per part: two walks and two
  // processings, 36 parts/h, the fitter never idle.
  const auto r = simulate(R"(
run: {duration: 10000s, warmup: 1000s}
operators: [{pool: fitters, count: 1, skills: [fit], walking_speed_m_per_s: 0.5, home: A}]
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 30s, operators: {processing: fit}, pose: {x: 0, y: 0}, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: B}
  - {id: B, type: station, processing: 30s, operators: {processing: fit}, pose: {x: 6, y: 8}, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 100);
  CHECK(r.throughput_per_hour == doctest::Approx(36.0));
  // A holds its next part from the hand-over at 30 s until the fitter is back at 100 s.
  CHECK(r.stations[0].working == doctest::Approx(0.3));
  CHECK(r.stations[0].waiting_operator == doctest::Approx(0.7));
  // B waits for the walk to it (20 s), works 30 s, and is starved the other 50 s.
  CHECK(r.stations[1].working == doctest::Approx(0.3));
  CHECK(r.stations[1].waiting_operator == doctest::Approx(0.2));
  CHECK(r.stations[1].starved == doctest::Approx(0.5));
  CHECK(r.operators[0].utilisation == doctest::Approx(1.0));
  CHECK(r.operators[0].walking == doctest::Approx(0.4));
  CHECK(r.operators[0].working == doctest::Approx(0.6));
  CHECK(r.operators[0].assignments == 200);
  // A part is taken at A when the previous one leaves (30 s into the cycle), waits 70 s for the
  // fitter, is processed, waits 20 s at B and is processed: 150 s, so WIP 1.5.
  CHECK(r.lead_time_mean_s == doctest::Approx(150.0));
  CHECK(r.wip_mean == doctest::Approx(1.5));
}

TEST_CASE("resources: pool utilisation is the share of operator time walking and working") {
  // Arrivals every 100 s at a 30 s station that needs one of two fitters, whose home is 15 m
  // away (speed 1 m/s). The first part waits for the 15 s walk; a fitter stays where they last
  // worked, so every later part finds one at the station. In (1000 s, 11000 s]: 100 parts, each
  // 30 s of one of the two fitters: utilisation 3000 / (2 x 10000). (H is only a place on the
  // floor for the fitters' home: its first arrival would come after 1000 h.)
  auto line = [](const std::string& run, int fitters) {
    return "run: " + run + "\noperators: [{pool: fitters, count: " + std::to_string(fitters) +
           R"(, skills: [fit], walking_speed_m_per_s: 1.0, home: H}]
elements:
  - {id: in, type: source, interarrival: 100s, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: 30s, operators: {processing: fit}, to: out}
  - {id: out, type: sink}
  - {id: H, type: source, interarrival: 1000h, to: Q, pose: {x: 15, y: 0}}
)";
  };
  const auto r = simulate(line("{duration: 10000s, warmup: 1000s}", 2));
  CHECK(r.parts_completed == 100);
  CHECK(r.operators[0].utilisation == doctest::Approx(3000.0 / 20000.0));
  CHECK(r.operators[0].walking == doctest::Approx(0.0));
  CHECK(r.stations[0].waiting_operator == doctest::Approx(0.0));
  CHECK(r.lead_time_mean_s == doctest::Approx(30.0));

  // Over the whole run, with one fitter, the first walk shows: 15 s more in the first part's
  // lead time.
  const auto all = simulate(line("{duration: 1000s}", 1));
  // Arrivals at 100, ..., 900 s are done; the one at 1000 s has just arrived.
  CHECK(all.parts_completed == 9);
  CHECK(all.lead_time_mean_s == doctest::Approx((45.0 + 8 * 30.0) / 9.0));
  CHECK(all.operators[0].walking == doctest::Approx(15.0 / 1000.0));
  CHECK(all.operators[0].working == doctest::Approx(270.0 / 1000.0));
  CHECK(all.stations[0].waiting_operator == doctest::Approx(15.0 / 1000.0));
}

TEST_CASE("resources: a setup that needs an operator waits for the walk") {
  // The orders in the file `orders` go through Q to M, which takes 30 s per part and a 20 s
  // changeover between products. The pool `pool` has one operator with `skill`, whose home is
  // 10 m from M and who walks 0.5 m/s (H is only a place on the floor for that home); M calls
  // them for `needs`.
  auto line = [](const std::string& orders, const std::string& pool, const std::string& skill,
                 const std::string& needs) {
    return R"(
products: [a, b]
run: {duration: 1000s}
operators: [{pool: )" +
           pool + ", count: 1, skills: [" + skill + R"(], walking_speed_m_per_s: 0.5, home: H}]
elements:
  - {id: in, type: source, orders: )" +
           orders + R"(, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - id: M
    type: station
    processing: 30s
    setup: {products: [a, b], times: [[0s, 20s], [20s, 0s]]}
    operators: )" +
           needs + R"(
    to: out
  - {id: out, type: sink}
  - {id: H, type: buffer, capacity: 1, to: out, pose: {x: 10, y: 0}}
)";
  };
  TempDir dir;

  // Orders a, b, a, b released every 100 s; the changeover needs the setter (a 20 s walk from
  // home), processing needs nobody. The setter stays at the station after the first setup.
  //   a @0:   no setup (first part), processing [0, 30]                      lead 30
  //   b @100: setter walks [100, 120], setup [120, 140], processing [140, 170]  lead 70
  //   a @200: setup [200, 220], processing [220, 250]                        lead 50
  //   b @300: setup [300, 320], processing [320, 350]                        lead 50
  const auto r = simulate(line(write_orders(dir, "setup", alternating(4), 100.0), "setters",
                               "setup", "{setup: setup}"));
  CHECK(r.parts_completed == 4);
  CHECK(r.lead_time_mean_s == doctest::Approx((30.0 + 70.0 + 50.0 + 50.0) / 4.0));
  const auto& m = r.stations[0];
  CHECK(m.setups == 3);
  CHECK(m.setup == doctest::Approx(60.0 / 1000.0));
  CHECK(m.waiting_operator == doctest::Approx(20.0 / 1000.0));
  CHECK(m.working == doctest::Approx(120.0 / 1000.0));
  CHECK(r.operators[0].walking == doctest::Approx(20.0 / 1000.0));
  CHECK(r.operators[0].working == doctest::Approx(60.0 / 1000.0));
  CHECK(r.operators[0].assignments == 3);

  // When processing needs the same pool, the setter stays on for it: one walk (for the first
  // part's processing), then setup and processing back to back with no second call. Orders a, b,
  // a every 100 s:
  //   a @0:   walk [0, 20], processing [20, 50]                               lead 50
  //   b @100: setup [100, 120], processing [120, 150]                         lead 50
  //   a @200: setup [200, 220], processing [220, 250]                         lead 50
  const auto both = simulate(line(write_orders(dir, "setup_processing", alternating(3), 100.0),
                                  "crew", "fit", "{setup: fit, processing: fit}"));
  CHECK(both.parts_completed == 3);
  CHECK(both.lead_time_mean_s == doctest::Approx(50.0));
  CHECK(both.stations[0].waiting_operator == doctest::Approx(20.0 / 1000.0));
  CHECK(both.stations[0].setup == doctest::Approx(40.0 / 1000.0));
  CHECK(both.operators[0].assignments == 3);
  CHECK(both.operators[0].utilisation == doctest::Approx((20.0 + 40.0 + 90.0) / 1000.0));
}

TEST_CASE("resources: a repair that needs a mechanic waits for the walk") {
  // 10 s parts, a failure after every 100 s of processing, 50 s repairs by the one mechanic, who
  // starts 30 m away (1 m/s) and then stays at the machine. Failures at 100 s (the mechanic
  // arrives at 130 s, the repair ends at 180 s), then every 150 s: 280, 430, 580, 730, 880 s.
  // Down 80 + 5 x 50 = 330 s of 1000 s, the rest working: 67 parts.
  const auto r = simulate(R"(
run: {duration: 1000s}
operators: [{pool: maintenance, count: 1, skills: [repair], walking_speed_m_per_s: 1.0, home: out}]
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - id: M
    type: station
    processing: 10s
    breakdowns: {time_to_failure: 100s, time_to_repair: 50s, counted_on: operating_time}
    operators: {repair: repair}
    to: out
  - {id: out, type: sink, pose: {x: 30, y: 0}}
)");
  const auto& m = r.stations[0];
  CHECK(m.failures == 6);
  CHECK(m.down == doctest::Approx(330.0 / 1000.0));  // the walk is down time: the machine is down
  CHECK(m.working == doctest::Approx(670.0 / 1000.0));
  CHECK(r.parts_completed == 67);
  CHECK(r.operators[0].walking == doctest::Approx(30.0 / 1000.0));
  CHECK(r.operators[0].working == doctest::Approx(300.0 / 1000.0));
  CHECK(r.operators[0].utilisation == doctest::Approx(330.0 / 1000.0));
}

TEST_CASE("resources: a machine whose only operator runs and repairs it still gets repaired") {
  // One crew member both runs the machine (10 s parts) and repairs it (50 s); a failure after
  // every 95 s of processing. The operator stays with the machine through the breakdown and is
  // right there, so the repair can start at once: failures at 95 s and then every 145 s (95 s of
  // processing, 50 s of repair): 95, 240, ..., 1980 s, 14 in 2000 s, down 13 x 50 + 20 s.
  // (A scene builder that rejected this line, as one whose repairs can never be staffed, would
  // be fine too; what must not happen is a machine that silently stays down for ever.)
  const std::string yaml = R"(
run: {duration: 2000s}
operators: [{pool: crew, count: 1, skills: [fit, repair]}]
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - id: M
    type: station
    processing: 10s
    breakdowns: {time_to_failure: 95s, time_to_repair: 50s}
    operators: {processing: fit, repair: repair}
    to: out
  - {id: out, type: sink}
)";
  try {
    const auto r = simulate(yaml);
    CHECK(r.stations[0].failures == 14);
    CHECK(r.stations[0].down == doctest::Approx(670.0 / 2000.0));
  } catch (const InputError& e) {
    MESSAGE("rejected: " << e.what());
  }
}

TEST_CASE("resources: an operating-time failure clock stands still off shift") {
  // 10 s parts, a failure after 107 s of processing, 50 s repairs; maintenance over [55 s, 155 s).
  // Processing 0-55 s (55 s), off shift, 155-207 s (52 s more: the failure), down to 257 s,
  // 257-364 s (107 s: the second failure), down past the end at 400 s. Processing 214 s: 21 parts.
  const auto r = simulate(R"(
run: {duration: 400s}
calendars:
  pm: {maintenance: [{name: overhaul, start: 55s, end: 155s}]}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - id: M
    type: station
    processing: 10s
    calendar: pm
    breakdowns: {time_to_failure: 107s, time_to_repair: 50s, counted_on: operating_time}
    to: out
  - {id: out, type: sink}
)");
  const auto& m = r.stations[0];
  CHECK(m.failures == 2);
  CHECK(m.off_shift == doctest::Approx(100.0 / 400.0));
  CHECK(m.down == doctest::Approx((50.0 + 36.0) / 400.0));
  CHECK(m.working == doctest::Approx(214.0 / 400.0));
  CHECK(r.parts_completed == 21);
  // Availability leaves the maintenance out of the planned time: (300 - 86) / 300.
  CHECK(m.oee.availability == doctest::Approx(214.0 / 300.0));
}

// ---- batch stations ----

TEST_CASE("resources: a saturated oven processes full batches") {
  // Batches of up to 4, 100 s each, from a buffer kept full (10) by an unlimited supply. The
  // first batch starts with the first 2 parts (the minimum), every later one with 4: batches end
  // at 100 s, 200 s, ...; in (400 s, 1400 s] 10 of them, 40 parts, 144 parts/h.
  const auto r = simulate(R"(
run: {duration: 1000s, warmup: 400s}
elements:
  - {id: in, type: source, supply: unlimited, to: B}
  - {id: B, type: buffer, capacity: 10, to: oven}
  - {id: oven, type: station, batch: {min: 2, max: 4}, processing: 100s, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 40);
  CHECK(r.stations[0].parts_processed == 40);
  CHECK(r.ledger.in_line == 14);
  CHECK(r.throughput_per_hour == doctest::Approx(144.0));
  CHECK(r.stations[0].working == doctest::Approx(1.0));
  CHECK(r.buffers[0].occupancy_mean == doctest::Approx(10.0));
  // 10 waiting + 4 in the oven, at every moment: Little gives 14 / (4 / 100 s) = 350 s.
  CHECK(r.wip_mean == doctest::Approx(14.0));
  CHECK(r.lead_time_mean_s == doctest::Approx(350.0));
  // Ideal time of a part in a batch station: processing / batch max, so full batches run at 100%.
  CHECK(r.stations[0].oee.performance == doctest::Approx(1.0));
}

TEST_CASE("resources: an oven fed by a blocked multi-server station loses no parts") {
  // A (4 servers, 10 s) fills a buffer of 4 in front of an oven (batches of 2 to 4, 100 s). The
  // oven's first batch is the first 2 parts (10-110 s); from then on, whenever the oven takes 4
  // parts, the 4 blocked servers of A hand theirs over and start again, to be blocked 10 s later:
  // batches of 4 ending at 110, 210, ... s, and 4 + 4 + 4 = 12 parts in the line at all times.
  const Scene scene = scene_of(R"(
run: {duration: 1000s, warmup: 400s}
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, servers: 4, processing: 10s, to: B}
  - {id: B, type: buffer, capacity: 4, to: oven}
  - {id: oven, type: station, batch: {min: 2, max: 4}, processing: 100s, to: out}
  - {id: out, type: sink}
)");
  const auto [r, most_in_line] = run_second_by_second(scene);
  CHECK(most_in_line <= 12);
  CHECK(r.ledger.in_line == 12);
  // Batches ending in (400 s, 1400 s]: 410, ..., 1310 s.
  CHECK(r.parts_completed == 40);
  CHECK(r.stations[1].parts_processed == 40);
  CHECK(r.throughput_per_hour == doctest::Approx(144.0));
  CHECK(r.stations[0].working == doctest::Approx(0.1));
  CHECK(r.stations[0].blocked == doctest::Approx(0.9));
  CHECK(r.stations[1].working == doctest::Approx(1.0));
  CHECK(r.lead_time_mean_s == doctest::Approx(300.0));  // 10 s at A, 90 s blocked, 100 + 100 s
}

TEST_CASE("resources: a batch station with a minimum of 1 keeps taking parts handed to it") {
  // An oven (batches of 1 to 3, 30 s) that gets its parts without a buffer to gather them in:
  // each part waits upstream (on a station, or at a source that waits) until the oven takes it,
  // so every batch is the one waiting part. (A scene builder that rejected a batch station without
  // buffers in front would be fine too; a line that stops after its first batch is not.)
  auto run_or_rejected = [](const std::string& yaml) -> std::optional<ReplicationResult> {
    try {
      return simulate(yaml);
    } catch (const InputError& e) {
      MESSAGE("rejected: " << e.what());
      return std::nullopt;
    }
  };
  // Through a buffer of capacity 0 (a direct hand-over) from a 10 s station: the oven takes
  // A's part at 10 s, then every 30 s as it finishes the last; completions at 40, 70, ..., 1000 s.
  if (const auto r = run_or_rejected(R"(
run: {duration: 1000s}
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 10s, to: B}
  - {id: B, type: buffer, capacity: 0, to: oven}
  - {id: oven, type: station, batch: {min: 1, max: 3}, processing: 30s, to: out}
  - {id: out, type: sink}
)")) {
    CHECK(r->parts_completed == 33);
    CHECK(r->stations[1].working == doctest::Approx(990.0 / 1000.0));
  }
  // Straight from a source with arrivals every 20 s that waits while the oven is busy: the first
  // part at 20 s, then one every 30 s; completions at 50, 80, ..., 980 s.
  if (const auto r = run_or_rejected(R"(
run: {duration: 1000s}
elements:
  - {id: in, type: source, interarrival: 20s, to: oven}
  - {id: oven, type: station, batch: {min: 1, max: 3}, processing: 30s, to: out}
  - {id: out, type: sink}
)")) {
    CHECK(r->parts_completed == 32);
    CHECK(r->stations[0].working == doctest::Approx(980.0 / 1000.0));
  }
}

TEST_CASE("resources: an oven waits for its minimum batch") {
  // Arrivals every 30 s, batches of 3 to 4, 50 s each. The oven starts when the third part is in
  // (90 s) and ends at 140 s with two new parts waiting, fewer than the minimum, so it waits for
  // the third (180 s): a batch of 3 every 90 s. A batch's parts waited 60, 30 and 0 s: lead
  // times 110, 80, 50 s.
  const auto r = simulate(R"(
run: {duration: 9000s, warmup: 90s}
elements:
  - {id: in, type: source, interarrival: 30s, to: B}
  - {id: B, type: buffer, capacity: unlimited, to: oven}
  - {id: oven, type: station, batch: {min: 3, max: 4}, processing: 50s, to: out}
  - {id: out, type: sink}
)");
  const auto& oven = r.stations[0];
  CHECK(r.parts_completed == 300);
  CHECK(oven.parts_processed == 300);
  CHECK(r.throughput_per_hour == doctest::Approx(120.0));
  CHECK(r.lead_time_mean_s == doctest::Approx(80.0));
  CHECK(oven.working == doctest::Approx(5.0 / 9.0));
  CHECK(oven.starved == doctest::Approx(4.0 / 9.0));
  // Waiting: 1 part for 30 s and 2 parts for 30 s of every 90 s. (The third part is put in the
  // buffer before the oven pulls the batch, at the same instant, so the maximum reads 3.)
  CHECK(r.buffers[0].occupancy_mean == doctest::Approx(1.0));
  CHECK(r.buffers[0].occupancy_max <= 3);
  // Batches of 3 where 4 fit: each part's ideal time is 50 / 4 s, so performance is 3/4 of the
  // share of run time spent working.
  CHECK(oven.oee.performance == doctest::Approx(0.75 * 5.0 / 9.0));
}

// ---- WIP limits ----

TEST_CASE("resources: a CONWIP loop keeps exactly its cards in the line") {
  // Two cards from B1 to the end of B: A (10 s) could feed B (20 s) twice as fast, but a part
  // enters only with a card, so the line holds 2 parts, B never starves and A waits half of the
  // time. Steady state: a part enters when B finishes one (card back), spends 10 s at A, waits
  // 10 s in B2 and 20 s at B: 40 s.
  const auto r = simulate(R"(
run: {duration: 2000s, warmup: 100s}
wip_limits: [{name: conwip, from: B1, to: B, cards: 2}]
elements:
  - {id: in, type: source, supply: unlimited, to: B1}
  - {id: B1, type: buffer, capacity: unlimited, to: A}
  - {id: A, type: station, processing: 10s, to: B2}
  - {id: B2, type: buffer, capacity: unlimited, to: B}
  - {id: B, type: station, processing: 20s, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 100);
  CHECK(r.wip_mean == doctest::Approx(2.0));
  CHECK(r.wip_limits[0].cards_in_use_mean == doctest::Approx(2.0));
  CHECK(r.lead_time_mean_s == doctest::Approx(40.0));
  CHECK(r.stations[0].working == doctest::Approx(0.5));
  CHECK(r.stations[0].starved == doctest::Approx(0.5));
  CHECK(r.stations[1].working == doctest::Approx(1.0));
  CHECK(r.buffers[0].occupancy_max == 0);  // a part passes B1 at once: A is free when a card is
}

TEST_CASE("resources: the parts inside a WIP limit never exceed its cards") {
  // A random line with scrap inside the limit (a scrapped part gives its card back) and a
  // finite buffer; stepped one second at a time, the parts in the line (all of them inside the
  // limit, since a part enters the line only with a card) never exceed the 4 cards, and with an
  // unlimited supply waiting in front every card is always in use.
  const Scene scene = scene_of(R"(
seed: 17
run: {duration: 20000s}
wip_limits: [{name: conwip, from: B1, to: C, cards: 4}]
elements:
  - {id: in, type: source, supply: unlimited, to: B1}
  - {id: B1, type: buffer, capacity: unlimited, to: A}
  - {id: A, type: station, processing: {distribution: exponential, mean: 30s}, to: B2}
  - {id: B2, type: buffer, capacity: 1, to: B}
  - id: B
    type: station
    processing: {distribution: exponential, mean: 40s}
    quality: {scrap: 0.2}
    to: B3
  - {id: B3, type: buffer, capacity: unlimited, to: C}
  - {id: C, type: station, servers: 2, processing: {distribution: uniform, min: 20s, max: 80s}, to: out}
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  std::uint64_t over = 0, under = 0;
  for (double t = 1.0; t <= run.end_time(); t += 1.0) {
    run.advance_to(t);
    const ReplicationResult now = run.results();
    over += now.ledger.in_line > 4 ? 1 : 0;
    under += now.ledger.in_line < 4 ? 1 : 0;
  }
  CHECK(over == 0);
  CHECK(under == 0);
  const ReplicationResult r = run.results();
  CHECK(r.wip_mean <= 4.0 + 1e-9);
  CHECK(r.wip_limits[0].cards_in_use_mean <= 4.0 + 1e-9);
  CHECK(r.wip_limits[0].cards_in_use_mean == doctest::Approx(4.0));
  CHECK(r.wip_mean == doctest::Approx(4.0));
  CHECK(r.stations[1].parts_scrapped > 0);
  CHECK(r.ledger.created == r.ledger.completed + r.ledger.scrapped + r.ledger.in_line);
}

TEST_CASE("resources: a WIP limit that starts at a conveyor holds back the part waiting for it") {
  // Two cards from a conveyor (10 m at 1 m/s, 1 m pitch) to a 100 s station. A (1 s) puts parts
  // 1 and 2 on the belt at 1 s and 2 s; part 3 (done at 3 s) finds no card and waits on A. Part 1
  // reaches M at 11 s, part 2 waits at the exit; each time M finishes (111, 211, ... s) a card
  // comes back, the head moves into M and A's waiting part goes onto the belt. So the line holds
  // 3 parts from 3 s on (2 with cards, 1 waiting on A), and M completes one every 100 s.
  const Scene scene = scene_of(R"(
run: {duration: 1000s}
wip_limits: [{name: kanban, from: C, to: M, cards: 2}]
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 1s, to: C}
  - {id: C, type: conveyor, length_m: 10, speed_m_per_s: 1, spacing_m: 1, to: M}
  - {id: M, type: station, processing: 100s, to: out}
  - {id: out, type: sink}
)");
  const auto [r, most_in_line] = run_second_by_second(scene);
  CHECK(most_in_line <= 3);
  CHECK(r.ledger.in_line == 3);
  CHECK(r.parts_completed == 9);  // at 111, 211, ..., 911 s
  CHECK(r.wip_limits[0].cards_in_use_mean <= 2.0);
  CHECK(r.ledger.created == r.ledger.completed + r.ledger.in_line);

  // The same belt straight behind an unlimited supply: a part enters the line when the belt takes
  // it, so the line holds exactly the 2 parts with cards (from 1 s on), and M completes at 110,
  // 210, ..., 910 s.
  const auto supplied = simulate(R"(
run: {duration: 1000s, warmup: 1s}
wip_limits: [{name: kanban, from: C, to: M, cards: 2}]
elements:
  - {id: in, type: source, supply: unlimited, to: C}
  - {id: C, type: conveyor, length_m: 10, speed_m_per_s: 1, spacing_m: 1, to: M}
  - {id: M, type: station, processing: 100s, to: out}
  - {id: out, type: sink}
)");
  CHECK(supplied.parts_completed == 9);
  CHECK(supplied.ledger.in_line == 2);
  CHECK(supplied.wip_mean == doctest::Approx(2.0));
  CHECK(supplied.wip_limits[0].cards_in_use_mean == doctest::Approx(2.0));
}

TEST_CASE("resources: a WIP limit that starts at a direct hand-over lets a part in per card") {
  // One card from a buffer of capacity 0 (a direct hand-over) to S1: A (5 s) then S1 (30 s).
  // Each time S1 finishes, the card comes back and the part waiting in front of the hand-over
  // goes through to A at once: a part every 35 s, each in the line 35 s. With arrivals every
  // 10 s (the source waits), completions at 45, 80, ..., 990 s; with an unlimited supply at 35,
  // 70, ..., 980 s: 28 either way.
  const std::string line = R"(
run: {duration: 1000s}
wip_limits: [{name: conwip, from: X0, to: S1, cards: 1}]
elements:
  - {id: X0, type: buffer, capacity: 0, to: A}
  - {id: A, type: station, processing: 5s, to: X1}
  - {id: X1, type: buffer, capacity: unlimited, to: S1}
  - {id: S1, type: station, processing: 30s, to: out}
  - {id: out, type: sink}
)";
  for (const std::string source : {"{id: in, type: source, interarrival: 10s, to: X0}",
                                   "{id: in, type: source, supply: unlimited, to: X0}"}) {
    CAPTURE(source);
    const auto r = simulate(line + "  - " + source + "\n");
    CHECK(r.parts_completed == 28);
    CHECK(r.lead_time_mean_s == doctest::Approx(35.0));
    CHECK(r.wip_limits[0].cards_in_use_mean == doctest::Approx(r.wip_mean));
  }
}

// ---- OEE ----

TEST_CASE("resources: OEE of a station with breakdowns, setups and scrap, by hand") {
  // Definitions (plant/replication_result.hpp): planned time = time on shift; run time = planned
  // less down and setup time; availability = run / planned; performance = ideal time of the parts
  // processed (mean processing time each) / run time; quality = good / processed; OEE = their
  // product.
  //
  // Orders a, b, a, b, ... all released at once (a saturated station, products alternating);
  // 10 s changeover between products, 30 s processing, a failure after every 150 s of processing
  // (5 parts) repaired in 60 s; every b is scrapped. Part k's processing ends at 30 + 40 (k - 1),
  // so the failure comes with the end of the 5th part at 190 s, and from the repair at 250 s the
  // pattern repeats every 260 s: 5 x (10 s setup + 30 s processing) + 60 s down. The observed
  // window (250 s, 250 s + 2 x 260 s] holds two periods: 10 parts, 5 of them b.
  TempDir dir;
  const std::string orders = write_orders(dir, "oee", alternating(200));
  const auto r = simulate(R"(
products: [a, b]
run: {duration: 520s, warmup: 250s}
elements:
  - {id: in, type: source, orders: )" +
                          orders +
                          R"(, to: M}
  - id: M
    type: station
    processing: 30s
    setup: {products: [a, b], times: [[0s, 10s], [10s, 0s]]}
    breakdowns: {time_to_failure: 150s, time_to_repair: 60s, counted_on: operating_time}
    quality: {scrap: {a: 0, b: 1}}
    to: out
  - {id: out, type: sink}
)");
  const auto& m = r.stations[0];
  CHECK(m.parts_processed == 10);
  CHECK(m.parts_scrapped == 5);
  CHECK(m.parts_good == 5);
  CHECK(m.setups == 10);
  CHECK(m.failures == 2);
  CHECK(m.down == doctest::Approx(60.0 / 260.0));
  CHECK(m.setup == doctest::Approx(50.0 / 260.0));
  CHECK(m.working == doctest::Approx(150.0 / 260.0));
  const double planned = 520.0, run_time = 520.0 - 120.0 - 100.0;
  CHECK(m.oee.availability == doctest::Approx(run_time / planned));
  CHECK(m.oee.performance == doctest::Approx(10 * 30.0 / run_time));
  CHECK(m.oee.quality == doctest::Approx(0.5));
  CHECK(m.oee.oee == doctest::Approx(5 * 30.0 / planned));  // ideal time of the good parts
}

TEST_CASE("resources: OEE leaves planned maintenance out and counts idle time in performance") {
  // Arrivals every 50 s at a 30 s station, off for maintenance over [1010 s, 2010 s). The part
  // that arrived at 1000 s is cut at 1010 s and finished at 2030 s; the backlog of the
  // maintenance is cleared long before the end, and the parts arriving at 50, ..., 9950 s are all
  // done by 10000 s: 199 parts, 199 x 30 s of ideal time in 9000 s of planned (= run) time.
  const auto r = simulate(R"(
run: {duration: 10000s}
calendars:
  pm: {maintenance: [{name: service, start: 1010s, end: 2010s}]}
elements:
  - {id: in, type: source, interarrival: 50s, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: 30s, calendar: pm, to: out}
  - {id: out, type: sink}
)");
  const auto& m = r.stations[0];
  CHECK(m.parts_processed == 199);
  CHECK(m.off_shift == doctest::Approx(0.1));
  CHECK(m.working == doctest::Approx(199 * 30.0 / 10000.0));
  CHECK(m.oee.availability == doctest::Approx(1.0));
  CHECK(m.oee.performance == doctest::Approx(199 * 30.0 / 9000.0));
  CHECK(m.oee.quality == doctest::Approx(1.0));
  CHECK(m.oee.oee == doctest::Approx(199 * 30.0 / 9000.0));
}
