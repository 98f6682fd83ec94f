#!/usr/bin/python3
"""Bad flags, an unreachable broker and a broker that refuses us give clear errors and exit
status 2 (linetwin's "bad input"), from `linetwin live` and from linetwin-publish; without
--connect-timeout an unreachable broker is retried with back-off, said so on stderr, until a
signal stops the session cleanly.

Usage: live_errors_test.py LINETWIN LINETWIN_PUBLISH
"""
import json
import signal
import subprocess
import sys
import time

from live_support import SCENE, Broker, Output, fail, free_port, start, workdir, write_log

linetwin, publisher = sys.argv[1:3]


def expect_error(args, *needles, timeout=20):
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 2:
        fail(f"{args[1:]}: exit status {done.returncode}, expected 2; stderr:\n{done.stderr}")
    for needle in needles:
        if needle not in done.stderr:
            fail(f"{args[1:]}: expected '{needle}' on stderr, found:\n{done.stderr}")
    return done


live = [linetwin, "live", str(SCENE)]
unused = f"127.0.0.1:{free_port()}"  # nothing listens there
with workdir() as tmp:
    # Flags.
    expect_error(live, "--broker")
    expect_error(live + ["--broker", "localhost:99999"], "--broker", "1-65535")
    expect_error(live + ["--broker", "::1:1883"], "--broker", "brackets")
    expect_error(live + ["--broker", unused, "--qos", "2"], "--qos")
    expect_error(live + ["--broker", unused, "--topic", "plant/#"], "--topic", "wildcards")
    expect_error(live + ["--broker", unused, "--password", "secret"], "--password", "--username")
    expect_error(live + ["--broker", unused, "--tls-cert", f"{tmp}/c.pem"], "--tls-cert",
                 "--tls-key")
    expect_error(live + ["--broker", unused, "--tls-ca", f"{tmp}/missing.pem"], "--tls-ca",
                 "missing.pem", "cannot read")
    expect_error(live + ["--broker", unused, "--tls-insecure"], "--tls-insecure", "--tls-ca")
    expect_error(live + ["--broker", unused, "--username", "u", "--password-file",
                         f"{tmp}/missing"], "--password-file", "cannot read")
    expect_error(live + ["--broker", unused, "--reorder-window", "soon"], "--reorder-window")
    expect_error(live + ["--broker", unused, "--until-idle", "0s"], "--until-idle")
    expect_error([linetwin, "live", f"{tmp}/missing.yaml", "--broker", unused], "missing.yaml")
    expect_error([publisher, "--broker", unused], "--synthetic", "LOG")
    expect_error([publisher, f"{tmp}/missing.csv", "--broker", unused, "--batch", "0"], "--batch")

    # Unreachable, with a deadline: exit 2 soon after it, naming the broker and the reason.
    began = time.monotonic()
    expect_error(live + ["--broker", unused, "--connect-timeout", "1s"],
                 f"cannot connect to {unused} within 1s", "Connection refused", "retrying in")
    if time.monotonic() - began > 5:
        fail("--connect-timeout 1s took more than 5 s to give up")
    log = f"{tmp}/line.csv"
    write_log(log, minutes=5)
    expect_error([publisher, log, "--broker", unused, "--connect-timeout", "1s"],
                 f"cannot connect to {unused}")
    expect_error([publisher, str(SCENE), "--broker", unused], str(SCENE))  # not a log

    # Unreachable, without a deadline: retries with back-off until a signal, then exit 0 with a
    # report of nothing.
    report_path = f"{tmp}/empty.json"
    waiting = start(live + ["--broker", unused, "--json", report_path],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = Output(waiting.stderr)
    err.wait_for("retrying in", count=3, timeout=10)
    waiting.send_signal(signal.SIGTERM)
    if waiting.wait(timeout=5) != 0:
        fail(f"SIGTERM while retrying: exit {waiting.returncode}:\n{err.text()}")
    with open(report_path) as f:
        report = json.load(f)
    ingestion = report["ingestion"]
    if ingestion["connects"] != 0 or ingestion["failed_connection_attempts"] < 3:
        fail(f"expected no connection and the failed attempts counted, found {ingestion}")
    delays = [float(line.split("retrying in ")[1].split(" s")[0])
              for line in err.lines if "retrying in" in line]
    if delays[:3] != [0.25, 0.5, 1.0]:
        fail(f"expected the back-off to double from 0.25 s, found {delays}")

    # Refused: a broker that admits no anonymous client. Retrying cannot help: exit 2 at once.
    with Broker(tmp) as broker:
        broker.config.write_text(broker.config.read_text().replace("allow_anonymous true",
                                                                   "allow_anonymous false"))
        broker.kill()
        broker.start()
        expect_error(live + ["--broker", broker.address], "refused the connection",
                     "not authori", timeout=10)
        expect_error([publisher, log, "--broker", broker.address], "refused the connection")
print("bad flags, unreachable and refusing brokers: clear errors, exit 2; retries until a signal")
