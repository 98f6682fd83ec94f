// The state timeline: each station's spans start and end exactly at its changes, from a
// simulation and from a replayed recording of it, and a long run of quick changes stays within the
// memory bound by folding the narrow spans into mixed ones.
#include <doctest/doctest.h>

#include <vector>

#include "io/scene_file.hpp"
#include "replay_source.hpp"
#include "simulation_source.hpp"
#include "state_timeline.hpp"
#include "telemetry/simulated_telemetry.hpp"
#include "viewer/scenes/timeline_failures.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

const Scene& failures_scene() {
  static const Scene scene =
      load_scene_file(LINETWIN_SOURCE_DIR "/tests/viewer/scenes/timeline_failures.yaml");
  return scene;
}

void check_spans(const StateTimeline& timeline, std::size_t station,
                 const std::vector<timeline_failures::Span>& expected) {
  CAPTURE(station);
  const std::vector<StateSpan>& spans = timeline.spans(station);
  REQUIRE(spans.size() == expected.size());
  for (std::size_t i = 0; i < spans.size(); ++i) {
    CAPTURE(i);
    CHECK(spans[i].start_s == doctest::Approx(expected[i].start_s).epsilon(1e-9));
    CHECK(timeline.span_end(station, i) == doctest::Approx(expected[i].end_s).epsilon(1e-9));
    CHECK(spans[i].state == expected[i].state);
    CHECK_FALSE(spans[i].mixed);
  }
}

// Moves `source` to each time in turn, handing the timeline its reports as the panels do.
template <typename Source, typename MoveTo>
void follow(Source& source, StateTimeline& timeline, const std::vector<double>& times,
            MoveTo move_to) {
  std::vector<StationReport> reports;
  for (const double t : times) {
    move_to(t);
    reports.clear();
    source.take_reports(reports);
    timeline.take(reports, source.time_s());
  }
}

}  // namespace

TEST_CASE("state timeline: a simulation's failures at their exact times, working between") {
  SimulationSource source(failures_scene(), 7);
  StateTimeline timeline(failures_scene());
  // Uneven steps, some inside a failure, so a span is extended across several takes.
  follow(source, timeline, {0.0, 123.4, 350.0, 799.9, 1000.0},
         [&](double t) { source.run_until(t); });
  CHECK(timeline.end_s() == 1000.0);
  check_spans(timeline, 0, timeline_failures::op10(1000.0));
  check_spans(timeline, 1, timeline_failures::op20(1000.0));
}

TEST_CASE(
    "state timeline: a replayed recording of the run gives the same spans, and scrubbing "
    "back starts afresh") {
  RunSettings run = failures_scene().run_settings();
  ReplaySource replay(failures_scene(),
                      simulate_telemetry(failures_scene(), 7, 0, run, 1'767'571'200'000'000));
  StateTimeline timeline(failures_scene());
  follow(replay, timeline, {0.0, 500.0, 1300.0}, [&](double t) { replay.seek(t); });
  check_spans(timeline, 0, timeline_failures::op10(1300.0));
  check_spans(timeline, 1, timeline_failures::op20(1300.0));
  // Back to 750 s: the replay rebuilds its twins and reports again from its start.
  follow(replay, timeline, {750.0}, [&](double t) { replay.seek(t); });
  CHECK(timeline.end_s() == 750.0);
  check_spans(timeline, 0, timeline_failures::op10(750.0));
  check_spans(timeline, 1, timeline_failures::op20(750.0));
}

TEST_CASE("state timeline: quick changes over a long run stay within 2 * columns + 2 spans") {
  const Scene& scene = failures_scene();
  constexpr std::size_t kColumns = 64;
  StateTimeline timeline(scene, kColumns);
  const ElementIndex op10 = scene.stations()[0];
  const ElementIndex op20 = scene.stations()[1];
  // OP10 changes every second (2 s working, then 1 s down) for 10 hours; OP20 works throughout.
  std::vector<StationReport> reports;
  reports.push_back({0.0, op20, StationActivity::kWorking, true});
  for (int k = 0; k < 12000; ++k) {
    const double t = 3.0 * k;
    reports.push_back({t, op10, StationActivity::kWorking, true});
    reports.push_back({t + 2.0, op10, StationActivity::kDown, true});
    if (reports.size() >= 100) {
      timeline.take(reports, t + 2.0);
      reports.clear();
    }
    CHECK(timeline.spans(0).size() <= 2 * kColumns + 2);
  }
  timeline.take(reports, 36000.0);
  // The resolution: the smallest power-of-two multiple of the first that fits 10 h in 64 columns.
  double resolution = StateTimeline::kFirstResolutionS;
  while (36000.0 > kColumns * resolution)
    resolution *= 2.0;
  CHECK(timeline.resolution_s() == resolution);
  // Every 3 s change is far below the 562.5 s resolution: one mixed span, mostly working, and
  // the open span; the time it holds is the whole run's.
  const std::vector<StateSpan>& op10_spans = timeline.spans(0);
  REQUIRE(op10_spans.size() == 2);
  CHECK(op10_spans[0].mixed);
  CHECK(op10_spans[0].state == ViewState::kWorking);
  CHECK(op10_spans[0].start_s == 0.0);
  // OP20 never changed: one exact span over the whole run.
  REQUIRE(timeline.spans(1).size() == 1);
  CHECK_FALSE(timeline.spans(1)[0].mixed);
  CHECK(timeline.span_end(1, 0) == 36000.0);
}

TEST_CASE("state timeline: two changes at one instant leave no empty span between them") {
  const Scene& scene = failures_scene();
  StateTimeline timeline(scene);
  const ElementIndex op10 = scene.stations()[0];
  timeline.take({{0.0, op10, StationActivity::kIdle, true},
                 {0.0, op10, StationActivity::kWorking, true},
                 {50.0, op10, StationActivity::kBlocked, true},
                 {50.0, op10, StationActivity::kWorking, true}},
                100.0);
  const std::vector<StateSpan>& spans = timeline.spans(0);
  REQUIRE(spans.size() == 1);
  CHECK(spans[0].state == ViewState::kWorking);
  CHECK(spans[0].start_s == 0.0);
  CHECK(timeline.span_end(0, 0) == 100.0);
  CHECK(timeline.spans(1).empty());  // OP20 never reported
}
