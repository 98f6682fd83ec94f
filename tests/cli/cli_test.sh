#!/usr/bin/env bash
# Checks `linetwin` from the outside: exit codes (0 ok, 2 bad input or flags), error messages that
# name the file and field, results that are byte-identical for any thread count and that change
# with the seed, and JSON/CSV that Python's standard library parses.
set -u
linetwin=$1
root=$2
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"

scene="$root/scenes/balanced_line.yaml"

# Help and version exit 0 and describe every flag.
"$linetwin" --help >"$work/help" 2>&1 && pass || fail "--help exited non-zero"
"$linetwin" run --help >"$work/runhelp" 2>&1 && pass || fail "run --help exited non-zero"
for flag in --reps --seed --duration --warmup --threads --json --csv; do
  grep -q -- "$flag" "$work/runhelp" && pass || fail "run --help does not mention $flag"
done
"$linetwin" --version | grep -q "linetwin 0\." && pass || fail "--version"

# Determinism: same seed, 1 or 2 threads, identical bytes; another seed, other numbers.
"$linetwin" run "$scene" --reps 6 --duration 2h --threads 1 --json "$work/t1.json" --csv "$work/t1.csv" -q || fail "run t1"
"$linetwin" run "$scene" --reps 6 --duration 2h --threads 2 --json "$work/t2.json" --csv "$work/t2.csv" -q || fail "run t2"
cmp -s "$work/t1.json" "$work/t2.json" && pass || fail "JSON differs between --threads 1 and 2"
cmp -s "$work/t1.csv" "$work/t2.csv" && pass || fail "CSV differs between --threads 1 and 2"
"$linetwin" run "$scene" --reps 6 --duration 2h --seed 99 --json "$work/s99.json" -q || fail "run seed 99"
cmp -s "$work/t1.json" "$work/s99.json" && fail "a different seed gave identical JSON" || pass

# The JSON has the documented top level and parses; the CSV has one header and numeric cells.
/usr/bin/python3 - "$work/t1.json" "$work/t1.csv" <<'PY' && pass || fail "JSON/CSV structure"
import csv, json, sys
j = json.load(open(sys.argv[1]))
for key in ("scene", "seed", "replications", "kpis", "stations", "buffers"):
    assert key in j, key
assert j["replications"] == 6
for name, kpi in j["kpis"].items():
    assert kpi["ci95_low"] <= kpi["mean"] <= kpi["ci95_high"], name
assert [s["id"] for s in j["stations"]] == ["OP10", "OP20", "OP30", "OP40", "OP50"]
rows = list(csv.DictReader(open(sys.argv[2])))
assert rows[0]["kpi"] == "throughput_per_hour"
assert abs(float(rows[0]["mean"]) - j["kpis"]["throughput_per_hour"]["mean"]) < 1e-9
PY

# JSON to stdout replaces the table.
"$linetwin" run "$scene" --reps 2 --duration 1h --json - 2>/dev/null | /usr/bin/python3 -c "import json,sys; json.load(sys.stdin)" && pass || fail "--json - is not pure JSON"

# Bad flags: exit 2 with a message.
expect_error 2 "reps" -- run "$scene" --reps 0
expect_error 2 "--duration.*expected a duration" -- run "$scene" --duration soon
expect_error 2 "--warmup" -- run "$scene" --warmup -5min
expect_error 2 "unknown-flag|extra|not expected" -- run "$scene" --unknown-flag
expect_error 2 "SCENE is required|required" -- run
expect_error 2 "subcommand" --
expect_error 2 "unknown command 'frobnicate'; expected one of: run" -- frobnicate

expect_error 2 "--seed: expected a whole number >= 0, found '-1'" -- run "$scene" --seed -1
expect_error 2 "at most one of --json and --csv" -- run "$scene" --json - --csv -
expect_error 2 "--duration.*found '1e306w'" -- run "$scene" --duration 1e306w

# Bad scenes: exit 2, message names the file and the field.
cp "$scene" "$work/ok.yaml"
sed 's/capacity: 3, to: OP20/capacity: -2, to: OP20/' "$scene" >"$work/negative.yaml"
expect_error 2 "negative.yaml:[0-9]+:[0-9]+: field 'elements\[2\]\.capacity'" -- run "$work/negative.yaml"
sed 's/to: OP30/to: OP31/' "$scene" >"$work/dangling.yaml"
expect_error 2 "dangling.yaml:[0-9]+.*elements\[4\]\.to.*'OP31'" -- run "$work/dangling.yaml"
sed '0,/distribution: gamma/s//distribution: gammma/' "$scene" >"$work/unknown_dist.yaml"
expect_error 2 "unknown_dist.yaml:[0-9]+.*processing\.distribution.*unknown distribution 'gammma'" -- run "$work/unknown_dist.yaml"
sed 's/^product:/produkt:/' "$scene" >"$work/unknown_key.yaml"
expect_error 2 "unknown_key.yaml:[0-9]+.*'produkt'.*expected one of" -- run "$work/unknown_key.yaml"
printf 'linetwin_scene: 1\nelements: [ {id: a, type: sink\n' >"$work/syntax.yaml"
expect_error 2 "syntax.yaml:[0-9]+:[0-9]+: not valid YAML" -- run "$work/syntax.yaml"
expect_error 2 "missing.yaml: cannot open the scene file" -- run "$work/missing.yaml"
printf 'linetwin_scene: 1\nelements:\n  - {id: in, type: source, supply: unlimited, to: out}\n  - {id: out, type: sink}\n' >"$work/endless.yaml"
expect_error 2 "endless.yaml:3:5: field 'elements\[0\]\.to': an unlimited supply must feed a station" -- run "$work/endless.yaml"
expect_error 2 "is a directory" -- run "$work"

# A result file that cannot be written is reported before the run, with the reason, and an
# existing results file is left alone until new results are ready.
expect_error 2 "cannot write the results file: No such file or directory" -- run "$scene" --reps 1 --duration 1h --json /nonexistent-dir/x.json
expect_error 2 "field .--record.: cannot write the results file" -- run "$scene" --reps 1 --duration 1h --record /nonexistent-dir/x.h5
expect_error 2 "field .--record.: expected a file path" -- run "$scene" --reps 1 --duration 1h --record -
expect_error 2 "field .--record-interval.: expected a duration" -- run "$scene" --reps 1 --duration 1h --record "$work/r.h5" --record-interval 0s
echo "earlier results" >"$work/kept.json"
"$linetwin" run "$work/negative.yaml" --json "$work/kept.json" 2>/dev/null
grep -q "earlier results" "$work/kept.json" && pass || fail "a failed run overwrote an existing results file"

# No progress bar when stderr is not a terminal: stderr stays empty on success.
"$linetwin" run "$scene" --reps 2 --duration 1h >/dev/null 2>"$work/stderr"
[ ! -s "$work/stderr" ] && pass || fail "stderr not empty off a terminal: $(cat "$work/stderr")"

finish_checks
