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

# Every KPI of every replication: one CSV row and one JSON object per replication, whose mean
# is the summary's, the same for any thread count.
"$linetwin" run "$scene" --reps 6 --duration 2h --threads 2 --replications-csv "$work/r2.csv" --replications-json "$work/r2.json" -q || fail "run per replication"
"$linetwin" run "$scene" --reps 6 --duration 2h --threads 1 --replications-csv "$work/r1.csv" -q || fail "run per replication, 1 thread"
cmp -s "$work/r1.csv" "$work/r2.csv" && pass || fail "per-replication CSV differs between --threads 1 and 2"
/usr/bin/python3 - "$work/t1.json" "$work/r2.csv" "$work/r2.json" <<'PY' && pass || fail "per-replication CSV/JSON"
import csv, json, sys
summary = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
objects = json.load(open(sys.argv[3]))
assert [int(r["replication"]) for r in rows] == list(range(6))
assert len(objects) == 6
tp = [float(r["throughput_per_hour"]) for r in rows]
assert abs(sum(tp) / 6 - summary["kpis"]["throughput_per_hour"]["mean"]) < 1e-9
assert [o["throughput_per_hour"] for o in objects] == tp
oee = [float(r["OP30.oee"]) for r in rows]
mean_oee = next(s["oee"]["oee"]["mean"] for s in summary["stations"] if s["id"] == "OP30")
assert abs(sum(oee) / 6 - mean_oee) < 1e-9
assert all(r["deadlocked"] == "0" for r in rows)
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

expect_error 2 "--seed: expected a whole number from 0 to 18446744073709551615 \(2\^64 - 1\), found '-1'" -- run "$scene" --seed -1
# CLI11 alone would read a seed beyond 2^64 - 1 as 2^64 - 1.
expect_error 2 "--seed: expected a whole number .*found '18446744073709551616'" -- run "$scene" --seed 18446744073709551616
expect_error 2 "at most one output on standard output, found --json and --csv" -- run "$scene" --json - --csv -
expect_error 2 "found --csv and --replications-json" -- run "$scene" --csv - --replications-json -
# No duration a run takes may pass what its recording could hold (from 2026-01-05 to the end of
# the year 9999: 251,634,729,599 s), the warm-up and duration together neither: bad input, not
# a run without end.
expect_error 2 "field '--duration': expected a duration of at most 251634729599s.*found '1e306w'" -- run "$scene" --duration 1e306w
expect_error 2 "field '--warmup': expected a duration of at most 251634729599s" -- run "$scene" --warmup 1e15w
expect_error 2 "field '--duration': the run would end 251634729600s after its start \(warm-up 1s and duration 251634729599s\)" -- run "$scene" --duration 251634729599s --warmup 1s

# Bad scenes: exit 2, message names the file and the field.
cp "$scene" "$work/ok.yaml"
sed 's/capacity: 3, to: OP20/capacity: -2, to: OP20/' "$scene" >"$work/negative.yaml"
expect_error 2 "negative.yaml:[0-9]+:[0-9]+: field 'elements\[B1\]\.capacity'" -- run "$work/negative.yaml"
sed 's/to: OP30/to: OP31/' "$scene" >"$work/dangling.yaml"
expect_error 2 "dangling.yaml:[0-9]+.*elements\[B2\]\.to.*'OP31'" -- run "$work/dangling.yaml"
sed '0,/distribution: gamma/s//distribution: gammma/' "$scene" >"$work/unknown_dist.yaml"
expect_error 2 "unknown_dist.yaml:[0-9]+.*processing\.distribution.*unknown distribution 'gammma'" -- run "$work/unknown_dist.yaml"
sed 's/^product:/produkt:/' "$scene" >"$work/unknown_key.yaml"
expect_error 2 "unknown_key.yaml:[0-9]+.*'produkt'.*expected one of" -- run "$work/unknown_key.yaml"
printf 'linetwin_scene: 1\nelements: [ {id: a, type: sink\n' >"$work/syntax.yaml"
expect_error 2 "syntax.yaml:[0-9]+:[0-9]+: not valid YAML" -- run "$work/syntax.yaml"
expect_error 2 "missing.yaml: cannot open the scene file" -- run "$work/missing.yaml"
printf 'linetwin_scene: 1\nelements:\n  - {id: in, type: source, supply: unlimited, to: out}\n  - {id: out, type: sink}\n' >"$work/endless.yaml"
expect_error 2 "endless.yaml:3:5: field 'elements\[in\]\.to': an unlimited supply must feed a station" -- run "$work/endless.yaml"
expect_error 2 "is a directory" -- run "$work"

# A scene that asks for more than a machine has: refused by its limits (docs/scene-format.md), with
# the field, before anything is allocated.
printf 'linetwin_scene: 1\nelements:\n  - {id: in, type: source, supply: unlimited, to: M}\n  - {id: M, type: station, servers: 1000000000000, processing: 1min, to: out}\n  - {id: out, type: sink}\n' >"$work/servers.yaml"
expect_error 2 "servers.yaml:4:[0-9]+: field 'elements\[M\]\.servers': expected a whole number from 1 to 65535" -- run "$work/servers.yaml"
printf 'linetwin_scene: 1\noperators: [{pool: crew, count: 1000000000000000, skills: [a]}]\nelements:\n  - {id: in, type: source, supply: unlimited, to: M}\n  - {id: M, type: station, processing: 1min, to: out}\n  - {id: out, type: sink}\n' >"$work/operators.yaml"
expect_error 2 "operators.yaml:2:.*field 'operators\[0\]\.count': expected a whole number from 1 to 100000" -- run "$work/operators.yaml"
printf 'linetwin_scene: 1\nelements:\n  - {id: in, type: source, supply: unlimited, to: belt}\n  - {id: belt, type: conveyor, length_m: 1e12, speed_m_per_s: 1, spacing_m: 0.001, to: out}\n  - {id: out, type: sink}\n' >"$work/belt.yaml"
expect_error 2 "belt.yaml:4:5: field 'elements\[belt\]': expected a belt that holds at most 1000000 parts" -- run "$work/belt.yaml"

# A scene within the limits that does not fit in the memory the process may have is bad input
# too, with the scene's name: a setup matrix of 2048 x 2048 products (32 MiB, read and then built
# into the scene), with the address space limited to 64 MiB, in which the balanced line runs. AddressSanitizer's operator new aborts
# instead of throwing std::bad_alloc, so its build cannot check this.
{
  printf 'linetwin_scene: 1\nproducts: ['
  seq -s ', ' -f 'p%g' 0 2047 | tr -d '\n'
  printf ']\nelements:\n  - {id: in, type: source, supply: unlimited, to: M}\n'
  printf '  - {id: M, type: station, processing: 1min, setup: {products: [p0, p1], times: [[0s, 1min], [1min, 0s]]}, to: out}\n'
  printf '  - {id: out, type: sink}\n'
} >"$work/setups.yaml"
if grep -qa "AddressSanitizer" "$linetwin"; then
  echo "note: not checked under AddressSanitizer: a scene that does not fit in memory"
else
  (ulimit -v 65536 && "$linetwin" run "$scene" --reps 1 --duration 1h --threads 1 -q) && pass || fail "the balanced line does not run in 64 MiB"
  (ulimit -v 65536 && "$linetwin" run "$work/setups.yaml" --reps 1 --duration 1h --threads 1 -q) >/dev/null 2>"$work/err"
  rc=$?
  [ "$rc" -eq 2 ] && grep -q "setups.yaml: not enough memory to load this scene" "$work/err" && pass || fail "out of memory: exit $rc, $(cat "$work/err")"
fi

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
