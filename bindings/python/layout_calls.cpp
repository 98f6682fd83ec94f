// import_aml: `linetwin import`'s work (io/aml_import) for linetwin.import_aml
// (linetwin/layouts.py): the scene file's text the CLI writes, its warnings, and what was read,
// as plain Python data. export_scene: `linetwin export`'s (io/aml_export, io/dtdl_export) for
// linetwin.export_scene, the files' texts, which layouts.py writes. Errors are the engine's
// InputError, which module.cpp translates.
#include "layout_calls.hpp"

#include <pybind11/stl.h>

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/aml_export.hpp"
#include "io/aml_import.hpp"
#include "io/aml_role_map.hpp"
#include "io/dtdl_export.hpp"
#include "telemetry/machine_state.hpp"

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

// {"files": [(path, text), ...], and the counts `linetwin export` prints}: `output` is the
// AutomationML file (its name and folder are written into it), or the DTDL models' .json file,
// with the twin graph beside it as linetwin export writes them.
py::dict export_scene(const std::string& scene_path, const std::string& output,
                      const std::string& format) {
  py::dict out;
  py::list files;
  if (format == "aml") {
    AmlExport exported;
    {
      py::gil_scoped_release release;
      exported = export_aml_file(scene_path, output);
    }
    files.append(py::make_tuple(output, exported.xml));
    out["elements"] = exported.elements;
    out["links"] = exported.links;
  } else {
    std::array<std::string_view, kMachineStateCount> states;
    for (int i = 0; i < kMachineStateCount; ++i)
      states[static_cast<std::size_t>(i)] = machine_state_name(static_cast<MachineState>(i));
    DtdlExport exported;
    {
      py::gil_scoped_release release;
      exported = export_dtdl_file(scene_path, states);
    }
    const std::filesystem::path models(output);
    files.append(py::make_tuple(output, exported.models_json));
    files.append(
        py::make_tuple((models.parent_path() / (models.stem().string() + ".twins.ndjson")).string(),
                       exported.twins_ndjson));
    out["interfaces"] = exported.interfaces;
    out["twins"] = exported.twins;
    out["relationships"] = exported.relationships;
  }
  out["files"] = files;
  return out;
}

}  // namespace

void add_layout_calls(py::module_& module) {
  module.def("import_aml", &import_aml, py::arg("path"), py::arg("role_map"),
             py::arg("layout_only"), py::arg("lenient"), py::arg("scene_directory"));
  module.def("export_scene", &export_scene, py::arg("scene_path"), py::arg("output"),
             py::arg("format"));
}

}  // namespace linetwin::python
