// The view of a scene before any source speaks: poses and models from the scene file, stations
// not yet known, everything else passive, and the links of the material flow.
#include <doctest/doctest.h>

#include "io/scene_file.hpp"
#include "layout_view.hpp"
#include "viewer_test_scene.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

TEST_CASE("layout_view places every element of the scene with its model resolved") {
  const Scene scene = load_scene_text(kViewerTestScene, "lines/test.yaml");
  const LineView view = layout_view(scene, "/plant/lines");
  REQUIRE(view.elements.size() == scene.elements().size());
  for (ElementIndex i = 0; i < view.elements.size(); ++i) {
    const ElementView& e = view.elements[i];
    CHECK(e.element == i);
    CHECK(e.id == scene.element(i).id);
    CHECK(e.type == scene.element(i).type);
    CHECK(e.pose.x_m == scene.element(i).pose.x_m);
    CHECK(e.pose.yaw_deg == scene.element(i).pose.yaw_deg);
    CHECK(e.state == (e.type == ElementType::kStation ? ViewState::kUnknown : ViewState::kPassive));
    CHECK(e.parts == 0);
  }
  CHECK(view.elements[*scene.find("OP10")].model == "/plant/lines/models/station.obj");
  CHECK(view.elements[*scene.find("OP20")].model.empty());
  CHECK(view.elements[*scene.find("B1")].capacity == 5);
  CHECK(view.elements[*scene.find("belt")].conveyor_length_m == 6.0);
  // The flow's links, as the scene's `to:` gives them: blanks > OP10 > belt > B1 > OP20 > shipped.
  const char* const chain[] = {"blanks", "OP10", "belt", "B1", "OP20", "shipped"};
  REQUIRE(view.links.size() == 5);
  for (std::size_t k = 0; k < view.links.size(); ++k) {
    CHECK(view.links[k].from == *scene.find(chain[k]));
    CHECK(view.links[k].to == *scene.find(chain[k + 1]));
  }
}
