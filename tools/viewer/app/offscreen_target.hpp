// OffscreenTarget: a framebuffer object of a fixed size in pixels, for headless capture. Drawing
// into it rather than into the window's back buffer makes the image independent of the window
// system: a hidden window under Xvfb has no pixels of its own to read back on every driver.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include <glm/vec2.hpp>

#include "gl_api.hpp"

namespace linetwin::viewer {

class OffscreenTarget {
 public:
  explicit OffscreenTarget(glm::ivec2 size_px);
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;
  ~OffscreenTarget();

  void bind() const;
  glm::ivec2 size_px() const { return size_; }
  // The pixels as RGB bytes, top row first (as image files store them; GL reads bottom up).
  std::vector<std::uint8_t> read_rgb() const;

 private:
  glm::ivec2 size_;
  GLuint framebuffer_ = 0;
  GLuint colour_ = 0;
  GLuint depth_ = 0;
};

// Writes RGB bytes, top row first, as a PNG; throws std::runtime_error when it cannot.
void write_png(const std::filesystem::path& path, glm::ivec2 size_px,
               const std::vector<std::uint8_t>& rgb);

}  // namespace linetwin::viewer
