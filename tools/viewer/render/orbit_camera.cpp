#include "orbit_camera.hpp"

#include <algorithm>
#include <cmath>

#include <glm/gtc/matrix_transform.hpp>
#include <glm/trigonometric.hpp>

namespace linetwin::viewer {

namespace {
constexpr float kMinPitchDeg = 5.0f;   // never level with the floor, where the view degenerates
constexpr float kMaxPitchDeg = 89.0f;  // never straight down, where the heading is undefined
constexpr float kMinDistanceM = 0.5f;
constexpr float kMaxDistanceM = 20000.0f;
constexpr float kZoomRatioPerStep = 0.85f;
}  // namespace

glm::vec3 OrbitCamera::eye() const {
  // Above everything on the floor (the far plane reaches the floor under it).
  if (plan_) return plan_target_ + glm::vec3(0.0f, 0.0f, 2.0f * scene_radius_m_ + 10.0f);
  const float yaw = glm::radians(yaw_deg_);
  const float pitch = glm::radians(pitch_deg_);
  return target_ + distance_m_ * glm::vec3(std::cos(pitch) * std::cos(yaw),
                                           std::cos(pitch) * std::sin(yaw), std::sin(pitch));
}

glm::mat4 OrbitCamera::view() const {
  if (plan_) return glm::lookAt(eye(), plan_target_, glm::vec3(0, 1, 0));
  return glm::lookAt(eye(), target_, glm::vec3(0, 0, 1));
}

glm::mat4 OrbitCamera::projection(float aspect) const {
  if (plan_) {
    const float half_width = plan_half_height_m_ * aspect;
    const float height = eye().z - plan_target_.z;
    return glm::ortho(-half_width, half_width, -plan_half_height_m_, plan_half_height_m_, 0.1f,
                      height + 1.0f);
  }
  // The near plane follows the distance so that depth precision goes where the eye looks.
  const float near_m = std::max(0.05f, distance_m_ * 0.02f);
  const float far_m = distance_m_ + 2.0f * scene_radius_m_ + 10.0f;
  return glm::perspective(glm::radians(kFieldOfViewYDeg), aspect, near_m, far_m);
}

float OrbitCamera::pixels_per_metre(float distance_m, float viewport_height_px) const {
  if (plan_) return viewport_height_px / (2.0f * plan_half_height_m_);
  return viewport_height_px /
         (2.0f * std::tan(glm::radians(kFieldOfViewYDeg) / 2.0f) * std::max(distance_m, 1e-3f));
}

void OrbitCamera::frame(const Box3& bounds, float aspect) {
  constexpr float kMargin = 0.92f;  // of the half-width of the view, in normalised coordinates
  scene_radius_m_ = std::max(1.0f, 0.5f * glm::length(bounds.size()));
  if (plan_) {
    // The floor plan of the box, centred, with the same margin as the 3D view's.
    plan_target_ = (bounds.min + bounds.max) * 0.5f;
    plan_target_.z = bounds.min.z;
    const glm::vec3 size = bounds.size();
    plan_half_height_m_ =
        std::max({0.5f * size.y, 0.5f * size.x / std::max(aspect, 1e-3f), kMinDistanceM}) / kMargin;
    return;
  }
  target_ = (bounds.min + bounds.max) * 0.5f;
  target_.z = bounds.min.z;
  yaw_deg_ = -90.0f;
  pitch_deg_ = 50.0f;
  // The bounding sphere always fits in the narrower of the two fields of view, but a long, flat
  // line would then fill a fraction of the screen. So the distance is bisected between "too
  // close" and the sphere's distance for the nearest one at which all eight corners of the box
  // are on screen, with a margin.
  const float half_y = glm::radians(kFieldOfViewYDeg) / 2.0f;
  const float half_x = std::atan(std::tan(half_y) * aspect);
  const auto fits = [&](float distance) {
    distance_m_ = distance;
    const glm::mat4 view_projection = projection(aspect) * view();
    for (int k = 0; k < 8; ++k) {
      const glm::vec3 corner{(k & 1) ? bounds.max.x : bounds.min.x,
                             (k & 2) ? bounds.max.y : bounds.min.y,
                             (k & 4) ? bounds.max.z : bounds.min.z};
      const glm::vec4 clip = view_projection * glm::vec4(corner, 1.0f);
      if (clip.w <= 0.0f || std::abs(clip.x) > kMargin * clip.w ||
          std::abs(clip.y) > kMargin * clip.w) {
        return false;
      }
    }
    return true;
  };
  float far_enough = std::clamp(scene_radius_m_ / std::sin(std::min(half_x, half_y)), kMinDistanceM,
                                kMaxDistanceM);
  while (!fits(far_enough) && far_enough < kMaxDistanceM) {
    far_enough = std::min(2.0f * far_enough, kMaxDistanceM);
  }
  float too_close = kMinDistanceM;
  for (int step = 0; step < 40 && far_enough - too_close > 0.01f * far_enough; ++step) {
    const float middle = 0.5f * (too_close + far_enough);
    (fits(middle) ? far_enough : too_close) = middle;
  }
  distance_m_ = far_enough;
}

void OrbitCamera::orbit(float yaw_deg, float pitch_deg) {
  if (plan_) return;
  yaw_deg_ = std::fmod(yaw_deg_ + yaw_deg, 360.0f);
  pitch_deg_ = std::clamp(pitch_deg_ + pitch_deg, kMinPitchDeg, kMaxPitchDeg);
}

void OrbitCamera::pan(float dx_px, float dy_px, float viewport_height_px) {
  if (plan_) {
    // The floor follows the cursor: x to the right, y up the screen.
    const float scale = 2.0f * plan_half_height_m_ / std::max(1.0f, viewport_height_px);
    plan_target_ += scale * glm::vec3(-dx_px, dy_px, 0.0f);
    return;
  }
  // Metres per pixel at the target's depth.
  const float scale = 2.0f * distance_m_ * std::tan(glm::radians(kFieldOfViewYDeg) / 2.0f) /
                      std::max(1.0f, viewport_height_px);
  const float yaw = glm::radians(yaw_deg_);
  const glm::vec3 right{-std::sin(yaw), std::cos(yaw), 0.0f};
  const glm::vec3 away{-std::cos(yaw), -std::sin(yaw), 0.0f};  // from the eye, along the floor
  // Dragging right moves the floor right: the target goes left; dragging down brings it nearer.
  target_ += scale * (-dx_px * right + dy_px * away);
}

void OrbitCamera::zoom(float steps) {
  if (plan_) {
    plan_half_height_m_ = std::clamp(plan_half_height_m_ * std::pow(kZoomRatioPerStep, steps),
                                     kMinDistanceM, kMaxDistanceM);
    return;
  }
  distance_m_ =
      std::clamp(distance_m_ * std::pow(kZoomRatioPerStep, steps), kMinDistanceM, kMaxDistanceM);
}

}  // namespace linetwin::viewer
