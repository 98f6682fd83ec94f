// Headers of one layer that include each other in a circle, through a file included
// beside it: the layer check must report the cycle.
#pragma once

#include "plant/run/flow.hpp"
