#!/usr/bin/env bash
# linetwin run with a `mode: physics` conveyor (docs/physics.md, "Physics conveyors"): simulated
# on Bullet, its replications on 1 and 2 threads give the same bytes, and the conveyor carries
# parts and stands still part of the time; the bundled example's belt holds floor(L / l) of its
# long parts. With a third argument, "without-physics", it checks that a build without the layer
# refuses the scene, exit 2 naming file, line and field.
# Usage: physics_conveyor_cli_test.sh LINETWIN SOURCE_DIR [without-physics]
set -u
linetwin=$1
root=$2
# shellcheck source=../cli/cli_checks.sh
source "$root/tests/cli/cli_checks.sh"

scene="$root/tests/physics/scenes/physics_conveyor_line.yaml"
# The line of the scene that says `mode: physics`.
mode_line=$(grep -n "mode: physics" "$scene" | head -1 | cut -d: -f1)
refusal="physics_conveyor_line.yaml:$mode_line: field 'elements\[C1\]\.mode': mode: physics needs a build with Bullet \(LINETWIN_PHYSICS=ON\)"

if [ "${3:-}" = without-physics ]; then
  expect_error 2 "$refusal" -- run "$scene" --reps 1 --duration 10min
  finish_checks "physics conveyor CLI without physics"
fi

"$linetwin" run "$scene" --reps 2 --duration 20min --threads 1 --json "$work/one.json" -q \
  2>"$work/err"
rc=$?
[ "$rc" -eq 0 ] && pass || fail "a run with a physics conveyor exited $rc: $(cat "$work/err")"
"$linetwin" run "$scene" --reps 2 --duration 20min --threads 2 --json "$work/two.json" -q \
  2>"$work/err"
cmp -s "$work/one.json" "$work/two.json" && pass ||
  fail "1 and 2 threads gave different results with a physics conveyor"
# The conveyor carried parts and its head was refused some of the time.
/usr/bin/python3 - "$work/one.json" <<'PY' && pass || fail "the physics conveyor's results are missing"
import json, sys
run = json.load(open(sys.argv[1]))
conveyor = run["conveyors"][0]
assert conveyor["id"] == "C1", conveyor
assert conveyor["parts_transported"]["mean"] > 0, conveyor
assert 0 < conveyor["stopped"]["mean"] < 1, conveyor
PY

# The bundled example (docs/physics.md, "The example"; examples/CMakeLists.txt runs it whole), one
# replication: its belt of 1.5 m parts holds at most floor(6 m / 1.5 m) = 4 of them, where the
# same belt as an event conveyor holds floor(6 m / 1 m) = 6; OP20 paces both, so the physics line
# has fewer parts in process.
example="$root/scenes/physics_conveyor_line.yaml"
"$linetwin" run "$example" --reps 1 --json "$work/example.json" -q 2>"$work/err" && pass ||
  fail "the example exited $?: $(cat "$work/err")"
sed -e 's/mode: physics/mode: event/' -e '/part_size_m/d' "$example" >"$work/example_event.yaml"
"$linetwin" run "$work/example_event.yaml" --reps 1 --json "$work/example_event.json" -q \
  2>"$work/err" && pass || fail "the example as an event conveyor exited $?: $(cat "$work/err")"
/usr/bin/python3 - "$work/example.json" "$work/example_event.json" <<'PY' && pass ||
import json, sys
physics, event = (json.load(open(path)) for path in sys.argv[1:])
def occupancy(run):
    return next(c for c in run["conveyors"] if c["id"] == "C1")["occupancy_mean"]["mean"]
assert 0 < occupancy(physics) <= 4 < occupancy(event) <= 6, (occupancy(physics), occupancy(event))
wip = [run["kpis"]["wip_mean"]["mean"] for run in (physics, event)]
assert wip[0] < wip[1], wip
PY
  fail "the example's belt does not hold at most 4 parts where the event conveyor holds more"
finish_checks "physics conveyor CLI"
