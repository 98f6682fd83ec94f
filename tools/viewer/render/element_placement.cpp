#include "element_placement.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include <glm/common.hpp>
#include <glm/geometric.hpp>
#include <glm/gtc/constants.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/trigonometric.hpp>

namespace linetwin::viewer {

namespace {

constexpr float kConveyorWidthM = 0.8f;
constexpr float kConveyorHeightM = 0.9f;  // a usual working height for a belt's top
constexpr int kPartsPerRow = 4;

glm::mat4 pose_matrix(const Pose& pose) {
  const glm::mat4 at = glm::translate(
      glm::mat4(1.0f), glm::vec3(static_cast<float>(pose.x_m), static_cast<float>(pose.y_m),
                                 static_cast<float>(pose.z_m)));
  return glm::rotate(at, glm::radians(static_cast<float>(pose.yaw_deg)), glm::vec3(0, 0, 1));
}

}  // namespace

glm::vec3 footprint_m(const ElementView& element) {
  switch (element.type) {
    case ElementType::kStation:
      return {2.0f, 1.5f, 1.8f};
    case ElementType::kBuffer:
      return {1.2f, 1.2f, 0.3f};
    case ElementType::kConveyor:
      return {std::max(0.5f, static_cast<float>(element.conveyor_length_m)), kConveyorWidthM,
              kConveyorHeightM};
    case ElementType::kSource:
    case ElementType::kSink:
      return {1.0f, 1.0f, 0.5f};
  }
  return {1.0f, 1.0f, 1.0f};
}

ElementPlacement place_element(const ElementView& element, const Box3& model_bounds,
                               FootprintFit fit_rule) {
  const glm::vec3 footprint = footprint_m(element);
  // A conveyor's model runs along its longest horizontal side, whichever axis its file used (the
  // NIST ARIAC belt runs along y): turned a quarter, that side lies along the belt.
  glm::vec3 extent = glm::max(model_bounds.size(), glm::vec3(1e-6f));
  const bool quarter_turn = element.type == ElementType::kConveyor &&
                            fit_rule == FootprintFit::kKeepProportions && extent.y > extent.x;
  if (quarter_turn) std::swap(extent.x, extent.y);
  const glm::vec3 fit = footprint / extent;
  glm::vec3 scale{std::min({fit.x, fit.y, fit.z})};
  if (fit_rule == FootprintFit::kStretch) {
    scale = fit;
  } else if (element.type == ElementType::kConveyor) {
    scale = glm::vec3(fit.x, std::min(fit.y, fit.z), std::min(fit.y, fit.z));
  }
  const glm::vec3 size = extent * scale;
  const glm::mat4 pose = pose_matrix(element.pose);

  ElementPlacement placement;
  placement.model_to_world = glm::scale(pose, scale);
  if (quarter_turn) {
    // (x, y) becomes (y, -x): the model's y axis runs along the element's x.
    placement.model_to_world =
        glm::rotate(placement.model_to_world, glm::radians(-90.0f), glm::vec3(0, 0, 1));
  }
  const glm::vec3 base = glm::vec3(pose[3]);
  placement.box = {base + glm::vec3(0.0f, 0.0f, size.z / 2), size / 2.0f,
                   glm::radians(static_cast<float>(element.pose.yaw_deg))};
  const float marker_z = size.z + kMarkerGapM;
  placement.marker_to_world =
      glm::scale(glm::translate(pose, glm::vec3(0.0f, 0.0f, marker_z)), kMarkerSizeM);
  placement.marker_top = base + glm::vec3(0.0f, 0.0f, marker_z + kMarkerSizeM.z);
  placement.pad_to_world = glm::scale(
      pose, glm::vec3(size.x + 2.0f * kPadMarginM, size.y + 2.0f * kPadMarginM, kPadThicknessM));
  const float top = has_status_marker(element) ? marker_z + kMarkerSizeM.z : size.z;
  placement.sphere_centre = base + glm::vec3(0.0f, 0.0f, top / 2);
  placement.sphere_radius_m = 0.5f * glm::length(glm::vec3(size.x, size.y, top));
  return placement;
}

namespace {

// How far from an oriented box's centre a ray along the floor direction `d` leaves it.
float distance_to_edge(const OrientedBox& box, glm::vec2 d) {
  const glm::vec2 along{std::cos(box.yaw_rad), std::sin(box.yaw_rad)};
  const glm::vec2 across{-along.y, along.x};
  const float a = std::abs(glm::dot(d, along));
  const float b = std::abs(glm::dot(d, across));
  float t = std::numeric_limits<float>::max();
  if (a > 1e-6f) t = std::min(t, box.half_size.x / a);
  if (b > 1e-6f) t = std::min(t, box.half_size.y / b);
  return t;
}

}  // namespace

float flow_arrow_width_m(double parts_per_hour, double max_parts_per_hour) {
  if (!std::isfinite(parts_per_hour) || !(max_parts_per_hour > 0.0)) return kFlowArrowWidthM;
  const auto share = static_cast<float>(std::clamp(parts_per_hour / max_parts_per_hour, 0.0, 1.0));
  return std::max(kFlowArrowMinWidthM, share * kFlowArrowMaxWidthM);
}

float arrow_width_px(const FlowArrow& arrow, const OrbitCamera& camera, float viewport_height_px) {
  const glm::vec3 eye = camera.eye();
  const glm::vec3 along = arrow.tip - arrow.start;
  const float length_squared = glm::dot(along, along);
  const float t = length_squared > 0.0f
                      ? std::clamp(glm::dot(eye - arrow.start, along) / length_squared, 0.0f, 1.0f)
                      : 0.0f;
  const float nearest_m = glm::distance(arrow.start + t * along, eye);
  return arrow.width_m * camera.pixels_per_metre(nearest_m, viewport_height_px);
}

std::optional<FlowArrow> place_flow_arrow(const ElementPlacement& from, const ElementPlacement& to,
                                          float width_m) {
  const glm::vec2 a{from.box.centre};
  const glm::vec2 b{to.box.centre};
  const float distance = glm::distance(a, b);
  if (distance < 1e-4f) return std::nullopt;
  const glm::vec2 d = (b - a) / distance;
  const float start_at = distance_to_edge(from.box, d) + kFlowArrowGapM;
  const float end_at = distance - distance_to_edge(to.box, d) - kFlowArrowGapM;
  const float room = end_at - start_at;
  if (room <= 0.0f) return std::nullopt;
  // A short link keeps its head and loses its shaft.
  const float head_length = std::min(kFlowHeadLengthM, room);
  const float shaft_length = room - head_length;
  const float z = std::max(from.box.centre.z - from.box.half_size.z, 0.0f) + kFlowArrowLiftM;
  const auto at = [&](float along) { return glm::vec3(a + along * d, z); };
  const float yaw = std::atan2(d.y, d.x);
  FlowArrow arrow;
  arrow.start = at(start_at);
  arrow.head_base = at(start_at + shaft_length);
  arrow.tip = at(end_at);
  arrow.width_m = width_m;
  const glm::mat4 turned_at_start = glm::rotate(
      glm::translate(glm::mat4(1.0f), at(start_at + shaft_length / 2)), yaw, glm::vec3(0, 0, 1));
  arrow.shaft_to_world =
      glm::scale(turned_at_start, glm::vec3(std::max(shaft_length, 1e-4f), width_m, 1.0f));
  arrow.head_to_world =
      glm::scale(glm::rotate(glm::translate(glm::mat4(1.0f), at(start_at + shaft_length)), yaw,
                             glm::vec3(0, 0, 1)),
                 glm::vec3(head_length, kFlowHeadWidthM - kFlowArrowWidthM + width_m, 1.0f));
  return arrow;
}

VehiclePlacement place_vehicle(const VehicleView& vehicle, const Box3& model_bounds) {
  const glm::vec3 extent = glm::max(model_bounds.size(), glm::vec3(1e-6f));
  const glm::vec2 fit =
      glm::vec2(static_cast<float>(vehicle.length_m), static_cast<float>(vehicle.width_m)) /
      glm::vec2(extent);
  const glm::vec3 scale{fit.x, fit.y, fit.y};
  const glm::vec3 size = extent * scale;
  const auto yaw = static_cast<float>(vehicle.pose.heading_rad);
  const glm::vec3 base{static_cast<float>(vehicle.pose.x_m), static_cast<float>(vehicle.pose.y_m),
                       0.0f};
  const glm::mat4 pose = glm::rotate(glm::translate(glm::mat4(1.0f), base), yaw, {0, 0, 1});
  VehiclePlacement placement;
  placement.model_to_world = glm::scale(pose, scale);
  placement.plate_to_world = glm::scale(
      glm::translate(pose, glm::vec3(0.0f, 0.0f, size.z)),
      glm::vec3(kVehiclePlateShare * size.x, kVehiclePlateShare * size.y, kVehiclePlateThicknessM));
  placement.plate_top = base + glm::vec3(0.0f, 0.0f, size.z + kVehiclePlateThicknessM);
  const bool sized = load_has_footprint(vehicle.load_length_m, vehicle.load_width_m);
  const glm::vec2 load = sized ? glm::vec2(static_cast<float>(vehicle.load_length_m),
                                           static_cast<float>(vehicle.load_width_m))
                               : kLoadShare * glm::vec2(size.x, size.y);
  placement.load_to_world =
      glm::scale(glm::translate(pose, glm::vec3(0.0f, 0.0f, size.z + kVehiclePlateThicknessM)),
                 glm::vec3(load, kLoadHeightM));
  placement.box = {base + glm::vec3(0.0f, 0.0f, size.z / 2), size / 2.0f, yaw};
  return placement;
}

glm::vec3 operator_spot(const ElementPlacement& at, std::size_t slot) {
  const auto side = static_cast<float>((slot + 1) / 2) * ((slot % 2) == 1 ? 1.0f : -1.0f);
  const glm::vec2 local{side * kOperatorPitchM,
                        at.box.half_size.y + kOperatorGapM + 0.5f * kOperatorSizeM.y};
  const float c = std::cos(at.box.yaw_rad);
  const float s = std::sin(at.box.yaw_rad);
  return {at.box.centre.x + c * local.x - s * local.y, at.box.centre.y + s * local.x + c * local.y,
          0.0f};
}

OperatorPlacement place_operator(const OperatorPosition& op,
                                 std::span<const ElementPlacement> placements, std::size_t slot,
                                 const Box3& model_bounds) {
  // An operator that has stood at no element yet stands at the floor's origin (its pool has no
  // home), where the engine places it.
  const auto spot_of = [&](ElementIndex element, std::size_t k) {
    return element < placements.size() ? operator_spot(placements[element], k) : glm::vec3(0.0f);
  };
  glm::vec3 base = spot_of(op.element, slot);
  float yaw = op.element < placements.size() ? placements[op.element].box.yaw_rad : 0.0f;
  if (op.activity == OperatorActivity::kWalking && op.walking_to < placements.size()) {
    const glm::vec3 from = spot_of(op.element, 0);
    const glm::vec3 way = operator_spot(placements[op.walking_to], 0) - from;
    base = from + static_cast<float>(op.fraction) * way;
    // The model's thin side (y) along the way: it faces where it goes.
    if (glm::length(way) > 0.0f) yaw = std::atan2(way.y, way.x) - glm::half_pi<float>();
  }
  const glm::vec3 scale = kOperatorSizeM / glm::max(model_bounds.size(), glm::vec3(1e-6f));
  const glm::mat4 pose = glm::rotate(glm::translate(glm::mat4(1.0f), base), yaw, {0, 0, 1});
  return {glm::scale(pose, scale),
          {base + glm::vec3(0.0f, 0.0f, kOperatorSizeM.z / 2), kOperatorSizeM / 2.0f, yaw}};
}

std::optional<PixelRect> projected_rect(const OrientedBox& box, glm::vec2 size,
                                        const glm::mat4& view_projection) {
  std::optional<PixelRect> rect;
  const float c = std::cos(box.yaw_rad);
  const float s = std::sin(box.yaw_rad);
  for (int corner = 0; corner < 8; ++corner) {
    const glm::vec3 local =
        box.half_size * glm::vec3((corner & 1) != 0 ? 1 : -1, (corner & 2) != 0 ? 1 : -1,
                                  (corner & 4) != 0 ? 1 : -1);
    const auto pixel = project_to_pixel(
        box.centre + glm::vec3(c * local.x - s * local.y, s * local.x + c * local.y, local.z), size,
        view_projection);
    if (!pixel) continue;
    if (!rect) rect = PixelRect{*pixel, *pixel};
    rect->min_px = glm::min(rect->min_px, *pixel);
    rect->max_px = glm::max(rect->max_px, *pixel);
  }
  return rect;
}

Box3 layout_bounds(std::span<const ElementPlacement> placements) {
  Box3 bounds;
  bool first = true;
  for (const ElementPlacement& placed : placements) {
    const glm::vec3 reach{placed.sphere_radius_m};
    if (first) bounds = {placed.sphere_centre - reach, placed.sphere_centre + reach};
    bounds.min = glm::min(bounds.min, placed.sphere_centre - reach);
    bounds.max = glm::max(bounds.max, placed.sphere_centre + reach);
    first = false;
  }
  bounds.min.z = std::min(bounds.min.z, 0.0f);
  return bounds;
}

bool has_status_marker(const ElementView& element) {
  return element.state != ViewState::kPassive;
}

void place_parts(const ElementView& element, const ElementPlacement& placement,
                 std::vector<glm::vec3>& out) {
  out.clear();
  const glm::mat4 pose = pose_matrix(element.pose);
  const float top = 2.0f * placement.box.half_size.z;
  const auto at = [&](glm::vec3 local) { out.push_back(glm::vec3(pose * glm::vec4(local, 1.0f))); };
  if (element.type == ElementType::kBuffer) {
    // Rows of kPartsPerRow, rows side by side, then layers: the fill shows as a growing pile.
    const std::uint64_t drawn = std::min(element.parts, kMaxPartsDrawnInBuffer);
    const float pitch = kPartSizeM.x * 1.1f;
    const float first = -0.5f * pitch * (kPartsPerRow - 1);
    for (std::uint64_t k = 0; k < drawn; ++k) {
      const auto column = static_cast<float>(k % kPartsPerRow);
      const auto row = static_cast<float>((k / kPartsPerRow) % kPartsPerRow);
      const auto layer = static_cast<float>(k / (kPartsPerRow * kPartsPerRow));
      at({first + column * pitch, first + row * pitch, top + layer * kPartSizeM.z});
    }
  } else if (element.type == ElementType::kConveyor) {
    const float length = 2.0f * placement.box.half_size.x;
    // A physics belt's position is its part's front; a cube stands centred on its position.
    const auto back = static_cast<float>(0.5 * element.part_size_m[0]);
    for (const double position_m : element.part_positions_m) {
      at({-length / 2 + static_cast<float>(position_m) - back, 0.0f, top});
    }
  } else if (element.type == ElementType::kStation) {
    // Two by two, then layers: a station holding more than it can work on shows a growing pile.
    const std::uint64_t drawn = std::min(element.parts, kMaxPartsDrawnAtStation);
    const float pitch = kPartSizeM.x * 1.1f;
    const float nearest_row = -(placement.box.half_size.y + kStationPileGapM + 0.5f * pitch);
    for (std::uint64_t k = 0; k < drawn; ++k) {
      const auto column = static_cast<float>(k % 2);
      const auto row = static_cast<float>((k / 2) % 2);
      const auto layer = static_cast<float>(k / 4);
      at({(column - 0.5f) * pitch, nearest_row - row * pitch, layer * kPartSizeM.z});
    }
  }
}

glm::mat4 part_to_world(const ElementView& element, glm::vec3 bottom_centre) {
  const glm::mat4 at = glm::translate(glm::mat4(1.0f), bottom_centre);
  if (element.part_size_m == std::array<double, 3>{}) return glm::scale(at, kPartSizeM);
  const glm::vec3 size(element.part_size_m[0] * (1.0 - kBeltPartGapShare), element.part_size_m[1],
                       element.part_size_m[2]);
  const float yaw = glm::radians(static_cast<float>(element.pose.yaw_deg));
  return glm::scale(glm::rotate(at, yaw, glm::vec3(0, 0, 1)), size);
}

}  // namespace linetwin::viewer
