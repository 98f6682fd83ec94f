#include "line_renderer.hpp"

#include <algorithm>
#include <cmath>

#include <glm/common.hpp>
#include <glm/geometric.hpp>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/type_ptr.hpp>
#include <glm/trigonometric.hpp>

#include "default_models.hpp"
#include "mesh_lod.hpp"
#include "model/state_colours.hpp"
#include "view_frustum.hpp"

namespace linetwin::viewer {

namespace {

// Operators by what they do: at work a deep blue, walking a light blue, idle grey, apart from the
// stations' state colours.
Rgb8 operator_colour(OperatorActivity activity) {
  switch (activity) {
    case OperatorActivity::kAtStation:
      return {40, 90, 200};
    case OperatorActivity::kWalking:
      return {110, 190, 240};
    case OperatorActivity::kIdle:
      return {150, 150, 150};
  }
  return {150, 150, 150};
}

// One program for everything: lit (models, parts: a headlight-free sun from the front left, so
// that faces read apart) or unlit (markers, grid: the instance colour exactly as given, which is
// what the screenshot test compares with the state colour table).
constexpr const char* kVertexShader = R"(#version 330 core
layout(location = 0) in vec3 a_position;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in mat4 a_model;
layout(location = 6) in vec4 a_colour;
uniform mat4 u_view_projection;
out vec3 v_normal;
out vec4 v_colour;
void main() {
  gl_Position = u_view_projection * (a_model * vec4(a_position, 1.0));
  // The inverse transpose keeps normals perpendicular under a conveyor's stretched scale. Its
  // columns are the cross products of the model matrix's columns divided by the determinant
  // (positive here, and the length does not matter): three cross products per vertex instead of
  // a matrix inverse, which a software renderer's vertex stage feels at 100,000 triangles.
  mat3 m = mat3(a_model);
  v_normal = mat3(cross(m[1], m[2]), cross(m[2], m[0]), cross(m[0], m[1])) * a_normal;
  v_colour = a_colour;
}
)";
constexpr const char* kFragmentShader = R"(#version 330 core
in vec3 v_normal;
in vec4 v_colour;
uniform int u_lit;
out vec4 frag_colour;
void main() {
  if (u_lit == 0) {
    frag_colour = v_colour;
    return;
  }
  vec3 n = normalize(v_normal);
  if (!gl_FrontFacing) n = -n;  // models with open or inverted faces still shade
  const vec3 sun = normalize(vec3(-0.35, -0.55, 0.75));
  float light = 0.45 + 0.55 * max(dot(n, sun), 0.0);
  frag_colour = vec4(v_colour.rgb * light, v_colour.a);
}
)";

constexpr std::array<std::uint8_t, 4> kGridColour = {70, 76, 84, 255};
constexpr glm::vec3 kNeutralModel{0.78f, 0.79f, 0.80f};  // what a tint is mixed into
constexpr float kTintShare = 0.55f;

std::array<std::uint8_t, 4> rgba(Rgb8 c) {
  return {c.r, c.g, c.b, 255};
}
constexpr std::array<std::uint8_t, 4> kPartColour = {kPart.r, kPart.g, kPart.b, 255};

// A model in the colour of its state, lightened toward a neutral grey so that shading stays
// visible; the marker carries the exact colour.
std::array<std::uint8_t, 4> tint(Rgb8 c) {
  const glm::vec3 mixed =
      glm::mix(kNeutralModel, glm::vec3(c.r, c.g, c.b) / 255.0f, kTintShare) * 255.0f;
  return {static_cast<std::uint8_t>(mixed.r), static_cast<std::uint8_t>(mixed.g),
          static_cast<std::uint8_t>(mixed.b), 255};
}

// Lines every `pitch` metres over the layout and a margin around it, at most about 200 each way:
// the pitch grows in 1-2-5 steps with the size of the floor.
TriangleMesh make_floor_grid(const Box3& layout) {
  constexpr float kMarginM = 6.0f;
  const glm::vec3 low = glm::floor(layout.min - kMarginM);
  const glm::vec3 high = glm::ceil(layout.max + kMarginM);
  const float span = std::max(high.x - low.x, high.y - low.y);
  float pitch = 1.0f;
  for (int k = 0; span / pitch > 200.0f; ++k)
    pitch *= (k % 3 == 1) ? 2.5f : 2.0f;
  TriangleMesh grid;
  const auto line = [&](glm::vec3 a, glm::vec3 b) {
    const auto first = static_cast<std::uint32_t>(grid.positions.size());
    grid.positions.insert(grid.positions.end(), {a, b});
    grid.normals.insert(grid.normals.end(), 2, glm::vec3(0, 0, 1));
    grid.indices.insert(grid.indices.end(), {first, first + 1});
  };
  const float x0 = std::floor(low.x / pitch) * pitch;
  const float y0 = std::floor(low.y / pitch) * pitch;
  for (float x = x0; x <= high.x; x += pitch)
    line({x, low.y, 0.0f}, {x, high.y, 0.0f});
  for (float y = y0; y <= high.y; y += pitch)
    line({low.x, y, 0.0f}, {high.x, y, 0.0f});
  return grid;
}

}  // namespace

LineRenderer::LineRenderer()
    : program_(kVertexShader, kFragmentShader),
      arrow_shaft_(make_floor_quad_mesh()),
      arrow_head_(make_arrow_head_mesh()),
      default_models_dir_(default_models_dir()) {}

void LineRenderer::set_layout(const LineView& view) {
  model_of_element_.clear();
  drawn_model_path_.clear();
  placements_.clear();
  pick_boxes_.clear();
  for (const ElementView& element : view.elements) {
    // An element that names no model is drawn as its kind: the project's default model.
    drawn_model_path_.push_back(element.model.empty()
                                    ? default_model_path(element.type, default_models_dir_)
                                    : element.model);
    const ModelId id = library_.model_for(drawn_model_path_.back());
    const LoadedModel& model = library_.model(id);
    model_of_element_.push_back(id);
    placements_.push_back(place_element(
        element, model.bounds,
        id == kFallbackBox ? FootprintFit::kStretch : FootprintFit::kKeepProportions));
    pick_boxes_.push_back(placements_.back().box);
  }
  layout_bounds_ = viewer::layout_bounds(placements_);
  links_ = view.links;
  set_flows(std::nullopt);
  vehicle_model_ = library_.model_for(
      default_models_dir_.empty() ? "" : (default_models_dir_ / kVehicleModelFile).string());
  operator_model_ = library_.model_for(
      default_models_dir_.empty() ? "" : (default_models_dir_ / kOperatorModelFile).string());
  grid_.emplace(make_floor_grid(layout_bounds_), GL_LINES);
  batches_.assign(library_.size() * kMaxLevels, {});
}

void LineRenderer::set_flows(const std::optional<LinkFlows>& flows) {
  flow_arrows_.clear();
  arrow_shafts_.clear();
  arrow_heads_.clear();
  const auto colour = rgba(kFlowArrow);
  for (std::size_t k = 0; k < links_.size(); ++k) {
    const float width =
        flows && k < flows->links.size()
            ? flow_arrow_width_m(flows->links[k].parts_per_hour, flows->max_parts_per_hour)
            : kFlowArrowWidthM;
    const FlowLinkView& link = links_[k];
    flow_arrows_.push_back(place_flow_arrow(placements_[link.from], placements_[link.to], width));
    if (!flow_arrows_.back()) continue;
    arrow_shafts_.push_back({flow_arrows_.back()->shaft_to_world, colour});
    arrow_heads_.push_back({flow_arrows_.back()->head_to_world, colour});
  }
}

void LineRenderer::draw(const LineView& view, const OrbitCamera& camera, glm::ivec2 size_px,
                        glm::ivec2 origin_px, int target_height_px) {
  stats_ = {};
  const float aspect = static_cast<float>(size_px.x) / static_cast<float>(std::max(1, size_px.y));
  view_projection_ = camera.projection(aspect) * camera.view();
  const ViewFrustum frustum(view_projection_);
  const glm::vec3 eye = camera.eye();
  const auto height_px = static_cast<float>(size_px.y);

  for (auto& batch : batches_)
    batch.clear();
  markers_.clear();
  parts_.clear();
  // The arrows in view whose shaft is at least kMinArrowWidthPx wide on screen (a parallel line
  // of 3,000 stations has 6,000 arrows the length of the layout, a smear at overview zoom). The
  // flow diagram shows every link's flow whatever the zoom.
  drawn_shafts_.clear();
  drawn_heads_.clear();
  for (std::size_t k = 0, placed = 0; k < flow_arrows_.size(); ++k) {
    if (!flow_arrows_[k]) continue;
    const FlowArrow& arrow = *flow_arrows_[k];
    const std::size_t j = placed++;
    const glm::vec3 along = arrow.tip - arrow.start;
    if (!frustum.may_see(arrow.start + 0.5f * along, 0.5f * glm::length(along)) ||
        arrow_width_px(arrow, camera, height_px) < kMinArrowWidthPx) {
      ++stats_.arrows_hidden;
      continue;
    }
    ++stats_.arrows_drawn;
    drawn_shafts_.push_back(arrow_shafts_[j]);
    drawn_heads_.push_back(arrow_heads_[j]);
  }
  const std::size_t count = std::min(view.elements.size(), placements_.size());
  for (std::size_t i = 0; i < count; ++i) {
    const ElementView& element = view.elements[i];
    const ElementPlacement& placed = placements_[i];
    if (!frustum.may_see(placed.sphere_centre, placed.sphere_radius_m)) {
      ++stats_.elements_culled;
      continue;
    }
    ++stats_.elements_drawn;
    const float distance = std::max(0.01f, glm::length(placed.sphere_centre - eye));
    const ModelId id = model_of_element_[i];
    const LoadedModel& model = library_.model(id);
    const int level = choose_level_of_detail(
        placed.sphere_radius_m * camera.pixels_per_metre(distance, height_px),
        static_cast<int>(model.levels.size()));
    batches_[id * kMaxLevels + static_cast<std::size_t>(level)].push_back(
        {placed.model_to_world, tint(state_colour(element.state))});
    if (has_status_marker(element)) {
      markers_.push_back({placed.marker_to_world, rgba(state_colour(element.state))});
    }
    if (element.deadlocked) markers_.push_back({placed.pad_to_world, rgba(kDeadlockHighlight)});
    place_parts(element, placed, part_scratch_);
    for (const glm::vec3& at : part_scratch_)
      parts_.push_back({part_to_world(element, at), kPartColour});
  }

  drawn_vehicles_.clear();
  const Box3& vehicle_bounds = library_.model(vehicle_model_).bounds;
  for (std::size_t v = 0; v < view.vehicles.size(); ++v) {
    const VehicleView& vehicle = view.vehicles[v];
    if (vehicle.state == BodyState::kParked) continue;  // off the aisles
    const VehiclePlacement placed = place_vehicle(vehicle, vehicle_bounds);
    if (!frustum.may_see(placed.box.centre, glm::length(placed.box.half_size))) continue;
    const Rgb8 colour = vehicle.state == BodyState::kMoving ? kVehicleMoving : kVehicleStanding;
    // A vehicle is small and simple: always its full model.
    batches_[vehicle_model_ * kMaxLevels].push_back({placed.model_to_world, tint(colour)});
    markers_.push_back({placed.plate_to_world, rgba(colour)});
    if (vehicle.loaded) parts_.push_back({placed.load_to_world, kPartColour});
    drawn_vehicles_.push_back({v, placed});
  }
  stats_.vehicles_drawn = drawn_vehicles_.size();

  // Operators standing at one element take the places beside it in turn.
  operators_at_.assign(view.operators.empty() ? 0 : placements_.size(), 0);
  const LoadedModel& operator_model = library_.model(operator_model_);
  for (const OperatorPosition& op : view.operators) {
    std::size_t slot = 0;
    if (op.activity != OperatorActivity::kWalking && op.element < operators_at_.size())
      slot = operators_at_[op.element]++;
    const OperatorPlacement placed = place_operator(op, placements_, slot, operator_model.bounds);
    const float radius = glm::length(placed.box.half_size);
    if (!frustum.may_see(placed.box.centre, radius)) continue;
    // Hundreds of operators in a large line's overview are a few pixels each, as its stations.
    const float distance = std::max(0.01f, glm::length(placed.box.centre - eye));
    const int level = choose_level_of_detail(radius * camera.pixels_per_metre(distance, height_px),
                                             static_cast<int>(operator_model.levels.size()));
    batches_[operator_model_ * kMaxLevels + static_cast<std::size_t>(level)].push_back(
        {placed.model_to_world, tint(operator_colour(op.activity))});
    ++stats_.operators_drawn;
  }

  // GL counts rows from the bottom; the origin is the view's top left corner.
  const int height = target_height_px > 0 ? target_height_px : size_px.y;
  glViewport(origin_px.x, height - origin_px.y - size_px.y, size_px.x, size_px.y);
  glEnable(GL_DEPTH_TEST);
  glDepthFunc(GL_LESS);
  glDisable(GL_BLEND);
  // Dithering would change the exact state colours of the markers.
  glDisable(GL_DITHER);
  glClearColor(0.13f, 0.14f, 0.16f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);  // the whole target, under the panels too
  glUseProgram(program_.id());
  glUniformMatrix4fv(program_.uniform("u_view_projection"), 1, GL_FALSE,
                     glm::value_ptr(view_projection_));
  const GLint lit = program_.uniform("u_lit");

  glUniform1i(lit, 0);
  // Boxes (markers, parts, fallback boxes) are closed and wound counter-clockwise: their back
  // faces are culled, which halves what the rasteriser sets up. Models from files may be open or
  // inconsistently wound, so they are drawn two-sided.
  glCullFace(GL_BACK);
  if (grid_) {
    const MeshInstance floor{glm::mat4(1.0f), kGridColour};
    grid_->draw({&floor, 1});
    ++stats_.draw_calls;
  }
  GpuMesh& box = library_.model(kFallbackBox).levels.front();
  glEnable(GL_CULL_FACE);
  box.draw(markers_);
  stats_.triangles += markers_.size() * box.triangle_count();
  ++stats_.draw_calls;
  arrow_shaft_.draw(drawn_shafts_);
  arrow_head_.draw(drawn_heads_);
  stats_.triangles += drawn_shafts_.size() * arrow_shaft_.triangle_count() +
                      drawn_heads_.size() * arrow_head_.triangle_count();
  stats_.draw_calls += 2;

  glUniform1i(lit, 1);
  box.draw(parts_);
  stats_.triangles += parts_.size() * box.triangle_count();
  ++stats_.draw_calls;
  for (std::size_t b = 0; b < batches_.size(); ++b) {
    if (batches_[b].empty()) continue;
    const auto id = static_cast<ModelId>(b / kMaxLevels);
    GpuMesh& mesh = library_.model(id).levels[b % kMaxLevels];
    if (id == kFallbackBox) {
      glEnable(GL_CULL_FACE);
    } else {
      glDisable(GL_CULL_FACE);
    }
    mesh.draw(batches_[b]);
    stats_.triangles += batches_[b].size() * mesh.triangle_count();
    ++stats_.draw_calls;
  }
  glDisable(GL_CULL_FACE);
  glUseProgram(0);
}

}  // namespace linetwin::viewer
