#pragma once

#include "telemetry/sample.hpp"
