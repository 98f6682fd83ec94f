// TriangleMesh: what the renderer draws for one model file, one level of detail: indexed triangles
// with a normal per vertex, in metres, z up, standing on z = 0 and centred on the element's pose.
// Models are flattened into one such mesh at load time (one draw call per model and level), so
// the scene graph of a model file never reaches the frame loop.
#pragma once

#include <cstdint>
#include <vector>

#include <glm/vec3.hpp>

namespace linetwin::viewer {

struct Box3 {
  glm::vec3 min{0.0f};
  glm::vec3 max{0.0f};
  glm::vec3 size() const { return max - min; }
};

struct TriangleMesh {
  std::vector<glm::vec3> positions;
  std::vector<glm::vec3> normals;      // one per position
  std::vector<std::uint32_t> indices;  // three per triangle

  std::size_t triangle_count() const { return indices.size() / 3; }
  Box3 bounds() const;
};

// An axis-aligned box of the given size standing on z = 0, centred on x = y = 0, with flat
// normals (24 vertices, 12 triangles): the fallback for a missing model, status markers, parts.
TriangleMesh make_box_mesh(glm::vec3 size);
// A flow arrow's head: a flat triangular prism one unit long (x, from its back at x = 0 to its tip
// at x = 1), one wide (y) and one high (z, from 0), wound counter-clockwise seen from outside.
TriangleMesh make_arrow_head_mesh();

}  // namespace linetwin::viewer
