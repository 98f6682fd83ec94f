// AutomationML export: a scene file written as a CAEX 3.0 file (AutomationML 2.10) that
// aml_import.hpp reads back into a scene that runs to the same results. The file carries the
// project's role class library (one role per element kind, derived from the standard roles that
// the import's table maps), one InternalElement per element with its Frame, its process data as
// attributes with units, its model as a COLLADA or external data connector and its flow as
// InternalLinks; what AutomationML has no place for travels as the element's scene YAML
// (docs/automationml.md#export).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace linetwin {

struct AmlExport {
  std::string xml;
  std::size_t elements = 0;
  std::size_t links = 0;
};

// Loads and checks the scene first (InputError naming the file, line and field). `aml_file` is
// where the file will be written: its name is the CAEX FileName, and models and order files are
// written relative to its folder.
AmlExport export_aml_file(const std::string& scene_path, const std::filesystem::path& aml_file);

// A stable UUID-shaped id (8-4-4-4-12 hex digits) of `key`: the same key gives the same id in
// every export.
std::string aml_id(const std::string& key);

}  // namespace linetwin
