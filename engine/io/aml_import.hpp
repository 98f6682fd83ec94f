// AutomationML import: a CAEX 2.15 or 3.0 file's instance hierarchies read into the text of a
// linetwin scene file, which the scene loader then validates, so that an imported scene is as
// safe as a hand-written one. InternalElements become elements by their role classes
// (aml_role_map.hpp), Frame attributes compose to poses, InternalLinks give the flow, attributes
// with units the process data, COLLADA references the models. docs/automationml.md describes the
// mapping, the warnings and the errors.
//
// The io layer loads no 3D library: a geometry file is only located, and a missing one is a
// warning.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "io/aml_role_map.hpp"
#include "plant/scene.hpp"

namespace linetwin {

struct AmlImportOptions {
  AmlRoleMap role_map;  // the user's entries, looked up before the standard table
  // Elements and poses without the flow: no source or sink needed (docs/automationml.md).
  bool layout_only = false;
  // An element whose role class has no mapping is a warning and left out, not an error.
  bool lenient = false;
  // Where the scene will be written: models are written relative to it.
  std::filesystem::path scene_directory = ".";
};

struct AmlImportedElement {
  std::string id;    // the scene id: the element's Name, made a valid and unique id
  std::string name;  // the InternalElement's Name
  ElementType type = ElementType::kStation;
  int line = 0;       // of the InternalElement in the file
  Pose pose;          // composed through the hierarchy
  std::string model;  // as written in the scene: relative to scene_directory; "" for none
};

// An InternalLink read as flow from its side A to its side B, by element ids.
struct AmlImportedLink {
  std::string name;
  std::string from;
  std::string to;
  int line = 0;
};

struct AmlImport {
  std::vector<AmlImportedElement> elements;  // in document order
  std::vector<AmlImportedLink> links;        // in document order; with layout_only not written
  std::vector<std::string> warnings;         // each "FILE:LINE: ..."
  std::string scene_yaml;                    // loads with load_scene_text
};

// A path of a file that is written relative to `from_directory` (an absolute one as it is),
// relative to `to_directory` instead: what export and import do with models and order files.
std::string rebased_path(const std::string& path, const std::filesystem::path& from_directory,
                         const std::filesystem::path& to_directory);

// Throws InputError naming the file, the line and the element or link at fault.
AmlImport import_aml_file(const std::string& path, const AmlImportOptions& options);
// `display_name` stands for the file in messages; geometry references resolve against
// `aml_directory`.
AmlImport import_aml_text(std::string_view xml, const std::string& display_name,
                          const std::filesystem::path& aml_directory,
                          const AmlImportOptions& options);

}  // namespace linetwin
