#include "model_library.hpp"

#include <iostream>
#include <variant>

#include "mesh_lod.hpp"
#include "model_file.hpp"

namespace linetwin::viewer {

namespace {

LoadedModel upload(std::string path, const TriangleMesh& mesh) {
  LoadedModel model;
  model.path = std::move(path);
  model.bounds = mesh.bounds();
  for (const TriangleMesh& level : build_levels_of_detail(mesh)) {
    model.levels.emplace_back(level);
    model.level_triangles.push_back(level.triangle_count());
  }
  return model;
}

}  // namespace

ModelLibrary::ModelLibrary() {
  models_.push_back(upload("", make_box_mesh({1.0f, 1.0f, 1.0f})));
}

ModelId ModelLibrary::model_for(const std::string& path) {
  if (path.empty()) return kFallbackBox;
  if (const auto found = by_path_.find(path); found != by_path_.end()) return found->second;
  auto read = read_model_file(path);
  ModelId id = kFallbackBox;
  if (auto* mesh = std::get_if<TriangleMesh>(&read)) {
    id = static_cast<ModelId>(models_.size());
    models_.push_back(upload(path, *mesh));
  } else {
    const std::string& why = std::get<std::string>(read);
    std::cerr << "linetwin-viewer: warning: model '" << path << "' not drawn (" << why
              << "); a box stands in for it\n";
    problems_[path] = why;
  }
  by_path_.emplace(path, id);
  return id;
}

const std::string& ModelLibrary::problem_with(const std::string& path) const {
  static const std::string kNone;
  const auto found = problems_.find(path);
  return found == problems_.end() ? kNone : found->second;
}

}  // namespace linetwin::viewer
