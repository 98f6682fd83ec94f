#!/usr/bin/python3
"""HDF5 recordings as a data scientist meets them: h5py and pandas, no linetwin.

Usage: recording_test.py WRITE_RECORDING RECORDING_FORMAT_MD LINETWIN

Runs the test-only writer (tests/telemetry/recording_fixture/write_recording.cpp), which writes a
closed recording and one whose writer died after a flush, then checks both with h5py and numpy
alone: the layout, the dtypes and every value, computed here from the same formulas as the
writer's. Then it runs the ```python blocks of docs/recording-format.md's reading section as they
are written, with `path` set to each recording, and checks what they produce, so the documented
snippets work; and its block that converts a version 1 recording, on a recording made to look as
version 1 wrote it, which `linetwin replay` refuses before and reads after.
"""

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import pandas as pd

START_US = 1_700_000_000_000_000
SAMPLES = 20_000
CRASHED_FLUSHED = 12_345
CRASHED_APPENDED = 13_345
MACHINES = ["OP10", "OP20", "Prüfstand 3"]
NAMES = ["", "good", "scrap", "temperature_C", "tool change"]
KINDS = {"state": 0, "counter": 1, "sensor": 2}
STATES = {"unknown": 0, "producing": 1, "idle": 2, "blocked": 3, "down": 4, "setup": 5,
          "off_shift": 6}
# Column, numpy type and byte offset, as docs/recording-format.md lists them.
SAMPLE_DTYPE = [("timestamp_us", "<i8", 0), ("sequence", "<u8", 8), ("value", "<f8", 16),
                ("machine", "<u4", 24), ("name", "<u2", 28), ("kind", "|u1", 30),
                ("state", "|u1", 31)]


def expected_samples(count):
    """The writer's formulas (write_recording.cpp), as columns."""
    i = np.arange(count, dtype=np.int64)
    kind = i % 3
    state = np.where(kind == 0, (i // 3) % 7, 0)
    name = np.select([kind == 0, kind == 1], [np.where(state == STATES["down"], 4, 0),
                                              np.where((i // 3) % 2 == 0, 1, 2)], 3)
    value = np.select([kind == 0, kind == 1], [0.0, (i // 3).astype(float)],
                      20.0 + (i % 8) * 0.125)
    return {"timestamp_us": START_US + i * 1000, "sequence": i + 1, "value": value,
            "machine": (i // 3) % 3, "name": name, "kind": kind, "state": state}


def expected_kpis():
    rows = []
    for t in range(2):
        for m in range(3):
            processed = 10 * (t + 1) + m
            good = processed - 1
            observed = 60.0 * (t + 1)
            rows.append({"timestamp_us": START_US + (t + 1) * 60_000_000, "machine": m,
                         "observed_s": observed, "working": 0.5, "setup": 0.0625,
                         "waiting_operator": 0.0, "starved": 0.125, "blocked": 0.0625,
                         "down": 0.125, "off_shift": 0.0, "unknown": 0.125,
                         "parts_processed": processed, "parts_good": good, "parts_scrapped": 1,
                         "failures": m, "setups": t, "throughput_per_hour": good * 3600 / observed,
                         "cycle_time_mean_s": 3.0, "availability": 0.75, "performance": 0.875,
                         "quality": good / processed,
                         "oee": 0.75 * 0.875 * (good / processed)})
    return rows


def check_layout(path):
    with h5py.File(path, "r") as f:  # a closed recording opens without swmr=True
        assert set(f.keys()) == {"samples", "kpis", "machines", "names"}, list(f.keys())
        samples = f["samples"]
        layout = [(name, samples.dtype[name].str, samples.dtype.fields[name][1])
                  for name in samples.dtype.names]
        assert layout == SAMPLE_DTYPE, layout
        assert samples.dtype.itemsize == 32
        assert samples.shape == (SAMPLES,) and samples.maxshape == (None,)
        assert samples.chunks == (8192,)
        assert samples.compression == "gzip" and samples.compression_opts == 4
        assert samples.shuffle
        assert h5py.check_enum_dtype(samples.dtype["kind"]) == KINDS
        assert h5py.check_enum_dtype(samples.dtype["state"]) == STATES
        kpis = f["kpis"]
        assert kpis.dtype.itemsize == 172, kpis.dtype.itemsize
        assert kpis.compression == "gzip" and kpis.maxshape == (None,)
        for table in ("machines", "names"):
            assert f[table].dtype == np.dtype("S1024"), f[table].dtype
            assert h5py.check_string_dtype(f[table].dtype).encoding == "utf-8"
        attrs = dict(f.attrs)
        # String attributes are fixed-length UTF-8, as long as their text.
        for key in ("schema", "linetwin_version", "created", "source", "scene_file", "scene_text",
                    "start_time"):
            string = h5py.check_string_dtype(f.attrs.get_id(key).dtype)
            assert string is not None and string.encoding == "utf-8", (key, string)
            assert string.length == max(len(attrs[key]), 1), (key, string.length)
        assert attrs["schema"] == b"linetwin.recording/2"
        assert isinstance(attrs["linetwin_version"], bytes) and attrs["linetwin_version"]
        assert pd.Timestamp(attrs["created"].decode()).tzinfo is not None
        assert attrs["start_time_us"] == START_US and attrs["start_time_us"].dtype == np.int64
        assert pd.Timestamp(attrs["start_time"].decode()) == pd.Timestamp(START_US, unit="us",
                                                                         tz="UTC")
        assert attrs["seed"] == 42 and attrs["seed"].dtype == np.uint64
        assert attrs["replication"] == 3 and attrs["replication"].dtype == np.uint32


def check_columns(samples, count):
    """The columns of pd.DataFrame(f["samples"][:]) against the formulas, bit for bit."""
    expected = expected_samples(count)
    assert list(samples.columns[:7]) == [name for name, _, _ in SAMPLE_DTYPE], list(samples.columns)
    for name, dtype, _ in SAMPLE_DTYPE[:5]:
        assert samples[name].dtype == np.dtype(dtype), (name, samples[name].dtype)
        assert np.array_equal(samples[name].to_numpy(), expected[name]), name


def section_blocks(doc, heading):
    """The ```python blocks of the doc's section under `heading`, up to the next heading."""
    text = open(doc, encoding="utf-8").read()
    start = text.index(heading + "\n")
    end = text.find("\n#", start + len(heading))
    return re.findall(r"```python\n(.*?)```", text[start:end if end >= 0 else None], re.S)


def run_snippets(doc, path):
    blocks = section_blocks(doc, "## Reading with h5py and pandas")
    assert len(blocks) >= 3, "the reading snippets of docs/recording-format.md are gone"
    namespace = {"path": path}
    for block in blocks:
        exec(compile(block, doc, "exec"), namespace)
    return namespace


def check_snippet_results(ns, count):
    assert list(ns["machines"]) == MACHINES and list(ns["names"]) == NAMES
    assert ns["metadata"]["source"] == "simulation"
    assert ns["metadata"]["scene_file"] == "scenes/fixture.yaml"
    assert ns["metadata"]["scene_text"] == "elements: []\n"
    samples = ns["samples"]
    check_columns(samples, count)
    expected = expected_samples(count)
    kind_names = {v: k for k, v in KINDS.items()}
    state_names = {v: k for k, v in STATES.items()}
    assert list(samples["kind"].astype(str)) == [kind_names[k] for k in expected["kind"]]
    assert list(samples["state"].astype(str)) == [state_names[s] for s in expected["state"]]
    assert list(samples["machine_id"]) == [MACHINES[m] for m in expected["machine"]]
    assert list(samples["name_text"]) == [NAMES[n] for n in expected["name"]]
    assert samples["time"].iloc[1] == pd.Timestamp("2023-11-14T22:13:20.001Z")

    is_good_op10 = (expected["machine"] == 0) & (expected["kind"] == 1) & (expected["name"] == 1)
    good = ns["good_op10"]
    assert len(good) == is_good_op10.sum() > 0
    assert np.array_equal(good.to_numpy(), expected["value"][is_good_op10])
    assert np.array_equal(good.index.to_numpy(), samples["time"].to_numpy()[is_good_op10])
    changes = ns["state_changes"]
    assert len(changes) == (expected["kind"] == 0).sum()
    assert set(changes["machine_id"]) == set(MACHINES)
    down = changes[changes.state == "down"]
    assert len(down) > 0 and set(down["name_text"]) == {"tool change"}


def check_kpis(ns):
    kpis = ns["kpis"]
    rows = expected_kpis()
    assert len(kpis) == len(rows)
    for got, want in zip(kpis.to_dict("records"), rows):
        for key, value in want.items():
            assert got[key] == value or (math.isnan(value) and math.isnan(got[key])), (key, got)
    latest = ns["latest_oee"]
    for m, machine in enumerate(MACHINES):
        good = 20 + m - 1
        assert latest[machine] == 0.75 * 0.875 * good / (20 + m), (machine, latest[machine])


def make_version_1(path):
    """Rewrites a recording as version 1 wrote it: variable-length string attributes (h5py's
    default for str) and names in fields of 256 bytes."""
    with h5py.File(path, "r+") as f:
        for key, value in list(f.attrs.items()):
            if isinstance(value, bytes):
                f.attrs[key] = value.decode()
        f.attrs["schema"] = "linetwin.recording/1"
        for table in ("machines", "names"):
            names = f[table][:]
            del f[table]
            f.create_dataset(table, data=names, dtype=h5py.string_dtype("utf-8", 256),
                             maxshape=(None,), chunks=(256,), compression="gzip", shuffle=True)


def check_version_1_conversion(doc, closed, linetwin, out):
    path = f"{out}/version_1.h5"
    shutil.copy(closed, path)
    make_version_1(path)
    scene = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(doc))),
                         "scenes", "balanced_line.yaml")
    replay = [linetwin, "replay", scene, path, "--json", "-", "-q"]
    refused = subprocess.run(replay, capture_output=True, text=True)
    assert refused.returncode == 2 and "field 'attrs.schema'" in refused.stderr, refused.stderr
    assert "linetwin.recording/1" in refused.stderr, refused.stderr

    blocks = section_blocks(doc, "### Version 1 recordings")
    assert len(blocks) == 1, "the conversion snippet of docs/recording-format.md is gone"
    exec(compile(blocks[0], doc, "exec"), {"path": path})
    read = subprocess.run(replay, capture_output=True, text=True)
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)["ingestion"]["samples"] == SAMPLES
    with h5py.File(path, "r") as f:
        assert f.attrs["schema"] == b"linetwin.recording/2"
        assert f.attrs["scene_text"] == b"elements: []\n"


def main():
    writer, doc, linetwin = sys.argv[1], sys.argv[2], sys.argv[3]
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([writer, out], check=True)
        closed, crashed = f"{out}/closed.h5", f"{out}/crashed.h5"

        check_layout(closed)
        ns = run_snippets(doc, closed)
        check_snippet_results(ns, SAMPLES)
        check_kpis(ns)
        check_version_1_conversion(doc, closed, linetwin, out)

        # The crashed recording: only a SWMR reader opens it, and it holds the flushed rows,
        # perhaps a few more, all as written.
        try:
            h5py.File(crashed, "r").close()
            raise AssertionError("a crashed recording opened without swmr=True")
        except OSError:
            pass
        ns = run_snippets(doc, crashed)
        rows = len(ns["samples"])
        assert CRASHED_FLUSHED <= rows <= CRASHED_APPENDED, rows
        check_snippet_results(ns, rows)
        assert len(ns["kpis"]) == 0
    print("recording_test.py: ok")


if __name__ == "__main__":
    main()
