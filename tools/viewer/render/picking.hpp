// Picking: which element is under the mouse. A ray from the eye through the pixel is tested
// against each element's box, turned by the element's yaw; the nearest hit wins. On the CPU,
// because a few thousand boxes take microseconds and a GPU read-back would stall the frame.
#pragma once

#include <optional>
#include <span>

#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>
#include <glm/vec3.hpp>

namespace linetwin::viewer {

struct Ray {
  glm::vec3 origin{0.0f};
  glm::vec3 direction{0.0f, 0.0f, -1.0f};  // unit length
};

// A box standing on the floor, turned about the vertical axis through its centre.
struct OrientedBox {
  glm::vec3 centre{0.0f};
  glm::vec3 half_size{0.5f};
  float yaw_rad = 0.0f;
};

// The ray through pixel (x, y) of a viewport `size` pixels large, y down as in window coordinates.
Ray ray_through_pixel(glm::vec2 pixel, glm::vec2 size, const glm::mat4& view_projection);
// Where a world point appears, in pixels, y down; nullopt when it is behind the eye.
std::optional<glm::vec2> project_to_pixel(glm::vec3 point, glm::vec2 size,
                                          const glm::mat4& view_projection);
// The distance along the ray to where it enters the box (0 when it starts inside); nullopt: miss.
std::optional<float> ray_hits(const Ray& ray, const OrientedBox& box);
// The index of the nearest box the ray hits.
std::optional<std::size_t> pick_nearest(const Ray& ray, std::span<const OrientedBox> boxes);

}  // namespace linetwin::viewer
