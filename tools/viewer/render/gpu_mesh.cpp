#include "gpu_mesh.hpp"

#include <cstddef>
#include <utility>
#include <vector>

namespace linetwin::viewer {

namespace {

struct Vertex {
  glm::vec3 position;
  glm::vec3 normal;
};

// Attribute locations, as the shaders in line_renderer.cpp declare them.
constexpr GLuint kPosition = 0;
constexpr GLuint kNormal = 1;
constexpr GLuint kModelColumn0 = 2;  // four columns: 2 to 5
constexpr GLuint kColour = 6;

const void* offset(std::size_t bytes) {
  return reinterpret_cast<const void*>(bytes);
}

}  // namespace

GpuMesh::GpuMesh(const TriangleMesh& mesh, GLenum primitive)
    : index_count_(static_cast<GLsizei>(mesh.indices.size())), primitive_(primitive) {
  std::vector<Vertex> vertices(mesh.positions.size());
  for (std::size_t v = 0; v < vertices.size(); ++v)
    vertices[v] = {mesh.positions[v], mesh.normals[v]};

  glGenVertexArrays(1, &vertex_array_);
  glBindVertexArray(vertex_array_);
  glGenBuffers(1, &vertex_buffer_);
  glBindBuffer(GL_ARRAY_BUFFER, vertex_buffer_);
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices.size() * sizeof(Vertex)),
               vertices.data(), GL_STATIC_DRAW);
  glEnableVertexAttribArray(kPosition);
  glVertexAttribPointer(kPosition, 3, GL_FLOAT, GL_FALSE, sizeof(Vertex),
                        offset(offsetof(Vertex, position)));
  glEnableVertexAttribArray(kNormal);
  glVertexAttribPointer(kNormal, 3, GL_FLOAT, GL_FALSE, sizeof(Vertex),
                        offset(offsetof(Vertex, normal)));

  glGenBuffers(1, &index_buffer_);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, index_buffer_);
  glBufferData(GL_ELEMENT_ARRAY_BUFFER,
               static_cast<GLsizeiptr>(mesh.indices.size() * sizeof(std::uint32_t)),
               mesh.indices.data(), GL_STATIC_DRAW);

  glGenBuffers(1, &instance_buffer_);
  glBindBuffer(GL_ARRAY_BUFFER, instance_buffer_);
  for (GLuint column = 0; column < 4; ++column) {
    glEnableVertexAttribArray(kModelColumn0 + column);
    glVertexAttribPointer(
        kModelColumn0 + column, 4, GL_FLOAT, GL_FALSE, sizeof(MeshInstance),
        offset(offsetof(MeshInstance, model_to_world) + column * sizeof(glm::vec4)));
    glVertexAttribDivisor(kModelColumn0 + column, 1);
  }
  glEnableVertexAttribArray(kColour);
  glVertexAttribPointer(kColour, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(MeshInstance),
                        offset(offsetof(MeshInstance, colour)));
  glVertexAttribDivisor(kColour, 1);
  glBindVertexArray(0);
}

GpuMesh::GpuMesh(GpuMesh&& other) noexcept
    : vertex_array_(std::exchange(other.vertex_array_, 0)),
      vertex_buffer_(std::exchange(other.vertex_buffer_, 0)),
      index_buffer_(std::exchange(other.index_buffer_, 0)),
      instance_buffer_(std::exchange(other.instance_buffer_, 0)),
      index_count_(other.index_count_),
      primitive_(other.primitive_) {}

GpuMesh::~GpuMesh() {
  if (vertex_array_ == 0) return;
  glDeleteBuffers(1, &instance_buffer_);
  glDeleteBuffers(1, &index_buffer_);
  glDeleteBuffers(1, &vertex_buffer_);
  glDeleteVertexArrays(1, &vertex_array_);
}

void GpuMesh::draw(std::span<const MeshInstance> instances) {
  if (instances.empty() || index_count_ == 0) return;
  glBindVertexArray(vertex_array_);
  glBindBuffer(GL_ARRAY_BUFFER, instance_buffer_);
  const auto bytes = static_cast<GLsizeiptr>(instances.size_bytes());
  glBufferData(GL_ARRAY_BUFFER, bytes, nullptr, GL_STREAM_DRAW);
  glBufferSubData(GL_ARRAY_BUFFER, 0, bytes, instances.data());
  glDrawElementsInstanced(primitive_, index_count_, GL_UNSIGNED_INT, nullptr,
                          static_cast<GLsizei>(instances.size()));
  glBindVertexArray(0);
}

}  // namespace linetwin::viewer
