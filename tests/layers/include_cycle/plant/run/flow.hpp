#pragma once

#include "stops.hpp"
