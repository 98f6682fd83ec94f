// ModelLibrary: the models of a scene on the GPU, each file read once however many elements use
// it, with its levels of detail. A file that is missing or does not read gets the fallback box
// (and its elements a label saying so); the problem is reported on stderr once per file, not once
// per element or frame. (An element that names no model is given its kind's default model by the
// renderer: default_models.hpp.)
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "gpu_mesh.hpp"
#include "triangle_mesh.hpp"

namespace linetwin::viewer {

using ModelId = std::uint32_t;
inline constexpr ModelId kFallbackBox = 0;

struct LoadedModel {
  std::string path;             // empty for the fallback box
  std::vector<GpuMesh> levels;  // level of detail 0 (the file's own mesh) first
  std::vector<std::size_t> level_triangles;
  Box3 bounds;
};

class ModelLibrary {
 public:
  ModelLibrary();
  // The model for a file, read and uploaded on first use; kFallbackBox for "" or a bad file.
  ModelId model_for(const std::string& path);
  LoadedModel& model(ModelId id) { return models_[id]; }
  const LoadedModel& model(ModelId id) const { return models_[id]; }
  std::size_t size() const { return models_.size(); }
  // Why a file fell back to the box ("" when it loaded): for labels and the screenshot info.
  const std::string& problem_with(const std::string& path) const;

 private:
  std::vector<LoadedModel> models_;
  std::unordered_map<std::string, ModelId> by_path_;
  std::unordered_map<std::string, std::string> problems_;
};

}  // namespace linetwin::viewer
