#include "transport/path_network.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <queue>
#include <tuple>

#include <fmt/format.h>

namespace linetwin {

namespace {

bool positive_finite(double value) {
  return std::isfinite(value) && value > 0.0;
}

// A length typed from a drawing may miss the straight distance by its last digits; that much
// shorter is still accepted as the straight edge it describes.
constexpr double kLengthTolerance = 1e-9;

}  // namespace

std::optional<PathNodeIndex> PathNetwork::find_node(std::string_view id) const {
  const auto found = by_id_.find(std::string(id));
  if (found == by_id_.end()) return std::nullopt;
  return found->second;
}

std::optional<PathRoute> PathNetwork::fastest_route(PathNodeIndex from, PathNodeIndex to,
                                                    const RoutedVehicle& vehicle) const {
  // A node's best arrival so far: its time, the edges taken, and the last edge (tie-breaking as
  // the header says). A node is final when it leaves the queue, in (time, edges, index) order.
  struct Label {
    double time_s = std::numeric_limits<double>::infinity();
    std::uint32_t edge_count = 0;
    PathEdgeIndex via = 0;
    PathNodeIndex previous = 0;
    bool final = false;
  };
  assert(from < nodes_.size() && to < nodes_.size());
  using Entry = std::tuple<double, std::uint32_t, PathNodeIndex>;
  std::vector<Label> label(nodes_.size());
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  label[from].time_s = 0.0;
  queue.emplace(0.0, 0, from);
  while (!queue.empty()) {
    const auto [time_s, edge_count, node] = queue.top();
    queue.pop();
    if (label[node].final) continue;
    label[node].final = true;
    if (node == to) break;
    for (std::uint32_t i = first_arc_[node]; i < first_arc_[node + 1]; ++i) {
      const Arc& arc = arcs_[i];
      const PathEdge& edge = edges_[arc.edge];
      if (edge.width_m < vehicle.width_m || label[arc.to].final) continue;
      const double speed = std::min(vehicle.max_speed_m_per_s, edge.speed_limit_m_per_s);
      const double arrival = time_s + edge.length_m / speed;
      const std::uint32_t edges_taken = edge_count + 1;
      Label& next = label[arc.to];
      if (std::tie(arrival, edges_taken) < std::tie(next.time_s, next.edge_count) ||
          (arrival == next.time_s && edges_taken == next.edge_count && arc.edge < next.via)) {
        next = {arrival, edges_taken, arc.edge, node, false};
        queue.emplace(arrival, edges_taken, arc.to);
      }
    }
  }
  if (!label[to].final) return std::nullopt;
  PathRoute route;
  route.travel_time_s = label[to].time_s;
  for (PathNodeIndex node = to; node != from; node = label[node].previous)
    route.steps.push_back({label[node].via, label[node].previous, node});
  std::reverse(route.steps.begin(), route.steps.end());
  for (const RouteStep& step : route.steps)
    route.length_m += edges_[step.edge].length_m;
  return route;
}

bool PathNetwork::reaches(PathNodeIndex from, PathNodeIndex to) const {
  assert(from < nodes_.size() && to < nodes_.size());
  std::vector<bool> seen(nodes_.size(), false);
  std::vector<PathNodeIndex> pending{from};
  seen[from] = true;
  while (!pending.empty()) {
    const PathNodeIndex node = pending.back();
    pending.pop_back();
    if (node == to) return true;
    for (std::uint32_t i = first_arc_[node]; i < first_arc_[node + 1]; ++i) {
      if (!seen[arcs_[i].to]) {
        seen[arcs_[i].to] = true;
        pending.push_back(arcs_[i].to);
      }
    }
  }
  return false;
}

PathNodeIndex PathNetwork::nearest_node(double x_m, double y_m) const {
  PathNodeIndex best = 0;
  double best_distance = std::numeric_limits<double>::infinity();
  for (PathNodeIndex i = 0; i < nodes_.size(); ++i) {
    const double distance = std::hypot(nodes_[i].x_m - x_m, nodes_[i].y_m - y_m);
    if (distance < best_distance) {
      best = i;
      best_distance = distance;
    }
  }
  return best;
}

std::vector<PathEdgeIndex> PathNetwork::edges_narrower_than(double width_m) const {
  std::vector<PathEdgeIndex> narrow;
  for (PathEdgeIndex i = 0; i < edges_.size(); ++i)
    if (edges_[i].width_m < width_m) narrow.push_back(i);
  return narrow;
}

std::vector<MotionSegment> PathNetwork::motion_segments(const PathRoute& route) const {
  std::vector<MotionSegment> segments;
  segments.reserve(route.steps.size());
  for (const RouteStep& step : route.steps) {
    const PathEdge& edge = edges_[step.edge];
    segments.push_back({edge.length_m, edge.speed_limit_m_per_s});
  }
  return segments;
}

PathNetworkBuilder::PathNetworkBuilder(std::string source_file, std::string field_prefix)
    : source_file_(std::move(source_file)), field_prefix_(std::move(field_prefix)) {}

PathNetworkBuilder& PathNetworkBuilder::node(std::string id, double x_m, double y_m,
                                             Origin origin) {
  nodes_.push_back({std::move(id), x_m, y_m});
  node_origins_.push_back(origin);
  return *this;
}

PathNetworkBuilder& PathNetworkBuilder::edge(EdgeSpec spec, Origin origin) {
  edges_.push_back(std::move(spec));
  edge_origins_.push_back(origin);
  return *this;
}

InputError PathNetworkBuilder::error(std::string_view list, std::size_t index, const Origin& origin,
                                     std::string_view field, const std::string& what) const {
  return InputError({source_file_, origin.line, origin.column,
                     fmt::format("{}.{}[{}].{}", field_prefix_, list, index, field)},
                    what);
}

PathEdge PathNetworkBuilder::checked_edge(const PathNetwork& network, std::size_t index) const {
  const EdgeSpec& spec = edges_[index];
  const Origin& origin = edge_origins_[index];
  auto fail = [&](std::string_view field, const std::string& what) {
    return error("edges", index, origin, field, what);
  };
  auto node_named = [&](std::string_view field, const std::string& id) {
    const auto found = network.find_node(id);
    if (!found)
      throw fail(field, fmt::format("expected the id of a node in {}.nodes, found '{}'",
                                    field_prefix_, id));
    return *found;
  };
  PathEdge edge{.from = node_named("from", spec.from),
                .to = node_named("to", spec.to),
                .width_m = spec.width_m,
                .speed_limit_m_per_s = spec.speed_limit_m_per_s,
                .two_way = spec.two_way};
  if (edge.from == edge.to)
    throw fail("to", fmt::format("expected a node other than the edge's start '{}'", spec.from));
  const PathNode& a = network.nodes_[edge.from];
  const PathNode& b = network.nodes_[edge.to];
  const double straight_m = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
  edge.length_m = spec.length_m.value_or(straight_m);
  if (!positive_finite(edge.length_m))
    throw fail("length_m", fmt::format("expected a length > 0 m, found {} (nodes '{}' and '{}' "
                                       "are {} m apart)",
                                       edge.length_m, spec.from, spec.to, straight_m));
  if (edge.length_m < straight_m * (1.0 - kLengthTolerance))
    throw fail("length_m", fmt::format("expected at least the straight distance of {} m between "
                                       "'{}' and '{}', found {}",
                                       straight_m, spec.from, spec.to, edge.length_m));
  if (!positive_finite(edge.width_m))
    throw fail("width_m", fmt::format("expected a width > 0 m, found {}", edge.width_m));
  if (!positive_finite(edge.speed_limit_m_per_s))
    throw fail("speed_limit_m_per_s",
               fmt::format("expected a speed limit > 0 m/s, found {}", edge.speed_limit_m_per_s));
  return edge;
}

PathNetwork PathNetworkBuilder::build() const {
  PathNetwork network;
  if (nodes_.empty())
    throw InputError({source_file_, 0, 0, field_prefix_ + ".nodes"}, "expected at least one node");
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const PathNode& node = nodes_[i];
    const Origin& origin = node_origins_[i];
    if (node.id.empty()) throw error("nodes", i, origin, "id", "expected a non-empty node id");
    if (!std::isfinite(node.x_m)) throw error("nodes", i, origin, "x", "expected a finite x in m");
    if (!std::isfinite(node.y_m)) throw error("nodes", i, origin, "y", "expected a finite y in m");
    const auto [first, added] =
        network.by_id_.emplace(node.id, static_cast<PathNodeIndex>(network.nodes_.size()));
    if (!added)
      throw error("nodes", i, origin, "id",
                  fmt::format("expected a unique node id, found '{}' again (first at {}.nodes[{}])",
                              node.id, field_prefix_, first->second));
    network.nodes_.push_back(node);
  }
  for (std::size_t i = 0; i < edges_.size(); ++i)
    network.edges_.push_back(checked_edge(network, i));

  // Arcs by their start node (a counting sort), each node's in edge order.
  const std::size_t n = network.nodes_.size();
  network.first_arc_.assign(n + 1, 0);
  for (const PathEdge& edge : network.edges_) {
    ++network.first_arc_[edge.from + 1];
    if (edge.two_way) ++network.first_arc_[edge.to + 1];
  }
  for (std::size_t i = 0; i < n; ++i)
    network.first_arc_[i + 1] += network.first_arc_[i];
  network.arcs_.resize(network.first_arc_[n]);
  std::vector<std::uint32_t> fill(network.first_arc_.begin(), network.first_arc_.end() - 1);
  for (PathEdgeIndex i = 0; i < network.edges_.size(); ++i) {
    const PathEdge& edge = network.edges_[i];
    network.arcs_[fill[edge.from]++] = {i, edge.to};
    if (edge.two_way) network.arcs_[fill[edge.to]++] = {i, edge.from};
  }
  return network;
}

}  // namespace linetwin
