// The renderer's geometry without a GL context: the camera's projection, frustum culling, mouse
// picking, levels of detail and where elements are placed. Each expectation follows from the
// geometry itself (a framed box is on screen, a ray through a pixel projects back onto it, a
// simplified mesh keeps its size), not from numbers the code printed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <variant>

#include <glm/geometric.hpp>

#include "default_models.hpp"
#include "element_placement.hpp"
#include "flow_diagram_layout.hpp"
#include "io/scene_file.hpp"
#include "label_layout.hpp"
#include "link_flows.hpp"
#include "mesh_lod.hpp"
#include "model_file.hpp"
#include "orbit_camera.hpp"
#include "picking.hpp"
#include "plant/line_run.hpp"
#include "test_skip.hpp"
#include "view_frustum.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

constexpr glm::vec2 kViewport{1280.0f, 720.0f};
constexpr float kAspect = kViewport.x / kViewport.y;

// A point of the unit box (x and y from -0.5 to 0.5, z from 0 to 1) placed by `to_world`.
glm::vec3 unit_box_point(const glm::mat4& to_world, float x, float y, float z) {
  return glm::vec3(to_world * glm::vec4(x, y, z, 1.0f));
}

glm::mat4 view_projection(const OrbitCamera& camera) {
  return camera.projection(kAspect) * camera.view();
}

bool inside_viewport(glm::vec2 p) {
  return p.x >= 0.0f && p.y >= 0.0f && p.x <= kViewport.x && p.y <= kViewport.y;
}

// A UV sphere of radius 1 centred at (0, 0, 1): a smooth mesh with many small triangles, the kind
// that vertex clustering simplifies well: 2 * (rings - 1) * segments triangles.
TriangleMesh make_sphere(int rings, int segments) {
  TriangleMesh mesh;
  for (int r = 0; r <= rings; ++r) {
    const float polar =
        std::numbers::pi_v<float> * static_cast<float>(r) / static_cast<float>(rings);
    for (int s = 0; s <= segments; ++s) {
      const float azimuth =
          2.0f * std::numbers::pi_v<float> * static_cast<float>(s) / static_cast<float>(segments);
      const glm::vec3 n{std::sin(polar) * std::cos(azimuth), std::sin(polar) * std::sin(azimuth),
                        std::cos(polar)};
      mesh.positions.push_back(n + glm::vec3(0.0f, 0.0f, 1.0f));
      mesh.normals.push_back(n);
    }
  }
  const auto at = [&](int r, int s) { return static_cast<std::uint32_t>(r * (segments + 1) + s); };
  for (int r = 0; r < rings; ++r) {
    for (int s = 0; s < segments; ++s) {
      if (r > 0) mesh.indices.insert(mesh.indices.end(), {at(r, s), at(r + 1, s), at(r, s + 1)});
      if (r < rings - 1) {
        mesh.indices.insert(mesh.indices.end(), {at(r, s + 1), at(r + 1, s), at(r + 1, s + 1)});
      }
    }
  }
  return mesh;
}

ElementView station_at(double x_m, double y_m, double yaw_deg = 0.0) {
  ElementView station;
  station.type = ElementType::kStation;
  station.id = "OP";
  station.pose = {x_m, y_m, 0.0, yaw_deg};
  station.state = ViewState::kWorking;
  return station;
}

}  // namespace

TEST_CASE("camera: a framed layout is wholly on screen, its centre in the middle") {
  const Box3 layout{{-40.0f, -6.0f, 0.0f}, {25.0f, 9.0f, 3.0f}};
  OrbitCamera camera;
  camera.frame(layout, kAspect);
  const glm::mat4 vp = view_projection(camera);
  // A long, flat line fills the view: some corner is near an edge, not only inside.
  float widest = 0.0f;
  for (int k = 0; k < 8; ++k) {
    const glm::vec3 corner{(k & 1) ? layout.max.x : layout.min.x,
                           (k & 2) ? layout.max.y : layout.min.y,
                           (k & 4) ? layout.max.z : layout.min.z};
    const glm::vec4 clip = vp * glm::vec4(corner, 1.0f);
    widest = std::max({widest, std::abs(clip.x / clip.w), std::abs(clip.y / clip.w)});
  }
  CHECK(widest > 0.8f);
  CHECK(widest < 1.0f);
  for (int k = 0; k < 8; ++k) {
    const glm::vec3 corner{(k & 1) ? layout.max.x : layout.min.x,
                           (k & 2) ? layout.max.y : layout.min.y,
                           (k & 4) ? layout.max.z : layout.min.z};
    const auto pixel = project_to_pixel(corner, kViewport, vp);
    REQUIRE(pixel.has_value());
    CHECK(inside_viewport(*pixel));
  }
  const auto centre = project_to_pixel(camera.target(), kViewport, vp);
  REQUIRE(centre.has_value());
  CHECK(centre->x == doctest::Approx(kViewport.x / 2).epsilon(1e-3));
  CHECK(centre->y == doctest::Approx(kViewport.y / 2).epsilon(1e-3));
}

TEST_CASE("camera: orbit keeps the distance, zoom scales it, pan moves the target on the floor") {
  OrbitCamera camera;
  camera.frame({{-5.0f, -5.0f, 0.0f}, {5.0f, 5.0f, 2.0f}}, kAspect);
  const float distance = camera.distance_m();
  const glm::vec3 target = camera.target();

  camera.orbit(37.0f, -12.0f);
  CHECK(glm::length(camera.eye() - camera.target()) == doctest::Approx(distance).epsilon(1e-4));
  CHECK(camera.eye().z > camera.target().z);  // never below the floor

  camera.zoom(2.0f);
  const float closer = camera.distance_m();
  CHECK(closer < distance);
  camera.zoom(-2.0f);
  CHECK(camera.distance_m() == doctest::Approx(distance).epsilon(1e-4));

  camera.pan(100.0f, 0.0f, kViewport.y);
  CHECK(camera.target().z == doctest::Approx(target.z));
  CHECK(glm::length(camera.target() - target) > 0.0f);
  // Dragging right by 100 px moves the floor right: the old target now appears right of centre.
  const auto old_target = project_to_pixel(target, kViewport, view_projection(camera));
  REQUIRE(old_target.has_value());
  CHECK(old_target->x > kViewport.x / 2 + 50.0f);
}

TEST_CASE("picking: the ray through a pixel projects back onto that pixel") {
  OrbitCamera camera;
  camera.frame({{-10.0f, -4.0f, 0.0f}, {10.0f, 4.0f, 2.0f}}, kAspect);
  const glm::mat4 vp = view_projection(camera);
  for (const glm::vec2 pixel :
       {glm::vec2(10.0f, 20.0f), glm::vec2(640.0f, 360.0f), glm::vec2(1200.0f, 700.0f)}) {
    const Ray ray = ray_through_pixel(pixel, kViewport, vp);
    CHECK(glm::length(ray.direction) == doctest::Approx(1.0f).epsilon(1e-4));
    for (const float t : {1.0f, 10.0f, 30.0f}) {
      const auto back = project_to_pixel(ray.origin + t * ray.direction, kViewport, vp);
      REQUIRE(back.has_value());
      CHECK(back->x == doctest::Approx(pixel.x).epsilon(1e-3));
      CHECK(back->y == doctest::Approx(pixel.y).epsilon(1e-3));
    }
  }
}

TEST_CASE("picking: the nearest box under the mouse wins, turned boxes by their yaw") {
  // Looking straight down the x axis at two boxes in a row: the nearer one is picked.
  const Ray along_x{{-20.0f, 0.0f, 0.5f}, {1.0f, 0.0f, 0.0f}};
  const OrientedBox far_box{{10.0f, 0.0f, 0.5f}, {1.0f, 1.0f, 0.5f}, 0.0f};
  const OrientedBox near_box{{0.0f, 0.0f, 0.5f}, {1.0f, 1.0f, 0.5f}, 0.0f};
  const std::vector<OrientedBox> boxes{far_box, near_box};
  const auto picked = pick_nearest(along_x, boxes);
  REQUIRE(picked.has_value());
  CHECK(*picked == 1);
  CHECK(*ray_hits(along_x, near_box) == doctest::Approx(19.0f));

  // A long thin box (4 m by 0.4 m) turned by 90 degrees lies along y: a vertical ray at
  // (0, 1.5) hits it only when it is turned.
  const Ray down{{0.0f, 1.5f, 10.0f}, {0.0f, 0.0f, -1.0f}};
  OrientedBox bar{{0.0f, 0.0f, 0.5f}, {2.0f, 0.2f, 0.5f}, 0.0f};
  CHECK_FALSE(ray_hits(down, bar).has_value());
  bar.yaw_rad = std::numbers::pi_v<float> / 2;
  REQUIRE(ray_hits(down, bar).has_value());
  CHECK(*ray_hits(down, bar) == doctest::Approx(9.0f));
  // A ray that starts inside a box hits it at once.
  const Ray inside{{0.0f, 0.0f, 0.5f}, {1.0f, 0.0f, 0.0f}};
  CHECK(*ray_hits(inside, near_box) == doctest::Approx(0.0f));
}

TEST_CASE("frustum: what is in front is kept, what is behind or beside is culled") {
  OrbitCamera camera;
  camera.frame({{-5.0f, -5.0f, 0.0f}, {5.0f, 5.0f, 2.0f}}, kAspect);
  const ViewFrustum frustum(view_projection(camera));
  CHECK(frustum.may_see(camera.target(), 0.5f));
  // Behind the eye, along the line of sight.
  const glm::vec3 behind = camera.eye() + (camera.eye() - camera.target());
  CHECK_FALSE(frustum.may_see(behind, 0.5f));
  // Far to the side at the target's depth.
  const glm::vec3 right_of_view = camera.target() + glm::vec3(1000.0f, 0.0f, 0.0f);
  CHECK_FALSE(frustum.may_see(right_of_view, 1.0f));
  // A sphere whose centre is outside but which reaches into the view is kept.
  CHECK(frustum.may_see(right_of_view, 1000.0f));
  // Every element of a framed layout is kept.
  for (float x = -5.0f; x <= 5.0f; x += 2.5f) {
    CHECK(frustum.may_see({x, 0.0f, 1.0f}, 0.1f));
  }
}

TEST_CASE("levels of detail: clustering removes triangles and keeps the model's extent") {
  const TriangleMesh sphere = make_sphere(32, 33);
  REQUIRE(sphere.triangle_count() == 2 * 31 * 33);
  const Box3 full = sphere.bounds();
  std::size_t previous = sphere.triangle_count();
  for (const int cells : {16, 6, 2}) {
    const TriangleMesh coarse = cluster_vertices(sphere, cells);
    CAPTURE(cells);
    CHECK(coarse.triangle_count() > 0);
    CHECK(coarse.triangle_count() < previous);
    previous = coarse.triangle_count();
    // Vertices move to the mean of their cell: the extent shrinks by less than a cell per side
    // and never grows.
    const float cell = 2.0f / static_cast<float>(cells);
    const Box3 box = coarse.bounds();
    for (int axis = 0; axis < 3; ++axis) {
      CHECK(box.min[axis] >= full.min[axis] - 1e-5f);
      CHECK(box.max[axis] <= full.max[axis] + 1e-5f);
      CHECK(box.min[axis] <= full.min[axis] + cell);
      CHECK(box.max[axis] >= full.max[axis] - cell);
    }
    // Every vertex is used by a triangle (a software renderer shades all of them), none is out
    // of range.
    std::vector<bool> used(coarse.positions.size(), false);
    for (const std::uint32_t index : coarse.indices) {
      REQUIRE(index < coarse.positions.size());
      used[index] = true;
    }
    CHECK(std::count(used.begin(), used.end(), false) == 0);
  }

  const std::vector<TriangleMesh> levels = build_levels_of_detail(sphere);
  REQUIRE(levels.size() >= 3);
  CHECK(levels.front().triangle_count() == sphere.triangle_count());
  for (std::size_t k = 1; k < levels.size(); ++k) {
    CHECK(levels[k].triangle_count() < levels[k - 1].triangle_count());
  }
  // A box has nothing to simplify: one level.
  CHECK(build_levels_of_detail(make_box_mesh({1.0f, 1.0f, 1.0f})).size() == 1);
}

TEST_CASE("levels of detail: a long, thin model keeps its cross-section") {
  // Two rails of a conveyor 10 m long, 0.6 m apart across its width: cubic cells of a sixteenth
  // of the length (0.625 m) would merge them into one; the cells across keep them apart.
  TriangleMesh rails;
  for (const float y : {0.0f, 0.6f}) {
    TriangleMesh rail = make_box_mesh({10.0f, 0.05f, 0.1f});
    const auto first = static_cast<std::uint32_t>(rails.positions.size());
    for (glm::vec3 p : rail.positions)
      rails.positions.push_back(p + glm::vec3(0.0f, y, 0.0f));
    rails.normals.insert(rails.normals.end(), rail.normals.begin(), rail.normals.end());
    for (const std::uint32_t index : rail.indices)
      rails.indices.push_back(first + index);
  }
  const TriangleMesh coarse = cluster_vertices(rails, 16);
  bool near_first = false;
  bool near_second = false;
  for (const glm::vec3& p : coarse.positions) {
    near_first = near_first || std::abs(p.y) < 0.1f;
    near_second = near_second || std::abs(p.y - 0.6f) < 0.1f;
  }
  CHECK(near_first);
  CHECK(near_second);
  CHECK(coarse.triangle_count() > 0);
}

TEST_CASE("levels of detail: smaller on screen, coarser level, never past the last") {
  int previous = 0;
  for (float radius_px = 2000.0f; radius_px > 0.5f; radius_px /= 1.5f) {
    const int level = choose_level_of_detail(radius_px, 4);
    CHECK(level >= previous);
    CHECK(level < 4);
    previous = level;
  }
  CHECK(choose_level_of_detail(2000.0f, 4) == 0);
  CHECK(previous == 3);
  CHECK(choose_level_of_detail(0.5f, 2) == 1);
  CHECK(choose_level_of_detail(0.5f, 1) == 0);
}

TEST_CASE("placement: a model fits the station's footprint, turned by its yaw, marker above") {
  // A model twice as large as a station's footprint in every direction, standing on z = 0.
  const glm::vec3 footprint = footprint_m(station_at(0, 0));
  const Box3 model{{-footprint.x, -footprint.y, 0.0f}, {footprint.x, footprint.y, 2 * footprint.z}};
  const ElementPlacement placed = place_element(station_at(10.0, -3.0), model);
  CHECK(placed.box.centre.x == doctest::Approx(10.0f));
  CHECK(placed.box.centre.y == doctest::Approx(-3.0f));
  CHECK(placed.box.half_size.x == doctest::Approx(footprint.x / 2));
  CHECK(placed.box.half_size.z == doctest::Approx(footprint.z / 2));
  CHECK(placed.box.centre.z == doctest::Approx(footprint.z / 2));  // standing on the floor
  // The marker floats above the model, over the element's position.
  CHECK(placed.marker_top.x == doctest::Approx(10.0f));
  CHECK(placed.marker_top.z ==
        doctest::Approx(footprint.z + kMarkerGapM + kMarkerSizeM.z).epsilon(1e-4));
  // The bounding sphere holds the box and the marker.
  CHECK(glm::length(placed.marker_top - placed.sphere_centre) <= placed.sphere_radius_m + 1e-4f);

  // A model corner, mapped by model_to_world, lies on the box's corner; turned by 90 degrees,
  // the model's x runs along the world's y.
  const ElementPlacement turned = place_element(station_at(0.0, 0.0, 90.0), model);
  const glm::vec3 corner = glm::vec3(turned.model_to_world * glm::vec4(model.max, 1.0f));
  CHECK(corner.x == doctest::Approx(-footprint.y / 2).epsilon(1e-4));
  CHECK(corner.y == doctest::Approx(footprint.x / 2).epsilon(1e-4));
  CHECK(turned.box.yaw_rad == doctest::Approx(std::numbers::pi_v<float> / 2));
}

TEST_CASE("placement: conveyors stretch to their length, parts sit in buffers and on belts") {
  ElementView conveyor;
  conveyor.type = ElementType::kConveyor;
  conveyor.conveyor_length_m = 12.0;
  conveyor.part_positions_m = {11.0, 4.0, 0.5};
  const ElementPlacement belt =
      place_element(conveyor, make_box_mesh({1.0f, 1.0f, 1.0f}).bounds(), FootprintFit::kStretch);
  CHECK(2.0f * belt.box.half_size.x == doctest::Approx(12.0f));
  CHECK_FALSE(has_status_marker(conveyor));
  std::vector<glm::vec3> parts;
  place_parts(conveyor, belt, parts);
  REQUIRE(parts.size() == 3);
  // Positions are metres from the entry, which is at -length / 2.
  CHECK(parts[0].x == doctest::Approx(5.0f));
  CHECK(parts[2].x == doctest::Approx(-5.5f));
  CHECK(parts[0].z == doctest::Approx(2.0f * belt.box.half_size.z));

  ElementView buffer;
  buffer.type = ElementType::kBuffer;
  buffer.parts = 5;
  const ElementPlacement bin =
      place_element(buffer, make_box_mesh({1.0f, 1.0f, 1.0f}).bounds(), FootprintFit::kStretch);
  place_parts(buffer, bin, parts);
  CHECK(parts.size() == 5);
  buffer.parts = 10 * kMaxPartsDrawnInBuffer;
  place_parts(buffer, bin, parts);
  CHECK(parts.size() == kMaxPartsDrawnInBuffer);
  for (const glm::vec3& p : parts) {
    CHECK(std::abs(p.x) <= bin.box.half_size.x);
    CHECK(std::abs(p.y) <= bin.box.half_size.y);
  }
}

TEST_CASE("placement: a physics belt's parts are boxes of its part, fronts at their positions") {
  // A 6 m belt centred at (3, 1), running along +y (yaw 90), carrying 1.5 x 0.6 x 0.4 m parts
  // whose fronts are 5.5 m and 2 m from its entry at y = 1 - 3 = -2.
  ElementView conveyor;
  conveyor.type = ElementType::kConveyor;
  conveyor.pose = {.x_m = 3.0, .y_m = 1.0, .yaw_deg = 90.0};
  conveyor.conveyor_length_m = 6.0;
  conveyor.part_size_m = {1.5, 0.6, 0.4};
  conveyor.part_positions_m = {5.5, 2.0};
  const ElementPlacement belt =
      place_element(conveyor, make_box_mesh({1.0f, 1.0f, 1.0f}).bounds(), FootprintFit::kStretch);
  std::vector<glm::vec3> parts;
  place_parts(conveyor, belt, parts);
  REQUIRE(parts.size() == 2);
  const float top = 2.0f * belt.box.half_size.z;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const auto front = static_cast<float>(conveyor.part_positions_m[k]);
    const glm::mat4 box = part_to_world(conveyor, parts[k]);
    // The unit box's corners: its front face at the part's front along the belt and its back a
    // part's length behind, each less half the gap, as wide as the part across the belt,
    // standing on the belt's top.
    const float half_gap = 0.5f * kBeltPartGapShare * 1.5f;
    CHECK(unit_box_point(box, 0.5f, 0.0f, 0.0f).y ==
          doctest::Approx(-2.0f + front - half_gap).epsilon(1e-5));
    CHECK(unit_box_point(box, -0.5f, 0.0f, 0.0f).y ==
          doctest::Approx(-2.0f + front - 1.5f + half_gap).epsilon(1e-5));
    CHECK(unit_box_point(box, 0.0f, 0.5f, 0.0f).x == doctest::Approx(3.0f - 0.3f).epsilon(1e-5));
    CHECK(unit_box_point(box, 0.0f, 0.0f, 0.0f).z == doctest::Approx(top));
    CHECK(unit_box_point(box, 0.0f, 0.0f, 1.0f).z == doctest::Approx(top + 0.4f));
  }
  // An event conveyor's parts stay the small cubes, centred at their positions.
  conveyor.part_size_m = {};
  place_parts(conveyor, belt, parts);
  const glm::mat4 cube = part_to_world(conveyor, parts[1]);
  CHECK(unit_box_point(cube, 0.0f, 0.0f, 0.0f).y == doctest::Approx(-2.0f + 2.0f).epsilon(1e-5));
  CHECK(unit_box_point(cube, 0.5f, 0.5f, 1.0f).z - unit_box_point(cube, 0.0f, 0.0f, 0.0f).z ==
        doctest::Approx(kPartSizeM.z));
}

TEST_CASE("placement: a station's parts in a pile on the floor in front of it") {
  ElementView station = station_at(4.0, -2.0, 90.0);
  const ElementPlacement placed =
      place_element(station, make_box_mesh({1.0f, 1.0f, 1.0f}).bounds(), FootprintFit::kStretch);
  std::vector<glm::vec3> parts;
  place_parts(station, placed, parts);
  CHECK(parts.empty());
  station.parts = 5;
  place_parts(station, placed, parts);
  REQUIRE(parts.size() == 5);
  station.parts = 10 * kMaxPartsDrawnAtStation;
  place_parts(station, placed, parts);
  REQUIRE(parts.size() == kMaxPartsDrawnAtStation);
  // In the station's own frame (turned by its yaw): in front of its box (its -y side), on the
  // floor or on a part, and no two parts in one place.
  const float yaw = placed.box.yaw_rad;
  for (std::size_t a = 0; a < parts.size(); ++a) {
    const glm::vec2 offset = glm::vec2(parts[a]) - glm::vec2(placed.box.centre);
    const glm::vec2 local{std::cos(yaw) * offset.x + std::sin(yaw) * offset.y,
                          -std::sin(yaw) * offset.x + std::cos(yaw) * offset.y};
    CHECK(local.y + 0.5f * kPartSizeM.y < -placed.box.half_size.y - kPadMarginM);
    CHECK(std::abs(local.x) < placed.box.half_size.x);
    const float layer = parts[a].z / kPartSizeM.z;
    CHECK(layer == doctest::Approx(std::round(layer)));
    for (std::size_t b = a + 1; b < parts.size(); ++b)
      CHECK(glm::distance(parts[a], parts[b]) >= kPartSizeM.x - 1e-4f);
  }
}

TEST_CASE("placement: a conveyor model that runs along y is turned to run along the belt") {
  ElementView conveyor;
  conveyor.type = ElementType::kConveyor;
  conveyor.conveyor_length_m = 9.0;
  // A belt model 9 m long along its y axis, 0.8 m wide, 0.9 m high.
  const Box3 model{{-0.4f, -4.5f, 0.0f}, {0.4f, 4.5f, 0.9f}};
  const ElementPlacement placed = place_element(conveyor, model);
  CHECK(2.0f * placed.box.half_size.x == doctest::Approx(9.0f));
  CHECK(2.0f * placed.box.half_size.y == doctest::Approx(0.8f).epsilon(1e-3));
  const glm::vec3 head = glm::vec3(placed.model_to_world * glm::vec4(0.0f, 4.5f, 0.0f, 1.0f));
  CHECK(std::abs(head.x) == doctest::Approx(4.5f));
  CHECK(head.y == doctest::Approx(0.0f).epsilon(1e-4));
}

TEST_CASE("layout bounds: every element's sphere and the floor are inside") {
  std::vector<ElementPlacement> placements;
  const Box3 unit = make_box_mesh({1.0f, 1.0f, 1.0f}).bounds();
  for (const double x : {-30.0, 0.0, 45.0}) {
    placements.push_back(place_element(station_at(x, x / 3), unit, FootprintFit::kStretch));
  }
  const Box3 bounds = layout_bounds(placements);
  CHECK(bounds.min.z <= 0.0f);
  for (const ElementPlacement& placed : placements) {
    for (int axis = 0; axis < 3; ++axis) {
      CHECK(bounds.min[axis] <= placed.sphere_centre[axis] - placed.sphere_radius_m + 1e-4f);
      CHECK(bounds.max[axis] >= placed.sphere_centre[axis] + placed.sphere_radius_m - 1e-4f);
    }
  }
}

TEST_CASE("default models: each kind's model in assets/ is the kind's footprint, at scale 1") {
  // The models are made at their real size (tools/generate_default_models.py), so placed in an
  // element of their kind they keep it: a station's is 2.0 x 1.5 x 1.8 m, a 2 m conveyor's model
  // is its belt.
  for (const ElementType type :
       {ElementType::kStation, ElementType::kBuffer, ElementType::kConveyor, ElementType::kSource,
        ElementType::kSink}) {
    const std::string path = default_model_path(type, LINETWIN_SOURCE_DIR "/assets/models");
    CAPTURE(path);
    const auto read = read_model_file(path);
    REQUIRE(std::holds_alternative<TriangleMesh>(read));
    const TriangleMesh& mesh = std::get<TriangleMesh>(read);
    CHECK(mesh.triangle_count() > 12);  // more than a box
    const Box3 box = mesh.bounds();
    CHECK(box.min.z == doctest::Approx(0.0f));
    CHECK(box.min.x + box.max.x == doctest::Approx(0.0f));
    CHECK(box.min.y + box.max.y == doctest::Approx(0.0f));
    ElementView element;
    element.type = type;
    element.conveyor_length_m = 2.0;
    const glm::vec3 footprint = footprint_m(element);
    CHECK(box.size().x == doctest::Approx(footprint.x));
    CHECK(box.size().y == doctest::Approx(footprint.y));
    CHECK(box.size().z == doctest::Approx(footprint.z));
    const ElementPlacement placed = place_element(element, box);
    CHECK(glm::length(glm::vec3(placed.model_to_world[0])) == doctest::Approx(1.0f));
    CHECK(glm::length(glm::vec3(placed.model_to_world[2])) == doctest::Approx(1.0f));
  }
  // Beside the program, as installed (bin/ and share/linetwin/assets/models).
  CHECK(default_models_dir().filename() == "models");
  CHECK(default_models_dir().parent_path().parent_path().parent_path().filename() == "share");
  CHECK(default_model_path(ElementType::kStation, "").empty());

  const auto missing = read_model_file(LINETWIN_SOURCE_DIR "/assets/models/no_such_model.glb");
  REQUIRE(std::holds_alternative<std::string>(missing));
  CHECK_FALSE(std::get<std::string>(missing).empty());
}

TEST_CASE("flow arrows: from box edge to box edge, the head at the element downstream") {
  // Two stations 10 m apart along x (boxes 2 m long): the arrow runs from 1 m + the gap past the
  // first centre to 1 m + the gap short of the second, its head the last kFlowHeadLengthM.
  ElementView from;
  ElementView to;
  to.pose.x_m = 10.0;
  const Box3 box = make_box_mesh({2.0f, 1.5f, 1.8f}).bounds();
  const auto arrow = place_flow_arrow(place_element(from, box), place_element(to, box));
  REQUIRE(arrow.has_value());
  CHECK(arrow->start.x == doctest::Approx(1.0f + kFlowArrowGapM));
  CHECK(arrow->tip.x == doctest::Approx(9.0f - kFlowArrowGapM));
  CHECK(arrow->head_base.x == doctest::Approx(9.0f - kFlowArrowGapM - kFlowHeadLengthM));
  CHECK(arrow->start.y == doctest::Approx(0.0f));
  CHECK(arrow->tip.z == doctest::Approx(kFlowArrowLiftM));
  // The shaft's unit quad, placed: its far corner is the head's base, half the width aside.
  const glm::vec3 corner = glm::vec3(arrow->shaft_to_world * glm::vec4(0.5f, 0.5f, 0.0f, 1.0f));
  CHECK(corner.x == doctest::Approx(arrow->head_base.x));
  CHECK(corner.y == doctest::Approx(kFlowArrowWidthM / 2));
  // The other way round, the arrow turns with the link; boxes that touch leave no room for one.
  const auto back = place_flow_arrow(place_element(to, box), place_element(from, box));
  REQUIRE(back.has_value());
  CHECK(back->tip.x == doctest::Approx(1.0f + kFlowArrowGapM));
  to.pose.x_m = 2.2;
  CHECK_FALSE(place_flow_arrow(place_element(from, box), place_element(to, box)).has_value());
}

TEST_CASE("labels: placed without overlap, inside the frame, the higher priority first") {
  // Five labels 100 x 14 px whose first places overlap (anchors 40 px apart on one row): each
  // later one moves up a row, or below, or is left out.
  const glm::vec2 frame{400.0f, 300.0f};
  std::vector<LabelCandidate> candidates;
  for (std::size_t i = 0; i < 5; ++i) {
    LabelCandidate label;
    label.element = i;
    label.text = std::to_string(i);
    label.size_px = {100.0f, 14.0f};
    label.above_px = {200.0f + 40.0f * static_cast<float>(i), 150.0f};
    label.below_px = label.above_px + glm::vec2(0.0f, 30.0f);
    label.priority = static_cast<float>(i);  // the last one first
    candidates.push_back(label);
  }
  const std::vector<LabelBox> placed = place_labels(candidates, frame, 100);
  REQUIRE(!placed.empty());
  CHECK(placed.front().element == 4);
  CHECK_FALSE(placed.front().moved);
  // Anchored at 360 px, it slides left to stay inside the 400 px frame.
  CHECK(placed.front().max_px.x == doctest::Approx(400.0f));
  for (std::size_t a = 0; a < placed.size(); ++a) {
    CHECK(placed[a].min_px.x >= 0.0f);
    CHECK(placed[a].min_px.y >= 0.0f);
    CHECK(placed[a].max_px.x <= frame.x);
    CHECK(placed[a].max_px.y <= frame.y);
    for (std::size_t b = a + 1; b < placed.size(); ++b)
      CHECK_FALSE(labels_overlap(placed[a], placed[b]));
  }
  // Four rows above and two below hold all five.
  CHECK(placed.size() == 5);
  // A cap leaves out the lowest priority, never an element that must be named.
  candidates[0].always = true;
  const std::vector<LabelBox> capped = place_labels(candidates, frame, 2);
  REQUIRE(capped.size() == 3);
  CHECK(capped[0].element == 0);
  CHECK(capped[1].element == 4);
  CHECK(capped[2].element == 3);
}

TEST_CASE(
    "model files: real glTF and COLLADA models from ../shared/data read (needs shared data)") {
  for (const char* file :
       {"models/converted/stacklights.glb", "models/nist_ariac_conveyor/conveyor.dae"}) {
    CAPTURE(file);
    const auto path = test::shared_data_or_skip(file);
    if (!path) return;
    const auto read = read_model_file(path->string());
    REQUIRE(std::holds_alternative<TriangleMesh>(read));
    const TriangleMesh& mesh = std::get<TriangleMesh>(read);
    CHECK(mesh.triangle_count() > 12);  // more than a box
    CHECK(mesh.bounds().min.z == doctest::Approx(0.0f));
    CHECK(mesh.bounds().size().z > 0.0f);
  }
}

namespace {

const LinkFlow& flow_between(const Scene& scene, const LinkFlows& flows, const char* from,
                             const char* to) {
  for (const LinkFlow& link : flows.links) {
    if (scene.element(link.from).id == from && scene.element(link.to).id == to) return link;
  }
  FAIL("no link " << from << " > " << to);
  return flows.links.front();
}

}  // namespace

TEST_CASE("link flows: a round-robin split in its shares, each station passing on what it takes") {
  // tests/viewer/scenes/flow_split.yaml: a part every 10 s, split in turn at OP10 and again at
  // OP30, every station quick enough never to hold a part up (the scene's comment).
  const Scene scene = load_scene_file(LINETWIN_SOURCE_DIR "/tests/viewer/scenes/flow_split.yaml");
  LineRun run(scene, scene.seed(), 0);
  // Nothing is measured at the start.
  CHECK_FALSE(link_flows(scene, run.results()).has_value());

  const ReplicationResult result = run.run_to_end();
  const auto flows = link_flows(scene, result);
  REQUIRE(flows.has_value());
  REQUIRE(flows->links.size() == 8);
  // An arrival or a part in process at either edge of the observed hour: one part either way.
  const double hours = result.observed_s / 3600.0;
  const double tolerance = 2.0 / hours;
  CHECK(flow_between(scene, *flows, "parts_in", "OP10").parts_per_hour ==
        doctest::Approx(360.0).epsilon(tolerance / 360.0));
  for (const char* half : {"OP20", "OP30"}) {
    CHECK(flow_between(scene, *flows, "OP10", half).parts_per_hour ==
          doctest::Approx(180.0).epsilon(tolerance / 180.0));
  }
  for (const char* quarter : {"OP40", "OP50"}) {
    CHECK(flow_between(scene, *flows, "OP30", quarter).parts_per_hour ==
          doctest::Approx(90.0).epsilon(tolerance / 90.0));
  }
  CHECK(flows->max_parts_per_hour ==
        flow_between(scene, *flows, "parts_in", "OP10").parts_per_hour);

  // At every station, what goes out is what came in less what it scrapped, within the parts it
  // held at either edge of the period (one server each).
  for (const ElementIndex station : scene.stations()) {
    const Element& e = scene.element(station);
    CAPTURE(e.id);
    double in = 0.0;
    double out = 0.0;
    for (const LinkFlow& link : flows->links) {
      if (link.to == station) in += link.parts_per_hour * hours;
      if (link.from == station) out += link.parts_per_hour * hours;
    }
    const double scrapped = static_cast<double>(result.stations[e.type_index].parts_scrapped);
    CHECK(std::abs(in - out - scrapped) <= 2.0);
  }
  CHECK(result.stations[scene.element(*scene.find("OP20")).type_index].parts_scrapped > 0);

  // One product: every link's flow is all of it.
  for (const LinkFlow& link : flows->links) {
    REQUIRE(link.by_product_per_hour.size() == 1);
    CHECK(link.by_product_per_hour[0] == link.parts_per_hour);
  }

  // The arrows: the largest flow kFlowArrowMaxWidthM wide, the others in proportion, a trickle
  // no narrower than kFlowArrowMinWidthM, and an unknown flow at the uniform width.
  CHECK(flow_arrow_width_m(360.0, 360.0) == kFlowArrowMaxWidthM);
  CHECK(flow_arrow_width_m(90.0, 360.0) == doctest::Approx(kFlowArrowMaxWidthM / 4));
  CHECK(flow_arrow_width_m(0.5, 360.0) == kFlowArrowMinWidthM);
  CHECK(flow_arrow_width_m(std::nan(""), 360.0) == kFlowArrowWidthM);
}

namespace {

// The flows of a whole run of one of tests/viewer/scenes.
struct RunFlows {
  Scene scene;
  ReplicationResult result;
  LinkFlows flows;
};
RunFlows run_flows(const char* scene_file) {
  RunFlows run{
      load_scene_file(std::string(LINETWIN_SOURCE_DIR "/tests/viewer/scenes/") + scene_file),
      {},
      {}};
  LineRun line(run.scene, run.scene.seed(), 0);
  run.result = line.run_to_end();
  const auto flows = link_flows(run.scene, run.result);
  REQUIRE(flows.has_value());
  run.flows = *flows;
  return run;
}

const FlowNode& node_of(const RunFlows& run, const FlowDiagramLayout& layout, const char* id) {
  return layout.nodes[*run.scene.find(id)];
}

float band_width(const FlowBand& band) {
  return band.from_y.y - band.from_y.x;
}

}  // namespace

TEST_CASE("flow diagram: columns by depth, bands as wide as their flows, in and out at a station") {
  const RunFlows run = run_flows("flow_split.yaml");
  const glm::vec2 origin{10.0f, 20.0f};
  const glm::vec2 size{600.0f, 300.0f};
  const FlowDiagramLayout layout = layout_flow_diagram(run.scene, run.flows, origin, size);
  // The longest chain of links from the source: parts_in, OP10, OP20 and OP30, OP40 and OP50,
  // then the sink after OP40 and OP50; OP20 moves right, next to the sink it feeds.
  CHECK(layout.columns == 5);
  const std::vector<std::pair<const char*, int>> columns = {
      {"parts_in", 0}, {"OP10", 1}, {"OP20", 3},     {"OP30", 2},
      {"OP40", 3},     {"OP50", 3}, {"parts_out", 4}};
  for (const auto& [id, column] : columns) {
    CAPTURE(id);
    const FlowNode& node = node_of(run, layout, id);
    CHECK(node.column == column);
    // Left to right by column, the first at the left edge and the last at the right, all inside.
    CHECK(node.min_px.x ==
          doctest::Approx(origin.x + static_cast<float>(column) * (size.x - kFlowNodeWidthPx) / 4));
    CHECK(node.min_px.y >= origin.y);
    CHECK(node.max_px.y <= origin.y + size.y + 1e-3f);
  }
  REQUIRE(layout.px_per_part_per_hour > 0.0f);
  // The column with least room per part fills the height: OP20, OP40 and OP50, 180 + 90 + 90
  // parts/h, with two gaps between them and the minimum height of each set aside.
  CHECK(layout.px_per_part_per_hour * 360.0f ==
        doctest::Approx(size.y - 2.0f * kFlowNodeGapPx - 3.0f * kFlowNodeMinHeightPx));

  // One product: one band per link, as wide as its flow at the diagram's scale, from the right
  // edge of where it comes from to the left edge of where it goes, within both nodes.
  REQUIRE(layout.bands.size() == run.flows.links.size());
  for (const FlowBand& band : layout.bands) {
    const LinkFlow& link = run.flows.links[band.link];
    CAPTURE(run.scene.element(link.from).id);
    CAPTURE(run.scene.element(link.to).id);
    CHECK(band.product == 0);
    CHECK(band_width(band) ==
          doctest::Approx(link.parts_per_hour * layout.px_per_part_per_hour).epsilon(1e-5));
    CHECK(band.to_y.y - band.to_y.x == doctest::Approx(band_width(band)));
    const FlowNode& from = layout.nodes[link.from];
    const FlowNode& to = layout.nodes[link.to];
    CHECK(band.from_x == from.max_px.x);
    CHECK(band.to_x == to.min_px.x);
    CHECK(band.from_y.x >= from.min_px.y - 1e-3f);
    CHECK(band.from_y.y <= from.max_px.y + 1e-3f);
    CHECK(band.to_y.x >= to.min_px.y - 1e-3f);
    CHECK(band.to_y.y <= to.max_px.y + 1e-3f);
  }

  // At each station, the bands in and out differ by its scrap (within a part held at either edge
  // of the observed period), and the node is as tall as the larger.
  const double hours = run.result.observed_s / 3600.0;
  for (const ElementIndex station : run.scene.stations()) {
    const Element& e = run.scene.element(station);
    CAPTURE(e.id);
    float in_px = 0.0f;
    float out_px = 0.0f;
    for (const FlowBand& band : layout.bands) {
      const LinkFlow& link = run.flows.links[band.link];
      if (link.to == station) in_px += band_width(band);
      if (link.from == station) out_px += band_width(band);
    }
    const double scrapped_per_hour =
        static_cast<double>(run.result.stations[e.type_index].parts_scrapped) / hours;
    CHECK(std::abs((in_px - out_px) / layout.px_per_part_per_hour - scrapped_per_hour) <=
          2.0 / hours);
    const FlowNode& node = layout.nodes[station];
    CHECK(node.max_px.y - node.min_px.y ==
          doctest::Approx(std::max({in_px, out_px, kFlowNodeMinHeightPx})).epsilon(1e-4));
  }
}

TEST_CASE("flow diagram: a band per product, each product down its own link") {
  // tests/viewer/scenes/flow_products.yaml: body_a every 20 s and body_b every 60 s, merged
  // through OP10 and sent on by product (the scene's comment).
  const RunFlows run = run_flows("flow_products.yaml");
  const double hours = run.result.observed_s / 3600.0;
  const double tolerance = 2.0 / hours;
  const auto flow = [&](const char* from, const char* to) {
    for (const LinkFlow& link : run.flows.links) {
      if (run.scene.element(link.from).id == from && run.scene.element(link.to).id == to)
        return link.by_product_per_hour;
    }
    FAIL("no link " << from << " > " << to);
    return std::vector<double>{};
  };
  const auto check = [&](const char* from, const char* to, double a, double b) {
    CAPTURE(from);
    CAPTURE(to);
    const std::vector<double> got = flow(from, to);
    REQUIRE(got.size() == 2);
    CHECK(std::abs(got[0] - a) <= tolerance);
    CHECK(std::abs(got[1] - b) <= tolerance);
  };
  check("in_a", "B1", 180.0, 0.0);
  check("in_b", "B1", 0.0, 60.0);
  check("B1", "OP10", 180.0, 60.0);
  check("OP10", "OPA", 180.0, 0.0);
  check("OP10", "OPB", 0.0, 60.0);

  const FlowDiagramLayout layout = layout_flow_diagram(run.scene, run.flows, {0, 0}, {500, 240});
  // Two bands where both products go (B1 to OP10), one on every other link.
  std::size_t bands_of[2] = {0, 0};
  for (const FlowBand& band : layout.bands) {
    REQUIRE(band.product < 2);
    ++bands_of[band.product];
  }
  CHECK(bands_of[0] == 4);  // in_a > B1 > OP10 > OPA > parts_out
  CHECK(bands_of[1] == 4);  // in_b > B1 > OP10 > OPB > parts_out
}

TEST_CASE("flow arrows: the width on screen is taken where the arrow comes nearest the eye") {
  const Box3 layout{{-100.0f, -100.0f, 0.0f}, {100.0f, 100.0f, 3.0f}};
  OrbitCamera camera;
  camera.frame(layout, kAspect);
  const glm::vec3 target = camera.target();
  const float height_px = static_cast<float>(kViewport.y);
  const auto arrow = [](glm::vec3 start, glm::vec3 tip, float width_m) {
    FlowArrow a;
    a.start = start;
    a.tip = tip;
    a.width_m = width_m;
    return a;
  };
  // Across the view at the target, 2 m long: the target is its point nearest the eye.
  const FlowArrow short_one = arrow(target - glm::vec3(1, 0, 0), target + glm::vec3(1, 0, 0), 0.4f);
  const float at_target = arrow_width_px(short_one, camera, height_px);
  CHECK(at_target == doctest::Approx(0.4f * camera.pixels_per_metre(
                                                glm::distance(camera.eye(), target), height_px)));
  // No narrower than it is drawn: the shaft's two sides at the target, projected, are at most
  // that far apart (a floor seen at a slant is foreshortened).
  const glm::mat4 vp = view_projection(camera);
  const auto side_a = project_to_pixel(target - glm::vec3(0, 0.2f, 0), kViewport, vp);
  const auto side_b = project_to_pixel(target + glm::vec3(0, 0.2f, 0), kViewport, vp);
  REQUIRE(side_a.has_value());
  REQUIRE(side_b.has_value());
  CHECK(glm::distance(*side_a, *side_b) <= at_target * 1.0001f);
  // A long arrow running from the target away from the eye is as wide as it is at the target;
  // the same short arrow 150 m further away is narrower, by the ratio of the distances.
  const FlowArrow long_one = arrow(target, target + glm::vec3(0, 150, 0), 0.4f);
  CHECK(arrow_width_px(long_one, camera, height_px) == doctest::Approx(at_target));
  const glm::vec3 away(0, 150, 0);
  const FlowArrow far_one = arrow(short_one.start + away, short_one.tip + away, 0.4f);
  CHECK(arrow_width_px(far_one, camera, height_px) ==
        doctest::Approx(at_target * glm::distance(camera.eye(), target) /
                        glm::distance(camera.eye(), target + away)));
  // A trickle's shaft (kFlowArrowMinWidthM) over this 200 m layout, framed whole, is under a pixel
  // at the target: the renderer leaves it out; the widest shaft is drawn.
  CHECK(arrow_width_px(arrow(short_one.start, short_one.tip, kFlowArrowMinWidthM), camera,
                       height_px) < kMinArrowWidthPx);
  CHECK(arrow_width_px(arrow(short_one.start, short_one.tip, kFlowArrowMaxWidthM), camera,
                       height_px) > kMinArrowWidthPx);
}

TEST_CASE(
    "placement: a vehicle's load stands on its deck, its footprint or most of the vehicle's") {
  // The vehicle model's bounds: 2 m x 1 m x 0.5 m, drawn on a 1.4 m x 1.0 m footprint turned a
  // quarter: its length along y. The unit box spans x and y from -0.5 to 0.5 and z from 0 to 1.
  const Box3 model{{-1.0f, -0.5f, 0.0f}, {1.0f, 0.5f, 0.5f}};
  VehicleView vehicle;
  vehicle.length_m = 1.4;
  vehicle.width_m = 1.0;
  vehicle.pose = {.x_m = 10.0, .y_m = 5.0, .heading_rad = std::numbers::pi / 2};
  for (const bool sized : {false, true}) {
    CAPTURE(sized);
    vehicle.load_length_m = sized ? 1.8 : 0.0;  // longer than the vehicle: it overhangs
    vehicle.load_width_m = sized ? 1.2 : 0.0;
    const VehiclePlacement placed = place_vehicle(vehicle, model);
    const float length = sized ? 1.8f : kLoadShare * 1.4f;
    const float width = sized ? 1.2f : kLoadShare * 1.0f;
    // Centred over the pose, long along the heading (y), from the plate's top up kLoadHeightM.
    const glm::vec3 bottom = unit_box_point(placed.load_to_world, 0.0f, 0.0f, 0.0f);
    CHECK(bottom.x == doctest::Approx(10.0f));
    CHECK(bottom.y == doctest::Approx(5.0f));
    CHECK(bottom.z == doctest::Approx(placed.plate_top.z));
    const glm::vec3 front = unit_box_point(placed.load_to_world, 0.5f, 0.0f, 0.0f);
    CHECK(front.x == doctest::Approx(10.0f).epsilon(1e-5));
    CHECK(front.y == doctest::Approx(5.0f + length / 2).epsilon(1e-5));
    const glm::vec3 side = unit_box_point(placed.load_to_world, 0.0f, 0.5f, 1.0f);
    CHECK(side.x == doctest::Approx(10.0f - width / 2).epsilon(1e-5));
    CHECK(side.z - bottom.z == doctest::Approx(kLoadHeightM));
  }
}
