// How a line run starts at time zero, in two steps, so that a run from a snapshot
// (plant/line_run_snapshot.cpp) can put its parts in place between them.
#pragma once

namespace linetwin::line_run {

struct Line;

// Calendars set who is on shift; failure clocks start.
void start_clocks(Line& line);
// The first arrivals are scheduled, unlimited supplies fill the line's entrance, assembly
// stations see what they lack, and the end of the warm-up is set.
void start_flow(Line& line);

}  // namespace linetwin::line_run
