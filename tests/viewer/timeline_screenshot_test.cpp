// The state timeline as drawn: a scene whose stations fail at known times
// (tests/viewer/scenes/timeline_failures.yaml), captured at 1,000 s with only the timeline open.
// Where the panel put its plot and which times its edges stand for come from --screenshot-info,
// so each failure's pixel columns follow from its times; each row must be in the down colour
// inside every failure and in the working colour outside, up to two pixels from each change.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "screenshot_support.hpp"
#include "viewer/scenes/timeline_failures.hpp"

using namespace linetwin;
using namespace linetwin::viewer;
using namespace linetwin::viewer::screenshots;

namespace {

constexpr double kTime = 1000.0;
// A state change may fall anywhere in a pixel column: columns this close to one are not checked.
constexpr float kEdgePx = 2.0f;

}  // namespace

TEST_CASE("screenshot: the state timeline shows each failure at its times, working between") {
  const Capture shot =
      capture(kScenes / "timeline_failures.yaml", kTime, 0, {1280, 720}, "timeline");
  if (!shot.image) return;
  INFO("--screenshot-info: " << shot.info.dump());
  REQUIRE(shot.info.contains("timeline"));
  const auto& timeline = shot.info.at("timeline");
  REQUIRE(timeline.is_object());
  const auto& plot = timeline.at("plot");
  const float x0 = plot[0].get<float>();
  const float x1 = plot[2].get<float>();
  const double start_s = timeline.at("time")[0].get<double>();
  const double end_s = timeline.at("time")[1].get<double>();
  CHECK(start_s == 0.0);
  CHECK(end_s == kTime);
  // A plot wide enough that the shortest span (100 s) covers many columns.
  REQUIRE(x1 - x0 >= 200.0f);
  auto x_of = [&](double t) {
    return x0 + static_cast<float>((t - start_s) / (end_s - start_s)) * (x1 - x0);
  };

  const std::vector<std::pair<std::string, std::vector<timeline_failures::Span>>> stations = {
      {"OP10", timeline_failures::op10(kTime)}, {"OP20", timeline_failures::op20(kTime)}};
  for (const auto& [id, spans] : stations) {
    CAPTURE(id);
    const auto row = std::find_if(timeline.at("rows").begin(), timeline.at("rows").end(),
                                  [&](const auto& r) { return r.at("id") == id; });
    REQUIRE(row != timeline.at("rows").end());
    const float y = std::floor((row->at("y")[0].get<float>() + row->at("y")[1].get<float>()) / 2);
    std::size_t checked = 0;
    for (const timeline_failures::Span& span : spans) {
      const Rgb8 want = state_colour(span.state);
      // Every whole pixel column inside the span, kEdgePx away from where it starts and ends.
      const float first = std::ceil(x_of(span.start_s) + kEdgePx);
      const float last = std::floor(x_of(span.end_s) - kEdgePx);
      REQUIRE(last > first);
      for (float x = first; x < last; x += 1.0f) {
        const Rgb8 got = shot.image->at({x, y});
        INFO("pixel (" << x << ", " << y << "), time "
                       << start_s + (x - x0) / (x1 - x0) * (end_s - start_s) << " s: expected "
                       << state_name(span.state) << " " << to_text(want) << ", found "
                       << to_text(got));
        CHECK(same(got, want));
        ++checked;
      }
    }
    // Nearly the whole plot's width was checked, not a few samples.
    CHECK(static_cast<float>(checked) >= 0.9f * (x1 - x0));
  }
}
