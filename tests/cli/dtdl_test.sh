#!/usr/bin/env bash
# `linetwin export --format dtdl` and `linetwin check-dtdl` from the outside (docs/dtdl.md). Every
# bundled scene exported and its models checked as DTDL v3; its twins are the scene's elements
# (the ids in the scene file and in `linetwin run --json`) and its feedsInto relationships the
# links that `linetwin export --format aml` writes; bad input exits 2 naming the file. With
# ISA95 (../shared/data's DTDL v2 ISA-95 ontology, which with_shared_data.sh appends): every file
# is valid DTDL v2, with exactly the four warnings of Relationship targets that name no
# interface, and none is DTDL v3.
# Usage: dtdl_test.sh LINETWIN SCENES_DIR [ISA95]
set -u
linetwin=$1
scenes=$2
isa95=${3:-}
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"

if [ -n "$isa95" ]; then
  "$linetwin" check-dtdl --dtdl-version 2 "$isa95" >"$work/out" 2>"$work/err" && pass ||
    fail "the ISA-95 models are not valid DTDL v2: $(cat "$work/err")"
  # The targets spelt with a lower-case first letter, where the interfaces are PhysicalAsset...,
  # WorkMaster and OperationsDefinition (read in the files themselves).
  expected="warning: $isa95/CommonObjectModels/Part2/OperationsCapability/PhysicalAssetCapability.json: /contents/1/target: target 'dtmi:digitaltwins:isa95:physicalAssetCapabilityProperty;1'
warning: $isa95/CommonObjectModels/Part2/OperationsPerformance/PhysicalAssetActual.json: /contents/1/target: target 'dtmi:digitaltwins:isa95:physicalAssetActualProperty;1'
warning: $isa95/CommonObjectModels/Part4/WorkCapability/WorkMasterCapability.json: /contents/0/target: target 'dtmi:digitaltwins:isa95:workMaster;1'
warning: $isa95/CommonObjectModels/Part4/WorkDefinition/WorkMaster.json: /contents/2/target: target 'dtmi:digitaltwins:isa95:operationDefinition;1'"
  got=$(sed -e 's/^linetwin check-dtdl: //' -e 's/ is no interface of the files checked.*//' "$work/err")
  [ "$got" = "$expected" ] && pass || fail "ISA-95 warnings: $got"
  files=$(find "$isa95" -name '*.json' | wc -l)
  grep -q "^$files interfaces in $files files: valid DTDL v2" "$work/out" && pass ||
    fail "ISA-95 summary: $(cat "$work/out")"
  # As DTDL v3 each file has the wrong context: exit 2, one line per file naming its @context.
  "$linetwin" check-dtdl "$isa95" -q >/dev/null 2>"$work/err"
  [ $? -eq 2 ] && pass || fail "ISA-95 as DTDL v3 did not exit 2"
  [ "$(grep -c ": /@context: expected 'dtmi:dtdl:context;3' first" "$work/err")" -eq "$files" ] &&
    pass || fail "ISA-95 as DTDL v3: $(head -3 "$work/err")"
  finish_checks "dtdl check of the ISA-95 models"
fi

mkdir "$work/dtdl" "$work/aml"
for scene in "$scenes"/*.yaml; do
  name=$(basename "$scene" .yaml)
  "$linetwin" export "$scene" --format dtdl -o "$work/dtdl/$name.json" >"$work/out" 2>"$work/err" &&
    pass || fail "dtdl export of $name: $(cat "$work/err")"
  "$linetwin" check-dtdl "$work/dtdl/$name.json" >"$work/out" 2>"$work/err" && pass ||
    fail "the export of $name is not valid DTDL v3: $(cat "$work/err")"
  [ ! -s "$work/err" ] && pass || fail "check of $name warned: $(cat "$work/err")"
  "$linetwin" export "$scene" --format aml -o "$work/aml/$name.aml" -q && pass || fail "aml export of $name"
  simulates "$scene" || continue
  "$linetwin" run "$scene" --reps 1 --duration 1min --json "$work/run.json" -q 2>"$work/err" && pass ||
    fail "run of $name: $(cat "$work/err")"
  /usr/bin/python3 - "$scene" "$work/dtdl/$name.twins.ndjson" "$work/aml/$name.aml" "$work/run.json" \
    >"$work/compare" 2>&1 <<'PY' && pass || fail "$name: $(cat "$work/compare")"
import json, sys, xml.etree.ElementTree as ET, yaml
scene_file, graph_file, aml_file, run_file = sys.argv[1:]
scene = yaml.safe_load(open(scene_file))
ids = [e["id"] for e in scene["elements"]]
sections, twins, relationships = [], {}, set()
for line in open(graph_file):
    item = json.loads(line)
    if "Section" in item:
        sections.append(item["Section"])
    elif sections[-1] == "Twins":
        twins[item["$dtId"]] = item["$metadata"]["$model"]
    elif sections[-1] == "Relationships":
        relationships.add((item["$dtId"], item["$relationshipName"], item["$targetId"]))
assert sections == ["Header", "Models", "Twins", "Relationships"], sections
line = "line:" + scene.get("name", "unnamed line")
assert twins.pop(line) == "dtmi:linetwin:Line;1"
# One twin per element, its id the element's, its model its kind's.
assert sorted(twins) == sorted(ids), (sorted(twins), sorted(ids))
for e in scene["elements"]:
    assert twins[e["id"]] == "dtmi:linetwin:%s;1" % e["type"].capitalize(), e
run = json.load(open(run_file))
for kind in ("stations", "buffers", "sources", "conveyors"):
    for element in run[kind]:
        assert element["id"] in twins, element["id"]
# feedsInto: the links of the scene as the AutomationML export writes them (the engine's routes).
ns = {"c": "http://www.dke.de/CAEX"}
links = set()
for link in ET.parse(aml_file).getroot().iter("{http://www.dke.de/CAEX}InternalLink"):
    a, b = link.get("Name").split(" to ")
    links.add((a, "feedsInto", b))
assert {r for r in relationships if r[1] == "feedsInto"} == links
assert {r for r in relationships if r[1] == "contains"} == {(line, "contains", i) for i in ids}
PY
done

# Bad input: exit 2 naming the file; nothing written.
expect_error 2 "never.aml: .*expected a .json file for --format dtdl" -- \
  export "$scenes/balanced_line.yaml" --format dtdl -o "$work/never.aml"
printf 'linetwin_scene: 1\nelements:\n  - {id: a, type: nonsense}\n' >"$work/bad.yaml"
expect_error 2 "bad.yaml:3:[0-9]+: .*type" -- export "$work/bad.yaml" --format dtdl -o "$work/never.json"
[ ! -e "$work/never.json" ] && [ ! -e "$work/never.twins.ndjson" ] && pass ||
  fail "a failed export wrote its output"
expect_error 2 "missing.json" -- check-dtdl "$work/missing.json"
expect_error 2 "dtdl-version" -- check-dtdl --dtdl-version 4 "$work/dtdl/balanced_line.json"
# An export spoiled as engineers do: the extension's context dropped (semantic types then need
# it), a name with a space, a relationship to a mistyped interface.
/usr/bin/python3 - "$work/dtdl/balanced_line.json" "$work/spoiled.json" <<'PY'
import json, sys
models = json.load(open(sys.argv[1]))
models[0]["@context"] = "dtmi:dtdl:context;3"
models[1]["contents"].append({"@type": "Property", "name": "cycle time", "schema": "double"})
models[-1]["contents"][1]["target"] = "dtmi:linetwin:element;1"
json.dump(models, open(sys.argv[2], "w"), indent=2)
PY
"$linetwin" check-dtdl "$work/spoiled.json" >"$work/out" 2>"$work/err"
[ $? -eq 2 ] && pass || fail "a spoiled export did not exit 2"
for pattern in "spoiled.json: /0/contents/4/@type: semantic type 'Length' needs the QuantitativeTypes" \
  "spoiled.json: /1/contents/[0-9]+/name: expected a name of letters" \
  "warning: .*spoiled.json: /[0-9]+/contents/1/target: target 'dtmi:linetwin:element;1'"; do
  grep -qE "$pattern" "$work/err" && pass || fail "no /$pattern/ in: $(cat "$work/err")"
done
finish_checks "dtdl export and check"
