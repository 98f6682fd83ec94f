#include "default_models.hpp"

#include <system_error>

namespace linetwin::viewer {

std::string_view default_model_file(ElementType type) {
  switch (type) {
    case ElementType::kStation:
      return "station.obj";
    case ElementType::kBuffer:
      return "buffer.obj";
    case ElementType::kConveyor:
      return "conveyor.obj";
    case ElementType::kSource:
      return "source.obj";
    case ElementType::kSink:
      return "sink.obj";
  }
  return "station.obj";
}

std::filesystem::path default_models_dir() {
  // Linux names the running executable here whatever the working directory or PATH was.
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  return (exe.parent_path() / ".." / "share" / "linetwin" / "assets" / "models").lexically_normal();
}

std::string default_model_path(ElementType type, const std::filesystem::path& models_dir) {
  if (models_dir.empty()) return {};
  return (models_dir / default_model_file(type)).string();
}

}  // namespace linetwin::viewer
