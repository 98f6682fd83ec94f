#include "viewer_app.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "model/replay_source.hpp"
#include "model/simulation_source.hpp"
#include "overlay.hpp"
#include "panels/flow_diagram.hpp"
#include "picking.hpp"

namespace linetwin::viewer {

namespace {

// Degrees of orbit per pixel of drag: a drag across a 1,000-pixel window turns half a circle.
constexpr float kOrbitDegPerPx = 0.18f;
// A press and release closer than this (pixels) is a click that picks, not a drag.
constexpr float kClickSlopPx = 4.0f;
constexpr double kSpeedStep = 10.0;
// The longest frame time the source is moved on by: after a stall (a dragged window, a what-if
// starting) the simulation resumes instead of jumping.
constexpr double kMaxFrameWallS = 0.25;
// How often (wall-clock seconds) the links' flows are derived again while the source moves on.
constexpr double kFlowsEveryS = 0.25;

struct Shortcut {
  const char* keys;
  const char* action;
};
// What the help window lists; handle_mouse() and handle_keys() implement exactly these.
constexpr std::array<Shortcut, 14> kShortcuts = {{
    {"F1", "show or hide this help"},
    {"Left drag", "orbit the camera about its target (plan view: pan)"},
    {"Right or middle drag", "pan along the floor"},
    {"Mouse wheel", "zoom in and out"},
    {"Left click", "select the element (inspector) or vehicle under the mouse"},
    {"Esc", "clear the selection"},
    {"F", "focus the camera on the selected element or vehicle (none: frame the whole line)"},
    {"Home", "frame the whole line"},
    {"P", "plan view (top down) or 3D view"},
    {"M", "show or hide the material-flow diagram"},
    {"Space", "play or pause (simulation, replay)"},
    {"Period (.)", "step to the next station change (simulation)"},
    {"+ / -", "speed x10 / x0.1 (simulation, replay)"},
    {"Ctrl+Q", "quit"},
}};

void toggle_play(ViewSource& source) {
  if (auto* simulation = dynamic_cast<SimulationSource*>(&source)) {
    simulation->playing() ? simulation->pause() : simulation->play();
  } else if (auto* replay = dynamic_cast<ReplaySource*>(&source)) {
    replay->playing() ? replay->pause() : replay->play();
  }
}

void scale_speed(ViewSource& source, double factor) {
  if (auto* simulation = dynamic_cast<SimulationSource*>(&source)) {
    simulation->set_speed(simulation->speed() * factor);
  } else if (auto* replay = dynamic_cast<ReplaySource*>(&source)) {
    replay->set_speed(replay->speed() * factor);
  }
}

}  // namespace

ViewerApp::ViewerApp(GlWindow& window, LineView layout, ViewSource& source, std::string title,
                     const Scene& scene, const std::filesystem::path& scene_path)
    : window_(window),
      scene_(scene),
      view_(std::move(layout)),
      source_(source),
      title_(std::move(title)),
      panels_(scene, scene_path) {
  source_.update(view_);
  renderer_.set_layout(view_);
  glfwSetWindowTitle(window_.handle(), title_.c_str());
}

void ViewerApp::show(const PanelSelection& panels) {
  shown_ = panels;
  panels_.visibility() = panels.panels;
}

void ViewerApp::show_sweep(SweepView sweep) {
  panels_.sweep().show(std::move(sweep));
  panels_.visibility().sweep = true;
}

void ViewerApp::start_sweep(const std::string& scenario_path) {
  panels_.sweep().start(scenario_path);
  panels_.visibility().sweep = true;
}

void ViewerApp::run(const volatile std::sig_atomic_t* stop) {
  auto last = std::chrono::steady_clock::now();
  while (!window_.should_close() && *stop == 0) {
    const auto now = std::chrono::steady_clock::now();
    const double wall_s =
        std::min(kMaxFrameWallS, std::chrono::duration<double>(now - last).count());
    last = now;
    window_.begin_frame();
    handle_keys();
    handle_mouse();
    source_.advance(wall_s);
    source_.update(view_);
    since_flows_s_ += wall_s;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    frame(window_.framebuffer_size());
    window_.swap();
  }
}

void ViewerApp::capture(const std::filesystem::path& png,
                        const std::function<void(double)>& move_to, double time_s) {
  const OffscreenTarget target(window_.framebuffer_size());
  if (move_to && time_s > 0.0) {
    for (int step = 1; step <= kCaptureSteps; ++step) {
      move_to(time_s * step / kCaptureSteps);
      draw_offscreen(target, 0.0);
    }
  }
  // ImGui lays out an auto-sized window on its first frame and draws it at its size on the next;
  // three more frames leave every panel settled. The flows are those of the time shown.
  since_flows_s_ = kFlowsEveryS;
  for (int k = 0; k < 3; ++k)
    draw_offscreen(target, 0.0);
  write_png(png, target.size_px(), target.read_rgb());
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

nlohmann::json ViewerApp::screenshot_info() const {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  nlohmann::json elements = nlohmann::json::array();
  for (std::size_t i = 0; i < view_.elements.size(); ++i) {
    const ElementView& element = view_.elements[i];
    const std::string& problem = renderer_.model_problem(i);
    elements.push_back({{"id", element.id},
                        {"type", std::string(to_string(element.type))},
                        {"model", renderer_.drawn_model_path(i)},
                        {"fallback_box", renderer_.model_of(i).path.empty()},
                        {"model_problem", problem}});
  }
  nlohmann::json labels = nlohmann::json::array();
  for (const LabelBox& label : labels_) {
    labels.push_back({{"id", label.vehicle ? view_.vehicles[label.element].id
                                           : view_.elements[label.element].id},
                      {"vehicle", label.vehicle},
                      {"text", label.text},
                      {"box", {label.min_px.x, label.min_px.y, label.max_px.x, label.max_px.y}}});
  }
  // The vehicles drawn: the plate's centre and the box around the model's corners, projected.
  const glm::vec2 origin{area_.x0, area_.y0};
  const glm::vec2 viewport{std::max(1.0f, area_.x1 - area_.x0),
                           std::max(1.0f, area_.y1 - area_.y0)};
  nlohmann::json vehicles = nlohmann::json::array();
  for (const DrawnVehicle& drawn : renderer_.drawn_vehicles()) {
    const VehicleView& vehicle = view_.vehicles[drawn.vehicle];
    const auto rect = projected_rect(drawn.placement.box, viewport, renderer_.view_projection())
                          .value_or(PixelRect{glm::vec2(-1.0f), glm::vec2(-1.0f)});
    const glm::vec2 centre =
        project_to_pixel(drawn.placement.plate_top, viewport, renderer_.view_projection())
            .value_or(glm::vec2(-1.0f)) +
        origin;
    vehicles.push_back({{"id", vehicle.id},
                        {"state", vehicle.state == BodyState::kMoving ? "moving" : "standing"},
                        {"loaded", vehicle.loaded},
                        {"pose", {vehicle.pose.x_m, vehicle.pose.y_m, vehicle.pose.heading_rad}},
                        {"centre", {centre.x, centre.y}},
                        {"box",
                         {rect.min_px.x + origin.x, rect.min_px.y + origin.y,
                          rect.max_px.x + origin.x, rect.max_px.y + origin.y}}});
  }
  // The links' flows (null before the run has data or where its results do not tell) and the
  // arrows drawn for them: the shaft's width and its two ends on the floor, projected.
  nlohmann::json links = nlohmann::json::array();
  for (std::size_t k = 0; k < view_.links.size(); ++k) {
    const FlowLinkView& link = view_.links[k];
    nlohmann::json entry = {{"from", view_.elements[link.from].id},
                            {"to", view_.elements[link.to].id},
                            {"parts_per_hour", nullptr}};
    if (flows_ && std::isfinite(flows_->links[k].parts_per_hour))
      entry["parts_per_hour"] = flows_->links[k].parts_per_hour;
    if (const auto& arrow = renderer_.flow_arrows()[k]) {
      // (-1, -1) for an end behind the eye.
      const auto pixel = [&](glm::vec3 point) {
        const auto at = project_to_pixel(point, viewport, renderer_.view_projection());
        return at ? nlohmann::json{at->x + origin.x, at->y + origin.y} : nlohmann::json{-1, -1};
      };
      entry["width_m"] = arrow->width_m;
      entry["start"] = pixel(arrow->start);
      entry["head_base"] = pixel(arrow->head_base);
    }
    links.push_back(std::move(entry));
  }
  // The windows drawn in the last frame, by their titles (imgui_internal.h: ImGui keeps no public
  // list of windows).
  nlohmann::json windows = nlohmann::json::array();
  for (const ImGuiWindow* window : ImGui::GetCurrentContext()->Windows) {
    if (!window->WasActive || (window->Flags & ImGuiWindowFlags_ChildWindow) != 0 ||
        std::string_view(window->Name).starts_with("##") ||
        std::string_view(window->Name).starts_with("Debug##")) {
      continue;
    }
    windows.push_back({{"name", window->Name},
                       {"box",
                        {window->Pos.x, window->Pos.y, window->Pos.x + window->Size.x,
                         window->Pos.y + window->Size.y}}});
  }
  // Where the state timeline was drawn (null when it was not): its plot, the times at the plot's
  // left and right edges, and each station's row, so that a test reads the axis, not guesses it.
  nlohmann::json timeline = nullptr;
  if (const auto& plot = panels_.timeline_plot()) {
    nlohmann::json rows = nlohmann::json::array();
    for (const TimelinePlot::Row& row : plot->rows)
      rows.push_back({{"id", row.id}, {"y", {row.y0, row.y1}}});
    timeline = {{"plot", {plot->plot.x0, plot->plot.y0, plot->plot.x1, plot->plot.y1}},
                {"time", {plot->start_s, plot->end_s}},
                {"rows", rows}};
  }
  // Where the sweep chart was drawn (null when it was not): its plot, the values at its edges, and
  // each line's band colour and variants, so that a test reads the axes, not guesses them.
  nlohmann::json sweep = nullptr;
  if (const auto& plot = panels_.sweep().plot()) {
    const SweepView& results = *panels_.sweep().view();
    nlohmann::json series = nlohmann::json::array();
    for (const SweepPlot::Series& s : plot->series) {
      nlohmann::json variants = nlohmann::json::array();
      for (std::size_t v : s.variants)
        variants.push_back(results.variants()[v].name);
      const ImVec4 band = ImGui::ColorConvertU32ToFloat4(s.band);
      series.push_back({{"label", s.label},
                        {"band",
                         {std::lround(255.0f * band.x), std::lround(255.0f * band.y),
                          std::lround(255.0f * band.z), std::lround(255.0f * band.w)}},
                        {"variants", variants}});
    }
    const auto selected = panels_.sweep().selected();
    sweep = {{"plot", {plot->plot.x0, plot->plot.y0, plot->plot.x1, plot->plot.y1}},
             {"kpi", plot->kpi},
             {"parameter", plot->parameter},
             {"x", {plot->x_min, plot->x_max}},
             {"y", {plot->y_min, plot->y_max}},
             {"series", series},
             {"selected", selected ? nlohmann::json(results.variants()[*selected].name)
                                   : nlohmann::json(nullptr)}};
  }
  return {{"size", {display.x, display.y}},
          {"view", {area_.x0, area_.y0, area_.x1, area_.y1}},
          {"camera", camera_.plan() ? "plan" : "3d"},
          {"elements", elements},
          {"labels", labels},
          {"vehicles", vehicles},
          {"links", links},
          {"windows", windows},
          {"timeline", timeline},
          {"sweep", sweep}};
}

void ViewerApp::draw_offscreen(const OffscreenTarget& target, double wall_s) {
  window_.begin_frame();
  source_.advance(wall_s);
  source_.update(view_);
  since_flows_s_ += wall_s;
  target.bind();
  frame(target.size_px());
}

void ViewerApp::update_flows() {
  // Averages over the run so far change slowly: four times a second of wall time is enough, and
  // keeps a line of thousands of links from deriving them every frame.
  if (source_.time_s() == flows_time_s_ || since_flows_s_ < kFlowsEveryS) return;
  flows_time_s_ = source_.time_s();
  since_flows_s_ = 0.0;
  const std::optional<ReplicationResult> kpis = source_.kpis();
  flows_ = kpis ? link_flows(scene_, *kpis) : std::nullopt;
  renderer_.set_flows(flows_);
}

void ViewerApp::frame(glm::ivec2 framebuffer_px) {
  update_flows();
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  // The 3D view takes the window less the panels docked around it, in ImGui's pixels; the GL
  // viewport is the same rectangle in framebuffer pixels (more of them on a high-DPI screen).
  area_ = view_area(panels_.visibility());
  // The material-flow diagram takes the bottom of the view's space, so that it never covers the
  // line: a third of it, but room for a readable diagram and no more than it needs.
  const glm::vec2 flow_max{area_.x1, area_.y1};
  if (flow_diagram_open_) {
    const float em = ImGui::GetFontSize();
    area_.y1 -= std::clamp(0.35f * (area_.y1 - area_.y0), 8.0f * em, 18.0f * em);
  }
  const glm::vec2 origin{area_.x0, area_.y0};
  const glm::vec2 viewport{std::max(1.0f, area_.x1 - area_.x0),
                           std::max(1.0f, area_.y1 - area_.y0)};
  if (bool& framed = framed_[camera_.plan() ? 1 : 0]; !framed) {
    // Framed on its first frame, when the view's size is known.
    camera_.frame(renderer_.layout_bounds(), viewport.x / viewport.y);
    framed = true;
  }
  const glm::vec2 scale =
      glm::vec2(framebuffer_px) / glm::max(glm::vec2(display.x, display.y), glm::vec2(1.0f));
  renderer_.draw(view_, camera_, glm::ivec2(glm::round(viewport * scale)),
                 glm::ivec2(glm::round(origin * scale)), framebuffer_px.y);
  labels_ = draw_labels(view_, renderer_, viewport, origin, selected_, selected_vehicle_);
  if (selected_) {
    draw_selection_outline(renderer_, viewport, origin, renderer_.pick_boxes()[*selected_]);
  }
  if (const auto* vehicle = selected_vehicle_drawn()) {
    draw_selection_outline(renderer_, viewport, origin, vehicle->placement.box);
  }
  const glm::vec2 window{display.x, display.y};
  if (view_.deadlock) draw_deadlock_banner(*view_.deadlock, window);
  panels_.draw(view_, source_, selected_);
  if (flow_diagram_open_) {
    draw_flow_diagram(scene_, flows_, {area_.x0, area_.y1}, flow_max, flow_diagram_open_);
  }
  if (shown_.help) draw_help();
  window_.render_ui();
}

void ViewerApp::handle_mouse() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureMouse) return;
  const glm::vec2 origin{area_.x0, area_.y0};
  const glm::vec2 viewport{std::max(1.0f, area_.x1 - area_.x0),
                           std::max(1.0f, area_.y1 - area_.y0)};
  if (io.MouseWheel != 0.0f) camera_.zoom(io.MouseWheel);
  // A plan view has nothing to orbit: every drag pans it.
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Left) && !camera_.plan()) {
    camera_.orbit(-io.MouseDelta.x * kOrbitDegPerPx, io.MouseDelta.y * kOrbitDegPerPx);
  } else if (ImGui::IsMouseDragging(ImGuiMouseButton_Left) ||
             ImGui::IsMouseDragging(ImGuiMouseButton_Right) ||
             ImGui::IsMouseDragging(ImGuiMouseButton_Middle)) {
    camera_.pan(io.MouseDelta.x, io.MouseDelta.y, viewport.y);
  }
  if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
      io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < kClickSlopPx * kClickSlopPx) {
    const Ray ray = ray_through_pixel(glm::vec2(io.MousePos.x, io.MousePos.y) - origin, viewport,
                                      renderer_.view_projection());
    const auto picked = pick_nearest(ray, renderer_.pick_boxes());
    // A vehicle in front of the nearest element (or over the bare floor) is picked instead.
    std::optional<float> nearest;
    if (picked) nearest = ray_hits(ray, renderer_.pick_boxes()[*picked]);
    std::optional<std::size_t> vehicle;
    for (const DrawnVehicle& drawn : renderer_.drawn_vehicles()) {
      const auto hit = ray_hits(ray, drawn.placement.box);
      if (hit && (!nearest || *hit < *nearest)) {
        nearest = hit;
        vehicle = drawn.vehicle;
      }
    }
    if (vehicle) {
      select_vehicle(*vehicle);
    } else if (picked) {
      select(static_cast<ElementIndex>(*picked));
    }
  }
}

const DrawnVehicle* ViewerApp::selected_vehicle_drawn() const {
  if (!selected_vehicle_) return nullptr;
  for (const DrawnVehicle& drawn : renderer_.drawn_vehicles()) {
    if (drawn.vehicle == *selected_vehicle_) return &drawn;
  }
  return nullptr;  // parked, or out of the view
}

void ViewerApp::handle_keys() {
  const ImGuiIO& io = ImGui::GetIO();
  // F1 works everywhere; the others only when no text field has the keyboard.
  if (ImGui::IsKeyPressed(GLFW_KEY_F1, false)) shown_.help = !shown_.help;
  if (io.WantCaptureKeyboard) return;
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) {
    glfwSetWindowShouldClose(window_.handle(), GLFW_TRUE);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) {
    selected_.reset();
    selected_vehicle_.reset();
  }
  const bool focus = ImGui::IsKeyPressed(GLFW_KEY_F, false);
  if (focus && selected_) {
    camera_.look_at(renderer_.placements()[*selected_].box.centre);
  } else if (const DrawnVehicle* vehicle = focus ? selected_vehicle_drawn() : nullptr) {
    camera_.look_at(vehicle->placement.box.centre);
  } else if (focus || ImGui::IsKeyPressed(GLFW_KEY_HOME, false)) {
    camera_.frame(renderer_.layout_bounds(),
                  std::max(1.0f, area_.x1 - area_.x0) / std::max(1.0f, area_.y1 - area_.y0));
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_P, false)) set_plan_view(!camera_.plan());
  if (ImGui::IsKeyPressed(GLFW_KEY_M, false)) flow_diagram_open_ = !flow_diagram_open_;
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) toggle_play(source_);
  if (ImGui::IsKeyPressed(GLFW_KEY_PERIOD)) {
    if (auto* simulation = dynamic_cast<SimulationSource*>(&source_)) simulation->step();
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD, false)) {
    scale_speed(source_, kSpeedStep);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_MINUS, false) ||
      ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT, false)) {
    scale_speed(source_, 1.0 / kSpeedStep);
  }
}

void ViewerApp::draw_help() {
  const ImGuiViewport& screen = *ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(
      {screen.WorkPos.x + screen.WorkSize.x / 2, screen.WorkPos.y + screen.WorkSize.y / 2},
      ImGuiCond_FirstUseEver, {0.5f, 0.5f});
  if (ImGui::Begin("Help: keyboard and mouse", &shown_.help, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted(title_.c_str());
    ImGui::Separator();
    if (ImGui::BeginTable("shortcuts", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
      for (const Shortcut& shortcut : kShortcuts) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(shortcut.keys);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(shortcut.action);
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

}  // namespace linetwin::viewer
