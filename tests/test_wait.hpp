// Waiting for a condition in a test: a signal polled with a deadline, never a fixed sleep whose
// length the test relies on. The deadline only bounds a test that would otherwise hang; a loaded
// machine makes the wait longer, never wrong.
#pragma once

#include <chrono>

namespace linetwin::test {

// Generous: CTest runs the tests in parallel on machines that may be busy with other work.
inline constexpr std::chrono::seconds kSignalTimeout{60};

// Calls `step` (which serves a connection, draws a frame or sleeps briefly) until `done()` holds;
// false if `timeout` passed first.
template <typename Done, typename Step>
bool wait_until(Done done, Step step, std::chrono::milliseconds timeout = kSignalTimeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    step();
  }
  return true;
}

}  // namespace linetwin::test
