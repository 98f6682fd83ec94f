#!/usr/bin/env bash
# `linetwin import` from the outside (docs/automationml.md). With AML_DIR (../shared/data's
# layout/aml, which with_shared_data.sh appends): example_line_minimal.aml imports to a scene that
# `linetwin run` runs, its models found from the scene's folder; the other layouts import with
# --layout-only and exit 2 without it; the role class libraries exit 2. Without AML_DIR: bad
# input, exit 2 naming the file, the line and the element or link, and --lenient and --role-map.
# Usage: aml_import_test.sh LINETWIN [AML_DIR]
set -u
linetwin=$1
aml=${2:-}
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"

if [ -n "$aml" ]; then
  mkdir "$work/scenes"
  "$linetwin" import "$aml/example_line_minimal.aml" -o "$work/scenes/line.yaml" \
    >"$work/stdout" 2>"$work/err" && pass || fail "example import: $(cat "$work/err")"
  [ ! -s "$work/err" ] && pass || fail "example import warned: $(cat "$work/err")"
  grep -q "Imported 4 elements and 3 links" "$work/stdout" && pass || fail "summary: $(cat "$work/stdout")"
  # Both models exist, found from the scene's own folder.
  models=$(sed -n 's/^ *model: //p' "$work/scenes/line.yaml")
  [ "$(echo "$models" | wc -l)" -eq 2 ] && pass || fail "models: $models"
  for model in $models; do
    [ -f "$work/scenes/$model" ] && pass || fail "model $model not found from the scene's folder"
  done
  "$linetwin" run "$work/scenes/line.yaml" --reps 2 --duration 1h -q --json "$work/run.json" \
    2>"$work/err" && pass || fail "run of the imported scene: $(cat "$work/err")"
  # Parts flow: the source releases one part every 6 s (interArrivalTime), at most 600 an hour.
  /usr/bin/python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))["kpis"]["throughput_per_hour"]["mean"]
sys.exit(0 if 0 < t <= 600 else 1)' "$work/run.json" && pass ||
    fail "throughput of the imported line not in (0, 600] per hour"

  for file in Part2.aml Test3_IH_IE_ExtInt.aml Topology_2021.aml; do
    "$linetwin" import "$aml/$file" -o "$work/scenes/$file.yaml" --layout-only -q 2>"$work/err" &&
      pass || fail "$file --layout-only: $(cat "$work/err")"
    "$linetwin" run "$work/scenes/$file.yaml" --reps 1 --duration 1h -q 2>"$work/err" && pass ||
      fail "run of the layout of $file: $(cat "$work/err")"
    expect_error 2 "$file:[0-9]+: no flow runs from a source to a sink" -- \
      import "$aml/$file" -o "$work/scenes/never.yaml"
  done
  [ ! -e "$work/scenes/never.yaml" ] && pass || fail "a failed import wrote its output"
  for file in AutomationMLDMIRoleClassLib.aml AutomationMLExtendedRoleClassLib.aml; do
    expect_error 2 "$file:1: holds no InstanceHierarchy" -- import "$aml/$file" -o "$work/x.yaml"
  done
  finish_checks "import of the shared layouts"
fi

caex() {
  printf '<CAEXFile SchemaVersion="3.0" FileName="t.aml">\n<InstanceHierarchy Name="P">\n'
  cat
  printf '</InstanceHierarchy>\n</CAEXFile>\n'
}
machine='<RoleRequirements RefBaseRoleClassPath="AutomationMLDMIRoleClassLib/DiscManufacturingEquipment/Machine"/>'

printf '<CAEXFile SchemaVersion="3.0">\n<InstanceHierarchy Name="P">\n</CAEXFile>\n' >"$work/bad.aml"
expect_error 2 "bad.aml:3:[0-9]+: malformed XML" -- import "$work/bad.aml" -o "$work/x.yaml"
printf '<CAEXFile SchemaVersion="4.0"/>\n' >"$work/v4.aml"
expect_error 2 "v4.aml:1: unsupported CAEX version '4.0'" -- import "$work/v4.aml" -o "$work/x.yaml"

caex >"$work/roles.aml" <<XML
<InternalElement Name="M" ID="m">$machine<Attribute Name="processingTime"><Value>30</Value></Attribute></InternalElement>
<InternalElement Name="Gadget" ID="g"><RoleRequirements RefBaseRoleClassPath="VendorLib/Gadget"/></InternalElement>
XML
expect_error 2 "roles.aml:4: element 'Gadget': no element kind for its role class 'VendorLib/Gadget'" -- \
  import "$work/roles.aml" -o "$work/x.yaml" --layout-only
"$linetwin" import "$work/roles.aml" -o "$work/x.yaml" --layout-only --lenient -q 2>"$work/err" &&
  pass || fail "--lenient: $(cat "$work/err")"
grep -q "warning: .*roles.aml:4: element 'Gadget'.*left out" "$work/err" && pass ||
  fail "--lenient warning: $(cat "$work/err")"
printf 'roles:\n  VendorLib/Gadget: station\n' >"$work/map.yaml"
"$linetwin" import "$work/roles.aml" -o "$work/x.yaml" --layout-only --role-map "$work/map.yaml" \
  -q 2>"$work/err" && pass || fail "--role-map: $(cat "$work/err")"
grep -q "id: Gadget" "$work/x.yaml" && pass || fail "the mapped element is not in the scene"
printf 'roles:\n  VendorLib/Gadget: gizmo\n' >"$work/badmap.yaml"
expect_error 2 "badmap.yaml:2:[0-9]+: field 'roles.VendorLib/Gadget': expected one of source" -- \
  import "$work/roles.aml" -o "$work/x.yaml" --role-map "$work/badmap.yaml"

caex >"$work/link.aml" <<XML
<InternalElement Name="M" ID="m">$machine<ExternalInterface Name="out" ID="m-out"/>
<InternalLink Name="L1" RefPartnerSideA="m-out" RefPartnerSideB="nowhere"/></InternalElement>
XML
expect_error 2 "link.aml:4: link 'L1': RefPartnerSideB 'nowhere' names no interface" -- \
  import "$work/link.aml" -o "$work/x.yaml" --layout-only
finish_checks "import: bad input"
