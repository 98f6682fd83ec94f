// Small lines whose behaviour is known exactly: deterministic times make every KPI a fraction
// that can be worked out by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "experiment/replications.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"

using namespace linetwin;

namespace {
ReplicationResult simulate(const std::string& yaml, std::uint32_t replication = 0) {
  const Scene scene = load_scene_text("linetwin_scene: 1\n" + yaml, "test.yaml");
  LineRun run(scene, scene.seed(), replication);
  return run.run_to_end();
}
}  // namespace

TEST_CASE("a slower second station paces the line; the first blocks for the difference") {
  const auto r = simulate(R"(
run: {duration: 1000s, warmup: 300s}
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 10s, to: Q}
  - {id: Q, type: buffer, capacity: 2, to: B}
  - {id: B, type: station, processing: 20s, to: out}
  - {id: out, type: sink}
)");
  // B completes a part every 20 s: 50 parts in 1000 s, 180 parts/h.
  CHECK(r.parts_completed == 50);
  CHECK(r.throughput_per_hour == doctest::Approx(180.0));
  CHECK(r.stations[0].working == doctest::Approx(0.5));
  CHECK(r.stations[0].blocked == doctest::Approx(0.5));
  CHECK(r.stations[0].starved == doctest::Approx(0.0));
  CHECK(r.stations[1].working == doctest::Approx(1.0));
  CHECK(r.buffers[0].occupancy_mean == doctest::Approx(2.0));  // always full after the start
  CHECK(r.bottleneck_station == 1);
  // In steady state a part waits in A (blocked), then in two buffer places, then B: lead time
  // is the sum of 20 s steps: blocked at A 10 s after its 10 s service, 2 x 20 s in the queue,
  // 20 s at B = 80 s.
  CHECK(r.lead_time_mean_s == doctest::Approx(80.0));
  // Little's law on a deterministic line: WIP = throughput x lead time = (1/20) x 80 = 4.
  CHECK(r.wip_mean == doctest::Approx(4.0));
}

TEST_CASE("a buffer of capacity 0 hands parts over directly") {
  const auto r = simulate(R"(
run: {duration: 1000s, warmup: 100s}
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 10s, to: Q}
  - {id: Q, type: buffer, capacity: 0, to: B}
  - {id: B, type: station, processing: 20s, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 50);
  CHECK(r.stations[0].blocked == doctest::Approx(0.5));
  CHECK(r.buffers[0].occupancy_mean == 0.0);
  CHECK(r.buffers[0].occupancy_max == 0);
  CHECK(r.lead_time_mean_s == doctest::Approx(40.0));  // 10 s service, 10 s blocked, 20 s at B
}

TEST_CASE("arrivals to a busy station are lost or wait, as the source says") {
  const std::string line = R"(
  - {id: M, type: station, processing: 15s, to: out}
  - {id: out, type: sink}
)";
  // Arrivals at 10, 20, 30, ...; the station is busy 15 s: every second arrival finds it busy.
  const auto lose = simulate(R"(
run: {duration: 2000s}
elements:
  - {id: in, type: source, interarrival: 10s, when_full: lose, to: M})" +
                             line);
  CHECK(lose.sources[0].arrivals == 200);
  CHECK(lose.sources[0].lost == 100);
  CHECK(lose.sources[0].loss_probability == doctest::Approx(0.5));
  // Busy [10, 25], [30, 45], ...: 99 full services and the last 10 s of the one from 1990 s.
  CHECK(lose.stations[0].working == doctest::Approx((99 * 15.0 + 10.0) / 2000.0));

  // Waiting: the source holds the part and pauses, so the station never idles after the start.
  const auto wait = simulate(R"(
run: {duration: 1500s, warmup: 10s}
elements:
  - {id: in, type: source, interarrival: 10s, when_full: wait, to: M})" +
                             line);
  CHECK(wait.sources[0].lost == 0);
  CHECK(wait.parts_completed == 100);
  CHECK(wait.stations[0].working == doctest::Approx(1.0).epsilon(0.01));
  // Each arrival comes 10 s after the last was taken and waits 5 s for the station: blocked a
  // third of the time. The losing source never waits.
  CHECK(wait.sources[0].blocked == doctest::Approx(1.0 / 3.0).epsilon(0.01));
  CHECK(lose.sources[0].blocked == 0.0);
}

TEST_CASE("parallel servers multiply the capacity of a station") {
  const auto r = simulate(R"(
run: {duration: 900s, warmup: 90s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - {id: M, type: station, servers: 3, processing: 30s, to: out}
  - {id: out, type: sink}
)");
  // The observed window is (90 s, 990 s]: each server completes at 120, 150, ..., 990 s.
  CHECK(r.parts_completed == 3 * 30);
  CHECK(r.stations[0].working == doctest::Approx(1.0));
}

TEST_CASE("a failure on operating time interrupts the part, which resumes after the repair") {
  // 10 s per part; a failure after every 100 s of processing; 50 s repairs. A cycle of 150 s
  // yields exactly 10 parts, and a third of the time is down.
  const auto r = simulate(R"(
run: {duration: 1500s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - id: M
    type: station
    processing: 10s
    breakdowns: {time_to_failure: 100s, time_to_repair: 50s, counted_on: operating_time}
    to: out
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 100);
  CHECK(r.stations[0].failures == 10);
  CHECK(r.stations[0].down == doctest::Approx(1.0 / 3.0));
  CHECK(r.stations[0].working == doctest::Approx(2.0 / 3.0));

  // A failure in the middle of a part: 30 s per part, failure after 45 s of operation. The second
  // part is 15 s in when the station fails, waits 50 s, then needs its last 15 s.
  const auto mid = simulate(R"(
run: {duration: 110s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - id: M
    type: station
    processing: 30s
    breakdowns: {time_to_failure: 45s, time_to_repair: 50s}
    to: out
  - {id: out, type: sink}
)");
  CHECK(mid.parts_completed == 2);
  CHECK(mid.lead_time_mean_s == doctest::Approx((30.0 + 80.0) / 2.0));
}

TEST_CASE("operating-time failures wait out idle time; calendar-time failures do not") {
  // Arrivals every 20 s, 10 s of processing: the station works half of the time when up.
  const std::string head = R"(
run: {duration: 30000s}
elements:
  - {id: in, type: source, interarrival: 20s, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - id: M
    type: station
    processing: 10s
)";
  // Operating time: 100 s of processing between failures, 10 s repairs.
  const auto op = simulate(head + R"(
    breakdowns: {time_to_failure: 100s, time_to_repair: 10s, counted_on: operating_time}
    to: out
  - {id: out, type: sink}
)");
  // 1500 parts x 10 s = 15000 s of processing: 150 failures, one per 200 s of calendar time.
  CHECK(op.stations[0].failures == doctest::Approx(150).epsilon(0.01));
  // Calendar time: a failure 100 s after each repair ends, whatever the station does.
  const auto cal = simulate(head + R"(
    breakdowns: {time_to_failure: 100s, time_to_repair: 10s, counted_on: calendar_time}
    to: out
  - {id: out, type: sink}
)");
  CHECK(cal.stations[0].failures == doctest::Approx(30000.0 / 110.0).epsilon(0.01));
  CHECK(cal.stations[0].down == doctest::Approx(10.0 / 110.0).epsilon(0.01));
}

TEST_CASE("no part is lost or duplicated: entered = completed + still in the line") {
  const std::string yaml = R"(
seed: 3
run: {duration: 5h}
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 50s}, when_full: lose, to: Q1}
  - {id: Q1, type: buffer, capacity: 3, to: A}
  - id: A
    type: station
    servers: 2
    processing: {distribution: lognormal, mean: 90s, sd: 40s}
    breakdowns: {time_to_failure: {distribution: exponential, mean: 20min}, time_to_repair: {distribution: exponential, mean: 3min}, counted_on: calendar_time}
    to: Q2
  - {id: Q2, type: buffer, capacity: 0, to: B}
  - id: B
    type: station
    processing: {distribution: uniform, min: 20s, max: 60s}
    breakdowns: {time_to_failure: {distribution: weibull, shape: 2, scale: 30min}, time_to_repair: 2min}
    to: out
  - {id: out, type: sink}
)";
  for (std::uint32_t rep = 0; rep < 5; ++rep) {
    const auto r = simulate(yaml, rep);
    const auto& src = r.sources[0];
    CHECK(src.arrivals - src.lost == r.parts_completed + r.parts_in_line_at_end);
    // Shares are a partition of the time.
    for (const auto& s : r.stations) {
      CHECK(s.working + s.starved + s.blocked + s.down == doctest::Approx(1.0));
    }
    CHECK(r.parts_in_line_at_end <= 3 + 2 + 0 + 1);  // Q1 + A's servers + Q2 + B
  }
}

TEST_CASE("the same seed and replication give the same run; other replications differ") {
  const std::string yaml = R"(
seed: 11
run: {duration: 2h}
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 60s}, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: {distribution: exponential, mean: 45s}, to: out}
  - {id: out, type: sink}
)";
  const auto a = simulate(yaml, 0);
  const auto b = simulate(yaml, 0);
  const auto c = simulate(yaml, 1);
  CHECK(a.events == b.events);
  CHECK(a.lead_time_mean_s == b.lead_time_mean_s);
  CHECK(a.wip_mean == b.wip_mean);
  CHECK(a.lead_time_mean_s != c.lead_time_mean_s);
}

TEST_CASE("adding an element leaves the other elements' random draws unchanged") {
  // Common random numbers: the arrivals and the first station's times are the same whether or
  // not a second station follows, so with an unlimited buffer between them the first station's
  // completions match exactly.
  const std::string front = R"(
seed: 5
run: {duration: 3h}
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 60s}, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: A}
  - {id: A, type: station, processing: {distribution: exponential, mean: 40s}, to: )";
  const auto short_line = simulate(front + R"(out}
  - {id: out, type: sink}
)");
  const auto long_line = simulate(front + R"(Q2}
  - {id: Q2, type: buffer, capacity: unlimited, to: B}
  - {id: B, type: station, processing: {distribution: exponential, mean: 30s}, to: out}
  - {id: out, type: sink}
)");
  CHECK(short_line.sources[0].arrivals == long_line.sources[0].arrivals);
  CHECK(short_line.stations[0].parts_processed == long_line.stations[0].parts_processed);
  CHECK(short_line.stations[0].working == long_line.stations[0].working);
}

TEST_CASE("the warm-up is excluded from every statistic") {
  const auto r = simulate(R"(
run: {duration: 100s, warmup: 1000s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - {id: M, type: station, processing: 10s, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.observed_s == 100.0);
  CHECK(r.parts_completed == 10);
  CHECK(r.sources[0].arrivals == 10);
}

TEST_CASE("advance_to steps a run without changing its outcome") {
  const std::string yaml = R"(
linetwin_scene: 1
seed: 8
run: {duration: 1h, warmup: 5min}
elements:
  - {id: in, type: source, interarrival: {distribution: exponential, mean: 30s}, to: Q}
  - {id: Q, type: buffer, capacity: 5, to: M}
  - {id: M, type: station, processing: {distribution: gamma, shape: 2, mean: 25s}, to: out}
  - {id: out, type: sink}
)";
  const Scene scene = load_scene_text(yaml, "step.yaml");
  LineRun whole(scene, scene.seed(), 0);
  const auto expected = whole.run_to_end();
  LineRun stepped(scene, scene.seed(), 0);
  for (double t = 0.0; t < stepped.end_time(); t += 77.0)
    stepped.advance_to(t);
  const auto actual = stepped.run_to_end();
  CHECK(actual.events == expected.events);
  CHECK(actual.wip_mean == expected.wip_mean);
  CHECK(actual.lead_time_p95_s == expected.lead_time_p95_s);
}

TEST_CASE("an unlimited supply keeps the buffer in front of the first station full") {
  const auto r = simulate(R"(
run: {duration: 1000s, warmup: 100s}
elements:
  - {id: in, type: source, supply: unlimited, to: Q}
  - {id: Q, type: buffer, capacity: 3, to: M}
  - {id: M, type: station, processing: 20s, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 50);
  CHECK(r.buffers[0].occupancy_mean == doctest::Approx(3.0));
  CHECK(r.stations[0].starved == doctest::Approx(0.0));
  // Each part waits behind three others and is then processed: 4 x 20 s.
  CHECK(r.lead_time_mean_s == doctest::Approx(80.0));
  CHECK(r.sources[0].arrivals == 50);
}

TEST_CASE("a saturated multi-server station with operating-time failures: throughput c mu A") {
  // Saturated, all three servers work whenever the station is up, so its operating time is its
  // up time: availability A = MTTF / (MTTF + MTTR) = 0.8, throughput 3 x (1/60 s) x 0.8 = 144/h.
  const Scene scene = load_scene_text(R"(linetwin_scene: 1
seed: 21
run: {duration: 2000h, warmup: 10h, replications: 10}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - id: M
    type: station
    servers: 3
    processing: {distribution: exponential, mean: 60s}
    breakdowns:
      time_to_failure: {distribution: exponential, mean: 40min}
      time_to_repair: {distribution: exponential, mean: 10min}
      counted_on: operating_time
    to: out
  - {id: out, type: sink}
)",
                                      "multi.yaml");
  ExperimentSettings settings = settings_from_scene(scene);
  settings.threads = 0;
  const auto reps = run_replications(scene, settings);
  std::vector<double> throughput, down;
  for (const auto& r : reps) {
    throughput.push_back(r.throughput_per_hour);
    down.push_back(r.stations[0].down);
  }
  const Estimate tp = estimate(throughput, 0.99);
  const Estimate dn = estimate(down, 0.99);
  INFO("throughput " << tp.mean << " [" << tp.ci_low << ", " << tp.ci_high << "]");
  CHECK(tp.ci_low <= 144.0);
  CHECK(tp.ci_high >= 144.0);
  CHECK(tp.ci_high - tp.ci_low < 0.02 * 144.0);
  CHECK(dn.ci_low <= 0.2);
  CHECK(dn.ci_high >= 0.2);
}
