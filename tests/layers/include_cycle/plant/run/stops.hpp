#pragma once

#include "plant/run/part.hpp"
