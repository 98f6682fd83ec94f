// The panels drawn headless: Dear ImGui runs without a platform or renderer backend once it has a
// display size and a built font atlas, so every panel is drawn for some frames against each
// source, and the frames must produce geometry and leave ImGui's window and ID stacks balanced.
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "io/scene_file.hpp"
#include "model/layout_view.hpp"
#include "model/replay_source.hpp"
#include "model/simulation_source.hpp"
#include "telemetry/simulated_telemetry.hpp"
#include "test_wait.hpp"
#include "viewer_panels.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

const std::string kScenePath = std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml";

// An ImGui context for the test's lifetime, with no backend.
struct HeadlessImGui {
  HeadlessImGui() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1600, 1000);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;  // a test leaves no imgui.ini behind
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  ~HeadlessImGui() { ImGui::DestroyContext(); }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;
};

// One frame of every panel; returns the vertices ImGui produced.
int draw_frame(ViewerPanels& panels, const LineView& view, ViewSource& source,
               std::optional<ElementIndex>& selected) {
  ImGui::NewFrame();
  panels.draw(view, source, selected);
  // Every Begin had its End and every PushID its PopID: only ImGui's implicit window is open.
  CHECK(ImGui::GetCurrentContext()->CurrentWindowStack.Size == 1);
  CHECK(ImGui::GetCurrentWindow()->IDStack.Size == 1);
  ImGui::Render();
  const ImDrawData* data = ImGui::GetDrawData();
  REQUIRE(data != nullptr);
  return data->TotalVtxCount;
}

void open_all(ViewerPanels& panels) {
  PanelVisibility& v = panels.visibility();
  v.source_controls = v.kpi_dashboard = v.state_shares = v.inspector = v.event_log = v.what_if =
      v.legend = true;
}

}  // namespace

TEST_CASE("every panel draws for a simulation, with an element selected, and runs a what-if") {
  HeadlessImGui imgui;
  const Scene scene = load_scene_file(kScenePath);
  SimulationSource source(scene, scene.seed());
  ViewerPanels panels(scene, kScenePath);
  open_all(panels);
  LineView view = layout_view(scene, std::filesystem::path(kScenePath).parent_path());
  std::optional<ElementIndex> selected;
  source.set_speed(600.0);
  source.play();
  for (int frame = 0; frame < 30; ++frame) {
    if (frame == 10) selected = scene.find("OP30");  // a station with breakdowns
    if (frame == 20) selected = scene.find("B2");    // a buffer
    source.advance(1.0);
    source.update(view);
    CHECK(draw_frame(panels, view, source, selected) > 0);
  }
  CHECK(panels.event_log().size() > 0);
  CHECK(panels.kpi_history().points().size() > 1);

  // The what-if the inspector's button starts, drawn while it runs and once it has finished.
  CHECK(!panels.start_what_if({"OP30", WhatIfParameter::kProcessingMean, 30.0}));
  REQUIRE(panels.what_if() != nullptr);
  REQUIRE(test::wait_until([&] { return panels.what_if()->finished(); },
                           [&] {
                             CHECK(draw_frame(panels, view, source, selected) > 0);
                             std::this_thread::sleep_for(std::chrono::milliseconds(20));
                           }));
  CHECK(panels.what_if()->error().empty());
  CHECK(!panels.what_if()->rows().empty());
  CHECK(draw_frame(panels, view, source, selected) > 0);
  // A refused change says why and starts nothing.
  CHECK(panels.start_what_if({"B2", WhatIfParameter::kServers, 2.0}));
}

TEST_CASE("every panel draws for a replay scrubbed back and forth") {
  HeadlessImGui imgui;
  const Scene scene = load_scene_file(kScenePath);
  RunSettings run = scene.run_settings();
  run.duration_s = 4 * 3600.0;
  run.warmup_s = 0.0;
  ReplaySource source(scene, simulate_telemetry(scene, 5, 0, run, 1'767'571'200'000'000));
  ViewerPanels panels(scene, kScenePath);
  open_all(panels);
  LineView view = layout_view(scene, ".");
  std::optional<ElementIndex> selected = scene.find("OP10");
  for (int frame = 0; frame < 20; ++frame) {
    source.seek(frame < 10 ? 600.0 * frame : 600.0 * (20 - frame));
    source.update(view);
    CHECK(draw_frame(panels, view, source, selected) > 0);
  }
  CHECK(panels.event_log().size() > 0);
}

TEST_CASE("take() fills the KPI history and the event log between frames") {
  const Scene scene = load_scene_file(kScenePath);
  SimulationSource source(scene, scene.seed());
  ViewerPanels panels(scene, kScenePath);
  // As before a screenshot at 2 h: the source moved on in steps, no frame drawn (no ImGui
  // context is needed for that).
  for (int step = 1; step <= 24; ++step) {
    source.run_until(300.0 * step);
    panels.take(source);
  }
  CHECK(panels.kpi_history().points().size() == 24);
  CHECK(panels.kpi_history().points().back().time_s == 7200.0);
  REQUIRE(panels.event_log().size() > 0);
  CHECK(panels.event_log().entry(panels.event_log().size() - 1).time_s <= 7200.0);
}

TEST_CASE("every panel draws for a line longer than the share-bar window shows") {
  HeadlessImGui imgui;
  const std::string path = std::string(LINETWIN_SOURCE_DIR) + "/scenes/line_100_stations.yaml";
  const Scene scene = load_scene_file(path);
  SimulationSource source(scene, scene.seed());
  ViewerPanels panels(scene, path);
  open_all(panels);
  LineView view = layout_view(scene, std::filesystem::path(path).parent_path());
  std::optional<ElementIndex> selected = scene.stations().back();
  for (int frame = 1; frame <= 10; ++frame) {
    source.run_until(600.0 * frame);
    source.update(view);
    CHECK(draw_frame(panels, view, source, selected) > 0);
  }
}

TEST_CASE("every panel draws a deadlocked simulation, and a what-if whose lines deadlock") {
  HeadlessImGui imgui;
  const std::string path =
      std::string(LINETWIN_SOURCE_DIR) + "/tests/plant/scenes/deadlock_rework_loop.yaml";
  const Scene scene = load_scene_file(path);
  SimulationSource source(scene, scene.seed());
  ViewerPanels panels(scene, path);
  open_all(panels);
  LineView view = layout_view(scene, std::filesystem::path(path).parent_path());
  std::optional<ElementIndex> selected = scene.find("OP20");  // in the deadlock
  for (int frame = 1; frame <= 10; ++frame) {
    source.run_until(6.0 * frame);  // the line deadlocks at 22 s
    source.update(view);
    CHECK(draw_frame(panels, view, source, selected) > 0);
  }
  REQUIRE(view.deadlock.has_value());

  // Both scenes deadlock in every replication (every part is reworked, for ever, into a buffer
  // that fills): the window counts them over an empty comparison.
  CHECK(!panels.start_what_if({"B1", WhatIfParameter::kBufferCapacity, 2.0}));
  REQUIRE(test::wait_until([&] { return panels.what_if()->finished(); },
                           [&] {
                             CHECK(draw_frame(panels, view, source, selected) > 0);
                             std::this_thread::sleep_for(std::chrono::milliseconds(20));
                           }));
  const WhatIfDeadlocks& deadlocks = panels.what_if()->deadlocks();
  CHECK(deadlocks.baseline == deadlocks.replications);
  CHECK(deadlocks.changed == deadlocks.replications);
  CHECK(draw_frame(panels, view, source, selected) > 0);
}
