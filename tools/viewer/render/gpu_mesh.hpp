// GpuMesh: one TriangleMesh in GPU buffers with its own instance buffer, drawn with one instanced
// call for all the elements that show it this frame. One per model file and level of detail (and
// one each for the box, the grid and the markers): the whole line takes a few dozen draw calls
// however many machines it has.
#pragma once

#include <span>

#include <array>
#include <cstdint>

#include <glm/mat4x4.hpp>

#include "gl_api.hpp"
#include "triangle_mesh.hpp"

namespace linetwin::viewer {

// What differs between the instances of a mesh: where it stands, and its colour (sRGB bytes,
// written to the framebuffer as they are when drawn unlit).
struct MeshInstance {
  glm::mat4 model_to_world{1.0f};
  std::array<std::uint8_t, 4> colour{255, 255, 255, 255};
};

class GpuMesh {
 public:
  // `primitive` is GL_TRIANGLES, or GL_LINES for a mesh whose indices are pairs (the grid).
  explicit GpuMesh(const TriangleMesh& mesh, GLenum primitive = GL_TRIANGLES);
  GpuMesh(GpuMesh&& other) noexcept;
  GpuMesh& operator=(GpuMesh&&) = delete;
  GpuMesh(const GpuMesh&) = delete;
  GpuMesh& operator=(const GpuMesh&) = delete;
  ~GpuMesh();

  // Uploads the instances (the buffer is orphaned, so the GPU never waits on last frame's) and
  // draws them with the program that is bound.
  void draw(std::span<const MeshInstance> instances);
  std::size_t triangle_count() const { return index_count_ / 3; }

 private:
  GLuint vertex_array_ = 0;
  GLuint vertex_buffer_ = 0;
  GLuint index_buffer_ = 0;
  GLuint instance_buffer_ = 0;
  GLsizei index_count_ = 0;
  GLenum primitive_ = GL_TRIANGLES;
};

}  // namespace linetwin::viewer
