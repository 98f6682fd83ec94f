// The panels drawn headless: Dear ImGui runs without a platform or renderer backend once it has a
// display size and a built font atlas, so every panel is drawn for some frames against each
// source, and the frames must produce geometry and leave ImGui's window and ID stacks balanced.
// What a panel says is read back from the glyphs it drew (text_drawn).
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <utility>

#include "io/scene_file.hpp"
#include "model/layout_view.hpp"
#include "model/live_source.hpp"
#include "model/replay_source.hpp"
#include "model/simulation_source.hpp"
#include "telemetry/simulated_telemetry.hpp"
#include "test_files.hpp"
#include "test_wait.hpp"
#include "viewer_model/viewer_test_scene.hpp"
#include "viewer_panels.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

const std::string kScenePath = std::string(LINETWIN_SOURCE_DIR) + "/scenes/breakdown_line.yaml";
constexpr std::int64_t kStartUs = 1'767'571'200'000'000;  // 2026-01-05T00:00Z

// A replay of the scene's replication 0, recorded for 10 h from an empty line.
ReplaySource replay_of(const Scene& scene) {
  RunSettings run;
  run.duration_s = 10 * 3600.0;
  run.warmup_s = 0.0;
  return ReplaySource(scene, simulate_telemetry(scene, scene.seed(), 0, run, kStartUs));
}

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

// The text a window drew in the last frame, read back from its draw list: Dear ImGui draws each
// visible character as a quad whose first and third corners carry its glyph's texture
// coordinates, so the quads spell the text. Spaces draw nothing: the gap between two glyphs of a
// line reads as the spaces that fit in it. Lines, wrapped ones too, are joined by one space, as a
// wrap replaces one. Call between Render() and the next NewFrame().
std::string text_of(const ImGuiWindow& window) {
  const ImFont& font = *ImGui::GetIO().Fonts->Fonts[0];
  std::map<std::pair<float, float>, const ImFontGlyph*> by_corner;
  for (const ImFontGlyph& glyph : font.Glyphs)
    if (glyph.Visible && glyph.Codepoint < 128)
      by_corner.emplace(std::pair(glyph.U0, glyph.V0), &glyph);
  const float space = font.FindGlyph(' ')->AdvanceX;
  const ImVector<ImDrawVert>& vertices = window.DrawList->VtxBuffer;
  std::string text;
  float pen_x = 0.0f;
  float line_y = -1e9f;
  for (int i = 0; i + 3 < vertices.Size; ++i) {
    const auto found = by_corner.find({vertices[i].uv.x, vertices[i].uv.y});
    if (found == by_corner.end()) continue;
    const ImFontGlyph& glyph = *found->second;
    if (vertices[i + 2].uv.x != glyph.U1 || vertices[i + 2].uv.y != glyph.V1) continue;
    const float x = vertices[i].pos.x - glyph.X0;  // where the pen stood
    const float y = vertices[i].pos.y - glyph.Y0;
    if (std::fabs(y - line_y) > 0.5f) {
      if (!text.empty()) text += ' ';
      line_y = y;
    } else {
      text.append(static_cast<std::size_t>(std::max(0L, std::lround((x - pen_x) / space))), ' ');
    }
    text += static_cast<char>(glyph.Codepoint);
    pen_x = x + glyph.AdvanceX;
    i += 3;
  }
  return text;
}

// The text of a window, then of the child windows drawn in it in the last frame (a scrolled
// table is one), each after a space.
std::string text_drawn(const char* window_name) {
  const ImGuiWindow* window = ImGui::FindWindowByName(window_name);
  REQUIRE(window != nullptr);
  std::string text = text_of(*window);
  const ImGuiContext& g = *ImGui::GetCurrentContext();
  for (const ImGuiWindow* child : g.Windows) {
    if (child != window && child->RootWindow == window && child->LastFrameActive == g.FrameCount)
      text += ' ' + text_of(*child);
  }
  return text;
}

// Draws frames, as the window goes on drawing, until the what-if started has finished.
void draw_until_finished(ViewerPanels& panels, const LineView& view, ViewSource& source,
                         std::optional<ElementIndex>& selected) {
  REQUIRE(panels.what_if() != nullptr);
  REQUIRE(test::wait_until([&] { return panels.what_if()->finished(); },
                           [&] {
                             CHECK(draw_frame(panels, view, source, selected) > 0);
                             std::this_thread::sleep_for(std::chrono::milliseconds(20));
                           }));
}

void open_all(ViewerPanels& panels) {
  PanelVisibility& v = panels.visibility();
  v.source_controls = v.kpi_dashboard = v.state_shares = v.inspector = v.event_log = v.what_if =
      v.legend = v.timeline = true;
}

// A replay of the scene at `scene_path`, recorded by replay_of(), moved to `t_s`, with every panel
// open and one frame drawn with `selected_id` selected.
struct ReplayedPanels {
  ReplayedPanels(const std::string& scene_path, double t_s, const char* selected_id)
      : scene(load_scene_file(scene_path)),
        source(replay_of(scene)),
        panels(scene, scene_path),
        view(layout_view(scene, ".")),
        selected(scene.find(selected_id)) {
    open_all(panels);
    source.seek(t_s);
    draw();
  }
  void draw() {
    source.update(view);
    CHECK(draw_frame(panels, view, source, selected) > 0);
  }
  Scene scene;
  ReplaySource source;
  ViewerPanels panels;
  LineView view;
  std::optional<ElementIndex> selected;
};

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
  // Several changes at once, of two elements.
  CHECK(!panels.start_what_if({{"OP30", WhatIfParameter::kProcessingMean, 30.0},
                               {"B2", WhatIfParameter::kBufferCapacity, 16.0}},
                              source));
  REQUIRE(panels.what_if() != nullptr);
  draw_until_finished(panels, view, source, selected);
  CHECK(panels.what_if()->error().empty());
  CHECK(!panels.what_if()->rows().empty());
  CHECK(draw_frame(panels, view, source, selected) > 0);
  const std::string window = text_drawn("What-if");
  CHECK(window.find("OP30 processing mean = 30") != std::string::npos);
  CHECK(window.find("B2 capacity = 16") != std::string::npos);
  // A refused change says why and starts nothing.
  CHECK(panels.start_what_if({{"B2", WhatIfParameter::kServers, 2.0}}, source));
  CHECK(panels.start_what_if({}, source));  // nothing to change

  // A simulation has no "from now" (it runs from its start): no station kept down.
  CHECK(!panels.from_now_offered());
  CHECK(!panels.from_now());
  CHECK(window.find("from now") == std::string::npos);
  CHECK(panels.offered_parameters(ElementType::kStation) ==
        std::vector{WhatIfParameter::kProcessingMean, WhatIfParameter::kServers});
  const std::optional<std::string> refused =
      panels.start_what_if({{"OP30", WhatIfParameter::kDownFor, 5.0}}, source);
  REQUIRE(refused);
  CHECK(refused->find("only a what-if from now makes") != std::string::npos);
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
  CHECK(!panels.start_what_if({{"B1", WhatIfParameter::kBufferCapacity, 2.0}}, source));
  draw_until_finished(panels, view, source, selected);
  const WhatIfDeadlocks& deadlocks = panels.what_if()->deadlocks();
  CHECK(deadlocks.baseline == deadlocks.replications);
  CHECK(deadlocks.changed == deadlocks.replications);
  CHECK(draw_frame(panels, view, source, selected) > 0);
}

TEST_CASE(
    "the live controls give the sample ages as linetwin live does, read a few times a second") {
  HeadlessImGui imgui;
  const Scene scene = load_scene_file(kScenePath);
  MqttOptions options;
  options.host = "127.0.0.1";
  options.port = 1;                    // nothing listens there: no message but those ingested
  LiveSource live(scene, options, 0);  // no reorder window: a sample's age is taken on arrival
  ViewerPanels panels(scene, kScenePath);
  LineView view = layout_view(scene, ".");
  std::optional<ElementIndex> selected;
  auto source_panel = [&] {
    live.update(view);
    draw_frame(panels, view, live, selected);
    return text_drawn("Source");
  };
  CHECK(source_panel().find("age -") != std::string::npos);

  // Samples of OP10, each a second after the last (so none is out of order), arriving at known
  // ages: 60 after 20 ms, 40 after 500 ms, and 3 stamped 2.5 s ahead of our clock. Of the 103
  // ages sorted, numpy's p50 is the 52nd (20 ms) and p99 lies between the 101st and 102nd (both
  // 500 ms); the histogram gives them within 0.2%, well inside the 0.1 ms shown.
  const std::int64_t t0_ms = 1'795'680'000'000;
  int sent = 0;
  auto send = [&](int count, std::int64_t age_us) {
    for (int k = 0; k < count; ++k, ++sent) {
      const std::int64_t ts_ms = t0_ms + 1000 * sent;
      live.ingest("linetwin/OP10",
                  R"({"ts": )" + std::to_string(ts_ms) + R"(, "state": "producing"})",
                  ts_ms * 1000 + age_us);
    }
  };
  send(60, 20'000);
  send(40, 500'000);
  send(3, -2'500'000);
  REQUIRE(live.feed_stats().age_s.count() == 103);
  // The panel shows what advance() last read, not the histogram of this instant.
  CHECK(source_panel().find("age -") != std::string::npos);
  live.advance(0.0);  // the first advance reads the ages at once
  CHECK(live.sample_ages().samples == 103);
  CHECK(source_panel().find("age p50 20.0 ms, p99 500.0 ms, 3 ahead of our clock (by up to "
                            "2.5s)") != std::string::npos);
  // The panel's first size holds all it says (ImGui sizes the scroll range a frame late).
  source_panel();
  CHECK(ImGui::FindWindowByName("Source")->ScrollMax.y == 0.0f);

  // Two more, 4 s ahead: shown once advance() reads the ages again, at most
  // LiveSource::kSampleAgesEvery after the last read.
  send(2, -4'000'000);
  const std::string expected = "5 ahead of our clock (by up to 4s)";
  CHECK(test::wait_until([&] { return source_panel().find(expected) != std::string::npos; },
                         [&] {
                           live.advance(0.02);
                           std::this_thread::sleep_for(std::chrono::milliseconds(20));
                         }));
}

TEST_CASE("the live controls say when samples are old, as linetwin live does") {
  HeadlessImGui imgui;
  const Scene scene = load_scene_file(kScenePath);
  MqttOptions options;
  options.host = "127.0.0.1";
  options.port = 1;
  LiveSource live(scene, options, 0);
  ViewerPanels panels(scene, kScenePath);
  LineView view = layout_view(scene, ".");
  std::optional<ElementIndex> selected;
  // Recorded telemetry published 1007 days later; one sample, so its quantiles are exact.
  const std::int64_t ts_ms = 1'709'532'000'000;
  live.ingest("linetwin/OP10", R"({"ts": 1709532000000, "state": "idle"})",
              (ts_ms + std::int64_t{1007} * 86'400'000) * 1000);
  live.advance(0.0);
  live.update(view);
  draw_frame(panels, view, live, selected);
  CHECK(text_drawn("Source").find("age p50 1007 d, p99 1007 d (old timestamps, or clocks apart)") !=
        std::string::npos);
}

TEST_CASE("a replay's what-if runs from now by default, and only then keeps a station down") {
  HeadlessImGui imgui;
  ReplayedPanels replay(kScenePath, 2 * 3600.0, "OP30");
  ViewerPanels& panels = replay.panels;
  CHECK(panels.from_now_offered());
  CHECK(panels.from_now());
  CHECK(panels.horizon_h() == 4.0);
  CHECK(panels.offered_parameters(ElementType::kStation) ==
        std::vector{WhatIfParameter::kProcessingMean, WhatIfParameter::kServers,
                    WhatIfParameter::kDownFor});
  CHECK(panels.offered_parameters(ElementType::kBuffer) ==
        std::vector{WhatIfParameter::kBufferCapacity});
  // The window says when the line is taken (the replay's start plus 2 h) and each buffer's level
  // with how it was found.
  const std::string before = text_drawn("What-if");
  CHECK(before.find("from now") != std::string::npos);
  CHECK(before.find("Now: the replayed line at 2026-01-05 02:00:00.000 UTC") != std::string::npos);
  for (const char* buffer : {"B1", "B2", "B3"})
    CHECK(before.find(buffer) != std::string::npos);
  CHECK(before.find("counters") != std::string::npos);

  CHECK(!panels.start_what_if({{"OP30", WhatIfParameter::kDownFor, 5.0}}, replay.source));
  REQUIRE(panels.what_if() != nullptr);
  const ExperimentSettings& settings = panels.what_if()->settings();
  REQUIRE(settings.start != nullptr);
  CHECK(settings.start->snapshot.timestamp_us == kStartUs + std::int64_t{7200} * 1'000'000);
  CHECK(settings.start->file == "the replayed line at 2026-01-05 02:00:00.000 UTC");
  CHECK(settings.run.duration_s == 4 * 3600.0);
  CHECK(settings.run.warmup_s == 0.0);
  draw_until_finished(panels, replay.view, replay.source, replay.selected);
  REQUIRE(panels.what_if()->error().empty());
  replay.draw();
  const std::string after = text_drawn("What-if");
  CHECK(after.find("OP30 stays down for 5 h") != std::string::npos);
  CHECK(after.find("From the replayed line at 2026-01-05 02:00:00.000 UTC, over the next 4h") !=
        std::string::npos);

  // From now off: as a simulation, no station kept down.
  panels.set_from_now(false);
  replay.draw();
  CHECK(!panels.from_now());
  CHECK(panels.offered_parameters(ElementType::kStation) ==
        std::vector{WhatIfParameter::kProcessingMean, WhatIfParameter::kServers});
  CHECK(panels.start_what_if({{"OP30", WhatIfParameter::kDownFor, 5.0}}, replay.source));
}

TEST_CASE("a replay's what-if from now waits for the buffer levels its telemetry cannot tell") {
  HeadlessImGui imgui;
  const test::TempDir dir;
  ReplayedPanels replay(dir.write("fed_by_source.yaml", std::string(kFedBySourceScene)), 3000.5,
                        "OP10");
  ViewerPanels& panels = replay.panels;
  // The window says why B0's level is unknown, and the run is refused until it is given.
  CHECK(text_drawn("What-if").find("fed by source arrivals") != std::string::npos);
  const std::vector<WhatIfChange> faster{{"OP10", WhatIfParameter::kProcessingMean, 30.0}};
  const std::optional<std::string> refused = panels.start_what_if(faster, replay.source);
  REQUIRE(refused);
  CHECK(refused->find("enter one for B0 (unknown: fed by source arrivals") != std::string::npos);
  CHECK(panels.what_if() == nullptr);

  panels.give_level(0, 2);
  CHECK(!panels.start_what_if(faster, replay.source));
  REQUIRE(panels.what_if() != nullptr);
  CHECK(panels.what_if()->settings().start->snapshot.buffers[0].level == 2);
  CHECK(panels.what_if()->settings().start->snapshot.buffers[0].source == "given");
  draw_until_finished(panels, replay.view, replay.source, replay.selected);
  CHECK(panels.what_if()->error().empty());
  replay.draw();
  CHECK(text_drawn("What-if").find("B0 2 (given)") != std::string::npos);
}

TEST_CASE("the state timeline and the KPI charts have a time axis in the run's units") {
  HeadlessImGui imgui;
  const std::string path =
      std::string(LINETWIN_SOURCE_DIR) + "/tests/viewer/scenes/timeline_failures.yaml";
  const Scene scene = load_scene_file(path);
  SimulationSource source(scene, scene.seed());
  ViewerPanels panels(scene, path);
  panels.visibility() = PanelVisibility{};
  panels.visibility().kpi_dashboard = panels.visibility().timeline = true;
  LineView view = layout_view(scene, std::filesystem::path(path).parent_path());
  std::optional<ElementIndex> selected;
  for (int frame = 1; frame <= 10; ++frame) {
    source.run_until(100.0 * frame);
    source.update(view);
    CHECK(draw_frame(panels, view, source, selected) > 0);
  }
  // The timeline covers the run so far, a row per station in scene order, inside its plot.
  const std::optional<TimelinePlot>& plot = panels.timeline_plot();
  REQUIRE(plot.has_value());
  CHECK(plot->start_s == 0.0);
  CHECK(plot->end_s == 1000.0);
  CHECK(plot->plot.x1 > plot->plot.x0);
  REQUIRE(plot->rows.size() == 2);
  CHECK(plot->rows[0].id == "OP10");
  CHECK(plot->rows[1].id == "OP20");
  for (const TimelinePlot::Row& row : plot->rows) {
    CHECK(row.y0 >= plot->plot.y0);
    CHECK(row.y1 <= plot->plot.y1);
    CHECK(row.y1 > row.y0);
  }
  // 1,000 s is past the ten minutes shown in seconds: the axes say h:mm, with ten minutes a tick
  // of any step the width allows (2, 5 or 10 min).
  const std::string timeline = text_drawn("State timeline");
  CHECK(timeline.find("OP10") != std::string::npos);
  CHECK(timeline.find("[h:mm]") != std::string::npos);
  CHECK(timeline.find("0:10") != std::string::npos);
  const std::string kpis = text_drawn("KPI dashboard");
  CHECK(kpis.find("[h:mm]") != std::string::npos);
  CHECK(kpis.find("OEE [%]") != std::string::npos);
  // Closed, the timeline is not drawn and says nothing of where it was.
  panels.visibility().timeline = false;
  CHECK(draw_frame(panels, view, source, selected) > 0);
  CHECK_FALSE(panels.timeline_plot().has_value());
}

TEST_CASE("the inspector charts a selected buffer's level over a simulation, and not a replay's") {
  HeadlessImGui imgui;
  const Scene scene = load_scene_file(kScenePath);
  SimulationSource source(scene, scene.seed());
  ViewerPanels panels(scene, kScenePath);
  panels.visibility() = PanelVisibility{};
  panels.visibility().inspector = true;
  LineView view = layout_view(scene, ".");
  std::optional<ElementIndex> selected = scene.find("B1");
  for (int frame = 1; frame <= 5; ++frame) {
    source.run_until(600.0 * frame);
    source.update(view);
    CHECK(draw_frame(panels, view, source, selected) > 0);
  }
  // One sample a frame (the interval is far shorter than a frame's 600 s), each the level shown.
  const LevelHistory& levels = panels.level_history();
  const std::size_t b1 = *levels.position_of(*selected);
  REQUIRE(levels.times_s().size() == 5);
  CHECK(levels.times_s().back() == 3000.0);
  CHECK(levels.levels(b1).back() == view.elements[*selected].parts);
  CHECK(text_drawn("Inspector").find("level [parts] of 8") != std::string::npos);

  // Telemetry does not say where the parts are: a replay samples no levels and draws no chart.
  ReplayedPanels replayed(kScenePath, 3000.0, "B1");
  CHECK(replayed.panels.level_history().times_s().empty());
  CHECK(text_drawn("Inspector").find("level [parts]") == std::string::npos);
}

namespace {

const std::string kSweepScenario =
    std::string(LINETWIN_SOURCE_DIR) + "/tests/viewer/scenes/sweep_b2.scenario.yaml";

// Draws frames, as the window goes on drawing, until the sweep started in the window has ended,
// then one more, in which the window takes its results.
void draw_until_swept(ViewerPanels& panels, const LineView& view, ViewSource& source,
                      std::optional<ElementIndex>& selected) {
  REQUIRE(panels.sweep().run() != nullptr);
  REQUIRE(test::wait_until([&] { return panels.sweep().run()->finished(); },
                           [&] {
                             CHECK(draw_frame(panels, view, source, selected) > 0);
                             std::this_thread::sleep_for(std::chrono::milliseconds(20));
                           }));
  CHECK(draw_frame(panels, view, source, selected) > 0);
}

// Only the sweep window open, over a simulation of the line the scenario sweeps.
struct SweepWindow {
  SweepWindow()
      : scene(load_scene_file(kScenePath)),
        source(scene, scene.seed()),
        panels(scene, kScenePath),
        view(layout_view(scene, ".")) {
    panels.visibility() = PanelVisibility{};
    panels.visibility().sweep = true;
  }
  int draw() { return draw_frame(panels, view, source, selected); }
  HeadlessImGui imgui;
  Scene scene;
  SimulationSource source;
  ViewerPanels panels;
  LineView view;
  std::optional<ElementIndex> selected;
};

}  // namespace

TEST_CASE("the sweep window: a sweep run there fills it, and a click on a point selects it") {
  SweepWindow w;
  CHECK(w.draw() > 0);
  CHECK(text_drawn("Sweep").find("Open a sweep's results") != std::string::npos);
  CHECK_FALSE(w.panels.sweep().plot().has_value());

  w.panels.sweep().start(kSweepScenario);
  draw_until_swept(w.panels, w.view, w.source, w.selected);
  REQUIRE(w.panels.sweep().view().has_value());
  const SweepView& results = *w.panels.sweep().view();
  // A table fits its columns to their contents in its first frame and draws them in the next.
  CHECK(w.draw() > 0);
  const std::string text = text_drawn("Sweep");
  CHECK(text.find("B2 in front of OP30: 5 variants") != std::string::npos);
  CHECK(text.find("gate passed: throughput_per_hour >= 40 (95%)") != std::string::npos);
  CHECK(text.find("throughput_per_hour [parts/h] against B2.capacity") != std::string::npos);
  CHECK(text.find("B2.capacity [parts]") != std::string::npos);
  for (const SweepVariantRow& row : results.variants())
    CHECK(text.find(row.name) != std::string::npos);

  // A click on B2 2's point, where its mean is drawn, selects that variant.
  const std::optional<SweepPlot>& plot = w.panels.sweep().plot();
  REQUIRE(plot.has_value());
  REQUIRE(results.series().size() == 1);
  const SweepSeries::Point& point = results.series()[0].points[1];
  CHECK(results.variants()[point.variant].name == "B2 2");
  const double mean = results.variants()[point.variant]
                          .cells[*results.kpi_index("throughput_per_hour")]
                          .estimate.mean;
  const float x =
      plot->plot.x0 + static_cast<float>((point.x - plot->x_min) / (plot->x_max - plot->x_min)) *
                          (plot->plot.x1 - plot->plot.x0);
  const float y =
      plot->plot.y1 - static_cast<float>((mean - plot->y_min) / (plot->y_max - plot->y_min)) *
                          (plot->plot.y1 - plot->plot.y0);
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(x, y);
  CHECK(w.draw() > 0);
  io.MouseDown[0] = true;
  CHECK(w.draw() > 0);
  io.MouseDown[0] = false;
  CHECK(w.draw() > 0);
  CHECK(w.panels.sweep().selected() == point.variant);

  // The selected point is ringed in white; a row selected in the table (select(), as the row's
  // click does) rings its point the same way, and nothing rings a point when none is selected.
  const auto white_near = [&](ImVec2 at) {
    const ImGuiWindow* window = ImGui::FindWindowByName("Sweep");
    std::size_t found = 0;
    for (const ImDrawVert& v : window->DrawList->VtxBuffer) {
      const float dx = v.pos.x - at.x;
      const float dy = v.pos.y - at.y;
      if (v.col == IM_COL32(255, 255, 255, 255) && dx * dx + dy * dy < 8.0f * 8.0f) ++found;
    }
    return found;
  };
  CHECK(white_near(ImVec2(x, y)) > 0);
  w.panels.sweep().select(std::nullopt);
  CHECK(w.draw() > 0);
  CHECK(white_near(ImVec2(x, y)) == 0);
  w.panels.sweep().select(point.variant);
  CHECK(w.draw() > 0);
  CHECK(white_near(ImVec2(x, y)) > 0);
}

TEST_CASE("the sweep window: a sweep cancelled there says so, and the window goes on") {
  SweepWindow w;
  cli::SweepFlags flags;
  flags.replications = 100'000;
  flags.threads = 1;
  w.panels.sweep().start(kSweepScenario, flags);
  CHECK(w.draw() > 0);
  w.panels.sweep().cancel();
  draw_until_swept(w.panels, w.view, w.source, w.selected);
  CHECK(w.panels.sweep().run()->cancelled());
  CHECK_FALSE(w.panels.sweep().view().has_value());
  CHECK(text_drawn("Sweep").find("cancelled") != std::string::npos);
  // Usable: the next sweep runs and fills the window.
  w.panels.sweep().start(kSweepScenario);
  draw_until_swept(w.panels, w.view, w.source, w.selected);
  CHECK(w.panels.sweep().view().has_value());
  CHECK(text_drawn("Sweep").find("cancelled") == std::string::npos);
}

TEST_CASE("the legend explains vehicles and their loads only where the scene has fleets") {
  HeadlessImGui imgui;
  const auto legend_of = [](const std::string& scene_path) {
    const Scene scene = load_scene_file(scene_path);
    SimulationSource source(scene, scene.seed());
    ViewerPanels panels(scene, scene_path);
    panels.visibility() = PanelVisibility{};
    panels.visibility().legend = true;
    const LineView view = layout_view(scene, std::filesystem::path(scene_path).parent_path());
    std::optional<ElementIndex> selected;
    // A table fits its columns to their contents in its first frame and draws them in the next.
    CHECK(draw_frame(panels, view, source, selected) > 0);
    CHECK(draw_frame(panels, view, source, selected) > 0);
    return text_drawn("Legend");
  };
  const std::string with_fleet =
      legend_of(std::string(LINETWIN_SOURCE_DIR) + "/scenes/agv_cell.yaml");
  CHECK(with_fleet.find("material flow (arrow)") != std::string::npos);
  CHECK(with_fleet.find("vehicle moving") != std::string::npos);
  CHECK(with_fleet.find("vehicle standing") != std::string::npos);
  CHECK(with_fleet.find("load (box on a vehicle)") != std::string::npos);
  const std::string without = legend_of(kScenePath);
  CHECK(without.find("material flow (arrow)") != std::string::npos);
  CHECK(without.find("vehicle") == std::string::npos);
  CHECK(without.find("load") == std::string::npos);
}
