"""Runs from Python give the CLI's results: to_dict() is the object of `linetwin run --json`,
to_dataframe() pandas' reading of its --csv, the per-replication arrays its --replications-csv,
for every bundled scene; results pickle, and seconds and duration text give the same run."""
import io
import json
import os
import pickle

import numpy
import pandas
import pytest

import linetwin
from conftest import SOURCE_DIR, bundled_scenes, run_cli

# Short runs keep the suite quick; the bytes must match whatever the run.
FLAGS = {"reps": 3, "duration": "2h", "warmup": "30min"}
SCENES = [os.path.relpath(p, SOURCE_DIR) for p in bundled_scenes()]


def cli_output(scene, *outputs):
    args = ["run", scene, "--reps", FLAGS["reps"], "--duration", FLAGS["duration"],
            "--warmup", FLAGS["warmup"], "-q", *outputs]
    status, out, err = run_cli(*args)
    assert status == 0, err.decode()
    return out.decode()


def test_every_bundled_scene_is_tested():
    assert len(SCENES) >= 5, SCENES


@pytest.mark.parametrize("scene", SCENES)
def test_to_dict_equals_the_cli_json(scene):
    results = linetwin.load_scene(scene).run(**FLAGS)
    assert results.to_dict() == json.loads(cli_output(scene, "--json", "-"))
    assert results.to_json() == cli_output(scene, "--json", "-")


@pytest.mark.parametrize("scene", SCENES)
def test_to_dataframe_equals_read_csv_of_the_cli_csv(scene):
    results = linetwin.load_scene(scene).run(**FLAGS)
    expected = pandas.read_csv(io.StringIO(cli_output(scene, "--csv", "-")),
                               float_precision="round_trip")
    pandas.testing.assert_frame_equal(results.to_dataframe(), expected, check_exact=True)


@pytest.mark.parametrize("scene", SCENES)
def test_replications_equal_the_cli_replications_csv(scene):
    results = linetwin.load_scene(scene).run(**FLAGS)
    expected = pandas.read_csv(io.StringIO(cli_output(scene, "--replications-csv", "-")),
                               float_precision="round_trip")
    assert list(results.replications) == list(expected.columns)
    for name, column in results.replications.items():
        assert isinstance(column, numpy.ndarray) and len(column) == FLAGS["reps"]
        numpy.testing.assert_array_equal(column.astype(float), expected[name].to_numpy(float),
                                         err_msg=name)
    frame = results.replications_dataframe()
    assert list(frame.columns) == list(expected.columns) and len(frame) == FLAGS["reps"]


def test_kpis_are_the_json_estimates():
    results = linetwin.load_scene("scenes/balanced_line.yaml").run(**FLAGS)
    kpis = results.to_dict()["kpis"]
    for name, e in kpis.items():
        assert results.kpis[name] == (e["mean"], e["ci95_low"], e["ci95_high"])
    low, high = results.throughput_per_hour.low, results.throughput_per_hour.high
    assert low <= results.throughput_per_hour.mean <= high
    text = repr(results)
    assert "Balanced five-station line" in text and "3 replications" in text
    assert f"{results.throughput_per_hour.mean:.4g}/h [{low:.4g}, {high:.4g}]" in text


def test_results_pickle():
    results = linetwin.load_scene("scenes/breakdown_line.yaml").run(**FLAGS)
    back = pickle.loads(pickle.dumps(results))
    assert back.to_json() == results.to_json() and back.to_csv() == results.to_csv()
    for name, column in results.replications.items():
        numpy.testing.assert_array_equal(back.replications[name], column)
    assert repr(back) == repr(results)


def test_defaults_are_the_scene_s_and_seconds_equal_text():
    scene = linetwin.load_scene("scenes/balanced_line.yaml")
    by_default = scene.run(reps=2)
    assert by_default.to_dict()["seed"] == scene.seed
    assert by_default.to_dict()["duration_s"] == scene.duration_s
    assert by_default.to_dict()["warmup_s"] == scene.warmup_s
    assert scene.run(reps=2, duration=7200, warmup=1800).to_json() == \
        scene.run(reps=2, duration="2h", warmup="30min").to_json()


def test_results_do_not_depend_on_threads():
    scene = linetwin.load_scene("scenes/breakdown_line.yaml")
    assert scene.run(reps=4, duration="1h", threads=1).to_json() == \
        scene.run(reps=4, duration="1h", threads=3).to_json()


def test_bottleneck_names_a_fleet_busier_than_the_stations():
    # One vehicle for three trips a part keeps the AGV cell's fleet busy nearly all the time,
    # while PREP works about half of it (docs/transport.md, "The bottleneck with fleets").
    cell = linetwin.load_scene(os.path.join(SOURCE_DIR, "scenes/agv_cell.yaml"))
    one = cell.with_changes({"AGV.vehicles": 1}).run(**FLAGS)
    assert (one.bottleneck, one.bottleneck_kind) == ("AGV", "fleet")
    line = linetwin.load_scene(os.path.join(SOURCE_DIR, "scenes/balanced_line.yaml")).run(**FLAGS)
    assert line.bottleneck_kind == "station"
    assert line.bottleneck == line.to_dict()["bottleneck"]["station"]
