// `linetwin export SCENE --format aml -o OUT.aml`: writes a scene as an AutomationML file
// (engine/io/aml_export.hpp) that `linetwin import` reads back into a scene that runs to the same
// results. The file is written whole or not at all (cli_support.hpp). docs/automationml.md#export
// describes what it holds.
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "io/aml_export.hpp"

namespace linetwin::cli {
namespace {

struct ExportOptions {
  std::string input;
  std::string format;
  std::string output;
  bool quiet = false;
};

int export_command(const ExportOptions& options) {
  check_can_replace(options.output, "--output");
  // Models and order files are written relative to the output; on stdout, to the working folder,
  // with the scene's name for the file's.
  const std::filesystem::path file =
      options.output == "-"
          ? std::filesystem::path(std::filesystem::path(options.input).stem().string() + ".aml")
          : std::filesystem::path(options.output);
  const AmlExport exported = export_aml_file(options.input, file);
  write_whole(options.output, "--output", exported.xml);
  if (!options.quiet && options.output != "-") {
    fmt::print("Exported {} elements and {} links from {} to {}\n", exported.elements,
               exported.links, options.input, options.output);
  }
  return 0;
}

}  // namespace

Command add_export_command(CLI::App& app) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* command = app.add_subcommand(
      "export",
      "Write a scene as an AutomationML file (CAEX 3.0) that linetwin import reads back to the "
      "same scene (docs/automationml.md#export).");
  command->add_option("SCENE", options->input, "Scene file (YAML)")->required();
  command->add_option("--format", options->format, "The file format: aml (AutomationML)")
      ->required()
      ->check(CLI::IsMember({"aml"}));
  command
      ->add_option("-o,--output", options->output,
                   "Write the AutomationML file to FILE, or - for stdout")
      ->required();
  command->add_flag("-q,--quiet", options->quiet, "No summary line");
  return {command, [options] { return export_command(*options); }};
}

}  // namespace linetwin::cli
