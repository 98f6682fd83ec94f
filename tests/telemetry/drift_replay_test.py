#!/usr/bin/python3
"""`linetwin replay --drift` from the outside, on telemetry simulated from
scenes/breakdown_line.yaml (tests/telemetry/drift_support.py): a log of the line as modelled
raises at most the false alarms that the bands' coverage allows; a log of the line with OP30
slowed by 30% is flagged at OP30 and at the neighbours it holds up, each KPI moving the way a
slower OP30 moves it; checks are accepted down to the least time between them that the log
allows, and no closer; bad --drift flags exit 2 naming the flag.

Every run has a fixed seed (the recording's, and the scene's for the model), so the outcome is
the same on every machine; the bounds below are what the bands guarantee, not this outcome.

Usage: drift_replay_test.py LINETWIN
"""
import datetime
import json
import math
import subprocess
import sys
import tempfile

from drift_support import SCENE, STATIONS, fail, simulated_log, slowed_scene

SKIP = 77
try:
    import h5py  # noqa: F401  (drift_support reads the recordings with it)
except ImportError:
    print("SKIP: python3-h5py is not installed (tools/install-deps.sh installs it)")
    sys.exit(SKIP)

linetwin = sys.argv[1]
HOURS = 49  # after the warm-up: six whole windows of 8 h, and an hour that makes no seventh
WINDOWS = 6
# 999 simulated windows at 99.8%: the band runs from the smallest to the largest of them and holds
# a window of the modelled line with probability exactly 998/1000 (Wilks), per KPI.
DRIFT = ["--drift", "--drift-window", "8h", "--drift-coverage", "0.998",
         "--drift-replications", "999"]
KPIS = ["producing_share", "idle_share", "blocked_share", "down_share", "setup_share",
        "good_parts_per_hour"]


def replay(log, *flags):
    out = subprocess.run([linetwin, "replay", str(SCENE), str(log), "--json", "-", *flags],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        fail(f"linetwin replay {' '.join(flags)} exited {out.returncode}: {out.stderr}")
    return json.loads(out.stdout), out.stderr


def alert_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("linetwin replay: drift: OP")]


def parse_iso(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def first_timestamp(log):
    with open(log) as f:
        f.readline()
        return parse_iso(f.readline().split(",")[0])


def check_report(drift, stderr, log_start):
    if drift["checks"] != WINDOWS or drift["silent_windows"] != 0:
        fail(f"expected {WINDOWS} checks of 8 h in {HOURS} h and no silent window, found {drift}")
    if drift["band_coverage"] != 998 / 1000 or drift["replications"] != 999:
        fail(f"expected bands of coverage 998/1000 from 999 windows, found {drift}")
    if [s["station"] for s in drift["stations"]] != STATIONS:
        fail(f"expected the stations {STATIONS}, found {drift['stations']}")
    for s in drift["stations"]:
        # Single-server stations that reported all along: every KPI judged in the last window.
        if s["window_end"] is None or list(s["kpis"]) != KPIS or any(
                k["observed"] is None for k in s["kpis"].values()):
            fail(f"expected {s['station']} judged on every KPI, found {s}")
        for name, k in s["kpis"].items():
            if not k["low"] <= k["mean"] <= k["high"]:
                fail(f"{s['station']} {name}: band {k} is not ordered")
            if k["outside"] != (not k["low"] <= k["observed"] <= k["high"]):
                fail(f"{s['station']} {name}: 'outside' disagrees with the band: {k}")
    # The windows start with the log and follow each other back to back.
    window = datetime.timedelta(hours=8)
    last_start = log_start + (WINDOWS - 1) * window
    for s in drift["stations"]:
        if (parse_iso(s["window_start"]), parse_iso(s["window_end"])) != (last_start,
                                                                           last_start + window):
            fail(f"expected the last window to start at {last_start}, found {s}")
    for alert in drift["alerts"]:
        start, end = parse_iso(alert["window_start"]), parse_iso(alert["window_end"])
        if (start - log_start) % window or end - start != window:
            fail(f"alert for a window that is not one of the log's 8 h windows: {alert}")
    lines = alert_lines(stderr)
    if len(lines) != len(drift["alerts"]):
        fail(f"expected one line on stderr per alert ({len(drift['alerts'])}), found:\n{stderr}")
    for line, alert in zip(lines, drift["alerts"]):
        if f"{alert['station']} {alert['kpi']} " not in line or alert["window_end"] not in line:
            fail(f"stderr line '{line}' does not name alert {alert}")
        if alert["low"] <= alert["observed"] <= alert["high"]:
            fail(f"alert inside its band: {alert}")


def flagged_windows(drift, stations=STATIONS):
    return {a["window_end"] for a in drift["alerts"] if a["station"] in stations}


with tempfile.TemporaryDirectory(prefix="linetwin-drift-") as tmp:
    # Without --drift the report has no drift object and no model is simulated.
    base = simulated_log(linetwin, SCENE, tmp, "modelled", HOURS)
    plain, plain_err = replay(base)
    if "drift" in plain or "drift" in plain_err:
        fail(f"expected no drift checks without --drift, found {plain.get('drift')} {plain_err}")

    # The line as modelled: 24 KPIs per window, each outside its band with probability 0.2%, so
    # a window is flagged with probability at most 24 x 0.2% = 4.8%; two of six windows flagged
    # would happen with probability under 3.1%.
    report, stderr = replay(base, *DRIFT)
    drift = report["drift"]
    check_report(drift, stderr, first_timestamp(base))
    if "simulating 999 windows of 8h" not in stderr:
        fail(f"expected a note on stderr that the model's windows are simulated: {stderr}")
    if len(flagged_windows(drift)) > 1:
        fail(f"the modelled line was flagged in {len(flagged_windows(drift))} windows of "
             f"{WINDOWS}: {drift['alerts']}")
    if {k: v for k, v in report.items() if k != "drift"} != plain:
        fail("--drift changed the twins' report")
    print(f"modelled line: {len(drift['alerts'])} alerts in {WINDOWS} windows")

    # OP30 slowed by 30% becomes the line's bottleneck: 54.6 s / (5 / 7.5 availability) = 82 s a
    # part, 44 parts an hour where the model makes 57 at most. Upstream stations block behind it,
    # OP40 starves after it, every station makes fewer parts, and OP30 works (and so fails) more.
    slow = slowed_scene(tmp)
    slow_log = simulated_log(linetwin, slow, tmp, "op30_slow", HOURS)
    report, stderr = replay(slow_log, *DRIFT)
    drift = report["drift"]
    check_report(drift, stderr, first_timestamp(slow_log))
    near = flagged_windows(drift, ["OP20", "OP30", "OP40"])
    if len(near) < WINDOWS / 2:
        fail(f"OP30 slowed by 30% was flagged at itself or its neighbours in {len(near)} windows "
             f"of {WINDOWS}: {drift['alerts']}")
    above = {("OP10", "blocked_share"), ("OP20", "blocked_share"), ("OP40", "idle_share"),
             ("OP30", "producing_share"), ("OP30", "down_share")}
    below = {(s, "producing_share") for s in ("OP10", "OP20", "OP40")} | {
        (s, "good_parts_per_hour") for s in STATIONS}
    for a in drift["alerts"]:
        key = (a["station"], a["kpi"])
        if not ((key in above and a["observed"] > a["high"]) or
                (key in below and a["observed"] < a["low"])):
            fail(f"alert against the way a slower OP30 moves the line: {a}")
    print(f"OP30 slowed: {len(drift['alerts'])} alerts, OP20-OP40 flagged in {len(near)} windows "
          f"of {WINDOWS}")

    # Checks closer than the least time between them: a thousandth of the window, and one check
    # per sample of the log, its span over its samples rounded up to four significant digits.
    with open(base) as f:
        stamps = [parse_iso(line.split(",")[0]) for line in f.readlines()[1:]]
    span_us = (stamps[-1] - stamps[0]) // datetime.timedelta(microseconds=1)
    whole, scale = math.ceil(span_us / len(stamps)), 1
    while whole // scale >= 10_000:
        scale *= 10
    per_sample_us = -(-whole // scale) * scale

    def seconds(us):
        return f"{us // 10**6}.{us % 10**6:06d}".rstrip("0").rstrip(".") + "s"

    per_sample = (f"expected checks at least {seconds(per_sample_us)} apart (the log's ",
                  f" over its {len(stamps)} samples: at most one check per sample), found ")
    if not 3_600_000 < per_sample_us < 28_800_000:
        fail(f"expected a log whose bound lies between those of 1 h and 8 h windows: "
             f"{per_sample_us} us")
    # At the bound, checks an hour long run from the end of the first window to the end of the
    # log, one every bound; a microsecond less is refused.
    FAST = ["--drift-coverage", "0.9", "--drift-replications", "19"]
    report, _ = replay(base, "--drift", "--drift-window", "1h", "--drift-every",
                       seconds(per_sample_us), *FAST)
    expected_checks = (span_us - 3_600_000_000) // per_sample_us + 1
    if (report["drift"]["checks"], report["drift"]["silent_windows"]) != (expected_checks, 0):
        fail(f"expected {expected_checks} checks {per_sample_us} us apart, found {report['drift']}")
    print(f"checks every {seconds(per_sample_us)}: {expected_checks} of them")

    # Bad flags: exit 2, the flag named.
    below = seconds(per_sample_us - 1)
    for flags, patterns in (
            (["--drift", "--drift-coverage", "1"], ["'--drift-coverage': expected a probability"]),
            (["--drift", "--drift-replications", "50"],
             ["'--drift-replications': expected at least 199 replications"]),
            (["--drift", "--drift-window", "0s"], ["'--drift-window': expected a duration"]),
            (["--drift-window", "1h"], ["--drift-window requires --drift"]),
            (["--drift", "--drift-window", "0.0001ms"],
             ["'--drift-window': expected at least 0.000001s (the resolution of telemetry "
              "timestamps), found '0.0001ms'"]),
            (["--drift", "--drift-every", "28.799999s"],
             ["'--drift-every': expected checks at least 28.8s apart (a thousandth of the 8h "
              "window: at most 1000 windows overlap), found '28.799999s'"]),
            (["--drift", "--drift-window", "1h", "--drift-every", below, *FAST],
             ["'--drift-every': " + per_sample[0], per_sample[1] + f"'{below}'"]),
            (["--drift", "--drift-window", "1ms"],
             ["'--drift-window': " + per_sample[0],
              per_sample[1] + "'1ms', which --drift-every leaves as the time between checks"])):
        out = subprocess.run([linetwin, "replay", str(SCENE), str(base), "-q", *flags],
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 2 or any(pattern not in out.stderr for pattern in patterns):
            fail(f"replay {' '.join(flags)}: expected exit 2 and {patterns}, found "
                 f"{out.returncode}: {out.stderr}")
    print("bad --drift flags: exit 2")
