#!/usr/bin/python3
"""`linetwin live --drift` against a real mosquitto broker: telemetry of breakdown_line with OP30
slowed by 30% (tests/telemetry/drift_support.py), published by linetwin-publish in batches of 20
samples of one machine with QoS 1, so that the reorder window has to put the samples back into
time order before the drift monitor sees them. The live report's "drift" object equals the one
`linetwin replay --drift` writes for the same log, alert for alert and band for band, the twins
equal the replay's, and stderr announces the same alerts.

Usage: live_drift_test.py LINETWIN LINETWIN_PUBLISH
"""
import json
import subprocess
import sys

from live_support import Broker, Output, differences, fail, skip, start, workdir

try:
    import h5py  # noqa: F401  (drift_support reads the recordings with it)
except ImportError:
    skip("python3-h5py is not installed (tools/install-deps.sh installs it)")
from drift_support import SCENE, simulated_log, slowed_scene  # noqa: E402

DRIFT = ["--drift", "--drift-window", "8h", "--drift-coverage", "0.998",
         "--drift-replications", "999"]


def alerts_on(stderr, command):
    prefix = f"linetwin {command}: drift: OP"
    return [line[len(prefix) - 2:] for line in stderr.splitlines() if line.startswith(prefix)]


linetwin, publisher = sys.argv[1:3]
with workdir() as tmp, Broker(tmp) as broker:
    log = simulated_log(linetwin, slowed_scene(tmp), tmp, "op30_slow", 49)
    replayed = subprocess.run([linetwin, "replay", str(SCENE), str(log), "--json", "-", *DRIFT],
                              capture_output=True, text=True, timeout=60)
    if replayed.returncode != 0:
        fail(f"linetwin replay --drift failed ({replayed.returncode}): {replayed.stderr}")
    replay_report = json.loads(replayed.stdout)
    if not replay_report["drift"]["alerts"]:
        fail("expected the replay to flag the slowed line; the comparison would show nothing")

    report_path = f"{tmp}/live.json"
    live = start([linetwin, "live", str(SCENE), "--broker", broker.address, "--topic", "drift",
                  "--qos", "1", "--reorder-window", "1d", "--until-idle", "2s",
                  "--json", report_path, *DRIFT],
                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = Output(live.stderr)
    err.wait_for("simulating 999 windows of 8h")
    broker.wait_for_subscription("drift/#")
    published = subprocess.run([publisher, str(log), "--broker", broker.address, "--topic",
                                "drift", "--qos", "1", "--batch", "20", "--json", "-", "-q"],
                               capture_output=True, text=True, timeout=60)
    if published.returncode != 0:
        fail(f"linetwin-publish failed: {published.stderr}")
    if live.wait(timeout=60) != 0:
        fail(f"linetwin live exited with {live.returncode}:\n{err.text()}")
    with open(report_path) as f:
        live_report = json.load(f)

    rows = sum(1 for _ in open(log)) - 1
    if live_report["ingestion"]["applied"] != rows:
        fail(f"expected all {rows} samples applied live, found {live_report['ingestion']}")
    diffs = differences(live_report, replay_report)
    if diffs:
        fail("live and replay reports differ:\n  " + "\n  ".join(diffs[:40]))
    live_lines, replay_lines = alerts_on(err.text(), "live"), alerts_on(replayed.stderr, "replay")
    if live_lines != replay_lines or len(live_lines) != len(replay_report["drift"]["alerts"]):
        fail("expected the same alert lines on stderr live and in replay:\n"
             + "\n".join(live_lines) + "\n---\n" + "\n".join(replay_lines))
    print(f"{rows} samples in {json.loads(published.stdout)['messages']} messages: "
          f"{len(live_lines)} drift alerts live, equal to replay")
