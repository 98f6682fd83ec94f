#include "gl_window.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

namespace linetwin::viewer {

namespace {

// GLFW reports errors through a callback; the last one explains a failed window creation.
std::string last_glfw_error;

void remember_glfw_error(int /*code*/, const char* description) {
  last_glfw_error = description != nullptr ? description : "unknown GLFW error";
}

[[noreturn]] void fail(const std::string& what) {
  const std::string why = last_glfw_error.empty() ? "no reason given" : last_glfw_error;
  glfwTerminate();
  throw NoGlContext(what + " (" + why +
                    "). The viewer needs OpenGL 3.3; on a machine without a GPU driver run it "
                    "with Mesa's software renderer (LIBGL_ALWAYS_SOFTWARE=1), and without a "
                    "display under xvfb-run.");
}

}  // namespace

GlWindow::GlWindow(const WindowOptions& options) {
  glfwSetErrorCallback(remember_glfw_error);
  if (glfwInit() != GLFW_TRUE) fail("cannot start GLFW: no display?");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  // A visible window follows the monitor's scale; a capture is exactly the size asked for, with
  // the same layout on every machine.
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, options.visible ? GLFW_TRUE : GLFW_FALSE);
  window_ =
      glfwCreateWindow(options.size_px.x, options.size_px.y, "linetwin viewer", nullptr, nullptr);
  if (window_ == nullptr) fail("cannot create an OpenGL 3.3 core context");
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(options.visible ? 1 : 0);
  if (options.visible) {
    float scale_y = 1.0f;
    glfwGetWindowContentScale(window_, &content_scale_, &scale_y);
    content_scale_ = std::max(1.0f, content_scale_);
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  if (options.settings_file) {
    settings_file_ = options.settings_file->string();
    io.IniFilename = settings_file_.c_str();
  } else {
    io.IniFilename = nullptr;
  }
  ImGui::StyleColorsDark();
  ImGui::GetStyle().ScaleAllSizes(content_scale_);
  ImFontConfig font;
  font.SizePixels = 13.0f * content_scale_;
  io.Fonts->AddFontDefault(&font);
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
}

GlWindow::~GlWindow() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window_);
  glfwTerminate();
}

bool GlWindow::should_close() const {
  return glfwWindowShouldClose(window_) == GLFW_TRUE;
}

glm::ivec2 GlWindow::framebuffer_size() const {
  glm::ivec2 size;
  glfwGetFramebufferSize(window_, &size.x, &size.y);
  return size;
}

glm::ivec2 GlWindow::window_size() const {
  glm::ivec2 size;
  glfwGetWindowSize(window_, &size.x, &size.y);
  return size;
}

void GlWindow::begin_frame() {
  glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void GlWindow::render_ui() {
  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void GlWindow::swap() {
  glfwSwapBuffers(window_);
}

std::optional<std::filesystem::path> default_settings_file() {
  std::filesystem::path folder;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    folder = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    folder = std::filesystem::path(home) / ".config";
  } else {
    return std::nullopt;
  }
  folder /= "linetwin";
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return std::nullopt;
  return folder / "imgui.ini";
}

}  // namespace linetwin::viewer
