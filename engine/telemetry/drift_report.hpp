// How drift checks are reported: the "drift" object that `linetwin replay --drift` and
// `linetwin live --drift` add to their JSON report (schema linetwin.twins/1, documented in
// docs/calibration.md, "Drift"), and the line on stderr that announces an alert.
#pragma once

#include <string>

#include "telemetry/drift_watch.hpp"

namespace linetwin {

// `OP30 producing_share 0.812 outside the model's band [0.553, 0.781] (mean 0.672) in the
// window 2026-01-05T05:00:00.000Z to 2026-01-05T06:00:00.000Z`
std::string drift_alert_line(const DriftAlert& alert);

// The report `report_json` (a JSON object, as write_twins_json or write_live_json writes it) with
// a "drift" object added: the settings and achieved band coverage, the checks run, every alert
// with its window, and per station the last window judged with each KPI's value and band.
std::string add_drift_json(const std::string& report_json, const DriftWatch& watch);

}  // namespace linetwin
