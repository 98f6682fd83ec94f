// What the tests of scene and order files share: the InputError that loading bad input throws.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "core/input_error.hpp"

namespace linetwin::test {

// Runs `load` and returns the InputError it throws; fails the test if it throws none.
template <typename Load>
InputError input_error(Load&& load) {
  try {
    load();
  } catch (const InputError& e) {
    return e;
  }
  FAIL("expected an InputError");
  throw;  // unreachable
}

// Whether the message (without the place) has `fragment` in it.
inline bool says(const InputError& e, const std::string& fragment) {
  INFO("error: " << e.what());
  return e.message().find(fragment) != std::string::npos;
}

}  // namespace linetwin::test
