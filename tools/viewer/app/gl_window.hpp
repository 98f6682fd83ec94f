// GlWindow: the GLFW window with its OpenGL 3.3 core context and Dear ImGui set up on it (GLFW
// and OpenGL 3 backends from Debian's libimgui-dev). One per process. When no 3.3 context can be
// had (no display, an old driver, a remote X server without GLX), construction throws
// NoGlContext with what GLFW said, and main() prints it and exits with status 1 instead of
// crashing in the first GL call.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include <glm/vec2.hpp>

struct GLFWwindow;

namespace linetwin::viewer {

class NoGlContext : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WindowOptions {
  glm::ivec2 size_px{1600, 900};
  bool visible = true;  // false for headless capture (under Xvfb, or on a desktop)
  // Where Dear ImGui keeps window positions and sizes; none: not remembered (captures, benches).
  std::optional<std::filesystem::path> settings_file;
};

class GlWindow {
 public:
  explicit GlWindow(const WindowOptions& options);
  GlWindow(const GlWindow&) = delete;
  GlWindow& operator=(const GlWindow&) = delete;
  ~GlWindow();

  GLFWwindow* handle() const { return window_; }
  bool should_close() const;
  // The drawable size in pixels (larger than the window's size on a high-DPI screen).
  glm::ivec2 framebuffer_size() const;
  // The size in screen coordinates, which mouse positions use.
  glm::ivec2 window_size() const;
  // The monitor's content scale (1 on a plain screen, 2 on a 4K laptop), applied to fonts and
  // ImGui's spacing so the panels keep their physical size; 1 for a hidden (capture) window.
  float content_scale() const { return content_scale_; }

  void begin_frame();  // polls events and starts an ImGui frame
  void render_ui();    // draws ImGui's frame over what the renderer drew
  void swap();

 private:
  GLFWwindow* window_ = nullptr;
  float content_scale_ = 1.0f;
  std::string settings_file_;  // ImGui keeps the pointer, so the string lives here
};

// XDG_CONFIG_HOME/linetwin/imgui.ini (or ~/.config/linetwin/imgui.ini); the folder is created.
// nullopt when neither variable is set (ImGui then keeps nothing).
std::optional<std::filesystem::path> default_settings_file();

}  // namespace linetwin::viewer
