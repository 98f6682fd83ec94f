#include "layout_view.hpp"

#include "plant/vehicle_name.hpp"
#include "recording/belt_parts.hpp"

namespace linetwin::viewer {

LineView layout_view(const Scene& scene, const std::filesystem::path& scene_dir) {
  LineView view;
  view.elements.reserve(scene.elements().size());
  for (ElementIndex i = 0; i < scene.elements().size(); ++i) {
    const Element& e = scene.element(i);
    ElementView v;
    v.element = i;
    v.type = e.type;
    v.id = e.id;
    v.pose = e.pose;
    if (!e.model.empty()) {
      const std::filesystem::path model(e.model);
      v.model = (model.is_absolute() ? model : scene_dir / model).lexically_normal().string();
    }
    v.state = e.type == ElementType::kStation ? ViewState::kUnknown : ViewState::kPassive;
    if (e.type == ElementType::kBuffer) {
      const std::uint64_t capacity = scene.buffer_spec(e).capacity;
      v.capacity = capacity == BufferSpec::kUnlimited ? 0 : capacity;
    }
    if (e.type == ElementType::kConveyor) {
      const ConveyorSpec& spec = scene.conveyor_spec(e);
      v.conveyor_length_m = spec.length_m;
      if (spec.mode == ConveyorMode::kPhysics) v.part_size_m = belt_part_size(spec);
    }
    view.elements.push_back(std::move(v));
    for (const ElementIndex target : e.route.targets)
      view.links.push_back({i, target});
  }
  // Parked until a source says where they are.
  for (const FleetSpec& fleet : scene.fleets()) {
    for (std::uint32_t v = 0; v < fleet.vehicles; ++v) {
      VehicleView& vehicle = view.vehicles.emplace_back();
      vehicle.id = vehicle_name(fleet, v);
      vehicle.length_m = fleet.vehicle.length_m;
      vehicle.width_m = fleet.vehicle.width_m;
      vehicle.load_length_m = fleet.vehicle.load_length_m;
      vehicle.load_width_m = fleet.vehicle.load_width_m;
    }
  }
  return view;
}

}  // namespace linetwin::viewer
