// linetwin._core's calls on plant layouts from other tools (AutomationML), beside module.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace linetwin::python {

// Adds import_aml to the module.
void add_layout_calls(pybind11::module_& module);

}  // namespace linetwin::python
