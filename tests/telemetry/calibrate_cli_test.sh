#!/usr/bin/env bash
# Checks `linetwin calibrate` from the outside: a log written here with known durations (OP20's
# parts take exactly 30 s, OP10's follow a fixed pattern, OP10 breaks down and is repaired), the
# report's maximum-likelihood estimates against the closed forms computed here in Python, the
# calibrated scene running, and exit codes for bad input.
set -u
linetwin=$1
# shellcheck source=../cli/cli_checks.sh
source "$(dirname "$0")/../cli/cli_checks.sh"

mkdir -p "$work/in" "$work/result"
cat >"$work/in/line.yaml" <<'YAML'
linetwin_scene: 1
name: calibrate CLI test
elements:
  - {id: supply, type: source, supply: unlimited, to: OP10}
  - id: OP10   # processing and breakdowns to be calibrated
    type: station
    processing: 45s
    breakdowns:
      time_to_failure: {distribution: exponential, mean: 1h}
      time_to_repair: {distribution: exponential, mean: 1min}
    to: B1
  - {id: B1, type: buffer, capacity: 5, to: OP20}
  - {id: OP20, type: station, processing: {distribution: exponential, mean: 10s}, to: done}
  - {id: done, type: sink}
YAML

# The log and the durations in it. OP10: part i takes 20 + (7 i mod 13) s; after every fourth
# part it goes down for 60 + 30 (i mod 3) s. OP20: every part exactly 30 s, then 5 s idle.
/usr/bin/python3 - "$work/in/log.csv" "$work/expected.json" <<'PY'
import json, sys
t0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z, epoch ms
rows = ["timestamp,machine,seq,kind,name,state,value"]
seq = {"OP10": 0, "OP20": 0}
def row(ms, machine, kind, name="", state="", value=""):
    seq[machine] += 1
    rows.append(f"{t0 + ms},{machine},{seq[machine]},{kind},{name},{state},{value}")
processing, repairs, failures = [], [], []
t = 0
row(t, "OP10", "state", state="idle"); row(t, "OP10", "counter", "good", value=0)
since_repair = None  # producing seconds since the last repair ended
for i in range(60):
    p = 20 + (7 * i) % 13
    row(t, "OP10", "state", state="producing")
    t += p * 1000
    processing.append(p)
    if since_repair is not None: since_repair += p
    row(t, "OP10", "counter", "good", value=i + 1)
    if i % 4 == 3:
        r = 60 + 30 * (i % 3)
        row(t, "OP10", "state", "breakdown", "down")
        if since_repair is not None: failures.append(since_repair)
        t += r * 1000
        repairs.append(r)
        row(t, "OP10", "state", state="idle")
        since_repair = 0
t = 0
row(t, "OP20", "state", state="idle"); row(t, "OP20", "counter", "good", value=0)
for i in range(40):
    row(t, "OP20", "state", state="producing")
    t += 30_000
    row(t, "OP20", "counter", "good", value=i + 1)
    row(t, "OP20", "state", state="idle")
    t += 5_000
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
json.dump({"processing": processing, "repairs": repairs, "failures": failures},
          open(sys.argv[2], "w"))
PY

"$linetwin" calibrate "$work/in/line.yaml" "$work/in/log.csv" -o "$work/result/calibrated.yaml" \
  --json "$work/report.json" --bootstrap 50 >"$work/table" 2>"$work/err" \
  && pass || fail "calibrate: $(cat "$work/err")"
grep -q "written to the scene" "$work/table" && grep -q "Calibrated scene written to" "$work/table" \
  && pass || fail "table: $(cat "$work/table")"
/usr/bin/python3 - "$work/report.json" "$work/expected.json" "$work/result/calibrated.yaml" <<'PY' \
  && pass || fail "report against the closed forms"
import json, math, sys
report = json.load(open(sys.argv[1]))
expected = json.load(open(sys.argv[2]))
assert report["schema"] == "linetwin.calibration/1"
op10, op20 = report["stations"]
assert op10["id"] == "OP10" and op20["id"] == "OP20"

def family(quantity, name):
    fits = [quantity["chosen"]] + quantity["alternatives"]
    return next(f for f in fits if f["distribution"] == name)

def close(a, b):
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))

for key, truth in (("processing", expected["processing"]),
                   ("time_to_repair", expected["repairs"]),
                   ("time_to_failure", expected["failures"])):
    q = op10[key]
    assert q["observations"] == len(truth), (key, q["observations"], len(truth))
    n, mean = len(truth), sum(truth) / len(truth)
    # Exponential: mean = sample mean; log L = -n log(mean) - n.
    e = family(q, "exponential")
    assert close(e["parameters"]["mean"]["value"], mean), (key, e, mean)
    assert close(e["log_likelihood"], -n * math.log(mean) - n), key
    # Uniform: the smallest and largest observation.
    u = family(q, "uniform")
    assert close(u["parameters"]["min"]["value"], min(truth))
    assert close(u["parameters"]["max"]["value"], max(truth))
    # Lognormal: mean exp(mu + s2/2) from the mean and variance of log x.
    logs = [math.log(x) for x in truth]
    mu = sum(logs) / n
    s2 = sum((l - mu) ** 2 for l in logs) / n
    ln = family(q, "lognormal")
    assert close(ln["parameters"]["mean"]["value"], math.exp(mu + s2 / 2))
    # The chosen family has the lowest AIC, and the report says it was written.
    assert all(a.get("aic") is None or a["aic"] >= q["chosen"]["aic"] for a in q["alternatives"])
    assert q["replaced"] is True, key
    assert 0 < q["chosen"]["ks_p_value"] <= 1

# OP20: every part 30 s: a constant, and nothing else fits.
q = op20["processing"]
assert q["chosen"]["distribution"] == "constant", q["chosen"]
assert close(q["chosen"]["parameters"]["value"]["value"], 30.0)
assert op20["time_to_failure"]["observations"] == 0

text = open(sys.argv[3]).read()
assert text.startswith("# Calibrated by linetwin calibrate")
assert "processing: {distribution: constant, value: 30}" in text, text
PY

# The calibrated scene runs.
"$linetwin" run "$work/result/calibrated.yaml" --reps 1 --duration 1h -q 2>"$work/err" \
  && pass || fail "run of the calibrated scene: $(cat "$work/err")"

# Bad input: exit code 2 and a message that names what is wrong.
expect_error 2 "missing.csv" -- calibrate "$work/in/line.yaml" "$work/in/missing.csv" \
  -o "$work/result/x.yaml"
expect_error 2 "--format" -- calibrate "$work/in/line.yaml" "$work/in/log.csv" \
  -o "$work/result/x.yaml" --format parquet
expect_error 2 "output" -- calibrate "$work/in/line.yaml" "$work/in/log.csv"
expect_error 2 "at most one" -- calibrate "$work/in/line.yaml" "$work/in/log.csv" -o - --json -
expect_error 2 "log.csv" -- calibrate "$work/in/line.yaml" "$work/in/log.csv" \
  -o "$work/result/x.yaml" --format hdf5

finish_checks "calibrate CLI"
