// PathNetwork: the aisles that vehicles drive, as a graph of nodes (points on the shop floor, in
// metres) and edges (driveable stretches between two nodes, one-way or two-way, with a length, a
// width and a speed limit). Built once through PathNetworkBuilder, which validates it, and then
// shared read-only by every replication, like a Scene.
//
// Routes are fastest by travel time at min(vehicle top speed, edge limit), by Dijkstra's
// algorithm. This ignores acceleration: the time to speed up and brake depends on the whole
// route (a slow edge between fast ones costs two speed changes), so it is no sum over edges.
// MotionProfile gives a chosen route's exact time. Ties are broken without hash order: among
// routes of equal time (to the bit), the one with fewer edges; among those, the one whose last
// edge was added first, and so on back to the start (each node keeps the lowest-index edge of
// its best arrivals). An edge narrower than the vehicle is never part of its route.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/input_error.hpp"
#include "transport/motion_profile.hpp"

namespace linetwin {

// Nodes and edges are referred to by their position in nodes() and edges(), in the order added.
using PathNodeIndex = std::uint32_t;
using PathEdgeIndex = std::uint32_t;

struct PathNode {
  std::string id;
  double x_m = 0.0;
  double y_m = 0.0;
};

struct PathEdge {
  PathNodeIndex from = 0;
  PathNodeIndex to = 0;
  double length_m = 0.0;
  double width_m = 0.0;
  double speed_limit_m_per_s = 0.0;
  bool two_way = true;  // false: only from -> to
};

// One edge of a route, in the direction driven.
struct RouteStep {
  PathEdgeIndex edge = 0;
  PathNodeIndex from = 0;
  PathNodeIndex to = 0;
};

struct PathRoute {
  std::vector<RouteStep> steps;  // empty when the route starts where it ends
  double travel_time_s = 0.0;    // at min(vehicle top speed, edge limit), without acceleration
  double length_m = 0.0;
};

// What routing needs to know of a vehicle.
struct RoutedVehicle {
  double max_speed_m_per_s = 1.0;
  double width_m = 0.0;
};

class PathNetwork {
 public:
  std::span<const PathNode> nodes() const { return nodes_; }
  std::span<const PathEdge> edges() const { return edges_; }
  std::optional<PathNodeIndex> find_node(std::string_view id) const;

  // The fastest route from one node to another for this vehicle; nothing when no route of edges
  // at least as wide as the vehicle leads there.
  std::optional<PathRoute> fastest_route(PathNodeIndex from, PathNodeIndex to,
                                         const RoutedVehicle& vehicle) const;
  // Whether any route of edges (whatever their width) leads from one node to the other.
  bool reaches(PathNodeIndex from, PathNodeIndex to) const;
  // The node closest to a point (a pick-up point at an element); of equally close ones, the first
  // added. Assumes at least one node (the builder refuses an empty network).
  PathNodeIndex nearest_node(double x_m, double y_m) const;
  // The edges narrower than a vehicle, in index order.
  std::vector<PathEdgeIndex> edges_narrower_than(double width_m) const;
  // A route's edges as the segments of a motion profile (each edge's length and speed limit).
  std::vector<MotionSegment> motion_segments(const PathRoute& route) const;

 private:
  friend class PathNetworkBuilder;
  // The edges that leave each node, in edge order: a two-way edge leaves both of its nodes.
  struct Arc {
    PathEdgeIndex edge;
    PathNodeIndex to;
  };
  std::vector<PathNode> nodes_;
  std::vector<PathEdge> edges_;
  std::vector<std::uint32_t> first_arc_;  // arcs of node n: arcs_[first_arc_[n] .. first_arc_[n+1])
  std::vector<Arc> arcs_;
  std::unordered_map<std::string, PathNodeIndex> by_id_;  // looked up, never iterated
};

// Where a node or edge was declared in its file; zero when unknown.
struct PathOrigin {
  int line = 0;
  int column = 0;
};

// An edge as declared, its nodes by id.
struct PathEdgeSpec {
  std::string from;
  std::string to;
  std::optional<double> length_m;  // default: the straight distance between the nodes
  double width_m = 0.0;
  double speed_limit_m_per_s = 0.0;
  bool two_way = true;
};

// Collects nodes and edges as read from a scene and builds the validated network. Errors are
// InputErrors whose field path names the node or edge by its position in the order added, under
// the prefix given (e.g. "paths.edges[3].to"), with the line and column given for it, if any.
class PathNetworkBuilder {
 public:
  using Origin = PathOrigin;
  using EdgeSpec = PathEdgeSpec;

  explicit PathNetworkBuilder(std::string source_file = "", std::string field_prefix = "paths");
  PathNetworkBuilder& node(std::string id, double x_m, double y_m, Origin origin = {});
  PathNetworkBuilder& edge(EdgeSpec spec, Origin origin = {});
  // Throws InputError for: no nodes, an empty or duplicate node id, a position that is not
  // finite, an edge to or from a missing node or from a node to itself, a length of zero or
  // shorter than the straight distance, a width or speed limit <= 0 or not finite.
  PathNetwork build() const;

 private:
  InputError error(std::string_view list, std::size_t index, const Origin& origin,
                   std::string_view field, const std::string& what) const;
  PathEdge checked_edge(const PathNetwork& network, std::size_t index) const;

  std::string source_file_;
  std::string field_prefix_;
  std::vector<PathNode> nodes_;
  std::vector<Origin> node_origins_;
  std::vector<EdgeSpec> edges_;
  std::vector<Origin> edge_origins_;
};

}  // namespace linetwin
