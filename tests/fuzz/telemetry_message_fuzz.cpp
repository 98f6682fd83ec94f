// libFuzzer target for the telemetry message decoder, the decoder of outside input that a live
// plant feeds fastest: whatever the bytes, decode() either appends valid samples or reports a
// fault and changes nothing. A crash, a sanitizer report, a hang, a sample that names a machine
// or a name that does not exist, or a fault that leaves a trace is a finding; so is a payload
// that is not JSON and is not counted as a syntax fault (nlohmann's parser, independent of
// simdjson, says what JSON is).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "telemetry/message_decoder.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace {

// nlohmann's parser as a yes-or-no JSON validator. It refuses numbers too large for a double,
// which JSON allows: for a text with one, it cannot tell (`overflow`).
struct JsonValidator {
  using json = nlohmann::json;
  bool overflow = false;

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const json::string_t&) { return true; }
  bool string(json::string_t&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(json::string_t&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) {
    overflow = error.id == 406;  // "number overflow parsing ..."
    return false;
  }
};

// The payload is certainly not JSON.
bool not_json(std::string_view payload) {
  JsonValidator validator;
  return !nlohmann::json::sax_parse(payload.begin(), payload.end(), &validator) &&
         !validator.overflow;
}

// What every outcome must satisfy; `before` samples were in `out` before the call.
void check(const linetwin::DecodeResult& result, const std::vector<linetwin::TelemetrySample>& out,
           std::size_t before, const linetwin::TelemetryNames& names, std::size_t machines,
           std::size_t names_before) {
  if (names.machines().size() != machines) __builtin_trap();  // machines are the scene's
  if (names.names().size() > std::size_t{1} << 16) __builtin_trap();
  if (result.fault != linetwin::MessageFault::kNone) {
    if (result.detail.empty() || result.samples != 0) __builtin_trap();
    if (out.size() != before || names.names().size() != names_before) __builtin_trap();
    return;
  }
  if (!result.detail.empty() || out.size() != before + result.samples) __builtin_trap();
  for (std::size_t i = before; i < out.size(); ++i) {
    const linetwin::TelemetrySample& s = out[i];
    if (s.machine >= machines || s.name >= names.names().size()) __builtin_trap();
    if (static_cast<int>(s.kind) > 2) __builtin_trap();
    if (static_cast<int>(s.state) >= linetwin::kMachineStateCount) __builtin_trap();
    if (s.kind != linetwin::SampleKind::kState && !(s.value == s.value)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  linetwin::TelemetryNames names;
  for (const char* id : {"OP10", "OP20", "B1", "gateway"})
    names.intern_machine(id);
  const std::size_t machines = names.machines().size();
  // Small limits, so that the fuzzer reaches them too.
  const linetwin::DecoderLimits limits{2048, 16};
  linetwin::MessageDecoder decoder(names, limits);
  std::vector<linetwin::TelemetrySample> out(1);  // a sample from before, which must stay

  std::size_t names_before = names.names().size();
  const linetwin::DecodeResult first = decoder.decode("plant/line1/OP10", payload, out);
  check(first, out, 1, names, machines, names_before);
  // Not JSON is a syntax fault, whatever else the decoder met first; only the byte limit is
  // checked before the text is read.
  if (size <= limits.max_payload_bytes && first.fault != linetwin::MessageFault::kSyntax &&
      not_json(payload))
    __builtin_trap();

  // Again, through the same (now used) buffers and name index: the same outcome.
  const std::size_t before = out.size();
  names_before = names.names().size();
  const linetwin::DecodeResult second = decoder.decode("plant/line1/OP10", payload, out);
  check(second, out, before, names, machines, names_before);
  if (second.fault != first.fault || second.samples != first.samples) __builtin_trap();
  for (std::size_t i = 0; i < second.samples; ++i) {
    const linetwin::TelemetrySample& a = out[1 + i];
    const linetwin::TelemetrySample& b = out[before + i];
    if (a.timestamp_us != b.timestamp_us || a.sequence != b.sequence || a.machine != b.machine ||
        a.name != b.name || a.kind != b.kind || a.state != b.state)
      __builtin_trap();
  }
  return 0;
}
