// The error for a line that failed a check: a model that deadlocks where a run needs it to run
// (a drift prediction), and later failed gates. Distinct from bad input (InputError) and from
// internal errors: the CLI turns it into exit status 3.
#pragma once

#include <stdexcept>

namespace linetwin {

class LineCheckFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace linetwin
