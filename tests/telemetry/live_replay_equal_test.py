#!/usr/bin/python3
"""Acceptance: a recorded log published to a real mosquitto broker by a separate process
(linetwin-publish) gives the twins exactly the KPIs that `linetwin replay` computes from the same
log, field by field: sample by sample with QoS 0, and in batches of 20 samples of one machine with
QoS 1 and a reorder window wide enough to put the batches back into time order. Each session is
also recorded (--record), and the HDF5 recording holds every sample received (read with h5py:
without it, that check is left out and the test reports itself skipped at the end).

Usage: live_replay_equal_test.py LINETWIN LINETWIN_PUBLISH
"""
import json
import subprocess
import sys

from live_support import (SCENE, Broker, Output, expect_same_twins, fail, replay, skip, start,
                          workdir, write_log)

try:
    import h5py
except ImportError:
    h5py = None

linetwin, publisher = sys.argv[1:3]
with workdir() as tmp, Broker(tmp) as broker:
    log = f"{tmp}/line.csv"
    rows = write_log(log)
    replayed = replay(linetwin, log)
    for batch, qos, window in ((1, 0, "500ms"), (20, 1, "1d")):
        topic = f"equal{batch}"
        report_path = f"{tmp}/live-{batch}.json"
        recording = f"{tmp}/live-{batch}.h5"
        live = start([linetwin, "live", str(SCENE), "--broker", broker.address, "--topic", topic,
                      "--qos", str(qos), "--reorder-window", window, "--until-idle", "2s",
                      "--json", report_path, "--record", recording, "-q"],
                     stderr=subprocess.PIPE, text=True)
        err = Output(live.stderr)
        broker.wait_for_subscription(f"{topic}/#")
        published = subprocess.run([publisher, log, "--broker", broker.address, "--topic", topic,
                                    "--qos", str(qos), "--batch", str(batch), "--json", "-", "-q"],
                                   capture_output=True, text=True, timeout=60)
        if published.returncode != 0:
            fail(f"linetwin-publish failed: {published.stderr}")
        sent = json.loads(published.stdout)
        if live.wait(timeout=60) != 0:
            fail(f"linetwin live exited with {live.returncode}:\n{err.text()}")
        with open(report_path) as f:
            report = json.load(f)
        expect_same_twins(report, replayed)
        ingestion = report["ingestion"]
        expected = {"messages": sent["messages"], "decoded_samples": rows, "applied": rows,
                    "faulty_messages": 0, "duplicates": 0, "out_of_order": 0, "connects": 1,
                    "qos": qos}
        for key, value in expected.items():
            if ingestion[key] != value:
                fail(f"batch {batch}: ingestion.{key} is {ingestion[key]}, expected {value}")
        if sent["samples"] != rows:
            fail(f"the publisher sent {sent['samples']} samples of the log's {rows}")
        if h5py:
            with h5py.File(recording, "r") as f:
                # Fixed-length string attributes (recording format 2) come back as bytes.
                if f.attrs["source"] != b"live" or f["samples"].shape[0] != rows:
                    fail(f"expected a live recording of {rows} samples, found "
                         f"{f.attrs['source']} with {f['samples'].shape[0]}")
        print(f"batch {batch}, QoS {qos}: {sent['messages']} messages, {rows} samples: "
              "live equals replay")
if not h5py:
    skip("python3-h5py is not installed: the recordings were not checked (tools/install-deps.sh "
         "installs it)")
