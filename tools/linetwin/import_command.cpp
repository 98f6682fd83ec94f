// `linetwin import FILE.aml -o SCENE.yaml [--role-map FILE] [--layout-only] [--lenient]`: reads an
// AutomationML layout (CAEX 2.15 or 3.0) into a scene file (engine/io/aml_import.hpp), which is
// loaded before it is written, so that what is written runs. Warnings go to stderr with the file
// and line; the scene is written whole or not at all (cli_support.hpp). docs/automationml.md
// describes the mapping.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "io/aml_import.hpp"

namespace linetwin::cli {
namespace {

struct ImportOptions {
  std::string input;
  std::string output;
  std::string role_map;
  AmlImportOptions import;
  bool quiet = false;
};

int import_command(ImportOptions& options) {
  check_can_replace(options.output, "--output");
  if (!options.role_map.empty()) options.import.role_map = read_aml_role_map(options.role_map);
  // Models are written relative to the scene; on stdout, relative to the working folder.
  options.import.scene_directory = options.output == "-"
                                       ? std::filesystem::path(".")
                                       : std::filesystem::absolute(options.output).parent_path();
  const AmlImport imported = import_aml_file(options.input, options.import);
  write_whole(options.output, "--output", imported.scene_yaml);
  for (const std::string& warning : imported.warnings)
    fmt::print(stderr, "linetwin import: warning: {}\n", warning);
  if (!options.quiet && options.output != "-") {
    fmt::print("Imported {} elements and {} links from {}{} to {}\n", imported.elements.size(),
               imported.links.size(), options.input,
               options.import.layout_only ? " (the layout alone)" : "", options.output);
  }
  return 0;
}

}  // namespace

Command add_import_command(CLI::App& app) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* command = app.add_subcommand(
      "import",
      "Read an AutomationML layout (CAEX 2.15 or 3.0) into a scene file: elements by role class, "
      "poses, flow, process data and models (docs/automationml.md).");
  command->add_option("FILE", options->input, "AutomationML file (.aml)")->required();
  command
      ->add_option("-o,--output", options->output,
                   "Write the scene (YAML) to FILE, or - for stdout")
      ->required();
  command->add_option("--role-map", options->role_map,
                      "YAML file of role class paths to element kinds, on top of the standard "
                      "table");
  command->add_flag("--layout-only", options->import.layout_only,
                    "Import the elements and their poses without the flow (no source or sink "
                    "needed)");
  command->add_flag("--lenient", options->import.lenient,
                    "Leave out elements whose role class has no mapping, with a warning, instead "
                    "of failing");
  command->add_flag("-q,--quiet", options->quiet, "No summary line");
  return {command, [options] { return import_command(*options); }};
}

}  // namespace linetwin::cli
