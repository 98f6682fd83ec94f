// The sweep view reads what `linetwin sweep --json` writes: a small sweep of two swept buffers, a
// named variant, gates and a selection of the best (tests/viewer/scenes/sweep_grid.scenario.yaml)
// is run here with the CLI's own planning, runner and writer, and every number the view gives is
// checked against the replications the test ran. A file that is not a sweep's is refused with the
// file and the field.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/input_error.hpp"
#include "core/statistics.hpp"
#include "experiment/sweep.hpp"
#include "io/scenario_file.hpp"
#include "sweep_support.hpp"
#include "sweep_view.hpp"

using namespace linetwin;
using namespace linetwin::viewer;

namespace {

const std::string kScenario =
    std::string(LINETWIN_SOURCE_DIR) + "/tests/viewer/scenes/sweep_grid.scenario.yaml";

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("linetwin_sweep_view_" + std::to_string(getpid()) + "_" + name);
}

std::string file_text(const std::filesystem::path& path) {
  std::ostringstream text;
  text << std::ifstream(path, std::ios::binary).rdbuf();
  return text.str();
}

// The sweep as `linetwin sweep SCENARIO --json FILE` runs it, its results kept for the checks.
struct RanSweep {
  Scenario scenario;
  cli::SweepPlan plan;
  SweepResults results;
  std::string json;
};

RanSweep run_grid_sweep() {
  RanSweep ran{load_scenario_file(kScenario), {}, {}, {}};
  cli::SweepFlags flags;
  flags.threads = 2;
  ran.plan = cli::plan_sweep(ran.scenario, flags);
  ran.results = run_sweep(ran.plan.variants, ran.plan.settings);
  cli::SweepOutputs outputs;
  const std::filesystem::path json = temp_file("grid.json");
  outputs.json = json.string();
  // The second gate asks for more than the line can make: finish_sweep says so with 3.
  CHECK(cli::finish_sweep(ran.scenario, ran.plan, ran.results, outputs, true) == 3);
  ran.json = file_text(json);
  std::filesystem::remove(json);
  return ran;
}

const RanSweep& grid_sweep() {
  static const RanSweep ran = run_grid_sweep();
  return ran;
}

std::vector<double> throughputs(const std::vector<ReplicationResult>& results) {
  std::vector<double> values;
  for (const ReplicationResult& r : results)
    values.push_back(r.throughput_per_hour);
  return values;
}

double mean_of(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values)
    sum += v;
  return sum / static_cast<double>(values.size());
}

InputError refusal(const std::string& text, const std::string& file = "bad.json") {
  try {
    SweepView::parse(text, file);
  } catch (const InputError& e) {
    return e;
  }
  FAIL("expected an InputError");
  throw;  // unreachable
}

}  // namespace

TEST_CASE("the sweep view gives each variant's estimates as the sweep ran them") {
  const RanSweep& ran = grid_sweep();
  const SweepView view = SweepView::parse(ran.json, "grid.json");
  CHECK(view.name() == "B1 and B2 around OP30");
  CHECK(view.seed() == ran.plan.settings.seed);
  CHECK(view.common_random_numbers());
  // The baseline, the named variant and the 2 x 3 grid, in the scenario's order.
  REQUIRE(view.variants().size() == ran.scenario.variants.size());
  REQUIRE(view.variants().size() == 8);
  const std::size_t throughput = view.kpi_index("throughput_per_hour").value();
  const std::size_t wip = view.kpi_index("wip_mean").value();
  CHECK(view.kpis()[throughput].unit == "parts/h");
  CHECK(view.kpis()[throughput].direction == 1);
  CHECK(view.kpis()[wip].unit == "parts");
  CHECK(view.kpis()[wip].direction == -1);
  CHECK(view.kpis()[*view.kpi_index("lead_time_mean_s")].unit == "s");

  const std::vector<double> baseline = throughputs(ran.results.replications[0]);
  for (std::size_t v = 0; v < view.variants().size(); ++v) {
    const SweepVariantRow& row = view.variants()[v];
    CAPTURE(row.name);
    CHECK(row.name == ran.scenario.variants[v].name);
    const std::vector<double> values = throughputs(ran.results.replications[v]);
    CHECK(row.replications == values.size());
    // The mean and interval of this variant's own replications.
    const Estimate expected = estimate(values, 0.95);
    const SweepEstimate& got = row.cells[throughput].estimate;
    CHECK(got.mean == doctest::Approx(expected.mean).epsilon(1e-12));
    CHECK(got.low == doctest::Approx(expected.ci_low).epsilon(1e-12));
    CHECK(got.high == doctest::Approx(expected.ci_high).epsilon(1e-12));
    CHECK(got.n == values.size());
    if (v == 0) {
      CHECK_FALSE(row.cells[throughput].difference);
      continue;
    }
    // Paired with the baseline over the replications both have.
    const std::size_t n = std::min(values.size(), baseline.size());
    std::vector<double> differences;
    for (std::size_t r = 0; r < n; ++r)
      differences.push_back(values[r] - baseline[r]);
    REQUIRE(row.cells[throughput].difference);
    const SweepEstimate& d = *row.cells[throughput].difference;
    CHECK(d.mean == doctest::Approx(mean_of(differences)).epsilon(1e-9));
    CHECK(d.n == n);
    CHECK(d.low <= d.mean);
    CHECK(d.mean <= d.high);
    CHECK(row.cells[throughput].differs == (d.low > 0.0 || d.high < 0.0));
  }
  // The sweep points carry their values; the baseline and the named variant none.
  CHECK(view.variants()[0].parameters.empty());
  CHECK(view.variants()[1].parameters.empty());
  CHECK(view.variants()[2].parameters ==
        std::vector<std::pair<std::string, double>>{{"B1.capacity", 2.0}, {"B2.capacity", 1.0}});
}

TEST_CASE("the sweep view's lines: the first swept parameter across, one line per second value") {
  const SweepView view = SweepView::parse(grid_sweep().json, "grid.json");
  CHECK(view.swept() == std::vector<std::string>{"B1.capacity", "B2.capacity"});
  CHECK(SweepView::parameter_unit("B1.capacity") == "parts");
  CHECK(SweepView::parameter_unit("OP30.breakdowns.time_to_repair.mean") == "s");
  CHECK(SweepView::parameter_unit("OP20.servers") == "servers");
  REQUIRE(view.series().size() == 3);
  const std::vector<std::string> labels{"B2.capacity = 1", "B2.capacity = 4", "B2.capacity = 16"};
  for (std::size_t s = 0; s < 3; ++s) {
    const SweepSeries& series = view.series()[s];
    CHECK(series.label == labels[s]);
    REQUIRE(series.points.size() == 2);
    CHECK(series.points[0].x == 2.0);
    CHECK(series.points[1].x == 8.0);
    for (const SweepSeries::Point& p : series.points) {
      const SweepVariantRow& row = view.variants()[p.variant];
      CHECK(row.parameters[0].second == p.x);
      CHECK(row.parameters[1].second == std::vector<double>{1.0, 4.0, 16.0}[s]);
    }
  }
}

TEST_CASE("the best variant: the sweep's selection where it ran, else the best mean") {
  const RanSweep& ran = grid_sweep();
  const SweepView view = SweepView::parse(ran.json, "grid.json");
  REQUIRE(ran.results.selection);
  REQUIRE(ran.results.selection->best);
  const std::size_t throughput = view.kpi_index("throughput_per_hour").value();
  const auto selected = view.best(throughput);
  REQUIRE(selected);
  CHECK(selected->by_selection);
  CHECK(selected->variant == *ran.results.selection->best);
  CHECK_FALSE(view.selection_statement().empty());

  // WIP was not selected on: the lowest mean of the variants' own replications.
  const std::size_t wip = view.kpi_index("wip_mean").value();
  std::size_t lowest = 0;
  std::vector<double> means;
  for (const auto& reps : ran.results.replications) {
    std::vector<double> values;
    for (const ReplicationResult& r : reps)
      values.push_back(r.wip_mean);
    means.push_back(mean_of(values));
    if (means.back() < means[lowest]) lowest = means.size() - 1;
  }
  const auto by_mean = view.best(wip);
  REQUIRE(by_mean);
  CHECK_FALSE(by_mean->by_selection);
  CHECK(by_mean->variant == lowest);

  // The ranking is the sweep's, by the selection's KPI.
  CHECK(view.ranking_kpi() == "throughput_per_hour");
  CHECK(view.ranking().size() == view.variants().size());
}

TEST_CASE("the sweep view's gates: each passed or failed, with the failures' sentences") {
  const SweepView view = SweepView::parse(grid_sweep().json, "grid.json");
  REQUIRE(view.gates().size() == 2);
  CHECK(view.gates()[0].passed);
  CHECK(view.gates()[0].failures.empty());
  CHECK_FALSE(view.gates()[1].passed);
  // No variant makes 1,000 parts/h: every one fails it, each named in its sentence.
  REQUIRE(view.gates()[1].failures.size() == view.variants().size());
  for (const SweepVariantRow& row : view.variants()) {
    CHECK(std::any_of(view.gates()[1].failures.begin(), view.gates()[1].failures.end(),
                      [&](const std::string& s) { return s.starts_with(row.name + ":"); }));
  }
}

TEST_CASE("a file that is not a sweep's is refused, naming the file and the field") {
  const std::string good = grid_sweep().json;
  // Another linetwin JSON: a run's.
  const InputError run = refusal(R"({"schema": "linetwin.run/5", "kpis": {}})");
  CHECK(run.where().file == "bad.json");
  CHECK(run.where().field_path == "schema");
  CHECK(run.message().find("linetwin.sweep/1") != std::string::npos);
  CHECK(run.message().find("linetwin.run/5") != std::string::npos);
  CHECK(refusal("[1, 2]").message().find("expected a JSON object") != std::string::npos);
  CHECK(refusal(R"({"kpis": 1})").where().field_path == "schema");
  CHECK(refusal(R"({"schema": "linetwin.sweep/2"})").message().find("reads linetwin.sweep/1") !=
        std::string::npos);

  // Not JSON at all: where it stopped.
  const InputError broken = refusal("{\n  \"schema\": \"linetwin.sweep/1\",\n  oops\n}");
  CHECK(broken.where().line == 3);
  CHECK(broken.message().find("not JSON") != std::string::npos);

  // A field missing, or of the wrong type, deep inside: its JSON path.
  std::string no_ranking = good;
  no_ranking.replace(no_ranking.find("\"ranking\""), 9, "\"ranked\"");
  CHECK(refusal(no_ranking).where().field_path == "ranking");
  std::string bad_low = good;
  const std::size_t second = bad_low.find("\"comparison\": [", bad_low.find("\"fast repair\""));
  const std::size_t low = bad_low.find("\"ci95_low\": ", bad_low.find("\"difference\"", second));
  bad_low.insert(low + 12, "\"x\", \"was\": ");
  const InputError wrong = refusal(bad_low);
  CHECK(wrong.where().field_path == "variants[1].comparison[0].difference.ci95_low");
  CHECK(wrong.message() == "expected a number or null, found string");

  // read() names the file it was given, and one it cannot open.
  const std::filesystem::path path = temp_file("run.json");
  std::ofstream(path) << R"({"schema": "linetwin.run/5"})";
  try {
    SweepView::read(path.string());
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(e.where().file == path.string());
    CHECK(e.where().field_path == "schema");
  }
  std::filesystem::remove(path);
  CHECK_THROWS_AS(SweepView::read(path.string()), InputError);
}
