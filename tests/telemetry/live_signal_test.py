#!/usr/bin/python3
"""SIGTERM and SIGINT stop `linetwin live` cleanly: exit status 0 within a second or two, the
JSON report written with every sample received before the signal (here: a whole log, so the
report equals a replay's), and the subscriber gone from the broker.

The signal goes out once the subscriber has acknowledged every message (the broker's packet log
counts its PUBACKs): a QoS 1 subscriber acknowledges a message as it takes it in, and handles it
before it looks at signals.

Usage: live_signal_test.py LINETWIN LINETWIN_PUBLISH
"""
import json
import signal
import subprocess
import sys
import time

from live_support import (SCENE, Broker, Output, expect_same_twins, fail, replay, start,
                          wait_until, workdir, write_log)

linetwin, publisher = sys.argv[1:3]
with workdir() as tmp, Broker(tmp, log_packets=True) as broker:
    log = f"{tmp}/line.csv"
    rows = write_log(log)
    replayed = replay(linetwin, log)
    client = "linetwin-live-linetwin"  # linetwin live's client id for QoS 1 and topic linetwin
    acknowledged = 0  # messages the subscriber acknowledged, over both sessions
    for session, sig in enumerate((signal.SIGTERM, signal.SIGINT), start=1):
        report_path = f"{tmp}/live-{sig.name}.json"
        # No --until-idle: only the signal ends this session.
        live = start([linetwin, "live", str(SCENE), "--broker", broker.address, "--qos", "1",
                      "--json", report_path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                     text=True)
        err = Output(live.stderr)
        broker.wait_for_subscription("linetwin/#", client=client, count=session)
        published = subprocess.run([publisher, log, "--broker", broker.address, "--qos", "1",
                                    "--json", "-", "-q"], capture_output=True, text=True,
                                   check=True, timeout=60)
        acknowledged += json.loads(published.stdout)["messages"]
        broker.wait_for_log(f"Received PUBACK from {client} ", count=acknowledged)
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
        err.wait_for(f"stopped by {sig.name}")
        # A clean DISCONNECT, not a dropped socket ("closed its connection"): the broker logs
        # which, once it has handled the end of the connection.
        goodbye, dropped = f"Client {client} disconnected", f"Client {client} closed"
        wait_until(lambda: broker.count_in_log(goodbye) + broker.count_in_log(dropped) >= session,
                   f"{sig.name}: the broker's log of the subscriber leaving")
        if broker.count_in_log(goodbye) != session or broker.count_in_log(dropped):
            fail(f"{sig.name}: expected the subscriber to disconnect cleanly:\n"
                 + "\n".join(line for line in broker.log_lines() if client in line))
        with open(report_path) as f:
            report = json.load(f)
        expect_same_twins(report, replayed)
        if report["ingestion"]["applied"] != rows:
            fail(f"{sig.name}: {report['ingestion']['applied']} samples applied, expected {rows}")
        print(f"{sig.name}: stopped in {took:.2f} s with exit 0 and the report written")
