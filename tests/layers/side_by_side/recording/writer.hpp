// The recording layer may not use the live one: they sit side by side on telemetry.
#pragma once

#include "live/subscriber.hpp"
#include "telemetry/sample.hpp"
