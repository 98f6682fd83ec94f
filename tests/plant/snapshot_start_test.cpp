// Runs from a snapshot ("what-if from now"). A snapshot taken from a run and started again gives a
// run in the same state at time zero; a station kept down for hours gives the output that only the
// parts already past it can make, to the part; with exponential processing, whose remaining time
// does not depend on the time already spent, runs from a snapshot and forks of the run it came
// from are the same process, and their throughputs agree within a confidence interval; the
// remaining-time draws have their exact means; and snapshots that do not fit are refused.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/distribution.hpp"
#include "core/input_error.hpp"
#include "core/random_stream.hpp"
#include "core/statistics.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_files.hpp"
#include "test_scenes.hpp"

using namespace linetwin;
using linetwin::test::bundled_scene;
using linetwin::test::from_start;

namespace {

// The run of `scene` (replication 0, no warm-up) stopped at `time_s`.
LineRun run_until(const Scene& scene, double time_s) {
  LineRun run(scene, scene.seed(), 0, from_start(40 * 3600.0));
  run.advance_to(time_s);
  return run;
}

void check_same_state(const LineSnapshot& expected, const LineSnapshot& actual) {
  REQUIRE(actual.stations.size() == expected.stations.size());
  for (std::size_t i = 0; i < expected.stations.size(); ++i) {
    CAPTURE(expected.stations[i].id);
    CHECK(actual.stations[i].id == expected.stations[i].id);
    CHECK(actual.stations[i].activity == expected.stations[i].activity);
    REQUIRE(actual.stations[i].parts.size() == expected.stations[i].parts.size());
    for (std::size_t p = 0; p < expected.stations[i].parts.size(); ++p)
      CHECK(actual.stations[i].parts[p].finished == expected.stations[i].parts[p].finished);
  }
  REQUIRE(actual.buffers.size() == expected.buffers.size());
  for (std::size_t i = 0; i < expected.buffers.size(); ++i) {
    CAPTURE(expected.buffers[i].id);
    CHECK(actual.buffers[i].level == expected.buffers[i].level);
  }
}

std::size_t station_position(const Scene& scene, const std::string& id) {
  for (std::size_t i = 0; i < scene.stations().size(); ++i) {
    if (scene.element(scene.stations()[i]).id == id) return i;
  }
  FAIL("no station " << id);
  return 0;
}

}  // namespace

TEST_CASE("a run started from a snapshot of a run is in the snapshot's state at time zero") {
  for (const char* path : {"scenes/breakdown_line.yaml", "scenes/balanced_line.yaml"}) {
    const Scene scene = bundled_scene(path);
    for (double t : {1234.567, 3 * 3600.0 + 17.25, 11 * 3600.0 + 901.5}) {
      CAPTURE(path);
      CAPTURE(t);
      const LineSnapshot taken = run_until(scene, t).snapshot();
      const LineRun started =
          LineRun::from_snapshot(scene, taken, "taken", scene.seed(), 0, from_start(3600.0));
      CHECK(started.now() == 0.0);
      check_same_state(taken, started.snapshot());
      std::uint64_t parts = 0;
      for (const BufferSnapshot& b : taken.buffers)
        parts += *b.level;
      for (const StationSnapshot& s : taken.stations)
        parts += s.parts.size();
      CHECK(started.results().parts_in_line_at_end == parts);
    }
  }
}

TEST_CASE("OP30 kept down for 4 h: the line ships exactly the parts already past it") {
  const Scene scene = bundled_scene("scenes/breakdown_line.yaml");
  const std::size_t op30 = station_position(scene, "OP30");
  const std::size_t op40 = station_position(scene, "OP40");
  for (double t : {2 * 3600.0 + 0.5, 7 * 3600.0 + 123.4, 19 * 3600.0 + 55.5}) {
    CAPTURE(t);
    LineSnapshot now = run_until(scene, t).snapshot();
    // Down past the end of the 4 h looked at (a repair ending at the very end would be seen).
    now.stations[op30].down_for_s = 5 * 3600.0;
    // B3's parts, OP40's, and a part OP30 finished and holds: a stopped station still hands over
    // what it has done once there is room.
    std::uint64_t past_op30 = *now.buffers[2].level + now.stations[op40].parts.size();
    for (const HeldPart& part : now.stations[op30].parts)
      past_op30 += part.finished ? 1 : 0;
    for (std::uint32_t replication = 0; replication < 5; ++replication) {
      LineRun what_if = LineRun::from_snapshot(scene, now, "now", scene.seed(), replication,
                                               from_start(4 * 3600.0));
      const ReplicationResult r = what_if.run_to_end();
      CHECK(r.parts_completed == past_op30);
      CHECK(r.stations[op30].parts_processed == 0);
      const LineSnapshot end = what_if.snapshot();
      CHECK(end.stations[op30].activity == StationActivity::kDown);
      // Everything before OP30 fills up and stops: both buffers full, OP10 and OP20 blocked.
      CHECK(*end.buffers[0].level == 8);
      CHECK(*end.buffers[1].level == 8);
      CHECK(end.stations[0].activity == StationActivity::kBlocked);
      CHECK(end.stations[1].activity == StationActivity::kBlocked);
    }
  }
}

TEST_CASE(
    "exponential processing: runs from a snapshot and forks of the run are the same process") {
  // A tandem line of exponential stations: the time a part has been in process says nothing about
  // the time it has left, so the snapshot loses nothing a fork keeps, and the throughput of the
  // next hour has the same distribution either way.
  const Scene scene = load_scene_text(R"(linetwin_scene: 1
name: exponential tandem
seed: 99
elements:
  - {id: supply, type: source, supply: unlimited, to: M1}
  - {id: M1, type: station, processing: {distribution: exponential, mean: 60s}, to: B1}
  - {id: B1, type: buffer, capacity: 3, to: M2}
  - {id: M2, type: station, processing: {distribution: exponential, mean: 55s}, to: B2}
  - {id: B2, type: buffer, capacity: 2, to: M3}
  - {id: M3, type: station, processing: {distribution: exponential, mean: 50s}, to: out}
  - {id: out, type: sink}
)",
                                      "tandem");
  constexpr double kNow = 5000.25;
  constexpr double kHour = 3600.0;
  constexpr int kReplications = 400;
  // Each replication: the line run on to kNow, then its next hour twice: the run itself going on,
  // and a run started from its snapshot on other streams. Paired by replication.
  std::vector<double> difference;
  for (std::uint32_t r = 0; r < kReplications; ++r) {
    LineRun original(scene, scene.seed(), r, from_start(kNow + kHour));
    original.advance_to(kNow);
    const LineSnapshot now = original.snapshot();
    const std::uint64_t before = original.results().parts_completed;
    const std::uint64_t went_on = original.run_to_end().parts_completed - before;
    const std::uint64_t started =
        LineRun::from_snapshot(scene, now, "now", 777, r, from_start(kHour))
            .run_to_end()
            .parts_completed;
    difference.push_back(static_cast<double>(went_on) - static_cast<double>(started));
  }
  // The same law: zero lies in the 99.9% interval of the mean difference (which is not
  // degenerate: the two go different ways).
  const Estimate e = estimate(difference, 0.999);
  CHECK(e.stdev > 0.0);
  CHECK(e.ci_low < 0.0);
  CHECK(e.ci_high > 0.0);
}

TEST_CASE("remaining time given the time spent") {
  RandomStream rng(1, "remaining", "test", 0);
  std::vector<double> uniform;
  std::vector<double> gamma;
  for (int i = 0; i < 200000; ++i) {
    uniform.push_back(Distribution::uniform(0.0, 100.0).sample_remaining(60.0, rng));
    gamma.push_back(Distribution::erlang(2, 10.0).sample_remaining(5.0, rng));
  }
  // Uniform on (0, 100) past 60: uniform on (0, 40), mean 20.
  CHECK(sample_mean(uniform) == doctest::Approx(20.0).epsilon(0.01));
  CHECK(*std::max_element(uniform.begin(), uniform.end()) <= 40.0);
  // Erlang-2 with rate 0.2 past age a: P(X > a + s | X > a) = e^{-0.2 s} (1 + 0.2 (a + s)) /
  // (1 + 0.2 a), whose integral over s is (1 + 0.2 a + 1) / (0.2 (1 + 0.2 a)) = 3 / (0.2 * 2)
  // = 7.5.
  CHECK(sample_mean(gamma) == doctest::Approx(7.5).epsilon(0.01));
  CHECK(Distribution::constant(30.0).sample_remaining(12.0, rng) == 18.0);
  CHECK(Distribution::constant(30.0).sample_remaining(45.0, rng) == 0.0);
  // Far past anything the uniform gives: overdue, it ends now.
  CHECK(Distribution::uniform(0.0, 10.0).sample_remaining(20.0, rng) == 0.0);
}

TEST_CASE("snapshots a run cannot start from are refused, naming the element") {
  const Scene scene = bundled_scene("scenes/breakdown_line.yaml");
  const LineSnapshot good = run_until(scene, 3600.5).snapshot();
  const auto refused = [&](LineSnapshot snapshot, const std::string& field,
                           const std::string& words) {
    try {
      LineRun::from_snapshot(scene, snapshot, "now.yaml", 1, 0, from_start(60.0));
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(e.where().file == "now.yaml");
      CHECK(e.where().field_path == field);
      CHECK(std::string(e.what()).find(words) != std::string::npos);
    }
  };
  LineSnapshot s = good;
  s.buffers[1].level = 9;
  refused(s, "buffers.B2.level", "at most the capacity of B2 (8)");
  s = good;
  s.buffers[0].level.reset();
  s.buffers[0].source = "unknown: fed by a conveyor";
  refused(s, "buffers.B1.level", "fed by a conveyor");
  s = good;
  s.stations[0].parts.assign(2, HeldPart{});
  refused(s, "stations.OP10.parts", "at most one part per server of OP10 (1)");
  s = good;
  s.buffers[0].id = "OP20";
  refused(s, "buffers.OP20", "expected a buffer of");
  s = good;
  s.stations[0].activity = StationActivity::kDown;
  refused(s, "stations.OP10", "no breakdowns");
  s.stations[0].down_for_s = 600.0;  // a what-if needs no breakdowns of its own
  CHECK_NOTHROW(LineRun::from_snapshot(scene, s, "now.yaml", 1, 0, from_start(60.0)));
}
