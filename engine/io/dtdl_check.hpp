// A DTDL checker: what the DTDL v2 and v3 specifications require of a set of interfaces, and
// what a twin platform refuses at upload, reported one problem at a time with the file, the JSON
// pointer of the element and what was expected (docs/dtdl.md#the-checker lists the rules). JSON
// is parsed with nlohmann-json; the checker never changes or completes a model.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace linetwin {

struct DtdlCheckOptions {
  int version = 3;  // the DTDL version the files must be: 2 or 3
  // extends and Component schemas may name interfaces outside the files checked (a platform
  // that already holds them); otherwise each must be among them.
  bool allow_external = false;
};

struct DtdlProblem {
  std::string file;
  std::string pointer;  // JSON pointer (RFC 6901) of the element at fault; "" the whole file
  std::string message;  // what was found and what was expected
  // Valid DTDL that a platform may still not take as meant: a Relationship whose target is no
  // interface of the set (DTDL allows it, "by reference").
  bool warning = false;
};

// "FILE: POINTER: MESSAGE" (or "FILE: MESSAGE" for the whole file), "warning: " before a warning.
std::string to_string(const DtdlProblem& problem);

struct DtdlDocument {
  std::string file;  // names the document in problems
  std::string text;
};

struct DtdlCheck {
  std::vector<DtdlProblem> problems;  // in file order, then in document order
  std::size_t interfaces = 0;
  bool valid() const;  // no problem but warnings
};

// Checks the documents as one set of models: each holds one interface or a JSON array of them.
DtdlCheck check_dtdl(const std::vector<DtdlDocument>& documents, const DtdlCheckOptions& options);

// The documents at `paths`: files, and the .json files under folders (recursively, in path
// order). InputError for a path that is not there or cannot be read, or no file at all.
std::vector<DtdlDocument> read_dtdl_documents(const std::vector<std::string>& paths);

}  // namespace linetwin
