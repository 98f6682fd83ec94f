// The physics layer may not use io: it sits on plant alone.
#pragma once

#include "io/report.hpp"
