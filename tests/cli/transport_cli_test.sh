#!/usr/bin/env bash
# Fleets from the command line: the bundled AGV cell runs, byte for byte the same on 1 and 2
# threads; each mistake in paths, fleets and transport links exits 2 naming file, line and field;
# saving the state of a run with fleets is refused (exit 2) rather than written without them.
set -u
linetwin=$1
root=$2
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"

cell="$root/scenes/agv_cell.yaml"
"$linetwin" run "$cell" --reps 4 --threads 1 --json "$work/one.json" -q && pass ||
  fail "scenes/agv_cell.yaml did not run"
"$linetwin" run "$cell" --reps 4 --threads 2 --json "$work/two.json" -q && pass ||
  fail "scenes/agv_cell.yaml did not run on two threads"
cmp -s "$work/one.json" "$work/two.json" && pass || fail "1 and 2 threads differ"
# The fleet's shares add up to 1, for the fleet and each vehicle, and its orders to the vehicles'.
/usr/bin/python3 - "$work/one.json" <<'PY' && pass || fail "the fleet's KPIs in the JSON do not add up"
import json, sys
fleet = json.load(open(sys.argv[1]))["fleets"][0]
assert fleet["id"] == "AGV" and fleet["vehicles"] == len(fleet["by_vehicle"]) == 2
for row in [fleet] + fleet["by_vehicle"]:
    total = sum(row[k]["mean"] for k in ("loaded_travel", "empty_travel", "driving_home",
                                          "waiting_for_zone", "handling", "idle"))
    assert abs(total - 1) < 1e-9, total
assert fleet["orders"]["mean"] == sum(v["orders"]["mean"] for v in fleet["by_vehicle"])
assert fleet["order_lead_time_mean_s"]["n"] == 4
# Congestion: a row per zone of the network, its 13 nodes then its 14 edges.
zones = json.load(open(sys.argv[1]))["zones"]
assert len(zones) == 27 and zones[0]["zone"] == "node GOODS_IN", zones[0]
assert zones[13]["zone"] == "edge GOODS_IN-MILL_JCT", zones[13]
assert all(z["waits"]["n"] == 4 and z["wait_s"]["mean"] >= 0 for z in zones)
# Every station ships by vehicle: its wait for one is a part of its blocked time, and is there.
for station in json.load(open(sys.argv[1]))["stations"]:
    wait = station["waiting_for_vehicle"]["mean"]
    assert 0 < wait <= station["blocked"]["mean"] + 1e-12, station
PY

# broken FROM TO: the bundled cell with the first FROM replaced by TO, as bad.yaml.
broken() {
  grep -qF -- "$1" "$cell" || fail "the cell no longer writes '$1' as this test expects"
  /usr/bin/python3 -c 'import sys; t = open(sys.argv[1]).read(); \
open(sys.argv[4], "w").write(t.replace(sys.argv[2], sys.argv[3], 1))' \
    "$cell" "$1" "$2" "$work/bad.yaml"
}
# line_of TEXT: the line of the bundled cell where TEXT first is.
line_of() { grep -nF -- "$1" "$cell" | head -1 | cut -d: -f1; }

edge="{from: GOODS_IN, to: MILL_JCT,"
broken "$edge" "{from: GOODS_IN, to: MILL,"
expect_error 2 "bad.yaml:$(line_of "$edge"):[0-9]+: field 'paths.edges\[0\].to'.*'MILL'" -- \
  run "$work/bad.yaml"

broken "width_m: 2, speed_limit_m_per_s: 1.5}" "width_m: 2, speed_limit_m_per_s: 0}"
expect_error 2 "bad.yaml:$(line_of "$edge"):[0-9]+: field 'paths.edges\[0\].speed_limit_m_per_s'" \
  -- run "$work/bad.yaml"

# Shipping reached only by the one-way lane from the mills: it cannot leave to go home.
broken "{from: WASH, to: SHIPPING, width_m: 2" "{from: WASH, to: MILLS, width_m: 2"
/usr/bin/python3 -c 'import sys; t = open(sys.argv[1]).read(); \
open(sys.argv[1], "w").write(t.replace("{from: SHIPPING, to: GOODS_IN,", "{from: GOODS_IN, to: MILLS,", 1))' \
  "$work/bad.yaml"
expect_error 2 "bad.yaml:$(line_of "{id: shipping, type: sink"):[0-9]+: field 'elements\[shipping\].pose'.*no edge leads there" \
  -- run "$work/bad.yaml"

broken "width_m: 1.0" "width_m: 2.5"
expect_error 2 "bad.yaml:[0-9]+:[0-9]+: field 'fleets\[0\].vehicle.width_m'" -- run "$work/bad.yaml"

broken "to: {via: AGV, to: B_MILL}" "to: {via: FORKLIFT, to: B_MILL}"
expect_error 2 "bad.yaml:$(line_of "to: {via: AGV, to: B_MILL}"):[0-9]+: field 'elements\[PREP\].to.via'.*'FORKLIFT'" \
  -- run "$work/bad.yaml"

broken "      unload_time: 15s" "      unload_time: 15s
      battery_kwh: 3"
expect_error 2 "bad.yaml:[0-9]+:[0-9]+: field 'fleets\[0\].vehicle.battery_kwh'" -- run "$work/bad.yaml"

expect_error 2 "field 'fleets'.*not supported yet" -- \
  run "$cell" --replication 0 --save-state "$work/cell.state" --at 2h
[ ! -e "$work/cell.state" ] && pass || fail "a state of a run with fleets was written"

# A scenario's path into a fleet: a field the vehicle does not have, and a fleet size of 0.
cat > "$work/fleet.scenario.yaml" <<SCENARIO
linetwin_scenario: 1
name: fleet paths
base: $cell
variants:
  - name: faster
    set: {AGV.vehicle.top_speed: 2}
SCENARIO
expect_error 2 "fleet.scenario.yaml:6:[0-9]+: field 'variants\[faster\].set.AGV.vehicle.top_speed'.*expected one of: max_speed_m_per_s" \
  -- sweep "$work/fleet.scenario.yaml" --reps 2
sed -i 's/AGV.vehicle.top_speed: 2/AGV.vehicles: 0/' "$work/fleet.scenario.yaml"
expect_error 2 "fleet.scenario.yaml:6:[0-9]+: field 'variants\[faster\].set.AGV.vehicles'.*from 1 to" \
  -- sweep "$work/fleet.scenario.yaml" --reps 2

# traffic: takes zones or none; anything else, or an unknown key, names file, line and field.
broken "    dispatch: nearest_idle" "    dispatch: nearest_idle
    traffic: lanes"
expect_error 2 "bad.yaml:$(( $(line_of "dispatch: nearest_idle") + 1 )):[0-9]+: field 'fleets\[0\].traffic'.*expected 'zones' or 'none', found 'lanes'" \
  -- run "$work/bad.yaml"
broken "    dispatch: nearest_idle" "    dispatch: nearest_idle
    traffic_control: zones"
expect_error 2 "bad.yaml:$(( $(line_of "dispatch: nearest_idle") + 1 )):[0-9]+: field 'fleets\[0\].traffic_control'" \
  -- run "$work/bad.yaml"

# Two vehicles each loaded for the node the other stands on: a deadlock, exit 3, with the
# vehicles in the JSON, the CSV and on stderr.
jam="$root/tests/plant/scenes/agv_deadlock.yaml"
expect_error 3 "a cycle of vehicles each waiting for a zone the next holds, AGV#2 -> AGV#1 -> AGV#2" \
  -- run "$jam" --reps 2 --json "$work/jam.json" --csv "$work/jam.csv"
grep -qF "AGV#2 at node B, loaded, waits for node A held by AGV#1" "$work/err" && pass ||
  fail "the deadlock on stderr does not say where the vehicles stand and wait"
/usr/bin/python3 - "$work/jam.json" <<'PY' && pass || fail "the vehicle deadlock in the JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "linetwin.run/5"
assert d["deadlocked_replications"] == 2
first = d["deadlocks"][0]
assert first["kind"] == "cycle" and first["elements"] == [], first
assert [(v["fleet"], v["vehicle"], v["parts"]) for v in first["vehicles"]] == [("AGV", 2, 1), ("AGV", 1, 1)]
PY
grep -q '^deadlock,r0:AGV#2,parts_held,1,,,,1$' "$work/jam.csv" && pass ||
  fail "the CSV lacks the deadlocked vehicles"

# Batteries: the charging KPIs in the JSON and the CSV for a fleet with batteries, and not for
# one without; a threshold of 0 or 1 is bad input naming file, line and field.
battery="$root/tests/plant/scenes/agv_battery.yaml"
"$linetwin" run "$battery" --reps 2 --json "$work/battery.json" --csv "$work/battery.csv" -q &&
  pass || fail "tests/plant/scenes/agv_battery.yaml did not run"
/usr/bin/python3 - "$work/battery.json" "$work/one.json" <<'PY' && pass ||
import json, sys
fleet = json.load(open(sys.argv[1]))["fleets"][0]
for row in [fleet] + fleet["by_vehicle"]:
    total = sum(row[k]["mean"] for k in ("loaded_travel", "empty_travel", "driving_home",
                                          "waiting_for_zone", "handling", "idle", "charging"))
    assert abs(total - 1) < 1e-9, total
assert fleet["charges"]["mean"] == 3 and fleet["energy_kwh"]["mean"] > 0, fleet
assert "charging" not in json.load(open(sys.argv[2]))["fleets"][0]
PY
  fail "the charging KPIs in the JSON"
grep -q '^vehicle,AGV#1,charges,3,' "$work/battery.csv" && pass || fail "the CSV lacks the charges"
for below in 0 1; do
  sed "s/charge_below: 0.3/charge_below: $below/" "$battery" > "$work/bad.yaml"
  expect_error 2 "bad.yaml:$(grep -n "charge_below" "$battery" | cut -d: -f1):[0-9]+: field 'fleets\[0\].battery.charge_below'.*strictly between 0 and 1" \
    -- run "$work/bad.yaml"
done

finish_checks "transport CLI"
