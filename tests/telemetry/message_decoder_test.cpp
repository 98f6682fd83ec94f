// The telemetry message decoder: every accepted format decoded to the exact samples, and every
// fault kind reported with its JSON path, all-or-nothing. Expected times are worked out by hand
// from the calendar (2026-11-26T08:00:00Z is 1,795,680,000 s after the epoch: `date -u -d
// 2026-11-26T08:00:00Z +%s`), never taken from the decoder's own output.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/message_decoder.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

namespace {

constexpr std::int64_t kSecond = 1'000'000;
// 2026-11-26T08:00:00Z in microseconds since the epoch.
constexpr std::int64_t k0800 = 1'795'680'000 * kSecond;

// A line of three machines, as a scene would declare them.
struct Fixture {
  TelemetryNames names;
  std::vector<TelemetrySample> out;
  std::uint32_t op10 = names.intern_machine("OP10");
  std::uint32_t op20 = names.intern_machine("OP20");
  std::uint32_t buffer = names.intern_machine("B1");
  MessageDecoder decoder{names};

  DecodeResult decode(std::string_view payload, std::string_view topic = "plant/line1/OP10") {
    return decoder.decode(topic, payload, out);
  }
  std::string_view name(const TelemetrySample& sample) const {
    return names.names().at(sample.name);
  }
};

// Decodes a message that must fail, and checks that it changed nothing.
DecodeResult expect_fault(Fixture& f, std::string_view payload, MessageFault fault,
                          std::string_view topic = "plant/line1/OP10") {
  const std::size_t before = f.out.size();
  const std::size_t names_before = f.names.names().size();
  DecodeResult result = f.decode(payload, topic);
  CHECK_MESSAGE(result.fault == fault, payload, " -> ", result.detail);
  CHECK(result.samples == 0);
  CHECK_FALSE(result.detail.empty());
  CHECK(f.out.size() == before);
  CHECK(f.names.names().size() == names_before);
  return result;
}

TelemetrySample only_sample(Fixture& f, std::string_view payload,
                            std::string_view topic = "plant/line1/OP10") {
  f.out.clear();
  const DecodeResult result = f.decode(payload, topic);
  REQUIRE_MESSAGE(result.fault == MessageFault::kNone, payload, " -> ", result.detail);
  CHECK(result.detail.empty());
  REQUIRE(result.samples == 1);
  REQUIRE(f.out.size() == 1);
  return f.out[0];
}

}  // namespace

TEST_CASE("message decoder: fault names are distinct and cover every fault") {
  std::vector<std::string_view> seen;
  for (int i = 0; i < kMessageFaultCount; ++i) {
    const std::string_view name = message_fault_name(static_cast<MessageFault>(i));
    CHECK(name != "unknown");
    for (const std::string_view other : seen)
      CHECK(other != name);
    seen.push_back(name);
  }
  CHECK(message_fault_name(MessageFault::kNone) == "none");
  CHECK(message_fault_name(MessageFault::kTooManyNames) == "too_many_names");
}

TEST_CASE("message decoder: linetwin state, counter and sensor samples") {
  Fixture f;
  SUBCASE("a state with a reason") {
    const TelemetrySample s = only_sample(
        f, R"({"machine":"OP20","ts":"2026-11-26T08:00:00.123Z","seq":17,"state":"down",)"
           R"("reason":"jam"})");
    CHECK(s.kind == SampleKind::kState);
    CHECK(s.state == MachineState::kDown);
    CHECK(s.machine == f.op20);
    CHECK(s.timestamp_us == k0800 + 123'000);
    CHECK(s.sequence == 17);
    CHECK(f.name(s) == "jam");
    CHECK(s.value == 0.0);
  }
  SUBCASE("a state without reason has name 0, the empty name") {
    const TelemetrySample s = only_sample(f, R"({"ts":1795680000000,"state":"producing"})");
    CHECK(s.state == MachineState::kProducing);
    CHECK(s.name == 0);
    CHECK(s.sequence == 0);
    CHECK(s.machine == f.op10);  // from the topic
  }
  SUBCASE("a counter") {
    const TelemetrySample s =
        only_sample(f, R"({"machine":"OP10","ts":1795680000000,"counter":"good","value":1234})");
    CHECK(s.kind == SampleKind::kCounter);
    CHECK(f.name(s) == kGoodPartsCounter);
    CHECK(s.value == 1234.0);
    CHECK(s.timestamp_us == k0800);
  }
  SUBCASE("a sensor") {
    const TelemetrySample s = only_sample(
        f, R"({"machine":"B1","ts":"2026-11-26T08:00:00Z","sensor":"spindle_temp","value":41.5})");
    CHECK(s.kind == SampleKind::kSensor);
    CHECK(f.name(s) == "spindle_temp");
    CHECK(s.value == 41.5);
    CHECK(s.machine == f.buffer);
  }
  SUBCASE("field order does not matter, unknown fields are ignored, escapes are read") {
    const TelemetrySample s = only_sample(
        f, R"({"value":-3.25,"unit":{"si":["K",1]},"sensor":"t\u00e9mp","ts":1795680000000,)"
           R"("m\u0061chine":"OP20"})");
    CHECK(s.value == -3.25);
    CHECK(f.name(s) == "t\xc3\xa9mp");
    CHECK(s.machine == f.op20);
  }
  SUBCASE("names are interned once") {
    only_sample(f, R"({"ts":1795680000000,"counter":"scrap","value":1})");
    const std::size_t names = f.names.names().size();
    const TelemetrySample s = only_sample(f, R"({"ts":1795680000001,"counter":"scrap","value":2})");
    CHECK(f.names.names().size() == names);
    CHECK(f.name(s) == kScrapPartsCounter);
  }
  SUBCASE("the largest sequence number") {
    const TelemetrySample s =
        only_sample(f, R"({"ts":1795680000000,"state":"idle","seq":18446744073709551615})");
    CHECK(s.sequence == 18446744073709551615ULL);
  }
}

TEST_CASE("message decoder: every linetwin state name and every PackML state name") {
  Fixture f;
  for (int i = 0; i < kMachineStateCount; ++i) {
    const auto state = static_cast<MachineState>(i);
    const std::string payload = std::string(R"({"ts":1795680000000,"state":")") +
                                std::string(machine_state_name(state)) + "\"}";
    CHECK(only_sample(f, payload).state == state);
  }
  // The mapping of docs/telemetry-messages.md, written out again here.
  const std::pair<std::string_view, MachineState> packml[] = {
      {"Execute", MachineState::kProducing},  {"Idle", MachineState::kIdle},
      {"Starting", MachineState::kIdle},      {"Suspended", MachineState::kIdle},
      {"Suspending", MachineState::kIdle},    {"Unsuspending", MachineState::kIdle},
      {"Un-suspending", MachineState::kIdle}, {"Completing", MachineState::kIdle},
      {"Complete", MachineState::kIdle},      {"Resetting", MachineState::kIdle},
      {"Held", MachineState::kDown},          {"Holding", MachineState::kDown},
      {"Unholding", MachineState::kDown},     {"Un-holding", MachineState::kDown},
      {"Stopped", MachineState::kDown},       {"Stopping", MachineState::kDown},
      {"Aborting", MachineState::kDown},      {"Aborted", MachineState::kDown},
      {"Clearing", MachineState::kDown},
  };
  for (const auto& entry : packml) {  // no structured bindings: clang 14 cannot CAPTURE them
    const std::string_view name = entry.first;
    const MachineState state = entry.second;
    CAPTURE(name);
    CHECK(parse_reported_state(name) == state);
    const std::string payload =
        std::string(R"({"ts":1795680000000,"state":")") + std::string(name) + "\"}";
    CHECK(only_sample(f, payload).state == state);
  }
  CHECK_FALSE(parse_reported_state("execute").has_value());
  CHECK_FALSE(parse_reported_state("Running").has_value());
  CHECK_FALSE(parse_reported_state("").has_value());
}

TEST_CASE("message decoder: ISO 8601 times, zones and epoch milliseconds name the same instant") {
  Fixture f;
  const auto at = [&f](std::string_view ts_json) {
    return only_sample(f, std::string(R"({"state":"idle","ts":)") + std::string(ts_json) + "}")
        .timestamp_us;
  };
  const std::int64_t expected = k0800 + 123'000;
  CHECK(at(R"("2026-11-26T08:00:00.123Z")") == expected);
  CHECK(at(R"("2026-11-26T08:00:00.123000Z")") == expected);
  CHECK(at(R"("2026-11-26T08:00:00.1230009Z")") == expected);  // below 1 µs: truncated
  CHECK(at(R"("2026-11-26T09:00:00.123+01:00")") == expected);
  CHECK(at(R"("2026-11-26T13:30:00.123+05:30")") == expected);
  CHECK(at(R"("2026-11-26T03:00:00.123-05:00")") == expected);
  CHECK(at(R"("2026-11-25T22:00:00.123-10:00")") == expected);  // the day before, locally
  CHECK(at("1795680000123") == expected);
  CHECK(at("1795680000123.0") == expected);
  CHECK(at(R"("1795680000123")") == expected);
  CHECK(at("1795680000123.456") == expected + 456);
  CHECK(at(R"("2026-11-26T08:00:00.123456Z")") == expected + 456);
  CHECK(at("0") == 0);
  CHECK(at(R"("1970-01-01T00:00:00Z")") == 0);
  CHECK(at(R"("2024-02-29T23:59:59Z")") == 1'709'251'199 * kSecond);  // a leap day
}

TEST_CASE("message decoder: batches") {
  Fixture f;
  SUBCASE("the batch's machine, overridden per sample") {
    const DecodeResult r =
        f.decode(R"({"machine":"OP20","samples":[)"
                 R"({"ts":1795680000000,"seq":1,"state":"producing"},)"
                 R"({"ts":1795680001000,"seq":2,"counter":"good","value":1},)"
                 R"({"ts":1795680002000,"seq":3,"machine":"B1","sensor":"level","value":4}]})");
    REQUIRE(r.fault == MessageFault::kNone);
    REQUIRE(r.samples == 3);
    CHECK(f.out[0].machine == f.op20);
    CHECK(f.out[1].machine == f.op20);
    CHECK(f.out[2].machine == f.buffer);
    CHECK(f.out[1].timestamp_us == k0800 + kSecond);
    CHECK(f.out[2].sequence == 3);
    CHECK(f.name(f.out[2]) == "level");
  }
  SUBCASE("the machine may follow the samples") {
    const DecodeResult r =
        f.decode(R"({"samples":[{"ts":1795680000000,"state":"idle"}],"machine":"OP20"})");
    REQUIRE(r.samples == 1);
    CHECK(f.out[0].machine == f.op20);
  }
  SUBCASE("without a machine, the topic's last level names it") {
    const DecodeResult r =
        f.decode(R"({"samples":[{"ts":1795680000000,"state":"idle"}]})", "linetwin/telemetry/B1");
    REQUIRE(r.samples == 1);
    CHECK(f.out[0].machine == f.buffer);
    // A topic of one level is its own last level.
    REQUIRE(f.decode(R"({"ts":1795680000000,"state":"idle"})", "OP20").samples == 1);
    CHECK(f.out[1].machine == f.op20);
  }
  SUBCASE("an empty batch is a message without samples") {
    const DecodeResult r = f.decode(R"({"machine":"OP10","samples":[]})");
    CHECK(r.fault == MessageFault::kNone);
    CHECK(r.samples == 0);
  }
  SUBCASE("samples are appended after what the vector holds") {
    f.out.resize(2);
    REQUIRE(f.decode(R"({"samples":[{"ts":0,"state":"idle"},{"ts":1,"state":"down"}]})").samples ==
            2);
    REQUIRE(f.out.size() == 4);
    CHECK(f.out[3].state == MachineState::kDown);
    CHECK(f.out[3].timestamp_us == 1000);
  }
  SUBCASE("the same new name twice in one message is one name") {
    const std::size_t names = f.names.names().size();
    REQUIRE(f.decode(R"({"samples":[{"ts":0,"sensor":"rpm","value":1},)"
                     R"({"ts":1,"sensor":"rpm","value":2},{"ts":2,"sensor":"load","value":3}]})")
                .samples == 3);
    CHECK(f.names.names().size() == names + 2);
    CHECK(f.out[0].name == f.out[1].name);
    CHECK(f.name(f.out[1]) == "rpm");
    CHECK(f.name(f.out[2]) == "load");
  }
}

TEST_CASE("message decoder: machines are the scene's, looked up not added") {
  Fixture f;
  const std::size_t machines = f.names.machines().size();
  DecodeResult r =
      expect_fault(f, R"({"machine":"OP99","ts":0,"state":"idle"})", MessageFault::kUnknownMachine);
  CHECK(r.detail == "machine: 'OP99' is not a machine of the scene");
  r = expect_fault(f, R"({"ts":0,"state":"idle"})", MessageFault::kUnknownMachine, "plant/OP99");
  CHECK(r.detail ==
        "machine: no 'machine' field, and the topic's last level 'OP99' is not a machine of the "
        "scene");
  r = expect_fault(f, R"({"ts":0,"state":"idle"})", MessageFault::kMissingField, "plant/");
  CHECK(r.detail.starts_with("machine: missing;"));
  expect_fault(f, R"({"ts":0,"state":"idle"})", MessageFault::kMissingField, "");
  // A batch's own machine must exist even when every sample names its own.
  r = expect_fault(f, R"({"machine":"OP99","samples":[{"machine":"OP10","ts":0,"state":"idle"}]})",
                   MessageFault::kUnknownMachine);
  CHECK(r.detail == "machine: 'OP99' is not a machine of the scene");
  r = expect_fault(f,
                   R"({"samples":[{"ts":0,"state":"idle"},{"machine":"X","ts":0,"state":"idle"}]})",
                   MessageFault::kUnknownMachine);
  CHECK(r.detail == "samples[1].machine: 'X' is not a machine of the scene");
  CHECK(f.names.machines().size() == machines);

  // A machine interned after the decoder was made is found.
  const std::uint32_t late = f.names.intern_machine("OP99");
  CHECK(only_sample(f, R"({"machine":"OP99","ts":0,"state":"idle"})").machine == late);
}

TEST_CASE("message decoder: syntax faults") {
  Fixture f;
  const char* const truncated[] = {
      R"({"machine":"OP10","ts":0,"state":"idle")",
      R"({"machine":"OP10","ts":0,"state":"id)",
      R"({"machine":"OP10","ts":0,"state":)",
      R"({"machine":"OP10","ts":)",
      R"({"samples":[{"ts":0,"state":"idle"},)",
      R"({"samples":[{"ts":0,"state":"idle"})",
      R"({)",
      R"({"Messages":[{"Payload":{"State":"Execute"})",
  };
  for (const char* payload : truncated)
    expect_fault(f, payload, MessageFault::kSyntax);
  const char* const invalid[] = {
      R"({"ts":0,"state":"idle"} {})",              // two documents
      R"({"ts":0,"state":"idle"}])",                // trailing bracket
      R"({"ts":0,"state":"idle",})",                // trailing comma
      R"({"ts":0 "state":"idle"})",                 // missing comma
      R"({'ts':0,"state":"idle"})",                 // single quotes
      R"({"ts":0,"state":"idle","value":NaN})",     // NaN is not JSON
      R"({"ts":0,"sensor":"t","value":Infinity})",  //
      R"({"ts":0,"sensor":"t","value":01})",        // leading zero
      R"({"ts":0,"sensor":"t","value":1.})",        //
      R"({"ts":0,"state":"idle","x":tru})",         // a broken literal in a field we skip
      "{\"ts\":0,\"state\":\"id\x01le\"}",          // a raw control character
      "{\"ts\":0,\"state\":\"\xff\"}",              // not UTF-8
  };
  for (const std::string_view payload : invalid) {
    CAPTURE(payload);
    const DecodeResult r = f.decode(payload);
    CHECK(r.fault != MessageFault::kNone);
    CHECK(f.out.empty());
  }
  // Those that must be syntax faults, whatever simdjson skips.
  expect_fault(f, R"({"ts":0,"state":"idle"} {})", MessageFault::kSyntax);
  expect_fault(f, R"({"ts":0,"state":"idle",})", MessageFault::kSyntax);
  expect_fault(f, R"({"ts":0,"state":"idle","value":NaN})", MessageFault::kSyntax);
  expect_fault(f, "{\"ts\":0,\"state\":\"\xff\"}", MessageFault::kSyntax);
  // Fields that no format uses are still read to the end, and must be JSON.
  expect_fault(f, R"({"ts":0,"state":"idle","x":tru})", MessageFault::kSyntax);
  expect_fault(f, R"({"ts":0,"state":"idle","x":[1,{"y":nul}]})", MessageFault::kSyntax);
  expect_fault(f, R"({"ts":0,"state":"idle","x":[01]})", MessageFault::kSyntax);
  CHECK(only_sample(f, R"({"ts":0,"state":"idle","x":[1e400,{"y":null,"z":"é"}]})").state ==
        MachineState::kIdle);
  f.out.clear();

  SUBCASE("empty payloads") {
    DecodeResult r = expect_fault(f, "", MessageFault::kSyntax);
    CHECK(r.detail == "(message): the payload is empty; expected a JSON object");
    expect_fault(f, " \n\t", MessageFault::kSyntax);
    expect_fault(f, std::string_view("\0", 1), MessageFault::kSyntax);
  }
  SUBCASE("duplicate fields") {
    DecodeResult r =
        expect_fault(f, R"({"ts":0,"state":"idle","state":"down"})", MessageFault::kSyntax);
    CHECK(r.detail == "state: duplicate field; each field may appear once");
    r = expect_fault(f, R"({"machine":"OP10","machine":"OP20","ts":0,"state":"idle"})",
                     MessageFault::kSyntax);
    CHECK(r.detail.starts_with("machine: duplicate field"));
    r = expect_fault(f, R"({"samples":[{"ts":0,"ts":1,"state":"idle"}]})", MessageFault::kSyntax);
    CHECK(r.detail.starts_with("samples[0].ts: duplicate field"));
    expect_fault(f, R"({"samples":[],"samples":[]})", MessageFault::kSyntax);
  }
  SUBCASE("deep nesting") {
    const std::string deep_array(100'000, '[');
    DecodeResult r = expect_fault(f, deep_array, MessageFault::kSyntax);  // and never closed
    CHECK(r.detail == "(message): nested deeper than 64 levels");
    std::string deep_field = R"({"ts":0,"state":"idle","x":)";
    deep_field += std::string(100'000, '[') + std::string(100'000, ']') + "}";
    r = expect_fault(f, deep_field, MessageFault::kSyntax);
    CHECK(r.detail == "x: nested deeper than 64 levels");
    // Within the depth limit, a nested field that no format knows is skipped.
    std::string nested = R"({"ts":0,"state":"idle","x":)";
    nested += std::string(30, '[') + std::string(30, ']') + "}";
    CHECK(f.decode(nested).samples == 1);
  }
}

TEST_CASE("message decoder: a message must be one JSON object") {
  Fixture f;
  // Well-formed JSON of another type: the wrong type of message.
  const std::pair<const char*, const char*> roots[] = {
      {R"([{"ts":0,"state":"idle"}])", "an array"},
      {"[1,2]", "an array"},
      {"[]", "an array"},
      {R"([[],{"a":[1,null]}])", "an array"},
      {R"("idle")", "a string"},
      {R"("str")", "a string"},
      {"17", "the number 17"},
      {"42", "the number 42"},
      {" 42 \n", "the number 42"},
      {"1e400", "the number 1e400"},  // JSON, if out of a double's range
      {"null", "null"},
      {"true", "a boolean"},
  };
  for (const auto& [payload, found] : roots) {
    const DecodeResult r = expect_fault(f, payload, MessageFault::kWrongType);
    CHECK(r.detail == std::string("(message): expected a JSON object, found ") + found);
  }
  // An object without a field of either format.
  const DecodeResult r = expect_fault(f, "{}", MessageFault::kMissingField);
  CHECK(r.detail.starts_with("(message): expected a linetwin sample"));
  expect_fault(f, R"({"note":"hello"})", MessageFault::kMissingField);
}

TEST_CASE("message decoder: a payload that is not JSON is a syntax fault, however it starts") {
  Fixture f;
  const std::string_view not_json[] = {
      "hello",
      "hello world",
      "NaN",
      "'x'",
      "}",
      "]",
      "-",
      "01",
      "42x",
      "tru",
      "nul",
      "nulli",  // simdjson 3.0 alone would take these for null and false
      "falsey",
      std::string_view("\0\x01\x02\x03", 4),  // binary
      "\x10\x7fgarbage\x1b",
      "\xff\xfe\xfd",  // not UTF-8
      "\xc3\x28",
      "[1,2",  // a value that starts well, then breaks
      "[1,2]]",
      "[1,2] x",
      "[01]",
      R"(["a",])",
      R"("str)",
      R"("str" x)",
      R"("\x")",
      "42 x",
      "4 2",
      "null x",
      "true false",
      "\xef\xbb\xbf{\"ts\":0,\"state\":\"idle\"}",  // a byte order mark first
  };
  for (const std::string_view payload : not_json) {
    CAPTURE(payload);
    const DecodeResult r = expect_fault(f, payload, MessageFault::kSyntax);
    CHECK(r.detail.starts_with("(message): "));
  }
  CHECK(expect_fault(f, "hello", MessageFault::kSyntax).detail ==
        "(message): invalid JSON (found 'hello'); expected a JSON object");
  CHECK(expect_fault(f, "[1,2]]", MessageFault::kSyntax).detail ==
        "(message): invalid JSON (content after an array)");
  CHECK(expect_fault(f, "42 x", MessageFault::kSyntax).detail ==
        "(message): invalid JSON (content after a number)");
  CHECK(expect_fault(f, "\xef\xbb\xbf{}", MessageFault::kSyntax)
            .detail.starts_with("(message): invalid JSON (it starts with a byte order mark"));
}

TEST_CASE("message decoder: a broken text is a syntax fault, even after another fault") {
  // The decoder meets the first fault of each of these before the text breaks; the text decides.
  struct Case {
    const char* broken;
    const char* json;  // the same message, made JSON
    MessageFault fault_of_json;
  };
  const Case cases[] = {
      {R"({"ts":"yesterday","state":tru})", R"({"ts":"yesterday","state":true})",
       MessageFault::kBadTimestamp},
      {R"({"ts":0,"seq":-1,"state":"idle","x":01})", R"({"ts":0,"seq":-1,"state":"idle","x":1})",
       MessageFault::kWrongType},
      {R"({"ts":0,"state":"Running","x":[1,]})", R"({"ts":0,"state":"Running","x":[1]})",
       MessageFault::kBadState},
      {R"({"ts":"noon","state":"idle"}})", R"({"ts":"noon","state":"idle"})",
       MessageFault::kBadTimestamp},
      {R"({"ts":0,"state":"idle","machine":7,"y":nul})",
       R"({"ts":0,"state":"idle","machine":7,"y":null})", MessageFault::kWrongType},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"noon","Payload":{"A":1}}],"x":"\q"})",
       R"({"MessageType":"ua-data","Messages":[{"Timestamp":"noon","Payload":{"A":1}}],"x":"q"})",
       MessageFault::kBadTimestamp},
  };
  for (const Case& c : cases) {
    Fixture f;
    const std::string_view broken = c.broken;
    CAPTURE(broken);
    expect_fault(f, c.json, c.fault_of_json);
    expect_fault(f, c.broken, MessageFault::kSyntax);
  }
  // Too many samples, then a broken value.
  TelemetryNames names;
  names.intern_machine("OP10");
  MessageDecoder decoder(names, DecoderLimits{1024, 2});
  std::vector<TelemetrySample> out;
  const std::string samples = R"({"samples":[{"ts":0,"state":"idle"},{"ts":1,"state":"idle"},)"
                              R"({"ts":2,"state":"idle"}],"x":)";
  CHECK(decoder.decode("line/OP10", samples + "true}", out).fault == MessageFault::kOversized);
  CHECK(decoder.decode("line/OP10", samples + "tru}", out).fault == MessageFault::kSyntax);
  CHECK(out.empty());
}

TEST_CASE("message decoder: wrong types and missing fields, with their paths") {
  Fixture f;
  struct Case {
    const char* payload;
    MessageFault fault;
    const char* detail;
  };
  const Case cases[] = {
      {R"({"machine":10,"ts":0,"state":"idle"})", MessageFault::kWrongType,
       "machine: expected a machine id (a string), found the number 10"},
      {R"({"ts":0,"state":3})", MessageFault::kWrongType,
       "state: expected a state name (a string), found the number 3"},
      {R"({"ts":0,"seq":-1,"state":"idle"})", MessageFault::kWrongType,
       "seq: expected a sequence number (an unsigned integer), found the number -1"},
      {R"({"ts":0,"seq":1.5,"state":"idle"})", MessageFault::kWrongType,
       "seq: expected a sequence number (an unsigned integer), found the number 1.5"},
      {R"({"ts":0,"seq":"7","state":"idle"})", MessageFault::kWrongType,
       "seq: expected a sequence number (an unsigned integer), found a string"},
      {R"({"ts":0,"seq":18446744073709551616,"state":"idle"})", MessageFault::kWrongType,
       "seq: expected a sequence number (an unsigned integer), found the number "
       "18446744073709551616"},
      {R"({"ts":0,"counter":"good","value":"12"})", MessageFault::kWrongType,
       "value: expected a number, found a string"},
      {R"({"ts":0,"counter":"good","value":true})", MessageFault::kWrongType,
       "value: expected a number, found a boolean"},
      {R"({"ts":0,"counter":"good","value":null})", MessageFault::kWrongType,
       "value: expected a number, found null"},
      {R"({"ts":0,"sensor":"t","value":1e400})", MessageFault::kWrongType,
       "value: expected a number, found 1e400, out of range"},
      {R"({"ts":0,"counter":"good","value":-1})", MessageFault::kWrongType,
       "value: expected a counter reading (a number >= 0), found -1"},
      {R"({"ts":0,"counter":"","value":1})", MessageFault::kWrongType,
       "counter: expected a name of 1 to 128 printable characters, found an empty string"},
      {R"({"ts":0,"sensor":"a\nb","value":1})", MessageFault::kWrongType,
       "sensor: expected a name of 1 to 128 printable characters, found 'a?b'"},
      {R"({"ts":0,"state":"idle","value":1})", MessageFault::kWrongType,
       "value: a state sample has no value"},
      {R"({"ts":0,"counter":"good","value":1,"reason":"x"})", MessageFault::kWrongType,
       "reason: only a state sample has a reason"},
      {R"({"ts":0,"state":"idle","counter":"good","value":1})", MessageFault::kWrongType,
       "(message): a sample has exactly one of 'state', 'counter' and 'sensor', found several"},
      {R"({"ts":0})", MessageFault::kMissingField,
       "(message): expected one of 'state', 'counter' or 'sensor'"},
      {R"({"state":"idle"})", MessageFault::kMissingField, nullptr},
      {R"({"ts":0,"counter":"good"})", MessageFault::kMissingField,
       "value: missing; expected the counter's reading (a number)"},
      {R"({"ts":0,"sensor":"t"})", MessageFault::kMissingField,
       "value: missing; expected the sensor's value (a number)"},
      {R"({"samples":{}})", MessageFault::kWrongType,
       "samples: expected an array of samples, found an object"},
      {R"({"samples":[{"ts":0,"state":"idle"},7]})", MessageFault::kWrongType,
       "samples[1]: expected a sample (an object), found the number 7"},
      {R"({"samples":[{"ts":0,"state":"idle"},{"ts":0,"counter":"good","value":"x"}]})",
       MessageFault::kWrongType, "samples[1].value: expected a number, found a string"},
      {R"({"samples":[{"ts":0,"state":"idle"},{"state":"idle"}]})", MessageFault::kMissingField,
       nullptr},
      {R"({"samples":[{"ts":0,"state":"idle","samples":[]}]})", MessageFault::kWrongType,
       "samples[0].samples: a sample cannot hold a batch"},
      {R"({"ts":0,"samples":[]})", MessageFault::kWrongType,
       "ts: a batch has only 'machine' and 'samples'; this field belongs in each sample"},
      {R"({"ts":0,"state":"idle","Messages":[]})", MessageFault::kWrongType,
       "(message): expected a linetwin message or an OPC UA NetworkMessage, found fields of both "
       "('ts' and 'Messages')"},
      {R"({"ts":0,"state":"Running"})", MessageFault::kBadState,
       "state: expected a state (producing, idle, blocked, down, setup, off_shift, unknown, or a "
       "PackML state such as Execute or Held), found 'Running'"},
      {R"({"ts":0,"state":"PRODUCING"})", MessageFault::kBadState, nullptr},
  };
  for (const Case& c : cases) {
    CAPTURE(c.payload);
    const DecodeResult r = expect_fault(f, c.payload, c.fault);
    if (c.detail != nullptr) CHECK(r.detail == c.detail);
  }
  const DecodeResult r = expect_fault(
      f, R"({"samples":[{"ts":0,"state":"idle"},{"state":"idle"}]})", MessageFault::kMissingField);
  CHECK(r.detail.starts_with("samples[1].ts: missing; expected the sample's time: an ISO 8601"));
}

TEST_CASE("message decoder: bad timestamps") {
  Fixture f;
  const char* const bad[] = {
      R"("2026-11-26T08:00:00")",              // no time zone: local to where?
      R"("2026-11-26")",                       // a date only
      R"("2026-02-29T08:00:00Z")",             // not a leap year
      R"("2026-11-31T08:00:00Z")",             // November has 30 days
      R"("2026-11-26T24:00:00Z")",             //
      R"("2026-11-26T08:60:00Z")",             //
      R"("2026-11-26T23:59:60Z")",             // leap seconds are not kept
      R"("2026-11-26T08:00:00+24:00")",        //
      R"("2026-11-26T08:00:00.Z")",            // a point without digits
      R"("2026-11-26T08:00:00.1234567890Z")",  // more than 9 fraction digits
      R"("26-11-2026T08:00:00Z")",             //
      R"("2026-11-26T08:00:00Z ")",            // nothing around it
      R"("")",                                 //
      R"("now")",                              //
      "-1",                                    // before the epoch as a number
      "1.7e12",                                // epoch milliseconds are written out
      "1795680000123.4567",                    // below a microsecond
      "253402300800000",                       // after 9999-12-31
      "true",                                  //
      "null",                                  //
      R"({"ms":0})",                           //
  };
  for (const char* ts : bad) {
    CAPTURE(ts);
    const std::string payload = std::string(R"({"state":"idle","ts":)") + ts + "}";
    const DecodeResult r = expect_fault(f, payload, MessageFault::kBadTimestamp);
    CHECK(r.detail.starts_with("ts: expected an ISO 8601 time"));
  }
  const DecodeResult r = expect_fault(
      f,
      R"({"samples":[{"ts":"2026-11-26T08:00:00Z","state":"idle"},{"ts":"yesterday","state":"idle"}]})",
      MessageFault::kBadTimestamp);
  CHECK(r.detail.starts_with("samples[1].ts: expected"));
  CHECK(r.detail.ends_with("found 'yesterday'"));
}

TEST_CASE("message decoder: limits") {
  TelemetryNames names;
  names.intern_machine("OP10");
  std::vector<TelemetrySample> out;
  SUBCASE("an oversized payload is refused before parsing") {
    MessageDecoder decoder(names, DecoderLimits{64, 100});
    const std::string big = R"({"ts":0,"state":"idle","pad":")" + std::string(40, 'x') + "\"}";
    REQUIRE(big.size() == 72);
    const DecodeResult r = decoder.decode("OP10", big, out);
    CHECK(r.fault == MessageFault::kOversized);
    CHECK(r.detail == "(message): the payload has 72 bytes, more than the limit of 64");
    // Even when it is not JSON at all.
    CHECK(decoder.decode("OP10", std::string(65, '\xff'), out).fault == MessageFault::kOversized);
    CHECK(decoder.decode("OP10", R"({"ts":0,"state":"idle"})", out).samples == 1);
  }
  SUBCASE("too many samples in one message") {
    MessageDecoder decoder(names, DecoderLimits{4096, 2});
    const std::string two = R"({"samples":[{"ts":0,"state":"idle"},{"ts":1,"state":"down"}]})";
    CHECK(decoder.decode("OP10", two, out).samples == 2);
    const std::string three =
        R"({"samples":[{"ts":0,"state":"idle"},{"ts":1,"state":"down"},{"ts":2,"state":"idle"}]})";
    const DecodeResult r = decoder.decode("OP10", three, out);
    CHECK(r.fault == MessageFault::kOversized);
    CHECK(r.detail == "samples[2]: more than 2 samples in one message");
    CHECK(out.size() == 2);
  }
  SUBCASE("a message of exactly the limit is read") {
    const std::string payload = R"({"ts":0,"state":"idle"})";
    MessageDecoder decoder(names, DecoderLimits{payload.size(), 1});
    CHECK(decoder.decode("OP10", payload, out).samples == 1);
  }
}

TEST_CASE("message decoder: the name table holds 65,536 names, and a full table is a fault") {
  Fixture f;
  // Fill the table up to one free place (index 0 is the empty name).
  while (f.names.names().size() < 65535) {
    std::string name = std::to_string(f.names.names().size());
    name.insert(0, 1, 'n');  // appending, since GCC 12 warns falsely about "n" + std::string
    f.names.intern_name(name);
  }
  // Known names still work; one new name fits; two new names in one message do not.
  CHECK(only_sample(f, R"({"ts":0,"sensor":"n17","value":1})").name == 17);
  const DecodeResult r = expect_fault(
      f, R"({"samples":[{"ts":0,"sensor":"new1","value":1},{"ts":0,"sensor":"new2","value":1}]})",
      MessageFault::kTooManyNames);
  CHECK(r.detail ==
        "samples[1].sensor: 'new2' would be a new name, and the table of 65536 names "
        "is full");
  const TelemetrySample last = only_sample(f, R"({"ts":0,"state":"down","reason":"last"})");
  CHECK(last.name == 65535);
  CHECK(f.name(last) == "last");
  expect_fault(f, R"({"ts":0,"state":"down","reason":"one too many"})",
               MessageFault::kTooManyNames);
  CHECK(only_sample(f, R"({"ts":0,"state":"down","reason":"last"})").name == 65535);
}

TEST_CASE("message decoder: a message may bring thousands of new names") {
  Fixture f;
  std::string batch = R"({"samples":[)";
  for (int i = 0; i < 5000; ++i) {
    if (i > 0) batch += ',';
    batch += R"({"ts":0,"sensor":"channel_)" + std::to_string(i) + R"(","value":1})";
  }
  batch += "]}";
  const std::size_t names = f.names.names().size();
  REQUIRE(f.decode(batch).samples == 5000);
  CHECK(f.names.names().size() == names + 5000);
  CHECK(f.name(f.out[4321]) == "channel_4321");
  // The next message finds them interned.
  const std::uint16_t channel_17 = f.out[17].name;
  CHECK(only_sample(f, R"({"ts":0,"sensor":"channel_17","value":2})").name == channel_17);
  CHECK(f.names.names().size() == names + 5000);
}

TEST_CASE("message decoder: all or nothing") {
  Fixture f;
  f.out.push_back(TelemetrySample{});
  f.out[0].sequence = 99;
  const std::size_t names = f.names.names().size();
  // Good samples with new names, then a bad one: nothing of it stays.
  expect_fault(f,
               R"({"samples":[{"ts":0,"sensor":"new_channel","value":1},)"
               R"({"ts":0,"state":"down","reason":"new_reason"},{"ts":0,"state":"crashed"}]})",
               MessageFault::kBadState);
  CHECK(f.out.size() == 1);
  CHECK(f.out[0].sequence == 99);
  CHECK(f.names.names().size() == names);
  // The same in an OPC UA NetworkMessage whose second DataSetMessage is bad.
  expect_fault(f,
               R"({"MessageId":"1","MessageType":"ua-data","Messages":[)"
               R"({"DataSetWriterName":"OP10","Timestamp":"2026-11-26T08:00:00Z",)"
               R"("Payload":{"Torque":3.5,"State":"Execute"}},)"
               R"({"DataSetWriterName":"OP99","Timestamp":"2026-11-26T08:00:00Z",)"
               R"("Payload":{"State":"Execute"}}]})",
               MessageFault::kUnknownMachine, "opcua/json/data/gateway");
  CHECK(f.out.size() == 1);
  CHECK(f.names.names().size() == names);
}

// ---- OPC UA PubSub JSON (OPC 10000-14, 7.2.5), in the spec's NetworkMessage layout ----------

TEST_CASE("message decoder: OPC UA NetworkMessage with plain values (non-reversible)") {
  Fixture f;
  const DecodeResult r = f.decode(R"({
    "MessageId": "32235546-05d9-4fd7-97df-ea3ff3408574",
    "MessageType": "ua-data",
    "PublisherId": "gateway-hall3",
    "Messages": [
      {
        "DataSetWriterId": 1,
        "DataSetWriterName": "OP20",
        "SequenceNumber": 224,
        "MetaDataVersion": {"MajorVersion": 672341762, "MinorVersion": 672341762},
        "Timestamp": "2026-11-26T08:00:00.5Z",
        "Payload": {
          "State": "Held",
          "StopReason": "jam",
          "GoodParts": 1200,
          "ScrapParts": 3,
          "SpindleTemp": 41.5,
          "DoorOpen": true,
          "ProgramName": "P-100",
          "Axes": [1, 2, 3]
        }
      }
    ]
  })");
  REQUIRE_MESSAGE(r.fault == MessageFault::kNone, r.detail);
  REQUIRE(r.samples == 5);
  const std::int64_t at = k0800 + 500'000;
  for (const TelemetrySample& s : f.out) {
    CHECK(s.machine == f.op20);
    CHECK(s.timestamp_us == at);
    CHECK(s.sequence == 224);
  }
  CHECK(f.out[0].kind == SampleKind::kState);
  CHECK(f.out[0].state == MachineState::kDown);
  CHECK(f.name(f.out[0]) == "jam");
  CHECK(f.out[1].kind == SampleKind::kCounter);
  CHECK(f.name(f.out[1]) == kGoodPartsCounter);
  CHECK(f.out[1].value == 1200.0);
  CHECK(f.name(f.out[2]) == kScrapPartsCounter);
  CHECK(f.out[2].value == 3.0);
  CHECK(f.out[3].kind == SampleKind::kSensor);
  CHECK(f.name(f.out[3]) == "SpindleTemp");
  CHECK(f.out[3].value == 41.5);
  CHECK(f.name(f.out[4]) == "DoorOpen");
  CHECK(f.out[4].value == 1.0);
}

TEST_CASE("message decoder: OPC UA reversible encoding (Type/Body) and DataValues") {
  Fixture f;
  // 1.04 reversible: Variants as {"Type":..,"Body":..}; DataValues as {"Value":<Variant>,...};
  // Int64/UInt64 written as strings; a LocalizedText (Type 21) for the state.
  const DecodeResult r = f.decode(R"({
    "MessageId": "1", "MessageType": "ua-data", "PublisherId": "OP10",
    "Messages": [{
      "DataSetWriterId": "7", "SequenceNumber": 5, "Timestamp": "2026-11-26T08:00:00Z",
      "Payload": {
        "State": {"Value": {"Type": 21, "Body": {"Locale": "en", "Text": "Execute"}},
                  "SourceTimestamp": "2026-11-26T07:59:58Z"},
        "GoodParts": {"Value": {"Type": 9, "Body": "9007199254740993"},
                      "SourceTimestamp": "2026-11-26T07:59:59.25Z"},
        "Temperature": {"Type": 11, "Body": 20.5},
        "Pressure": {"Value": {"Type": 11, "Body": 1.5}, "Status": 2150891520}
      }
    }]
  })");
  REQUIRE_MESSAGE(r.fault == MessageFault::kNone, r.detail);
  REQUIRE(r.samples == 3);  // Pressure's status is Bad_... (0x80350000): not a reading
  CHECK(f.out[0].state == MachineState::kProducing);
  CHECK(f.out[0].timestamp_us == k0800 - 2 * kSecond);  // its own SourceTimestamp
  CHECK(f.out[0].machine == f.op10);                    // the PublisherId
  CHECK(f.out[1].value == 9007199254740992.0);          // 2^53 + 1 as the nearest double
  CHECK(f.out[1].timestamp_us == k0800 - 750'000);
  CHECK(f.name(f.out[2]) == "Temperature");
  CHECK(f.out[2].value == 20.5);
  CHECK(f.out[2].timestamp_us == k0800);  // the DataSetMessage's Timestamp
  CHECK(f.out[2].sequence == 5);
}

TEST_CASE("message decoder: OPC UA 1.05 encodings (UaType/Value, verbose StatusCode)") {
  Fixture f;
  const DecodeResult r = f.decode(R"({
    "MessageId": "2", "MessageType": "ua-data",
    "Messages": [{
      "DataSetWriterId": 3, "DataSetWriterName": "OP20", "SequenceNumber": 9,
      "MessageType": "ua-deltaframe", "Timestamp": "2026-11-26T09:00:00+01:00",
      "Payload": {
        "State": {"UaType": 12, "Value": "Suspended"},
        "ScrapParts": {"UaType": 8, "Value": "12"},
        "Vibration": {"UaType": 11, "Value": 0.25, "Status": {"Code": 1073741824, "Symbol": "Uncertain"}},
        "Matrix": {"UaType": 11, "Value": [1, 2, 3, 4], "Dimensions": [2, 2]}
      }
    }]
  })");
  REQUIRE_MESSAGE(r.fault == MessageFault::kNone, r.detail);
  REQUIRE(r.samples == 3);
  CHECK(f.out[0].state == MachineState::kIdle);
  CHECK(f.out[0].timestamp_us == k0800);
  CHECK(f.out[1].value == 12.0);
  CHECK(f.out[2].value == 0.25);  // Uncertain is not Bad: kept
  for (const TelemetrySample& s : f.out)
    CHECK(s.machine == f.op20);
}

TEST_CASE("message decoder: OPC UA enumeration text, keep-alives and non-data messages") {
  Fixture f;
  SUBCASE("an enumeration written as Name_Value") {
    const TelemetrySample s =
        only_sample(f, R"({"MessageType":"ua-data","Messages":[{"DataSetWriterId":1,)"
                       R"("Timestamp":"2026-11-26T08:00:00Z","Payload":{"State":"Aborted_8"}}]})");
    CHECK(s.state == MachineState::kDown);
    CHECK(s.machine == f.op10);  // the topic's last level
  }
  SUBCASE("a keep-alive DataSetMessage has no samples") {
    const DecodeResult r =
        f.decode(R"({"MessageId":"3","MessageType":"ua-data","Messages":[)"
                 R"({"DataSetWriterId":1,"SequenceNumber":10,"MessageType":"ua-keepalive"}]})");
    CHECK(r.fault == MessageFault::kNone);
    CHECK(r.samples == 0);
  }
  SUBCASE("metadata and status messages are not telemetry, nor faults") {
    DecodeResult r =
        f.decode(R"({"MessageId":"4","MessageType":"ua-metadata","PublisherId":"OP10",)"
                 R"("DataSetWriterId":1,"MetaData":{"Name":"Status","Fields":[]}})");
    CHECK(r.fault == MessageFault::kNone);
    CHECK(r.samples == 0);
    r = f.decode(R"({"MessageId":"5","MessageType":"ua-status","PublisherId":"OP10",)"
                 R"("Status":1,"Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
                 R"("Payload":{"T":1,"N":"new_name"}}]})");
    CHECK(r.fault == MessageFault::kNone);
    CHECK(r.samples == 0);
    CHECK(f.out.empty());
  }
  SUBCASE("a DataSetMessage whose Status is Bad yields nothing") {
    const DecodeResult r =
        f.decode(R"({"MessageType":"ua-data","Messages":[{"Status":2147483648,)"
                 R"("Timestamp":"2026-11-26T08:00:00Z","Payload":{"State":"Execute","T":1}},)"
                 R"({"Timestamp":"2026-11-26T08:00:00Z","Payload":{"GoodParts":5}}]})");
    REQUIRE(r.fault == MessageFault::kNone);
    REQUIRE(r.samples == 1);
    CHECK(f.out[0].value == 5.0);
  }
  SUBCASE("null values and DataValues without a value are skipped") {
    const DecodeResult r = f.decode(
        R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
        R"("Payload":{"State":null,"GoodParts":{"Status":2147483648},"T":{"Type":0},"U":1}}]})");
    REQUIRE(r.fault == MessageFault::kNone);
    REQUIRE(r.samples == 1);
    CHECK(f.name(f.out[0]) == "U");
  }
  SUBCASE("an integer StopReason is a reason code") {
    const DecodeResult r =
        f.decode(R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
                 R"("Payload":{"StopReason":{"Type":6,"Body":42},"State":"Stopped"}}]})");
    REQUIRE(r.samples == 1);
    CHECK(f.out[0].state == MachineState::kDown);
    CHECK(f.name(f.out[0]) == "42");
  }
  SUBCASE("a StopReason without a State (a delta frame) is ignored") {
    const std::size_t names = f.names.names().size();
    const DecodeResult r =
        f.decode(R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
                 R"("Payload":{"StopReason":"overheated","GoodParts":7}}]})");
    REQUIRE(r.samples == 1);
    CHECK(f.out[0].kind == SampleKind::kCounter);
    CHECK(f.names.names().size() == names + 1);  // "good", not "overheated"
    CHECK(f.names.names().back() == kGoodPartsCounter);
  }
  SUBCASE("several DataSetMessages of several machines") {
    const DecodeResult r = f.decode(
        R"({"MessageType":"ua-data","PublisherId":"gw","Messages":[)"
        R"({"DataSetWriterName":"OP10","SequenceNumber":1,"Timestamp":"2026-11-26T08:00:00Z",)"
        R"("Payload":{"GoodParts":1}},)"
        R"({"DataSetWriterName":"OP20","SequenceNumber":2,"Timestamp":"2026-11-26T08:00:01Z",)"
        R"("Payload":{"GoodParts":2,"State":"Execute"}}]})",
        "opcua/json/data/gw");
    REQUIRE(r.samples == 3);
    CHECK(f.out[0].machine == f.op10);
    CHECK(f.out[0].sequence == 1);
    CHECK(f.out[1].machine == f.op20);
    CHECK(f.out[2].machine == f.op20);
    CHECK(f.out[2].timestamp_us == k0800 + kSecond);
  }
}

TEST_CASE("message decoder: which OPC UA field names the machine") {
  Fixture f;
  const auto machine_of = [&f](std::string_view header, std::string_view payload_extra,
                               std::string_view topic) {
    const std::string message = std::string(R"({"MessageType":"ua-data",)") + std::string(header) +
                                R"("Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)" +
                                R"("Payload":{"GoodParts":1)" + std::string(payload_extra) + "}}]}";
    return only_sample(f, message, topic).machine;
  };
  // Payload.MachineId first; then DataSetWriterName, PublisherId, topic: the first that is a
  // machine of the scene.
  CHECK(machine_of(R"("PublisherId":"OP10",)", R"(,"MachineId":"OP20")", "x/B1") == f.op20);
  CHECK(machine_of(R"("PublisherId":"gw",)", "", "x/OP20") == f.op20);
  CHECK(machine_of(R"("PublisherId":"B1",)", "", "x/OP20") == f.buffer);
  CHECK(machine_of("", "", "x/OP20") == f.op20);

  const std::string writer =
      R"({"MessageType":"ua-data","PublisherId":"OP10","Messages":[{"DataSetWriterName":"OP20",)"
      R"("PublisherId":"B1","Timestamp":"2026-11-26T08:00:00Z","Payload":{"GoodParts":1}}]})";
  CHECK(only_sample(f, writer, "x/y").machine == f.op20);
  const std::string status_writer =
      R"({"MessageType":"ua-data","PublisherId":"OP10","Messages":[{"DataSetWriterName":"Status",)"
      R"("Timestamp":"2026-11-26T08:00:00Z","Payload":{"GoodParts":1}}]})";
  CHECK(only_sample(f, status_writer, "x/y").machine == f.op10);

  DecodeResult r =
      expect_fault(f,
                   R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
                   R"("Payload":{"GoodParts":1,"MachineId":"OP99"}}]})",
                   MessageFault::kUnknownMachine, "x/OP10");
  CHECK(r.detail == "Messages[0].Payload.MachineId: 'OP99' is not a machine of the scene");
  r = expect_fault(f,
                   R"({"MessageType":"ua-data","PublisherId":"gw","Messages":[)"
                   R"({"DataSetWriterName":"Status","Timestamp":"2026-11-26T08:00:00Z",)"
                   R"("Payload":{"GoodParts":1}}]})",
                   MessageFault::kUnknownMachine, "x/y");
  CHECK(r.detail ==
        "Messages[0]: no machine of the scene among DataSetWriterName 'Status', PublisherId "
        "'gw', topic level 'y'");
  r = expect_fault(f,
                   R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
                   R"("Payload":{"GoodParts":1}}]})",
                   MessageFault::kMissingField, "");
  CHECK(r.detail.starts_with("Messages[0]: expected a machine id"));
}

TEST_CASE("message decoder: OPC UA faults, with their paths") {
  Fixture f;
  struct Case {
    const char* payload;
    MessageFault fault;
    const char* detail;
  };
  const Case cases[] = {
      {R"({"MessageId":"1","MessageType":"ua-data"})", MessageFault::kMissingField,
       "Messages: missing; expected the array of DataSetMessages of a \"ua-data\" "
       "NetworkMessage"},
      {R"({"MessageType":"ua-data","Messages":{}})", MessageFault::kWrongType,
       "Messages: expected an array of DataSetMessages, found an object"},
      {R"({"MessageType":7,"Messages":[]})", MessageFault::kWrongType,
       "MessageType: expected a string such as \"ua-data\", found the number 7"},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
       R"("Payload":{"GoodParts":1}},"x"]})",
       MessageFault::kWrongType,
       "Messages[1]: expected a DataSetMessage (an object), found a string"},
      {R"({"MessageType":"ua-data","Messages":[{"Payload":{"GoodParts":1}}]})",
       MessageFault::kMissingField,
       "Messages[0].Timestamp: missing; expected the DataSetMessage's Timestamp, or a "
       "SourceTimestamp on every field"},
      {R"({"MessageType":"ua-data","Messages":[{"State":"Execute"}]})", MessageFault::kMissingField,
       nullptr},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"08:00","Payload":{}}]})",
       MessageFault::kBadTimestamp, nullptr},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
       R"("Payload":{"State":{"Value":"Running","SourceTimestamp":"2026-11-26T08:00:00Z"}}}]})",
       MessageFault::kBadState, nullptr},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
       R"("Payload":{"State":{"Value":"Execute","SourceTimestamp":"noon"}}}]})",
       MessageFault::kBadTimestamp, nullptr},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
       R"("Payload":{"State":4}}]})",
       MessageFault::kWrongType, nullptr},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
       R"("Payload":{"GoodParts":{"Type":12,"Body":"many"}}}]})",
       MessageFault::kWrongType,
       "Messages[0].Payload.GoodParts.Body: expected a counter reading (a number)"},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
       R"("Payload":{"GoodParts":-4}}]})",
       MessageFault::kWrongType,
       "Messages[0].Payload.GoodParts: expected a counter reading (a number >= 0), found -4"},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
       R"("Payload":{"State":"Execute","State":"Held"}}]})",
       MessageFault::kSyntax,
       "Messages[0].Payload.State: duplicate field; each field may appear once"},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
       R"("Status":-1,"Payload":{}}]})",
       MessageFault::kWrongType, nullptr},
      {R"({"MessageType":"ua-data","Messages":[{"Timestamp":"2026-11-26T08:00:00Z",)"
       R"("Payload":[1,2]}]})",
       MessageFault::kWrongType,
       "Messages[0].Payload: expected an object of DataSet fields, found an array"},
      {R"({"MessageType":"ua-data","PublisherId":12,"Messages":[]})", MessageFault::kWrongType,
       "PublisherId: expected a string, found the number 12"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.payload);
    const DecodeResult r = expect_fault(f, c.payload, c.fault);
    if (c.detail != nullptr) CHECK(r.detail == c.detail);
  }
}

TEST_CASE("message decoder: many messages through one decoder reuse its buffers") {
  Fixture f;
  // A long message, then a short one: the short one must not see the long one's leftovers.
  std::string long_message = R"({"samples":[)";
  for (int i = 0; i < 500; ++i) {
    if (i > 0) long_message += ',';
    long_message +=
        R"({"ts":)" + std::to_string(i) + R"(,"counter":"good","value":)" + std::to_string(i) + "}";
  }
  long_message += "]}";
  REQUIRE(f.decode(long_message).samples == 500);
  CHECK(f.out[499].value == 499.0);
  CHECK(f.out[499].timestamp_us == 499'000);
  expect_fault(f, R"({"ts":5)", MessageFault::kSyntax);
  const TelemetrySample s = only_sample(f, R"({"ts":7,"state":"setup"})");
  CHECK(s.timestamp_us == 7'000);
  CHECK(s.state == MachineState::kSetup);
}

}  // namespace linetwin
