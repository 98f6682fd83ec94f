// linetwin-viewer's headless capture, checked pixel by pixel. The viewer renders a bundled scene
// at a time where the scene alone fixes each station's state; the test places the elements and
// frames the camera with the same geometry code (element_placement, orbit_camera, picking), so
// it knows where each station's status marker must appear, and reads the exact state colour
// there (markers are drawn unlit, without dithering or blending).
//
// A deadlocked run is checked the same way: the banner's colour across the top strip, and the
// highlight pads under the elements of the deadlock at the places the geometry code gives.
//
// The screenshots need a display with OpenGL 3.3 (screenshot_support.hpp); the last cases check
// what happens without OpenGL 3.3: a message that says what to do, and exit status 1.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <stb_image.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "default_models.hpp"
#include "element_placement.hpp"
#include "io/scene_file.hpp"
#include "label_layout.hpp"
#include "model/layout_view.hpp"
#include "model/state_colours.hpp"
#include "model_file.hpp"
#include "orbit_camera.hpp"
#include "panels/flow_diagram.hpp"
#include "picking.hpp"
#include "plant/line_run.hpp"
#include "recording/trajectory_sampler.hpp"
#include "screenshot_support.hpp"
#include "test_files.hpp"
#include "test_skip.hpp"

using namespace linetwin;
using namespace linetwin::viewer;
using namespace linetwin::viewer::screenshots;

namespace {

// The middle of the ring of an element's deadlock pad that shows beside its box, on the side
// nearest the camera (nothing of the element stands between it and the eye).
glm::vec3 pad_ring_point(const ExpectedView& expected, const ElementPlacement& placed) {
  // In the pad's own unit square, the ring's middle lies half a margin inside each edge.
  const glm::vec3 size{glm::length(glm::vec3(placed.pad_to_world[0])),
                       glm::length(glm::vec3(placed.pad_to_world[1])), kPadThicknessM};
  glm::vec3 nearest{0.0f};
  float best = std::numeric_limits<float>::max();
  for (const glm::vec2 side :
       {glm::vec2(1, 0), glm::vec2(-1, 0), glm::vec2(0, 1), glm::vec2(0, -1)}) {
    const glm::vec2 local = side * (0.5f - 0.5f * kPadMarginM / glm::vec2(size));
    const glm::vec3 point = glm::vec3(placed.pad_to_world * glm::vec4(local, 1.0f, 1.0f));
    if (glm::distance(point, expected.eye) < best) {
      best = glm::distance(point, expected.eye);
      nearest = point;
    }
  }
  return nearest;
}

// Runs linetwin-viewer --screenshot with `environment` (an `env` prefix) into a temporary
// directory: its exit status and its stderr.
std::pair<int, std::string> run_viewer_without_gl(const std::string& environment) {
  const test::TempDir dir;
  const std::string command = environment + " '" + LINETWIN_VIEWER_EXE + "' '" +
                              (kScenes / "down_and_working.yaml").string() + "' --screenshot '" +
                              dir.path() + "/shot.png' 2> '" + dir.path() + "/stderr'";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir.path() + "/stderr")};
}

}  // namespace

TEST_CASE("screenshot: a down station and a working station in their state colours") {
  const Capture shot = capture(kScenes / "down_and_working.yaml", 505.0);
  if (!shot.image) return;
  const Image& image = *shot.image;
  REQUIRE(image.width == kImageSize.x);
  REQUIRE(image.height == kImageSize.y);
  // Not blank: besides the background and the grid there are the two marker colours and the
  // lit faces of the models, and the background covers only part of the image.
  std::set<std::uint32_t> colours;
  std::size_t background = 0;
  for (std::size_t k = 0; k + 2 < image.rgb.size(); k += 3) {
    colours.insert((std::uint32_t{image.rgb[k]} << 16) | (std::uint32_t{image.rgb[k + 1]} << 8) |
                   image.rgb[k + 2]);
    if (same(Rgb8{image.rgb[k], image.rgb[k + 1], image.rgb[k + 2]}, kBackground)) ++background;
  }
  CHECK(colours.size() >= 5);
  CHECK(background < image.rgb.size() / 3);

  const ExpectedView expected = expected_view(kScenes / "down_and_working.yaml");
  check_marker(image, expected, "OP10", ViewState::kDown);
  check_marker(image, expected, "OP20", ViewState::kWorking);
  // No deadlock: neither its banner nor its highlight anywhere.
  CHECK(count_pixels(image, kDeadlockBanner) == 0);
  CHECK(count_pixels(image, kDeadlockHighlight) == 0);
}

TEST_CASE("screenshot: a deadlock's banner across the top, its elements on highlight pads") {
  // The rework loop deadlocks at t = 22 s with OP20 blocked by B1 and B1 full (the scene's
  // comment): a capture at 60 s shows the line as it stopped. As `linetwin run`, the viewer says
  // with exit status 3 that the line it showed failed a check; the image is written anyway.
  const Capture shot = capture(kScenes / "deadlock_rework_loop.yaml", 60.0, 3);
  if (!shot.image) return;
  CHECK(shot.exit_status == 3);
  CHECK(shot.errors.find("the line deadlocked") != std::string::npos);
  const Image& image = *shot.image;
  REQUIRE(image.width == kImageSize.x);

  // The banner spans the width at the top, above its first line of text.
  for (int x = 0; x < image.width; ++x) {
    INFO("pixel (" << x << ", 2): " << to_text(image.at({x, 2})));
    CHECK(same(image.at({x, 2}), kDeadlockBanner));
  }
  // The stations keep their state colours: OP20 blocked, OP10 working on the part it took at
  // 20 s (until 30 s, which the stopped run never reaches).
  const ExpectedView expected = expected_view(kScenes / "deadlock_rework_loop.yaml");
  check_marker(image, expected, "OP20", ViewState::kBlocked);
  check_marker(image, expected, "OP10", ViewState::kWorking);
  // OP20 and B1, the cycle, stand on pads in the highlight colour; OP10 does not.
  for (const char* id : {"OP20", "B1", "OP10"}) {
    const ElementPlacement& placed = expected.placements[index_of(expected, id)];
    const glm::vec2 centre = pixel_of(expected, pad_ring_point(expected, placed));
    const bool in_cycle = std::string(id) != "OP10";
    for (int dy = -1; dy <= 1; ++dy) {
      for (int dx = -1; dx <= 1; ++dx) {
        const Rgb8 got = image.at(centre + glm::vec2(dx, dy));
        INFO(id << " pad at pixel (" << centre.x + static_cast<float>(dx) << ", "
                << centre.y + static_cast<float>(dy) << "): found " << to_text(got));
        CHECK(same(got, kDeadlockHighlight) == in_cycle);
      }
    }
  }
}

TEST_CASE("screenshot: real glTF and COLLADA models are loaded and drawn (needs shared data)") {
  // The scene names its models where ../shared/data lies beside the repository; a copy of it
  // names them in the shared data folder the test was given.
  for (const char* model :
       {"models/converted/stacklights.glb", "models/nist_ariac_conveyor/conveyor.dae"}) {
    if (!test::shared_data_or_skip(model)) return;
  }
  std::string yaml = read_text(kScenes / "real_model.yaml");
  const std::string usual_place = "../../../../shared/data/";
  for (auto at = yaml.find(usual_place); at != std::string::npos; at = yaml.find(usual_place)) {
    yaml.replace(at, usual_place.size(), test::shared_data_dir().string() + "/");
  }
  const test::TempDir dir;
  const std::filesystem::path scene = dir.write("real_model.yaml", yaml);
  const Capture shot = capture(scene, 100.0);
  if (!shot.image) return;
  // A model that does not read is replaced by a box, with a warning on stderr.
  CHECK(shot.errors.find("not drawn") == std::string::npos);

  const ExpectedView expected = expected_view(scene);
  const std::size_t light = index_of(expected, "light");
  const auto mesh = read_model_file(expected.layout.elements[light].model);
  REQUIRE(std::holds_alternative<TriangleMesh>(mesh));
  CHECK(std::get<TriangleMesh>(mesh).triangle_count() > 12);  // more than the fallback box

  // The stack light is a slim column: scaled into the station's 2 m x 1.5 m x 1.8 m footprint it
  // keeps its proportions, so its middle is drawn while the place where the fallback box would
  // reach (0.8 m to its side) shows the floor behind.
  const ElementPlacement& placed = expected.placements[light];
  CHECK(placed.box.half_size.x < 0.5f);
  const glm::vec3 middle = placed.box.centre;
  const Rgb8 at_model = shot.image->at(pixel_of(expected, middle));
  const Rgb8 beside = shot.image->at(pixel_of(expected, middle + glm::vec3(0.8f, 0.0f, 0.0f)));
  INFO("at the model " << to_text(at_model) << ", beside it " << to_text(beside));
  CHECK_FALSE(same(at_model, kBackground));
  CHECK_FALSE(same(at_model, kGrid));
  CHECK((same(beside, kBackground) || same(beside, kGrid)));

  // The belt's model is drawn along its whole length: near both ends and in the middle.
  const ElementPlacement& belt = expected.placements[index_of(expected, "belt")];
  for (const float along : {-0.4f, 0.0f, 0.4f}) {
    const glm::vec3 point = belt.box.centre + glm::vec3(along * 2.0f * belt.box.half_size.x, 0, 0);
    CHECK_FALSE(same(shot.image->at(pixel_of(expected, point)), kBackground));
  }
}

// Pixels of the label text's colour (overlay.cpp) inside a label's box: the name is drawn there.
std::size_t label_text_pixels(const Image& image, const nlohmann::json& box) {
  constexpr Rgb8 kLabelText{235, 238, 242};
  std::size_t count = 0;
  for (int y = static_cast<int>(box[1].get<float>()); y < static_cast<int>(box[3].get<float>());
       ++y) {
    for (int x = static_cast<int>(box[0].get<float>()); x < static_cast<int>(box[2].get<float>());
         ++x) {
      if (x >= 0 && y >= 0 && x < image.width && y < image.height &&
          same(image.at({x, y}), kLabelText)) {
        ++count;
      }
    }
  }
  return count;
}

// Every element named once, each name inside the frame and over no other, and drawn where its box
// says.
void check_labels(const Capture& shot, glm::ivec2 size) {
  const Image& image = *shot.image;
  const nlohmann::json& labels = shot.info.at("labels");
  std::set<std::string> named;
  for (const auto& label : labels)
    named.insert(label.at("id").get<std::string>());
  for (const auto& element : shot.info.at("elements")) {
    INFO("element " << element.at("id"));
    CHECK(named.count(element.at("id").get<std::string>()) == 1);
  }
  CHECK(labels.size() == shot.info.at("elements").size());
  for (std::size_t a = 0; a < labels.size(); ++a) {
    const auto& box = labels[a].at("box");
    INFO("label " << labels[a].dump());
    CHECK(box[0].get<float>() >= 0.0f);
    CHECK(box[1].get<float>() >= 0.0f);
    CHECK(box[2].get<float>() <= static_cast<float>(size.x));
    CHECK(box[3].get<float>() <= static_cast<float>(size.y));
    CHECK(label_text_pixels(image, box) >= 3);
    for (std::size_t b = a + 1; b < labels.size(); ++b) {
      const auto& other = labels[b].at("box");
      INFO("and label " << labels[b].dump());
      const bool overlap = box[0].get<float>() < other[2].get<float>() &&
                           other[0].get<float>() < box[2].get<float>() &&
                           box[1].get<float>() < other[3].get<float>() &&
                           other[1].get<float>() < box[3].get<float>();
      CHECK_FALSE(overlap);
    }
  }
}

TEST_CASE("screenshot: elements that name no model are drawn as their kind's default model") {
  const Capture shot = capture(kScenes / "default_models.yaml", 5.0);
  if (!shot.image) return;
  const ExpectedView expected = expected_view(kScenes / "default_models.yaml");
  for (const auto& element : shot.info.at("elements")) {
    const std::string id = element.at("id").get<std::string>();
    const std::filesystem::path model = element.at("model").get<std::string>();
    INFO(id << " drawn from '" << model.string() << "'");
    if (id == "OP20") {
      // A model file that does not exist: the box stands in for it, and its label says so.
      CHECK(model.filename() == "no_such_model.obj");
      CHECK(element.at("fallback_box").get<bool>());
      CHECK_FALSE(element.at("model_problem").get<std::string>().empty());
      continue;
    }
    const ElementView& view = expected.layout.elements[index_of(expected, id)];
    CHECK(view.model.empty());
    CHECK_FALSE(element.at("fallback_box").get<bool>());
    CHECK(model.filename() == default_model_file(view.type));
    // Found beside the program (the build tree's share/linetwin, as an install lays it out), and
    // the very file of assets/models.
    CHECK(model.parent_path().string().ends_with("share/linetwin/assets/models"));
    CHECK(read_text(model) == read_text(kDefaultModels / model.filename()));
    // Something of the model is drawn at the middle of its box.
    const Rgb8 got =
        shot.image->at(pixel_of(expected, expected.placements[index_of(expected, id)].box.centre));
    INFO("at the middle of its box: " << to_text(got));
    CHECK_FALSE(same(got, kBackground));
    CHECK_FALSE(same(got, kGrid));
  }
  CHECK(shot.errors.find("no_such_model.obj") != std::string::npos);
  bool op20_says_so = false;
  for (const auto& label : shot.info.at("labels")) {
    if (label.at("id") == "OP20") op20_says_so = label.at("text") == "OP20 (no model)";
  }
  CHECK(op20_says_so);
  check_labels(shot, kImageSize);
}

TEST_CASE("screenshot: the final assembly's overview names every element, no name over another") {
  // The largest bundled scene, framed as the viewer starts, at the two usual screen sizes.
  for (const glm::ivec2 size : {glm::ivec2(1280, 720), glm::ivec2(1920, 1080)}) {
    CAPTURE(size.x);
    const Capture shot = capture(LINETWIN_SOURCE_DIR "/scenes/final_assembly.yaml", 0.0, 0, size);
    if (!shot.image) return;
    REQUIRE(shot.image->width == size.x);
    check_labels(shot, size);
  }
}

// Whether the flow arrow's colour is at `point` or a pixel next to it (an arrow on the floor of a
// wide layout is a few pixels wide, and rounding may move its projection by one).
bool flow_colour_near(const Image& image, const ExpectedView& expected, glm::vec3 point) {
  const glm::vec2 centre = pixel_of(expected, point);
  for (int dy = -1; dy <= 1; ++dy) {
    for (int dx = -1; dx <= 1; ++dx) {
      if (same(image.at(centre + glm::vec2(dx, dy)), kFlowArrow)) return true;
    }
  }
  return false;
}

TEST_CASE("screenshot: a flow arrow along every link, pointing downstream") {
  const Capture shot = capture(kScenes / "default_models.yaml", 5.0);
  if (!shot.image) return;
  const ExpectedView expected = expected_view(kScenes / "default_models.yaml");
  REQUIRE(expected.layout.links.size() == 5);  // parts_in > B1 > OP10 > C1 > OP20 > parts_out
  for (const FlowLinkView& link : expected.layout.links) {
    INFO("link " << expected.layout.elements[link.from].id << " > "
                 << expected.layout.elements[link.to].id);
    const auto arrow =
        place_flow_arrow(expected.placements[link.from], expected.placements[link.to]);
    REQUIRE(arrow.has_value());
    // Along the shaft, and in the head near its base, where it is wide: the arrow's own colour
    // (drawn unlit); the head points at the element downstream.
    for (const float along : {0.25f, 0.5f, 0.75f}) {
      const glm::vec3 point = glm::mix(arrow->start, arrow->head_base, along);
      CHECK(same(shot.image->at(pixel_of(expected, point)), kFlowArrow));
    }
    CHECK(same(shot.image->at(pixel_of(expected, glm::mix(arrow->head_base, arrow->tip, 0.2f))),
               kFlowArrow));
    CHECK(glm::distance(arrow->tip, expected.placements[link.to].box.centre) <
          glm::distance(arrow->start, expected.placements[link.to].box.centre));
    // Beside the shaft, further than the head is wide, the floor shows.
    const glm::vec3 along = glm::normalize(arrow->tip - arrow->start);
    const glm::vec3 beside = glm::mix(arrow->start, arrow->head_base, 0.5f) +
                             kFlowHeadWidthM * glm::vec3(-along.y, along.x, 0.0f);
    CHECK_FALSE(same(shot.image->at(pixel_of(expected, beside)), kFlowArrow));
  }

  // The final assembly's overview: an arrow between every two linked elements, seen somewhere
  // along the link (a station in front of it may hide part of it); none only where the elements'
  // boxes leave no room for one (a conveyor that runs into its buffer).
  const std::filesystem::path final_assembly = LINETWIN_SOURCE_DIR "/scenes/final_assembly.yaml";
  const Capture overview = capture(final_assembly, 0.0);
  if (!overview.image) return;
  const ExpectedView layout = expected_view(final_assembly);
  CHECK(layout.layout.links.size() >= layout.layout.elements.size() - 1);
  for (const FlowLinkView& link : layout.layout.links) {
    INFO("link " << layout.layout.elements[link.from].id << " > "
                 << layout.layout.elements[link.to].id);
    const ElementPlacement& from = layout.placements[link.from];
    const ElementPlacement& to = layout.placements[link.to];
    const auto arrow = place_flow_arrow(from, to);
    if (!arrow) {
      CHECK(glm::distance(glm::vec2(from.box.centre), glm::vec2(to.box.centre)) <=
            glm::length(glm::vec2(from.box.half_size)) + glm::length(glm::vec2(to.box.half_size)) +
                2.0f * kFlowArrowGapM);
      continue;
    }
    bool seen = false;
    for (const float along : {0.1f, 0.3f, 0.5f, 0.7f, 0.9f})
      seen = seen ||
             flow_colour_near(*overview.image, layout, glm::mix(arrow->start, arrow->tip, along));
    CHECK(seen);
  }
}

// The flows of tests/viewer/scenes/flow_split.yaml, from its arrivals and round-robin splits
// (the scene's comment), in parts per hour; OP20's link out depends on its random scrap.
struct ExpectedFlow {
  const char* from;
  const char* to;
  double parts_per_hour;
};
constexpr std::array<ExpectedFlow, 5> kSplitFlows = {{{"parts_in", "OP10", 360.0},
                                                      {"OP10", "OP20", 180.0},
                                                      {"OP10", "OP30", 180.0},
                                                      {"OP30", "OP40", 90.0},
                                                      {"OP30", "OP50", 90.0}}};
// Over the observed hour an element's count may be one part off the rate (an arrival at either
// edge of the period, a part still in process at its end).
constexpr double kFlowToleranceParts = 2.0;

const nlohmann::json& link_info(const Capture& shot, const std::string& from,
                                const std::string& to) {
  for (const nlohmann::json& link : shot.info.at("links")) {
    if (link.at("from") == from && link.at("to") == to) return link;
  }
  FAIL("no link " << from << " > " << to << " in --screenshot-info");
  return shot.info;
}

TEST_CASE("screenshot: flow arrows as wide as their link's flow once the run has data") {
  const std::filesystem::path scene = kScenes / "flow_split.yaml";
  // At the start nothing is measured yet: every arrow has the uniform width.
  const Capture early = capture(scene, 0.0);
  if (!early.image) return;
  for (const nlohmann::json& link : early.info.at("links")) {
    INFO(link.dump());
    CHECK(link.at("parts_per_hour").is_null());
    CHECK(link.at("width_m").get<float>() == kFlowArrowWidthM);
  }

  // At the end of the run: each shaft in proportion to its flow, the largest (into OP10)
  // kFlowArrowMaxWidthM wide.
  const Capture shot = capture(scene, 4200.0);
  if (!shot.image) return;
  const ExpectedView expected = expected_view(scene);
  constexpr double kLargest = 360.0;
  for (const ExpectedFlow& flow : kSplitFlows) {
    const nlohmann::json& link = link_info(shot, flow.from, flow.to);
    INFO(link.dump());
    CHECK(std::abs(link.at("parts_per_hour").get<double>() - flow.parts_per_hour) <=
          kFlowToleranceParts);
    const float width = link.at("width_m").get<float>();
    CHECK(std::abs(width - kFlowArrowMaxWidthM * flow.parts_per_hour / kLargest) <=
          kFlowArrowMaxWidthM * 2.0 * kFlowToleranceParts / kLargest);
    // Across the middle of the shaft: the arrow's colour within its width, the floor just
    // beyond it on both sides.
    const auto arrow = place_flow_arrow(expected.placements[index_of(expected, flow.from)],
                                        expected.placements[index_of(expected, flow.to)], width);
    REQUIRE(arrow.has_value());
    const glm::vec3 middle = glm::mix(arrow->start, arrow->head_base, 0.5f);
    const glm::vec3 along = glm::normalize(arrow->tip - arrow->start);
    const glm::vec3 across{-along.y, along.x, 0.0f};
    for (const float side : {-1.0f, 1.0f}) {
      CHECK(same(shot.image->at(pixel_of(expected, middle + side * 0.3f * width * across)),
                 kFlowArrow));
      CHECK_FALSE(
          same(shot.image->at(pixel_of(expected, middle + side * (0.5f * width + 0.15f) * across)),
               kFlowArrow));
    }
  }
}

// Where the viewer draws a scene in plan view: the same placements, seen by the camera in plan
// view framing the layout (orbit_camera.hpp), as the viewer frames it.
ExpectedView plan_view(const std::filesystem::path& scene) {
  ExpectedView expected = expected_view(scene);
  OrbitCamera camera;
  camera.set_plan(true);
  const float aspect = static_cast<float>(kImageSize.x) / static_cast<float>(kImageSize.y);
  camera.frame(layout_bounds(expected.placements), aspect);
  expected.view_projection = camera.projection(aspect) * camera.view();
  expected.eye = camera.eye();
  return expected;
}

// How wide the arrow's colour runs across the shaft at its middle, in metres: from the middle
// out to each side in 1 cm steps, as far as the colour goes.
float drawn_shaft_width_m(const Image& image, const ExpectedView& expected,
                          const FlowArrow& arrow) {
  const glm::vec3 middle = glm::mix(arrow.start, arrow.head_base, 0.5f);
  const glm::vec3 along = glm::normalize(arrow.tip - arrow.start);
  const glm::vec3 across{-along.y, along.x, 0.0f};
  float width = 0.0f;
  for (const float side : {-1.0f, 1.0f}) {
    float reach = 0.0f;
    while (reach < 5.0f &&
           same(image.at(pixel_of(expected, middle + side * (reach + 0.01f) * across)), kFlowArrow))
      reach += 0.01f;
    width += reach;
  }
  return width;
}

TEST_CASE("screenshot: the plan view draws every element where the top-down projection puts it") {
  // The stations' markers in their exact state colours at the pixels of the orthographic
  // projection, and every element's model at the middle of its top.
  const std::filesystem::path states = kScenes / "down_and_working.yaml";
  const Capture shot = capture(states, 505.0, 0, kImageSize, "none", "--view plan");
  if (!shot.image) return;
  CHECK(shot.info.at("camera") == "plan");
  const ExpectedView expected = plan_view(states);
  check_marker(*shot.image, expected, "OP10", ViewState::kDown);
  check_marker(*shot.image, expected, "OP20", ViewState::kWorking);
  for (const ElementPlacement& placed : expected.placements) {
    const glm::vec3 top = placed.box.centre + glm::vec3(0.0f, 0.0f, placed.box.half_size.z);
    const Rgb8 got = shot.image->at(pixel_of(expected, top));
    INFO("at " << top.x << ", " << top.y << ": " << to_text(got));
    CHECK_FALSE(same(got, kBackground));
    CHECK_FALSE(same(got, kGrid));
  }
  check_labels(shot, kImageSize);

  // A metre is as many pixels anywhere on the floor, so the shafts' drawn widths keep the ratio
  // of their flows: the widest (360 parts/h) four times the narrowest (90 parts/h).
  const std::filesystem::path split = kScenes / "flow_split.yaml";
  const Capture flows = capture(split, 4200.0, 0, kImageSize, "none", "--view plan");
  if (!flows.image) return;
  const ExpectedView plan = plan_view(split);
  const float px_per_m =
      glm::distance(pixel_of(plan, glm::vec3(0.0f)), pixel_of(plan, glm::vec3(1.0f, 0.0f, 0.0f)));
  CHECK(px_per_m == doctest::Approx(glm::distance(pixel_of(plan, glm::vec3(0.0f, 5.0f, 0.0f)),
                                                  pixel_of(plan, glm::vec3(0.0f, 6.0f, 0.0f))))
                        .epsilon(1e-3));
  std::vector<float> drawn;
  for (const ExpectedFlow& flow : kSplitFlows) {
    const float width = link_info(flows, flow.from, flow.to).at("width_m").get<float>();
    const auto arrow = place_flow_arrow(plan.placements[index_of(plan, flow.from)],
                                        plan.placements[index_of(plan, flow.to)], width);
    REQUIRE(arrow.has_value());
    drawn.push_back(drawn_shaft_width_m(*flows.image, plan, *arrow));
    INFO(flow.from << " > " << flow.to << ": drawn " << drawn.back() * px_per_m << " px, "
                   << width * px_per_m << " px expected");
    // A pixel of rounding on either edge.
    CHECK(std::abs(drawn.back() - width) * px_per_m <= 2.0f);
  }
  CHECK(drawn.front() / drawn.back() ==
        doctest::Approx(4.0).epsilon(4.0 / (drawn.back() * px_per_m)));
}

// Pixels of exactly `colour` inside a window's box from --screenshot-info.
std::size_t pixels_in(const Image& image, const nlohmann::json& box, Rgb8 colour) {
  std::size_t count = 0;
  for (int y = std::max(0, static_cast<int>(box[1].get<float>()));
       y < std::min(image.height, static_cast<int>(box[3].get<float>())); ++y) {
    for (int x = std::max(0, static_cast<int>(box[0].get<float>()));
         x < std::min(image.width, static_cast<int>(box[2].get<float>())); ++x) {
      if (same(image.at({x, y}), colour)) ++count;
    }
  }
  return count;
}

TEST_CASE("screenshot: the material-flow diagram under the view, a band colour per product") {
  // tests/viewer/scenes/flow_products.yaml: 180 body_a and 60 body_b per hour, each product down
  // the same number of links of the same lengths (the scene's comment), so body_a's bands cover
  // about three times body_b's area.
  const std::filesystem::path scene = kScenes / "flow_products.yaml";
  for (const double time_s : {0.0, 4200.0}) {
    CAPTURE(time_s);
    const Capture shot = capture(scene, time_s, 0, kImageSize, "none", "--flow-diagram");
    if (!shot.image) return;
    const nlohmann::json* diagram = nullptr;
    for (const nlohmann::json& window : shot.info.at("windows")) {
      if (window.at("name") == "Material flow") diagram = &window.at("box");
    }
    REQUIRE(diagram != nullptr);
    // Under the 3D view, across its width, never over it.
    const auto& view = shot.info.at("view");
    CHECK((*diagram)[1].get<float>() >= view[3].get<float>());
    CHECK((*diagram)[0].get<float>() == view[0].get<float>());
    CHECK((*diagram)[2].get<float>() == view[2].get<float>());
    const std::size_t body_a = pixels_in(*shot.image, *diagram, product_colour(0));
    const std::size_t body_b = pixels_in(*shot.image, *diagram, product_colour(1));
    INFO("body_a " << body_a << " pixels, body_b " << body_b);
    if (time_s == 0.0) {
      // Nothing measured yet: no band (the legend's swatches come with the flows).
      CHECK(body_a == 0);
      CHECK(body_b == 0);
      continue;
    }
    CHECK(body_b > 200);
    CHECK(static_cast<double>(body_a) > 2.0 * static_cast<double>(body_b));
    CHECK(static_cast<double>(body_a) < 4.0 * static_cast<double>(body_b));
    CHECK(pixels_in(*shot.image, *diagram, kAllProductsColour) == 0);  // known by product
  }
}

TEST_CASE("screenshot: the panels are docked around the 3D view, none over its centre") {
  // Every panel open at once (the help window aside: it opens with F1, over everything).
  const std::string panels = "controls,kpi,states,inspector,events,legend,whatif";
  for (const glm::ivec2 size : {glm::ivec2(1280, 720), glm::ivec2(1920, 1080)}) {
    CAPTURE(size.x);
    const Capture shot =
        capture(LINETWIN_SOURCE_DIR "/scenes/final_assembly.yaml", 0.0, 0, size, panels);
    if (!shot.image) return;
    const auto& view = shot.info.at("view");
    const float x0 = view[0].get<float>();
    const float y0 = view[1].get<float>();
    const float x1 = view[2].get<float>();
    const float y1 = view[3].get<float>();
    // A view the size of a good part of the window, its centre in the middle of the free space.
    CHECK(x1 - x0 >= 0.3f * static_cast<float>(size.x));
    CHECK(y1 - y0 >= 0.5f * static_cast<float>(size.y));
    const glm::vec2 centre{(x0 + x1) / 2, (y0 + y1) / 2};
    std::set<std::string> seen;
    for (const auto& window : shot.info.at("windows")) {
      const std::string name = window.at("name").get<std::string>();
      const auto& box = window.at("box");
      INFO(name << " at " << box.dump() << ", the view at " << view.dump());
      seen.insert(name);
      const bool over_centre = box[0].get<float>() <= centre.x && centre.x <= box[2].get<float>() &&
                               box[1].get<float>() <= centre.y && centre.y <= box[3].get<float>();
      CHECK_FALSE(over_centre);
      // Beside the view, not over it.
      const bool over_view = box[0].get<float>() < x1 && x0 < box[2].get<float>() &&
                             box[1].get<float>() < y1 && y0 < box[3].get<float>();
      CHECK_FALSE(over_view);
    }
    for (const char* name :
         {"Source", "KPI dashboard", "State shares", "Inspector", "Event log", "What-if", "Legend"})
      CHECK(seen.count(name) == 1);
    // The names of the elements are drawn inside the view.
    for (const auto& label : shot.info.at("labels")) {
      const auto& box = label.at("box");
      INFO("label " << label.dump());
      CHECK(box[0].get<float>() >= x0);
      CHECK(box[2].get<float>() <= x1);
      CHECK(box[1].get<float>() >= y0);
      CHECK(box[3].get<float>() <= y1);
    }
    // The line is drawn in the view: its middle is not the empty background.
    std::size_t drawn = 0;
    for (int dy = -20; dy <= 20; ++dy) {
      for (int dx = -100; dx <= 100; ++dx)
        drawn += same(shot.image->at(centre + glm::vec2(dx, dy)), kBackground) ? 0 : 1;
    }
    CHECK(drawn > 0);
  }
}

TEST_CASE(
    "screenshot: the AGV cell's moving vehicle where its track puts it, simulated and "
    "replayed") {
  // The expectation: the engine's own run of the cell (replication 0 with the scene's seed and
  // settings, as the viewer simulates it) and the first instant of the recording's rate at which
  // a vehicle is half-way through a drive.
  constexpr double kRateHz = 5.0;
  const std::filesystem::path scene_file = LINETWIN_SOURCE_DIR "/scenes/agv_cell.yaml";
  const Scene scene = load_scene_file(scene_file.string());
  LineRun run(scene, scene.seed(), 0);
  run.record_vehicle_tracks();
  run.advance_to(3600.0);
  const std::vector<TrackedVehicle>& tracks = run.vehicle_tracks();
  std::size_t moving = tracks.size();
  double t_s = std::numeric_limits<double>::max();
  for (std::size_t v = 0; v < tracks.size(); ++v) {
    const auto drives = tracks[v].track.drives();
    if (drives.empty()) continue;
    const double middle = drives.front().start_s + drives.front().profile.total_time_s() / 2.0;
    if (std::round(middle * kRateHz) / kRateHz < t_s) {
      moving = v;
      t_s = std::round(middle * kRateHz) / kRateHz;
    }
  }
  REQUIRE(moving < tracks.size());
  REQUIRE(tracks[moving].track.moving_at(t_s));
  const FloorPose pose = *tracks[moving].track.pose_at(t_s);
  const std::string id = vehicle_bodies(scene)[moving].id;

  // Where the viewer must draw it: the vehicle model's placement on that pose, the plate on its
  // deck projected with the camera that frames the layout.
  ExpectedView expected = expected_view(scene_file);
  VehicleView vehicle = expected.layout.vehicles.at(moving);
  vehicle.pose = pose;
  vehicle.state = BodyState::kMoving;
  const auto model = read_model_file((kDefaultModels / kVehicleModelFile).string());
  REQUIRE(std::holds_alternative<TriangleMesh>(model));
  const VehiclePlacement placed = place_vehicle(vehicle, std::get<TriangleMesh>(model).bounds());
  const glm::vec2 plate = pixel_of(expected, placed.plate_top);

  const test::TempDir dir;
  const std::string recording = dir.path() + "/agv.h5";
  const std::string record = std::string("'") + LINETWIN_CLI_EXE + "' run '" + scene_file.string() +
                             "' --reps 1 --record '" + recording +
                             "' --trajectory-rate 5 > /dev/null";
  REQUIRE(std::system(record.c_str()) == 0);
  for (const std::string& replay : {std::string(), "--replay '" + recording + "'"}) {
    CAPTURE(replay);
    const Capture shot = capture(scene_file, t_s, 0, kImageSize, "none", replay);
    if (!shot.image) return;
    const nlohmann::json* drawn = nullptr;
    for (const nlohmann::json& v : shot.info["vehicles"]) {
      if (v["id"] == id) drawn = &v;
    }
    REQUIRE(drawn != nullptr);
    CHECK((*drawn)["state"] == "moving");
    CHECK((*drawn)["pose"][0].get<double>() == pose.x_m);
    CHECK((*drawn)["pose"][1].get<double>() == pose.y_m);
    CHECK((*drawn)["pose"][2].get<double>() == pose.heading_rad);
    const glm::vec2 centre{(*drawn)["centre"][0].get<float>(), (*drawn)["centre"][1].get<float>()};
    CHECK(glm::distance(centre, plate) < 0.5f);
    // The box around the model holds the plate.
    const auto& box = (*drawn)["box"];
    CHECK(box[0].get<float>() < plate.x);
    CHECK(box[1].get<float>() < plate.y);
    CHECK(box[2].get<float>() > plate.x);
    CHECK(box[3].get<float>() > plate.y);
    for (int dy = -1; dy <= 1; ++dy) {
      for (int dx = -1; dx <= 1; ++dx) {
        const Rgb8 got = shot.image->at(plate + glm::vec2(dx, dy));
        INFO(id << " plate at pixel (" << plate.x + static_cast<float>(dx) << ", "
                << plate.y + static_cast<float>(dy) << "): found " << to_text(got));
        CHECK(same(got, kVehicleMoving));
      }
    }
  }
}

TEST_CASE(
    "screenshot: vehicles are named at close zoom only, after the elements, no name over "
    "another") {
  // At 20,000 s both of the AGV cell's vehicles are on the floor; framed whole, the cell's
  // vehicles are about 30 pixels long at 960x600 and about 60 at 1920x1080.
  const std::filesystem::path scene_file = LINETWIN_SOURCE_DIR "/scenes/agv_cell.yaml";
  for (const glm::ivec2 size : {glm::ivec2(960, 600), glm::ivec2(1920, 1080)}) {
    CAPTURE(size.x);
    const Capture shot = capture(scene_file, 20000.0, 0, size);
    if (!shot.image) return;
    std::vector<LabelBox> labels;
    for (const nlohmann::json& label : shot.info["labels"]) {
      LabelBox box;
      box.text = label["id"];
      box.vehicle = label["vehicle"];
      box.min_px = {label["box"][0].get<float>(), label["box"][1].get<float>()};
      box.max_px = {label["box"][2].get<float>(), label["box"][3].get<float>()};
      labels.push_back(box);
    }
    for (std::size_t a = 0; a < labels.size(); ++a) {
      for (std::size_t b = a + 1; b < labels.size(); ++b) {
        INFO(labels[a].text << " and " << labels[b].text);
        CHECK_FALSE(labels_overlap(labels[a], labels[b]));
      }
    }
    // Every element of the cell is still named, vehicles or not.
    const std::size_t elements = shot.info["elements"].size();
    CHECK(static_cast<std::size_t>(std::count_if(
              labels.begin(), labels.end(), [](const auto& l) { return !l.vehicle; })) == elements);
    REQUIRE(shot.info["vehicles"].size() == 2);
    for (const nlohmann::json& vehicle : shot.info["vehicles"]) {
      const std::string id = vehicle["id"];
      CAPTURE(id);
      const auto& box = vehicle["box"];
      const float extent = std::max(box[2].get<float>() - box[0].get<float>(),
                                    box[3].get<float>() - box[1].get<float>());
      const auto label = std::find_if(labels.begin(), labels.end(),
                                      [&](const LabelBox& l) { return l.vehicle && l.text == id; });
      // The cell leaves room beside its aisles: a vehicle big enough on screen is named.
      CHECK((label != labels.end()) == (extent >= kVehicleLabelMinPx));
      CHECK((size.x == 1920) == (extent >= kVehicleLabelMinPx));
      if (label == labels.end()) continue;
      // Above or below its vehicle, never over its plate.
      const glm::vec2 plate{vehicle["centre"][0].get<float>(), vehicle["centre"][1].get<float>()};
      CHECK((label->max_px.y <= plate.y - 1.0f || label->min_px.y >= plate.y + 1.0f));
    }
  }
}

TEST_CASE("screenshot: a selected vehicle is named at any zoom") {
  // At 960x600 the AGV cell's vehicles are too small to be named (the case above) unless selected.
  const Capture shot = capture(LINETWIN_SOURCE_DIR "/scenes/agv_cell.yaml", 20000.0, 0, kImageSize,
                               "none", "--select 'AGV#1'");
  if (!shot.image) return;
  std::vector<std::string> named;
  for (const nlohmann::json& label : shot.info["labels"]) {
    if (label["vehicle"]) named.push_back(label["id"]);
  }
  CHECK(named == std::vector<std::string>{"AGV#1"});
}

TEST_CASE("screenshot: a scene without fleets draws no vehicle") {
  const Capture shot = capture(kScenes / "down_and_working.yaml", 505.0);
  if (!shot.image) return;
  CHECK(shot.info["vehicles"].empty());
  CHECK(count_pixels(*shot.image, kVehicleMoving) == 0);
  CHECK(count_pixels(*shot.image, kVehicleStanding) == 0);
}

TEST_CASE("no display: a clear message and exit status 1, not a crash") {
  // GLFW cannot start.
  const auto [status, errors] = run_viewer_without_gl("env -u DISPLAY -u WAYLAND_DISPLAY");
  CHECK(status == 1);
  CHECK(errors.find("OpenGL 3.3") != std::string::npos);
  CHECK(errors.find("xvfb-run") != std::string::npos);
}

TEST_CASE("a display without OpenGL 3.3: a clear message and exit status 1, not a crash") {
  if (!have_display()) {
    test::skip_test("no DISPLAY (run under xvfb-run for the screenshot tests)");
    return;
  }
  // A display whose OpenGL stops at 3.0 (Mesa's override; other drivers ignore it).
  const auto [status, errors] = run_viewer_without_gl("MESA_GL_VERSION_OVERRIDE=3.0");
  if (status == 0) {
    test::skip_test("the driver is not Mesa and ignores MESA_GL_VERSION_OVERRIDE=3.0");
    return;
  }
  CHECK(status == 1);
  CHECK(errors.find("cannot create an OpenGL 3.3 core context") != std::string::npos);
}
