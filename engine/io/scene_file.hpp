// Scene files: the YAML format described in docs/scene-format.md, read into a validated Scene.
//
// Every problem is an InputError with the file, the 1-based line and column of the offending
// node, and the path of the field (`elements[OP10].processing.mean`: an element by its id). Unknown
// keys are errors, so a misspelt field never silently falls back to a default.
#pragma once

#include <string>
#include <string_view>

#include "plant/scene.hpp"

namespace linetwin {

// The format version this build reads (the `linetwin_scene` key).
inline constexpr int kSceneFormatVersion = 1;

Scene load_scene_file(const std::string& path);
// `display_name` stands for the file name in error messages.
Scene load_scene_text(std::string_view yaml, const std::string& display_name);

}  // namespace linetwin
