#include <doctest/doctest.h>

#include "telemetry/machine_state.hpp"
#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

TEST_CASE("machine states: every name parses back to its state, and nothing else parses") {
  for (int i = 0; i < kMachineStateCount; ++i) {
    const auto state = static_cast<MachineState>(i);
    CHECK(parse_machine_state(machine_state_name(state)) == state);
  }
  CHECK_FALSE(parse_machine_state("PRODUCING").has_value());
  CHECK_FALSE(parse_machine_state("").has_value());
}

TEST_CASE("telemetry names: interning returns the same index for the same text") {
  TelemetryNames names;
  CHECK(names.names().at(0).empty());
  const auto op10 = names.intern_machine("OP10");
  CHECK(names.intern_machine("OP20") != op10);
  CHECK(names.intern_machine("OP10") == op10);
  CHECK(names.find_machine("OP10") == op10);
  CHECK(names.find_machine("OP99") == -1);
  CHECK(names.intern_name("good") == names.intern_name("good"));
}

}  // namespace linetwin
