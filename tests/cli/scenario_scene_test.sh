#!/usr/bin/env bash
# A scenario variant that names a whole scene (`scene:`, docs/scenario-format.md): it runs that
# scene, changed by its `set` if any, on the baseline's random numbers, so a variant whose scene
# file is the base with B2 at 16 reports what the override B2.capacity: 16 reports; its scene's
# bytes are part of what merge checks shards against; bad input exits 2 naming file, line and field.
set -u
linetwin=$1
root=$2
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"

base="$root/scenes/breakdown_line.yaml"
mkdir "$work/layouts"
# The base with B2's 8 places made 16, and nothing else changed.
sed 's/^\(  - {id: B2, type: buffer, capacity: \)8,/\116,/' "$base" >"$work/layouts/b2_16.yaml"
grep -q "id: B2, type: buffer, capacity: 16," "$work/layouts/b2_16.yaml" && pass ||
  fail "the base no longer writes B2 as this test expects"

# write_scenario FILE [variant lines...]: a scenario on the base with these variants.
write_scenario() {
  local file=$1
  shift
  {
    echo "linetwin_scenario: 1"
    echo "base: $base"
    echo "run: {replications: 5, duration: 8h, warmup: 1h}"
    echo "variants:"
    for line in "$@"; do echo "$line"; done
  } >"$file"
}

# Relative to the scenario's folder.
write_scenario "$work/scenes.scenario.yaml" \
  "  - {name: B2 16, scene: layouts/b2_16.yaml}" \
  "  - {name: B2 16 B1 2, scene: layouts/b2_16.yaml, set: {B1.capacity: 2}}"
write_scenario "$work/overrides.scenario.yaml" \
  "  - {name: B2 16, set: {B2.capacity: 16}}" \
  "  - {name: B2 16 B1 2, set: {B2.capacity: 16, B1.capacity: 2}}"
for study in scenes overrides; do
  "$linetwin" sweep "$work/$study.scenario.yaml" --json "$work/$study.json" \
    --replications-csv "$work/$study.csv" -q || fail "sweep $study"
done
# The same scenes, so the same results: each variant's run object and every replication.
/usr/bin/python3 - "$work/scenes.json" "$work/overrides.json" <<'PY' && pass || fail "scene: is not the override's scene"
import json, sys
scenes, overrides = (json.load(open(path)) for path in sys.argv[1:])
assert [v["name"] for v in scenes["variants"]] == ["baseline", "B2 16", "B2 16 B1 2"]
for a, b in zip(scenes["variants"], overrides["variants"]):
    # The run object names the scene that ran: the variant's own file, else the base.
    scene = a["run"].pop("scene")
    base = b["run"].pop("scene")
    assert scene.endswith("/layouts/b2_16.yaml" if a["name"] != "baseline" else base), scene
    assert a["run"] == b["run"], a["name"]
    assert a["comparison"] == b["comparison"], a["name"]
PY
cmp -s "$work/scenes.csv" "$work/overrides.csv" && pass || fail "replications differ"

# Shards carry the variant's scene in their fingerprint: merged, the unsharded sweep; with the
# scene changed after the shards ran, refused.
for i in 1 2; do
  "$linetwin" sweep "$work/scenes.scenario.yaml" --shard $i/2 --hdf5 "$work/shard$i.h5" -q ||
    fail "shard $i"
done
"$linetwin" merge "$work/shard1.h5" "$work/shard2.h5" --json "$work/merged.json" -q ||
  fail "merge"
cmp -s "$work/merged.json" "$work/scenes.json" && pass || fail "merged shards differ"
echo "# changed" >>"$work/layouts/b2_16.yaml"
expect_error 2 "shard1.h5: field 'scenario_fingerprint': .*has changed since" -- \
  merge "$work/shard1.h5" "$work/shard2.h5" -q

# Bad input: exit 2, naming the scenario file, the line and the field.
bad="$work/bad.scenario.yaml"
write_scenario "$bad" "  - {name: other, scene: layouts/none.yaml}"
expect_error 2 "bad.scenario.yaml:5:26: field 'variants\[other\]\.scene': the variant's scene 'layouts/none.yaml' \(here .*layouts/none.yaml\): cannot open" -- sweep "$bad"
write_scenario "$bad" "  - {name: other, scene: [a, b]}"
expect_error 2 "bad.scenario.yaml:5:26: field 'variants\[other\]\.scene': expected" -- sweep "$bad"
write_scenario "$bad" "  - {name: other}"
expect_error 2 "bad.scenario.yaml:5:5: field 'variants\[other\]\.set'" -- sweep "$bad"
write_scenario "$bad" "  - {name: other, scene: layouts/b2_16.yaml, set: {}}"
expect_error 2 "bad.scenario.yaml:5:.*: field 'variants\[other\]\.set': expected at least one change" -- sweep "$bad"
write_scenario "$bad" "  - {name: other, scene: layouts/b2_16.yaml, seen: x}"
expect_error 2 "bad.scenario.yaml:5:.*variants\[0\].*'seen'.*scene" -- sweep "$bad"
# A change the variant's own scene refuses is reported at the change.
write_scenario "$bad" "  - {name: other, scene: layouts/b2_16.yaml, set: {B2.capacity: -1}}"
expect_error 2 "bad.scenario.yaml:5:.*: field 'variants\[other\]\.set\.B2\.capacity': expected a capacity" -- sweep "$bad"
# The scene's own problem is reported in the scene file, as `linetwin run` reports it.
printf 'linetwin_scene: 1\nelements: 3\n' >"$work/layouts/broken.yaml"
write_scenario "$bad" "  - {name: other, scene: layouts/broken.yaml}"
expect_error 2 "layouts/broken.yaml:2:.*elements" -- sweep "$bad"

finish_checks "scenario scene:"
