#include "view_frustum.hpp"

#include <glm/geometric.hpp>

namespace linetwin::viewer {

ViewFrustum::ViewFrustum(const glm::mat4& m) {
  // A clip-space point is inside when -w <= x, y, z <= w; each inequality, written with the rows
  // of the matrix, is a plane in world space. glm stores columns: row i is m[0][i] .. m[3][i].
  const auto row = [&](int i) { return glm::vec4(m[0][i], m[1][i], m[2][i], m[3][i]); };
  for (int axis = 0; axis < 3; ++axis) {
    planes_[2 * axis] = row(3) + row(axis);
    planes_[2 * axis + 1] = row(3) - row(axis);
  }
  for (glm::vec4& plane : planes_)
    plane /= glm::length(glm::vec3(plane));
}

bool ViewFrustum::may_see(glm::vec3 centre, float radius) const {
  for (const glm::vec4& plane : planes_) {
    if (glm::dot(glm::vec3(plane), centre) + plane.w < -radius) return false;
  }
  return true;
}

}  // namespace linetwin::viewer
