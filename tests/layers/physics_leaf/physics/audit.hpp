// The physics layer uses plant (below it), which is allowed.
#pragma once

#include "plant/line.hpp"
