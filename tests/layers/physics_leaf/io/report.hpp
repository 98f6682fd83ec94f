// No layer uses physics: io, above plant, may not either.
#pragma once

#include "physics/audit.hpp"
