// The model an element is drawn with when its scene names none: the project's own model of its
// kind (assets/models, made by tools/generate_default_models.py), found beside the program as
// `cmake --install` lays it out (bin/linetwin-viewer and share/linetwin/assets/models) and as the
// build tree copies it (tools/viewer/app/CMakeLists.txt), so no source path is built into the
// program. GL-free: the tests resolve the same paths.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "plant/scene.hpp"

namespace linetwin::viewer {

// The file name of a kind's default model in the models folder ("station.obj").
std::string_view default_model_file(ElementType type);

// The file name of a vehicle's model in the models folder.
inline constexpr std::string_view kVehicleModelFile = "vehicle.obj";

// The file name of an operator's model in the models folder.
inline constexpr std::string_view kOperatorModelFile = "operator.obj";

// The folder of the default models for the running program: ../share/linetwin/assets/models from
// the folder of its executable (which need not exist: the models then fall back to boxes); empty
// when the executable cannot be found.
std::filesystem::path default_models_dir();

// The path of the model `type` gets when the scene names none, in `models_dir` ("" when that is
// empty: the fallback box).
std::string default_model_path(ElementType type, const std::filesystem::path& models_dir);

}  // namespace linetwin::viewer
