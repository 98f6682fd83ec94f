#!/usr/bin/python3
"""SIGTERM and SIGINT stop `linetwin live` cleanly: exit status 0 within a second or two, the
JSON report written with every sample received before the signal (here: a whole log, so the
report equals a replay's), and the subscriber gone from the broker.

Usage: live_signal_test.py LINETWIN LINETWIN_PUBLISH
"""
import json
import signal
import subprocess
import sys
import time

from live_support import (SCENE, Broker, Output, expect_same_twins, fail, replay, start, workdir,
                          write_log)

linetwin, publisher = sys.argv[1:3]
with workdir() as tmp, Broker(tmp) as broker:
    log = f"{tmp}/line.csv"
    rows = write_log(log)
    replayed = replay(linetwin, log)
    for sig in (signal.SIGTERM, signal.SIGINT):
        report_path = f"{tmp}/live-{sig.name}.json"
        # No --until-idle: only the signal ends this session.
        live = start([linetwin, "live", str(SCENE), "--broker", broker.address, "--qos", "1",
                      "--json", report_path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                     text=True)
        err = Output(live.stderr)
        err.wait_for("connected to")
        subprocess.run([publisher, log, "--broker", broker.address, "--qos", "1", "-q"],
                       check=True, timeout=60)
        time.sleep(0.5)  # the last messages reach the subscriber's inbox
        sent_at = time.monotonic()
        live.send_signal(sig)
        try:
            status = live.wait(timeout=10)
        except subprocess.TimeoutExpired:
            fail(f"linetwin live did not stop within 10 s of {sig.name}")
        took = time.monotonic() - sent_at
        if status != 0:
            fail(f"{sig.name}: exit status {status}, expected 0:\n{err.text()}")
        if took > 2.0:
            fail(f"{sig.name}: stopping took {took:.2f} s, expected well under 2 s")
        err.wait_for(f"stopped by {sig.name}", timeout=1)
        with open(f"{tmp}/mosquitto.log") as f:
            broker_log = f.read()
        # A clean DISCONNECT, not a dropped socket ("closed its connection").
        goodbyes = broker_log.count("Client linetwin-live-linetwin disconnected")
        if goodbyes != (1 if sig == signal.SIGTERM else 2):
            fail(f"{sig.name}: expected the subscriber to disconnect cleanly:\n{broker_log}")
        with open(report_path) as f:
            report = json.load(f)
        expect_same_twins(report, replayed)
        if report["ingestion"]["applied"] != rows:
            fail(f"{sig.name}: {report['ingestion']['applied']} samples applied, expected {rows}")
        print(f"{sig.name}: stopped in {took:.2f} s with exit 0 and the report written")
