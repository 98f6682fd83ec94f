// libFuzzer target for the telemetry message decoder, the decoder of outside input that a live
// plant feeds fastest: whatever the bytes, decode() either appends valid samples or reports a
// fault and changes nothing. A crash, a sanitizer report, a hang, a sample that names a machine
// or a name that does not exist, or a fault that leaves a trace is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "telemetry/message_decoder.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace {

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
  linetwin::MessageDecoder decoder(names, linetwin::DecoderLimits{2048, 16});
  std::vector<linetwin::TelemetrySample> out(1);  // a sample from before, which must stay

  std::size_t names_before = names.names().size();
  const linetwin::DecodeResult first = decoder.decode("plant/line1/OP10", payload, out);
  check(first, out, 1, names, machines, names_before);

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
