#!/usr/bin/python3
"""Acceptance: malformed messages published with mosquitto_pub between two halves of a good log
(truncated JSON, an unknown machine, wrong types, a missing field, a bad timestamp, a bad state,
an oversized payload, and a valid sample whose timestamp goes back) are each counted under their
kind, `linetwin live` carries on, and the twins end exactly as a replay of the good log leaves
them.

Usage: live_malformed_test.py LINETWIN LINETWIN_PUBLISH
"""
import json
import subprocess
import sys

from live_support import (SCENE, Broker, Output, expect_same_twins, fail, replay, require_programs,
                          start, workdir, write_log)

linetwin, publisher = sys.argv[1:3]
mosquitto_pub = require_programs("mosquitto_pub")["mosquitto_pub"]

# (topic's machine, payload, the fault kind it must be counted under)
MALFORMED = [
    ("OP10", '{"machine":"OP10","ts":1709532000000,"state":"produc', "syntax"),
    ("OP99", '{"ts":1709532000000,"state":"producing"}', "unknown_machine"),
    ("OP10", '{"ts":1709532000000,"counter":"good","value":"seven"}', "wrong_type"),
    ("OP10", '{"ts":1709532000000,"seq":"3","state":"idle"}', "wrong_type"),
    ("OP10", '{"ts":1709532000000}', "missing_field"),
    ("OP10", '{"ts":"yesterday","state":"idle"}', "bad_timestamp"),
    ("OP10", '{"ts":1709532000000,"state":"sleeping"}', "bad_state"),
    ("OP10", '{"ts":1709532000000,"sensor":"x","value":1,"pad":"' + "x" * 300_000 + '"}',
     "oversized"),
]

with workdir() as tmp, Broker(tmp) as broker:
    log = f"{tmp}/line.csv"
    rows = write_log(log)
    replayed = replay(linetwin, log)
    with open(log) as f:
        lines = f.readlines()
    header, body = lines[0], lines[1:]
    halves = [f"{tmp}/first.csv", f"{tmp}/second.csv"]
    for path, part in zip(halves, (body[: len(body) // 2], body[len(body) // 2:])):
        with open(path, "w") as f:
            f.writelines([header] + part)

    report_path = f"{tmp}/live.json"
    live = start([linetwin, "live", str(SCENE), "--broker", broker.address, "--qos", "1",
                  "--until-idle", "2s", "--json", report_path],
                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = Output(live.stderr)
    broker.wait_for_subscription("linetwin/#")

    def publish_log(path):
        done = subprocess.run([publisher, path, "--broker", broker.address, "--qos", "1", "-q"],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            fail(f"linetwin-publish failed: {done.stderr}")

    def mosquitto_publish(machine, payload):
        payload_file = f"{tmp}/payload"
        with open(payload_file, "w") as f:
            f.write(payload)
        subprocess.run([mosquitto_pub, "-p", str(broker.port), "-h", "127.0.0.1", "-q", "1",
                        "-t", f"linetwin/{machine}", "-f", payload_file], check=True, timeout=10)

    publish_log(halves[0])
    for machine, payload, _ in MALFORMED:
        mosquitto_publish(machine, payload)
    # Valid, but older than everything OP10 has sent: the timestamp goes back.
    mosquitto_publish("OP10", '{"ts":"2024-03-04T05:00:00Z","state":"down","reason":"late"}')
    publish_log(halves[1])
    if live.wait(timeout=60) != 0:
        fail(f"linetwin live exited with {live.returncode}:\n{err.text()}")

    with open(report_path) as f:
        report = json.load(f)
    ingestion = report["ingestion"]
    expected_faults = {kind: 0 for kind in ingestion["faults"]}
    for _, _, kind in MALFORMED:
        expected_faults[kind] += 1
    if ingestion["faults"] != expected_faults:
        fail(f"faults {ingestion['faults']}, expected {expected_faults}")
    if ingestion["faulty_messages"] != len(MALFORMED):
        fail(f"{ingestion['faulty_messages']} faulty messages, expected {len(MALFORMED)}")
    if ingestion["out_of_order"] != 1 or ingestion["applied"] != rows:
        fail(f"expected the late sample out of order and the log's {rows} samples applied, "
             f"found {ingestion}")
    op10 = next(s for s in report["stations"] if s["id"] == "OP10")
    if op10["out_of_order"] != 1:
        fail(f"expected OP10 to count the late sample as out of order, found {op10}")
    expect_same_twins(report, replayed, ignore={"out_of_order"})
    for kind in ("syntax", "unknown_machine", "oversized"):
        if f"({kind})" not in err.text():
            fail(f"expected stderr to name the {kind} fault:\n{err.text()}")
    print(f"{len(MALFORMED)} malformed messages counted by kind "
          f"({', '.join(k for k, n in expected_faults.items() if n)}); one late sample out of "
          "order; live equals replay")
