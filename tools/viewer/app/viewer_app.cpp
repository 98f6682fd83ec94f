#include "viewer_app.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

#include <GLFW/glfw3.h>
#include <imgui.h>

#include "model/replay_source.hpp"
#include "model/simulation_source.hpp"
#include "overlay.hpp"
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

struct Shortcut {
  const char* keys;
  const char* action;
};
// What the help window lists; handle_mouse() and handle_keys() implement exactly these.
constexpr std::array<Shortcut, 12> kShortcuts = {{
    {"F1", "show or hide this help"},
    {"Left drag", "orbit the camera about its target"},
    {"Right or middle drag", "pan along the floor"},
    {"Mouse wheel", "zoom in and out"},
    {"Left click", "select the element under the mouse (inspector)"},
    {"Esc", "clear the selection"},
    {"F", "focus the camera on the selected element (nothing selected: frame the whole line)"},
    {"Home", "frame the whole line"},
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
      view_(std::move(layout)),
      source_(source),
      title_(std::move(title)),
      panels_(scene, scene_path) {
  source_.update(view_);
  renderer_.set_layout(view_);
  const glm::ivec2 size = window_.framebuffer_size();
  camera_.frame(renderer_.layout_bounds(),
                static_cast<float>(size.x) / static_cast<float>(std::max(1, size.y)));
  glfwSetWindowTitle(window_.handle(), title_.c_str());
}

void ViewerApp::show(const PanelSelection& panels) {
  shown_ = panels;
  panels_.visibility() = panels.panels;
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
  // three more frames leave every panel settled.
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
    labels.push_back({{"id", view_.elements[label.element].id},
                      {"text", label.text},
                      {"box", {label.min_px.x, label.min_px.y, label.max_px.x, label.max_px.y}}});
  }
  return {{"size", {display.x, display.y}}, {"elements", elements}, {"labels", labels}};
}

void ViewerApp::draw_offscreen(const OffscreenTarget& target, double wall_s) {
  window_.begin_frame();
  source_.advance(wall_s);
  source_.update(view_);
  target.bind();
  frame(target.size_px());
}

void ViewerApp::frame(glm::ivec2 framebuffer_px) {
  renderer_.draw(view_, camera_, framebuffer_px);
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const glm::vec2 viewport{display.x, display.y};
  labels_ = draw_labels(view_, renderer_, viewport, selected_);
  if (selected_) draw_selection_outline(renderer_, viewport, *selected_);
  if (view_.deadlock) draw_deadlock_banner(*view_.deadlock, viewport);
  panels_.draw(view_, source_, selected_);
  if (shown_.help) draw_help();
  window_.render_ui();
}

void ViewerApp::handle_mouse() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureMouse) return;
  const glm::vec2 viewport{io.DisplaySize.x, io.DisplaySize.y};
  if (io.MouseWheel != 0.0f) camera_.zoom(io.MouseWheel);
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    camera_.orbit(-io.MouseDelta.x * kOrbitDegPerPx, io.MouseDelta.y * kOrbitDegPerPx);
  }
  if (ImGui::IsMouseDragging(ImGuiMouseButton_Right) ||
      ImGui::IsMouseDragging(ImGuiMouseButton_Middle)) {
    camera_.pan(io.MouseDelta.x, io.MouseDelta.y, viewport.y);
  }
  if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
      io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < kClickSlopPx * kClickSlopPx) {
    const Ray ray =
        ray_through_pixel({io.MousePos.x, io.MousePos.y}, viewport, renderer_.view_projection());
    const auto picked = pick_nearest(ray, renderer_.pick_boxes());
    if (picked) selected_ = static_cast<ElementIndex>(*picked);
  }
}

void ViewerApp::handle_keys() {
  const ImGuiIO& io = ImGui::GetIO();
  // F1 works everywhere; the others only when no text field has the keyboard.
  if (ImGui::IsKeyPressed(GLFW_KEY_F1, false)) shown_.help = !shown_.help;
  if (io.WantCaptureKeyboard) return;
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false)) {
    glfwSetWindowShouldClose(window_.handle(), GLFW_TRUE);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) selected_.reset();
  const bool focus = ImGui::IsKeyPressed(GLFW_KEY_F, false);
  if (focus && selected_) {
    camera_.look_at(renderer_.placements()[*selected_].box.centre);
  } else if (focus || ImGui::IsKeyPressed(GLFW_KEY_HOME, false)) {
    const glm::vec2 display{io.DisplaySize.x, io.DisplaySize.y};
    camera_.frame(renderer_.layout_bounds(), display.x / std::max(1.0f, display.y));
  }
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
