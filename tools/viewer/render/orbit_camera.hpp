// OrbitCamera: the view of the shop floor. It looks at a target point on the floor from a
// distance, a heading (yaw) and an elevation (pitch), z up; orbiting turns about the target,
// panning slides the target along the floor, zooming changes the distance. This is the camera of
// CAD and layout tools, where the line stays the centre of attention. In plan view it looks
// straight down with an orthographic projection instead, x to the right and y up the screen, as a
// layout drawing: a metre is as many pixels everywhere on the floor, zooming changes how many,
// and there is nothing to orbit. GL-free, so it is tested without a window.
#pragma once

#include <glm/mat4x4.hpp>
#include <glm/vec3.hpp>

#include "triangle_mesh.hpp"

namespace linetwin::viewer {

class OrbitCamera {
 public:
  static constexpr float kFieldOfViewYDeg = 45.0f;

  // Plan view (top down, orthographic) or the 3D view; each keeps its own target and zoom.
  void set_plan(bool plan) { plan_ = plan; }
  bool plan() const { return plan_; }
  glm::vec3 target() const { return plan_ ? plan_target_ : target_; }
  float distance_m() const { return distance_m_; }
  glm::vec3 eye() const;
  glm::mat4 view() const;
  glm::mat4 projection(float aspect) const;
  // How many pixels a metre at `distance_m` from the eye covers on a viewport
  // `viewport_height_px` high (in plan view, the same at any distance).
  float pixels_per_metre(float distance_m, float viewport_height_px) const;

  // Puts the whole of `bounds` in view from the default direction (from the front of the line,
  // the y < 0 side, looking down at 50 degrees; in plan view from above), for a viewport of
  // width/height `aspect`.
  void frame(const Box3& bounds, float aspect);
  // Moves the target to `point`, keeping direction and distance (focus on a picked element).
  void look_at(glm::vec3 point) { (plan_ ? plan_target_ : target_) = point; }
  // Does nothing in plan view, which stays north up.
  void orbit(float yaw_deg, float pitch_deg);
  // Slides the target so that the floor under the cursor follows a drag of (dx, dy) pixels in a
  // viewport `viewport_height_px` high (right and down positive, as window coordinates are).
  void pan(float dx_px, float dy_px, float viewport_height_px);
  // Positive steps come closer, each by a fixed ratio, so zooming feels the same at any distance.
  void zoom(float steps);

 private:
  glm::vec3 target_{0.0f};
  float distance_m_ = 20.0f;
  float yaw_deg_ = -90.0f;  // the eye on the -y side, x running left to right
  float pitch_deg_ = 50.0f;
  float scene_radius_m_ = 10.0f;  // what the far plane must still reach beyond the target
  bool plan_ = false;
  glm::vec3 plan_target_{0.0f};
  float plan_half_height_m_ = 10.0f;  // of the floor seen, from the target up to the top edge
};

}  // namespace linetwin::viewer
