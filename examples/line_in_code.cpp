// Building a line in code instead of a scene file, with SceneBuilder, and stepping through it.
//
// A source of orders (exponential, one per 75 s) feeds a queue in front of a two-server press,
// which feeds a paint station that fails on calendar time. The run is advanced one simulated hour
// at a time, as a viewer would, printing the line's state each hour.
// Run: build/bin/example_line_in_code
#include <fmt/format.h>

#include "plant/line_run.hpp"
#include "plant/scene.hpp"

int main() {
  using namespace linetwin;
  SceneBuilder line("press and paint");
  line.seed(2026).run_settings({6 * 3600.0, 0.0, 1});
  SourceSpec orders;
  orders.interarrival = Distribution::exponential(75.0);
  line.add_source({"orders", "queue", {}, "", {}}, orders);
  line.add_buffer({"queue", "press", {2.0, 0.0, 0.0, 0.0}, "", {}}, BufferSpec{10});
  StationSpec press;
  press.servers = 2;
  press.processing = Distribution::lognormal(120.0, 30.0);
  line.add_station({"press", "paint", {4.0, 0.0, 0.0, 0.0}, "", {}}, press);
  StationSpec paint;
  paint.processing = Distribution::triangular(40.0, 50.0, 70.0);
  paint.breakdowns = BreakdownSpec{Distribution::exponential(3600.0),
                                   Distribution::exponential(300.0), FailureClock::kCalendarTime};
  line.add_station({"paint", "done", {8.0, 0.0, 0.0, 0.0}, "", {}}, paint);
  line.add_sink({"done", "", {10.0, 0.0, 0.0, 0.0}, "", {}});
  const Scene scene = line.build();

  LineRun run(scene, scene.seed(), 0);
  fmt::print("{:>5} {:>10} {:>8} {:>12}\n", "hour", "completed", "WIP", "paint down");
  for (int hour = 1; hour <= 6; ++hour) {
    run.advance_to(hour * 3600.0);
    const ReplicationResult so_far = run.results();
    fmt::print("{:>5} {:>10} {:>8.2f} {:>11.1f}%\n", hour, so_far.parts_completed, so_far.wip_mean,
               100.0 * so_far.stations[1].down);
  }
  return 0;
}
