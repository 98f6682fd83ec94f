// LineRenderer: draws a LineView in 3D. Per frame it walks the elements once: culls each by its
// bounding sphere, picks a level of detail by its size on screen, and appends an instance to the
// batch of its model and level; then each batch is one instanced draw call. Stations are tinted
// by their state and carry a flat, unlit status marker in exactly the state's colour; buffers and
// conveyors show their parts as small boxes; the elements of a deadlock stand on an unlit pad; an
// unlit arrow on the floor runs along every link of the material flow. Vehicles on the floor are
// drawn with the vehicle model, tinted by their state, with an unlit plate in its exact colour;
// operators (a simulation's: LineView::operators) with the operator model, tinted by what they do.
// Models are read when the layout is set, not per frame (an element that names none is drawn with
// its kind's default model, default_models.hpp). Labels, the selection outline and a
// deadlock's banner are drawn with Dear ImGui (overlay.hpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <glm/mat4x4.hpp>
#include <glm/vec2.hpp>

#include "element_placement.hpp"
#include "gl_program.hpp"
#include "gpu_mesh.hpp"
#include "link_flows.hpp"
#include "model/line_view.hpp"
#include "model_library.hpp"
#include "orbit_camera.hpp"

namespace linetwin::viewer {

struct FrameStats {
  std::size_t elements_drawn = 0;
  std::size_t vehicles_drawn = 0;
  std::size_t operators_drawn = 0;
  std::size_t elements_culled = 0;
  std::size_t arrows_drawn = 0;
  // Out of view, or narrower than kMinArrowWidthPx on screen (LineRenderer::draw).
  std::size_t arrows_hidden = 0;
  std::size_t triangles = 0;  // submitted this frame, all batches
  std::size_t draw_calls = 0;
};

// A vehicle drawn in the last frame: its index in LineView::vehicles and where it was placed.
struct DrawnVehicle {
  std::size_t vehicle = 0;
  VehiclePlacement placement;
};

class LineRenderer {
 public:
  LineRenderer();

  // Reads the models of `view`'s elements and places them; call again when the layout changes.
  // The flow arrows start at the uniform width of a run without data.
  void set_layout(const LineView& view);
  // Widens each link's arrow by its flow (flow_arrow_width_m), or back to the uniform width
  // without flows; `flows` has the links of the LineView given to set_layout, in its order.
  void set_flows(const std::optional<LinkFlows>& flows);
  // Draws into the framebuffer that is bound, over a viewport of `size_px` pixels whose top left
  // corner is `origin_px` from the top left of a target `target_height_px` high (0: the viewport's
  // height, a viewport that fills the target).
  void draw(const LineView& view, const OrbitCamera& camera, glm::ivec2 size_px,
            glm::ivec2 origin_px = {0, 0}, int target_height_px = 0);

  const std::vector<ElementPlacement>& placements() const { return placements_; }
  const std::vector<OrientedBox>& pick_boxes() const { return pick_boxes_; }
  const LoadedModel& model_of(std::size_t element) const {
    return library_.model(model_of_element_[element]);
  }
  // The model file an element is drawn from: the scene's, or its kind's default model when the
  // scene names none ("" when there is none to read: the fallback box).
  const std::string& drawn_model_path(std::size_t element) const {
    return drawn_model_path_[element];
  }
  // Why the element's model file fell back to the box ("" when it loaded or there was none).
  const std::string& model_problem(std::size_t element) const {
    return library_.problem_with(drawn_model_path_[element]);
  }
  const std::vector<DrawnVehicle>& drawn_vehicles() const { return drawn_vehicles_; }
  // Per LineView::links entry: its arrow (none where the boxes leave no room for one).
  const std::vector<std::optional<FlowArrow>>& flow_arrows() const { return flow_arrows_; }
  Box3 layout_bounds() const { return layout_bounds_; }
  const glm::mat4& view_projection() const { return view_projection_; }
  const FrameStats& stats() const { return stats_; }

 private:
  ModelLibrary library_;
  GlProgram program_;
  std::optional<GpuMesh> grid_;
  GpuMesh arrow_shaft_;
  GpuMesh arrow_head_;
  std::filesystem::path default_models_dir_;
  std::vector<ModelId> model_of_element_;
  ModelId vehicle_model_ = kFallbackBox;
  ModelId operator_model_ = kFallbackBox;
  std::vector<std::uint32_t> operators_at_;  // per element, those standing there this frame
  std::vector<DrawnVehicle> drawn_vehicles_;
  std::vector<std::string> drawn_model_path_;
  std::vector<ElementPlacement> placements_;
  std::vector<OrientedBox> pick_boxes_;
  Box3 layout_bounds_;
  // Instances this frame: per model and level (index model * kMaxLevels + level), then markers
  // and parts, which are drawn with the unit box of model kFallbackBox.
  static constexpr std::size_t kMaxLevels = 4;
  std::vector<std::vector<MeshInstance>> batches_;
  std::vector<MeshInstance> markers_;
  std::vector<MeshInstance> parts_;
  // The material-flow arrows along the links, drawn unlit in kFlowArrow (placed with the layout
  // and again when the flows change).
  std::vector<FlowLinkView> links_;
  std::vector<std::optional<FlowArrow>> flow_arrows_;
  std::vector<MeshInstance> arrow_shafts_;  // per arrow placed (flow_arrows_ that have one)
  std::vector<MeshInstance> arrow_heads_;
  std::vector<MeshInstance> drawn_shafts_;  // this frame's
  std::vector<MeshInstance> drawn_heads_;
  std::vector<glm::vec3> part_scratch_;
  glm::mat4 view_projection_{1.0f};
  FrameStats stats_;
};

}  // namespace linetwin::viewer
