"""A sweep's results beyond its JSON: to_dataframe() is pandas.read_csv of `linetwin sweep --csv`,
replications_dataframe() that of --replications-csv, and `replications` its columns as numpy
arrays, typed as pandas types them; all of it pickles."""
import io
import pickle

import numpy
import pandas

import linetwin
from conftest import run_cli

# Its variant "buffer before the sink" has a B4 that the others lack: empty cells in the CSV.
SCENARIO = "tests/io/scenarios/buffers.scenario.yaml"
FLAGS = {"reps": 4, "duration": "2h"}


def cli_csv(flag):
    status, out, err = run_cli("sweep", SCENARIO, "--reps", "4", "--duration", "2h", flag, "-",
                               "-q")
    assert status in (0, 3), err  # 3: a gate failed, which the report says
    return pandas.read_csv(io.BytesIO(out), float_precision="round_trip")


def test_tables_are_the_cli_csv_files():
    results = linetwin.sweep(SCENARIO, **FLAGS)
    summary = results.to_dataframe()
    pandas.testing.assert_frame_equal(summary, cli_csv("--csv"))
    assert list(summary.columns[:4]) == ["variant", "section", "id", "kpi"]
    replications = results.replications_dataframe()
    pandas.testing.assert_frame_equal(replications, cli_csv("--replications-csv"))
    # One row per replication of every variant, in variant order.
    variants = results.to_dict()["variants"]
    assert len(replications) == sum(v["replications"] for v in variants)
    assert list(dict.fromkeys(replications["variant"])) == results.variants


def test_replications_are_the_csv_columns_as_numpy():
    results = linetwin.sweep(SCENARIO, **FLAGS)
    frame = results.replications_dataframe()
    columns = results.replications
    assert list(columns) == list(frame.columns)
    for name, values in columns.items():
        assert isinstance(values, numpy.ndarray)
        assert values.dtype == frame[name].dtype, name
        numpy.testing.assert_array_equal(values, frame[name].to_numpy(), err_msg=name)
    # Counts are whole numbers; a KPI of B4, which only one variant has, is NaN in the others.
    assert columns["replication"].dtype == numpy.int64
    b4 = columns["B4.occupancy_mean"]
    has_b4 = columns["variant"] == "buffer before the sink"
    assert numpy.isnan(b4[~has_b4]).all() and not numpy.isnan(b4[has_b4]).any()
    # The per-replication mean is the summary's mean of that KPI.
    mean = results.to_dict()["variants"][0]["run"]["kpis"]["throughput_per_hour"]["mean"]
    baseline = columns["throughput_per_hour"][columns["variant"] == results.variants[0]]
    assert abs(baseline.mean() - mean) <= 1e-9 * abs(mean)


def test_results_pickle_with_their_tables():
    results = linetwin.sweep(SCENARIO, **FLAGS)
    copy = pickle.loads(pickle.dumps(results))
    assert copy.to_json() == results.to_json()
    pandas.testing.assert_frame_equal(copy.to_dataframe(), results.to_dataframe())
    pandas.testing.assert_frame_equal(copy.replications_dataframe(),
                                      results.replications_dataframe())
