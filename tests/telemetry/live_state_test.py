#!/usr/bin/python3
"""Acceptance (issue 12, 8c): a state written by `linetwin live --write-state` from a replayed
simulated run matches the simulation's stations and buffer counts at that time.

A replication of scenes/breakdown_line.yaml is recorded (`linetwin run --record`: the telemetry
its stations send), published to a real mosquitto broker by linetwin-publish, and taken in by
`linetwin live --write-state`. The same replication's exact snapshot at the end of the run
(`linetwin run --snapshot --at`) must give every station the same activity, the same parts held
(in process and finished) and the same time in its activity, and every buffer the same level, as
the state the live twins estimate. `linetwin replay --write-state` of the recording writes the same
state as live, and `--state-at` a time in the middle gives the simulation's state at that time;
a time outside the log is refused (exit 2). The replay checks run without a broker too; the test
then reports itself skipped at the end.

Usage: live_state_test.py LINETWIN LINETWIN_PUBLISH
"""
import datetime
import os
import re
import subprocess
import sys

from live_support import REPO, Broker, Output, fail, skip, start, workdir

try:
    import yaml
except ImportError:
    skip("python3-yaml is not installed: the state files cannot be read (tools/install-deps.sh "
         "installs it)")

SCENE = REPO / "scenes" / "breakdown_line.yaml"
DURATION_S = 2 * 3600
MIDDLE_S = 2961.125  # between events: no processing or repair time lands on it
# Simulated time zero of a recording (engine/recording/simulation_recording.hpp).
RECORDING_START = datetime.datetime(2026, 1, 5, tzinfo=datetime.timezone.utc)

linetwin, publisher = sys.argv[1:3]


def run(args, what):
    out = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        fail(f"{what} exited with {out.returncode}: {out.stderr}")
    return out


def read_state(path):
    with open(path) as f:
        state = yaml.safe_load(f)
    if state.get("linetwin_snapshot") != 1:
        fail(f"{path} is not a snapshot file: {state}")
    return state


def seconds(text):
    """A duration as snapshot files write it: a number with the unit s, min or h."""
    match = re.fullmatch(r"([0-9.e+-]+)(s|min|h)", str(text))
    if not match:
        fail(f"expected a duration with a unit s, min or h, found {text!r}")
    return float(match[1]) * {"s": 1, "min": 60, "h": 3600}[match[2]]


def timestamp(state):
    """The state's timestamp: YAML reads an ISO 8601 time as a time, UTC where it says Z."""
    stamp = state["timestamp"]
    if not isinstance(stamp, datetime.datetime):
        fail(f"expected an ISO 8601 timestamp, found {stamp!r}")
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=datetime.timezone.utc)


def parts_held(station):
    parts = station.get("parts", [])
    finished = sum(1 for p in parts if p.get("finished", False))
    return {"in process": len(parts) - finished, "finished": finished}


def expect_state(estimate, simulated, at_s, what):
    """The estimate, written at its timestamp, against the simulation's snapshot at `at_s`:
    activities, parts and levels equal; times in state equal once the estimate's is carried on
    from its timestamp (the newest sample) to `at_s`, when nothing changed any more."""
    stamp = timestamp(estimate)
    carried_s = at_s - (stamp - RECORDING_START).total_seconds()
    if not 0 <= carried_s < 600:
        fail(f"{what}: the state is of {estimate['timestamp']}, not shortly before {at_s} s")
    problems = []
    if set(estimate["stations"]) != set(simulated["stations"]):
        fail(f"{what}: stations {sorted(estimate['stations'])} != {sorted(simulated['stations'])}")
    for station_id, want in simulated["stations"].items():
        got = estimate["stations"][station_id]
        for key in ("activity",):
            if got[key] != want[key]:
                problems.append(f"{station_id}.{key}: {got[key]} != simulated {want[key]}")
        if parts_held(got) != parts_held(want):
            problems.append(f"{station_id}.parts: {parts_held(got)} != simulated "
                            f"{parts_held(want)}")
        in_state = seconds(got["in_state"]) + carried_s
        if abs(in_state - seconds(want["in_state"])) > 1e-5:
            problems.append(f"{station_id}.in_state: {in_state} s != simulated {want['in_state']}")
    for buffer_id, want in simulated["buffers"].items():
        got = estimate["buffers"][buffer_id]
        if got["level"] != want["level"] or got["source"] != "counters":
            problems.append(f"{buffer_id}: level {got['level']} ({got['source']}) != simulated "
                            f"{want['level']}")
    if problems:
        fail(f"{what} differs from the simulation:\n  " + "\n  ".join(problems))


def simulated_state(tmp, at_s):
    path = f"{tmp}/sim-{at_s}.yaml"
    run([linetwin, "run", str(SCENE), "--duration", f"{DURATION_S}s", "--warmup", "0",
         "--snapshot", path, "--at", f"{at_s}s"], "linetwin run --snapshot")
    state = read_state(path)
    if state["origin"] != "simulation" or seconds(state["simulated_time"]) != at_s:
        fail(f"expected the simulation's state at {at_s} s, found {state}")
    return state


def refused(args, message):
    """`args` must exit 2 with `message` in its error."""
    out = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if out.returncode != 2 or message not in out.stderr:
        fail(f"expected exit 2 with '{message}', found {out.returncode}: {out.stderr}")


with workdir() as tmp:
    recording = f"{tmp}/run.h5"
    run([linetwin, "run", str(SCENE), "--duration", f"{DURATION_S}s", "--warmup", "0",
         "--record", recording, "-q"], "linetwin run --record")

    replay_path = f"{tmp}/replay.yaml"
    run([linetwin, "replay", str(SCENE), recording, "--write-state", replay_path, "-q"],
        "linetwin replay --write-state")
    replay_state = read_state(replay_path)
    if replay_state["origin"] != "replay":
        fail(f"expected origin replay, found {replay_state['origin']}")
    expect_state(replay_state, simulated_state(tmp, DURATION_S), DURATION_S, "the replay's state")
    print(f"replay: the state at {replay_state['timestamp']} is the simulation's at "
          f"{DURATION_S} s")

    middle = RECORDING_START + datetime.timedelta(seconds=MIDDLE_S)
    middle_path = f"{tmp}/middle.yaml"
    run([linetwin, "replay", str(SCENE), recording, "--write-state", middle_path, "--state-at",
         middle.isoformat(timespec="microseconds").replace("+00:00", "Z"), "-q"],
        "linetwin replay --state-at")
    middle_state = read_state(middle_path)
    if timestamp(middle_state) != middle:
        fail(f"expected the state at --state-at itself, found {middle_state['timestamp']}")
    expect_state(middle_state, simulated_state(tmp, MIDDLE_S), MIDDLE_S, "the replay's state at "
                 f"{MIDDLE_S} s")
    print(f"replay --state-at: the simulation's state at {MIDDLE_S} s")

    # A time outside the log, or no time at all, is bad input, and nothing is written.
    refused_path = f"{tmp}/refused.yaml"
    replay = [linetwin, "replay", str(SCENE), recording, "-q"]
    refused(replay + ["--write-state", refused_path, "--state-at", "2026-01-04T23:59:59Z"],
            "expected a time within the log, from 2026-01-05T00:00:00.000Z to")
    refused(replay + ["--write-state", refused_path, "--state-at", "2026-01-05T02:00:00.001Z"],
            "expected a time within the log")
    refused(replay + ["--write-state", refused_path, "--state-at", "half past one"],
            "field '--state-at': expected an ISO 8601 time")
    refused(replay + ["--state-at", "2026-01-05T01:00:00Z"], "--state-at requires --write-state")
    if os.path.exists(refused_path):
        fail(f"a refused replay wrote {refused_path}")
    print("replay --state-at: times outside the log refused")

    with Broker(tmp) as broker:
        live_path = f"{tmp}/live.yaml"
        live = start([linetwin, "live", str(SCENE), "--broker", broker.address, "--topic",
                      "state", "--qos", "1", "--until-idle", "2s", "--write-state", live_path,
                      "-q"], stderr=subprocess.PIPE, text=True)
        err = Output(live.stderr)
        broker.wait_for_subscription("state/#")
        run([publisher, recording, "--broker", broker.address, "--topic", "state", "--qos", "1",
             "-q"], "linetwin-publish")
        if live.wait(timeout=120) != 0:
            fail(f"linetwin live exited with {live.returncode}:\n{err.text()}")
        live_state = read_state(live_path)
        if live_state["origin"] != "live":
            fail(f"expected origin live, found {live_state['origin']}")
        expect_state(live_state, simulated_state(tmp, DURATION_S), DURATION_S, "the live state")
        del live_state["origin"], replay_state["origin"]
        if live_state != replay_state:
            fail(f"the live state differs from the replay's:\n{live_state}\n{replay_state}")
        print(f"live: the state at {live_state['timestamp']} is the replay's, and the "
              f"simulation's at {DURATION_S} s")
