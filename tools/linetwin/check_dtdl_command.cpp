// `linetwin check-dtdl [--dtdl-version 2|3] [--allow-external] PATH...`: checks DTDL files (and
// the .json files under folders) as one set of models (engine/io/dtdl_check.hpp): exit 0 when
// every model is valid, 2 with one line per problem on stderr, each naming the file, the JSON
// pointer of the element and what was expected. docs/dtdl.md#the-checker lists the rules.
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli_support.hpp"
#include "commands.hpp"
#include "io/dtdl_check.hpp"

namespace linetwin::cli {
namespace {

struct CheckDtdlOptions {
  std::vector<std::string> paths;
  int version = 3;
  bool allow_external = false;
  bool quiet = false;
};

int check_dtdl_command(const CheckDtdlOptions& options) {
  const std::vector<DtdlDocument> documents = read_dtdl_documents(options.paths);
  const DtdlCheck check =
      check_dtdl(documents, {.version = options.version, .allow_external = options.allow_external});
  std::size_t errors = 0;
  for (const DtdlProblem& problem : check.problems) {
    fmt::print(stderr, "linetwin check-dtdl: {}\n", to_string(problem));
    if (!problem.warning) ++errors;
  }
  if (!options.quiet) {
    fmt::print("{} interfaces in {} files: {}\n", check.interfaces, documents.size(),
               errors == 0 ? fmt::format("valid DTDL v{}", options.version)
                           : fmt::format("{} problems", errors));
  }
  return errors == 0 ? kExitSuccess : kExitBadInput;
}

}  // namespace

Command add_check_dtdl_command(CLI::App& app) {
  auto options = std::make_shared<CheckDtdlOptions>();
  CLI::App* command = app.add_subcommand(
      "check-dtdl",
      "Check DTDL models (files, or folders of .json files) as one set: exit 0 when every model "
      "is valid, 2 with one line per problem (docs/dtdl.md#the-checker).");
  command->add_option("PATH", options->paths, "DTDL files or folders")->required();
  command->add_option("--dtdl-version", options->version, "The DTDL version: 2 or 3 (default 3)")
      ->check(CLI::IsMember({2, 3}));
  command->add_flag("--allow-external", options->allow_external,
                    "extends and Component schemas may name interfaces outside the files");
  command->add_flag("-q,--quiet", options->quiet, "No summary line");
  return {command, [options] { return check_dtdl_command(*options); }};
}

}  // namespace linetwin::cli
