// The same upward include in angle brackets: the layer check must refuse it too.
#pragma once

#include <plant/line.hpp>
