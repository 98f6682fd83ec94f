#!/usr/bin/env bash
# Checks `linetwin calibrate` from the outside: a log written here with known durations (OP20's
# parts take exactly 30 s, OP10's follow a fixed pattern, OP10 breaks down and is repaired), the
# report's maximum-likelihood estimates against the closed forms computed here in Python, the
# scene's text kept but for the fitted values, warnings for values the log cannot support, the
# calibrated scene running, exit codes for bad input, and output files written whole or not at
# all.
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
# OP20's parts all take 30 s: no spread, so no fit, and a warning.
[ "$(cat "$work/err")" = "linetwin calibrate: warning: OP20 processing not calibrated: every one of\
 the 40 observations is 30 s: no spread to fit" ] && pass || fail "warnings: $(cat "$work/err")"
/usr/bin/python3 - "$work/report.json" "$work/expected.json" "$work/result/calibrated.yaml" \
  "$work/in/line.yaml" <<'PY' && pass || fail "report against the closed forms"
import json, math, re, sys
report = json.load(open(sys.argv[1]))
expected = json.load(open(sys.argv[2]))
assert report["schema"] == "linetwin.calibration/1"
op10, op20 = report["stations"]
assert op10["id"] == "OP10" and op20["id"] == "OP20"

def family(quantity, name):
    fits = [quantity["chosen"]] + quantity["alternatives"]
    return next(f for f in fits if f["distribution"] == name)

def close(a, b, tolerance=1e-6):
    return abs(a - b) <= tolerance * max(1.0, abs(b))

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
    assert q["replaced"] is True and q["status"] == "replaced", key
    assert 0 < q["chosen"]["ks_p_value"] <= 1

# OP20: every part 30 s. No distribution is fitted to durations without spread.
q = op20["processing"]
assert q["status"] == "no_spread" and q["replaced"] is False and q["chosen"] is None, q
assert q["observations"] == 40 and q["alternatives"] == [], q
assert q["note"] == "every one of the 40 observations is 30 s: no spread to fit", q
assert op20["time_to_failure"]["observations"] == 0
assert op20["time_to_failure"]["status"] == "no_observations"

# The scene: a header, then the original line for line, except the three values fitted for OP10,
# each written with the chosen fit's parameters in place of the old value on its line.
text = open(sys.argv[3]).read().splitlines()
original = open(sys.argv[4]).read().splitlines()
header = [line for line in text if line.startswith("# linetwin calibrate:")]
assert text[:len(header)] == header and len(header) == 2, header
assert "calibrated from" in header[0] and "log.csv (" in header[0], header
assert header[1] == ("# linetwin calibrate: not calibrated: OP20 processing (every one of the 40 "
                     "observations is 30 s: no spread to fit)"), header
body = text[len(header):]
assert len(body) == len(original), (body, original)
changed = [(old, new) for old, new in zip(original, body) if old != new]
values = {"    processing: 45s": op10["processing"],
          "      time_to_failure: {distribution: exponential, mean: 1h}": op10["time_to_failure"],
          "      time_to_repair: {distribution: exponential, mean: 1min}": op10["time_to_repair"]}
assert sorted(old for old, _ in changed) == sorted(values), changed
for old, new in changed:
    key = old[:old.index(":") + 2]
    assert new.startswith(key), (old, new)
    fit = values[old]["chosen"]
    written = re.fullmatch(r"\{distribution: (\w+)((?:, \w+: [-+.e\d]+)*)\}", new[len(key):])
    assert written and written.group(1) == fit["distribution"], (new, fit)
    parameters = dict(p.split(": ") for p in written.group(2)[2:].split(", "))
    assert parameters.keys() == fit["parameters"].keys(), (new, fit)
    for name, value in parameters.items():
        assert close(float(value), fit["parameters"][name]["value"], 1e-5), (name, new, fit)
PY

# Fewer observations than --min-observations: OP10's 14 times to failure and 15 repairs are kept
# in the scene, with a warning each; its 60 parts are enough.
"$linetwin" calibrate "$work/in/line.yaml" "$work/in/log.csv" -o "$work/result/min50.yaml" \
  --json "$work/min50.json" --bootstrap 0 --min-observations 50 -q 2>"$work/err" \
  && pass || fail "calibrate --min-observations 50: $(cat "$work/err")"
grep -q "^linetwin calibrate: warning: OP10 time_to_failure not calibrated: 14 observations, fewer\
 than the minimum of 50$" "$work/err" \
  && grep -q "^linetwin calibrate: warning: OP10 time_to_repair not calibrated: 15 observations" \
    "$work/err" && pass || fail "warnings with --min-observations 50: $(cat "$work/err")"
/usr/bin/python3 - "$work/min50.json" "$work/result/min50.yaml" <<'PY' \
  && pass || fail "--min-observations 50: report and scene"
import json, sys
op10 = json.load(open(sys.argv[1]))["stations"][0]
assert op10["processing"]["status"] == "replaced", op10["processing"]
for key, n in (("time_to_failure", 14), ("time_to_repair", 15)):
    q = op10[key]
    # Still fitted, for what the few observations suggest, but not written.
    assert q["status"] == "too_few_observations" and not q["replaced"], q
    assert q["observations"] == n and q["chosen"] is not None, q
text = open(sys.argv[2]).read()
assert "time_to_failure: {distribution: exponential, mean: 1h}\n" in text, text
assert "time_to_repair: {distribution: exponential, mean: 1min}\n" in text, text
assert "    processing: 45s" not in text, text
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
expect_error 2 "'--output': cannot write the results file: No such file or directory" -- \
  calibrate "$work/in/line.yaml" "$work/in/log.csv" -o "$work/nowhere/x.yaml"
expect_error 2 "'--output': cannot write the results file: Is a directory" -- \
  calibrate "$work/in/line.yaml" "$work/in/log.csv" -o "$work/result"
# A value that an alias shares cannot be rewritten alone: found after the fits, at the end.
sed -e 's/^    processing: 45s$/    processing: \&guess 45s/' \
  -e 's/processing: {distribution: exponential, mean: 10s}/processing: *guess/' \
  "$work/in/line.yaml" >"$work/in/anchored.yaml"
expect_error 2 "anchored.yaml:7:17: field 'elements\[OP10\].processing': expected a value of its \
own" -- calibrate "$work/in/anchored.yaml" "$work/in/log.csv" -o "$work/result/x.yaml" \
  --json "$work/result/x.json"
# None of these failures left a file behind, empty, partial or temporary.
[ ! -e "$work/result/x.yaml" ] && [ ! -e "$work/result/x.json" ] \
  && [ -z "$(find "$work" -name '*.tmp')" ] && pass || fail "files left: $(ls -a "$work/result")"
# A failure leaves a file that was there as it was; a success replaces it whole, mode kept.
printf 'old\n' >"$work/result/kept.yaml"
chmod 600 "$work/result/kept.yaml"
expect_error 2 "missing.csv" -- calibrate "$work/in/line.yaml" "$work/in/missing.csv" \
  -o "$work/result/kept.yaml"
[ "$(cat "$work/result/kept.yaml")" = old ] && pass || fail "a failed run changed kept.yaml"
"$linetwin" calibrate "$work/in/line.yaml" "$work/in/log.csv" -o "$work/result/kept.yaml" \
  --bootstrap 0 -q 2>/dev/null && head -1 "$work/result/kept.yaml" | grep -q "^# linetwin" \
  && [ "$(stat -c %a "$work/result/kept.yaml")" = 600 ] && pass \
  || fail "kept.yaml not replaced whole with its mode: $(stat -c %a "$work/result/kept.yaml")"

finish_checks "calibrate CLI"
