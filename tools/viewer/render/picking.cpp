#include "picking.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <glm/geometric.hpp>
#include <glm/matrix.hpp>

namespace linetwin::viewer {

Ray ray_through_pixel(glm::vec2 pixel, glm::vec2 size, const glm::mat4& view_projection) {
  const glm::vec2 ndc{2.0f * pixel.x / size.x - 1.0f, 1.0f - 2.0f * pixel.y / size.y};
  const glm::mat4 inverse = glm::inverse(view_projection);
  const auto unproject = [&](float depth) {
    const glm::vec4 p = inverse * glm::vec4(ndc, depth, 1.0f);
    return glm::vec3(p) / p.w;
  };
  const glm::vec3 near_point = unproject(-1.0f);
  return {near_point, glm::normalize(unproject(1.0f) - near_point)};
}

std::optional<glm::vec2> project_to_pixel(glm::vec3 point, glm::vec2 size,
                                          const glm::mat4& view_projection) {
  const glm::vec4 clip = view_projection * glm::vec4(point, 1.0f);
  if (clip.w <= 0.0f) return std::nullopt;
  const glm::vec2 ndc = glm::vec2(clip) / clip.w;
  return glm::vec2((ndc.x + 1.0f) * 0.5f * size.x, (1.0f - ndc.y) * 0.5f * size.y);
}

std::optional<float> ray_hits(const Ray& ray, const OrientedBox& box) {
  // Into the box's frame, where it is axis-aligned: turn by -yaw about its centre.
  const float c = std::cos(box.yaw_rad);
  const float s = std::sin(box.yaw_rad);
  const auto to_box = [&](glm::vec3 v) {
    return glm::vec3(c * v.x + s * v.y, -s * v.x + c * v.y, v.z);
  };
  const glm::vec3 origin = to_box(ray.origin - box.centre);
  const glm::vec3 direction = to_box(ray.direction);
  // Slab test: the ray is inside the box between its latest entry and earliest exit.
  float enter = 0.0f;
  float leave = std::numeric_limits<float>::max();
  for (int axis = 0; axis < 3; ++axis) {
    if (std::abs(direction[axis]) < 1e-12f) {
      if (std::abs(origin[axis]) > box.half_size[axis]) return std::nullopt;
      continue;
    }
    float t0 = (-box.half_size[axis] - origin[axis]) / direction[axis];
    float t1 = (box.half_size[axis] - origin[axis]) / direction[axis];
    if (t0 > t1) std::swap(t0, t1);
    enter = std::max(enter, t0);
    leave = std::min(leave, t1);
    if (enter > leave) return std::nullopt;
  }
  return enter;
}

std::optional<std::size_t> pick_nearest(const Ray& ray, std::span<const OrientedBox> boxes) {
  std::optional<std::size_t> nearest;
  float nearest_t = std::numeric_limits<float>::max();
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const std::optional<float> t = ray_hits(ray, boxes[i]);
    if (t && *t < nearest_t) {
      nearest_t = *t;
      nearest = i;
    }
  }
  return nearest;
}

}  // namespace linetwin::viewer
