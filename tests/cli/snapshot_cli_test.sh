#!/usr/bin/env bash
# What-if from now on the command line: `linetwin run --snapshot F --at T` writes the line as it
# stands at T; `linetwin run --from-snapshot F` starts every replication there. "What if OP30
# stays down for the next 4 h" (down_for in the file, or in a scenario's start:) ships exactly
# the parts already past OP30, by the line's structure, whatever the replication; a sweep from a
# snapshot compares variants from the same starting point. Snapshots that do not fit the scene,
# and flags that make no sense together, are exit 2 naming the file, field or flag.
set -u
linetwin=$1
root=$2
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"
python=/usr/bin/python3

breakdown="$root/scenes/breakdown_line.yaml"

"$linetwin" run "$breakdown" --snapshot "$work/now.yaml" --at 5.5h || fail "--snapshot exited $?"

# OP30 kept down past the 4 h looked at: B3's parts and OP40's are all the line can ship.
"$python" - "$work/now.yaml" "$work/down.yaml" <<'PY' >"$work/past_op30"
import sys, yaml
with open(sys.argv[1]) as f:
    snapshot = yaml.safe_load(f)
snapshot["stations"]["OP30"]["down_for"] = "5h"
with open(sys.argv[2], "w") as f:
    yaml.safe_dump(snapshot, f)
# B3's parts, OP40's, and one OP30 finished and holds (handed over once there is room).
op30_done = sum(1 for p in snapshot["stations"]["OP30"].get("parts", []) if p.get("finished"))
print(snapshot["buffers"]["B3"]["level"] + len(snapshot["stations"]["OP40"].get("parts", []))
      + op30_done)
PY
"$linetwin" run "$breakdown" --from-snapshot "$work/down.yaml" --duration 4h --reps 6 \
  --replications-csv "$work/down.csv" -q || fail "--from-snapshot exited $?"
"$python" - "$work/down.csv" "$(cat "$work/past_op30")" <<'PY' || fail "OP30 down: see above"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
expected = int(sys.argv[2])
shipped = [int(r["parts_completed"]) for r in rows]
if len(rows) != 6 or any(s != expected for s in shipped):
    sys.exit(f"expected {expected} parts shipped in each of 6 replications, found {shipped}")
PY
pass

# A scenario that starts from the snapshot, with OP30 down for 4 h, and B3 doubled as a variant:
# B3's room changes nothing while OP30 is down, so both ship the same, to the part.
cat >"$work/from_now.scenario.yaml" <<YAML
linetwin_scenario: 1
name: from now
base: $breakdown
start: {snapshot: now.yaml, down_for: {OP30: 5h}}
run: {replications: 4, duration: 4h}
variants:
  - {name: B3 doubled, set: {B3.capacity: 16}}
YAML
"$linetwin" sweep "$work/from_now.scenario.yaml" --replications-csv "$work/sweep.csv" -q ||
  fail "sweep from a snapshot exited $?"
"$python" - "$work/sweep.csv" "$(cat "$work/past_op30")" <<'PY' || fail "sweep from now: see above"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
shipped = sorted({int(r["parts_completed"]) for r in rows})
if len(rows) != 8 or shipped != [int(sys.argv[2])]:
    sys.exit(f"expected 8 replications each shipping {sys.argv[2]}, found {shipped}")
PY
pass

# Bad input.
expect_error 2 "--at.*expected --save-state or --snapshot with it" -- run "$breakdown" --at 1h
expect_error 2 "--snapshot requires --at" -- run "$breakdown" --snapshot "$work/s.yaml"
expect_error 2 "--(from-snapshot excludes --from-state|from-state excludes --from-snapshot)" -- \
  run "$breakdown" --from-snapshot "$work/now.yaml" --from-state "$work/x.state"
sed 's/^  B2: {level: [0-9]*/  B2: {level: 9/' "$work/now.yaml" >"$work/overfull.yaml"
expect_error 2 "overfull.yaml.*B2.*(capacity|at most)" -- \
  run "$breakdown" --from-snapshot "$work/overfull.yaml"
sed 's/^  OP20:/  OP99:/' "$work/now.yaml" >"$work/unknown.yaml"
expect_error 2 "unknown.yaml.*OP99" -- run "$breakdown" --from-snapshot "$work/unknown.yaml"
cat >"$work/auto.scenario.yaml" <<YAML
linetwin_scenario: 1
base: $breakdown
start: now.yaml
run: {warmup: auto}
YAML
expect_error 2 "auto.scenario.yaml.*run.warmup.*cannot be detected for a line that starts from a snapshot" \
  -- sweep "$work/auto.scenario.yaml"
cat >"$work/badstation.scenario.yaml" <<YAML
linetwin_scenario: 1
base: $breakdown
start: {snapshot: now.yaml, down_for: {B2: 1h}}
YAML
expect_error 2 "badstation.scenario.yaml:3:[0-9]+: field .start.down_for.B2.*expected a station" \
  -- sweep "$work/badstation.scenario.yaml"

finish_checks "snapshots"
