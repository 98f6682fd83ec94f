#!/usr/bin/env bash
# Checks `linetwin replay` from the outside: a hand-made CSV log whose KPIs are worked out below,
# and exit codes and messages for bad input. The real NIST PocketNC log has its own test
# (replay_nist_test.sh), which needs ../shared/data.
set -u
linetwin=$1
root=$2
# shellcheck source=../cli/cli_checks.sh
source "$(dirname "$0")/../cli/cli_checks.sh"

scene="$root/scenes/balanced_line.yaml"

# A small log for the balanced line, rows not in time order, one duplicate, one unknown machine.
# OP10 (ideal time per part: the 60 s processing mean): producing 0-60 s, idle 60-90, producing
# 90-150, down 150-180; two good parts. OP20: nothing until 30 s, then producing.
cat >"$work/log.csv" <<'CSV'
timestamp,machine,seq,kind,name,state,value
2024-03-04T06:00:00Z,OP10,1,state,,producing,
2024-03-04T06:00:00Z,OP10,1,counter,good,,0
2024-03-04T06:01:00Z,OP10,2,counter,good,,1
2024-03-04T06:01:00Z,OP10,2,state,,idle,
2024-03-04T06:01:30Z,OP10,3,state,,producing,
2024-03-04T06:02:30Z,OP10,4,counter,good,,2
2024-03-04T06:02:30Z,OP10,4,state,jam,down,
2024-03-04T06:02:30Z,OP10,4,state,jam,down,
2024-03-04T06:00:30Z,OP20,1,state,,producing,
2024-03-04T06:03:00Z,ghost,1,state,,idle,
1709532180000,OP10,5,state,,producing,
CSV
"$linetwin" replay "$scene" "$work/log.csv" --json "$work/log.json" --csv "$work/log_kpis.csv" \
  >"$work/table" 2>"$work/err" && pass || fail "replay of the hand-made log: $(cat "$work/err")"
grep -q "OP10" "$work/table" && grep -q "samples 11: 9 applied, 1 duplicates" "$work/table" \
  && pass || fail "table: $(cat "$work/table")"
/usr/bin/python3 - "$work/log.json" "$work/log_kpis.csv" <<'PY' && pass || fail "hand-made log KPIs"
import csv, json, math, sys
j = json.load(open(sys.argv[1]))
assert j["schema"] == "linetwin.twins/1", j["schema"]
assert j["source_format"] == "csv"
assert j["observed_from"] == "2024-03-04T06:00:00.000Z", j["observed_from"]
assert j["observed_s"] == 180.0, j["observed_s"]
assert j["ingestion"] == {"samples": 11, "applied": 9, "duplicates": 1, "out_of_order": 0,
                          "unknown_machine": 1, "unknown_machines": ["ghost"]}, j["ingestion"]
st = {s["id"]: s for s in j["stations"]}
assert list(st) == ["OP10", "OP20", "OP30", "OP40", "OP50"]
op10, op20 = st["OP10"], st["OP20"]
close = lambda a, b: abs(a - b) < 1e-12
assert close(op10["working"], 120 / 180) and close(op10["starved"], 30 / 180)
assert close(op10["down"], 30 / 180) and op10["unknown"] == 0
assert op10["parts_good"] == 2 and op10["failures"] == 1 and op10["state"] == "producing"
assert close(op10["oee"]["availability"], 150 / 180)
assert close(op10["oee"]["performance"], 2 * 60 / 150)
assert op10["oee"]["quality"] == 1.0 and close(op10["oee"]["oee"], 120 / 180)
assert close(op10["throughput_per_hour"], 40.0)
assert close(op10["cycle_time_mean_s"], 60.0)
assert op10["duplicates"] == 1
assert close(op20["working"], 150 / 180) and close(op20["unknown"], 30 / 180)
assert op20["oee"]["oee"] is None and op20["throughput_per_hour"] is None  # no counter
assert st["OP30"]["unknown"] == 1.0
rows = {(r["id"], r["kpi"]): r["value"] for r in csv.DictReader(open(sys.argv[2]))}
assert float(rows[("OP10", "oee")]) == op10["oee"]["oee"]
assert rows[("OP20", "oee")] == ""
assert rows[("", "duplicates")] == "1"
PY

# JSON to stdout replaces the table.
"$linetwin" replay "$scene" "$work/log.csv" --json - 2>/dev/null \
  | /usr/bin/python3 -c "import json,sys; json.load(sys.stdin)" && pass || fail "--json - is not pure JSON"

# --speed sleeps on message time: 180 s of log at 1800x take at least 0.1 s.
start=$(date +%s%N)
"$linetwin" replay "$scene" "$work/log.csv" --speed 1800 -q && pass || fail "--speed 1800"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed_ms" -ge 100 ] && pass || fail "--speed 1800 took ${elapsed_ms} ms, expected >= 100"


# Bad input: exit 2 with the file, line and column.
printf 'timestamp,machine,seq,kind,name,state,value\n2024-03-04T06:00:00Z,OP10,1,state,,idle,\n2024-03-04T06:00:01Z,OP10,2,state,,running,\n' >"$work/bad.csv"
expect_error 2 "bad.csv:3: field 'state': expected one of producing" -- replay "$scene" "$work/bad.csv"
expect_error 2 "missing.csv: cannot open the file" -- replay "$scene" "$work/missing.csv" --format csv
printf 'when,what\n1,2\n' >"$work/odd.csv"
expect_error 2 "cannot tell the log's format" -- replay "$scene" "$work/odd.csv"
expect_error 2 "format" -- replay "$scene" "$work/log.csv" --format parquet
expect_error 2 "speed" -- replay "$scene" "$work/log.csv" --speed -1
expect_error 2 "at most one of --json and --csv" -- replay "$scene" "$work/log.csv" --json - --csv -
expect_error 2 "odd.csv" -- replay "$scene" "$work/odd.csv" --format hdf5
expect_error 2 "LOG is required|required" -- replay "$scene"

finish_checks
