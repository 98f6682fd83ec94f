// The sweep window as drawn: `linetwin sweep` runs tests/viewer/scenes/sweep_b2.scenario.yaml (B2
// of the line with breakdowns at 1, 2, 4 and 8 slots) to a JSON file, and the viewer opens it with
// only the sweep window. Where the chart put its plot and which values its edges stand for come
// from --screenshot-info; each point's interval, read from the sweep's JSON here, then gives the
// rows its band must cover. Every pixel column between two points is checked: inside the band
// (two pixels from its edges, away from the mean line and the baseline's dashed line) the pixel is
// the band's colour, and just outside it is not.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "screenshot_support.hpp"

using namespace linetwin;
using namespace linetwin::viewer;
using namespace linetwin::viewer::screenshots;

namespace {

// Antialiased edges of the band may blend with what is under them.
constexpr float kEdgePx = 2.0f;
// The mean line (2 px), its dots (3.5 px) and the best variant's ring (8 px) lie within this
// distance of the mean.
constexpr float kMeanPx = 10.0f;

struct Point {
  std::string variant;
  double x = 0.0;
  double mean = 0.0;
  double low = 0.0;
  double high = 0.0;
};

}  // namespace

TEST_CASE("screenshot: the sweep chart's band covers each point's interval, nothing beyond") {
  if (!have_display()) {
    test::skip_test("no DISPLAY (run under xvfb-run for the screenshot tests)");
    return;
  }
  const std::filesystem::path json = std::filesystem::temp_directory_path() /
                                     ("linetwin_sweep_shot_" + std::to_string(getpid()) + ".json");
  const std::string sweep = std::string("'") + LINETWIN_CLI_EXE + "' sweep '" +
                            (kScenes / "sweep_b2.scenario.yaml").string() + "' -q --json '" +
                            json.string() + "'";
  REQUIRE(std::system(sweep.c_str()) == 0);
  const nlohmann::json results = nlohmann::json::parse(read_text(json));
  const Capture shot =
      capture(std::filesystem::path(LINETWIN_SOURCE_DIR) / "scenes/breakdown_line.yaml", 0.0, 0,
              {1280, 720}, "sweep", "--sweep '" + json.string() + "'");
  std::filesystem::remove(json);
  if (!shot.image) return;
  INFO("--screenshot-info: " << shot.info.at("sweep").dump());
  const nlohmann::json& info = shot.info.at("sweep");
  REQUIRE(info.is_object());
  CHECK(info.at("kpi") == "throughput_per_hour");
  CHECK(info.at("parameter") == "B2.capacity");

  // The points, from the sweep's own JSON: B2's capacity against throughput.
  std::vector<Point> points;
  double baseline = 0.0;
  for (const nlohmann::json& v : results.at("variants")) {
    const nlohmann::json& kpi = v.at("run").at("kpis").at("throughput_per_hour");
    if (v.at("name") == "baseline") baseline = kpi.at("mean").get<double>();
    if (!v.at("parameters").contains("B2.capacity")) continue;
    points.push_back({v.at("name"), v.at("parameters").at("B2.capacity").get<double>(),
                      kpi.at("mean").get<double>(), kpi.at("ci95_low").get<double>(),
                      kpi.at("ci95_high").get<double>()});
  }
  REQUIRE(points.size() == 4);
  REQUIRE(info.at("series").size() == 1);
  const nlohmann::json& series = info.at("series")[0];
  for (std::size_t i = 0; i < points.size(); ++i)
    CHECK(series.at("variants")[i] == points[i].variant);
  // One line: its band is opaque, in the colour the viewer reports.
  REQUIRE(series.at("band")[3] == 255);
  const Rgb8 band{series.at("band")[0].get<std::uint8_t>(),
                  series.at("band")[1].get<std::uint8_t>(),
                  series.at("band")[2].get<std::uint8_t>()};

  const float x0 = info.at("plot")[0].get<float>();
  const float y0 = info.at("plot")[1].get<float>();
  const float x1 = info.at("plot")[2].get<float>();
  const float y1 = info.at("plot")[3].get<float>();
  const double x_min = info.at("x")[0].get<double>();
  const double x_max = info.at("x")[1].get<double>();
  const double y_min = info.at("y")[0].get<double>();
  const double y_max = info.at("y")[1].get<double>();
  // Every interval and the points' values fit inside the axes.
  for (const Point& p : points) {
    CHECK(p.low >= y_min);
    CHECK(p.high <= y_max);
    CHECK(p.x > x_min);
    CHECK(p.x < x_max);
  }
  REQUIRE(x1 - x0 >= 200.0f);
  REQUIRE(y1 - y0 >= 100.0f);
  const auto x_of = [&](double x) {
    return x0 + static_cast<float>((x - x_min) / (x_max - x_min)) * (x1 - x0);
  };
  const auto y_of = [&](double y) {
    return y1 - static_cast<float>((y - y_min) / (y_max - y_min)) * (y1 - y0);
  };
  // The baseline's dashed line, and its label in the text line above it.
  const float baseline_y = y_of(baseline);
  const float text_line = 16.0f;
  const auto off_baseline = [&](float y) {
    return y < baseline_y - text_line - kEdgePx || y > baseline_y + 3.0f;
  };

  std::size_t inside = 0;
  std::size_t outside = 0;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    const Point& a = points[i];
    const Point& b = points[i + 1];
    const float xa = x_of(a.x);
    const float xb = x_of(b.x);
    // Every whole pixel column between the two points, kEdgePx from each.
    for (float x = std::ceil(xa + kEdgePx); x + 1.0f <= std::floor(xb - kEdgePx); x += 1.0f) {
      const float t = (x + 0.5f - xa) / (xb - xa);
      const auto along = [&](double from, double to) {
        return y_of(from) + t * (y_of(to) - y_of(from));
      };
      const float top = along(a.high, b.high);
      const float bottom = along(a.low, b.low);
      const float mean = along(a.mean, b.mean);
      for (float y = std::ceil(top + kEdgePx); y + 1.0f <= std::floor(bottom - kEdgePx);
           y += 1.0f) {
        if (std::abs(y + 0.5f - mean) < kMeanPx || !off_baseline(y)) continue;
        const Rgb8 got = shot.image->at({x, y});
        INFO("pixel (" << x << ", " << y << ") between " << a.variant << " and " << b.variant
                       << ": band " << top << " to " << bottom << ", expected " << to_text(band)
                       << ", found " << to_text(got));
        CHECK(same(got, band));
        ++inside;
      }
      // Beyond each edge, inside the plot: not the band.
      for (const float y : {std::floor(top - 2.0f * kEdgePx), std::ceil(bottom + 2.0f * kEdgePx)}) {
        if (y <= y0 + 1.0f || y >= y1 - 1.0f || !off_baseline(y)) continue;
        const Rgb8 got = shot.image->at({x, y});
        INFO("pixel (" << x << ", " << y << ") outside the band " << top << " to " << bottom
                       << " between " << a.variant << " and " << b.variant << ": found "
                       << to_text(got));
        CHECK_FALSE(same(got, band));
        ++outside;
      }
    }
  }
  // Most of the band's area was checked, not a few samples.
  CHECK(inside >= 2000);
  CHECK(outside >= static_cast<std::size_t>(x_of(points.back().x) - x_of(points.front().x)));
}

TEST_CASE("screenshot: a file that is not a sweep's is exit status 2, naming the file and field") {
  const std::filesystem::path json = std::filesystem::temp_directory_path() /
                                     ("linetwin_not_a_sweep_" + std::to_string(getpid()) + ".json");
  std::ofstream(json) << R"({"schema": "linetwin.run/5"})";
  const std::filesystem::path err = json.string() + ".stderr";
  const std::string command = std::string("'") + LINETWIN_VIEWER_EXE + "' '" + LINETWIN_SOURCE_DIR +
                              "/scenes/breakdown_line.yaml' --sweep '" + json.string() +
                              "' --screenshot /tmp/never.png 2> '" + err.string() + "'";
  const int status = std::system(command.c_str());
  const std::string errors = read_text(err);
  std::filesystem::remove(json);
  std::filesystem::remove(err);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(errors.find(json.string()) != std::string::npos);
  CHECK(errors.find("'schema'") != std::string::npos);
  CHECK(errors.find("linetwin.sweep/1") != std::string::npos);
}
