// Where operators are at an instant (LineRun::operator_positions): at a station, walking between
// two stations' poses at the pool's walking speed, or idle where a task or their home left them.
// Every time in the scene is deterministic, so each position is worked out from the scene's poses,
// its walking speed and its processing time.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "io/scene_file.hpp"
#include "plant/line_run.hpp"

using namespace linetwin;

namespace {

// One fitter shared by A and B, as in resources_test: A works its first part [0, 30 s] with the
// fitter, who starts there; the part moves on to B, which calls the fitter, who walks the distance
// from A to B at 1 m/s, works 30 s at B and walks back to A, whose next part waits for them. The
// other pools have a skill no station asks for: `spare` stays at its home H, and `floating`, which
// has no home, at the floor's origin.
constexpr double kProcessingS = 30.0;
const char* const kScene = R"(linetwin_scene: 1
run: {duration: 1000s}
operators:
  - {pool: fitters, count: 1, skills: [fit], walking_speed_m_per_s: 1.0, home: A}
  - {pool: spare, count: 2, skills: [weld], walking_speed_m_per_s: 1.0, home: H}
  - {pool: floating, count: 1, skills: [weld], walking_speed_m_per_s: 1.0}
elements:
  - {id: in, type: source, supply: unlimited, to: A}
  - {id: A, type: station, processing: 30s, operators: {processing: fit}, pose: {x: 2, y: 1}, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: B}
  - {id: B, type: station, processing: 30s, operators: {processing: fit}, pose: {x: 8, y: 9}, to: out}
  - {id: out, type: sink}
  - {id: H, type: buffer, capacity: 1, to: out, pose: {x: 40, y: -3}}
)";

std::vector<OperatorPosition> positions_at(LineRun& run, double t_s) {
  run.advance_to(t_s);
  std::vector<OperatorPosition> out;
  run.operator_positions(out);
  return out;
}

}  // namespace

TEST_CASE("operator positions: at a station, walking between poses, idle at home") {
  const Scene scene = load_scene_text(kScene, "operators.yaml");
  const ElementIndex a = *scene.find("A");
  const ElementIndex b = *scene.find("B");
  const ElementIndex h = *scene.find("H");
  const Pose& pa = scene.element(a).pose;
  const Pose& pb = scene.element(b).pose;
  const Pose& ph = scene.element(h).pose;
  const double speed = scene.operator_pools()[0].walking_speed_m_per_s;
  const double walk_s = std::hypot(pb.x_m - pa.x_m, pb.y_m - pa.y_m) / speed;
  LineRun run(scene, scene.seed(), 0);

  // Mid-way through the first part, at A: four operators, pool by pool.
  auto at = positions_at(run, kProcessingS / 2);
  REQUIRE(at.size() == 4);
  CHECK(at[0].pool == 0);
  CHECK(at[0].activity == OperatorActivity::kAtStation);
  CHECK(at[0].element == a);
  CHECK(at[0].x_m == pa.x_m);
  CHECK(at[0].y_m == pa.y_m);
  CHECK(at[1].pool == 1);
  CHECK(at[1].number == 0);
  CHECK(at[2].number == 1);
  for (int spare = 1; spare <= 2; ++spare) {
    CHECK(at[spare].activity == OperatorActivity::kIdle);
    CHECK(at[spare].element == h);
    CHECK(at[spare].x_m == ph.x_m);
    CHECK(at[spare].y_m == ph.y_m);
  }
  CHECK(at[3].activity == OperatorActivity::kIdle);
  CHECK(at[3].element == kNoElement);
  CHECK(at[3].x_m == 0.0);
  CHECK(at[3].y_m == 0.0);

  // Half way from A to B, a quarter of the walk later, and at B.
  const double walk_start_s = kProcessingS;
  auto walking = positions_at(run, walk_start_s + walk_s / 2);
  CHECK(walking[0].activity == OperatorActivity::kWalking);
  CHECK(walking[0].element == a);
  CHECK(walking[0].walking_to == b);
  CHECK(walking[0].fraction == doctest::Approx(0.5));
  CHECK(walking[0].x_m == doctest::Approx((pa.x_m + pb.x_m) / 2));
  CHECK(walking[0].y_m == doctest::Approx((pa.y_m + pb.y_m) / 2));
  walking = positions_at(run, walk_start_s + walk_s * 3 / 4);
  CHECK(walking[0].fraction == doctest::Approx(0.75));
  CHECK(walking[0].x_m == doctest::Approx(pa.x_m + 0.75 * (pb.x_m - pa.x_m)));
  CHECK(walking[0].y_m == doctest::Approx(pa.y_m + 0.75 * (pb.y_m - pa.y_m)));
  const auto at_b = positions_at(run, walk_start_s + walk_s + kProcessingS / 2);
  CHECK(at_b[0].activity == OperatorActivity::kAtStation);
  CHECK(at_b[0].element == b);
  CHECK(at_b[0].x_m == pb.x_m);

  // Back from B to A after the part at B: a tenth of the way, from B's pose.
  const double back_s = walk_start_s + walk_s + kProcessingS;
  const auto back = positions_at(run, back_s + walk_s / 10);
  CHECK(back[0].activity == OperatorActivity::kWalking);
  CHECK(back[0].element == b);
  CHECK(back[0].walking_to == a);
  CHECK(back[0].fraction == doctest::Approx(0.1));
  CHECK(back[0].x_m == doctest::Approx(pb.x_m + 0.1 * (pa.x_m - pb.x_m)));

  // A saved state and a fork say the same: the walk's start follows from its end and length.
  std::stringstream state;
  run.save_state(state);
  const LineRun restored = LineRun::restore(scene, state, "operators.state");
  const LineRun fork = run;
  for (const LineRun* other : {&restored, &fork}) {
    std::vector<OperatorPosition> again;
    other->operator_positions(again);
    REQUIRE(again.size() == back.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
      CAPTURE(i);
      CHECK(again[i].activity == back[i].activity);
      CHECK(again[i].element == back[i].element);
      CHECK(again[i].walking_to == back[i].walking_to);
      CHECK(again[i].fraction == back[i].fraction);
      CHECK(again[i].x_m == back[i].x_m);
      CHECK(again[i].y_m == back[i].y_m);
    }
  }
}
