// Where the viewer draws an operator (render/element_placement.hpp): beside the element it stands
// at, on the side away from the parts, outside the element's box and its deadlock pad; several
// side by side without touching; a walking one on the straight line between the places at its two
// stations, as far along as the engine's fraction, facing its way. GL-free, like the renderer's
// own placement of the elements.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "element_placement.hpp"
#include "triangle_mesh.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

ElementView station_at(double x, double y, double yaw_deg = 0.0) {
  ElementView station;
  station.type = ElementType::kStation;
  station.pose = {x, y, 0.0, yaw_deg};
  return station;
}

// The project's operator model's bounds: 0.54 m at the shoulders, 0.24 m deep, 1.75 m tall.
const Box3 kOperatorModel{{-0.27f, -0.12f, 0.0f}, {0.27f, 0.12f, 1.75f}};
const Box3 kUnitBox{{-0.5f, -0.5f, 0.0f}, {0.5f, 0.5f, 1.0f}};

// The corners of `box` on the floor plane, turned by its yaw.
std::vector<glm::vec2> floor_corners(const OrientedBox& box) {
  const float c = std::cos(box.yaw_rad);
  const float s = std::sin(box.yaw_rad);
  std::vector<glm::vec2> out;
  for (const float dx : {-1.0f, 1.0f}) {
    for (const float dy : {-1.0f, 1.0f}) {
      const glm::vec2 local{dx * box.half_size.x, dy * box.half_size.y};
      out.push_back(
          {box.centre.x + c * local.x - s * local.y, box.centre.y + s * local.x + c * local.y});
    }
  }
  return out;
}

// How far `p` lies beyond the box's +y side, in the box's own frame.
float beyond_plus_y(const OrientedBox& box, glm::vec2 p) {
  const float c = std::cos(box.yaw_rad);
  const float s = std::sin(box.yaw_rad);
  const glm::vec2 d = p - glm::vec2(box.centre);
  return (-s * d.x + c * d.y) - box.half_size.y;
}

OperatorPosition standing(OperatorActivity activity, ElementIndex element) {
  OperatorPosition op;
  op.activity = activity;
  op.element = element;
  return op;
}

}  // namespace

TEST_CASE("operator placement: beside the station, outside its box and pad, on the floor") {
  for (const double yaw : {0.0, 90.0, 30.0}) {
    CAPTURE(yaw);
    const std::vector<ElementPlacement> placements{
        place_element(station_at(10.0, -3.0, yaw), kUnitBox, FootprintFit::kStretch)};
    const OrientedBox& station = placements[0].box;
    const OperatorPlacement at =
        place_operator(standing(OperatorActivity::kAtStation, 0), placements, 0, kOperatorModel);
    CHECK(at.box.centre.z == doctest::Approx(kOperatorSizeM.z / 2));  // standing on the floor
    CHECK(at.box.half_size.z == doctest::Approx(kOperatorSizeM.z / 2));
    // In the middle of the station's +y side, each of its corners beyond the pad's ring.
    CHECK(at.box.yaw_rad == doctest::Approx(station.yaw_rad));
    for (const glm::vec2 corner : floor_corners(at.box))
      CHECK(beyond_plus_y(station, corner) >= kPadMarginM - 1e-4f);
    // The model's own corner (its feet, front right) lands on the box's.
    const glm::vec3 feet = glm::vec3(
        at.model_to_world * glm::vec4(kOperatorModel.max.x, kOperatorModel.max.y, 0.0f, 1.0f));
    const float c = std::cos(station.yaw_rad);
    const float s = std::sin(station.yaw_rad);
    const glm::vec2 expected =
        glm::vec2(at.box.centre) + glm::vec2(c * at.box.half_size.x - s * at.box.half_size.y,
                                             s * at.box.half_size.x + c * at.box.half_size.y);
    CHECK(feet.x == doctest::Approx(expected.x).epsilon(1e-4));
    CHECK(feet.y == doctest::Approx(expected.y).epsilon(1e-4));
    CHECK(feet.z == doctest::Approx(0.0f));

    // Three at one station: side by side along its x, none touching another.
    std::vector<OperatorPlacement> three;
    for (std::size_t slot = 0; slot < 3; ++slot) {
      three.push_back(
          place_operator(standing(OperatorActivity::kIdle, 0), placements, slot, kOperatorModel));
    }
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t j = i + 1; j < 3; ++j) {
        const float apart = glm::length(glm::vec2(three[i].box.centre - three[j].box.centre));
        CHECK(apart >= kOperatorSizeM.x);
        CHECK(apart == doctest::Approx(i == 0 ? kOperatorPitchM : 2 * kOperatorPitchM));
      }
    }
  }
}

TEST_CASE("operator placement: walking between the places at two stations") {
  const std::vector<ElementPlacement> placements{
      place_element(station_at(0.0, 0.0), kUnitBox, FootprintFit::kStretch),
      place_element(station_at(12.0, 5.0), kUnitBox, FootprintFit::kStretch)};
  const glm::vec3 from = operator_spot(placements[0], 0);
  const glm::vec3 to = operator_spot(placements[1], 0);
  // The places themselves: beyond each station's +y side, in its middle.
  CHECK(from.x == doctest::Approx(0.0f));
  CHECK(from.y ==
        doctest::Approx(placements[0].box.half_size.y + kOperatorGapM + kOperatorSizeM.y / 2));
  CHECK(to.x == doctest::Approx(12.0f));

  OperatorPosition op;
  op.activity = OperatorActivity::kWalking;
  op.element = 0;
  op.walking_to = 1;
  for (const double fraction : {0.0, 0.25, 0.5, 1.0}) {
    CAPTURE(fraction);
    op.fraction = fraction;
    const OperatorPlacement walking = place_operator(op, placements, 2, kOperatorModel);
    const glm::vec3 expected = from + static_cast<float>(fraction) * (to - from);
    CHECK(walking.box.centre.x == doctest::Approx(expected.x));
    CHECK(walking.box.centre.y == doctest::Approx(expected.y));
    // Facing the way: the model's thin side (y) along it.
    const float way = std::atan2(to.y - from.y, to.x - from.x);
    CHECK(walking.box.yaw_rad == doctest::Approx(way - std::numbers::pi_v<float> / 2));
  }
  // An operator of a pool without a home, not yet anywhere, stands at the origin.
  const OperatorPlacement nowhere =
      place_operator(standing(OperatorActivity::kIdle, kNoElement), placements, 0, kOperatorModel);
  CHECK(nowhere.box.centre.x == 0.0f);
  CHECK(nowhere.box.centre.y == 0.0f);
}
