// The plant layer may not use physics, which sits above it.
#pragma once

#include <physics/audit.hpp>
