// The level history keeps, for every buffer and conveyor, the parts the view showed at each
// sample, evenly spaced over the whole run in bounded memory.
#include <doctest/doctest.h>

#include "layout_view.hpp"
#include "level_history.hpp"
#include "plant/line_run.hpp"
#include "simulation_source.hpp"
#include "viewer_test_scene.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

TEST_CASE("level history: the buffers' and conveyors' parts as a LineRun has them at each sample") {
  const Scene& scene = viewer_test_scene();
  SimulationSource source(scene, 7);
  LevelHistory history(scene);
  LineView view = layout_view(scene, ".");
  const std::vector<double> times = {0.0, 600.0, 1234.5, 3600.0};
  for (const double t : times) {
    source.run_until(t);
    source.update(view);
    history.record(view);
  }
  // The scene's buffer and conveyor, in scene order; no other element.
  REQUIRE(history.elements().size() == 2);
  CHECK(history.elements()[0] == *scene.find("belt"));
  CHECK(history.elements()[1] == *scene.find("B1"));
  CHECK(history.position_of(*scene.find("B1")) == 1u);
  CHECK_FALSE(history.position_of(*scene.find("OP10")).has_value());
  REQUIRE(history.times_s() == times);
  for (std::size_t i = 0; i < times.size(); ++i) {
    LineRun run(scene, 7, 0);
    run.advance_to(times[i]);
    for (std::size_t k = 0; k < history.elements().size(); ++k)
      CHECK(history.levels(k)[i] == run.parts_at(history.elements()[k]));
  }
}

TEST_CASE("level history: samples once per interval, halves when full, and starts afresh back") {
  const Scene& scene = viewer_test_scene();
  LevelHistory history(scene, 8, 1.0);
  LineView view = layout_view(scene, ".");
  for (int k = 0; k < 64; ++k) {
    view.time_s = 0.5 * k;
    view.elements[*scene.find("B1")].parts = static_cast<std::uint64_t>(k);
    history.record(view);
    CHECK(history.times_s().size() <= 8);
  }
  // 8 samples a second apart (0 to 7 s), halved to 4 at every 2 s, refilled to 8 (0 to 14 s),
  // halved to 4 at every 4 s, refilled: 0, 4, ..., 28 s, the level each time twice the time.
  CHECK(history.interval_s() == 4.0);
  const std::vector<double> expected = {0, 4, 8, 12, 16, 20, 24, 28};
  CHECK(history.times_s() == expected);
  const std::size_t b1 = *history.position_of(*scene.find("B1"));
  for (std::size_t i = 0; i < expected.size(); ++i)
    CHECK(history.levels(b1)[i] == static_cast<std::uint32_t>(2 * expected[i]));
  view.time_s = 3.0;  // back in time: a replay scrubbed back
  history.record(view);
  CHECK(history.times_s() == std::vector<double>{3.0});
  CHECK(history.interval_s() == 1.0);
}
