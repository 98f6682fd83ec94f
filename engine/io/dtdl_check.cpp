// The checker walks each interface once, top to bottom, checking every element against the
// table of its class (which properties it may and must have, and their limits), and records
// what can only be checked against the whole set: the interfaces each one extends, the
// Components' schemas, the Relationships' targets and the names of its contents. A second pass
// then follows `extends` (cycles, depth, names met twice through it, the limits on contents that
// count inherited ones) and resolves the references. The rules and their sources in the
// specifications are in docs/dtdl.md#the-checker.
#include "io/dtdl_check.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/input_error.hpp"
#include "io/dtdl_semantic_types.hpp"
#include "io/scene_reader.hpp"

namespace linetwin {
namespace {

using Json = nlohmann::json;

enum class Kind {
  kInterface,
  kTelemetry,
  kProperty,
  kCommand,
  kRelationship,
  kComponent,
  kArray,
  kEnum,
  kMap,
  kObject,
  kEnumValue,
  kMapKey,
  kMapValue,
  kField,
  kCommandRequest,
  kCommandResponse,
  kCommandPayload,
};

// Each class: its @type, whether @type is required, and the properties it may have besides
// @id, @type, comment, description and displayName (those marked '!' required).
struct ClassRule {
  Kind kind;
  std::string_view type;
  bool type_required;
  std::string_view properties;  // space separated
};
constexpr std::array<ClassRule, 17> kClasses = {{
    {Kind::kInterface, "Interface", true, "@context contents extends schemas"},
    {Kind::kTelemetry, "Telemetry", true, "!name !schema unit"},
    {Kind::kProperty, "Property", true, "!name !schema unit writable"},
    {Kind::kCommand, "Command", true, "!name request response commandType"},
    {Kind::kRelationship, "Relationship", true,
     "!name maxMultiplicity minMultiplicity properties target writable"},
    {Kind::kComponent, "Component", true, "!name !schema"},
    {Kind::kArray, "Array", true, "!elementSchema"},
    {Kind::kEnum, "Enum", true, "!valueSchema enumValues"},
    {Kind::kMap, "Map", true, "!mapKey !mapValue"},
    {Kind::kObject, "Object", true, "fields"},
    {Kind::kEnumValue, "EnumValue", false, "!name !enumValue"},
    {Kind::kMapKey, "MapKey", false, "!name !schema"},
    {Kind::kMapValue, "MapValue", false, "!name !schema unit"},
    {Kind::kField, "Field", false, "!name !schema unit"},
    {Kind::kCommandRequest, "CommandRequest", false, "!name !schema unit"},
    {Kind::kCommandResponse, "CommandResponse", false, "!name !schema unit"},
    {Kind::kCommandPayload, "CommandPayload", false, "!name !schema"},
}};

const ClassRule& rule_of(Kind kind) {
  return kClasses[static_cast<std::size_t>(kind)];
}

constexpr std::array<std::string_view, 10> kPrimitiveSchemas = {
    "boolean", "date",    "dateTime", "double", "duration",
    "float",   "integer", "long",     "string", "time"};
constexpr std::array<std::string_view, 6> kGeospatialSchemas = {
    "lineString", "multiLineString", "multiPoint", "multiPolygon", "point", "polygon"};
constexpr std::string_view kQuantitativeTypes = "dtmi:dtdl:extension:quantitativeTypes;1";

// The spec's limits (DTDL.v2.md, DTDL.v3.md): names and display names are shorter in v2, and v2
// bounds each set where v3 bounds the count of all elements under an interface's contents.
constexpr std::size_t kMaxInterfaceId = 128;
constexpr std::size_t kMaxUserDtmi = 2048;
constexpr std::size_t kMaxDtmi = 4096;
constexpr std::size_t kMaxText = 512;   // comment, description; name and displayName in v3
constexpr std::size_t kV2MaxName = 64;  // name and displayName in v2
constexpr std::size_t kV2MaxContents = 300;
constexpr std::size_t kV2MaxExtends = 2;
constexpr std::size_t kV2MaxEnumValues = 100;
constexpr std::size_t kV2MaxFields = 30;
constexpr std::size_t kV2MaxRelationshipProperties = 300;
constexpr std::int64_t kV2MaxMultiplicity = 500;
constexpr std::size_t kV3MaxElements = 100'000;
constexpr std::size_t kV3MaxInterfaceBytes = 1 << 20;
constexpr std::size_t kV3MaxExtendsInterfaces = 1024;
constexpr std::size_t kMaxExtendsDepth = 10;
constexpr std::size_t kMaxSchemaDepth = 5;
// Far deeper than any valid model: 5 nested complex schemas take 15 levels, an inline Component
// interface 4, and each interface inline in `extends` 2.
constexpr int kMaxJsonDepth = 64;

bool contains(std::string_view list, std::string_view word) {
  std::size_t at = 0;
  while (at <= list.size()) {
    const std::size_t end = std::min(list.find(' ', at), list.size());
    if (list.substr(at, end - at) == word) return true;
    at = end + 1;
  }
  return false;
}

// A literal as JSON-LD lets it be written: itself, a set of one (["x"]) or a value object
// ({"@value": "x"}).
const Json& literal(const Json& value) {
  if (value.is_array() && value.size() == 1) return literal(value[0]);
  if (value.is_object() && value.contains("@value")) return value["@value"];
  return value;
}

// A value as a message shows it: objects and arrays by their kind, not their text.
std::string quoted(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  return text.size() > 80 ? text.substr(0, 77) + "..." : text;
}

// Letters, digits and '_', not starting with a digit (nor with '_' unless `leading_underscore`)
// and not ending with '_': a DTMI segment, and a name. Checked by hand rather than with
// std::regex, whose matcher recurses once per character and overflows the stack on long input.
bool is_identifier(std::string_view text, bool leading_underscore) {
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.empty() || !(letter(text.front()) || (leading_underscore && text.front() == '_')))
    return false;
  if (text.back() == '_') return false;
  return std::all_of(text.begin(), text.end(),
                     [&](char c) { return letter(c) || digit(c) || c == '_'; });
}

// 1 to `most` digits, the first not 0.
bool is_version_number(std::string_view text, std::size_t most) {
  return !text.empty() && text.size() <= most && text.front() != '0' &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What is wrong with `id` as a DTMI of a model element (DTDL.v3.md, "Digital Twin Model
// Identifier"); nothing when it is valid. v2 requires a one-part version; v3 allows none or a
// two-part one.
std::optional<std::string> dtmi_problem(std::string_view id, int version) {
  if (id.size() > kMaxDtmi)
    return fmt::format("expected at most {} characters, found {}", kMaxDtmi, id.size());
  if (!id.starts_with("dtmi:")) return "expected a DTMI, 'dtmi:' then the path";
  std::string_view rest = id.substr(5);
  const std::size_t semicolon = rest.find(';');
  const std::string_view path = rest.substr(0, semicolon);
  std::size_t at = 0;
  while (true) {
    const std::size_t end = std::min(path.find(':', at), path.size());
    const std::string_view part = path.substr(at, end - at);
    if (!is_identifier(part, true)) {
      return fmt::format(
          "expected each path segment to be letters, digits and '_', not starting with a digit "
          "and not ending with '_'; found '{}'",
          part);
    }
    if (part.front() == '_') {
      return fmt::format(
          "expected a user DTMI; segment '{}' starts with '_', which only system DTMIs have", part);
    }
    if (end == path.size()) break;
    at = end + 1;
  }
  if (semicolon == std::string_view::npos) {
    if (version == 2) return "expected a version after ';' (DTDL v2 requires one)";
    return std::nullopt;
  }
  const std::string_view version_text = rest.substr(semicolon + 1);
  const std::size_t dot = version_text.find('.');
  const std::string_view text = version_text;
  if (is_version_number(text, 9)) return std::nullopt;
  if (dot != std::string_view::npos && is_version_number(text.substr(0, dot), 9) &&
      is_version_number(text.substr(dot + 1), 6)) {
    if (version == 2) return "expected a one-part version; major.minor versions are DTDL v3's";
    return std::nullopt;
  }
  return fmt::format(
      "expected a version of 1 to 9 digits{} without a leading zero; found '{}'",
      version == 3 ? " (and an optional '.' and minor version of 1 to 6 digits)" : "", text);
}

struct Reference {
  std::string id;
  std::string file;
  std::string pointer;
};

struct NamedContent {
  std::string name;
  std::string pointer;
};

// What the second pass needs of each interface.
struct InterfaceInfo {
  std::string file;
  std::string pointer;
  std::vector<Reference> extends;
  std::vector<NamedContent> contents;
  std::size_t elements = 0;  // every element under contents
  std::vector<Reference> components;
  std::vector<Reference> targets;
};

class Checker {
 public:
  explicit Checker(const DtdlCheckOptions& options) : options_(options) {
    const bool v2 = options.version == 2;
    max_name_ = v2 ? kV2MaxName : kMaxText;
    for (const DtdlSemanticType& type :
         v2 ? std::span<const DtdlSemanticType>(kDtdlV2SemanticTypes)
            : std::span<const DtdlSemanticType>(kDtdlV3SemanticTypes))
      semantic_types_.emplace(type.name, type.units);
  }

  void document(const DtdlDocument& document) {
    file_ = document.file;
    Json root;
    // The walks below recurse through the JSON: a document nested deeper than any model needs
    // is refused as it is read, before it can exhaust the stack.
    struct TooDeep {};
    const Json::parser_callback_t depth_limit = [](int depth, Json::parse_event_t, Json&) {
      if (depth > kMaxJsonDepth) throw TooDeep{};
      return true;
    };
    try {
      root = Json::parse(document.text, depth_limit);
    } catch (const TooDeep&) {
      problem("", fmt::format("expected JSON nested at most {} levels deep", kMaxJsonDepth));
      return;
    } catch (const Json::parse_error& e) {
      std::string what = e.what();
      // "[json.exception.parse_error.101] parse error at line 3, column 7: ..." without the tag.
      if (const std::size_t end = what.find("] "); end != std::string::npos)
        what = what.substr(end + 2);
      problem("", "malformed JSON: " + what);
      return;
    }
    if (root.is_array()) {
      for (std::size_t i = 0; i < root.size(); ++i)
        top_interface(root[i], fmt::format("/{}", i));
    } else {
      top_interface(root, "");
    }
  }

  void cross_checks() {
    for (const auto& [id, info] : interfaces_) {
      file_ = info.file;
      inherited(id, info);
      for (const Reference& component : info.components)
        component_schema(component);
      for (const Reference& target : info.targets) {
        if (!interfaces_.contains(target.id)) {
          problem_in(target.file, target.pointer,
                     fmt::format("target '{}' is no interface of the files checked (valid DTDL: a "
                                 "Relationship refers by reference; check the spelling, DTMIs "
                                 "are case-sensitive)",
                                 target.id),
                     true);
        }
      }
    }
    std::stable_sort(result_.problems.begin(), result_.problems.end(),
                     [this](const DtdlProblem& a, const DtdlProblem& b) {
                       return file_order_.at(a.file) < file_order_.at(b.file);
                     });
  }

  void add_file(const std::string& file) { file_order_.emplace(file, file_order_.size()); }

  DtdlCheck result() && {
    result_.interfaces = interfaces_.size();
    return std::move(result_);
  }

 private:
  void problem(const std::string& pointer, std::string message, bool warning = false) {
    problem_in(file_, pointer, std::move(message), warning);
  }
  void problem_in(const std::string& file, const std::string& pointer, std::string message,
                  bool warning) {
    result_.problems.push_back({file, pointer, std::move(message), warning});
  }

  bool is_v2() const { return options_.version == 2; }

  // ---- the first pass: one interface and everything in it --------------------------------

  void top_interface(const Json& j, const std::string& pointer) {
    if (!j.is_object()) {
      problem(pointer, fmt::format("expected an Interface (a JSON object), found {}", quoted(j)));
      return;
    }
    quantitative_types_ = false;
    undefined_extension_ = false;
    if (!j.contains("@context")) {
      problem(pointer,
              fmt::format("expected \"@context\": \"dtmi:dtdl:context;{}\"", options_.version));
    } else {
      context(j["@context"], pointer + "/@context");
    }
    interface(j, pointer);
  }

  void context(const Json& j, const std::string& pointer) {
    const std::string expected = fmt::format("dtmi:dtdl:context;{}", options_.version);
    std::vector<std::string> contexts;
    if (j.is_string()) {
      contexts.push_back(j.get<std::string>());
    } else if (j.is_array() &&
               std::all_of(j.begin(), j.end(), [](const Json& c) { return c.is_string(); }) &&
               !j.empty()) {
      for (const Json& c : j)
        contexts.push_back(c.get<std::string>());
    } else {
      problem(pointer, fmt::format("expected '{}' or an array that starts with it, found {}",
                                   expected, quoted(j)));
      return;
    }
    if (contexts.front() != expected) {
      problem(pointer, fmt::format("expected '{}' first (DTDL v{}), found '{}'{}", expected,
                                   options_.version, contexts.front(),
                                   contexts.front().starts_with("dtmi:dtdl:context;")
                                       ? fmt::format(" (check with --dtdl-version {})",
                                                     contexts.front().substr(18))
                                       : ""));
    }
    for (std::size_t i = 1; i < contexts.size(); ++i) {
      const std::string& c = contexts[i];
      const std::string at = fmt::format("{}/{}", pointer, i);
      if (c.size() > kMaxUserDtmi) problem(at, "expected at most 2048 characters");
      if (c == kQuantitativeTypes) quantitative_types_ = true;
      if (!c.starts_with("dtmi:dtdl:")) undefined_extension_ = true;
      if (is_v2() && c.starts_with("dtmi:dtdl:extension:"))
        problem(at, fmt::format("'{}' is a DTDL v3 language extension; not in DTDL v2", c));
      if (c.starts_with("dtmi:dtdl:context;")) problem(at, "expected the DTDL context once, first");
    }
  }

  void nested_context(const Json& j, const std::string& pointer) {
    const Members contexts =
        j.is_array() ? members_of(j, pointer + "/@context") : Members{{&j, pointer + "/@context"}};
    for (const auto& [c, at] : contexts) {
      if (!c->is_string()) {
        problem(at, fmt::format("expected a context's DTMI, found {}", quoted(*c)));
      } else if (*c == kQuantitativeTypes) {
        quantitative_types_ = true;
      } else if (!c->get<std::string>().starts_with("dtmi:dtdl:")) {
        undefined_extension_ = true;
      }
    }
  }

  // The element's class, from its @type (one of `allowed`, with co-types), or nothing after a
  // problem. `undefined_cotype`: a co-type that is no DTDL term, which lets the element carry
  // properties DTDL does not define (DTDL.v2.md, "Undefined co-types and properties").
  std::optional<Kind> element_class(const Json& j, const std::string& pointer,
                                    std::initializer_list<Kind> allowed,
                                    std::optional<std::string>& semantic_type,
                                    bool& undefined_cotype) {
    std::vector<std::string> names;
    const auto listed = [&] {
      std::string list;
      for (Kind kind : allowed)
        list += (list.empty() ? "" : ", ") + std::string(rule_of(kind).type);
      return list;
    };
    if (!j.contains("@type")) {
      if (allowed.size() == 1 && !rule_of(*allowed.begin()).type_required) return *allowed.begin();
      problem(pointer, fmt::format("expected \"@type\": one of {}", listed()));
      return std::nullopt;
    }
    const Json& type = j["@type"];
    if (type.is_string()) {
      names.push_back(type.get<std::string>());
    } else if (type.is_array() && !type.empty() &&
               std::all_of(type.begin(), type.end(), [](const Json& t) { return t.is_string(); })) {
      for (const Json& t : type)
        names.push_back(t.get<std::string>());
    } else {
      problem(pointer + "/@type",
              fmt::format("expected a string or an array of strings, found {}", quoted(type)));
      return std::nullopt;
    }
    std::optional<Kind> found;
    std::optional<std::string> undefined_term;
    for (const std::string& name : names) {
      const auto rule = std::find_if(kClasses.begin(), kClasses.end(),
                                     [&](const ClassRule& r) { return r.type == name; });
      if (rule != kClasses.end()) {
        const bool fits = std::find(allowed.begin(), allowed.end(), rule->kind) != allowed.end();
        if (!fits || found) {
          problem(pointer + "/@type", fmt::format("expected {}{}, found '{}'",
                                                  found ? "one class only: " : "", listed(), name));
          return std::nullopt;
        }
        found = rule->kind;
      } else if (semantic_types_.contains(name)) {
        if (!is_v2() && !quantitative_types_) {
          problem(pointer + "/@type",
                  fmt::format("semantic type '{}' needs the QuantitativeTypes extension in DTDL "
                              "v3: expected '{}' in the interface's @context",
                              name, kQuantitativeTypes));
          return std::nullopt;
        }
        semantic_type = name;
      } else if (!undefined_term) {
        undefined_term = name;
      }
    }
    if (!found) {
      problem(pointer + "/@type",
              fmt::format("expected one of {}, found {}", listed(), quoted(type)));
    } else if (undefined_term && !is_v2() && !undefined_extension_) {
      problem(pointer + "/@type",
              fmt::format("'{}' is no DTDL term: DTDL v3 takes an undefined co-type only with "
                          "the context of the extension that defines it in @context",
                          *undefined_term));
      return std::nullopt;
    }
    undefined_cotype = undefined_term.has_value();
    return found;
  }

  // The properties every element may have, and the class's own: unknown ones, required ones,
  // @id, name and the display strings.
  void common(const Json& j, const std::string& pointer, Kind kind, bool undefined_cotype) {
    const ClassRule& rule = rule_of(kind);
    for (const auto& [key, value] : j.items()) {
      if (key == "@context") continue;
      if (kind == Kind::kCommand && key == "commandType" && !is_v2()) {
        problem(pointer + "/" + key,
                "'commandType' is no property of a DTDL Command in v3 (it is DTDL v2's, "
                "deprecated there)");
        continue;
      }
      if (key == "@id" || key == "@type" || key == "comment" || key == "description" ||
          key == "displayName" || contains(rule.properties, key) ||
          contains(rule.properties, "!" + key))
        continue;
      if (undefined_cotype) continue;
      problem(pointer + "/" + key, fmt::format("'{}' is no property of a DTDL {}", key, rule.type));
    }
    std::size_t at = 0;
    while (at < rule.properties.size()) {
      const std::size_t end = std::min(rule.properties.find(' ', at), rule.properties.size());
      const std::string_view word = rule.properties.substr(at, end - at);
      if (word.front() == '!' && !j.contains(word.substr(1))) {
        problem(pointer, fmt::format("a {} requires '{}'", rule.type, word.substr(1)));
      }
      at = end + 1;
    }
    if (j.contains("@id")) {
      const Json& id = j["@id"];
      const std::size_t limit = kind == Kind::kInterface ? kMaxInterfaceId : kMaxUserDtmi;
      if (!id.is_string()) {
        problem(pointer + "/@id", fmt::format("expected a DTMI string, found {}", quoted(id)));
      } else if (const auto why = dtmi_problem(id.get<std::string>(), options_.version)) {
        problem(pointer + "/@id", fmt::format("'{}': {}", id.get<std::string>(), *why));
      } else if (id.get<std::string>().size() > limit) {
        problem(pointer + "/@id",
                fmt::format("expected at most {} characters for the @id of a {}, found {}", limit,
                            rule.type, id.get<std::string>().size()));
      } else if (id.get<std::string>().starts_with("dtmi:dtdl:") ||
                 id.get<std::string>().starts_with("dtmi:standard:")) {
        problem(pointer + "/@id",
                "expected an id of your own: 'dtmi:dtdl:' and 'dtmi:standard:' are reserved");
      }
    }
    if (j.contains("name")) name(literal(j["name"]), pointer + "/name");
    if (j.contains("comment")) {
      const Json& comment = literal(j["comment"]);
      if (!comment.is_string()) {
        problem(pointer + "/comment", fmt::format("expected a string, found {}", quoted(comment)));
      } else if (comment.get<std::string>().size() > kMaxText) {
        problem(pointer + "/comment", fmt::format("expected at most {} characters, found {}",
                                                  kMaxText, comment.get<std::string>().size()));
      }
    }
    if (j.contains("description"))
      localizable(j["description"], pointer + "/description", kMaxText);
    if (j.contains("displayName"))
      localizable(j["displayName"], pointer + "/displayName", max_name_);
  }

  void name(const Json& j, const std::string& pointer) {
    if (!j.is_string()) {
      problem(pointer, fmt::format("expected a string, found {}", quoted(j)));
      return;
    }
    const std::string text = j.get<std::string>();
    if (text.size() > max_name_) {
      problem(pointer, fmt::format("expected a name of at most {} characters in DTDL v{}, found {}",
                                   max_name_, options_.version, text.size()));
    } else if (!is_identifier(text, false)) {
      problem(pointer,
              fmt::format("expected a name of letters, digits and '_', starting with a letter "
                          "and ending with a letter or digit; found '{}'",
                          text));
    }
  }

  void localizable(const Json& j, const std::string& pointer, std::size_t limit) {
    const auto check = [&](const Json& value, const std::string& at) {
      const Json& text = literal(value);
      if (!text.is_string()) {
        problem(at, fmt::format("expected a string, found {}", quoted(text)));
      } else if (text.get<std::string>().size() > limit) {
        problem(at, fmt::format("expected at most {} characters in DTDL v{}, found {}", limit,
                                options_.version, text.get<std::string>().size()));
      }
    };
    if (j.is_object() && !j.contains("@value")) {
      for (const auto& [language, text] : j.items())
        check(text, pointer + "/" + language);
    } else {
      check(j, pointer);
    }
  }

  bool boolean(const Json& j, const std::string& key, const std::string& pointer) {
    if (!j.contains(key)) return false;
    if (!literal(j[key]).is_boolean()) {
      problem(pointer + "/" + key, fmt::format("expected true or false, found {}", quoted(j[key])));
      return false;
    }
    return true;
  }

  struct Classified {
    Kind kind;
    std::optional<std::string> semantic_type;
  };

  // An element of one of the `allowed` classes (`what` names them where it is no JSON object):
  // its class, with its common properties checked; nothing after a problem.
  std::optional<Classified> classify(const Json& j, const std::string& pointer,
                                     std::initializer_list<Kind> allowed, std::string_view what) {
    if (!j.is_object()) {
      problem(pointer, fmt::format("expected {} (a JSON object), found {}", what, quoted(j)));
      return std::nullopt;
    }
    // A context inside an interface adds to the top one's (an empty one adds nothing), for the
    // element's own @type too.
    if (j.contains("@context") && *allowed.begin() != Kind::kInterface)
      nested_context(j["@context"], pointer);
    std::optional<std::string> semantic;
    bool undefined_cotype = false;
    const std::optional<Kind> kind = element_class(j, pointer, allowed, semantic, undefined_cotype);
    if (!kind) return std::nullopt;
    common(j, pointer, *kind, undefined_cotype);
    return Classified{*kind, semantic};
  }

  using Members = std::vector<std::pair<const Json*, std::string>>;  // element, its pointer

  static Members members_of(const Json& array, const std::string& pointer) {
    Members out;
    for (std::size_t i = 0; i < array.size(); ++i)
      out.emplace_back(&array[i], fmt::format("{}/{}", pointer, i));
    return out;
  }

  // The elements of the set at j[key] and their pointers: an array's, or the one object that
  // JSON-LD lets a set of one be written as.
  Members members(const Json& j, const std::string& key, const std::string& pointer) {
    Members out;
    if (!j.contains(key)) return out;
    const Json& items = j[key];
    const std::string at = pointer + "/" + key;
    if (items.is_array()) {
      out = members_of(items, at);
    } else if (items.is_object()) {
      out.emplace_back(&items, at);
    } else {
      problem(at, fmt::format("expected an array of elements, found {}", quoted(items)));
    }
    return out;
  }

  // The named elements of the set at j[key] (`required_items`: at least one), their names
  // unique in it (`what`: "an Enum", ...), each passed to `each`.
  template <typename Each>
  void set_of(const Json& j, const std::string& key, const std::string& pointer,
              std::size_t v2_limit, bool required_items, std::string_view what, Each&& each) {
    if (!j.contains(key)) return;
    const Members items = members(j, key, pointer);
    const std::string at = pointer + "/" + key;
    unique_names(items, what);
    if (required_items && items.empty())
      problem(at, "expected at least one element (DTDL v2; v3 allows none)");
    if (is_v2() && items.size() > v2_limit) {
      problem(at, fmt::format("expected at most {} elements in DTDL v2, found {}", v2_limit,
                              items.size()));
    }
    for (const auto& [item, item_pointer] : items)
      each(*item, item_pointer);
  }

  // Names met twice in one set (`what`: "an Enum", ...).
  void unique_names(const Members& items, std::string_view what) {
    std::map<std::string, std::string> seen;  // name: the pointer of the first
    for (const auto& [item, item_pointer] : items) {
      if (!item->is_object() || !item->contains("name") || !(*item)["name"].is_string()) continue;
      const std::string n = (*item)["name"].get<std::string>();
      if (const auto [it, fresh] = seen.emplace(n, item_pointer); !fresh) {
        problem(item_pointer + "/name",
                fmt::format("name '{}' is already that of {}: expected names unique in {}", n,
                            it->second, what));
      }
    }
  }

  void interface(const Json& j, const std::string& pointer) {
    if (!classify(j, pointer, {Kind::kInterface}, "an Interface")) return;
    if (!j.contains("@id")) {
      problem(pointer, "an Interface requires '@id'");
      return;
    }
    if (!j["@id"].is_string()) return;
    const std::string id = j["@id"].get<std::string>();
    if (const auto other = interfaces_.find(id); other != interfaces_.end()) {
      problem(pointer + "/@id", fmt::format("interface '{}' is already defined at {}: {}", id,
                                            other->second.file, other->second.pointer));
      return;
    }
    if (!is_v2()) {
      const std::size_t bytes = j.dump().size();
      if (bytes > kV3MaxInterfaceBytes) {
        problem(pointer,
                fmt::format("expected an Interface of at most 1 MiB, found {} bytes", bytes));
      }
    }
    InterfaceInfo info{file_, pointer.empty() ? "/" : pointer, {}, {}, 0, {}, {}};
    // Complex schemas named in the interface's schemas, which its contents may refer to (an
    // interface cannot use those of one it extends or one that holds it as a Component).
    std::map<std::string, LocalSchema> local_schemas;
    const Members schemas = members(j, "schemas", pointer);
    for (const auto& [s, at] : schemas) {
      if (!s->is_object() || !s->contains("@id") || !(*s)["@id"].is_string()) {
        problem(at, "expected a complex schema (Array, Enum, Map or Object) with an @id");
        continue;
      }
      if (const std::optional<Kind> kind = schema_kind(*s))
        local_schemas.emplace((*s)["@id"].get<std::string>(), LocalSchema{*kind, s});
    }
    std::swap(local_schemas_, local_schemas);
    for (const auto& [s, at] : schemas)
      complex_schema(*s, at, 1, false);
    if (j.contains("extends")) {
      const Json& extends = j["extends"];
      const std::string at = pointer + "/extends";
      const auto one = [&](const Json& e, const std::string& where) {
        if (e.is_string()) {
          if (const auto why = dtmi_problem(e.get<std::string>(), options_.version)) {
            problem(where, fmt::format("'{}': {}", e.get<std::string>(), *why));
          } else {
            info.extends.push_back({e.get<std::string>(), file_, where});
          }
        } else if (e.is_object()) {
          nested_interface(e, where);
          if (e.contains("@id") && e["@id"].is_string())
            info.extends.push_back({e["@id"].get<std::string>(), file_, where});
        } else {
          problem(where,
                  fmt::format("expected an interface's DTMI or an Interface, found {}", quoted(e)));
        }
      };
      if (extends.is_array()) {
        if (is_v2() && extends.size() > kV2MaxExtends) {
          problem(at, fmt::format("expected at most {} interfaces in DTDL v2, found {}",
                                  kV2MaxExtends, extends.size()));
        }
        for (std::size_t i = 0; i < extends.size(); ++i)
          one(extends[i], fmt::format("{}/{}", at, i));
      } else {
        one(extends, at);
      }
    }
    // Contents count against limits with those of the interfaces it extends (second pass).
    set_of(j, "contents", pointer, std::numeric_limits<std::size_t>::max(), false,
           "an interface's contents", [&](const Json& c, const std::string& at) {
             content(c, at, info);
             if (c.is_object() && c.contains("name") && c["name"].is_string())
               info.contents.push_back({c["name"].get<std::string>(), at});
           });
    if (j.contains("contents")) info.elements = count_elements(j["contents"]);
    std::swap(local_schemas_, local_schemas);
    interfaces_.emplace(id, std::move(info));
  }

  // An Interface written inline (in extends, or as a Component's schema): its own rules, with
  // the context of the interface that holds it.
  void nested_interface(const Json& j, const std::string& pointer) {
    std::map<std::string, LocalSchema> outer;
    std::swap(local_schemas_, outer);
    interface(j, pointer);
    std::swap(local_schemas_, outer);
  }

  static std::size_t count_elements(const Json& j) {
    std::size_t count = 0;
    if (j.is_object()) {
      count = 1;
      for (const auto& [key, value] : j.items()) {
        if (value.is_object() || value.is_array()) count += count_elements(value);
      }
    } else if (j.is_array()) {
      for (const Json& item : j)
        count += count_elements(item);
    }
    return count;
  }

  void content(const Json& j, const std::string& pointer, InterfaceInfo& info) {
    const std::optional<Classified> element = classify(
        j, pointer,
        {Kind::kTelemetry, Kind::kProperty, Kind::kCommand, Kind::kRelationship, Kind::kComponent},
        "a content element");
    if (!element) return;
    const Kind kind = element->kind;
    const std::optional<std::string>& semantic = element->semantic_type;
    switch (kind) {
      case Kind::kTelemetry:
      case Kind::kProperty:
        if (kind == Kind::kProperty) boolean(j, "writable", pointer);
        if (j.contains("schema"))
          schema(j["schema"], pointer + "/schema", 0, kind == Kind::kProperty);
        unit(j, pointer, semantic, kind);
        break;
      case Kind::kCommand:
        command(j, pointer);
        break;
      case Kind::kRelationship:
        relationship(j, pointer, info);
        break;
      case Kind::kComponent:
        if (j.contains("schema")) {
          const Json& s = j["schema"];
          if (s.is_string()) {
            if (const auto why = dtmi_problem(s.get<std::string>(), options_.version)) {
              problem(pointer + "/schema", fmt::format("'{}': {}", s.get<std::string>(), *why));
            } else {
              info.components.push_back({s.get<std::string>(), file_, pointer + "/schema"});
            }
          } else if (s.is_object()) {
            nested_interface(s, pointer + "/schema");
            if (s.contains("@id") && s["@id"].is_string())
              info.components.push_back({s["@id"].get<std::string>(), file_, pointer + "/schema"});
          } else {
            problem(
                pointer + "/schema",
                fmt::format("expected an interface's DTMI or an Interface, found {}", quoted(s)));
          }
        }
        break;
      default:
        break;
    }
  }

  // A semantic type requires a unit of its own and a numeric schema; a unit needs one.
  void unit(const Json& j, const std::string& pointer, const std::optional<std::string>& semantic,
            Kind kind) {
    if (!semantic) {
      if (j.contains("unit")) {
        problem(pointer + "/unit", fmt::format("a unit needs a semantic type in @type (\"@type\": "
                                               "[\"{}\", \"TimeSpan\"] for a unit of time)",
                                               rule_of(kind).type));
      }
      return;
    }
    const std::string_view units = semantic_types_.at(*semantic);
    if (!j.contains("unit")) {
      problem(pointer,
              fmt::format("semantic type '{}' requires a 'unit': one of {}", *semantic, units));
    } else if (!j["unit"].is_string() || !contains(units, j["unit"].get<std::string>())) {
      problem(pointer + "/unit", fmt::format("expected a unit of '{}': one of {}; found {}",
                                             *semantic, units, quoted(j["unit"])));
    }
    if (j.contains("schema")) {
      const Json& s = j["schema"];
      if (!s.is_string() || (s != "double" && s != "float" && s != "integer" && s != "long")) {
        problem(pointer + "/schema",
                fmt::format("semantic type '{}' requires a numeric schema (double, float, "
                            "integer or long), found {}",
                            *semantic, quoted(s)));
      }
    }
  }

  void command(const Json& j, const std::string& pointer) {
    if (j.contains("commandType")) {
      const Json& type = j["commandType"];
      if (type != "synchronous" && type != "asynchronous") {
        problem(pointer + "/commandType",
                fmt::format("expected 'synchronous' or 'asynchronous', found {}", quoted(type)));
      }
    }
    for (const char* key : {"request", "response"}) {
      if (!j.contains(key)) continue;
      const Kind kind = is_v2() ? Kind::kCommandPayload
                                : (std::string_view(key) == "request" ? Kind::kCommandRequest
                                                                      : Kind::kCommandResponse);
      named_schema(j[key], pointer + "/" + key, kind, 0, false);
    }
  }

  void relationship(const Json& j, const std::string& pointer, InterfaceInfo& info) {
    boolean(j, "writable", pointer);
    std::optional<std::int64_t> max;
    if (j.contains("maxMultiplicity")) {
      const Json& m = literal(j["maxMultiplicity"]);
      if (!m.is_number_integer() || m.get<std::int64_t>() < 1 ||
          (is_v2() && m.get<std::int64_t>() > kV2MaxMultiplicity)) {
        problem(pointer + "/maxMultiplicity",
                fmt::format("expected a whole number of at least 1{}, found {}",
                            is_v2() ? " and at most 500 (DTDL v2)" : "", quoted(m)));
      } else {
        max = m.get<std::int64_t>();
      }
    }
    if (j.contains("minMultiplicity")) {
      const Json& m = literal(j["minMultiplicity"]);
      if (!m.is_number_integer() || m.get<std::int64_t>() != 0)
        problem(pointer + "/minMultiplicity", fmt::format("expected 0, found {}", quoted(m)));
    }
    if (j.contains("target")) {
      const Json& t = literal(j["target"]);
      if (!t.is_string()) {
        problem(pointer + "/target",
                fmt::format("expected an interface's DTMI, found {}", quoted(t)));
      } else if (const auto why = dtmi_problem(t.get<std::string>(), options_.version)) {
        problem(pointer + "/target", fmt::format("'{}': {}", t.get<std::string>(), *why));
      } else {
        info.targets.push_back({t.get<std::string>(), file_, pointer + "/target"});
      }
    }
    set_of(j, "properties", pointer, kV2MaxRelationshipProperties, false,
           "a Relationship's properties", [&](const Json& p, const std::string& at) {
             const std::optional<Classified> property =
                 classify(p, at, {Kind::kProperty}, "a Property");
             if (!property) return;
             boolean(p, "writable", at);
             if (p.contains("schema")) schema(p["schema"], at + "/schema", 0, true);
             unit(p, at, property->semantic_type, Kind::kProperty);
           });
  }

  // The complex schema's kind from its @type alone (for the interface's schemas table).
  static std::optional<Kind> schema_kind(const Json& j) {
    if (!j.is_object() || !j.contains("@type")) return std::nullopt;
    const Json& type = j["@type"];
    for (Kind kind : {Kind::kArray, Kind::kEnum, Kind::kMap, Kind::kObject}) {
      if (type == rule_of(kind).type) return kind;
      if (type.is_array() && std::find(type.begin(), type.end(), rule_of(kind).type) != type.end())
        return kind;
    }
    return std::nullopt;
  }

  // A schema: a primitive, a geospatial schema, a complex schema's DTMI from the interface's
  // schemas, or a complex schema inline. `depth`: the complex schemas it is nested in.
  void schema(const Json& j, const std::string& pointer, std::size_t depth, bool in_property) {
    if (j.is_string()) {
      const std::string s = j.get<std::string>();
      if (std::find(kPrimitiveSchemas.begin(), kPrimitiveSchemas.end(), s) !=
          kPrimitiveSchemas.end())
        return;
      if (std::find(kGeospatialSchemas.begin(), kGeospatialSchemas.end(), s) !=
              kGeospatialSchemas.end() ||
          s.starts_with("dtmi:standard:schema:geospatial:")) {
        if (is_v2() && in_property) {
          problem(pointer, fmt::format("geospatial schema '{}' holds arrays, which a Property "
                                       "cannot in DTDL v2 (v3 allows it)",
                                       s));
        }
        return;
      }
      if (s.starts_with("dtmi:")) {
        const auto local = local_schemas_.find(s);
        if (local == local_schemas_.end()) {
          problem(pointer, fmt::format("'{}' names no complex schema in the interface's "
                                       "schemas; expected a primitive schema ({}) or one of them",
                                       s,
                                       "boolean, date, dateTime, double, duration, float, "
                                       "integer, long, string, time"));
        } else if (is_v2() && in_property && local->second.kind == Kind::kArray) {
          problem(pointer, "expected no Array in a Property's schema in DTDL v2 (v3 allows it)");
        } else if (depth + nesting(*local->second.json, kMaxSchemaDepth + 1) > kMaxSchemaDepth) {
          problem(pointer, fmt::format("expected complex schemas nested at most {} levels deep, "
                                       "counting those that '{}' holds (a schema that holds "
                                       "itself is nested without end)",
                                       kMaxSchemaDepth, s));
        }
        return;
      }
      problem(pointer, fmt::format("expected a schema: boolean, date, dateTime, double, "
                                   "duration, float, integer, long, string, time, a geospatial "
                                   "schema or a complex schema; found '{}'",
                                   s));
      return;
    }
    if (j.is_object()) {
      complex_schema(j, pointer, depth + 1, in_property);
      return;
    }
    problem(pointer, fmt::format("expected a schema (a string or an object), found {}", quoted(j)));
  }

  // How many complex schemas deep `s` goes, following the interface's named schemas, up to
  // `budget` levels: past it counting stops, since a named schema may hold itself.
  std::size_t nesting(const Json& s, std::size_t budget) const {
    if (budget == 0) return 1;
    if (s.is_string()) {
      const auto local = local_schemas_.find(s.get<std::string>());
      return local == local_schemas_.end() ? 0 : nesting(*local->second.json, budget);
    }
    if (!s.is_object()) return 0;
    std::size_t inner = 0;
    const auto child = [&](const Json& c) { inner = std::max(inner, nesting(c, budget - 1)); };
    if (s.contains("elementSchema")) child(s["elementSchema"]);
    for (const char* key : {"mapKey", "mapValue"}) {
      if (s.contains(key) && s[key].is_object() && s[key].contains("schema"))
        child(s[key]["schema"]);
    }
    if (s.contains("fields") && s["fields"].is_array()) {
      for (const Json& field : s["fields"])
        if (field.is_object() && field.contains("schema")) child(field["schema"]);
    }
    return 1 + inner;
  }

  void complex_schema(const Json& j, const std::string& pointer, std::size_t depth,
                      bool in_property) {
    const std::optional<Classified> element = classify(
        j, pointer, {Kind::kArray, Kind::kEnum, Kind::kMap, Kind::kObject}, "a complex schema");
    if (!element) return;
    const Kind kind = element->kind;
    if (depth > kMaxSchemaDepth) {
      problem(pointer, fmt::format("expected complex schemas nested at most {} levels deep",
                                   kMaxSchemaDepth));
      return;
    }
    switch (kind) {
      case Kind::kArray:
        if (is_v2() && in_property)
          problem(pointer, "expected no Array in a Property's schema in DTDL v2 (v3 allows it)");
        if (j.contains("elementSchema"))
          schema(j["elementSchema"], pointer + "/elementSchema", depth, in_property);
        break;
      case Kind::kEnum:
        enumeration(j, pointer);
        break;
      case Kind::kMap:
        if (j.contains("mapKey")) {
          named_schema(j["mapKey"], pointer + "/mapKey", Kind::kMapKey, depth, in_property);
          const Json& key = j["mapKey"];
          if (key.is_object() && key.contains("schema") && key["schema"] != "string") {
            problem(pointer + "/mapKey/schema",
                    fmt::format("expected 'string', found {}", quoted(key["schema"])));
          }
        }
        if (j.contains("mapValue"))
          named_schema(j["mapValue"], pointer + "/mapValue", Kind::kMapValue, depth, in_property);
        break;
      case Kind::kObject:
        set_of(j, "fields", pointer, kV2MaxFields, is_v2(), "an Object",
               [&](const Json& f, const std::string& at) {
                 named_schema(f, at, Kind::kField, depth, in_property);
               });
        if (is_v2() && !j.contains("fields"))
          problem(pointer, "an Object requires 'fields' in DTDL v2 (v3 allows none)");
        break;
      default:
        break;
    }
  }

  // An element with a name and a schema: a Field, MapKey, MapValue or a Command's request or
  // response.
  void named_schema(const Json& j, const std::string& pointer, Kind kind, std::size_t depth,
                    bool in_property) {
    const std::optional<Classified> element =
        classify(j, pointer, {kind}, fmt::format("a {}", rule_of(kind).type));
    if (!element) return;
    std::optional<std::string> semantic = element->semantic_type;
    if (semantic && (is_v2() || kind == Kind::kMapKey)) {
      problem(pointer + "/@type",
              fmt::format("a semantic type cannot co-type a {}{}", rule_of(kind).type,
                          is_v2() ? " in DTDL v2 (only a Property or Telemetry)" : ""));
      semantic.reset();
    }
    if (j.contains("schema")) schema(j["schema"], pointer + "/schema", depth, in_property);
    if (rule_of(kind).properties.find("unit") != std::string_view::npos)
      unit(j, pointer, semantic, kind);
  }

  void enumeration(const Json& j, const std::string& pointer) {
    const Json value_schema = j.value("valueSchema", Json());
    if (j.contains("valueSchema") && value_schema != "integer" && value_schema != "string") {
      problem(pointer + "/valueSchema",
              fmt::format("expected 'integer' or 'string', found {}", quoted(value_schema)));
    }
    if (is_v2() && !j.contains("enumValues"))
      problem(pointer, "an Enum requires 'enumValues' in DTDL v2 (v3 allows none)");
    std::set<std::string> values;
    set_of(j, "enumValues", pointer, kV2MaxEnumValues, is_v2(), "an Enum",
           [&](const Json& v, const std::string& at) {
             if (!classify(v, at, {Kind::kEnumValue}, "an EnumValue") || !v.contains("enumValue"))
               return;
             const Json& value = v["enumValue"];
             const bool fits = value_schema == "integer"
                                   ? value.is_number_integer() &&
                                         value.get<std::int64_t>() >= INT32_MIN &&
                                         value.get<std::int64_t>() <= INT32_MAX
                                   : value_schema != "string" || value.is_string();
             if (!fits) {
               problem(at + "/enumValue",
                       fmt::format("expected a value of the Enum's valueSchema '{}', found {}",
                                   value_schema.is_string() ? value_schema.get<std::string>() : "?",
                                   quoted(value)));
             } else if (!values.insert(value.dump()).second) {
               problem(at + "/enumValue",
                       fmt::format("enumValue {} is already another's: expected values unique "
                                   "in an Enum",
                                   quoted(value)));
             }
           });
  }

  // ---- the second pass: what depends on other interfaces -----------------------------------

  // The interfaces `id` extends, directly or not, each once; false after a problem (an
  // unknown one, a cycle, too deep).
  bool ancestors(const std::string& id, std::vector<std::string>& path,
                 std::set<std::string>& found) {
    const auto it = interfaces_.find(id);
    if (it == interfaces_.end()) return true;
    if (path.size() - 1 > kMaxExtendsDepth) return false;
    for (const Reference& parent : it->second.extends) {
      if (std::find(path.begin(), path.end(), parent.id) != path.end()) return false;
      if (!interfaces_.contains(parent.id)) continue;
      found.insert(parent.id);
      path.push_back(parent.id);
      const bool fine = ancestors(parent.id, path, found);
      path.pop_back();
      if (!fine) return false;
    }
    return true;
  }

  void inherited(const std::string& id, const InterfaceInfo& info) {
    for (const Reference& parent : info.extends) {
      if (!interfaces_.contains(parent.id) && !options_.allow_external) {
        problem_in(parent.file, parent.pointer,
                   fmt::format("extends '{}', which is no interface of the files checked "
                               "(expected it among them, or --allow-external)",
                               parent.id),
                   false);
      }
    }
    std::vector<std::string> path{id};
    std::set<std::string> found;
    if (!ancestors(id, path, found)) {
      problem_in(info.file, info.pointer,
                 fmt::format("'extends' of '{}' goes round in a cycle or deeper than {} levels", id,
                             kMaxExtendsDepth),
                 false);
      return;
    }
    found.erase(id);
    if (!is_v2() && found.size() > kV3MaxExtendsInterfaces) {
      problem_in(info.file, info.pointer,
                 fmt::format("expected at most {} interfaces under extends, found {}",
                             kV3MaxExtendsInterfaces, found.size()),
                 false);
    }
    std::size_t contents = info.contents.size();
    std::size_t elements = info.elements;
    std::map<std::string, std::string> names;  // name: where
    for (const NamedContent& c : info.contents)
      names.emplace(c.name, fmt::format("{}: {}", info.file, c.pointer));
    for (const std::string& ancestor : found) {
      const InterfaceInfo& other = interfaces_.at(ancestor);
      contents += other.contents.size();
      elements += other.elements;
      for (const NamedContent& c : other.contents) {
        const auto [it, fresh] =
            names.emplace(c.name, fmt::format("{}: {}", other.file, c.pointer));
        if (!fresh) {
          problem_in(
              info.file, info.pointer,
              fmt::format("'{}' has two contents named '{}' through extends: {} and {} "
                          "(expected names unique in an interface)",
                          id, c.name, it->second, fmt::format("{}: {}", other.file, c.pointer)),
              false);
        }
      }
    }
    if (is_v2() && contents > kV2MaxContents) {
      problem_in(info.file, info.pointer,
                 fmt::format("expected at most {} contents, extended ones included, in DTDL v2; "
                             "found {}",
                             kV2MaxContents, contents),
                 false);
    }
    if (!is_v2() && elements > kV3MaxElements) {
      problem_in(info.file, info.pointer,
                 fmt::format("expected at most {} elements under contents, extended ones "
                             "included; found {}",
                             kV3MaxElements, elements),
                 false);
    }
  }

  // A Component's schema is an interface of the set ("by value") with no Component in it.
  void component_schema(const Reference& component) {
    const auto it = interfaces_.find(component.id);
    if (it == interfaces_.end()) {
      if (!options_.allow_external) {
        problem_in(component.file, component.pointer,
                   fmt::format("'{}' is no interface of the files checked (expected it among "
                               "them, or --allow-external)",
                               component.id),
                   false);
      }
      return;
    }
    std::vector<std::string> path{component.id};
    std::set<std::string> found{component.id};
    ancestors(component.id, path, found);
    for (const std::string& id : found) {
      if (!interfaces_.at(id).components.empty()) {
        problem_in(component.file, component.pointer,
                   fmt::format("'{}' holds a Component itself ({}): expected no Component in "
                               "a Component's interface",
                               component.id, id),
                   false);
        return;
      }
    }
  }

  const DtdlCheckOptions& options_;
  std::size_t max_name_ = kMaxText;
  std::map<std::string_view, std::string_view> semantic_types_;
  std::string file_;
  bool quantitative_types_ = false;  // the current top interface's @context has the extension
  // ... has a context that DTDL does not define, whose terms DTDL v3 then lets co-type elements.
  bool undefined_extension_ = false;
  // The complex schemas named in the interface's `schemas`, by @id.
  struct LocalSchema {
    Kind kind;
    const Json* json;
  };
  std::map<std::string, LocalSchema> local_schemas_;
  std::map<std::string, InterfaceInfo> interfaces_;
  std::map<std::string, std::size_t> file_order_;
  DtdlCheck result_;
};

}  // namespace

std::string to_string(const DtdlProblem& problem) {
  return fmt::format("{}{}: {}{}", problem.warning ? "warning: " : "", problem.file,
                     problem.pointer.empty() ? "" : problem.pointer + ": ", problem.message);
}

bool DtdlCheck::valid() const {
  return std::none_of(problems.begin(), problems.end(),
                      [](const DtdlProblem& p) { return !p.warning; });
}

DtdlCheck check_dtdl(const std::vector<DtdlDocument>& documents, const DtdlCheckOptions& options) {
  Checker checker(options);
  for (const DtdlDocument& document : documents)
    checker.add_file(document.file);
  for (const DtdlDocument& document : documents)
    checker.document(document);
  checker.cross_checks();
  return std::move(checker).result();
}

std::vector<DtdlDocument> read_dtdl_documents(const std::vector<std::string>& paths) {
  std::vector<DtdlDocument> documents;
  for (const std::string& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::string> files;
      for (auto it = std::filesystem::recursive_directory_iterator(path, error);
           !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_regular_file(error) && it->path().extension() == ".json")
          files.push_back(it->path().string());
      }
      if (error) throw InputError({path, 0, 0, ""}, "cannot list the folder: " + error.message());
      std::sort(files.begin(), files.end());
      if (files.empty()) throw InputError({path, 0, 0, ""}, "expected .json files in the folder");
      for (std::string& file : files)
        documents.push_back({file, read_input_file(file, "DTDL file")});
    } else {
      documents.push_back({path, read_input_file(path, "DTDL file")});
    }
  }
  return documents;
}

}  // namespace linetwin
