// MTConnect data captured as CSV, turned into a TelemetryLog for one machine: the form in which
// the NIST Digital Twin Lab publishes its PocketNC 5-axis mill (../shared/data/telemetry/
// nist_dtl_pocketnc). Each row holds a `timestamp` and the data items that changed at that
// instant, one column per data item, empty where nothing changed; rows need not be in time order.
//
// The machine state follows from the latest value of the data items, in this order (the mapping
// and its reasons are in docs/twins.md, "MTConnect"):
//   estop TRIGGERED                                   -> down, reason "estop"
//   avail UNAVAILABLE (and no execution since)        -> unknown
//   exec UNAVAILABLE or not yet reported              -> unknown
//   exec ACTIVE, mode MANUAL / MANUAL_DATA_INPUT / MDI / EDIT -> setup
//   exec ACTIVE otherwise                             -> producing
//   exec READY, WAIT, PROGRAM_COMPLETED, PROGRAM_STOPPED, OPTIONAL_STOP, PROGRAM_OPTIONAL_STOP
//                                                     -> idle
//   exec FEED_HOLD, INTERRUPTED, STOPPED              -> down, reason "feed_hold", "interrupted",
//                                                        "stopped"
// A state sample is emitted at every instant at which one of those four items changed (even if
// the derived state stays the same: the machine said something, and its last message time is
// that instant). `pc` (PartCount), when
// reported as a number, becomes the cumulative counter "good". The axis positions (xpm, ypm,
// zpm, aposm, bposm, cposm), loads (xl, yl, zl, al, bl, cl, sl) and spindle speed (cs) become
// sensor samples on channels of those names. Other columns are ignored.
#pragma once

#include <string>

#include "telemetry/telemetry_sample.hpp"

namespace linetwin {

// Reads the CSV at `path` as the telemetry of the machine `machine_id`; samples in time order
// (rows stably sorted by timestamp). A bad timestamp or a value outside MTConnect's vocabulary
// for exec, mode, estop or avail is an InputError naming the file, line and column; a
// `machine_id` that is not UTF-8 or longer than kMaxNameBytes (sample_checks.hpp) one naming the
// file and the field machine, before any row is read.
TelemetryLog read_mtconnect_csv(const std::string& path, const std::string& machine_id);

}  // namespace linetwin
