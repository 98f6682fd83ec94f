// The calibrated scene: the original scene file's text with only the values that calibration
// replaced (telemetry/calibration.hpp) written over, so that its comments, key order and layout
// stay as the engineer wrote them.
//
// yaml-cpp reads the file and gives where each value begins (its mark); where it ends is the
// shortest stretch of text from there that yaml-cpp reads back as the same value, so that a
// comment or a separator after it stays. A value keeps its style: a block mapping is written as
// one, anything else as a flow mapping ({distribution: gamma, shape: 3.9, scale: 12.7}).
// Breakdowns that a station gains go after its `processing`. Relative paths (order files, models)
// are rewritten to stay valid from the output's folder. The edited text is then checked twice:
// yaml-cpp must read it as the original's tree with exactly these changes, and the scene reader
// must load it.
#pragma once

#include <string>
#include <string_view>

#include "telemetry/calibration.hpp"

namespace linetwin {

// Every line of the header that a calibrated scene starts with begins with this; a scene
// calibrated again gets a new header in place of the old.
inline constexpr std::string_view kCalibrationHeaderPrefix = "# linetwin calibrate:";

// The scene file at `scene_path` with the fits that `report` replaced written in, as text for
// `output_path`. A header of comments says where the numbers came from (`provenance`, e.g. the
// log) and lists the values kept although the log holds too few or no-spread observations for
// them. A value that cannot be rewritten in place (shared through a YAML anchor or alias) is an
// InputError naming it; so is an unreadable scene file.
std::string calibrated_scene_yaml(const std::string& scene_path, const CalibrationReport& report,
                                  const std::string& output_path, std::string_view provenance = {});

}  // namespace linetwin
