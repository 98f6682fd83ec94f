// Writing an experiment's results: JSON (the schema in docs/results-format.md), CSV (one row per
// KPI, long format, which pandas and spreadsheets read as they are) and a table for the terminal.
// Nothing here depends on timing or threads, so the same results always give the same bytes.
#pragma once

#include <iosfwd>
#include <string>

#include "experiment/replications.hpp"
#include "plant/scene.hpp"

namespace linetwin {

inline constexpr const char* kResultsSchema = "linetwin.run/5";

struct RunReport {
  const Scene& scene;
  const ExperimentSettings& settings;
  const ExperimentSummary& summary;
};

void write_json(std::ostream& out, const RunReport& report);
void write_csv(std::ostream& out, const RunReport& report);
void write_table(std::ostream& out, const RunReport& report);
// One paragraph per deadlocked replication: when, the cycle or the stuck parts, and what each
// element listed holds and waits for. Writes nothing when no replication deadlocked.
void write_deadlocks(std::ostream& out, const RunReport& report);

}  // namespace linetwin
