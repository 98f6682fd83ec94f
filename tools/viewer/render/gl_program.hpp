// GlProgram: a compiled and linked shader program, owned (moved, never copied). Compile and link
// errors are programmer errors here (the shaders are part of the source), reported with the
// driver's log as a std::runtime_error that the application prints.
#pragma once

#include <string_view>

#include "gl_api.hpp"

namespace linetwin::viewer {

class GlProgram {
 public:
  GlProgram(std::string_view vertex_source, std::string_view fragment_source);
  GlProgram(GlProgram&& other) noexcept : id_(other.id_) { other.id_ = 0; }
  GlProgram& operator=(GlProgram&&) = delete;
  GlProgram(const GlProgram&) = delete;
  GlProgram& operator=(const GlProgram&) = delete;
  ~GlProgram();

  GLuint id() const { return id_; }
  GLint uniform(const char* name) const { return glGetUniformLocation(id_, name); }

 private:
  GLuint id_ = 0;
};

}  // namespace linetwin::viewer
