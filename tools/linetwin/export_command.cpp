// `linetwin export SCENE --format aml|dtdl -o OUT`: writes a scene as an AutomationML file
// (engine/io/aml_export.hpp) that `linetwin import` reads back into a scene that runs to the same
// results, or as DTDL twin models and the twin graph (engine/io/dtdl_export.hpp).
// Each file is written whole or not at all (cli_support.hpp). docs/automationml.md#export and
// docs/dtdl.md describe what they hold.
#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "io/aml_export.hpp"
#include "io/dtdl_export.hpp"
#include "telemetry/machine_state.hpp"

namespace linetwin::cli {
namespace {

struct ExportOptions {
  std::string input;
  std::string format;
  std::string output;
  bool quiet = false;
};

int export_aml(const ExportOptions& options) {
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

// The models go to OUT.json, one JSON array of every interface: what a model upload (`az dt model
// create --models`), a DTDL parser or `linetwin check-dtdl` takes in one go, dependencies and
// all. The twin graph goes beside it, to OUT.twins.ndjson (an import-job file that holds the
// models too, so that it stands alone).
int export_dtdl(const ExportOptions& options) {
  const std::filesystem::path models(options.output);
  if (models.extension() != ".json") {
    throw InputError({options.output, 0, 0, "--output"},
                     "expected a .json file for --format dtdl (the models; the twin graph is "
                     "written beside it as FILE.twins.ndjson)");
  }
  const std::string twins =
      (models.parent_path() / (models.stem().string() + ".twins.ndjson")).string();
  check_can_replace(options.output, "--output");
  check_can_replace(twins, "--output");
  check_distinct_outputs({{"--output", options.output}, {"the twin graph", twins}});
  std::array<std::string_view, kMachineStateCount> states;
  for (int i = 0; i < kMachineStateCount; ++i)
    states[static_cast<std::size_t>(i)] = machine_state_name(static_cast<MachineState>(i));
  const DtdlExport exported = export_dtdl_file(options.input, states);
  write_whole(options.output, "--output", exported.models_json);
  write_whole(twins, "--output", exported.twins_ndjson);
  if (!options.quiet) {
    fmt::print("Exported {} interfaces to {}, and {} twins and {} relationships to {}, from {}\n",
               exported.interfaces, options.output, exported.twins, exported.relationships, twins,
               options.input);
  }
  return 0;
}

}  // namespace

Command add_export_command(CLI::App& app) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* command = app.add_subcommand(
      "export",
      "Write a scene as an AutomationML file (CAEX 3.0) that linetwin import reads back to the "
      "same scene (docs/automationml.md#export), or as DTDL v3 twin models and its twin graph "
      "(docs/dtdl.md).");
  command->add_option("SCENE", options->input, "Scene file (YAML)")->required();
  command
      ->add_option("--format", options->format,
                   "The file format: aml (AutomationML) or dtdl (DTDL v3)")
      ->required()
      ->check(CLI::IsMember({"aml", "dtdl"}));
  command
      ->add_option("-o,--output", options->output,
                   "The file to write (- for stdout, aml only); dtdl: FILE.json, the models, "
                   "and FILE.twins.ndjson beside it, the twin graph")
      ->required();
  command->add_flag("-q,--quiet", options->quiet, "No summary line");
  return {command, [options] {
            return options->format == "dtdl" ? export_dtdl(*options) : export_aml(*options);
          }};
}

}  // namespace linetwin::cli
