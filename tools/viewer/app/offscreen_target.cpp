#include "offscreen_target.hpp"

#include <cstring>
#include <stdexcept>

#include <stb_image_write.h>

namespace linetwin::viewer {

OffscreenTarget::OffscreenTarget(glm::ivec2 size_px) : size_(size_px) {
  glGenRenderbuffers(1, &colour_);
  glBindRenderbuffer(GL_RENDERBUFFER, colour_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, size_.x, size_.y);
  glGenRenderbuffers(1, &depth_);
  glBindRenderbuffer(GL_RENDERBUFFER, depth_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, size_.x, size_.y);
  glGenFramebuffers(1, &framebuffer_);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depth_);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  if (status != GL_FRAMEBUFFER_COMPLETE) {
    throw std::runtime_error("cannot create an offscreen framebuffer of " +
                             std::to_string(size_.x) + "x" + std::to_string(size_.y) + " pixels");
  }
}

OffscreenTarget::~OffscreenTarget() {
  glDeleteFramebuffers(1, &framebuffer_);
  glDeleteRenderbuffers(1, &depth_);
  glDeleteRenderbuffers(1, &colour_);
}

void OffscreenTarget::bind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
}

std::vector<std::uint8_t> OffscreenTarget::read_rgb() const {
  const auto row_bytes = static_cast<std::size_t>(size_.x) * 3;
  std::vector<std::uint8_t> bottom_up(row_bytes * static_cast<std::size_t>(size_.y));
  bind();
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, size_.x, size_.y, GL_RGB, GL_UNSIGNED_BYTE, bottom_up.data());
  std::vector<std::uint8_t> top_down(bottom_up.size());
  for (std::size_t row = 0; row < static_cast<std::size_t>(size_.y); ++row) {
    const std::size_t from = static_cast<std::size_t>(size_.y) - 1 - row;
    std::memcpy(top_down.data() + row * row_bytes, bottom_up.data() + from * row_bytes, row_bytes);
  }
  return top_down;
}

void write_png(const std::filesystem::path& path, glm::ivec2 size_px,
               const std::vector<std::uint8_t>& rgb) {
  if (stbi_write_png(path.string().c_str(), size_px.x, size_px.y, 3, rgb.data(), size_px.x * 3) ==
      0) {
    throw std::runtime_error("cannot write '" + path.string() + "'");
  }
}

}  // namespace linetwin::viewer
