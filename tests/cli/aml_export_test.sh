#!/usr/bin/env bash
# `linetwin export --format aml` from the outside (docs/automationml.md#export). Every bundled
# scene exported, the file imported into another folder (so that models and order files are
# rebased twice), and `linetwin run --json` of the two scenes equal but for the "scene" key; bad
# input exits 2 naming the file and writes nothing. With XSD (../shared/data's CAEX 3.0 schema,
# which with_shared_data.sh appends): every export validates against it with xmllint.
# Usage: aml_export_test.sh LINETWIN SCENES_DIR [XSD]
set -u
linetwin=$1
scenes=$2
xsd=${3:-}
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"
mkdir "$work/aml" "$work/imported"

if [ -n "$xsd" ]; then
  for scene in "$scenes"/*.yaml; do
    name=$(basename "$scene" .yaml)
    "$linetwin" export "$scene" --format aml -o "$work/aml/$name.aml" -q 2>"$work/err" && pass ||
      fail "export of $name: $(cat "$work/err")"
    xmllint --noout --schema "$xsd" "$work/aml/$name.aml" 2>"$work/err" && pass ||
      fail "$name.aml does not validate against $xsd: $(cat "$work/err")"
  done
  finish_checks "aml export, CAEX 3.0 schema"
fi

# The run's JSON without the scene's file name, keys sorted.
results() {
  set -o pipefail  # a run that fails is no result (it runs in $(...), a shell of its own)
  "$linetwin" run "$1" --json - -q | /usr/bin/python3 -c 'import json, sys
d = json.load(sys.stdin)
d.pop("scene")
print(json.dumps(d, sort_keys=True))'
}

for scene in "$scenes"/*.yaml; do
  name=$(basename "$scene" .yaml)
  "$linetwin" export "$scene" --format aml -o "$work/aml/$name.aml" >"$work/out" 2>"$work/err" &&
    pass || fail "export of $name: $(cat "$work/err")"
  # One InternalElement per element of the scene, besides the one that holds them.
  want=$(/usr/bin/python3 -c 'import sys, yaml; print(len(yaml.safe_load(open(sys.argv[1]))["elements"]))' "$scene")
  grep -q "Exported $want elements" "$work/out" && pass || fail "$name summary: $(cat "$work/out")"
  got=$(grep -c "<InternalElement " "$work/aml/$name.aml")
  [ "$got" -eq $((want + 1)) ] && pass || fail "$name.aml: $got InternalElements, expected $((want + 1))"
  "$linetwin" import "$work/aml/$name.aml" -o "$work/imported/$name.yaml" -q 2>"$work/err" && pass ||
    fail "import of $name.aml: $(cat "$work/err")"
  [ ! -s "$work/err" ] && pass || fail "import of $name.aml warned: $(cat "$work/err")"
  simulates "$scene" || continue
  original=$(results "$scene") && imported=$(results "$work/imported/$name.yaml") &&
    [ "$original" = "$imported" ] && pass ||
    fail "$name: run results of the round trip differ from the original's, or a run failed"
done

# The same scene gives the same file but for the time it was written: stable ids. (A folder
# beside the first, so that paths relative to it are the same.)
mkdir "$work/again"
"$linetwin" export "$scenes/balanced_line.yaml" --format aml -o "$work/again/balanced_line.aml" -q
diff <(grep -v LastWritingDateTime "$work/aml/balanced_line.aml") \
  <(grep -v LastWritingDateTime "$work/again/balanced_line.aml") >/dev/null && pass || fail "export not stable"

# Bad input: exit 2 naming the file; an output already there is left as it was.
printf 'linetwin_scene: 1\nelements:\n  - {id: a, type: nonsense}\n' >"$work/bad.yaml"
echo keep >"$work/kept.aml"
expect_error 2 "bad.yaml:3:[0-9]+: .*type" -- export "$work/bad.yaml" --format aml -o "$work/kept.aml"
[ "$(cat "$work/kept.aml")" = keep ] && pass || fail "a failed export touched its output"
expect_error 2 "missing.yaml" -- export "$work/missing.yaml" --format aml -o "$work/never.aml"
[ ! -e "$work/never.aml" ] && pass || fail "a failed export wrote its output"
expect_error 2 "format" -- export "$scenes/balanced_line.yaml" --format dtdl -o "$work/never.aml"
# An attribute linetwin export writes, spoiled: exit 2 at its line.
/usr/bin/python3 - "$work/aml/balanced_line.aml" "$work/spoiled.aml" <<'PY'
import sys
text = open(sys.argv[1]).read()
# The first element's YAML made a list instead of a map.
at = text.index("<Value>", text.index('Name="linetwinElement"')) + len("<Value>")
open(sys.argv[2], "w").write(text[:at] + "- " + text[at:])
PY
expect_error 2 "spoiled.aml:[0-9]+: element '[^']+': attribute 'linetwinElement': expected a YAML map" -- \
  import "$work/spoiled.aml" -o "$work/never.yaml"
finish_checks "aml export"
