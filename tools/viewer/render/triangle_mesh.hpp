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
// Flat shapes on z = 0, facing up (counter-clockwise seen from above), for a flow arrow: a unit
// square centred on x = y = 0 (its shaft), and a triangle one unit long and wide from its back at
// x = 0 to its tip at x = 1 (its head). Flat, so that thousands of arrows cost a few triangles
// each.
TriangleMesh make_floor_quad_mesh();
TriangleMesh make_arrow_head_mesh();

}  // namespace linetwin::viewer
