// The event log keeps the newest state changes in a ring and filters them.
#include <doctest/doctest.h>

#include "event_log.hpp"
#include "io/scene_file.hpp"
#include "viewer_test_scene.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {
StationReport change(double t, ElementIndex station, StationActivity activity) {
  StationReport r;
  r.time_s = t;
  r.station = station;
  r.activity = activity;
  r.activity_changed = true;
  return r;
}
}  // namespace

TEST_CASE("the event log keeps state changes, newest kept, and filters them") {
  const Scene& scene = viewer_test_scene();
  const ElementIndex op10 = *scene.find("OP10");
  const ElementIndex op20 = *scene.find("OP20");
  EventLog log(scene, 4);
  StationReport counted = change(1.0, op10, StationActivity::kWorking);
  counted.activity_changed = false;
  counted.counters_changed = true;
  log.add(counted);
  CHECK(log.size() == 0);  // a part counted is not an event

  log.add({change(1.0, op10, StationActivity::kWorking), change(2.0, op20, StationActivity::kIdle),
           change(3.0, op10, StationActivity::kDown), change(4.0, op20, StationActivity::kWorking),
           change(3725.0, op10, StationActivity::kWorking)});
  REQUIRE(log.size() == 4);  // the oldest was dropped
  CHECK(log.entry(0).time_s == 2.0);
  CHECK(log.entry(3).time_s == 3725.0);
  CHECK(log.describe(log.entry(3)) == "1h 02min 05s  OP10  working");

  CHECK(log.matching({}).size() == 4);
  CHECK(log.matching({op10, std::nullopt, ""}) == std::vector<std::size_t>{1, 3});
  CHECK(log.matching({std::nullopt, ViewState::kWorking, ""}) == std::vector<std::size_t>{2, 3});
  CHECK(log.matching({std::nullopt, std::nullopt, "DOWN"}) == std::vector<std::size_t>{1});
  CHECK(log.matching({std::nullopt, std::nullopt, "op2"}) == std::vector<std::size_t>{0, 2});
  CHECK(log.matching({op20, ViewState::kDown, ""}).empty());
  log.clear();
  CHECK(log.size() == 0);
}
