// A core header that reaches up into plant: the layer check must refuse it.
#pragma once

#include "plant/line.hpp"
