// Telemetry of one station, made by a small event loop from known distributions, for the
// calibration and drift tests: the station always has a part to work on and room to hand it on
// (a saturated station, as behind an unlimited supply and in front of a sink), may wait idle
// between parts, breaks down on operating or calendar time, and resumes an interrupted part
// after the repair (preempt-resume), as the simulator's stations do. It keeps every duration it
// drew, so a test can compare what calibration reads from the log with the truth.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/distribution.hpp"
#include "core/random_stream.hpp"
#include "plant/scene.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin::test {

// The scene of the drift tests: a saturated station, as the synthetic log's station is (always a
// part to work on, always room): a part a minute on average (gamma, shape 4), a breakdown every
// 4 h of work, repaired in 6 min on average (lognormal, sd 3 min).
inline constexpr std::string_view kSaturatedStationScene = R"(linetwin_scene: 1
name: saturated station
seed: 11
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - id: OP10
    type: station
    processing: {distribution: gamma, shape: 4, mean: 60s}
    breakdowns:
      time_to_failure: {distribution: exponential, mean: 4h}
      time_to_repair: {distribution: lognormal, mean: 6min, sd: 3min}
    to: done
  - {id: done, type: sink}
)";

struct SyntheticStation {
  std::string id = "OP10";
  Distribution processing = Distribution::exponential(60.0);
  bool breakdowns = true;
  Distribution time_to_failure = Distribution::exponential(3600.0);
  Distribution time_to_repair = Distribution::lognormal(600.0, 300.0);
  FailureClock counted_on = FailureClock::kOperatingTime;
  double idle_probability = 0.0;  // after each part, the station waits this often ...
  Distribution idle = Distribution::exponential(30.0);  // ... this long for the next one
  double scrap_probability = 0.0;
  double horizon_s = 8 * 3600.0;
  std::uint64_t seed = 1;
};

// The durations the loop drew that a reader of the log can see whole: parts begun and finished
// within the log, times to failure that began at a repair, repairs that ended.
struct SyntheticTruth {
  std::vector<double> processing_s;
  std::vector<double> time_to_failure_s;
  std::vector<double> time_to_repair_s;
};

inline constexpr std::int64_t kSyntheticStartUs = 1'700'000'000'000'000;  // 2023-11-14

// Appends the station's samples to `log` and returns what it drew.
inline SyntheticTruth synthesize_station(const SyntheticStation& st, TelemetryLog& log) {
  SyntheticTruth truth;
  const std::uint32_t machine = log.names.intern_machine(st.id);
  const std::uint16_t good = log.names.intern_name(kGoodPartsCounter);
  const std::uint16_t scrap = log.names.intern_name(kScrapPartsCounter);
  const std::uint16_t breakdown = log.names.intern_name("breakdown");
  RandomStream rng(st.seed, st.id, "synthetic telemetry", 0);
  std::uint64_t sequence = 0;
  auto at = [](double t) { return kSyntheticStartUs + std::llround(t * 1e6); };
  auto state = [&](double t, MachineState s, std::uint16_t reason = 0) {
    log.samples.push_back({at(t), ++sequence, 0.0, machine, reason, SampleKind::kState, s});
  };
  double counts[2] = {0.0, 0.0};
  auto count = [&](double t, int which) {
    log.samples.push_back({at(t), ++sequence, counts[which], machine, which == 0 ? good : scrap,
                           SampleKind::kCounter, MachineState::kUnknown});
  };

  double t = 0.0;
  state(t, MachineState::kIdle);  // in view before the first part starts
  count(t, 0);
  count(t, 1);
  const double kNever = 1e300;
  bool first_failure = true;  // its time to failure began before any repair in view
  double ttf_left = st.breakdowns ? st.time_to_failure.sample(rng) : kNever;  // operating time
  double next_failure = ttf_left;                                             // calendar time
  double ttf_drawn = ttf_left;
  auto failure_due = [&](double now) {
    return st.counted_on == FailureClock::kOperatingTime ? now + ttf_left : next_failure;
  };
  // Breaks down at `when`, repairs, and arms the next failure; returns the repair's end.
  auto break_down = [&](double when) {
    state(when, MachineState::kDown, breakdown);
    if (!first_failure) truth.time_to_failure_s.push_back(ttf_drawn);
    first_failure = false;
    const double repair = st.time_to_repair.sample(rng);
    const double end = when + repair;
    if (end <= st.horizon_s) truth.time_to_repair_s.push_back(repair);
    ttf_drawn = ttf_left = st.time_to_failure.sample(rng);
    next_failure = end + ttf_drawn;
    return end;
  };

  while (t < st.horizon_s) {
    const double processing = st.processing.sample(rng);
    double remaining = processing;
    state(t, MachineState::kProducing);
    while (remaining > 0.0 && t < st.horizon_s) {
      const double due = failure_due(t);
      if (due < t + remaining) {
        remaining -= due - t;
        t = break_down(due);
        if (t < st.horizon_s) state(t, MachineState::kProducing);
      } else {
        t += remaining;
        ttf_left -= remaining;
        remaining = 0.0;
      }
    }
    if (t >= st.horizon_s) break;
    const int which = rng.uniform01() < st.scrap_probability ? 1 : 0;
    ++counts[which];
    count(t, which);
    truth.processing_s.push_back(processing);
    if (rng.uniform01() < st.idle_probability) {
      double wait = st.idle.sample(rng);
      state(t, MachineState::kIdle);
      // Only a calendar-time failure can strike while the station waits.
      while (wait > 0.0 && t < st.horizon_s) {
        const double due = st.counted_on == FailureClock::kCalendarTime ? next_failure : kNever;
        if (due < t + wait) {
          wait -= due - t;
          t = break_down(due);
          if (t < st.horizon_s) state(t, MachineState::kIdle);
        } else {
          t += wait;
          wait = 0.0;
        }
      }
    }
  }
  return truth;
}

}  // namespace linetwin::test
