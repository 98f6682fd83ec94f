// A twin fed small hand-made sample sequences: state integrals are exact sums of the intervals
// written down here, counters survive resets, and duplicates and late samples are counted and
// change nothing.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "io/scene_file.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/machine_twin.hpp"

namespace linetwin {

namespace {

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::uint16_t kGood = 1;
constexpr std::uint16_t kScrap = 2;
constexpr std::uint16_t kReason = 3;
constexpr std::uint16_t kChannel = 4;

TelemetrySample state_at(double seconds, MachineState state, std::uint16_t reason = 0,
                         std::uint64_t sequence = 0) {
  TelemetrySample s;
  s.timestamp_us = static_cast<std::int64_t>(std::llround(seconds * kSecond));
  s.sequence = sequence;
  s.kind = SampleKind::kState;
  s.state = state;
  s.name = reason;
  return s;
}

TelemetrySample counter_at(double seconds, std::uint16_t name, double reading,
                           std::uint64_t sequence = 0) {
  TelemetrySample s;
  s.timestamp_us = static_cast<std::int64_t>(std::llround(seconds * kSecond));
  s.sequence = sequence;
  s.kind = SampleKind::kCounter;
  s.name = name;
  s.value = reading;
  return s;
}

std::int64_t seconds_in(const MachineTwin& twin, MachineState state, double until_s) {
  return twin.time_in_state_us(state, static_cast<std::int64_t>(until_s * kSecond));
}

}  // namespace

TEST_CASE("twin: time in each state is the exact sum of the intervals between state samples") {
  MachineTwin twin({kGood, kScrap});
  CHECK(twin.apply(state_at(0, MachineState::kProducing)) == ApplyOutcome::kApplied);
  CHECK(twin.apply(state_at(10, MachineState::kIdle)) == ApplyOutcome::kApplied);
  CHECK(twin.apply(state_at(15, MachineState::kDown, kReason)) == ApplyOutcome::kApplied);
  CHECK(twin.state() == MachineState::kDown);
  CHECK(twin.reason() == kReason);
  CHECK(twin.apply(state_at(20.000001, MachineState::kProducing)) == ApplyOutcome::kApplied);
  CHECK(twin.state_since_us() == 20 * kSecond + 1);
  CHECK(twin.reason() == 0);
  // Producing 0-10 and 20.000001-30, idle 10-15, down 15-20.000001.
  CHECK(seconds_in(twin, MachineState::kProducing, 30) == 20 * kSecond - 1);
  CHECK(seconds_in(twin, MachineState::kIdle, 30) == 5 * kSecond);
  CHECK(seconds_in(twin, MachineState::kDown, 30) == 5 * kSecond + 1);
  CHECK(seconds_in(twin, MachineState::kUnknown, 30) == 0);
  // A repeated state is a heartbeat: no new interval, no new failure.
  CHECK(twin.apply(state_at(25, MachineState::kProducing)) == ApplyOutcome::kApplied);
  CHECK(seconds_in(twin, MachineState::kProducing, 30) == 20 * kSecond - 1);
  CHECK(twin.failures() == 1);
  // Active periods (producing, setup or down): 0-10, then 15 onwards (down, then producing).
  CHECK(twin.active_periods() == 2);
}

TEST_CASE("twin: an active period resumed at the instant it ended is the same period") {
  MachineTwin twin;
  twin.apply(state_at(0, MachineState::kProducing));
  twin.apply(state_at(10, MachineState::kBlocked));
  twin.apply(state_at(10, MachineState::kProducing));  // the same instant: no new period
  twin.apply(state_at(20, MachineState::kIdle));
  twin.apply(state_at(30, MachineState::kSetup));
  CHECK(twin.active_periods() == 2);
  CHECK(twin.setups() == 1);
}

TEST_CASE("twin: cumulative counters, the first reading is the baseline, a drop is a reset") {
  MachineTwin twin({kGood, kScrap});
  CHECK_FALSE(twin.reports_parts());
  twin.apply(state_at(0, MachineState::kProducing));
  twin.apply(counter_at(0, kGood, 100));  // the baseline: parts made before the observation
  CHECK(twin.reports_parts());
  twin.apply(counter_at(10, kGood, 103));  // +3
  twin.apply(counter_at(20, kGood, 105));  // +2
  twin.apply(counter_at(30, kGood, 2));    // reset to 0, then 2 made: +2
  twin.apply(counter_at(40, kGood, 4));    // +2
  twin.apply(counter_at(40, kScrap, 7));   // the scrap counter's baseline
  twin.apply(counter_at(50, kScrap, 8));   // +1
  twin.apply(counter_at(55, kGood, 4));    // no change
  CHECK(twin.good_parts() == 9.0);
  CHECK(twin.scrap_parts() == 1.0);
  REQUIRE(twin.counters().size() == 2);
  CHECK(twin.counters()[0].reading == 4.0);
  CHECK(twin.counters()[0].total == 9.0);
  CHECK(twin.counters()[0].resets == 1);
  // The last increase: 1 part at 50 s, 10 s after the 2 parts at 40 s.
  CHECK(twin.last_cycle_s() == doctest::Approx(10.0));
}

TEST_CASE("twin: samples of one message apply once each, a re-delivery is a duplicate") {
  MachineTwin twin({kGood, kScrap});
  // One message (t = 5 s, sequence 7) with a state, two counters and a sensor.
  TelemetrySample sensor = counter_at(5, kChannel, 41.5, 7);
  sensor.kind = SampleKind::kSensor;
  const TelemetrySample message[] = {state_at(5, MachineState::kProducing, 0, 7),
                                     counter_at(5, kGood, 0, 7), counter_at(5, kScrap, 0, 7),
                                     sensor};
  for (const TelemetrySample& s : message)
    CHECK(twin.apply(s) == ApplyOutcome::kApplied);
  for (const TelemetrySample& s : message)
    CHECK(twin.apply(s) == ApplyOutcome::kDuplicate);
  CHECK(twin.applied() == 4);
  CHECK(twin.duplicates() == 4);
  REQUIRE(twin.sensors().size() == 1);
  CHECK(twin.sensors()[0].value == 41.5);

  // Later messages, then a re-delivery of an earlier one: a duplicate, not out of order.
  CHECK(twin.apply(counter_at(6, kGood, 1, 8)) == ApplyOutcome::kApplied);
  CHECK(twin.apply(state_at(7, MachineState::kIdle, 0, 9)) == ApplyOutcome::kApplied);
  CHECK(twin.apply(counter_at(6, kGood, 1, 8)) == ApplyOutcome::kDuplicate);
  CHECK(twin.apply(state_at(5, MachineState::kProducing, 0, 7)) == ApplyOutcome::kDuplicate);
  // Same instant, another sequence number: another message, applied in arrival order.
  CHECK(twin.apply(state_at(7, MachineState::kDown, 0, 10)) == ApplyOutcome::kApplied);
  CHECK(twin.state() == MachineState::kDown);
  CHECK(twin.good_parts() == 1.0);
  CHECK(twin.duplicates() == 6);
  CHECK(twin.out_of_order() == 0);
  CHECK(twin.last_sequence() == 10);
}

TEST_CASE("twin: a sample older than the newest is out of order and changes nothing") {
  MachineTwin twin({kGood, kScrap});
  twin.apply(state_at(0, MachineState::kProducing, 0, 1));
  twin.apply(counter_at(0, kGood, 0, 1));
  twin.apply(counter_at(20, kGood, 10, 3));
  twin.apply(state_at(30, MachineState::kIdle, 0, 4));
  // Sent between the two: a state and a counter reading that, applied, would rewrite 10-30 s
  // and look like a counter reset.
  CHECK(twin.apply(state_at(10, MachineState::kDown, kReason, 2)) == ApplyOutcome::kOutOfOrder);
  CHECK(twin.apply(counter_at(10, kGood, 5, 2)) == ApplyOutcome::kOutOfOrder);
  CHECK(twin.out_of_order() == 2);
  CHECK(twin.state() == MachineState::kIdle);
  CHECK(twin.failures() == 0);
  CHECK(twin.good_parts() == 10.0);
  CHECK(twin.counters()[0].resets == 0);
  CHECK(seconds_in(twin, MachineState::kProducing, 40) == 30 * kSecond);
  CHECK(seconds_in(twin, MachineState::kIdle, 40) == 10 * kSecond);
  CHECK(seconds_in(twin, MachineState::kDown, 40) == 0);
  CHECK(twin.last_message_us() == 30 * kSecond);
}

TEST_CASE("twin: an explicit observation start, what came before sets state and baselines") {
  MachineTwin twin({kGood, kScrap});
  twin.set_observation_start(100 * kSecond);
  twin.apply(state_at(50, MachineState::kProducing));
  twin.apply(counter_at(50, kGood, 0));
  twin.apply(counter_at(90, kGood, 4));   // before the start: not counted
  twin.apply(counter_at(110, kGood, 6));  // +2
  twin.apply(state_at(120, MachineState::kDown));
  twin.apply(state_at(130, MachineState::kIdle));
  CHECK(twin.good_parts() == 2.0);
  CHECK(seconds_in(twin, MachineState::kProducing, 140) == 20 * kSecond);  // 100-120
  CHECK(seconds_in(twin, MachineState::kDown, 140) == 10 * kSecond);
  CHECK(seconds_in(twin, MachineState::kIdle, 140) == 10 * kSecond);
  // The period running at the start (producing, then down) counts once.
  CHECK(twin.active_periods() == 1);
  CHECK(twin.failures() == 1);
}

TEST_CASE("line twins: a machine silent until later was unknown since the first message") {
  const Scene scene = load_scene_text(R"(linetwin_scene: 1
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 10s, to: B}
  - {id: B, type: station, processing: 20s, to: out}
  - {id: out, type: sink}
)",
                                      "twins.yaml");
  LineTwins twins(scene);
  REQUIRE(twins.names().machines() == std::vector<std::string>{"in", "A", "B", "out"});
  TelemetrySample a = state_at(100, MachineState::kProducing);
  a.machine = 1;
  TelemetrySample b = state_at(130, MachineState::kIdle);
  b.machine = 2;
  twins.apply(a);
  twins.apply(b);
  CHECK(twins.observed_from_us() == 100 * kSecond);
  twins.advance_to(200 * kSecond);
  const TwinKpis kb = twins.kpis(2);
  CHECK(kb.observed_s == 100.0);
  CHECK(kb.unknown == doctest::Approx(0.3));
  CHECK(kb.station.starved == doctest::Approx(0.7));
  CHECK(twins.kpis(1).station.working == 1.0);

  // advance_to only moves the end: a late sample still newer than its machine's last applies.
  TelemetrySample late = state_at(150, MachineState::kDown);
  late.machine = 1;
  CHECK(twins.apply(late) == ApplyOutcome::kApplied);
  CHECK(twins.kpis(1).station.working == doctest::Approx(0.5));
  CHECK(twins.kpis(1).station.down == doctest::Approx(0.5));
  CHECK(twins.counts().applied == 3);

  // A machine that never reported: unknown all along, no output.
  const TwinKpis silent = twins.kpis(3);
  CHECK(silent.unknown == 1.0);
  CHECK(std::isnan(silent.station.oee.oee));
  CHECK(std::isnan(silent.throughput_per_hour));
}

}  // namespace linetwin
