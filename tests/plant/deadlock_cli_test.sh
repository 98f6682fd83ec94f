#!/usr/bin/env bash
# `linetwin run` on lines that deadlock: exit status 3, the deadlock on stderr (also with -q), in
# the JSON and in the CSV, the same bytes for any thread count; a line that runs on exits 0.
# Usage: deadlock_cli_test.sh LINETWIN REPO
linetwin=$1
scenes=$2/tests/plant/scenes
. "$2/tests/cli/cli_checks.sh"

for scene in deadlock_rework_loop deadlock_merge_cycle deadlock_starved_assembly; do
  expect_error 3 "deadlocked in 3 of 3 replications" -- run "$scenes/$scene.yaml" --reps 3 -q
  "$linetwin" run "$scenes/$scene.yaml" --reps 3 --threads 1 -q --json "$work/$scene.json" \
    --csv "$work/$scene.csv" 2>/dev/null
  rc=$?
  [ "$rc" -eq 3 ] && pass || fail "$scene with --json: exit $rc, expected 3"
  "$linetwin" run "$scenes/$scene.yaml" --reps 3 --threads 2 -q --json "$work/$scene-2.json" \
    2>/dev/null
  cmp -s "$work/$scene.json" "$work/$scene-2.json" && pass || fail "$scene: JSON differs with 2 threads"
  /usr/bin/python3 - "$work/$scene.json" "$scene" <<'PY' && pass || fail "$scene: JSON"
import json, sys
d = json.load(open(sys.argv[1]))
scene = sys.argv[2]
assert d["deadlocked_replications"] == 3, d["deadlocked_replications"]
assert [x["replication"] for x in d["deadlocks"]] == [0, 1, 2]
first = d["deadlocks"][0]
expected = {"deadlock_rework_loop": ("cycle", 22.0, ["OP20", "B1"]),
            "deadlock_merge_cycle": ("cycle", 6.0, ["OP2", "B1", "OP1", "B2"]),
            "deadlock_starved_assembly": ("stuck", 31.0, ["R", "M", "A"])}[scene]
assert first["kind"] == expected[0], first
assert first["time_s"] == expected[1], first
assert [e["id"] for e in first["elements"]] == expected[2], first
# No KPI is estimated from a replication that stopped.
assert d["kpis"]["throughput_per_hour"]["n"] == 0 and d["kpis"]["throughput_per_hour"]["mean"] is None
assert all(b["occupancy_max"] is None for b in d["buffers"]), d["buffers"]
assert all(s["bottleneck_share"] is None for s in d["stations"]), d["stations"]
PY
  grep -q '^line,,deadlocked_replications,3,,,,3$' "$work/$scene.csv" && pass ||
    fail "$scene: CSV lacks the deadlock count"
  grep -q '^deadlock,r0,time_s,' "$work/$scene.csv" && pass || fail "$scene: CSV lacks r0's time"
done
grep -q '^deadlock,r0:OP20,parts_held,1,,,,1$' "$work/deadlock_rework_loop.csv" && pass ||
  fail "rework loop: CSV lacks OP20's parts"

# The table says "-" for what no replication measured, never "nan".
"$linetwin" run "$scenes/deadlock_rework_loop.yaml" --reps 2 >"$work/table" 2>/dev/null
grep -qi nan "$work/table" && fail "the table of a deadlocked line shows nan: $(cat "$work/table")" \
  || pass
grep -qE '^  B1 +1 +- +-$' "$work/table" && pass || fail "B1's row: $(grep B1 "$work/table")"

# replay --drift compares a log with the model's prediction, which a deadlocking model cannot
# make: exit 3, saying so.
cat >"$work/log.csv" <<'CSV'
timestamp,machine,seq,kind,name,state,value
2024-03-04T06:00:00.000Z,OP20,1,state,,producing,
2024-03-04T07:00:00.000Z,OP20,2,state,,idle,
CSV
expect_error 3 "the model deadlocks in 20 of 20 replications of the drift prediction" -- \
  replay "$scenes/deadlock_rework_loop.yaml" "$work/log.csv" --drift --drift-window 30min \
  --drift-replications 20 --drift-coverage 0.9 -q

# A line that runs on: exit 0, no deadlock anywhere.
"$linetwin" run "$2/scenes/breakdown_line.yaml" --reps 2 -q --json "$work/ok.json" 2>"$work/err"
rc=$?
[ "$rc" -eq 0 ] && pass || fail "breakdown_line: exit $rc: $(cat "$work/err")"
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['deadlocked_replications']==0 and d['deadlocks']==[]" \
  "$work/ok.json" && pass || fail "breakdown_line: JSON reports a deadlock"
finish_checks "deadlock CLI"
