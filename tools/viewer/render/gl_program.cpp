#include "gl_program.hpp"

#include <stdexcept>
#include <string>

namespace linetwin::viewer {

namespace {

GLuint compile(GLenum kind, std::string_view source) {
  const GLuint shader = glCreateShader(kind);
  const char* text = source.data();
  const auto length = static_cast<GLint>(source.size());
  glShaderSource(shader, 1, &text, &length);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok == GL_TRUE) return shader;
  std::string log(4096, '\0');
  GLsizei written = 0;
  glGetShaderInfoLog(shader, static_cast<GLsizei>(log.size()), &written, log.data());
  glDeleteShader(shader);
  log.resize(static_cast<std::size_t>(written));
  throw std::runtime_error("shader does not compile: " + log);
}

}  // namespace

GlProgram::GlProgram(std::string_view vertex_source, std::string_view fragment_source) {
  const GLuint vertex = compile(GL_VERTEX_SHADER, vertex_source);
  const GLuint fragment = compile(GL_FRAGMENT_SHADER, fragment_source);
  id_ = glCreateProgram();
  glAttachShader(id_, vertex);
  glAttachShader(id_, fragment);
  glLinkProgram(id_);
  glDeleteShader(vertex);
  glDeleteShader(fragment);
  GLint ok = GL_FALSE;
  glGetProgramiv(id_, GL_LINK_STATUS, &ok);
  if (ok == GL_TRUE) return;
  std::string log(4096, '\0');
  GLsizei written = 0;
  glGetProgramInfoLog(id_, static_cast<GLsizei>(log.size()), &written, log.data());
  glDeleteProgram(id_);
  log.resize(static_cast<std::size_t>(written));
  throw std::runtime_error("shader program does not link: " + log);
}

GlProgram::~GlProgram() {
  if (id_ != 0) glDeleteProgram(id_);
}

}  // namespace linetwin::viewer
