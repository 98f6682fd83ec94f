// The path network: validation that names the field at fault, fastest routes and their
// tie-breaking, reachability over one-way edges, the nearest node, and edges too narrow.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "transport/motion_profile.hpp"
#include "transport/path_network.hpp"

using namespace linetwin;

namespace {
using EdgeSpec = PathNetworkBuilder::EdgeSpec;

EdgeSpec edge(std::string from, std::string to, double speed_m_per_s = 1.0, double width_m = 2.0) {
  return EdgeSpec{.from = std::move(from),
                  .to = std::move(to),
                  .length_m = std::nullopt,
                  .width_m = width_m,
                  .speed_limit_m_per_s = speed_m_per_s};
}

// The field path of the InputError that building throws, and its message.
struct Refusal {
  std::string field_path;
  std::string message;
  std::string text;  // what(): file, line and column too
};
Refusal refusal(const PathNetworkBuilder& builder) {
  try {
    builder.build();
  } catch (const InputError& error) {
    return {error.where().field_path, error.message(), error.what()};
  }
  FAIL("the network was accepted");
  return {};
}

// A square of 10 m sides: A (0,0), B (10,0), C (0,10), D (10,10); the edges are added in the
// order given, so tie-breaking can be shown to follow it.
PathNetworkBuilder square(const std::vector<EdgeSpec>& edges) {
  PathNetworkBuilder builder;
  builder.node("A", 0, 0).node("B", 10, 0).node("C", 0, 10).node("D", 10, 10);
  for (const EdgeSpec& e : edges)
    builder.edge(e);
  return builder;
}

std::vector<std::string> route_nodes(const PathNetwork& network, const PathRoute& route,
                                     std::string start) {
  std::vector<std::string> ids{std::move(start)};
  for (const RouteStep& step : route.steps)
    ids.push_back(network.nodes()[step.to].id);
  return ids;
}

PathNodeIndex at(const PathNetwork& network, const char* id) {
  return *network.find_node(id);
}
}  // namespace

TEST_CASE("path network: each invalid node or edge is refused naming its field") {
  PathNetworkBuilder missing("cell.yaml");
  missing.node("A", 0, 0).node("B", 3, 4).edge(edge("A", "B")).edge(edge("B", "X"), {12, 7});
  const Refusal r = refusal(missing);
  CHECK(r.field_path == "paths.edges[1].to");
  CHECK(r.message.find("expected the id of a node in paths.nodes, found 'X'") != std::string::npos);
  CHECK(r.text.rfind("cell.yaml:12:7: field 'paths.edges[1].to': ", 0) == 0);

  PathNetworkBuilder missing_from;
  missing_from.node("A", 0, 0).edge(edge("Q", "A"));
  CHECK(refusal(missing_from).field_path == "paths.edges[0].from");

  PathNetworkBuilder duplicate;
  duplicate.node("A", 0, 0).node("B", 1, 0).node("A", 2, 0);
  const Refusal d = refusal(duplicate);
  CHECK(d.field_path == "paths.nodes[2].id");
  CHECK(d.message.find("'A' again (first at paths.nodes[0])") != std::string::npos);

  for (const double limit : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    CAPTURE(limit);
    PathNetworkBuilder b;
    b.node("A", 0, 0).node("B", 1, 0).edge(edge("A", "B", limit));
    const Refusal s = refusal(b);
    CHECK(s.field_path == "paths.edges[0].speed_limit_m_per_s");
    CHECK(s.message.find("expected a speed limit > 0 m/s") != std::string::npos);
  }
  for (const double width : {0.0, -0.5, std::nan("")}) {
    PathNetworkBuilder b;
    b.node("A", 0, 0).node("B", 1, 0).edge(edge("A", "B", 1.0, width));
    CHECK(refusal(b).field_path == "paths.edges[0].width_m");
  }

  // Zero length: two nodes at one place with no length given, or a length of 0.
  PathNetworkBuilder same_place;
  same_place.node("A", 5, 5).node("B", 5, 5).edge(edge("A", "B"));
  const Refusal z = refusal(same_place);
  CHECK(z.field_path == "paths.edges[0].length_m");
  CHECK(z.message.find("expected a length > 0 m, found 0") != std::string::npos);
  PathNetworkBuilder zero;
  EdgeSpec zero_edge = edge("A", "B");
  zero_edge.length_m = 0.0;
  zero.node("A", 0, 0).node("B", 1, 0).edge(zero_edge);
  CHECK(refusal(zero).field_path == "paths.edges[0].length_m");

  // A curve is longer than the straight line, never shorter: A and B are 5 m apart.
  PathNetworkBuilder shortcut;
  EdgeSpec short_edge = edge("A", "B");
  short_edge.length_m = 4.9;
  shortcut.node("A", 0, 0).node("B", 3, 4).edge(short_edge);
  const Refusal c = refusal(shortcut);
  CHECK(c.field_path == "paths.edges[0].length_m");
  CHECK(c.message.find("at least the straight distance of 5 m") != std::string::npos);

  PathNetworkBuilder loop;
  loop.node("A", 0, 0).edge(edge("A", "A"));
  CHECK(refusal(loop).field_path == "paths.edges[0].to");

  PathNetworkBuilder unnamed;
  unnamed.node("", 0, 0);
  CHECK(refusal(unnamed).field_path == "paths.nodes[0].id");
  PathNetworkBuilder nowhere;
  nowhere.node("A", 0, std::nan(""));
  CHECK(refusal(nowhere).field_path == "paths.nodes[0].y");
  CHECK(refusal(PathNetworkBuilder("", "fleet.paths")).field_path == "fleet.paths.nodes");
}

TEST_CASE("path network: an edge's length is the straight distance unless a longer one is given") {
  PathNetworkBuilder builder;
  EdgeSpec curve = edge("B", "C");
  curve.length_m = 7.5;
  builder.node("A", 0, 0).node("B", 3, 4).node("C", 3, 9).edge(edge("A", "B")).edge(curve);
  const PathNetwork network = builder.build();
  CHECK(network.edges()[0].length_m == 5.0);
  CHECK(network.edges()[1].length_m == 7.5);
  CHECK(network.edges()[0].two_way);
}

TEST_CASE("path network: the fastest route weighs speed limits against the vehicle's top speed") {
  // A -> B straight: 10 m at 0.5 m/s (20 s). A -> C -> B: 2 x sqrt(5² + 6²) m at 2 m/s.
  PathNetworkBuilder builder;
  builder.node("A", 0, 0).node("B", 10, 0).node("C", 5, 6);
  builder.edge(edge("A", "B", 0.5)).edge(edge("A", "C", 2.0)).edge(edge("C", "B", 2.0));
  const PathNetwork network = builder.build();
  const double detour_m = 2 * std::sqrt(61.0);
  const auto fast = network.fastest_route(at(network, "A"), at(network, "B"), {2.0, 1.0});
  REQUIRE(fast);
  CHECK(route_nodes(network, *fast, "A") == std::vector<std::string>{"A", "C", "B"});
  CHECK(fast->travel_time_s == doctest::Approx(detour_m / 2.0).epsilon(1e-12));
  CHECK(fast->length_m == doctest::Approx(detour_m).epsilon(1e-12));
  // A vehicle of 0.5 m/s top speed gains nothing on the detour (31.2 s against 20 s).
  const auto slow = network.fastest_route(at(network, "A"), at(network, "B"), {0.5, 1.0});
  REQUIRE(slow);
  CHECK(route_nodes(network, *slow, "A") == std::vector<std::string>{"A", "B"});
  CHECK(slow->travel_time_s == 20.0);

  // The chosen route as a motion profile: two edges of one limit drive as one of their length,
  // L/v + v/(2a) + v/(2d) with v = 2, a = d = 1.
  const std::vector<MotionSegment> segments = network.motion_segments(*fast);
  REQUIRE(segments.size() == 2);
  const MotionProfile profile(segments, {2.0, 1.0, 1.0});
  CHECK(std::fabs(profile.total_time_s() - (detour_m / 2.0 + 1.0 + 1.0)) <= 1e-9);
  // From a node to itself: no edges, no time.
  const auto stay = network.fastest_route(at(network, "C"), at(network, "C"), {2.0, 1.0});
  REQUIRE(stay);
  CHECK(stay->steps.empty());
  CHECK(stay->travel_time_s == 0.0);
}

TEST_CASE("path network: equally fast routes are told apart by edge count, then edge order") {
  // A -> D by B or by C: 20 m each, equal to the bit. The last edge added first wins.
  const PathNetwork by_b =
      square({edge("A", "B"), edge("B", "D"), edge("A", "C"), edge("C", "D")}).build();
  const auto via_b = by_b.fastest_route(at(by_b, "A"), at(by_b, "D"), {1.0, 1.0});
  REQUIRE(via_b);
  CHECK(route_nodes(by_b, *via_b, "A") == std::vector<std::string>{"A", "B", "D"});
  const PathNetwork by_c =
      square({edge("A", "C"), edge("C", "D"), edge("A", "B"), edge("B", "D")}).build();
  const auto via_c = by_c.fastest_route(at(by_c, "A"), at(by_c, "D"), {1.0, 1.0});
  REQUIRE(via_c);
  CHECK(route_nodes(by_c, *via_c, "A") == std::vector<std::string>{"A", "C", "D"});
  // Going back, D -> A, the same rule: the last edge (into A) added first, A-C here.
  const auto back = by_c.fastest_route(at(by_c, "D"), at(by_c, "A"), {1.0, 1.0});
  REQUIRE(back);
  CHECK(route_nodes(by_c, *back, "D") == std::vector<std::string>{"D", "C", "A"});

  // A 20 m curve from A straight to D, added last, is as fast with fewer edges: it wins.
  EdgeSpec curve = edge("A", "D");
  curve.length_m = 20.0;
  const PathNetwork with_curve =
      square({edge("A", "B"), edge("B", "D"), edge("A", "C"), edge("C", "D"), curve}).build();
  const auto direct = with_curve.fastest_route(0, 3, {1.0, 1.0});
  REQUIRE(direct);
  REQUIRE(direct->steps.size() == 1);
  CHECK(direct->steps[0].edge == 4);

  // A -> P -> Q -> D, 1 + 1 + 18 m, reaches D first in the search (from Q at 2 s), yet A -> B -> D
  // (10 + 10 m) is as fast with two edges: it replaces the three.
  PathNetworkBuilder hops = square({edge("A", "B"), edge("B", "D")});
  EdgeSpec long_way = edge("Q", "D");
  long_way.length_m = 18.0;
  hops.node("P", 0, -1).node("Q", 0, -2).edge(edge("A", "P")).edge(edge("P", "Q")).edge(long_way);
  const PathNetwork fewer = hops.build();
  const auto two = fewer.fastest_route(at(fewer, "A"), at(fewer, "D"), {1.0, 1.0});
  REQUIRE(two);
  CHECK(route_nodes(fewer, *two, "A") == std::vector<std::string>{"A", "B", "D"});
  CHECK(two->travel_time_s == 20.0);
}

TEST_CASE("path network: one-way edges and unreachable nodes") {
  PathNetworkBuilder builder;
  EdgeSpec one_way = edge("A", "B");
  one_way.two_way = false;
  builder.node("A", 0, 0).node("B", 5, 0).node("C", 10, 0).node("island", 50, 50);
  builder.edge(one_way).edge(edge("B", "C"));
  const PathNetwork network = builder.build();
  const PathNodeIndex a = at(network, "A"), c = at(network, "C"), island = at(network, "island");
  CHECK(network.reaches(a, c));
  CHECK_FALSE(network.reaches(c, a));
  CHECK_FALSE(network.reaches(a, island));
  CHECK(network.reaches(island, island));
  CHECK(network.fastest_route(a, c, {1.0, 1.0}));
  CHECK_FALSE(network.fastest_route(c, a, {1.0, 1.0}));
  CHECK_FALSE(network.fastest_route(a, island, {1.0, 1.0}));
  CHECK_FALSE(network.find_node("nowhere"));
}

TEST_CASE("path network: a vehicle never routes over an edge narrower than itself") {
  // A -> B straight is 1.0 m wide; the detour by C is 1.5 m wide.
  PathNetworkBuilder builder;
  builder.node("A", 0, 0).node("B", 10, 0).node("C", 5, 5);
  builder.edge(edge("A", "B", 1.0, 1.0))
      .edge(edge("A", "C", 1.0, 1.5))
      .edge(edge("C", "B", 1.0, 1.5));
  const PathNetwork network = builder.build();
  CHECK(network.edges_narrower_than(1.2) == std::vector<PathEdgeIndex>{0});
  CHECK(network.edges_narrower_than(2.0) == std::vector<PathEdgeIndex>{0, 1, 2});
  CHECK(network.edges_narrower_than(1.0).empty());  // as wide as the vehicle is wide enough
  const auto narrow = network.fastest_route(0, 1, {1.0, 0.8});
  REQUIRE(narrow);
  CHECK(narrow->steps.size() == 1);
  const auto wide = network.fastest_route(0, 1, {1.0, 1.2});
  REQUIRE(wide);
  CHECK(route_nodes(network, *wide, "A") == std::vector<std::string>{"A", "C", "B"});
  CHECK_FALSE(network.fastest_route(0, 1, {1.0, 1.6}));
  CHECK(network.reaches(0, 1));  // reachable, only not for so wide a vehicle
}

TEST_CASE("path network: the nearest node to a point, the first added of equally near ones") {
  const PathNetwork network = square({edge("A", "B")}).build();
  CHECK(network.nearest_node(1.0, 2.0) == 0);      // A
  CHECK(network.nearest_node(9.0, 11.0) == 3);     // D
  CHECK(network.nearest_node(5.0, 5.0) == 0);      // all four 7.07 m away: A, added first
  CHECK(network.nearest_node(10.0, 5.0) == 1);     // B and D 5 m away: B
  CHECK(network.nearest_node(-100.0, 10.0) == 2);  // C
}
