#!/usr/bin/env bash
# linetwin run --collision-audit (docs/physics.md): tests/physics/scenes/aisle_cell.yaml audits
# clean with as many checks as its drives and the rate say; the same cell with its supply moved
# onto the aisle reports each pass through it, exit 3; replications audit alike on 1 and 2
# threads; the bundled AGV cell and a grid of ten AGVs for 8 h audit clean under zone
# reservations and report contacts without them (traffic: none), exit 3; bad uses exit 2 saying
# why. With a third argument, "without-physics", it checks only
# that a build without the layer refuses the audit.
# Usage: collision_audit_cli_test.sh LINETWIN SOURCE_DIR [without-physics]
set -u
linetwin=$1
root=$2
# shellcheck source=../cli/cli_checks.sh
source "$root/tests/cli/cli_checks.sh"

if [ "${3:-}" = without-physics ]; then
  expect_error 2 "field '--collision-audit': expected a linetwin built with the physics layer.*LINETWIN_PHYSICS=OFF" \
    -- run "$root/scenes/agv_cell.yaml" --collision-audit 20
  finish_checks "collision audit CLI without physics"
fi

aisle="$root/tests/physics/scenes/aisle_cell.yaml"
"$linetwin" run "$aisle" --collision-audit 20 --json "$work/aisle.json" >"$work/out" 2>"$work/err"
rc=$?
[ "$rc" -eq 0 ] && pass || fail "the aisle cell exited $rc: $(cat "$work/err")"
# One vehicle, so moving stretches are its drives: each 20 m from rest to rest at 1 m/s with 0.5
# m/s² both ways, 22 s, so ceil(22 x 20) + 1 = 441 checks. It carries every order down the aisle
# and comes back, two drives an order, give or take the one under way at the end (cut there).
/usr/bin/python3 - "$work/aisle.json" "$work/out" <<'PY' && pass || fail "the aisle cell's checks do not add up"
import json, re, sys
run = json.load(open(sys.argv[1]))
audit = run["collision_audit"]
assert audit["rate_hz"] == 20 and len(audit["replications"]) == 1, audit
rep = audit["replications"][0]
assert rep["replication"] == 0 and rep["contacts"] == [], rep
orders = run["fleets"][0]["orders"]["mean"]
full, cut = divmod(rep["checks"], 441)
assert 2 * orders - 1 <= full <= 2 * orders + 1, (rep["checks"], orders)
printed = re.findall(r"^replication 0: collision audit: (\d+) checks, 0 contacts$",
                     open(sys.argv[2]).read(), re.M)
assert printed == [str(rep["checks"])], printed
PY

# The supply of blanks (1 m x 1 m) on the aisle at x = 10: every drive passes through it.
sed 's/pose: {x: 10, y: -3}/pose: {x: 10, y: 0}/' "$aisle" >"$work/blocked.yaml"
grep -q "pose: {x: 10, y: 0}" "$work/blocked.yaml" || fail "the aisle cell no longer has its supply at x = 10"
"$linetwin" run "$work/blocked.yaml" --collision-audit 20 --json "$work/blocked.json" -q \
  2>"$work/err"
rc=$?
[ "$rc" -eq 3 ] && pass || fail "a vehicle through the supply exited $rc, expected 3"
grep -qE "^linetwin: the collision audit found [0-9]+ contacts in 1 of 1 replications" "$work/err" &&
  pass || fail "no contacts reported on stderr: $(cat "$work/err")"
grep -qE "^  replication 0, t = [0-9.]+ s: AGV#1 and blanks at \(" "$work/err" && pass ||
  fail "the contact is not listed with its bodies: $(cat "$work/err")"
# One contact a drive (each drive passes the supply once, and the vehicle never stops on it), at
# the overlap of the supply's square and the vehicle's 1 m wide strip along y = 0.
/usr/bin/python3 - "$work/blocked.json" <<'PY' && pass || fail "the contacts in the JSON are wrong"
import json, sys
run = json.load(open(sys.argv[1]))
rep = run["collision_audit"]["replications"][0]
contacts = rep["contacts"]
orders = run["fleets"][0]["orders"]["mean"]
assert 2 * orders - 1 <= len(contacts) <= 2 * orders + 2, (len(contacts), orders)
for c in contacts:
    assert c["bodies"] == ["AGV#1", "blanks"], c
    assert 9.5 - 1e-9 <= c["x_m"] <= 10.5 + 1e-9 and -0.5 - 1e-9 <= c["y_m"] <= 0.5 + 1e-9, c
times = [c["time_s"] for c in contacts]
assert times == sorted(times) and len(set(times)) == len(times), times
PY

# Three replications audited alike on 1 and 2 threads, reported in their order.
for threads in 1 2; do
  "$linetwin" run "$aisle" --reps 3 --collision-audit 20 --threads $threads \
    --json "$work/reps$threads.json" >"$work/reps$threads.out" 2>"$work/err"
  rc=$?
  [ "$rc" -eq 0 ] && pass || fail "three replications on $threads threads exited $rc: $(cat "$work/err")"
done
cmp -s "$work/reps1.json" "$work/reps2.json" && pass || fail "the audit differs on 1 and 2 threads"
cmp -s "$work/reps1.out" "$work/reps2.out" && pass || fail "the printed audit differs on 1 and 2 threads"
grep -cE "^replication [012]: collision audit: [0-9]+ checks, 0 contacts$" "$work/reps1.out" |
  grep -qx 3 && pass || fail "not one audit line per replication: $(cat "$work/reps1.out")"

# The bundled AGV cell: no contact in any replication, with its checks counted (at least the
# rate times the longest any one vehicle drove); with `traffic: none` its vehicles drive through
# each other, reported, exit 3.
cell="$root/scenes/agv_cell.yaml"
"$linetwin" run "$cell" --reps 3 --warmup 0s --duration 2h --collision-audit 20 \
  --json "$work/cell.json" >"$work/cell.out" 2>"$work/err"
rc=$?
[ "$rc" -eq 0 ] && pass || fail "the AGV cell exited $rc: $(cat "$work/err")"
/usr/bin/python3 - "$work/cell.json" "$work/cell.out" <<'PY' && pass || fail "the AGV cell's audit does not add up"
import json, re, sys
run = json.load(open(sys.argv[1]))
reps = run["collision_audit"]["replications"]
assert [r["replication"] for r in reps] == [0, 1, 2] and all(r["contacts"] == [] for r in reps), reps
for v in run["fleets"][0]["by_vehicle"]:
    driving = sum(v[k]["ci95_low"] for k in ("loaded_travel", "empty_travel", "driving_home"))
    assert min(r["checks"] for r in reps) >= 20 * driving * 2 * 3600 * 0.99, (reps, v)
printed = re.findall(r"^replication (\d): collision audit: (\d+) checks, 0 contacts$",
                     open(sys.argv[2]).read(), re.M)
assert printed == [(str(r["replication"]), str(r["checks"])) for r in reps], printed
PY
grep -qx "    vehicles: 2" "$cell" || fail "the AGV cell no longer says 'vehicles: 2' as this test expects"
sed 's/^    vehicles: 2$/    vehicles: 2\n    traffic: none/' "$cell" >"$work/no_traffic.yaml"
"$linetwin" run "$work/no_traffic.yaml" --reps 3 --warmup 0s --duration 2h --collision-audit 20 \
  --json "$work/no_traffic.json" -q 2>"$work/err"
rc=$?
[ "$rc" -eq 3 ] && pass || fail "the AGV cell without traffic control exited $rc, expected 3"
grep -qE "^  replication [0-9], t = [0-9.]+ s: AGV#1 and AGV#2 at \(" "$work/err" && pass ||
  fail "no contact between the two vehicles listed: $(head -3 "$work/err")"

# H3's grid of ten AGVs for 8 h (tests/plant/scenes/agv_grid.yaml), its elements given poses
# beyond the end of their spurs (the scene has none; unplaced, they would stand at the origin,
# on the aisles): no contact with the zone reservations; without them, vehicles meet.
/usr/bin/python3 - "$root/tests/plant/scenes/agv_grid.yaml" "$work/grid.yaml" <<'PY' && pass || fail "could not place the grid's elements"
import math, re, sys
text = open(sys.argv[1]).read()
nodes = {m[0]: (float(m[1]), float(m[2]))
         for m in re.findall(r"\{id: (\w+), x_m: (-?[\d.]+), y_m: (-?[\d.]+)\}", text)}
spur_from = {m[1]: m[0] for m in re.findall(r"\{from: (\w+), to: (\w+), width_m: 2, speed_limit_m_per_s: 1\.0\}", text)}
half_depth = {"station": (1.0, 0.75), "buffer": (0.6, 0.6), "sink": (0.5, 0.5), "source": (0.5, 0.5)}
station_pose = {}
def place(match):
    ident, kind, node = match[1], match[2], match[3]
    end, start = nodes[node], nodes[spur_from[node]]
    d = ((end[0] - start[0]) / 4, (end[1] - start[1]) / 4)  # spurs are 4 m long
    # The vehicle reaches 0.6 m beyond the spur's end; 0.2 m gap; then the element's half depth.
    reach = 0.6 + 0.2 + (half_depth[kind][0] if d[0] else half_depth[kind][1])
    station_pose[ident] = (end[0] + d[0] * reach, end[1] + d[1] * reach, d)
    x, y, _ = station_pose[ident]
    return f"{match[0]}, pose: {{x: {x}, y: {y}}}"
# Each element that names a transfer node; the line it is on ends with that node's "}".
text = re.sub(r"(?s)\{id: (\w+), type: (station|buffer|sink)\b(?:(?!\{id:).)*?transfer_node: (\w+)(?=\})",
              place, text)
# A supply 4 m further out than its station.
def supply(match):
    x, y, d = station_pose[match[2]]
    return f"{match[0]}, pose: {{x: {x + 4 * d[0]}, y: {y + 4 * d[1]}}}"
text = re.sub(r"\{id: (\w+), type: source, supply: unlimited, to: (\w+)", supply, text)
assert text.count("pose:") == 15, text.count("pose:")
open(sys.argv[2], "w").write(text)
PY
"$linetwin" run "$work/grid.yaml" --collision-audit 20 --json "$work/grid.json" >"$work/grid.out" \
  2>"$work/err"
rc=$?
[ "$rc" -eq 0 ] && pass || fail "the grid of ten AGVs exited $rc: $(head -5 "$work/err")"
grep -E "^replication 0: collision audit: [0-9]+ checks, 0 contacts$" "$work/grid.out" && pass ||
  fail "the grid's audit line is missing: $(tail -3 "$work/grid.out")"
sed 's/^    vehicles: 10$/    vehicles: 10\n    traffic: none/' "$work/grid.yaml" >"$work/grid_none.yaml"
grep -q "traffic: none" "$work/grid_none.yaml" || fail "the grid no longer says 'vehicles: 10'"
"$linetwin" run "$work/grid_none.yaml" --collision-audit 20 -q 2>"$work/err"
rc=$?
[ "$rc" -eq 3 ] && pass || fail "the grid without traffic control exited $rc, expected 3"
grep -qE "^  replication 0, t = [0-9.]+ s: AGV#[0-9]+ and AGV#[0-9]+ at \(" "$work/err" && pass ||
  fail "no contact between vehicles listed: $(head -3 "$work/err")"

# The same grid, each vehicle carrying a load twice its width (1.6 m across its 0.8 m): the zones
# go back when the wider body is clear, so loads touch nothing either.
sed 's/width_m: 0.8, length_m: 1.2,/width_m: 0.8, length_m: 1.2, load: {length_m: 1.2, width_m: 1.6},/' \
  "$work/grid.yaml" >"$work/grid_loads.yaml"
grep -q "load: {" "$work/grid_loads.yaml" || fail "the grid's vehicle is no longer 0.8 m x 1.2 m"
"$linetwin" run "$work/grid_loads.yaml" --collision-audit 20 >"$work/grid_loads.out" 2>"$work/err"
rc=$?
[ "$rc" -eq 0 ] && pass || fail "the grid with loads exited $rc: $(head -5 "$work/err")"
grep -E "^replication 0: collision audit: [0-9]+ checks, 0 contacts$" "$work/grid_loads.out" &&
  pass || fail "the grid with loads: $(tail -3 "$work/grid_loads.out")"

# Two vehicles leaving and entering one depot node by edges 64 degrees apart: the zone goes
# back only when the leaving one's tail is clear of the other standing on the node, turned any
# way, so the audit finds no contact between them before the deadlock this scene runs into (its
# elements have no poses and sit at the origin, so contacts with them are expected).
"$linetwin" run "$root/tests/plant/scenes/agv_deadlock.yaml" --reps 1 --collision-audit 1000 \
  --json "$work/depot.json" -q 2>/dev/null
/usr/bin/python3 - "$work/depot.json" <<'PY' && pass || fail "vehicles touch at the depot"
import json, sys
audit = json.load(open(sys.argv[1]))["collision_audit"]
pairs = [c["bodies"] for r in audit["replications"] for c in r["contacts"]]
assert pairs and not [p for p in pairs if p[1].startswith("AGV#")], pairs
PY

# Bad uses: exit 2, saying why.
expect_error 2 "--collision-audit.*expected a scene with vehicles \(fleets:\)" -- \
  run "$root/scenes/balanced_line.yaml" --collision-audit 20
expect_error 2 "collision-audit" -- run "$aisle" --collision-audit 0
expect_error 2 "collision-audit" -- run "$aisle" --collision-audit nan
expect_error 2 "excludes" -- run "$aisle" --collision-audit 20 --save-state "$work/s" --at 1h

finish_checks "collision audit CLI"
