// ViewerApp: one window's frame loop. Each frame it moves the source on by the wall-clock time,
// updates the LineView, draws the line (LineRenderer), the overlays (labels, selection, legend),
// the panels and the help window, and turns mouse and keyboard input into camera moves, a
// selection and source controls. Headless capture runs the same frame into an offscreen target,
// so a screenshot shows exactly what a person would see.
#pragma once

#include <array>
#include <csignal>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <glm/vec2.hpp>
#include <nlohmann/json.hpp>

#include "gl_window.hpp"
#include "label_layout.hpp"
#include "line_renderer.hpp"
#include "link_flows.hpp"
#include "model/line_view.hpp"
#include "model/view_source.hpp"
#include "offscreen_target.hpp"
#include "orbit_camera.hpp"
#include "panel_selection.hpp"
#include "panels/viewer_panels.hpp"

namespace linetwin::viewer {

class ViewerApp {
 public:
  static constexpr int kCaptureSteps = 120;

  // `layout` is layout_view() of `scene`, which `source` shows; the scene (read from
  // `scene_path`) and the source must outlive the app.
  ViewerApp(GlWindow& window, LineView layout, ViewSource& source, std::string title,
            const Scene& scene, const std::filesystem::path& scene_path);

  // Shows which windows are open (the panels, the legend, the help window).
  void show(const PanelSelection& panels);
  // Selects an element as a click on it would (the inspector shows it).
  void select(ElementIndex element) {
    selected_ = element;
    selected_vehicle_.reset();
  }
  // Selects a vehicle (an index in LineView::vehicles) as a click on it would: it is named and
  // outlined wherever it is on the floor (the panels show no vehicle yet).
  void select_vehicle(std::size_t vehicle) {
    selected_vehicle_ = vehicle;
    selected_.reset();
  }
  // The plan view (top down, orthographic) or the 3D view, as the P key switches; each is framed
  // on the whole layout the first time it is shown.
  void set_plan_view(bool plan) { camera_.set_plan(plan); }
  // Opens the sweep window on a sweep's results, or on a sweep of a scenario file started in the
  // background.
  void show_sweep(SweepView sweep);
  void start_sweep(const std::string& scenario_path);
  // Opens or closes the material-flow diagram, docked under the 3D view (the M key).
  void show_flow_diagram(bool open) { flow_diagram_open_ = open; }
  // Runs until the window is closed or `*stop` becomes non-zero (set by a signal handler: Ctrl+C
  // in the terminal ends the viewer as closing its window does, so the layout is saved).
  void run(const volatile std::sig_atomic_t* stop);
  // Moves the source to `time_s` with `move_to` in kCaptureSteps steps, drawing a frame after
  // each (so the KPI charts and the event log hold the run's history, as if someone had watched
  // it), then draws the line into an image the size of the window and writes it as a PNG. Without
  // `move_to` (a live source) it shows the source as it is.
  void capture(const std::filesystem::path& png, const std::function<void(double)>& move_to,
               double time_s);
  // One whole frame into `target`, the source moved on by `wall_s` first (the frame benchmark).
  void draw_offscreen(const OffscreenTarget& target, double wall_s);

  // What the last frame drew, for tests and scripts (--screenshot-info): each element's model
  // file (the scene's, or its kind's default) and whether the fallback box stands in for it, and
  // the box of every label drawn, each vehicle drawn (its pose, the centre of its plate and the
  // box around its model), each flow link (its parts per hour, the arrow's width and its ends),
  // the 3D view's rectangle and every window's, in window pixels, and where the state timeline
  // and the sweep chart drew their plots and the values at the plots' edges.
  nlohmann::json screenshot_info() const;

  const LineRenderer& renderer() const { return renderer_; }
  const OrbitCamera& camera() const { return camera_; }

 private:
  void frame(glm::ivec2 framebuffer_px);
  void handle_mouse();
  void handle_keys();
  void draw_help();
  const DrawnVehicle* selected_vehicle_drawn() const;

  // Re-derives the links' flows from the source's results when its time moved.
  void update_flows();

  GlWindow& window_;
  const Scene& scene_;
  LineView view_;
  ViewSource& source_;
  std::string title_;
  LineRenderer renderer_;
  OrbitCamera camera_;
  ViewerPanels panels_;
  PanelSelection shown_;
  std::optional<ElementIndex> selected_;
  std::optional<std::size_t> selected_vehicle_;
  std::vector<LabelBox> labels_;  // drawn in the last frame
  ScreenRect area_;               // the 3D view's part of the window, in the last frame
  std::array<bool, 2> framed_{};  // the 3D and plan views, framed when first shown
  bool flow_diagram_open_ = false;
  std::optional<LinkFlows> flows_;  // nothing before the run has data
  double flows_time_s_ = -1.0;      // the source's time they were derived at
  double since_flows_s_ = 1.0e9;    // wall-clock seconds since (the first frame derives them)
};

}  // namespace linetwin::viewer
