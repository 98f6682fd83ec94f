// What the screenshot suites share: linetwin-viewer run headless on a scene, its PNG read back,
// and where the viewer's own geometry code puts each element of the scene on that image.
//
// The screenshots need a display with OpenGL 3.3 (CI runs ctest under xvfb-run with Mesa's
// llvmpipe): without one, capture() reports the case skipped (test_skip.hpp).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <stb_image.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "default_models.hpp"
#include "element_placement.hpp"
#include "io/scene_file.hpp"
#include "model/layout_view.hpp"
#include "model/state_colours.hpp"
#include "model_file.hpp"
#include "orbit_camera.hpp"
#include "picking.hpp"
#include "test_skip.hpp"

namespace linetwin::viewer::screenshots {

inline const std::filesystem::path kScenes = LINETWIN_SOURCE_DIR "/tests/viewer/scenes";
inline const std::filesystem::path kDefaultModels = LINETWIN_SOURCE_DIR "/assets/models";
constexpr glm::ivec2 kImageSize{960, 600};
// The clear colour of the 3D view and the floor grid's colour (line_renderer.cpp), as bytes.
constexpr Rgb8 kBackground{33, 36, 41};
constexpr Rgb8 kGrid{70, 76, 84};

struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
  Rgb8 at(glm::vec2 pixel) const {
    const auto x = static_cast<std::size_t>(pixel.x);
    const auto y = static_cast<std::size_t>(pixel.y);
    const std::size_t k = 3 * (y * static_cast<std::size_t>(width) + x);
    return {rgb[k], rgb[k + 1], rgb[k + 2]};
  }
};

// Compared outside doctest's expression capture, which would look for operator== elsewhere.
inline bool same(Rgb8 a, Rgb8 b) {
  return a.r == b.r && a.g == b.g && a.b == b.b;
}

inline std::string to_text(Rgb8 c) {
  std::ostringstream text;
  text << '(' << int{c.r} << ", " << int{c.g} << ", " << int{c.b} << ')';
  return text.str();
}

struct Capture {
  std::optional<Image> image;  // nullopt: no display or no OpenGL 3.3 (the case is skipped)
  std::string errors;          // the viewer's stderr
  int exit_status = 0;
  nlohmann::json info;  // --screenshot-info: the models drawn and the label boxes
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline bool have_display() {
  const char* display = std::getenv("DISPLAY");
  return display != nullptr && *display != '\0';
}

// Runs linetwin-viewer --screenshot on a scene at `time_s` with `panels` open (none by default),
// at `size` pixels, with `more_flags` (such as a --replay); any exit status other than `allowed`
// (and 0) fails the case.
inline Capture capture(const std::filesystem::path& scene, double time_s, int allowed = 0,
                       glm::ivec2 size = kImageSize, const std::string& panels = "none",
                       const std::string& more_flags = "") {
  Capture result;
  if (!have_display()) {
    test::skip_test("no DISPLAY (run under xvfb-run for the screenshot tests)");
    return result;
  }
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() /
      ("linetwin_viewer_test_" + std::to_string(getpid()) + "_" + scene.stem().string() + ".png");
  const std::filesystem::path err = out.string() + ".stderr";
  const std::filesystem::path info = out.string() + ".json";
  std::filesystem::remove(out);
  const std::string command = std::string("'") + LINETWIN_VIEWER_EXE + "' '" + scene.string() +
                              "' --screenshot '" + out.string() + "' --screenshot-info '" +
                              info.string() + "' --time " + std::to_string(time_s) + " --size " +
                              std::to_string(size.x) + "x" + std::to_string(size.y) + " --panels " +
                              panels + " " + more_flags + " 2> '" + err.string() + "'";
  const int status = std::system(command.c_str());
  result.errors = read_text(err);
  if (status != 0 && result.errors.find("OpenGL 3.3") != std::string::npos) {
    test::skip_test("the display has no OpenGL 3.3: " + result.errors);
    return result;
  }
  INFO("viewer stderr: " << result.errors);
  REQUIRE(WIFEXITED(status));
  result.exit_status = WEXITSTATUS(status);
  REQUIRE((result.exit_status == 0 || result.exit_status == allowed));
  int channels = 0;
  Image image;
  std::uint8_t* pixels = stbi_load(out.string().c_str(), &image.width, &image.height, &channels, 3);
  REQUIRE(pixels != nullptr);
  image.rgb.assign(pixels, pixels + 3 * image.width * image.height);
  stbi_image_free(pixels);
  result.info = nlohmann::json::parse(read_text(info));
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  std::filesystem::remove(info);
  result.image = std::move(image);
  return result;
}

// Where the viewer places every element of a scene and how it frames the camera, from the same
// functions it uses: models read for their bounds (the kind's default model for an element that
// names none), the fallback box for those that do not read.
struct ExpectedView {
  LineView layout;
  std::vector<ElementPlacement> placements;
  glm::mat4 view_projection{1.0f};
  glm::vec3 eye{0.0f};
};

inline ExpectedView expected_view(const std::filesystem::path& scene_file) {
  const Scene scene = load_scene_file(scene_file.string());
  ExpectedView expected{layout_view(scene, kScenes), {}, {}};
  const Box3 unit_box = make_box_mesh({1.0f, 1.0f, 1.0f}).bounds();
  for (const ElementView& element : expected.layout.elements) {
    const auto model = read_model_file(
        element.model.empty() ? default_model_path(element.type, kDefaultModels) : element.model);
    const auto* mesh = std::get_if<TriangleMesh>(&model);
    expected.placements.push_back(
        mesh != nullptr ? place_element(element, mesh->bounds(), FootprintFit::kKeepProportions)
                        : place_element(element, unit_box, FootprintFit::kStretch));
  }
  OrbitCamera camera;
  const float aspect = static_cast<float>(kImageSize.x) / static_cast<float>(kImageSize.y);
  camera.frame(layout_bounds(expected.placements), aspect);
  expected.view_projection = camera.projection(aspect) * camera.view();
  expected.eye = camera.eye();
  return expected;
}

inline glm::vec2 pixel_of(const ExpectedView& expected, glm::vec3 point) {
  const auto pixel = project_to_pixel(point, glm::vec2(kImageSize), expected.view_projection);
  REQUIRE(pixel.has_value());
  REQUIRE(pixel->x >= 1.0f);
  REQUIRE(pixel->y >= 1.0f);
  REQUIRE(pixel->x < static_cast<float>(kImageSize.x) - 1.0f);
  REQUIRE(pixel->y < static_cast<float>(kImageSize.y) - 1.0f);
  return *pixel;
}

inline std::size_t index_of(const ExpectedView& expected, const std::string& id) {
  for (std::size_t i = 0; i < expected.layout.elements.size(); ++i) {
    if (expected.layout.elements[i].id == id) return i;
  }
  FAIL("no element " << id);
  return 0;
}

// The status marker's colour around the centre of its top face: the pixel there and its eight
// neighbours (a marker is tens of pixels wide, so a rounding of the projection cannot leave it).
inline void check_marker(const Image& image, const ExpectedView& expected, const std::string& id,
                         ViewState state) {
  const glm::vec2 centre =
      pixel_of(expected, expected.placements[index_of(expected, id)].marker_top);
  const Rgb8 want = state_colour(state);
  for (int dy = -1; dy <= 1; ++dy) {
    for (int dx = -1; dx <= 1; ++dx) {
      const Rgb8 got = image.at(centre + glm::vec2(dx, dy));
      INFO(id << " marker at pixel (" << centre.x + static_cast<float>(dx) << ", "
              << centre.y + static_cast<float>(dy) << "): expected " << state_name(state) << " "
              << to_text(want) << ", found " << to_text(got));
      CHECK(same(got, want));
    }
  }
}

// Pixels of exactly `colour` in the image.
inline std::size_t count_pixels(const Image& image, Rgb8 colour) {
  std::size_t count = 0;
  for (std::size_t k = 0; k + 2 < image.rgb.size(); k += 3) {
    if (same(Rgb8{image.rgb[k], image.rgb[k + 1], image.rgb[k + 2]}, colour)) ++count;
  }
  return count;
}

}  // namespace linetwin::viewer::screenshots
