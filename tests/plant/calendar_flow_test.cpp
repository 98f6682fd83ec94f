// Shift calendars for sources and operator pools, on lines whose every time is fixed, so that the
// counts are exact: each expectation is worked out from the calendar (Monday 06:00-14:00 shifts,
// Monday to Friday, t = 0 is Monday 00:00) and the constant times of the scene.
#include <doctest/doctest.h>

#include <string>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_files.hpp"

using namespace linetwin;

namespace {

constexpr double kMinute = 60.0;
constexpr double kHour = 3600.0;
constexpr double kDay = 24 * kHour;

const std::string kDayShift = R"(
calendars:
  day:
    shifts: [{name: day, weekdays: [mon, tue, wed, thu, fri], start: "06:00", end: "14:00"}]
)";

Scene scene_of(const std::string& yaml) {
  return load_scene_text("linetwin_scene: 1\n" + kDayShift + yaml, "calendar.yaml");
}

}  // namespace

TEST_CASE("a source off shift makes no arrivals, and its arrival clock stands still") {
  // Every 11 min of on-shift time: arrival n comes at on-shift minute 11 n. Five shifts of
  // 480 min hold 218 of them (11 * 218 = 2398); none falls on a shift's end (11 n = 480 d has no
  // solution for d < 11). Monday's first is at 06:11, its last at 13:53 (06:00 + 43 * 11 min).
  const Scene scene = scene_of(R"(
name: source on day shifts
run: {duration: 7d}
elements:
  - {id: in, type: source, interarrival: 11min, calendar: day, to: S}
  - {id: S, type: station, processing: 1s, to: out}
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  run.advance_to(6 * kHour + 10 * kMinute);
  CHECK(run.results().sources[0].arrivals == 0);
  run.advance_to(6 * kHour + 12 * kMinute);
  CHECK(run.results().sources[0].arrivals == 1);
  run.advance_to(14 * kHour);
  CHECK(run.results().sources[0].arrivals == 43);
  run.advance_to(kDay + 6 * kHour + 3 * kMinute);  // Tuesday: 4 min of the clock are left
  CHECK(run.results().sources[0].arrivals == 43);
  run.advance_to(kDay + 6 * kHour + 5 * kMinute);
  CHECK(run.results().sources[0].arrivals == 44);
  const ReplicationResult r = run.run_to_end();
  CHECK(r.sources[0].arrivals == 218);
  CHECK(r.parts_completed == 218);
  CHECK(r.sources[0].lost == 0);
}

TEST_CASE("orders due off shift are released in sequence when the shift begins") {
  linetwin::test::TempDir dir;
  dir.write("orders.csv",
            "order_id,variant,release_time\n"
            "o1,part,0\no2,part,3h\no3,part,10h\no4,part,15h\no5,part,31h\n");
  const Scene scene =
      load_scene_file(dir.write("scene.yaml", "linetwin_scene: 1\n" + kDayShift + R"(
name: orders on day shifts
run: {duration: 2d}
elements:
  - {id: orders, type: source, orders: orders.csv, calendar: day, to: S}
  - {id: S, type: station, processing: 1min, to: out}
  - {id: out, type: sink}
)"));
  LineRun run(scene, scene.seed(), 0);
  auto arrivals_at = [&](double t) {
    run.advance_to(t);
    return run.results().sources[0].arrivals;
  };
  CHECK(arrivals_at(6 * kHour - 1.0) == 0);   // o1 (00:00) and o2 (03:00) wait for the shift
  CHECK(arrivals_at(6 * kHour + 30.0) == 2);  // both at 06:00, in sequence
  CHECK(arrivals_at(12 * kHour) == 3);        // o3 at 10:00, on shift
  CHECK(arrivals_at(kDay + 5 * kHour) == 3);  // o4 (15:00) waits for Tuesday's shift
  CHECK(arrivals_at(kDay + 6 * kHour + 30.0) == 4);
  CHECK(arrivals_at(kDay + 8 * kHour) == 5);  // o5 at Tuesday 07:00
  CHECK(run.run_to_end().parts_completed == 5);
}

TEST_CASE("an unlimited supply off shift hands nothing over, and the line drains") {
  // S takes 11 min; B holds 3. On shift the supply keeps B full: S finishes at 06:11 + 11 k,
  // 43 parts by 14:00 (the last at 13:53); at 14:00 S holds the 44th (until 14:04) and B three
  // more (14:15, 14:26, 14:37). 47 parts a weekday, none at the weekend: 235 in a week.
  const Scene scene = scene_of(R"(
name: supply on day shifts
run: {duration: 7d}
elements:
  - {id: supply, type: source, supply: unlimited, calendar: day, to: B}
  - {id: B, type: buffer, capacity: 3, to: S}
  - {id: S, type: station, processing: 11min, to: out}
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  run.advance_to(6 * kHour - 1.0);
  CHECK(run.parts_at(*scene.find("B")) == 0);
  run.advance_to(15 * kHour);
  CHECK(run.results().parts_completed == 47);
  CHECK(run.parts_at(*scene.find("B")) == 0);
  const ReplicationResult r = run.run_to_end();
  CHECK(r.parts_completed == 235);
  CHECK(r.sources[0].arrivals == 235);
}

TEST_CASE("an operator pool off duty leaves its work, which resumes on the next shift") {
  // S needs the operator for its 35 min processing; the operator stands at S (no walk). Part n
  // is done at on-shift minute 35 n: 13 on Monday (the last at 13:35), the 14th interrupted at
  // 14:00 with 25 min done and finished Tuesday at 06:10. Five shifts hold 68 (35 * 68 = 2380);
  // none ends on a shift's end (35 n = 480 d needs d = 7).
  const Scene scene = scene_of(R"(
name: crew on day shifts
run: {duration: 7d}
operators:
  - {pool: crew, count: 1, skills: [run], calendar: day, home: S}
elements:
  - {id: supply, type: source, supply: unlimited, to: S}
  - {id: S, type: station, processing: 35min, operators: {processing: run}, to: out}
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  run.advance_to(14 * kHour);
  CHECK(run.results().parts_completed == 13);
  CHECK(run.station_activity(0) == StationActivity::kWaitingOperator);
  run.advance_to(kDay + 6 * kHour + 9 * kMinute);
  CHECK(run.results().parts_completed == 13);
  run.advance_to(kDay + 6 * kHour + 11 * kMinute);
  CHECK(run.results().parts_completed == 14);
  const ReplicationResult r = run.run_to_end();
  CHECK(r.parts_completed == 68);
  // Busy all the time it is on duty: utilisation over on-shift time is 1.
  CHECK(r.operators[0].utilisation == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(r.operators[0].walking == 0.0);
  CHECK(r.operators[0].on_shift == doctest::Approx(40.0 / 168.0).epsilon(1e-12));
  // S is on shift all week: without its operator it waits.
  CHECK(r.stations[0].waiting_operator == doctest::Approx(128.0 / 168.0).epsilon(1e-9));
  CHECK(r.stations[0].off_shift == 0.0);
}

TEST_CASE("a repair its technician leaves at the end of the shift resumes on the next one") {
  // S (10 min parts, no calendar) fails 13 h 07 min after the start and after each repair; a
  // repair takes 2 h and needs the technician of the day crew, who stands at S. Monday: 78 parts
  // by 13:00, the 79th has 3 min left at the failure (13:07); the repair runs 13:07-14:00 and
  // its last 67 min on Tuesday 06:00-07:07; the 79th is done at 07:10, then one every 10 min to
  // 20:10 (79 parts in all on Tuesday); the next failure at 20:14 waits for Wednesday's shift.
  const Scene scene = scene_of(R"(
name: repairs on day shifts
run: {duration: 48h}
operators:
  - {pool: technicians, count: 1, skills: [fix], calendar: day, home: S}
elements:
  - {id: supply, type: source, supply: unlimited, to: S}
  - id: S
    type: station
    processing: 10min
    breakdowns: {time_to_failure: 787min, time_to_repair: 2h, counted_on: calendar_time}
    operators: {repair: fix}
    to: out
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  run.advance_to(kDay + 7 * kHour + 6 * kMinute);
  CHECK(run.station_activity(0) == StationActivity::kDown);
  run.advance_to(kDay + 7 * kHour + 8 * kMinute);
  CHECK(run.station_activity(0) == StationActivity::kWorking);
  const ReplicationResult r = run.run_to_end();
  CHECK(r.stations[0].parts_processed == 78 + 79);
  CHECK(r.stations[0].failures == 2);
  // Down 13:07 to Tuesday 07:07 (18 h) and from Tuesday 20:14 to the end (3 h 46 min).
  CHECK(r.stations[0].down == doctest::Approx((18 * kHour + 226 * kMinute) / (48 * kHour)));
}
