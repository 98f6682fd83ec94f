#!/usr/bin/env bash
# `linetwin run --record --trajectory-rate` on the bundled AGV cell and physics conveyor line, read
# with h5py and pandas alone: rows in time order at the instants k / rate; every moving vehicle on
# an edge of the scene's network (its centre within 1e-9 m of the segment between the edge's
# nodes, heading along it), every standing one on a node, a parked one at no pose; each vehicle's
# first drive leaves from the depot; the docs' snippet runs as written; the parts on the physics
# belt on its centre line and never closer than a part's length. And the flag's bad input.
# Usage: trajectory_cli_test.sh LINETWIN REPOSITORY
set -u
linetwin=$1
root=$2
# shellcheck source=../cli/cli_checks.sh
source "$(dirname "$0")/../cli/cli_checks.sh"

scene="$root/scenes/agv_cell.yaml"
"$linetwin" run "$scene" --reps 1 --duration 2h -q --record "$work/agv.h5" --trajectory-rate 4 \
  2>"$work/err" && pass || fail "record with trajectories: $(cat "$work/err")"

/usr/bin/python3 - "$scene" "$work/agv.h5" "$root/docs/recording-format.md" <<'PY' \
  && pass || fail "trajectories as documented"
import math, re, sys
import h5py, numpy as np, pandas as pd, yaml

scene = yaml.safe_load(open(sys.argv[1]))
nodes = {n["id"]: (n["x_m"], n["y_m"]) for n in scene["paths"]["nodes"]}
edges = [(nodes[e["from"]], nodes[e["to"]]) for e in scene["paths"]["edges"]]
fleet = scene["fleets"][0]

with h5py.File(sys.argv[2], "r") as f:
    start_us = int(f.attrs["start_time_us"])
    bodies = list(f["bodies"].asstr()[:])
    shapes = f["body_shapes"][:]
    poses = pd.DataFrame(f["trajectories"][:])
n = fleet["vehicles"]
names = [f"{fleet['id']}#{k + 1}" for k in range(n)]
# The vehicles, then their loads (the vehicle's footprint: the cell's loads stand within it).
assert bodies == names + [name + " load" for name in names], bodies
assert all(s["length_m"] == fleet["vehicle"]["length_m"] for s in shapes[:n])
assert all(s["width_m"] == fleet["vehicle"]["width_m"] for s in shapes[:n])
assert all(s["length_m"] == fleet["vehicle"]["length_m"] for s in shapes[n:])
assert len(poses) > 1000, len(poses)
assert poses["timestamp_us"].is_monotonic_increasing
# Instants k / 4 s: every timestamp is a whole number of 250 ms after the start.
assert ((poses["timestamp_us"] - start_us) % 250_000 == 0).all()
# The recording covers the scene's 1 h warm-up and the 2 h run.
assert poses["timestamp_us"].max() <= start_us + 3 * 3600 * 1_000_000

def on_edge(x, y, heading):
    for (ax, ay), (bx, by) in edges:
        dx, dy = bx - ax, by - ay
        t = ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)
        if -1e-12 <= t <= 1 + 1e-12:
            px, py = ax + t * dx, ay + t * dy
            if math.hypot(x - px, y - py) < 1e-9:
                along = math.atan2(dy, dx)
                turn = math.remainder(heading - along, 2 * math.pi)
                if abs(turn) < 1e-9 or abs(abs(turn) - math.pi) < 1e-9:
                    return True
    return False

moving = poses[poses["state"] == 2]
standing = poses[poses["state"] == 1]
parked = poses[poses["state"] == 0]
assert len(moving) > 0 and len(standing) > 0 and len(parked) >= len(bodies)
assert all(on_edge(r.x_m, r.y_m, r.heading_rad) for r in moving.itertuples())
points = set(nodes.values())
assert all((r.x_m, r.y_m) in points for r in standing.itertuples())
assert (parked[["x_m", "y_m", "heading_rad"]] == 0).all().all()
# Every vehicle starts parked (row at instant 0), and its first move leaves the depot's node.
first = poses.groupby("body").first()
assert (first["state"] == 0).all() and (first["timestamp_us"] == start_us).all()
home = nodes[fleet["home"]]
for body, rows in moving[moving["body"] < n].groupby("body"):
    x, y = rows.iloc[0]["x_m"], rows.iloc[0]["y_m"]
    assert math.hypot(x - home[0], y - home[1]) < 1.2 * 0.25 + 1e-9, (body, x, y)
# A still vehicle costs no rows: between two rows of a standing vehicle, no other of its own.
for body, rows in poses.groupby("body"):
    still = rows["state"].values != 2
    same = (rows[["x_m", "y_m", "heading_rad", "state"]].diff().abs().sum(axis=1) == 0).values
    assert not (still[1:] & same[1:]).any(), body

# The snippet of docs/recording-format.md, as written, on this file.
doc = open(sys.argv[3]).read()
section = doc[doc.index("### `/bodies`, `/body_shapes` and `/trajectories`"):]
[snippet] = re.findall(r"```python\n(.*?)```", section[:section.index("\n## ")], re.S)
import os
os.chdir(os.path.dirname(sys.argv[2]))
ns = {}
exec(snippet, ns)
assert set(ns["one_hour"].index) <= set(bodies) and len(ns["one_hour"]) > 0
PY

# With a load that has a footprint: after the vehicles, one body per vehicle's load with the
# load's size, parked (no pose) while not carried and on its vehicle's pose while carried; it
# is carried on drives to a drop-off and not on drives to a pick-up.
sed 's/      length_m: 1.4$/      length_m: 1.4\n      load: {length_m: 1.2, width_m: 1.1}/' "$scene" \
  >"$work/loads.yaml"
grep -q "load: {" "$work/loads.yaml" || fail "the AGV cell's vehicle no longer says 'length_m: 1.4'"
"$linetwin" run "$work/loads.yaml" --reps 1 --duration 2h -q --record "$work/loads.h5" \
  --trajectory-rate 4 2>"$work/err" && pass || fail "record loads: $(cat "$work/err")"
/usr/bin/python3 - "$work/loads.yaml" "$work/loads.h5" <<'PY' && pass || fail "loads as documented"
import sys
import h5py, pandas as pd, yaml

scene = yaml.safe_load(open(sys.argv[1]))
fleet = scene["fleets"][0]
n = fleet["vehicles"]
with h5py.File(sys.argv[2], "r") as f:
    bodies = list(f["bodies"].asstr()[:])
    shapes = f["body_shapes"][:]
    poses = pd.DataFrame(f["trajectories"][:])
names = [f"{fleet['id']}#{k + 1}" for k in range(n)]
assert bodies == names + [name + " load" for name in names], bodies
assert all(s["length_m"] == 1.2 and s["width_m"] == 1.1 for s in shapes[n:])
by_time = poses.set_index(["timestamp_us", "body"])
carried = poses[(poses["body"] >= n) & (poses["state"] != 0)]
assert len(carried) > 100 and (poses[poses["body"] >= n]["state"] == 0).any()
# A carried load's row is at its vehicle's pose, at the same instant, whenever both have a row.
for r in carried.itertuples():
    key = (r.timestamp_us, r.body - n)
    if key in by_time.index:
        v = by_time.loc[key]
        assert (v["x_m"], v["y_m"], v["heading_rad"]) == (r.x_m, r.y_m, r.heading_rad), r
# Loads ride to drop-off docks only: a load row standing at a node stands where parts are dropped
# off or picked up, never at the depot.
nodes = {d["id"]: (d["x_m"], d["y_m"]) for d in scene["paths"]["nodes"]}
home = nodes[fleet["home"]]
assert not ((carried["x_m"] == home[0]) & (carried["y_m"] == home[1])).any()
PY

# A line whose only moving bodies are the parts on a physics conveyor records them: one body per
# place on the belt (docs/recording-format.md), each at a pose on the belt's centre line while a
# part is there, parked otherwise. A build without the physics layer refuses the scene instead.
belt_scene="$root/scenes/physics_conveyor_line.yaml"
if simulates "$belt_scene"; then
  "$linetwin" run "$belt_scene" --reps 1 --duration 1h -q --record "$work/belt.h5" \
    --trajectory-rate 2 2>"$work/err" && pass || fail "record belt parts: $(cat "$work/err")"
  /usr/bin/python3 - "$belt_scene" "$work/belt.h5" <<'PY' && pass || fail "belt parts as documented"
import math, sys
import h5py, pandas as pd, yaml

scene = yaml.safe_load(open(sys.argv[1]))
belt = next(e for e in scene["elements"] if e.get("mode") == "physics")
places = math.floor(belt["length_m"] / belt["spacing_m"])
with h5py.File(sys.argv[2], "r") as f:
    bodies = list(f["bodies"].asstr()[:])
    shapes = f["body_shapes"][:]
    poses = pd.DataFrame(f["trajectories"][:])
assert bodies == [f"{belt['id']} part {k + 1}" for k in range(places)], bodies
assert all(s["length_m"] == belt["part_size_m"][0] for s in shapes)
there = poses[poses["state"] != 0]
assert len(there) > 100, len(there)
# On the centre line (y of the belt's pose; the belt runs along x); and at every instant the parts
# on the belt, head first, stand at least a part's length apart, less what contact lets bodies
# sink into each other: each a box of its own, never two in one place.
x0, y0 = belt["pose"]["x"], belt["pose"]["y"]
assert (there["y_m"] - y0).abs().max() < 1e-6
length = belt["part_size_m"][0]
poses["front"] = poses["x_m"] - x0 + belt["length_m"] / 2 + length / 2
# Each place's last row at or before each instant; parked places have no part.
fronts = poses.pivot_table(index="timestamp_us", columns="body", values="front").ffill()
states = poses.pivot_table(index="timestamp_us", columns="body", values="state").ffill()
fronts = fronts.where(states != 0)
closest = (-fronts.diff(axis=1)).min().min()  # place k's front ahead of place k + 1's
assert closest >= length - 0.02, closest
assert len(fronts.dropna(thresh=2)) > 10  # instants with two parts or more on the belt
PY
else
  expect_error 2 "physics" -- run "$belt_scene" --reps 1 --duration 1h -q --record "$work/y.h5" \
    --trajectory-rate 2
fi

# Bad input: exit 2 naming the flag.
expect_error 2 "'--trajectory-rate': expected --record with it" -- \
  run "$scene" --reps 1 --duration 1h --trajectory-rate 5
expect_error 2 "--trajectory-rate.*or physics conveyors.*has none" -- \
  run "$root/scenes/balanced_line.yaml" --reps 1 --duration 1h --record "$work/x.h5" \
  --trajectory-rate 5
expect_error 2 "--trajectory-rate" -- run "$scene" --reps 1 --record "$work/x.h5" \
  --trajectory-rate 0
expect_error 2 "--trajectory-rate" -- run "$scene" --reps 1 --record "$work/x.h5" \
  --trajectory-rate nan
[ ! -e "$work/x.h5" ] && pass || fail "a refused run left a recording behind"

finish_checks
