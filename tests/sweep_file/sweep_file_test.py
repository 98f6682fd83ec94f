#!/usr/bin/python3
"""A sweep's HDF5 file as a data scientist meets it: h5py, numpy and pandas, no linetwin.

Usage: sweep_file_test.py WRITE_SWEEP_FILE

Runs the test-only writer (tests/sweep_file/write_sweep_file.cpp), then reads its two files with
h5py: the sample shard (tests/sweep_file/sample_sweep.hpp), whose /replications is checked
against the same formulas, computed here: the member names (KPI names with dots in them), the
dtypes, every value and the NaN where a variant lacks a column; and the wide file, whose KPI
columns continue in /replications_2, which pandas joins side by side. Exits 77 (skipped) where
h5py is not installed; the pandas checks run where pandas is.
"""

import math
import subprocess
import sys
import tempfile

SKIP = 77
try:
    import h5py
    import numpy as np
except ImportError:
    print("h5py or numpy is not installed (Debian: python3-h5py): skipped")
    sys.exit(SKIP)
try:
    import pandas as pd
except ImportError:
    pd = None

BASELINE = ["replication", "throughput_per_hour", "deadlocked", "OP30.oee", "B2.occupancy_mean",
            "ledger.completed"]
WITH_B2B = BASELINE[:5] + ["B2b.occupancy_mean"] + BASELINE[5:]
VARIANTS = [("baseline", BASELINE), ("B2 16, with B2b", WITH_B2B)]
REPLICATIONS = [1, 4, 7]
# The table's float columns: the replication's number is the leading uint32 column, not one more.
UNION = BASELINE[1:] + ["B2b.occupancy_mean"]


def expected_value(v, r, column):
    """sample_sweep.hpp's formula, NaN where the variant has no such column."""
    columns = VARIANTS[v][1]
    if column not in columns:
        return math.nan
    if v == 0 and r == 4 and column == "OP30.oee":
        return math.nan  # nothing measured
    if v == 1 and r == 7 and column == "deadlocked":
        return 1.0
    return 1000.0 * v + 10.0 * r + columns.index(column) + 0.25


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def check_sample(path):
    with h5py.File(path, "r") as f:
        assert set(f.keys()) == {"variants", "variant_columns", "replications", "deadlocks"}, \
            list(f.keys())  # no /summary in a shard
        attrs = dict(f.attrs)
        assert attrs["schema"] == b"linetwin.sweep/1", attrs["schema"]
        assert attrs["scenario"] == b"scenarios/buffer_allocation.yaml"
        assert attrs["seed"] == 42 and attrs["seed"].dtype == np.uint64
        assert attrs["shard_index"] == 2 and attrs["shard_count"] == 3
        assert attrs["shard_index"].dtype == np.uint32

        variants = f["variants"][:]
        assert [n.decode() for n in variants["name"]] == [name for name, _ in VARIANTS]
        assert list(variants["index"]) == [0, 1]
        own = f["variant_columns"][:]
        for v, (_, columns) in enumerate(VARIANTS):
            listed = [c.decode() for c in own["column"][own["variant"] == v]]
            assert listed == columns, (v, listed)

        table = f["replications"][:]  # a numpy structured array
        assert list(table.dtype.names) == ["variant", "replication"] + UNION, table.dtype.names
        assert table.dtype["variant"] == np.dtype("<u4")
        assert table.dtype["replication"] == np.dtype("<u4")
        for name in UNION:
            assert table.dtype[name] == np.dtype("<f8"), (name, table.dtype[name])
        assert len(table) == len(VARIANTS) * len(REPLICATIONS)
        for row in table:
            v, r = int(row["variant"]), int(row["replication"])
            for name in UNION:
                assert same(float(row[name]), expected_value(v, r, name)), (v, r, name, row[name])
        # A KPI name with a dot in it is a field as any other.
        assert table["OP30.oee"][1] != table["OP30.oee"][1]  # NaN: the baseline's replication 4
        assert table["B2b.occupancy_mean"][3] == 1000.0 + 10.0 + 5 + 0.25

        deadlocks = f["deadlocks"][:]
        assert [e.decode("utf-8") for e in deadlocks["element"]] == ["OP30", "B2b", "Prüfstand 3"]
        assert list(deadlocks["position"]) == [0, 1, 2] and list(deadlocks["cycle"]) == [1, 1, 1]
        assert list(deadlocks["parts"]) == [1, 16, 1]

        if pd is not None:
            frame = pd.DataFrame(f["replications"][:])
            assert list(frame.columns) == ["variant", "replication"] + UNION
            baseline = frame[frame["variant"] == 0].set_index("replication")
            assert baseline.loc[7, "OP30.oee"] == 10.0 * 7 + 3 + 0.25
            assert baseline["B2b.occupancy_mean"].isna().all()
            assert frame.groupby("variant")["throughput_per_hour"].mean().tolist() == [
                10.0 * 4 + 1 + 0.25, 1000.0 + 10.0 * 4 + 1 + 0.25]


def check_wide(path):
    names = [f"Station_{c}.waiting_operator_share" for c in range(3000)]
    with h5py.File(path, "r") as f:
        tables = ["replications"] + sorted((k for k in f.keys() if k.startswith("replications_")),
                                           key=lambda k: int(k.split("_")[1]))
        assert len(tables) >= 2, tables
        columns = []
        for name in tables:
            dtype_names = f[name].dtype.names
            assert dtype_names[:2] == ("variant", "replication"), dtype_names[:2]
            columns += dtype_names[2:]
        assert columns == names
        for name in tables:
            table = f[name][:]
            assert list(table["replication"]) == [0, 1]
            for column in table.dtype.names[2:]:
                c = int(column.split("_")[1].split(".")[0])
                assert list(table[column]) == [c, c + 0.5], column
        if pd is not None:
            frames = [pd.DataFrame(f[name][:]).set_index(["variant", "replication"])
                      for name in tables]
            frame = pd.concat(frames, axis=1)
            assert list(frame.columns) == names
            assert frame.loc[(0, 1), "Station_2999.waiting_operator_share"] == 2999.5


def main():
    with tempfile.TemporaryDirectory() as folder:
        sample, wide = f"{folder}/sample.h5", f"{folder}/wide.h5"
        subprocess.run([sys.argv[1], sample, wide], check=True)
        check_sample(sample)
        check_wide(wide)
    print("ok" + ("" if pd is not None else " (pandas not installed: its checks not run)"))


if __name__ == "__main__":
    main()
