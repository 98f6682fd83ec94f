#!/usr/bin/python3
"""Acceptance: the broker is killed (kill -9) in the middle of a stream and restarted on the same
port once both clients have noticed; publishing continues, and no twin state is lost: the final
KPIs equal `linetwin replay` of the whole log, field by field, and the reconnects are counted.

Why the equality can be exact: the subscriber uses QoS 1 with a persistent session, and the
broker saves its sessions every second, so the restarted broker still has the subscription and
queues everything published before the subscriber is back. A broker killed with -9 may still
have acknowledged messages it never passed on; the publisher therefore sends its last 400
messages again after reconnecting (--resend-on-reconnect), and the twins recognise what they
already have as duplicates (or as out of order) and leave their state alone.

Every step waits for a signal: the broker's log for the subscription and for a save of the
sessions made after it; a third subscriber (mosquitto_sub -C, which exits after that many
messages) for "a third of the stream has passed the broker"; the two clients' stderr for the lost
connection.

Usage: live_broker_restart_test.py LINETWIN LINETWIN_PUBLISH
"""
import json
import subprocess
import sys

from live_support import (SCENE, TIMEOUT, Broker, Output, expect_same_twins, fail, replay,
                          require_programs, start, workdir, write_log)

linetwin, publisher = sys.argv[1:3]
mosquitto_sub = require_programs("mosquitto_sub")["mosquitto_sub"]
with workdir() as tmp:
    broker = Broker(tmp, persistent=True)
    try:
        broker.start()
        log = f"{tmp}/line.csv"
        rows = write_log(log, minutes=240)
        replayed = replay(linetwin, log)
        report_path = f"{tmp}/live.json"
        # Idle for longer than the wait for two of the broker's saves (2 s apart) below.
        live = start([linetwin, "live", str(SCENE), "--broker", broker.address, "--qos", "1",
                      "--until-idle", "10s", "--json", report_path, "-q"],
                     stderr=subprocess.PIPE, text=True)
        live_err = Output(live.stderr)
        # The restarted broker must find the session and its subscription in its saved state.
        broker.wait_for_saved_subscription("linetwin/#")
        watcher = start([mosquitto_sub, "-h", "127.0.0.1", "-p", str(broker.port), "-i",
                         "third-of-the-stream", "-t", "linetwin/#", "-C", str(rows // 3)],
                        stdout=subprocess.DEVNULL)
        broker.wait_for_subscription("linetwin/#", client="third-of-the-stream")
        rate = 500  # messages per second: the stream lasts about rows / rate seconds
        pub = start([publisher, log, "--broker", broker.address, "--qos", "1", "--rate",
                     str(rate), "--resend-on-reconnect", "400", "--json", f"{tmp}/published.json"],
                    stderr=subprocess.PIPE, text=True)
        pub_err = Output(pub.stderr)
        if watcher.wait(timeout=TIMEOUT) != 0:  # a third of the way through
            fail(f"mosquitto_sub exited with {watcher.returncode}")
        broker.kill()
        live_err.wait_for("lost the connection")
        pub_err.wait_for("lost the connection")
        broker.start()
        if pub.wait(timeout=120) != 0:
            fail(f"linetwin-publish exited with {pub.returncode}:\n{pub_err.text()}")
        if live.wait(timeout=120) != 0:
            fail(f"linetwin live exited with {live.returncode}:\n{live_err.text()}")
    finally:
        broker.kill()

    with open(report_path) as f:
        report = json.load(f)
    with open(f"{tmp}/published.json") as f:
        published = json.load(f)
    # Samples received twice are counted per machine as duplicates or out of order: the only
    # fields in which the two reports may differ.
    expect_same_twins(report, replayed, ignore={"duplicates", "out_of_order"})
    ingestion = report["ingestion"]
    if published["reconnects"] < 1 or published["resent"] < 1:
        fail(f"the publisher did not reconnect and resend: {published}")
    if ingestion["reconnects"] < 1 or ingestion["disconnects"] < 1:
        fail(f"the subscriber's reconnect was not counted: {ingestion}")
    if ingestion["applied"] != rows:
        fail(f"{ingestion['applied']} samples applied, expected each of the log's {rows} once")
    repeats = ingestion["duplicates"] + ingestion["out_of_order"]
    if ingestion["decoded_samples"] != rows + repeats:
        fail(f"decoded {ingestion['decoded_samples']} samples, expected {rows} + {repeats} "
             "received again")
    if "session resumed" not in live_err.text():
        fail(f"expected the broker to resume the subscriber's session:\n{live_err.text()}")
    print(f"{rows} samples; broker killed and restarted; {ingestion['reconnects']} reconnect(s), "
          f"{published['resent']} messages resent, {repeats} samples received twice and left "
          "alone; live equals replay")
