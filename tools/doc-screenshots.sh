#!/usr/bin/env bash
# Makes the viewer images in docs/images/ with linetwin-viewer's headless capture, and the image of
# the example sweep's HTML report with headless chromium, so that the screenshots in docs/ always
# show what the current code draws (CI runs this script; nobody takes them by hand). One image per panel, each with only that panel open over the 3D view of
# the car final-assembly scene at 10:30 on its first Monday (37,800 s, mid-shift), plus one with
# the usual panels and one with none (the layout: default models, names and flow arrows), and the
# AGV cell's vehicles, empty and loaded, and the parts on a physics conveyor.
#
# Usage: tools/doc-screenshots.sh [BIN_DIR] [OUT_DIR]
#   BIN_DIR defaults to build-release/bin, OUT_DIR to docs/images. Without a display it runs
#   itself under xvfb-run (Mesa's llvmpipe gives OpenGL 3.3 without a GPU).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=${1:-$repo/build-release/bin}
out_dir=${2:-$repo/docs/images}
viewer=$bin_dir/linetwin-viewer
if [[ ! -x $viewer ]]; then
  echo "doc-screenshots.sh: $viewer not found; build it first (cmake --build build-release)" >&2
  exit 2
fi
if [[ -z ${DISPLAY:-} ]]; then
  exec xvfb-run -a -s "-screen 0 1920x1080x24" "$0" "$bin_dir" "$out_dir"
fi
mkdir -p "$out_dir"

scene=$repo/scenes/final_assembly.yaml
time_s=37800
# The inspector shows the selected element; the door and cockpit marriage station is the one
# the final-assembly scene is about.
selected=T30_door_cockpit
# IMAGE NAME -> --panels list
shots=(
  "overview:controls,kpi,states,inspector,events,legend"
  "layout:none"
  "controls:controls"
  "kpi:kpi"
  "states:states"
  "inspector:inspector"
  "events:events"
  "legend:legend"
  "timeline:timeline"
  "help:help"
)
for shot in "${shots[@]}"; do
  name=${shot%%:*}
  panels=${shot#*:}
  "$viewer" "$scene" --screenshot "$out_dir/viewer-$name.png" --time "$time_s" \
    --size 1600x900 --panels "$panels" --select "$selected"
  echo "doc-screenshots.sh: wrote $out_dir/viewer-$name.png"
done
# The plan view and the material-flow diagram (docs/viewer.md) of the same scene at the same time.
"$viewer" "$scene" --screenshot "$out_dir/viewer-plan.png" --time "$time_s" --size 1600x900 \
  --panels none --view plan
echo "doc-screenshots.sh: wrote $out_dir/viewer-plan.png"
"$viewer" "$scene" --screenshot "$out_dir/viewer-flows.png" --time "$time_s" --size 1600x900 \
  --panels none --flow-diagram
echo "doc-screenshots.sh: wrote $out_dir/viewer-flows.png"
# Vehicles (docs/viewer.md, docs/transport.md): the AGV cell at 20,000 s, AGV#1 standing at the
# mills' pick-up dock, the other vehicle driving by the wash, with the legend.
"$viewer" "$repo/scenes/agv_cell.yaml" --screenshot "$out_dir/viewer-vehicles.png" --time 20000 \
  --size 1600x900 --panels legend
echo "doc-screenshots.sh: wrote $out_dir/viewer-vehicles.png"
# Loads (docs/transport.md): the same cell at 20,140 s, both vehicles driving loaded, AGV#1 from
# PREP to the mill's buffer and the other from the wash to shipping, with the legend.
"$viewer" "$repo/scenes/agv_cell.yaml" --screenshot "$out_dir/viewer-loads.png" --time 20140 \
  --size 1600x900 --panels legend
echo "doc-screenshots.sh: wrote $out_dir/viewer-loads.png"
# A physics conveyor (docs/viewer.md): the physics conveyor line at 700 s, two 1.5 m parts queued
# at C1's exit in front of OP20.
"$viewer" "$repo/scenes/physics_conveyor_line.yaml" --screenshot "$out_dir/viewer-physics-belt.png" \
  --time 700 --size 1600x900 --panels none
echo "doc-screenshots.sh: wrote $out_dir/viewer-physics-belt.png"
# What-if from now (docs/viewer.md): a replay of a recorded run of the line with breakdowns at
# 06:00 UTC of its first day, the what-if window showing the line's state as the telemetry tells it.
recording_dir=$(mktemp -d)
trap 'rm -rf "$recording_dir"' EXIT
"$bin_dir/linetwin" run "$repo/scenes/breakdown_line.yaml" --reps 1 -q \
  --record "$recording_dir/breakdown_line.h5"
"$viewer" "$repo/scenes/breakdown_line.yaml" --replay "$recording_dir/breakdown_line.h5" \
  --screenshot "$out_dir/viewer-whatif-now.png" --time 6h --size 1600x900 --panels controls,whatif
echo "doc-screenshots.sh: wrote $out_dir/viewer-whatif-now.png"
# The sweep window (docs/viewer.md, "Experiments"): the buffer-allocation example's results, as
# `linetwin sweep --json` writes them, opened over the line it sweeps.
"$bin_dir/linetwin" sweep "$repo/examples/buffer_allocation.scenario.yaml" -q \
  --json "$recording_dir/buffers.json"
"$viewer" "$repo/scenes/breakdown_line.yaml" --sweep "$recording_dir/buffers.json" \
  --screenshot "$out_dir/viewer-sweep.png" --size 1600x900 --panels sweep
echo "doc-screenshots.sh: wrote $out_dir/viewer-sweep.png"
# The buffer-allocation example's HTML report (docs/experiments.md), opened in headless chromium.
"$bin_dir/linetwin" sweep "$repo/examples/buffer_allocation.scenario.yaml" -q \
  --html "$out_dir/sweep-report.html.tmp"
chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size=1200,1400 \
  --screenshot="$out_dir/sweep-report.png" "file://$out_dir/sweep-report.html.tmp" >/dev/null 2>&1
rm -f "$out_dir/sweep-report.html.tmp"
[[ -s $out_dir/sweep-report.png ]]
echo "doc-screenshots.sh: wrote $out_dir/sweep-report.png"
# A deadlocked line (docs/viewer.md, "Deadlocks"): the image is written, and exit status 3 says so.
"$viewer" "$repo/tests/viewer/scenes/deadlock_rework_loop.yaml" --screenshot \
  "$out_dir/viewer-deadlock.png" --time 60 --size 1600x900 --panels kpi,inspector,events \
  --select OP20 || (($? == 3))
