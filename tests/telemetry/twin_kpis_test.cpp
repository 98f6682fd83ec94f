// Twin KPIs against the simulator's: small deterministic lines whose station histories can be
// written down by hand. The simulator runs the line; a twin is fed the same history as
// telemetry (the state changes and the cumulative good-part counter the station would report);
// both must give the same state shares, counts, active periods and OEE, and both must equal the
// fractions worked out here.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "telemetry/line_twins.hpp"

namespace linetwin {

namespace {

constexpr std::int64_t kSecond = 1'000'000;

Scene scene_of(const std::string& yaml) {
  return load_scene_text("linetwin_scene: 1\n" + yaml, "kpis.yaml");
}

// Feeds machine `id` a history: (time, state) changes and the times at which a part was good.
void feed(LineTwins& twins, const std::string& id,
          const std::vector<std::pair<double, MachineState>>& states,
          const std::vector<double>& good_at) {
  const auto machine = static_cast<std::uint32_t>(twins.names().find_machine(id));
  const std::uint16_t good = twins.names().intern_name(kGoodPartsCounter);
  std::vector<TelemetrySample> samples;
  for (const auto& [t, state] : states) {
    TelemetrySample s;
    s.timestamp_us = static_cast<std::int64_t>(std::llround(t * kSecond));
    s.machine = machine;
    s.state = state;
    samples.push_back(s);
  }
  // The counter reads 0 when the observation starts, then counts up.
  for (std::size_t i = 0; i <= good_at.size(); ++i) {
    TelemetrySample s;
    s.timestamp_us = i == 0 ? 0 : static_cast<std::int64_t>(std::llround(good_at[i - 1] * kSecond));
    s.machine = machine;
    s.kind = SampleKind::kCounter;
    s.name = good;
    s.value = static_cast<double>(i);
    samples.push_back(s);
  }
  std::stable_sort(samples.begin(), samples.end(),
                   [](const auto& a, const auto& b) { return a.timestamp_us < b.timestamp_us; });
  for (const TelemetrySample& s : samples)
    CHECK(twins.apply(s) == ApplyOutcome::kApplied);
}

void check_same(const StationResult& twin, const StationResult& sim) {
  CHECK(twin.working == doctest::Approx(sim.working).epsilon(1e-12));
  CHECK(twin.setup == doctest::Approx(sim.setup).epsilon(1e-12));
  CHECK(twin.waiting_operator == doctest::Approx(sim.waiting_operator).epsilon(1e-12));
  CHECK(twin.starved == doctest::Approx(sim.starved).epsilon(1e-12));
  CHECK(twin.blocked == doctest::Approx(sim.blocked).epsilon(1e-12));
  CHECK(twin.down == doctest::Approx(sim.down).epsilon(1e-12));
  CHECK(twin.off_shift == doctest::Approx(sim.off_shift).epsilon(1e-12));
  CHECK(twin.parts_processed == sim.parts_processed);
  CHECK(twin.parts_good == sim.parts_good);
  CHECK(twin.failures == sim.failures);
  CHECK(twin.active_periods == sim.active_periods);
  CHECK(twin.active_period_mean_s == doctest::Approx(sim.active_period_mean_s).epsilon(1e-12));
  CHECK(twin.oee.availability == doctest::Approx(sim.oee.availability).epsilon(1e-12));
  CHECK(twin.oee.performance == doctest::Approx(sim.oee.performance).epsilon(1e-12));
  CHECK(twin.oee.quality == doctest::Approx(sim.oee.quality).epsilon(1e-12));
  CHECK(twin.oee.oee == doctest::Approx(sim.oee.oee).epsilon(1e-12));
}

}  // namespace

TEST_CASE("twin KPIs equal the simulator's: a station with breakdowns") {
  // 60 s per part from an unlimited supply; a failure after every 650 s of processing, 300 s
  // repairs, the interrupted part resumed after the repair. Over 3600 s: processing 0-650,
  // 950-1600, 1900-2550, 2850-3500; down 650-950, 1600-1900, 2550-2850, 3500-3600. That is
  // 2600 s of processing, 43 whole parts (the 44th is 20 s in), and four failures.
  const Scene scene = scene_of(R"(
run: {duration: 3600s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - id: M
    type: station
    processing: 60s
    breakdowns: {time_to_failure: 650s, time_to_repair: 300s, counted_on: operating_time}
    to: out
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  const StationResult sim = run.run_to_end().stations[0];

  std::vector<double> good_at;
  double worked = 0.0;  // processing time so far, walking the schedule above
  for (const double start : {0.0, 950.0, 1900.0, 2850.0}) {
    for (double t = start; t < start + 650.0; t += 1.0) {
      worked += 1.0;
      if (std::fmod(worked, 60.0) == 0.0) good_at.push_back(t + 1.0);
    }
  }
  REQUIRE(good_at.size() == 43);
  LineTwins twins(scene);
  feed(twins, "M",
       {{0, MachineState::kProducing},
        {650, MachineState::kDown},
        {950, MachineState::kProducing},
        {1600, MachineState::kDown},
        {1900, MachineState::kProducing},
        {2550, MachineState::kDown},
        {2850, MachineState::kProducing},
        {3500, MachineState::kDown}},
       good_at);
  twins.advance_to(3600 * kSecond);
  const TwinKpis k = twins.kpis(1);

  CHECK(k.observed_s == 3600.0);
  CHECK(k.unknown == 0.0);
  CHECK(k.station.working == doctest::Approx(2600.0 / 3600.0));
  CHECK(k.station.down == doctest::Approx(1000.0 / 3600.0));
  CHECK(k.station.parts_good == 43);
  CHECK(k.station.failures == 4);
  CHECK(k.station.active_periods == 1);  // down is active: one period over the whole run
  CHECK(k.station.oee.availability == doctest::Approx(2600.0 / 3600.0));
  CHECK(k.station.oee.performance == doctest::Approx(43 * 60.0 / 2600.0));
  CHECK(k.station.oee.quality == 1.0);
  CHECK(k.station.oee.oee == doctest::Approx(43 * 60.0 / 3600.0));
  CHECK(k.throughput_per_hour == doctest::Approx(43.0));
  CHECK(k.cycle_time_mean_s == doctest::Approx(2600.0 / 43.0));
  CHECK(k.ideal_cycle_s == 60.0);
  check_same(k.station, sim);
}

TEST_CASE("twin KPIs equal the simulator's: a fast station starved by a slow one") {
  // A needs 20 s a part from an unlimited supply, B 10 s: B waits 20 s for its first part, then
  // works 10 s and waits 10 s for each. Over 1005 s, A finishes 50 parts (at 20, 40, ..., 1000)
  // and B 49 (at 30, 50, ..., 990), the 50th begun at 1000.
  const Scene scene = scene_of(R"(
run: {duration: 1005s}
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 20s, to: Q}
  - {id: Q, type: buffer, capacity: 2, to: B}
  - {id: B, type: station, processing: 10s, to: out}
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  const ReplicationResult sim = run.run_to_end();

  LineTwins twins(scene);
  std::vector<std::pair<double, MachineState>> b_states{{0, MachineState::kIdle}};
  std::vector<double> a_good, b_good;
  for (int k = 1; k <= 50; ++k) {
    a_good.push_back(20.0 * k);
    b_states.push_back({20.0 * k, MachineState::kProducing});
    if (k < 50) {
      b_states.push_back({20.0 * k + 10.0, MachineState::kIdle});
      b_good.push_back(20.0 * k + 10.0);
    }
  }
  feed(twins, "A", {{0, MachineState::kProducing}}, a_good);
  feed(twins, "B", b_states, b_good);
  twins.advance_to(1005 * kSecond);

  const TwinKpis a = twins.kpis(1);
  const TwinKpis b = twins.kpis(3);
  CHECK(a.station.working == 1.0);
  CHECK(a.station.parts_good == 50);
  CHECK(b.station.working == doctest::Approx(495.0 / 1005.0));
  CHECK(b.station.starved == doctest::Approx(510.0 / 1005.0));
  CHECK(b.station.parts_good == 49);
  CHECK(b.station.active_periods == 50);
  CHECK(b.station.active_period_mean_s == doctest::Approx(495.0 / 50.0));
  CHECK(b.station.oee.availability == 1.0);
  CHECK(b.station.oee.performance == doctest::Approx(490.0 / 1005.0));
  check_same(a.station, sim.stations[0]);
  check_same(b.station, sim.stations[1]);
}

TEST_CASE("twin KPIs: unknown time is neither planned nor a loss, no counter no performance") {
  const Scene scene = scene_of(R"(
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - {id: M, type: station, processing: 10s, to: out}
  - {id: out, type: sink}
)");
  LineTwins twins(scene);
  // 0-40 unknown (reported as such), 40-70 producing, 70-80 setup, 80-100 off shift.
  feed(twins, "M",
       {{0, MachineState::kUnknown},
        {40, MachineState::kProducing},
        {70, MachineState::kSetup},
        {80, MachineState::kOffShift}},
       {50, 60, 70});
  twins.advance_to(100 * kSecond);
  TwinKpis k = twins.kpis(1);
  CHECK(k.unknown == doctest::Approx(0.4));
  CHECK(k.station.working == doctest::Approx(0.3));
  CHECK(k.station.setup == doctest::Approx(0.1));
  CHECK(k.station.off_shift == doctest::Approx(0.2));
  CHECK(k.station.setups == 1);
  // Planned 100 - 20 - 40 = 40 s; run 40 - 10 = 30 s; 3 parts of 10 s ideal time.
  CHECK(k.station.oee.availability == doctest::Approx(30.0 / 40.0));
  CHECK(k.station.oee.performance == doctest::Approx(1.0));
  CHECK(k.station.oee.oee == doctest::Approx(30.0 / 40.0));
  CHECK(k.throughput_per_hour == doctest::Approx(3.0 / 100.0 * 3600.0));

  // The same history without any counter: output unknown, not zero.
  LineTwins silent(scene);
  TelemetrySample s;
  s.machine = 1;
  s.state = MachineState::kProducing;
  silent.apply(s);
  silent.advance_to(100 * kSecond);
  k = silent.kpis(1);
  CHECK(k.station.oee.availability == 1.0);
  CHECK(std::isnan(k.station.oee.performance));
  CHECK(std::isnan(k.station.oee.oee));
  CHECK(std::isnan(k.throughput_per_hour));
  CHECK(std::isnan(k.cycle_time_mean_s));
}

}  // namespace linetwin
