// Stopping work under way from outside: Ctrl-C in a Python session, a closed viewer window. The
// one who wants it stopped sets a flag (from any thread); runs look at it between stretches of
// events, worker pools between replications, and give up by throwing RunCancelled, so that
// nothing half done is returned as a result.
#pragma once

#include <atomic>
#include <stdexcept>

namespace linetwin {

using CancelFlag = std::atomic<bool>;

struct RunCancelled : std::runtime_error {
  RunCancelled() : std::runtime_error("the run was cancelled") {}
};

}  // namespace linetwin
