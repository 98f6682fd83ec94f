// The reservation table alone: a route's zones in order, all-or-nothing reservation, waiters
// served in the order they began waiting, and a cycle of waiters found through the one that
// closed it.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "transport/path_network.hpp"
#include "transport/zone_reservations.hpp"

using namespace linetwin;

namespace {

// A - B - C in a row, 10 m apart.
PathNetwork row() {
  PathNetworkBuilder b;
  b.node("A", 0, 0).node("B", 10, 0).node("C", 20, 0);
  b.edge(
      {.from = "A", .to = "B", .length_m = std::nullopt, .width_m = 2, .speed_limit_m_per_s = 1});
  b.edge(
      {.from = "B", .to = "C", .length_m = std::nullopt, .width_m = 2, .speed_limit_m_per_s = 1});
  return b.build();
}

}  // namespace

TEST_CASE("a route's zones are its nodes and edges in the order driven, with where each ends") {
  const PathNetwork network = row();
  const auto route = network.fastest_route(2, 0, {.max_speed_m_per_s = 1, .width_m = 1});
  REQUIRE(route.has_value());
  const RouteZones z = route_zones(network, *route, 2);
  // C, edge B-C (edge 1), B, edge A-B (edge 0), A; nodes are zones 0..2, edges 3..4.
  CHECK(z.zones == std::vector<ZoneIndex>{2, 4, 1, 3, 0});
  CHECK(z.end_m == std::vector<double>{0, 10, 10, 20, 20});
  CHECK(zone_name(network, 4) == "edge B-C");
  CHECK(zone_name(network, 1) == "node B");
  // A route of no step is its start node alone.
  CHECK(route_zones(network, PathRoute{}, 1).zones == std::vector<ZoneIndex>{1});
}

TEST_CASE("zones are reserved all at once or not at all, and released one by one") {
  ZoneReservations table(5, 3);
  const std::vector<ZoneIndex> first{0, 3, 1};
  const std::vector<ZoneIndex> second{1, 4, 2};
  CHECK(table.try_reserve(first, 0));
  CHECK(table.holder(3) == 0);
  // Zone 1 is vehicle 0's: vehicle 1 takes none of its route, not even the free ones.
  CHECK(table.first_blocked(second, 1) == 1);
  CHECK_FALSE(table.try_reserve(second, 1));
  CHECK(table.holder(4) == kNoZoneHolder);
  CHECK(table.holder(2) == kNoZoneHolder);
  // Its own zones do not block a holder.
  CHECK(table.first_blocked(first, 0) == ZoneReservations::kNoZone);
  table.release(0, 0);
  table.release(3, 0);
  CHECK(table.held_by(0) == std::vector<ZoneIndex>{1});
  table.release(1, 0);
  CHECK(table.try_reserve(second, 1));
}

TEST_CASE("waiters are served in the order they began waiting, each when all its zones are free") {
  ZoneReservations table(5, 4);
  REQUIRE(table.try_reserve(std::vector<ZoneIndex>{1, 3}, 0));
  table.wait(1, {1, 4});  // needs 1, held by 0
  table.wait(2, {3, 2});  // needs 3, held by 0
  table.wait(3, {1, 2});  // needs 1 as well; waits behind 1 for it
  std::vector<ZoneHolder> served;
  table.admit_waiters(served);
  CHECK(served.empty());
  table.release(3, 0);
  table.admit_waiters(served);
  // Vehicle 2 goes although vehicle 1 began waiting first: all its zones are free.
  CHECK(served == std::vector<ZoneHolder>{2});
  CHECK_FALSE(table.waiting(2));
  CHECK(table.holder(2) == 2);
  table.release(1, 0);
  table.admit_waiters(served);
  // Zone 1 is free: vehicle 1, first in line, takes it; vehicle 3 also needs zone 2, held by 2.
  CHECK(served == std::vector<ZoneHolder>{1});
  CHECK(table.waiting(3));
  CHECK(table.holder(1) == 1);
}

TEST_CASE("a cycle of waiters each needing what the next holds is found through the last one") {
  ZoneReservations table(6, 3);
  // Each vehicle stands on its node: 0 on zone 0, 1 on zone 1, 2 on zone 2.
  for (ZoneHolder v = 0; v < 3; ++v)
    REQUIRE(table.try_reserve(std::vector<ZoneIndex>{v}, v));
  table.wait(0, {0, 3, 1});  // 0 needs 1's node
  CHECK(table.wait_cycle(0).empty());
  table.wait(1, {1, 4, 2});  // 1 needs 2's node
  CHECK(table.wait_cycle(1).empty());
  // 2 standing on zone 2 but not waiting: no cycle yet. Then 2 needs 0's node: 0 -> 1 -> 2 -> 0.
  table.wait(2, {2, 5, 0});
  CHECK(table.wait_cycle(2) == std::vector<ZoneHolder>{2, 0, 1});
  CHECK(table.wait_cycle(0) == std::vector<ZoneHolder>{0, 1, 2});
}
