// A calibration's report (telemetry/calibration.hpp) as people and programs read it: a table for
// the terminal, and JSON (schema linetwin.calibration/1, described in docs/calibration.md) with
// every family's fit, so that a reviewer can see why a family was chosen and how sure it is.
#pragma once

#include <iosfwd>
#include <string>

#include "telemetry/calibration.hpp"

namespace linetwin {

inline constexpr std::string_view kCalibrationSchema = "linetwin.calibration/1";

// Per station and quantity: observations, the chosen family with its parameters and 95%
// intervals, the Kolmogorov-Smirnov distance and p-value, the other families' AIC as a
// difference to the chosen one, and whether the scene took it: a quantity with too few
// observations or no spread says "warning: not calibrated" and why.
void write_calibration_table(std::ostream& out, const CalibrationReport& report);

// The whole report; numbers that are not defined (an interval the method does not give) are null.
std::string calibration_report_json(const CalibrationReport& report);

}  // namespace linetwin
