#!/usr/bin/env bash
# `linetwin sweep` and `linetwin merge` from the outside: the baseline's results are linetwin run's,
# the bytes do not depend on the thread count, three shards merge into the unsharded sweep, merge
# refuses shards that do not make one sweep (naming the file), a failing gate exits 3 with a JUnit
# file, a deadlock exits 3, and bad scenarios exit 2 naming file, line and path.
set -u
linetwin=$1
root=$2
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"

base="$root/scenes/breakdown_line.yaml"
# write_scenario FILE [extra YAML lines...]: a scenario on the line with breakdowns, B2 doubled
# as a variant, then whatever the caller adds.
write_scenario() {
  local file=$1
  shift
  {
    echo "linetwin_scenario: 1"
    echo "name: B2 study"
    echo "base: $base"
    echo "run: {replications: 6, duration: 8h, warmup: 1h}"
    echo "variants:"
    echo "  - name: B2 16"
    echo "    set: {B2.capacity: 16}"
    echo "  - name: fast repair, OP30"
    echo "    set: {OP30.breakdowns.time_to_repair.mean: 75s}"
    for line in "$@"; do echo "$line"; done
  } >"$file"
}

scenario="$work/study.scenario.yaml"
write_scenario "$scenario" "gates:" "  - {no_deadlock: true}" \
  "  - {kpi: throughput_per_hour, variant: B2 16, at_least: 40}"

# Threads: byte-identical outputs.
for t in 1 2; do
  "$linetwin" sweep "$scenario" --threads $t --json "$work/t$t.json" --csv "$work/t$t.csv" \
    --junit "$work/t$t.xml" --replications-csv "$work/r$t.csv" -q || fail "sweep --threads $t"
done
for ext in json csv xml; do
  cmp -s "$work/t1.$ext" "$work/t2.$ext" && pass || fail "sweep .$ext differs between --threads 1 and 2"
done
cmp -s "$work/r1.csv" "$work/r2.csv" && pass || fail "sweep --replications-csv differs between threads"

# The baseline is linetwin run of the base scene with the same settings, object for object.
"$linetwin" run "$base" --reps 6 --duration 8h --warmup 1h --json "$work/run.json" -q || fail "run"
/usr/bin/python3 - "$work/t1.json" "$work/run.json" "$work/t1.csv" <<'PY' && pass || fail "baseline object"
import csv, json, sys
sweep = json.load(open(sys.argv[1]))
run = json.load(open(sys.argv[2]))
assert sweep["schema"] == "linetwin.sweep/1"
baseline = sweep["variants"][0]
assert baseline["name"] == "baseline", baseline["name"]
assert baseline["run"] == run, "the baseline's run object differs from linetwin run's"
names = [v["name"] for v in sweep["variants"]]
assert names == ["baseline", "B2 16", "fast repair, OP30"], names
b2 = sweep["variants"][1]["comparison"][0]
assert b2["kpi"] == "throughput_per_hour" and b2["paired"]
d = b2["difference"]
assert abs(d["mean"] - (b2["variant"]["mean"] - b2["baseline"]["mean"])) < 1e-9
assert d["ci95_low"] <= d["mean"] <= d["ci95_high"]
rows = list(csv.DictReader(open(sys.argv[3])))
assert {r["variant"] for r in rows} == set(names)
assert any(r["variant"] == "fast repair, OP30" and r["section"] == "difference" for r in rows)
PY

# Shards: three, merged, are the unsharded sweep to the byte.
for i in 1 2 3; do
  "$linetwin" sweep "$scenario" --shard $i/3 --hdf5 "$work/shard$i.h5" -q || fail "shard $i/3"
done
"$linetwin" merge "$work/shard1.h5" "$work/shard2.h5" "$work/shard3.h5" --json "$work/merged.json" \
  --csv "$work/merged.csv" -q || fail "merge"
cmp -s "$work/merged.json" "$work/t1.json" && pass || fail "merged JSON differs from the unsharded sweep"
cmp -s "$work/merged.csv" "$work/t1.csv" && pass || fail "merged CSV differs from the unsharded sweep"
expect_error 2 "missing shard 2 of 3" -- merge "$work/shard1.h5" "$work/shard3.h5"
expect_error 2 "shard2.h5: .*shard 2 of 3 is given twice" -- merge "$work/shard1.h5" "$work/shard2.h5" "$work/shard2.h5" "$work/shard3.h5"
"$linetwin" sweep "$scenario" --seed 5 --shard 2/3 --hdf5 "$work/seed5.h5" -q || fail "shard, seed 5"
expect_error 2 "seed5.h5: .*expected a shard of the same sweep" -- merge "$work/shard1.h5" "$work/seed5.h5" "$work/shard3.h5"
"$linetwin" sweep "$scenario" --duration 4h --shard 2/3 --hdf5 "$work/short2.h5" -q || fail "shard, 4h"
expect_error 2 "short2.h5: .*expected a shard of the same sweep.*other settings" -- merge "$work/shard1.h5" "$work/short2.h5" "$work/shard3.h5"
other="$work/other.scenario.yaml"
write_scenario "$other" "gates: [{no_deadlock: true}]"
"$linetwin" sweep "$other" --shard 3/3 --hdf5 "$work/other3.h5" -q || fail "shard of another scenario"
expect_error 2 "other3.h5: .*another scenario" -- merge "$work/shard1.h5" "$work/shard2.h5" "$work/other3.h5"
# A warm-up detected by MSER-5 travels with the shards: the merge is still the whole sweep.
auto="$work/auto.scenario.yaml"
printf 'linetwin_scenario: 1\nbase: %s\nrun: {replications: 4, duration: 8h, warmup: auto}\nvariants:\n  - {name: B2 16, set: {B2.capacity: 16}}\n' \
  "$base" >"$auto"
"$linetwin" sweep "$auto" --json "$work/auto.json" -q || fail "sweep, warm-up auto"
for i in 1 2; do
  "$linetwin" sweep "$auto" --shard $i/2 --hdf5 "$work/auto$i.h5" -q || fail "shard $i/2, warm-up auto"
done
"$linetwin" merge "$work/auto1.h5" "$work/auto2.h5" --json "$work/auto_merged.json" -q || fail "merge, warm-up auto"
cmp -s "$work/auto.json" "$work/auto_merged.json" && pass || fail "merge with a detected warm-up differs from the sweep"
grep -q '"pilot_replications": 10' "$work/auto.json" && pass || fail "no warm-up detection in the JSON"
expect_error 2 "'--hdf5': expected a file path" -- sweep "$scenario" --hdf5 -
expect_error 2 "--shard.*found '0/3'" -- sweep "$scenario" --shard 0/3 --hdf5 "$work/x.h5"
expect_error 2 "--shard.*found '4/3'" -- sweep "$scenario" --shard 4/3 --hdf5 "$work/x.h5"
expect_error 2 "'--shard': expected --hdf5 FILE" -- sweep "$scenario" --shard 1/3 --json "$work/x.json"

# Common random numbers, on the bundled example (breakdown_line, B2 8 -> 16, 30 replications):
# the paired half-width of the throughput difference is below half of the half-width that
# independent seeds give (the same study with common_random_numbers: false).
example="$root/examples/b2_doubled.scenario.yaml"
independent="$work/b2_doubled_independent.scenario.yaml"
sed -e 's/^run:/common_random_numbers: false\nrun:/' -e "s|^base: \.\./|base: $root/|" "$example" \
  >"$independent"
"$linetwin" sweep "$example" --json "$work/crn.json" -q || fail "sweep with common random numbers"
"$linetwin" sweep "$independent" --json "$work/independent.json" -q || fail "sweep with independent seeds"
/usr/bin/python3 - "$work/crn.json" "$work/independent.json" <<'PY' && pass || fail "common random numbers do not halve the half-width"
import json, sys
def half_width(path):
    c = json.load(open(path))["variants"][1]["comparison"][0]
    assert c["kpi"] == "throughput_per_hour"
    d = c["difference"]
    return c["paired"], d["mean"], (d["ci95_high"] - d["ci95_low"]) / 2
paired, paired_mean, paired_hw = half_width(sys.argv[1])
unpaired, independent_mean, independent_hw = half_width(sys.argv[2])
assert paired and not unpaired
print(f"B2 8 -> 16, 30 replications: throughput difference {paired_mean:+.3f} +- {paired_hw:.3f} "
      f"parts/h on common random numbers, {independent_mean:+.3f} +- {independent_hw:.3f} with "
      f"independent seeds (ratio {paired_hw / independent_hw:.2f})")
assert paired_hw < 0.5 * independent_hw, (paired_hw, independent_hw)
PY

# A failing gate: exit 3, and a JUnit file with one test case per gate.
failing="$work/failing.scenario.yaml"
write_scenario "$failing" "gates:" "  - {no_deadlock: true}" \
  "  - {kpi: throughput_per_hour, variant: B2 16, at_least: 1000}" \
  "  - {kpi: OP30.oee, at_least: 0.1}"
"$linetwin" sweep "$failing" --junit "$work/failing.xml" -q 2>"$work/failing.err"
rc=$?
[ $rc -eq 3 ] && pass || fail "a failing gate exited $rc, expected 3"
grep -q "gate failed: throughput_per_hour" "$work/failing.err" && pass || fail "no gate message on stderr"
/usr/bin/python3 - "$work/failing.xml" <<'PY' && pass || fail "JUnit file"
import sys
import xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find("testsuite")
cases = suite.findall("testcase")
assert len(cases) == 3, len(cases)
assert suite.get("failures") == "1"
failed = [c for c in cases if c.find("failure") is not None]
assert len(failed) == 1
message = failed[0].find("failure").get("message")
assert message.startswith("B2 16: throughput_per_hour "), message
assert "95% interval [" in message and "not entirely >= 1000: the mean misses it" in message, message
PY
if command -v xmllint >/dev/null; then
  xmllint --noout "$work/failing.xml" && pass || fail "JUnit file is not well-formed XML"
else
  fail "xmllint is not installed (libxml2-utils)"
fi

# A deadlocked replication exits 3 too.
deadlock="$work/deadlock.scenario.yaml"
printf 'linetwin_scenario: 1\nbase: %s\nrun: {replications: 2}\n' \
  "$root/tests/plant/scenes/deadlock_rework_loop.yaml" >"$deadlock"
expect_error 3 "deadlocked" -- sweep "$deadlock" -q

# Bad scenarios: exit 2 naming the file, the line and the path.
bad="$work/bad.scenario.yaml"
write_scenario "$bad" "  - name: typo" "    set: {OP99.servers: 2}"
expect_error 2 "bad.scenario.yaml:1[0-9]:[0-9]+: .*OP99" -- sweep "$bad"
write_scenario "$bad" "  - name: typo" "    set: {B2.capacty: 2}"
expect_error 2 "bad.scenario.yaml:1[0-9]:[0-9]+: .*capacty" -- sweep "$bad"
write_scenario "$bad" "  - name: typo" "    set: {B2.capacity: many}"
expect_error 2 "bad.scenario.yaml:1[0-9]:[0-9]+: .*capacity" -- sweep "$bad"
write_scenario "$bad" "gates:" "  - {kpi: OP30.uptime, at_least: 0.5}"
expect_error 2 "bad.scenario.yaml:1[0-9]:[0-9]+: .*OP30.uptime" -- sweep "$bad"

finish_checks
