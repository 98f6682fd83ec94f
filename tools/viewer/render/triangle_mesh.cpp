#include "triangle_mesh.hpp"

#include <algorithm>
#include <array>

#include <glm/common.hpp>

namespace linetwin::viewer {

Box3 TriangleMesh::bounds() const {
  if (positions.empty()) return {};
  Box3 box{positions.front(), positions.front()};
  for (const glm::vec3& p : positions) {
    box.min = glm::min(box.min, p);
    box.max = glm::max(box.max, p);
  }
  return box;
}

TriangleMesh make_box_mesh(glm::vec3 size) {
  const glm::vec3 half{size.x / 2, size.y / 2, size.z};
  // Each face: its outward normal and two tangent axes whose cross product is that normal, so
  // the corners below run counter-clockwise seen from outside.
  struct Face {
    glm::vec3 normal, u, v;
  };
  const std::array<Face, 6> faces = {{
      {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
      {{-1, 0, 0}, {0, 0, 1}, {0, 1, 0}},
      {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}},
      {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}},
      {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}},
      {{0, 0, -1}, {0, 1, 0}, {1, 0, 0}},
  }};
  TriangleMesh mesh;
  const glm::vec3 centre{0.0f, 0.0f, half.z / 2};
  const glm::vec3 extent{half.x, half.y, half.z / 2};
  for (const Face& face : faces) {
    const auto first = static_cast<std::uint32_t>(mesh.positions.size());
    for (const auto [su, sv] : {std::array{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}) {
      const glm::vec3 corner =
          face.normal + static_cast<float>(su) * face.u + static_cast<float>(sv) * face.v;
      mesh.positions.push_back(centre + corner * extent);
      mesh.normals.push_back(face.normal);
    }
    for (const std::uint32_t k : {0u, 1u, 2u, 0u, 2u, 3u})
      mesh.indices.push_back(first + k);
  }
  return mesh;
}

TriangleMesh make_floor_quad_mesh() {
  TriangleMesh mesh;
  mesh.positions = {
      {-0.5f, -0.5f, 0.0f}, {0.5f, -0.5f, 0.0f}, {0.5f, 0.5f, 0.0f}, {-0.5f, 0.5f, 0.0f}};
  mesh.normals.assign(4, glm::vec3(0, 0, 1));
  mesh.indices = {0, 1, 2, 0, 2, 3};
  return mesh;
}

TriangleMesh make_arrow_head_mesh() {
  TriangleMesh mesh;
  mesh.positions = {{0.0f, -0.5f, 0.0f}, {1.0f, 0.0f, 0.0f}, {0.0f, 0.5f, 0.0f}};
  mesh.normals.assign(3, glm::vec3(0, 0, 1));
  mesh.indices = {0, 1, 2};
  return mesh;
}

}  // namespace linetwin::viewer
