// Where each part of an element is drawn on the shop floor: its model (scaled into the element's
// footprint and turned by its yaw), the box used to pick it, its status marker, and the parts it
// holds. GL-free: the renderer, the picking, the screenshot's marker positions and the tests all
// place elements through these functions, so what is drawn and what is checked cannot drift
// apart.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <glm/mat4x4.hpp>
#include <glm/vec3.hpp>

#include "model/line_view.hpp"
#include "orbit_camera.hpp"
#include "picking.hpp"
#include "plant/run/operator_position.hpp"
#include "triangle_mesh.hpp"

namespace linetwin::viewer {

// The status marker: a flat slab floating above a station, drawn unlit in exactly its state's
// colour, so it reads the same from any angle and can be checked pixel for pixel.
inline constexpr glm::vec3 kMarkerSizeM{0.9f, 0.9f, 0.12f};
inline constexpr float kMarkerGapM = 0.3f;  // between the top of the model and the marker
inline constexpr glm::vec3 kPartSizeM{0.3f, 0.3f, 0.3f};
// The deadlock highlight: a flat pad on the floor under each element of a deadlock, wider than
// the element's box by kPadMarginM on every side and drawn unlit in kDeadlockHighlight
// (model/state_colours.hpp), so that a ring of it shows around the element's foot from any angle
// above the floor, and can be checked pixel for pixel as the markers are.
inline constexpr float kPadMarginM = 0.5f;
inline constexpr float kPadThicknessM = 0.05f;
// At most this many parts are drawn in a buffer; a fuller buffer looks full.
inline constexpr std::uint64_t kMaxPartsDrawnInBuffer = 48;
// A station's parts (waiting, in process, finished and not yet passed on) stand in a pile on the
// floor in front of it (its -y side), two by two, then in layers, beyond the deadlock pad's ring
// (kPadMarginM, below) so that they never hide it.
inline constexpr std::uint64_t kMaxPartsDrawnAtStation = 16;
inline constexpr float kStationPileGapM = kPadMarginM + 0.1f;

// The box an element of this kind occupies: x along its yaw, y across, z up (metres).
glm::vec3 footprint_m(const ElementView& element);

struct ElementPlacement {
  glm::mat4 model_to_world{1.0f};  // for the element's mesh
  OrientedBox box;                 // what the model occupies, for picking
  glm::vec3 sphere_centre{0.0f};   // bounding sphere, for culling and level of detail
  float sphere_radius_m = 0.0f;
  glm::mat4 marker_to_world{1.0f};  // for a unit box mesh (make_box_mesh({1, 1, 1}))
  glm::vec3 marker_top{0.0f};       // the centre of the marker's top face, seen from above
  glm::mat4 pad_to_world{1.0f};     // the deadlock highlight, for the same unit box
};

// How a mesh is scaled into the footprint: a model keeps its proportions (scaled uniformly to
// fit), except that a conveyor's is stretched along its length to match the belt; the fallback
// box for a missing model is stretched to fill the footprint.
enum class FootprintFit : std::uint8_t { kKeepProportions, kStretch };

// A material-flow arrow on the floor from one element's box to another's: a shaft (for the unit
// quad of make_floor_quad_mesh()) and a head (make_arrow_head_mesh()), flat just above the floor
// so that models hide them where they stand in front. Before a run has data every shaft is
// kFlowArrowWidthM wide and every head kFlowHeadWidthM; then a shaft's width follows its link's
// flow (flow_arrow_width_m) and its head stays as much wider than the shaft.
inline constexpr float kFlowArrowWidthM = 0.4f;
inline constexpr float kFlowHeadWidthM = 1.0f;
inline constexpr float kFlowArrowMinWidthM = 0.1f;
inline constexpr float kFlowArrowMaxWidthM = 1.2f;
inline constexpr float kFlowHeadLengthM = 1.0f;
inline constexpr float kFlowArrowGapM = 0.2f;    // between an element's box and the arrow's ends
inline constexpr float kFlowArrowLiftM = 0.02f;  // above the floor grid
struct FlowArrow {
  glm::mat4 shaft_to_world{1.0f};
  glm::mat4 head_to_world{1.0f};
  glm::vec3 start{0.0f};      // where the shaft starts, at the middle of its top
  glm::vec3 head_base{0.0f};  // where the shaft ends and the head begins
  glm::vec3 tip{0.0f};
  float width_m = kFlowArrowWidthM;  // the shaft's
};

// The narrowest a flow arrow's shaft is drawn on screen, in pixels; a thinner one is left out (a
// hairline tells nothing, and thousands of them fanning across a big layout would cost the
// software rasteriser most of a frame for a smear: docs/performance.md, "Viewer frame time").
inline constexpr float kMinArrowWidthPx = 1.0f;

// The arrow from `from` to `to`, leaving each element's box by kFlowArrowGapM, its shaft
// `width_m` wide; none where the boxes leave no room for a head between them.
std::optional<FlowArrow> place_flow_arrow(const ElementPlacement& from, const ElementPlacement& to,
                                          float width_m = kFlowArrowWidthM);
// How wide the arrow's shaft is on screen where it comes nearest the camera's eye, in pixels, on a
// viewport `viewport_height_px` high.
float arrow_width_px(const FlowArrow& arrow, const OrbitCamera& camera, float viewport_height_px);
// A link's shaft width for its flow: in proportion to the largest flow of the line, the largest
// kFlowArrowMaxWidthM wide, but never narrower than kFlowArrowMinWidthM, so that a trickle still
// shows its direction. A flow the results do not tell (NaN) keeps kFlowArrowWidthM.
float flow_arrow_width_m(double parts_per_hour, double max_parts_per_hour);

// Places an element whose mesh has the bounds `model_bounds` (standing on z = 0, centred on
// x = y = 0).
ElementPlacement place_element(const ElementView& element, const Box3& model_bounds,
                               FootprintFit fit_rule = FootprintFit::kKeepProportions);

// A vehicle on the floor: its model stretched over its footprint (its height scaled as its
// width), turned by its heading, and a flat plate on its deck, drawn unlit in the colour of its
// state (model/state_colours.hpp), so that it can be checked pixel for pixel as markers are.
inline constexpr float kVehiclePlateShare = 0.6f;  // of the footprint's length and width
inline constexpr float kVehiclePlateThicknessM = 0.02f;
// A load on a vehicle's deck: a box on the plate, as long and wide as the fleet's load footprint,
// or kLoadShare of the vehicle's where the fleet gives none, kLoadHeightM high.
inline constexpr float kLoadShare = 0.7f;
inline constexpr float kLoadHeightM = 0.35f;

struct VehiclePlacement {
  glm::mat4 model_to_world{1.0f};
  glm::mat4 plate_to_world{1.0f};  // for the unit box mesh
  glm::mat4 load_to_world{1.0f};   // likewise: where its load stands when it carries one
  glm::vec3 plate_top{0.0f};       // the centre of the plate's top face, over the pose
  OrientedBox box;                 // what the model occupies
};
VehiclePlacement place_vehicle(const VehicleView& vehicle, const Box3& model_bounds);

// An operator on the floor: the operator model stretched to kOperatorSizeM (the project's model is
// that size: shoulders along x), standing beside an element's box on its +y side, away from the
// pile of parts, beyond the deadlock pad's ring; several at one element stand side by side along
// its x (`slot` 0 in the middle, then alternately right and left). A walking operator goes in a
// straight line from the spot of the element it left (slot 0; the engine's position when it left
// none) to the spot at its destination, as far as the engine's `fraction` says, facing its way.
inline constexpr glm::vec3 kOperatorSizeM{0.54f, 0.24f, 1.75f};
inline constexpr float kOperatorGapM = kPadMarginM + 0.1f;
inline constexpr float kOperatorPitchM = 0.7f;
struct OperatorPlacement {
  glm::mat4 model_to_world{1.0f};
  OrientedBox box;  // what the model occupies
};
// The middle of the feet of the `slot`-th operator standing at `at`.
glm::vec3 operator_spot(const ElementPlacement& at, std::size_t slot);
// `placements` are the layout's, LineView::elements order.
OperatorPlacement place_operator(const OperatorPosition& op,
                                 std::span<const ElementPlacement> placements, std::size_t slot,
                                 const Box3& model_bounds);

// The rectangle around a box's eight corners on screen (pixels of a viewport `size` big, y down),
// from the corners in front of the eye; nullopt when none is.
struct PixelRect {
  glm::vec2 min_px{0.0f};
  glm::vec2 max_px{0.0f};
};
std::optional<PixelRect> projected_rect(const OrientedBox& box, glm::vec2 size,
                                        const glm::mat4& view_projection);

// What the camera frames: the bounding spheres of all placed elements, and the floor (z = 0).
Box3 layout_bounds(std::span<const ElementPlacement> placements);

// Whether the element shows a status marker: those with a state of their own (stations, twins).
bool has_status_marker(const ElementView& element);

// The centres of the bottoms of the part boxes to draw for an element: stacked in rows on a
// buffer (as many as it holds, up to kMaxPartsDrawnInBuffer), along the belt of a conveyor at
// their positions from its entry (a physics conveyor's part's front at its position), in a pile in
// front of a station (up to kMaxPartsDrawnAtStation), none for other elements.
void place_parts(const ElementView& element, const ElementPlacement& placement,
                 std::vector<glm::vec3>& out);
// The unit box (make_box_mesh({1, 1, 1})) made one of the element's parts whose bottom centre
// place_parts gave: a kPartSizeM cube, or on a physics conveyor a box of its part's size
// (ElementView::part_size_m), turned with the belt and kBeltPartGapShare of its length shorter,
// half at each end, so that parts queued nose to tail show as boxes apart.
inline constexpr float kBeltPartGapShare = 0.06f;
glm::mat4 part_to_world(const ElementView& element, glm::vec3 bottom_centre);

}  // namespace linetwin::viewer
