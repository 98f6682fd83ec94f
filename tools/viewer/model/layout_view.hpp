// The LineView of a scene before any source has said anything: every element at its pose, with
// its model file resolved against the scene's folder, its capacity and length; stations kUnknown
// (no state yet), every other element kPassive; and the links of the material flow. Sources then
// only change states, parts and time.
#pragma once

#include <filesystem>

#include "line_view.hpp"
#include "plant/scene.hpp"

namespace linetwin::viewer {

// `scene_dir` is the folder of the scene file, against which relative model paths are resolved
// (absolute ones are kept); an element without a model gets an empty path (a labelled box).
LineView layout_view(const Scene& scene, const std::filesystem::path& scene_dir);

}  // namespace linetwin::viewer
