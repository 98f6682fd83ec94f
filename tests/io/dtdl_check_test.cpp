// The DTDL checker, one rule at a time: a small valid model passes in the version it is written
// for, and each bad model gives exactly the problem the specification says, at the JSON pointer
// of the element at fault. The models are written here from the specifications' tables
// (DTDL.v2.md, DTDL.v3.md, DTDL.quantitativeTypes.v1.md), not from the checker's output.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "io/dtdl_check.hpp"
#include "test_files.hpp"

using namespace linetwin;

namespace {

DtdlCheck check(const std::vector<std::string>& texts, int version = 3,
                bool allow_external = false) {
  std::vector<DtdlDocument> documents;
  for (std::size_t i = 0; i < texts.size(); ++i)
    documents.push_back({fmt::format("m{}.json", i), texts[i]});
  return check_dtdl(documents, {.version = version, .allow_external = allow_external});
}

// The one problem of a check, "FILE: POINTER: MESSAGE"; fails unless there is exactly one.
std::string one_problem(const std::vector<std::string>& texts, int version = 3) {
  const DtdlCheck result = check(texts, version);
  std::string all;
  for (const DtdlProblem& p : result.problems)
    all += to_string(p) + "\n";
  INFO("problems:\n" << all);
  REQUIRE(result.problems.size() == 1);
  return to_string(result.problems.front());
}

bool has(const std::string& text, const std::string& fragment) {
  INFO(text);
  return text.find(fragment) != std::string::npos;
}

// An interface with the given context version and contents.
std::string model(const std::string& contents, int version = 3,
                  const std::string& id = "dtmi:example:Machine;1", const std::string& extra = "") {
  return "{\"@context\": \"dtmi:dtdl:context;" + std::to_string(version) + "\", \"@id\": \"" + id +
         "\", \"@type\": \"Interface\"" + extra + ", \"contents\": [" + contents + "]}";
}

}  // namespace

TEST_CASE("DTDL check: a model with every kind of content is valid in its version") {
  const std::string contents = R"(
    {"@type": "Telemetry", "name": "state", "schema": {"@type": "Enum", "valueSchema": "string",
     "enumValues": [{"name": "idle", "enumValue": "idle"}, {"name": "down", "enumValue": "down"}]}},
    {"@type": ["Telemetry", "Temperature"], "name": "temp", "schema": "double",
     "unit": "degreeCelsius"},
    {"@type": "Property", "name": "serial", "schema": "string", "writable": false},
    {"@type": "Property", "name": "tags", "schema": {"@type": "Map",
     "mapKey": {"name": "tag", "schema": "string"}, "mapValue": {"name": "value", "schema": "string"}}},
    {"@type": "Property", "name": "limits", "schema": {"@type": "Object", "fields": [
     {"name": "low", "schema": "double"}, {"name": "high", "schema": "double"}]}},
    {"@type": "Relationship", "name": "feeds", "target": "dtmi:example:Machine;1",
     "maxMultiplicity": 5, "minMultiplicity": 0,
     "properties": [{"@type": "Property", "name": "since", "schema": "dateTime"}]},
    {"@type": "Component", "name": "sensor", "schema": "dtmi:example:Sensor;1"},
    {"@type": "Command", "name": "reset"})";
  const std::string sensor_v2 = model(R"({"@type": "Telemetry", "name": "v", "schema": "double"})",
                                      2, "dtmi:example:Sensor;1");
  const DtdlCheck v2 = check({model(contents, 2), sensor_v2}, 2);
  CHECK(v2.valid());
  CHECK(v2.problems.empty());
  CHECK(v2.interfaces == 2);
  // v3 needs the QuantitativeTypes extension for the semantic type.
  const std::string v3_context =
      "\"@context\": [\"dtmi:dtdl:context;3\", \"dtmi:dtdl:extension:quantitativeTypes;1\"]";
  const std::string plain_context = "\"@context\": \"dtmi:dtdl:context;3\"";
  std::string v3 = model(contents, 3);
  v3.replace(v3.find(plain_context), plain_context.size(), v3_context);
  const std::string sensor_v3 = model(R"({"@type": "Telemetry", "name": "v", "schema": "double"})",
                                      3, "dtmi:example:Sensor;1");
  const DtdlCheck result = check({v3, sensor_v3}, 3);
  CHECK(result.problems.empty());
  // A JSON array of interfaces is one document of several.
  CHECK(check({"[" + v3 + ", " + sensor_v3 + "]"}, 3).problems.empty());
}

TEST_CASE("DTDL check: malformed JSON names the line and column") {
  const std::string problem = one_problem({"{\n  \"@context\": \"dtmi:dtdl:context;3\",\n  ]"});
  CHECK(has(problem, "m0.json: malformed JSON: parse error at line 3, column 3"));
}

TEST_CASE("DTDL check: JSON nested deeper than any model is refused as it is read") {
  // 65 arrays inside the interface object: 66 levels, where the limit is 64.
  const std::string deep = "{\"comment\": " + std::string(65, '[') + std::string(65, ']') + "}";
  CHECK(has(one_problem({deep}), "m0.json: expected JSON nested at most 64 levels deep"));
  // A name of a million characters is one problem, its length, and no crash.
  const std::string long_name = "{\"@type\": \"Property\", \"name\": \"" +
                                std::string(1'000'000, 'a') + "\", \"schema\": \"double\"}";
  CHECK(has(one_problem({model(long_name)}), "expected a name of at most 512 characters"));
}

TEST_CASE("DTDL check: @context must name the version, first") {
  CHECK(has(one_problem({model("", 2)}, 3),
            "m0.json: /@context: expected 'dtmi:dtdl:context;3' first (DTDL v3), found "
            "'dtmi:dtdl:context;2' (check with --dtdl-version 2)"));
  const std::string no_context = R"({"@id": "dtmi:example:A;1", "@type": "Interface"})";
  CHECK(has(one_problem({no_context}), "m0.json: expected \"@context\": \"dtmi:dtdl:context;3\""));
  // A v3 extension is not DTDL v2.
  std::string extended = model("", 2);
  extended.replace(extended.find("\"dtmi:dtdl:context;2\""), 21,
                   "[\"dtmi:dtdl:context;2\", \"dtmi:dtdl:extension:quantitativeTypes;1\"]");
  CHECK(has(one_problem({extended}, 2),
            "/@context/1: 'dtmi:dtdl:extension:quantitativeTypes;1' "
            "is a DTDL v3 language extension"));
}

TEST_CASE("DTDL check: DTMI syntax, versions by DTDL version, length and reserved prefixes") {
  CHECK(has(one_problem({model("", 3, "dtmi:example:9lives;1")}),
            "/@id: 'dtmi:example:9lives;1': expected each path segment"));
  CHECK(has(one_problem({model("", 3, "dtmi:example:trailing_;1")}), "found 'trailing_'"));
  CHECK(has(one_problem({model("", 3, "dtmi:example:_system;1")}), "expected a user DTMI"));
  CHECK(has(one_problem({model("", 3, "dtmi:example:A;01")}), "without a leading zero"));
  CHECK(has(one_problem({model("", 3, "dtmi:example:A;1234567890")}), "found '1234567890'"));
  CHECK(has(one_problem({model("", 3, "urn:example:A;1")}), "expected a DTMI, 'dtmi:'"));
  CHECK(has(one_problem({model("", 3, "dtmi:dtdl:Mine;1")}),
            "'dtmi:dtdl:' and 'dtmi:standard:' are reserved"));
  // v3 allows no version and major.minor; v2 requires a one-part version.
  CHECK(check({model("", 3, "dtmi:example:A")}).problems.empty());
  CHECK(check({model("", 3, "dtmi:example:A;2.5")}).problems.empty());
  CHECK(has(one_problem({model("", 2, "dtmi:example:A")}, 2), "DTDL v2 requires one"));
  CHECK(has(one_problem({model("", 2, "dtmi:example:A;2.5")}, 2), "major.minor versions are"));
  // An interface's id is at most 128 characters, 5 + 1 + 120 + 2 = 128 passes, one more fails.
  const std::string long_id = "dtmi:" + std::string(120, 'a');
  CHECK(check({model("", 3, long_id + "b;1")}).problems.empty());
  CHECK(has(one_problem({model("", 3, long_id + "bc;1")}),
            "expected at most 128 characters for the @id of a Interface, found 129"));
}

TEST_CASE("DTDL check: @type of each element, and the properties each class has") {
  CHECK(has(one_problem({model(R"({"@type": "Sensor", "name": "a", "schema": "double"})")}),
            "/contents/0/@type: expected one of Telemetry, Property, Command, Relationship, "
            "Component, found \"Sensor\""));
  CHECK(has(one_problem({model(R"({"name": "a", "schema": "double"})")}),
            "/contents/0: expected \"@type\": one of Telemetry"));
  CHECK(has(one_problem({model(R"({"@type": ["Telemetry", "Property"], "name": "a",
                                   "schema": "double"})")}),
            "expected one class only"));
  CHECK(has(one_problem({model(R"({"@type": "Telemetry", "name": "a", "schema": "double",
                                   "writable": true})")}),
            "/contents/0/writable: 'writable' is no property of a DTDL Telemetry"));
  // An undefined co-type lets an element carry properties DTDL does not define: in v2 always, in
  // v3 only with the context of the extension that defines it.
  const std::string commercial = R"({"@type": ["Property", "Commercial"], "name": "a",
                                     "schema": "double", "brand": "Acme"})";
  CHECK(check({model(commercial, 2)}, 2).problems.empty());
  CHECK(has(one_problem({model(commercial, 3)}),
            "/contents/0/@type: 'Commercial' is no DTDL term: DTDL v3 takes an undefined "
            "co-type only with the context of the extension"));
  std::string extended = model(commercial, 3);
  extended.replace(extended.find("\"dtmi:dtdl:context;3\""), 21,
                   "[\"dtmi:dtdl:context;3\", \"dtmi:com:example:commercial;1\"]");
  CHECK(check({extended}).problems.empty());
}

TEST_CASE("DTDL check: JSON-LD's other spellings of sets and literals") {
  // A set of one written as the element itself, a literal as a set of one or a value object.
  CHECK(check({R"({"@context": "dtmi:dtdl:context;3", "@id": "dtmi:example:A;1",
                   "@type": "Interface", "displayName": ["A"],
                   "contents": {"@type": "Property", "name": {"@value": "p"}, "schema": "double",
                                "writable": [true]}})"})
            .problems.empty());
}

TEST_CASE("DTDL check: required fields") {
  CHECK(has(one_problem({model(R"({"@type": "Telemetry", "name": "a"})")}),
            "/contents/0: a Telemetry requires 'schema'"));
  CHECK(has(one_problem({model(R"({"@type": "Property", "schema": "double"})")}),
            "/contents/0: a Property requires 'name'"));
  CHECK(has(one_problem({R"({"@context": "dtmi:dtdl:context;3", "@type": "Interface"})"}),
            "m0.json: an Interface requires '@id'"));
}

TEST_CASE("DTDL check: names, their syntax, length and uniqueness") {
  CHECK(has(one_problem({model(R"({"@type": "Property", "name": "2x", "schema": "double"})")}),
            "/contents/0/name: expected a name of letters, digits and '_'"));
  CHECK(has(one_problem({model(R"({"@type": "Property", "name": "x_", "schema": "double"})")}),
            "found 'x_'"));
  // 64 characters in v2, 512 in v3.
  const std::string name65 = std::string(65, 'n');
  const std::string content =
      "{\"@type\": \"Property\", \"name\": \"" + name65 + "\", \"schema\": \"double\"}";
  CHECK(has(one_problem({model(content, 2)}, 2),
            "expected a name of at most 64 characters in DTDL v2, found 65"));
  CHECK(check({model(content, 3)}).problems.empty());
  CHECK(has(one_problem({model(R"({"@type": "Property", "name": "a", "schema": "double"},
                                   {"@type": "Telemetry", "name": "a", "schema": "double"})")}),
            "/contents/1/name: name 'a' is already that of /contents/0"));
}

TEST_CASE("DTDL check: displayName and description lengths, localized or not") {
  const std::string display65 = std::string(65, 'd');
  const std::string v2 =
      model("", 2, "dtmi:example:A;1", ", \"displayName\": \"" + display65 + "\"");
  CHECK(has(one_problem({v2}, 2), "/displayName: expected at most 64 characters in DTDL v2"));
  const std::string localized =
      model("", 3, "dtmi:example:A;1",
            ", \"description\": {\"en\": \"fine\", \"it\": \"" + std::string(513, 'x') + "\"}");
  CHECK(has(one_problem({localized}), "/description/it: expected at most 512 characters"));
}

TEST_CASE("DTDL check: duplicate names through extends, diamonds counted once") {
  const std::string base =
      model(R"({"@type": "Property", "name": "id", "schema": "string"})", 3, "dtmi:example:Base;1");
  const std::string left =
      model("", 3, "dtmi:example:Left;1", ", \"extends\": \"dtmi:example:Base;1\"");
  const std::string right =
      model("", 3, "dtmi:example:Right;1", ", \"extends\": \"dtmi:example:Base;1\"");
  const std::string both =
      model("", 3, "dtmi:example:Both;1",
            ", \"extends\": [\"dtmi:example:Left;1\", \"dtmi:example:Right;1\"]");
  CHECK(check({base, left, right, both}).problems.empty());
  const std::string again = model(R"({"@type": "Telemetry", "name": "id", "schema": "string"})", 3,
                                  "dtmi:example:Again;1", ", \"extends\": \"dtmi:example:Left;1\"");
  CHECK(has(one_problem({base, left, again}),
            "m2.json: /: 'dtmi:example:Again;1' has two contents named 'id' through extends"));
}

TEST_CASE("DTDL check: extends and Component schemas resolve; cycles; v2's limit of two") {
  const std::string child =
      model("", 3, "dtmi:example:Child;1", ", \"extends\": \"dtmi:example:Missing;1\"");
  CHECK(has(one_problem({child}),
            "/extends: extends 'dtmi:example:Missing;1', which is no interface of the files "
            "checked (expected it among them, or --allow-external)"));
  CHECK(check({child}, 3, true).problems.empty());
  const std::string holder =
      model(R"({"@type": "Component", "name": "part", "schema": "dtmi:example:Missing;1"})");
  CHECK(has(one_problem({holder}), "/contents/0/schema: 'dtmi:example:Missing;1' is no interface"));
  const std::string a = model("", 3, "dtmi:example:A;1", ", \"extends\": \"dtmi:example:B;1\"");
  const std::string b = model("", 3, "dtmi:example:B;1", ", \"extends\": \"dtmi:example:A;1\"");
  const DtdlCheck cycle = check({a, b});
  CHECK_FALSE(cycle.valid());
  CHECK(has(to_string(cycle.problems.front()), "goes round in a cycle"));
  const std::string three =
      model("", 2, "dtmi:example:Three;1",
            ", \"extends\": [\"dtmi:example:A;1\", \"dtmi:example:B;1\", \"dtmi:example:C;1\"]");
  const DtdlCheck v2 = check({three}, 2, true);
  REQUIRE(v2.problems.size() == 1);
  CHECK(has(to_string(v2.problems.front()), "/extends: expected at most 2 interfaces in DTDL v2"));
  // A Component's interface holds no Component itself.
  const std::string inner =
      model(R"({"@type": "Component", "name": "x", "schema": "dtmi:example:Leaf;1"})", 3,
            "dtmi:example:Inner;1");
  const std::string leaf = model("", 3, "dtmi:example:Leaf;1");
  const std::string outer =
      model(R"({"@type": "Component", "name": "y", "schema": "dtmi:example:Inner;1"})");
  CHECK(has(one_problem({outer, inner, leaf}), "holds a Component itself"));
}

TEST_CASE("DTDL check: a Relationship's unknown target is a warning, valid DTDL") {
  const DtdlCheck result =
      check({model(R"({"@type": "Relationship", "name": "r", "target": "dtmi:example:Other;1"})")});
  CHECK(result.valid());
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems.front().warning);
  CHECK(has(to_string(result.problems.front()),
            "warning: m0.json: /contents/0/target: target 'dtmi:example:Other;1' is no "
            "interface"));
  CHECK(has(one_problem({model(R"({"@type": "Relationship", "name": "r", "maxMultiplicity": 0})")}),
            "/contents/0/maxMultiplicity: expected a whole number of at least 1"));
  CHECK(has(one_problem(
                {model(R"({"@type": "Relationship", "name": "r", "maxMultiplicity": 501})", 2)}, 2),
            "at most 500 (DTDL v2)"));
  CHECK(has(one_problem({model(R"({"@type": "Relationship", "name": "r", "minMultiplicity": 1})")}),
            "/contents/0/minMultiplicity: expected 0, found 1"));
}

TEST_CASE("DTDL check: complex schemas well formed") {
  CHECK(has(one_problem({model(R"({"@type": "Property", "name": "e", "schema": {"@type": "Enum",
              "valueSchema": "double", "enumValues": [{"name": "a", "enumValue": 1}]}})")}),
            "/contents/0/schema/valueSchema: expected 'integer' or 'string', found \"double\""));
  CHECK(has(one_problem({model(R"({"@type": "Property", "name": "e", "schema": {"@type": "Enum",
              "valueSchema": "integer", "enumValues": [{"name": "a", "enumValue": "one"}]}})")}),
            "/contents/0/schema/enumValues/0/enumValue: expected a value of the Enum's "
            "valueSchema 'integer'"));
  CHECK(has(one_problem({model(R"({"@type": "Property", "name": "e", "schema": {"@type": "Enum",
              "valueSchema": "integer", "enumValues": [{"name": "a", "enumValue": 1},
              {"name": "b", "enumValue": 1}]}})")}),
            "/enumValues/1/enumValue: enumValue 1 is already another's"));
  CHECK(has(one_problem({model(R"({"@type": "Property", "name": "m", "schema": {"@type": "Map",
              "mapKey": {"name": "k", "schema": "integer"},
              "mapValue": {"name": "v", "schema": "string"}}})")}),
            "/contents/0/schema/mapKey/schema: expected 'string', found \"integer\""));
  CHECK(has(one_problem({model(R"({"@type": "Property", "name": "m", "schema": {"@type": "Map",
              "mapValue": {"name": "v", "schema": "string"}}})")}),
            "/contents/0/schema: a Map requires 'mapKey'"));
  CHECK(has(one_problem({model(R"({"@type": "Telemetry", "name": "o", "schema": {"@type": "Object",
              "fields": [{"name": "f", "schema": "double"}, {"name": "f", "schema": "long"}]}})")}),
            "/contents/0/schema/fields/1/name: name 'f' is already that of"));
  CHECK(has(one_problem({model(R"({"@type": "Telemetry", "name": "a", "schema": "decimal"})")}),
            "/contents/0/schema: expected a schema"));
  CHECK(has(one_problem({model(R"({"@type": "Telemetry", "name": "a",
                                   "schema": "dtmi:example:Nowhere;1"})")}),
            "names no complex schema in the interface's schemas"));
  // A schema from the interface's schemas, by its @id.
  CHECK(check({model(R"({"@type": "Telemetry", "name": "a", "schema": "dtmi:example:Pair;1"})", 3,
                     "dtmi:example:A;1",
                     R"(, "schemas": [{"@id": "dtmi:example:Pair;1", "@type": "Array",
                                       "elementSchema": "double"}])")})
            .problems.empty());
  // Nested at most 5 levels: 6 Arrays are one too many.
  std::string nested = "\"double\"";
  for (int i = 0; i < 6; ++i)
    nested = "{\"@type\": \"Array\", \"elementSchema\": " + nested + "}";
  CHECK(has(one_problem(
                {model("{\"@type\": \"Telemetry\", \"name\": \"a\", \"schema\": " + nested + "}")}),
            "expected complex schemas nested at most 5 levels deep"));
}

TEST_CASE("DTDL check: schemas named in an interface's schemas count toward the nesting limit") {
  // A chain of named Arrays A1 -> A2 -> ... -> An -> double, used by a Telemetry: n levels.
  const auto chain = [](int n) {
    std::string schemas;
    for (int i = 1; i <= n; ++i) {
      const std::string element =
          i == n ? std::string("\"double\"") : fmt::format("\"dtmi:example:A{};1\"", i + 1);
      schemas += fmt::format(R"({}{{"@id": "dtmi:example:A{};1", "@type": "Array",
                               "elementSchema": {}}})",
                             i == 1 ? "" : ", ", i, element);
    }
    return model(R"({"@type": "Telemetry", "name": "a", "schema": "dtmi:example:A1;1"})", 3,
                 "dtmi:example:M;1", ", \"schemas\": [" + schemas + "]");
  };
  CHECK(check({chain(5)}).problems.empty());
  // Six levels: A1 is the one that goes too deep, wherever it is used from.
  const DtdlCheck deep = check({chain(6)});
  REQUIRE_FALSE(deep.problems.empty());
  CHECK(has(to_string(deep.problems.front()),
            "expected complex schemas nested at most 5 levels deep, counting those that "
            "'dtmi:example:A2;1' holds"));
  // An Object whose field is the Object itself: nested without end.
  const std::string itself = model(
      R"({"@type": "Telemetry", "name": "a", "schema": "dtmi:example:O;1"})", 3, "dtmi:example:M;1",
      R"(, "schemas": [{"@id": "dtmi:example:O;1", "@type": "Object",
                        "fields": [{"name": "f", "schema": "dtmi:example:O;1"}]}])");
  const DtdlCheck endless = check({itself});
  REQUIRE_FALSE(endless.problems.empty());
  CHECK(
      has(to_string(endless.problems.front()), "a schema that holds itself is nested without end"));
}

TEST_CASE("DTDL check: v3's features are refused in v2, and v2's in v3") {
  // An Array in a Property, an Enum without values, an Object without fields: v3 only.
  const std::string array_property =
      R"({"@type": "Property", "name": "a", "schema": {"@type": "Array", "elementSchema": "double"}})";
  CHECK(check({model(array_property, 3)}).problems.empty());
  CHECK(has(one_problem({model(array_property, 2)}, 2),
            "/contents/0/schema: expected no Array in a Property's schema in DTDL v2"));
  const std::string empty_enum =
      R"({"@type": "Telemetry", "name": "e", "schema": {"@type": "Enum", "valueSchema": "string"}})";
  CHECK(check({model(empty_enum, 3)}).problems.empty());
  CHECK(has(one_problem({model(empty_enum, 2)}, 2), "an Enum requires 'enumValues' in DTDL v2"));
  // commandType and CommandPayload are v2's; CommandRequest v3's.
  const std::string command_type =
      R"({"@type": "Command", "name": "c", "commandType": "synchronous"})";
  CHECK(check({model(command_type, 2)}, 2).problems.empty());
  CHECK(has(one_problem({model(command_type, 3)}),
            "/contents/0/commandType: 'commandType' is no property of a DTDL Command in v3"));
  const std::string payload =
      R"({"@type": "Command", "name": "c", "request": {"@type": "CommandPayload", "name": "p", "schema": "double"}})";
  CHECK(check({model(payload, 2)}, 2).problems.empty());
  CHECK(has(one_problem({model(payload, 3)}),
            "/contents/0/request/@type: expected CommandRequest, found 'CommandPayload'"));
  // A semantic type is native in v2 and needs the QuantitativeTypes extension in v3.
  const std::string time_span =
      R"({"@type": ["Property", "TimeSpan"], "name": "t", "schema": "double", "unit": "second"})";
  CHECK(check({model(time_span, 2)}, 2).problems.empty());
  CHECK(has(one_problem({model(time_span, 3)}),
            "/contents/0/@type: semantic type 'TimeSpan' needs the QuantitativeTypes extension"));
}

TEST_CASE("DTDL check: semantic types and units consistent") {
  const auto content = [](const std::string& type, const std::string& schema,
                          const std::string& unit) {
    return "{\"@type\": [\"Telemetry\", \"" + type + "\"], \"name\": \"q\", \"schema\": \"" +
           schema + "\"" + (unit.empty() ? "" : ", \"unit\": \"" + unit + "\"") + "}";
  };
  CHECK(has(one_problem({model(content("TimeSpan", "double", "metre"), 2)}, 2),
            "/contents/0/unit: expected a unit of 'TimeSpan': one of day hour microsecond "
            "millisecond minute nanosecond second year; found \"metre\""));
  CHECK(has(one_problem({model(content("Length", "string", "metre"), 2)}, 2),
            "/contents/0/schema: semantic type 'Length' requires a numeric schema"));
  CHECK(has(one_problem({model(content("Length", "double", ""), 2)}, 2),
            "/contents/0: semantic type 'Length' requires a 'unit'"));
  CHECK(has(one_problem({model(R"({"@type": "Telemetry", "name": "q", "schema": "double",
                                   "unit": "metre"})",
                               2)},
                        2),
            "/contents/0/unit: a unit needs a semantic type in @type"));
  // v3's extension has units v2 lacks (kiloampere for Current).
  std::string v3 = model(content("Current", "double", "kiloampere"), 3);
  v3.replace(v3.find("\"dtmi:dtdl:context;3\""), 21,
             "[\"dtmi:dtdl:context;3\", \"dtmi:dtdl:extension:quantitativeTypes;1\"]");
  CHECK(check({v3}).problems.empty());
  CHECK(has(one_problem({model(content("Current", "double", "kiloampere"), 2)}, 2),
            "expected a unit of 'Current'"));
}

TEST_CASE("DTDL check: the limits of contents per interface") {
  // DTDL v2: at most 300 contents, extended ones included: 200 + 101 in the base is one too many.
  const auto properties = [](const std::string& prefix, int n) {
    std::string list;
    for (int i = 0; i < n; ++i) {
      list += (i ? ", " : "") + std::string("{\"@type\": \"Property\", \"name\": \"") + prefix +
              std::to_string(i) + "\", \"schema\": \"double\"}";
    }
    return list;
  };
  const std::string base = model(properties("b", 100), 2, "dtmi:example:Base;1");
  const std::string child = model(properties("c", 200), 2, "dtmi:example:Child;1",
                                  ", \"extends\": \"dtmi:example:Base;1\"");
  CHECK(check({base, child}, 2).problems.empty());
  const std::string bigger = model(properties("b", 101), 2, "dtmi:example:Base;1");
  CHECK(has(one_problem({bigger, child}, 2),
            "m1.json: /: expected at most 300 contents, extended ones included, in DTDL v2; "
            "found 301"));
  // DTDL v2: at most 100 values in an Enum, 30 fields in an Object.
  std::string values;
  for (int i = 0; i < 101; ++i) {
    values += (i ? ", " : "") + std::string("{\"name\": \"v") + std::to_string(i) +
              "\", \"enumValue\": " + std::to_string(i) + "}";
  }
  CHECK(
      has(one_problem({model("{\"@type\": \"Telemetry\", \"name\": \"e\", \"schema\": {\"@type\": "
                             "\"Enum\", \"valueSchema\": \"integer\", \"enumValues\": [" +
                                 values + "]}}",
                             2)},
                      2),
          "/contents/0/schema/enumValues: expected at most 100 elements in DTDL v2, found 101"));
}

TEST_CASE("DTDL check: an interface defined twice, and the files read from folders") {
  CHECK(has(one_problem({model(""), model("")}),
            "m1.json: /@id: interface 'dtmi:example:Machine;1' is already defined at m0.json: /"));
  test::TempDir dir;
  std::filesystem::create_directories(std::filesystem::path(dir.path()) / "sub");
  dir.write("sub/b.json", model("", 3, "dtmi:example:B;1"));
  dir.write("a.json", model("", 3, "dtmi:example:A;1"));
  dir.write("notes.txt", "not DTDL");
  const std::vector<DtdlDocument> documents = read_dtdl_documents({dir.path()});
  REQUIRE(documents.size() == 2);
  CHECK(documents[0].file == (std::filesystem::path(dir.path()) / "a.json").string());
  CHECK(documents[1].file == (std::filesystem::path(dir.path()) / "sub" / "b.json").string());
  CHECK_THROWS_AS(read_dtdl_documents({dir.path() + "/missing.json"}), InputError);
}
