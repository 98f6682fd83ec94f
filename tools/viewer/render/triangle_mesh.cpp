#include "triangle_mesh.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

#include <glm/common.hpp>
#include <glm/geometric.hpp>

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

TriangleMesh make_arrow_head_mesh() {
  // The top and bottom triangles and the three sides of the prism, each face with its own
  // corners so that it shades flat.
  const glm::vec3 back_right{0.0f, -0.5f, 0.0f};
  const glm::vec3 back_left{0.0f, 0.5f, 0.0f};
  const glm::vec3 tip{1.0f, 0.0f, 0.0f};
  const glm::vec3 up{0.0f, 0.0f, 1.0f};
  TriangleMesh mesh;
  const auto face = [&](std::initializer_list<glm::vec3> corners, glm::vec3 normal) {
    const auto first = static_cast<std::uint32_t>(mesh.positions.size());
    for (const glm::vec3& corner : corners) {
      mesh.positions.push_back(corner);
      mesh.normals.push_back(normal);
    }
    for (std::uint32_t k = 1; k + 1 < corners.size(); ++k)
      mesh.indices.insert(mesh.indices.end(), {first, first + k, first + k + 1});
  };
  face({back_right, back_left, tip}, {0, 0, -1});
  face({back_right + up, tip + up, back_left + up}, {0, 0, 1});
  face({back_left, back_right, back_right + up, back_left + up}, {-1, 0, 0});
  face({back_right, tip, tip + up, back_right + up}, glm::normalize(glm::vec3(0.5f, -1.0f, 0.0f)));
  face({tip, back_left, back_left + up, tip + up}, glm::normalize(glm::vec3(0.5f, 1.0f, 0.0f)));
  return mesh;
}

}  // namespace linetwin::viewer
