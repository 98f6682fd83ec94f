// The `linetwin.run` JSON object of a run's results, for the writers in engine/io that embed it
// (a sweep's report holds one per variant, exactly as `linetwin run` writes it).
#pragma once

#include <nlohmann/json.hpp>

#include "io/results_report.hpp"

namespace linetwin {

nlohmann::ordered_json run_object(const RunReport& report);

}  // namespace linetwin
