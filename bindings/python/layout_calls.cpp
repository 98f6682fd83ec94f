// import_aml: `linetwin import`'s work (io/aml_import) for linetwin.import_aml
// (linetwin/layouts.py): the scene file's text the CLI writes, its warnings, and what was read,
// as plain Python data. Errors are the engine's InputError, which module.cpp translates.
#include "layout_calls.hpp"

#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "io/aml_import.hpp"
#include "io/aml_role_map.hpp"

namespace py = pybind11;

namespace linetwin::python {
namespace {

py::dict import_aml(const std::string& path, const std::optional<std::string>& role_map,
                    bool layout_only, bool lenient, const std::string& scene_directory) {
  AmlImportOptions options;
  if (role_map) options.role_map = read_aml_role_map(*role_map);
  options.layout_only = layout_only;
  options.lenient = lenient;
  options.scene_directory = scene_directory;
  AmlImport imported;
  {
    py::gil_scoped_release release;  // a large layout takes seconds
    imported = import_aml_file(path, options);
  }
  py::list elements;
  for (const AmlImportedElement& e : imported.elements) {
    py::dict element;
    element["id"] = e.id;
    element["name"] = e.name;
    element["type"] = std::string(to_string(e.type));
    element["line"] = e.line;
    py::dict pose;
    pose["x_m"] = e.pose.x_m;
    pose["y_m"] = e.pose.y_m;
    pose["z_m"] = e.pose.z_m;
    pose["yaw_deg"] = e.pose.yaw_deg;
    element["pose"] = pose;
    element["model"] = e.model;
    elements.append(element);
  }
  py::list links;
  for (const AmlImportedLink& l : imported.links) {
    py::dict link;
    link["name"] = l.name;
    link["from"] = l.from;
    link["to"] = l.to;
    link["line"] = l.line;
    links.append(link);
  }
  py::dict out;
  out["scene"] = imported.scene_yaml;
  out["warnings"] = imported.warnings;
  out["elements"] = elements;
  out["links"] = links;
  return out;
}

}  // namespace

void add_layout_calls(py::module_& module) {
  module.def("import_aml", &import_aml, py::arg("path"), py::arg("role_map"),
             py::arg("layout_only"), py::arg("lenient"), py::arg("scene_directory"));
}

}  // namespace linetwin::python
