#include "plant/run/fast_paths.hpp"

namespace linetwin::line_run {

BufferPaths classify_buffer(const Scene& scene, ElementIndex index,
                            const std::vector<Node>& nodes) {
  const Element& buffer = scene.element(index);
  BufferPaths paths;
  for (ElementIndex target : buffer.route.targets) {
    const Element& t = scene.element(target);
    if (t.type != ElementType::kStation) continue;
    const StationSpec& spec = scene.station_spec(t);
    paths.feeds_puller = paths.feeds_puller || spec.assembly || spec.batch_min > 1;
    paths.tracks_arrival =
        paths.tracks_arrival || (t.inputs.size() > 1 && spec.merge == MergeRule::kFirstCome);
  }
  for (ElementIndex input : buffer.inputs)
    paths.filled_by_vehicles =
        paths.filled_by_vehicles || scene.element(input).route.via.carried_by_fleet();
  const Node& node = nodes[index];
  const bool one_station =
      buffer.route.targets.size() == 1 &&
      scene.element(buffer.route.targets.front()).type == ElementType::kStation;
  paths.passes_to_one_station =
      !paths.feeds_puller && one_station && node.gate == kNoGate && node.exits == 0;
  paths.only_queues = !paths.feeds_puller && !paths.tracks_arrival && node.gate == kNoGate;
  return paths;
}

StationPath classify_station(const StationSpec& spec, const std::vector<Link>& inputs,
                             const Output& output, const Node& node) {
  bool needs_operators = false;
  for (const auto& pools : spec.operator_pools)
    needs_operators = needs_operators || !pools.empty();
  const bool plain = inputs.size() == 1 && output.rule == RouteRule::kSingle &&
                     !output.via.carried_by_fleet() && spec.batch_max == 1 &&
                     spec.split_into == 1 && !spec.assembly && spec.setup_s.empty() &&
                     !spec.quality && !needs_operators && node.gate == kNoGate && node.exits == 0;
  if (!plain) return StationPath::kGeneral;
  return inputs.front().type == ElementType::kBuffer ? StationPath::kPlainFromBuffer
                                                     : StationPath::kPlain;
}

}  // namespace linetwin::line_run
