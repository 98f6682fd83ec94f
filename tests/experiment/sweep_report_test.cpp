// A sweep's report: the baseline's object is exactly what `linetwin run` writes, the bytes do not
// depend on the thread count, the CSV carries the variant in front, and the JUnit file has one
// test case per gate that a JUnit reader parses.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "experiment/replications.hpp"
#include "io/results_report.hpp"
#include "io/scene_file.hpp"
#include "io/sweep_report.hpp"

using namespace linetwin;

namespace {

std::string source(const std::string& relative) {
  return std::string(LINETWIN_SOURCE_DIR) + "/" + relative;
}

struct Fixture {
  Scene base = load_scene_file(source("scenes/breakdown_line.yaml"));
  // The bundled line with B2 doubled.
  Scene faster = load_scene_text(
      [] {
        std::ifstream file(source("scenes/breakdown_line.yaml"));
        std::ostringstream text;
        text << file.rdbuf();
        std::string yaml = text.str();
        const std::string b2 = "{id: B2, type: buffer, capacity: 8,";
        REQUIRE(yaml.find(b2) != std::string::npos);
        yaml.replace(yaml.find(b2), b2.size(), "{id: B2, type: buffer, capacity: 16,");
        return yaml;
      }(),
      source("scenes/breakdown_line.yaml"));

  SweepReportInput input(unsigned threads) const {
    SweepReportInput in;
    in.scenario = "buffers.scenario.yaml";
    in.name = "B2 study";
    in.variants = {SweepVariant{"baseline", &base, base.run_settings()},
                   SweepVariant{"B2 16, wider", &faster, faster.run_settings()}};
    in.parameters = {{}, {SweepParameter{"B2.capacity", "16", 16.0}}};
    in.settings.seed = base.seed();
    in.settings.replications = 6;
    in.settings.threads = threads;
    in.compared_kpis = {"OP30.oee"};
    return in;
  }
};

template <class Write>
std::string text_of(Write write, const SweepReport& report) {
  std::ostringstream out;
  write(out, report);
  return out.str();
}

Gate throughput_gate(double bound) {
  Gate g;
  g.kind = Gate::Kind::kAtLeast;
  g.kpi = "throughput_per_hour";
  g.variants = {0, 1};
  g.bound = bound;
  g.text = "throughput_per_hour >= " + std::to_string(static_cast<int>(bound)) + " (95%)";
  return g;
}

}  // namespace

TEST_CASE(
    "sweep report: the baseline's object is byte for byte linetwin run's, and threads change no "
    "byte") {
  const Fixture f;
  const SweepReportInput one = f.input(1);
  const SweepResults results = run_sweep(one.variants, one.settings);
  const SweepReport report = make_sweep_report(one, results, {});
  const std::string json = text_of(write_sweep_json, report);

  ExperimentSettings run_settings = settings_from_scene(f.base);
  run_settings.run.replications = 6;
  const ExperimentSummary summary = summarize(run_replications(f.base, run_settings));
  std::ostringstream run_json;
  write_json(run_json, RunReport{f.base, run_settings, summary});
  const auto parsed = nlohmann::ordered_json::parse(json);
  CHECK(parsed["schema"] == "linetwin.sweep/1");
  CHECK(parsed["variants"][0]["run"].dump(2) + "\n" == run_json.str());
  CHECK(parsed["variants"][1]["parameters"]["B2.capacity"] == 16.0);
  CHECK(parsed["variants"][1]["comparison"].size() == 4);
  CHECK(parsed["variants"][1]["comparison"][3]["kpi"] == "OP30.oee");

  const SweepReportInput two = f.input(2);
  const SweepReport again = make_sweep_report(two, run_sweep(two.variants, two.settings), {});
  CHECK(text_of(write_sweep_json, again) == json);
  CHECK(text_of(write_sweep_csv, again) == text_of(write_sweep_csv, report));
}

TEST_CASE("sweep report: the CSV puts the variant first, quoted where it holds a comma") {
  const Fixture f;
  const SweepReportInput in = f.input(2);
  const SweepReport report = make_sweep_report(in, run_sweep(in.variants, in.settings), {});
  const std::string csv = text_of(write_sweep_csv, report);
  CHECK(csv.rfind("variant,section,id,kpi,mean,ci95_low,ci95_high,stdev,n\n", 0) == 0);
  CHECK(csv.find("\nbaseline,line,,throughput_per_hour,") != std::string::npos);
  CHECK(csv.find("\n\"B2 16, wider\",line,,throughput_per_hour,") != std::string::npos);
  CHECK(csv.find("\n\"B2 16, wider\",difference,,throughput_per_hour,") != std::string::npos);
  CHECK(csv.find("\nbaseline,difference") == std::string::npos);
}

TEST_CASE(
    "sweep report: the JUnit file has a test case per gate, failures with KPI, bound and "
    "interval") {
  const Fixture f;
  const SweepReportInput in = f.input(2);
  const SweepResults results = run_sweep(in.variants, in.settings);
  std::vector<GateVariant> variants;
  for (std::size_t v = 0; v < in.variants.size(); ++v)
    variants.push_back({in.variants[v].name, in.variants[v].scene, &results.replications[v]});
  Gate none;
  none.variants = {0, 1};
  none.text = "no deadlock";
  std::vector<GateOutcome> outcomes{evaluate_gate(throughput_gate(10), variants),
                                    evaluate_gate(throughput_gate(1000), variants),
                                    evaluate_gate(none, variants)};
  const SweepReport report = make_sweep_report(in, results, outcomes);
  const std::string xml = text_of(write_sweep_junit, report);
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  const pugi::xml_node suite = doc.child("testsuites").child("testsuite");
  CHECK(suite.attribute("tests").as_int() == 3);
  CHECK(suite.attribute("failures").as_int() == 1);
  std::vector<std::string> names;
  for (const pugi::xml_node test : suite.children("testcase"))
    names.push_back(test.attribute("name").value());
  CHECK(names == std::vector<std::string>{"throughput_per_hour >= 10 (95%)",
                                          "throughput_per_hour >= 1000 (95%)", "no deadlock"});
  const pugi::xml_node failed =
      suite.find_child_by_attribute("testcase", "name", "throughput_per_hour >= 1000 (95%)");
  const std::string message = failed.child("failure").attribute("message").value();
  CHECK(message.find("baseline: throughput_per_hour ") == 0);
  CHECK(message.find("95% interval [") != std::string::npos);
  CHECK(message.find("not entirely >= 1000") != std::string::npos);
  CHECK_FALSE(suite.find_child_by_attribute("testcase", "name", "no deadlock").child("failure"));
  const auto parsed = nlohmann::ordered_json::parse(text_of(write_sweep_json, report));
  CHECK(parsed["gates_passed"] == false);
  CHECK(parsed["gates"][1]["failures"].size() == 2);
}
