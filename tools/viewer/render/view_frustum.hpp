// ViewFrustum: the six planes of what the camera sees, for culling on the CPU. Elements are tested
// by their bounding sphere, one dot product per plane: with thousands of machines most of a
// zoomed-in view is outside, and skipping them costs less than sending them to a software
// rasteriser that would clip them anyway.
#pragma once

#include <array>

#include <glm/mat4x4.hpp>
#include <glm/vec3.hpp>
#include <glm/vec4.hpp>

namespace linetwin::viewer {

class ViewFrustum {
 public:
  // From a projection × view matrix (Gribb and Hartmann's extraction, GL clip conventions).
  explicit ViewFrustum(const glm::mat4& view_projection);
  // False only when the sphere lies wholly outside one plane (it may still be outside a corner).
  bool may_see(glm::vec3 centre, float radius) const;

 private:
  std::array<glm::vec4, 6> planes_;  // normal (xyz, pointing inside) and offset (w), normalised
};

}  // namespace linetwin::viewer
