// The event path of a line run: the inline functions of every part that a plain station's
// hand-over and refill run through, all in one translation unit so that the compiler inlines the
// whole chain into the run loop. Each *_inline.hpp defines one part's functions and includes only
// the declarations (line.hpp); a source file of the run includes this header instead of any of
// them, so that every inline function it may reach is defined, and no header includes another in
// a circle.
#pragma once

#include "plant/run/buffer_flow_inline.hpp"
#include "plant/run/deadlock_watch_inline.hpp"
#include "plant/run/part_flow_inline.hpp"
#include "plant/run/sink_flow_inline.hpp"
#include "plant/run/station_flow_inline.hpp"
