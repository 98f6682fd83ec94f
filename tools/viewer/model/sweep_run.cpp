#include "sweep_run.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "core/cancellation.hpp"
#include "core/input_error.hpp"
#include "io/scenario_file.hpp"

namespace linetwin::viewer {
namespace {

// finish_sweep() writes the report to files only: each run writes its JSON to a file of its own
// and reads it back.
std::filesystem::path report_file() {
  static std::atomic<unsigned> next{0};
  return std::filesystem::temp_directory_path() /
         ("linetwin-viewer-sweep-" + std::to_string(getpid()) + "-" +
          std::to_string(next.fetch_add(1)) + ".json");
}

}  // namespace

SweepRun::SweepRun(std::string scenario_path, cli::SweepFlags flags)
    : scenario_path_(std::move(scenario_path)), flags_(flags), thread_([this] { work(); }) {}

SweepRun::~SweepRun() {
  cancel();
  thread_.join();
}

void SweepRun::work() {
  try {
    const Scenario scenario = load_scenario_file(scenario_path_);
    cli::SweepPlan plan = cli::plan_sweep(scenario, flags_, std::nullopt, &cancel_);
    plan.settings.progress = [this](std::size_t done, std::size_t total) {
      total_.store(total);
      done_.store(done);
    };
    results_ = run_sweep(plan.variants, plan.settings);
    const std::filesystem::path file = report_file();
    cli::SweepOutputs outputs;
    outputs.json = file.string();
    // Its exit code (3: a gate failed) is in the report's gates, which the panel shows.
    cli::finish_sweep(scenario, plan, results_, outputs, true);
    std::ostringstream text;
    text << std::ifstream(file, std::ios::binary).rdbuf();
    std::filesystem::remove(file);
    json_ = text.str();
    view_ = SweepView::parse(json_, scenario_path_);
  } catch (const RunCancelled&) {
    // cancelled() says so; nothing half done is kept.
    results_ = {};
  } catch (const std::exception& e) {
    // Exceptions never cross a thread: the panel shows the text (an InputError names the file,
    // line and field).
    error_ = e.what();
  }
  finished_.store(true);
}

}  // namespace linetwin::viewer
