// The line's state estimated from its twins against the simulation that sent their telemetry: a
// scene runs with its stations reporting as machines would (SimulatedTelemetry), stops at a time
// between events, the twins take every sample sent, and their estimate must give each station's
// activity, time in it and parts held (in process and finished) and each buffer's level exactly
// as the run's own snapshot has them. Then what the estimate cannot tell (a buffer fed by a
// source, a counter reset), a level signal that wins over the counts, and the twin's record of the
// part in process, on hand-made samples.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "telemetry/line_state_estimate.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/simulated_telemetry.hpp"

namespace linetwin {

namespace {

constexpr std::int64_t kStartUs = 1'767'571'200'000'000;  // 2026-01-05T00:00Z
constexpr std::int64_t kSecond = 1'000'000;

std::int64_t at_us(double t_s) {
  return kStartUs + std::llround(t_s * 1e6);
}

// A line with a two-server station between two buffers that fill (OP30 is the slowest), and a
// first station whose breakdowns come on calendar time, so that it also fails while blocked.
constexpr const char* kTwoServerScene = R"(linetwin_scene: 1
name: two servers
seed: 99
run: {duration: 10h}
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - id: OP10
    type: station
    processing: {distribution: gamma, shape: 4, mean: 30s}
    breakdowns:
      time_to_failure: {distribution: exponential, mean: 10min}
      time_to_repair: {distribution: exponential, mean: 1min}
      counted_on: calendar_time
    to: B1
  - {id: B1, type: buffer, capacity: 4, to: OP20}
  - id: OP20
    type: station
    servers: 2
    processing: {distribution: gamma, shape: 4, mean: 70s}
    to: B2
  - {id: B2, type: buffer, capacity: 3, to: OP30}
  - {id: OP30, type: station, processing: {distribution: gamma, shape: 4, mean: 40s}, to: done}
  - {id: done, type: sink}
)";

// Simulated telemetry into a log, and when each station's activity began (Scene::stations()
// order), which the run's snapshot needs for times in state.
class Reporter final : public StationObserver {
 public:
  Reporter(const Scene& scene, TelemetryLog& log)
      : telemetry_(scene, log, kStartUs),
        position_(scene.elements().size(), 0),
        since_s_(scene.stations().size(), 0.0) {
    for (std::size_t i = 0; i < scene.stations().size(); ++i)
      position_[scene.stations()[i]] = i;
  }
  void on_station_report(const StationReport& report) override {
    telemetry_.on_station_report(report);
    if (report.activity_changed) since_s_[position_[report.station]] = report.time_s;
  }
  const std::vector<double>& since_s() const { return since_s_; }

 private:
  SimulatedTelemetry telemetry_;
  std::vector<std::size_t> position_;
  std::vector<double> since_s_;
};

// A run of `scene` from time zero, its telemetry applied to twins up to any time asked.
class ObservedRun {
 public:
  explicit ObservedRun(const Scene& scene)
      : scene_(scene),
        run_(scene, scene.seed(), 0, settings(scene)),
        reporter_(scene, log_),
        twins_(scene) {
    run_.observe(&reporter_);
  }
  static RunSettings settings(const Scene& scene) {
    RunSettings s = scene.run_settings();
    s.warmup_s = 0.0;
    return s;
  }
  // Runs to `t_s` and applies the samples sent meanwhile.
  void advance_to(double t_s) {
    run_.advance_to(t_s);
    if (!binding_) binding_.emplace(log_.names, twins_);
    for (; applied_ < log_.samples.size(); ++applied_)
      binding_->apply(log_.samples[applied_]);
  }
  LineSnapshot exact() const { return run_.snapshot(reporter_.since_s()); }
  LineTwins& twins() { return twins_; }
  const Scene& scene() const { return scene_; }

 private:
  const Scene& scene_;
  LineRun run_;
  TelemetryLog log_;
  Reporter reporter_;
  LineTwins twins_;
  std::optional<LogBinding> binding_;
  std::size_t applied_ = 0;
};

// A sample of its own message: samples of one message (time and sequence number) that repeat a
// kind and name are re-deliveries to a twin.
TelemetrySample sample_at(double t_s, ElementIndex machine, SampleKind kind, std::uint16_t name,
                          double value = 0.0, MachineState state = MachineState::kUnknown) {
  static std::uint64_t sequence = 0;
  TelemetrySample s;
  s.timestamp_us = at_us(t_s);
  s.sequence = ++sequence;
  s.machine = machine;
  s.kind = kind;
  s.name = name;
  s.value = value;
  s.state = state;
  return s;
}

const BufferSnapshot& buffer_of(const LineSnapshot& snapshot, const std::string& id) {
  for (const BufferSnapshot& b : snapshot.buffers) {
    if (b.id == id) return b;
  }
  FAIL("no buffer " << id);
  return snapshot.buffers.front();
}

std::size_t finished_parts(const StationSnapshot& s) {
  std::size_t n = 0;
  for (const HeldPart& p : s.parts)
    n += p.finished ? 1 : 0;
  return n;
}

// What the test saw, to show that the scenes exercise each rule of the estimator.
struct Seen {
  std::size_t finished_and_in_process = 0;  // a station holding both kinds of parts
  std::size_t stopped_with_parts = 0;
  std::size_t stopped_after_handing_over = 0;  // stopped while blocked, holding nothing now
  std::size_t full_buffers = 0;
};

void check_estimate(const LineTwins& twins, const LineSnapshot& exact, const LineSnapshot& estimate,
                    const std::string& where, Seen& seen) {
  INFO(where);
  REQUIRE(estimate.stations.size() == exact.stations.size());
  REQUIRE(estimate.buffers.size() == exact.buffers.size());
  for (std::size_t i = 0; i < exact.stations.size(); ++i) {
    const StationSnapshot& want = exact.stations[i];
    const StationSnapshot& got = estimate.stations[i];
    INFO("station " << want.id);
    CHECK(got.id == want.id);
    CHECK(static_cast<int>(got.activity) == static_cast<int>(want.activity));
    // The telemetry's clock has whole microseconds.
    CHECK(std::fabs(got.in_state_s - want.in_state_s) <= 2e-6);
    CHECK(got.parts.size() == want.parts.size());
    CHECK(finished_parts(got) == finished_parts(want));
    const std::size_t finished = finished_parts(want);
    if (finished > 0 && finished < want.parts.size()) ++seen.finished_and_in_process;
    const bool stopped =
        want.activity == StationActivity::kDown || want.activity == StationActivity::kOffShift;
    if (stopped && !want.parts.empty()) ++seen.stopped_with_parts;
    const MachineTwin& twin = twins.twin(twins.scene().stations()[i]);
    if (stopped && want.parts.empty() && twin.state_before_stop() == MachineState::kBlocked)
      ++seen.stopped_after_handing_over;
  }
  for (std::size_t i = 0; i < exact.buffers.size(); ++i) {
    const BufferSnapshot& want = exact.buffers[i];
    const BufferSnapshot& got = estimate.buffers[i];
    INFO("buffer " << want.id << ": " << got.source);
    CHECK(got.id == want.id);
    CHECK(got.source == "counters");
    CHECK(got.level == want.level);
    const Element& e = twins.scene().element(twins.scene().buffers()[i]);
    if (want.level == twins.scene().buffer_spec(e).capacity) ++seen.full_buffers;
  }
}

}  // namespace

TEST_CASE("line state estimate: equals the simulation at three times on three scenes") {
  const Scene breakdown = load_scene_file(LINETWIN_SOURCE_DIR "/scenes/breakdown_line.yaml");
  const Scene balanced = load_scene_file(LINETWIN_SOURCE_DIR "/scenes/balanced_line.yaml");
  const Scene two_servers = load_scene_text(kTwoServerScene, "two_servers.yaml");
  for (const Scene* scene : {&breakdown, &balanced, &two_servers}) {
    ObservedRun run(*scene);
    Seen seen;
    for (double t : {1234.567, 7654.321, 20000.0 + 1 / 3.0}) {
      run.advance_to(t);
      const LineSnapshot estimate = estimate_line_state(run.twins(), at_us(t), "replay");
      CHECK(estimate.origin == "replay");
      CHECK(estimate.timestamp_us == at_us(t));
      check_estimate(run.twins(), run.exact(), estimate, scene->name() + " at " + std::to_string(t),
                     seen);
    }
  }
}

TEST_CASE("line state estimate: equals the simulation at 600 instants of each scene") {
  const Scene breakdown = load_scene_file(LINETWIN_SOURCE_DIR "/scenes/breakdown_line.yaml");
  const Scene balanced = load_scene_file(LINETWIN_SOURCE_DIR "/scenes/balanced_line.yaml");
  const Scene two_servers = load_scene_text(kTwoServerScene, "two_servers.yaml");
  Seen seen;
  for (const Scene* scene : {&breakdown, &balanced, &two_servers}) {
    ObservedRun run(*scene);
    constexpr int kInstants = 600;
    // Between events: a step that no processing or repair time lands on.
    const double step = scene->run_settings().duration_s / (kInstants + std::sqrt(2.0));
    for (int k = 1; k <= kInstants; ++k) {
      const double t = k * step;
      run.advance_to(t);
      check_estimate(run.twins(), run.exact(), estimate_line_state(run.twins(), at_us(t), "live"),
                     scene->name() + " at " + std::to_string(t), seen);
    }
  }
  // Every rule was put to the test: a two-server station with a blocked server beside a working
  // one, stations stopped holding parts and stopped after handing their blocked part over, full
  // buffers.
  CHECK(seen.finished_and_in_process > 10);
  CHECK(seen.stopped_with_parts > 10);
  CHECK(seen.stopped_after_handing_over > 0);
  CHECK(seen.full_buffers > 100);
}

}  // namespace linetwin

namespace linetwin {

TEST_CASE("line state estimate: a level signal wins over the counts, and must be a level") {
  const Scene scene = load_scene_file(LINETWIN_SOURCE_DIR "/scenes/breakdown_line.yaml");
  ObservedRun run(scene);
  const double t = 5000.5;
  run.advance_to(t);
  const LineSnapshot exact = run.exact();
  const std::uint64_t counted = *buffer_of(exact, "B2").level;
  const ElementIndex b2 = *scene.find("B2");
  const std::uint16_t level = run.twins().names().intern_name(kBufferLevelChannel);
  // A signal that says one part more (or less) than the buffer holds: the signal is believed.
  const double signalled = counted == 8 ? 7.0 : static_cast<double>(counted + 1);
  run.twins().apply(sample_at(t, b2, SampleKind::kSensor, level, signalled));
  LineSnapshot estimate = estimate_line_state(run.twins(), at_us(t), "live");
  CHECK(buffer_of(estimate, "B2").source == "level signal");
  CHECK(buffer_of(estimate, "B2").level == static_cast<std::uint64_t>(signalled));
  CHECK(buffer_of(estimate, "B1").source == "counters");
  CHECK(buffer_of(estimate, "B1").level == buffer_of(exact, "B1").level);
  // Above the capacity, negative or not whole: no level at all, and the source says why.
  for (double reading : {9.0, -1.0, 2.5}) {
    run.twins().apply(sample_at(t, b2, SampleKind::kSensor, level, reading));
    estimate = estimate_line_state(run.twins(), at_us(t), "live");
    INFO(reading);
    CHECK_FALSE(buffer_of(estimate, "B2").level);
    CHECK(buffer_of(estimate, "B2").source == "unknown: the level signal reads " +
                                                  fmt::format("{}", reading) +
                                                  ", not a whole number from 0 to the capacity 8");
  }
}

TEST_CASE("line state estimate: a counter reset leaves the buffers around the station unknown") {
  const Scene scene = load_scene_file(LINETWIN_SOURCE_DIR "/scenes/breakdown_line.yaml");
  ObservedRun run(scene);
  const double t = 3000.25;
  run.advance_to(t);
  const ElementIndex op20 = *scene.find("OP20");
  const std::uint16_t good = run.twins().names().intern_name(kGoodPartsCounter);
  // Reset to zero and counted up to 2 since: the reading no longer counts from the line's start.
  run.twins().apply(sample_at(t, op20, SampleKind::kCounter, good, 2.0));
  REQUIRE(run.twins().twin(op20).counter(good)->resets == 1);
  const LineSnapshot estimate = estimate_line_state(run.twins(), at_us(t), "live");
  const std::string why =
      "unknown: the good counter of OP20 was reset, so it no longer counts from the line's start";
  for (const char* id : {"B1", "B2"}) {
    INFO(id);
    CHECK_FALSE(buffer_of(estimate, id).level);
    CHECK(buffer_of(estimate, id).source == why);
  }
  CHECK(buffer_of(estimate, "B3").level == buffer_of(run.exact(), "B3").level);
}

TEST_CASE("line state estimate: a buffer fed by a source is unknown, unless it signals its level") {
  const Scene scene = load_scene_file(LINETWIN_SOURCE_DIR "/tests/plant/scenes/small_line.yaml");
  ObservedRun run(scene);
  const double t = 7200.125;
  run.advance_to(t);
  LineSnapshot estimate = estimate_line_state(run.twins(), at_us(t), "live");
  CHECK_FALSE(buffer_of(estimate, "B1").level);
  CHECK(buffer_of(estimate, "B1").source ==
        "unknown: fed by source in, which has no part counters");
  CHECK(buffer_of(estimate, "B2").source == "counters");
  CHECK(buffer_of(estimate, "B2").level == buffer_of(run.exact(), "B2").level);
  const std::uint16_t level = run.twins().names().intern_name(kBufferLevelChannel);
  run.twins().apply(sample_at(t, *scene.find("B1"), SampleKind::kSensor, level, 3.0));
  estimate = estimate_line_state(run.twins(), at_us(t), "live");
  CHECK(buffer_of(estimate, "B1").level == 3u);
  CHECK(buffer_of(estimate, "B1").source == "level signal");
}

TEST_CASE("line state estimate: a station that reported no state is idle for an unknown time") {
  const Scene scene = load_scene_file(LINETWIN_SOURCE_DIR "/scenes/breakdown_line.yaml");
  LineTwins twins(scene);
  const std::uint16_t good = twins.names().intern_name(kGoodPartsCounter);
  const std::uint16_t scrap = twins.names().intern_name(kScrapPartsCounter);
  // OP10 has made 5 parts and works on the sixth; OP20 has taken and finished 3, and says
  // nothing of its state.
  const ElementIndex op10 = *scene.find("OP10");
  const ElementIndex op20 = *scene.find("OP20");
  twins.apply(sample_at(0, op10, SampleKind::kState, 0, 0.0, MachineState::kIdle));
  twins.apply(sample_at(0, op10, SampleKind::kCounter, good, 0.0));
  twins.apply(sample_at(0, op10, SampleKind::kState, 0, 0.0, MachineState::kProducing));
  twins.apply(sample_at(250, op10, SampleKind::kCounter, good, 5.0));
  twins.apply(sample_at(0, op20, SampleKind::kCounter, good, 0.0));
  twins.apply(sample_at(0, op20, SampleKind::kCounter, scrap, 0.0));
  twins.apply(sample_at(240, op20, SampleKind::kCounter, good, 3.0));
  const LineSnapshot estimate = estimate_line_state(twins, at_us(260), "live");
  const StationSnapshot& first = estimate.stations[0];
  CHECK(first.activity == StationActivity::kWorking);
  CHECK(first.in_state_s == 260.0);
  REQUIRE(first.parts.size() == 1);
  CHECK_FALSE(first.parts[0].finished);
  CHECK(first.parts[0].work_done_s == 10.0);  // since the fifth part was counted
  const StationSnapshot& second = estimate.stations[1];
  CHECK(second.activity == StationActivity::kIdle);
  CHECK(std::isnan(second.in_state_s));
  CHECK(second.parts.empty());
  CHECK_FALSE(buffer_of(estimate, "B1").level);
  CHECK(buffer_of(estimate, "B1").source ==
        "unknown: OP20, which takes from it, has reported no state");
}

TEST_CASE("twin: the part in process, what a stop interrupted, and when a reason began") {
  constexpr std::uint16_t kGood = 1;
  constexpr std::uint16_t kWaitingOperator = 2;
  MachineTwin twin({kGood, 0});
  const auto state = [&](double t_s, MachineState s, std::uint16_t reason = 0) {
    twin.apply(sample_at(t_s, 0, SampleKind::kState, reason, 0.0, s));
  };
  const auto good = [&](double t_s, double reading) {
    twin.apply(sample_at(t_s, 0, SampleKind::kCounter, kGood, reading));
  };
  // Producing at its first message: since when is not known, until a part is counted.
  state(0, MachineState::kProducing);
  CHECK_FALSE(twin.work_on_part_us(at_us(5)));
  good(0, 10.0);  // the baseline reading: no part counted
  CHECK_FALSE(twin.work_on_part_us(at_us(5)));
  good(20, 11.0);
  CHECK(twin.work_on_part_us(at_us(30)) == 10 * kSecond);
  // Down after 25 s on the part, repaired 100 s later, on it 5 s more: 30 s, the stop not counted.
  state(45, MachineState::kDown);
  CHECK(twin.state_before_stop() == MachineState::kProducing);
  state(60, MachineState::kOffShift);  // a stop during a stop keeps what came before both
  CHECK(twin.state_before_stop() == MachineState::kProducing);
  CHECK(twin.work_on_part_us(at_us(100)) == 25 * kSecond);
  state(145, MachineState::kProducing);
  CHECK(twin.work_on_part_us(at_us(150)) == 30 * kSecond);
  // Counted at 160 and starved at once; a part starts after waiting for its operator.
  good(160, 12.0);
  state(160, MachineState::kIdle);
  CHECK(twin.work_on_part_us(at_us(170)) == 0);
  state(170, MachineState::kIdle, kWaitingOperator);
  CHECK(twin.state_since_us() == at_us(160));
  CHECK(twin.reason_since_us() == at_us(170));
  state(171, MachineState::kIdle, kWaitingOperator);  // a heartbeat: the same spell
  CHECK(twin.reason_since_us() == at_us(170));
  state(180, MachineState::kProducing);
  CHECK(twin.work_on_part_us(at_us(181.5)) == 1'500'000);
  // Blocked after it is counted; stopped while blocked.
  good(190, 13.0);
  state(190, MachineState::kBlocked);
  state(200, MachineState::kDown);
  CHECK(twin.state_before_stop() == MachineState::kBlocked);
  CHECK(twin.work_on_part_us(at_us(210)) == 0);
}

}  // namespace linetwin
