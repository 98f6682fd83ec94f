#!/usr/bin/env bash
# Checks `linetwin replay` (and `calibrate`) on the real NIST PocketNC MTConnect log against state durations that
# pandas computes from the raw file with the mapping of docs/twins.md, and the flags that name the
# machine. Run through tests/with_shared_data.sh, which gives the log's path (in ../shared/data)
# as the last argument, or reports the test skipped without it.
# Usage: replay_nist_test.sh LINETWIN REPOSITORY NIST_LOG
set -u
linetwin=$1
root=$2
nist=$3
# shellcheck source=../cli/cli_checks.sh
source "$(dirname "$0")/../cli/cli_checks.sh"

scene="$root/scenes/balanced_line.yaml"

"$linetwin" replay "$root/scenes/pocketnc_cell.yaml" "$nist" --format mtconnect --json - \
  >"$work/nist.json" 2>"$work/err" && pass || fail "NIST replay: $(cat "$work/err")"
/usr/bin/python3 - "$nist" "$work/nist.json" <<'PY' && pass || fail "NIST replay KPIs"
import json, sys
import pandas as pd
raw = pd.read_csv(sys.argv[1], dtype=str)
raw["us"] = pd.to_datetime(raw["timestamp"], utc=True).astype("int64") // 1000
raw = raw.sort_values("us", kind="stable")
# docs/twins.md: the latest avail/estop/exec/mode decide the state; any exec value but
# UNAVAILABLE means the device is available again.
available, estop, execution, mode = True, False, None, None
durations, state, since = {}, None, None
for _, row in raw.iterrows():
    if pd.notna(row["avail"]): available = row["avail"] == "AVAILABLE"
    if pd.notna(row["estop"]): estop = row["estop"] == "TRIGGERED"
    if pd.notna(row["exec"]):
        execution = None if row["exec"] == "UNAVAILABLE" else row["exec"]
        if execution: available = True
    if pd.notna(row["mode"]): mode = row["mode"]
    if estop: new = "down"
    elif not available or execution is None: new = "unknown"
    elif execution == "ACTIVE": new = "setup" if mode in ("MANUAL", "MDI") else "producing"
    elif execution == "READY": new = "idle"
    else: raise AssertionError(execution)
    if state is not None: durations[state] = durations.get(state, 0) + row["us"] - since
    state, since = new, row["us"]
total = raw["us"].max() - raw["us"].min()
assert sum(durations.values()) == total
j = json.load(open(sys.argv[2]))
[m] = j["stations"]
assert m["id"] == "pocketnc" and m["state"] == "down" and m["reason"] == "estop", m
assert abs(j["observed_s"] - total / 1e6) < 1e-9, (j["observed_s"], total)
for key, state in [("working", "producing"), ("setup", "setup"), ("starved", "idle"),
                   ("down", "down"), ("unknown", "unknown")]:
    want = durations.get(state, 0) / total
    assert abs(m[key] - want) < 1e-12, (key, m[key], want)
assert m["blocked"] == 0 and m["off_shift"] == 0
assert m["failures"] == 1 and m["oee"]["oee"] is None and not m["reports_parts"]
ingestion = j["ingestion"]
assert ingestion["samples"] == ingestion["applied"] and ingestion["duplicates"] == 0
PY
# The format is told from the header too.
"$linetwin" replay "$root/scenes/pocketnc_cell.yaml" "$nist" -q && pass || fail "NIST auto format"
expect_error 2 "--machine.*5 stations" -- replay "$scene" "$nist" --format mtconnect
expect_error 2 "field '--machine': expected the id of an element of the scene, found 'mill'" -- \
  replay "$root/scenes/pocketnc_cell.yaml" "$nist" --machine mill

# calibrate reads the same log through the same reader (format told from the header, the machine
# as for replay). The log reports no parts, and its one failure never ends in a repair seen
# whole, so every quantity has no complete observation and the scene's values stay.
"$linetwin" calibrate "$root/scenes/pocketnc_cell.yaml" "$nist" -o "$work/calibrated.yaml" \
  --json "$work/calibration.json" -q 2>"$work/err" && pass || fail "NIST calibrate: $(cat "$work/err")"
/usr/bin/python3 - "$work/calibration.json" <<'PY' && pass || fail "NIST calibration report"
import json, sys
report = json.load(open(sys.argv[1]))
[station] = report["stations"]
assert station["id"] == "pocketnc" and station["failures"] == 1, station
for key in ("processing", "time_to_failure", "time_to_repair"):
    q = station[key]
    assert q["observations"] == 0 and q["status"] == "no_observations" and not q["replaced"], q
assert station["time_to_failure"]["censored"] == 1 and station["time_to_repair"]["censored"] == 1
PY
"$linetwin" run "$work/calibrated.yaml" --reps 1 --duration 1h -q && pass || fail "calibrated NIST scene runs"
expect_error 2 "--machine.*5 stations" -- calibrate "$scene" "$nist" -o "$work/x.yaml"
expect_error 2 "found 'mill'" -- calibrate "$root/scenes/pocketnc_cell.yaml" "$nist" \
  -o "$work/x.yaml" --format mtconnect --machine mill

finish_checks
