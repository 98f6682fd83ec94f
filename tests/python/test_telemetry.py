"""Telemetry from Python (issue 13, point 3): linetwin.replay gives the bytes of `linetwin replay`
(--json, --csv, the table, --write-state at the end or at --state-at, --drift), linetwin.calibrate
those of `linetwin calibrate` (-o -, --json, its warnings), and runs and Simulations that start
from a state give those of `linetwin run --from-snapshot`; bad calls raise InputError with the
CLI's message, or TypeError, and the interpreter goes on.

The log is the telemetry of a simulated run of the line with breakdowns (`linetwin run
--record`), so every machine of the scene reports; the real NIST log in ../shared/data, where it
is, checks an MTConnect log and its machine."""
import io
import json
import os
import pickle

import pytest

import linetwin
from conftest import SOURCE_DIR, run_cli

BREAKDOWN = "scenes/breakdown_line.yaml"
BALANCED = "scenes/balanced_line.yaml"
# The recording's simulated time zero (scenes/breakdown_line.yaml's run.start), and a time within
# the two hours it covers.
MIDDLE = "2026-01-05T01:30:00Z"
NIST_LOG = os.path.join(SOURCE_DIR, "..", "shared", "data", "telemetry", "nist_dtl_pocketnc",
                        "pocketnc_mtconnect_2023-07-24.csv")


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    """Two hours of the line with breakdowns as its stations' telemetry (an HDF5 recording)."""
    path = tmp_path_factory.mktemp("telemetry") / "shift.h5"
    code, _, err = run_cli("run", BREAKDOWN, "--duration", "2h", "--warmup", "0", "--record",
                           path, "-q")
    assert code == 0, err
    return str(path)


def cli_out(*args):
    code, out, err = run_cli(*args)
    assert code == 0, err
    return out.decode()


def cli_error(*args):
    code, out, err = run_cli(*args)
    assert code == 2, (out, err)
    return err.decode()


def test_replay_gives_the_cli_s_json_csv_and_table(log):
    twins = linetwin.replay(linetwin.load_scene(BREAKDOWN), log)
    assert twins.to_json() == cli_out("replay", BREAKDOWN, log, "--json", "-")
    assert twins.to_csv() == cli_out("replay", BREAKDOWN, log, "--csv", "-")
    assert str(twins) == cli_out("replay", BREAKDOWN, log)
    assert twins.to_dict()["schema"] == "linetwin.twins/1"
    assert list(twins.stations) == ["OP10", "OP20", "OP30", "OP40"]
    assert twins.drift_alerts is None
    # The scene may be given by its path, and the log as a PathLike.
    import pathlib
    assert linetwin.replay(BREAKDOWN, pathlib.Path(log)).to_json() == twins.to_json()


def test_replay_dataframe_is_the_cli_s_csv(log):
    pandas = pytest.importorskip("pandas")
    twins = linetwin.replay(BREAKDOWN, log)
    expected = pandas.read_csv(io.StringIO(cli_out("replay", BREAKDOWN, log, "--csv", "-")),
                               float_precision="round_trip")
    pandas.testing.assert_frame_equal(twins.to_dataframe(), expected)


def test_state_is_the_cli_s_write_state_at_the_end_and_at_a_time(log):
    scene = linetwin.load_scene(BREAKDOWN)
    end = linetwin.replay(scene, log).state
    assert end.to_yaml() == cli_out("replay", BREAKDOWN, log, "--write-state", "-")
    middle_run = linetwin.replay(scene, log, state_at=MIDDLE)
    assert middle_run.state.to_yaml() == cli_out("replay", BREAKDOWN, log, "--write-state", "-",
                                                 "--state-at", MIDDLE)
    # The KPIs are those of the log up to then.
    assert middle_run.to_json() == cli_out("replay", BREAKDOWN, log, "--json", "-",
                                           "--write-state", os.devnull, "--state-at", MIDDLE)
    view = middle_run.state.to_dict()
    import datetime
    assert view["origin"] == "replay"
    assert view["timestamp"] == datetime.datetime(2026, 1, 5, 1, 30, tzinfo=datetime.timezone.utc)
    assert set(view["stations"]) == {"OP10", "OP20", "OP30", "OP40"}
    back = pickle.loads(pickle.dumps(middle_run))
    assert back.state == middle_run.state and back.to_json() == middle_run.to_json()


def test_drift_alerts_are_the_cli_s(log):
    # Windows of 20 min, one check for each whole window the log spans; 199 windows give bands of
    # coverage 0.99.
    flags = ["--drift", "--drift-window", "20min", "--drift-coverage", "0.99",
             "--drift-replications", "199"]
    cli = cli_out("replay", BREAKDOWN, log, "--json", "-", "-q", *flags)
    twins = linetwin.replay(BREAKDOWN, log, drift=linetwin.Drift(window="20min",
                                                                  replications=199))
    assert twins.to_json() == cli
    assert twins.drift_alerts == json.loads(cli)["drift"]["alerts"]
    assert twins.drift["checks"] == int(twins.to_dict()["observed_s"] // 1200)
    # A dict of the settings, durations in seconds, means the same.
    as_dict = linetwin.replay(BREAKDOWN, log, drift={"window": 1200, "replications": 199})
    assert as_dict.to_json() == cli


def test_calibrate_gives_the_cli_s_scene_report_and_warnings(log, tmp_path):
    report = tmp_path / "report.json"
    code, scene_text, err = run_cli("calibrate", BREAKDOWN, log, "-o", "-", "--json", report,
                                    "--bootstrap", 50, "--seed", 3)
    assert code == 0, err
    fit = linetwin.calibrate(linetwin.load_scene(BREAKDOWN), log, bootstrap=50, seed=3)
    assert fit.scene.to_yaml().encode() == scene_text
    assert fit.to_json() == report.read_text()
    assert fit.to_dict()["schema"] == "linetwin.calibration/1"
    assert "".join(f"linetwin calibrate: warning: {w}\n" for w in fit.warnings) == err.decode()
    # The calibrated scene runs; the report pickles.
    assert fit.scene.run(reps=2, duration="1h").to_dict()["replications"] == 2
    assert pickle.loads(pickle.dumps(fit)).to_json() == fit.to_json()
    assert "OP30 time_to_repair" in repr(fit)


def test_calibrate_warnings_are_the_cli_s_stderr(log):
    # More observations asked for than two hours hold: every quantity is kept, with a warning.
    _, _, err = run_cli("calibrate", BREAKDOWN, log, "-o", "-", "--min-observations", 100000,
                        "--bootstrap", 0)
    fit = linetwin.calibrate(BREAKDOWN, log, min_observations=100000, bootstrap=0)
    assert len(fit.warnings) >= 4
    assert "".join(f"linetwin calibrate: warning: {w}\n" for w in fit.warnings) == err.decode()


def snapshot_file(log, tmp_path):
    path = tmp_path / "now.yaml"
    path.write_text(cli_out("replay", BREAKDOWN, log, "--write-state", "-", "--state-at",
                            MIDDLE))
    return str(path)


def test_a_run_from_a_state_is_the_cli_s_from_snapshot(log, tmp_path):
    now = snapshot_file(log, tmp_path)
    scene = linetwin.load_scene(BREAKDOWN)
    cli = cli_out("run", BREAKDOWN, "--from-snapshot", now, "--reps", 4, "--duration", "4h",
                  "--json", "-")
    assert scene.run(reps=4, duration="4h", start=now).to_json() == cli
    # The replay's own state is the file's: only the name the results give it differs.
    state = linetwin.replay(scene, log, state_at=MIDDLE).state
    from_state = scene.run(reps=4, duration="4h", start=state).to_dict()
    expected = json.loads(cli)
    expected["start"]["snapshot"] = state.name
    assert from_state == expected
    # A warm-up given is run, as --warmup is.
    assert scene.run(reps=2, duration="1h", warmup="30min", start=now).to_json() == cli_out(
        "run", BREAKDOWN, "--from-snapshot", now, "--reps", 2, "--duration", "1h", "--warmup",
        "30min", "--json", "-")


def test_down_for_is_the_snapshot_s_down_for(log, tmp_path):
    now = snapshot_file(log, tmp_path)
    # The same what-if written into the file, on OP30's line (docs/snapshot-format.md).
    lines = open(now, encoding="utf-8").read().splitlines(keepends=True)
    (op30,) = [n for n, line in enumerate(lines) if line.lstrip().startswith("OP30:")]
    assert lines[op30].rstrip().endswith("}")
    lines[op30] = lines[op30].rstrip()[:-1] + ", down_for: 4h}\n"
    edited = tmp_path / "now_op30_down.yaml"
    edited.write_text("".join(lines))
    cli = json.loads(cli_out("run", BREAKDOWN, "--from-snapshot", edited, "--reps", 3,
                             "--duration", "4h", "--json", "-"))
    got = linetwin.load_scene(BREAKDOWN).run(reps=3, duration="4h", start=now,
                                             down_for={"OP30": "4h"}).to_dict()
    assert got["start"]["down_for_s"] == {"OP30": 4 * 3600.0}
    cli["start"]["snapshot"] = now
    assert got == cli


def test_a_simulation_from_a_state_is_the_cli_s_replication(log, tmp_path):
    now = snapshot_file(log, tmp_path)
    scene = linetwin.load_scene(BREAKDOWN)
    with linetwin.Simulation(scene, replication=1, duration="3h", start=now) as sim:
        assert sim.end_time == 3 * 3600
        sim.run_until(sim.end_time)
        got = sim.results().to_json()
    assert got == cli_out("run", BREAKDOWN, "--from-snapshot", now, "--replication", 1,
                          "--duration", "3h", "--json", "-")


@pytest.mark.skipif(not os.path.exists(NIST_LOG), reason="needs ../shared/data (NIST log)")
def test_an_mtconnect_log_and_its_machine():
    scene = "scenes/pocketnc_cell.yaml"
    assert linetwin.replay(scene, NIST_LOG).to_json() == cli_out("replay", scene, NIST_LOG,
                                                                  "--json", "-")
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.replay(scene, NIST_LOG, machine="mill")
    assert caught.value.field == "machine"
    assert caught.value.message in cli_error("replay", scene, NIST_LOG, "--machine", "mill")


@pytest.mark.parametrize("call,flags,field", [
    (lambda log: linetwin.replay(BREAKDOWN, "no_such_log.csv"), ["no_such_log.csv"], ""),
    (lambda log: linetwin.replay(BREAKDOWN, log, format="xml"), ["LOG", "--format", "xml"],
     "format"),
    (lambda log: linetwin.replay(BREAKDOWN, log, state_at="2026-01-04T23:59:59Z"),
     ["LOG", "--write-state", "-", "--state-at", "2026-01-04T23:59:59Z"], "state_at"),
    (lambda log: linetwin.replay(BREAKDOWN, log, state_at="half past one"),
     ["LOG", "--write-state", "-", "--state-at", "half past one"], "state_at"),
    (lambda log: linetwin.replay(BREAKDOWN, log, drift={"coverage": 1.5}),
     ["LOG", "--drift", "--drift-coverage", "1.5"], "drift.coverage"),
    (lambda log: linetwin.replay(BREAKDOWN, log, drift={"window": "8x"}),
     ["LOG", "--drift", "--drift-window", "8x"], "drift.window"),
    (lambda log: linetwin.replay(BREAKDOWN, log, drift={"coverage": 0.999, "replications": 10}),
     ["LOG", "--drift", "--drift-coverage", "0.999", "--drift-replications", "10"],
     "drift.replications"),
], ids=["missing log", "unknown format", "state_at outside the log", "state_at not a time",
        "drift coverage", "drift window", "drift replications"])
def test_bad_replays_have_the_cli_s_message(log, call, flags, field):
    with pytest.raises(linetwin.InputError) as caught:
        call(log)
    err = cli_error("replay", BREAKDOWN, *[log if flag == "LOG" else flag for flag in flags])
    assert caught.value.message in err
    # The field is the argument's, not the flag's.
    assert caught.value.field == field


@pytest.mark.parametrize("call,flags,field", [
    (lambda log: linetwin.calibrate(BREAKDOWN, log, min_observations=1),
     ["--min-observations", "1"], "min_observations"),
    (lambda log: linetwin.calibrate(BREAKDOWN, log, confidence=0.3), ["--confidence", "0.3"],
     "confidence"),
    (lambda log: linetwin.calibrate(BREAKDOWN, log, format="parquet"),
     ["--format", "parquet"], "format"),
    (lambda log: linetwin.calibrate(BREAKDOWN, log, format="mtconnect"),
     ["--format", "mtconnect"], "machine"),
    (lambda log: linetwin.calibrate(BREAKDOWN, log, format="mtconnect", machine="OP99"),
     ["--format", "mtconnect", "--machine", "OP99"], "machine"),
    (lambda log: linetwin.calibrate(BREAKDOWN, "no_such_log.csv"), [], ""),
])
def test_bad_calibrations_have_the_cli_s_message(log, call, flags, field):
    with pytest.raises(linetwin.InputError) as caught:
        call(log)
    log_arg = "no_such_log.csv" if not flags else log
    assert caught.value.message in cli_error("calibrate", BREAKDOWN, log_arg, "-o", "-", *flags)
    assert caught.value.field == field


def test_other_bad_calls_raise_input_error(log, tmp_path):
    scene = linetwin.load_scene(BREAKDOWN)
    now = snapshot_file(log, tmp_path)
    with pytest.raises(linetwin.InputError) as caught:
        scene.run(reps=2, start=now, down_for={"OP99": "1h"})
    assert caught.value.field == "down_for.OP99" and "OP99" in caught.value.message
    with pytest.raises(linetwin.InputError) as caught:
        scene.run(reps=2, down_for={"OP30": "1h"})
    assert caught.value.field == "down_for"
    with pytest.raises(linetwin.InputError) as caught:
        scene.run(reps=2, start="no_such_state.yaml")
    assert caught.value.file == "no_such_state.yaml"
    assert caught.value.message in cli_error("run", BREAKDOWN, "--from-snapshot",
                                             "no_such_state.yaml")
    # A snapshot of another scene: the CLI's message, naming the state.
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.load_scene(BALANCED).run(reps=2, start=now)
    assert str(caught.value) in cli_error("run", BALANCED, "--from-snapshot", now)
    # Calibration rewrites a scene file's text: a scene built in Python has none.
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.calibrate(scene.with_changes({"B1.capacity": 9}), log)
    assert caught.value.field == "scene"


@pytest.mark.parametrize("call", [
    lambda log: linetwin.replay(BREAKDOWN, 42),
    lambda log: linetwin.replay(42, log),
    lambda log: linetwin.replay(BREAKDOWN, log, state_at=5),
    lambda log: linetwin.replay(BREAKDOWN, log, drift="8h"),
    lambda log: linetwin.replay(BREAKDOWN, log, drift={"windw": "8h"}),
    lambda log: linetwin.replay(BREAKDOWN, log, drift={"replications": 1.5}),
    lambda log: linetwin.calibrate(BREAKDOWN, log, bootstrap="a"),
    lambda log: linetwin.load_scene(BREAKDOWN).run(start=42),
    lambda log: linetwin.load_scene(BREAKDOWN).run(down_for=["OP30"]),
    lambda log: linetwin.LineState(b"linetwin_snapshot: 1"),
], ids=["log int", "scene int", "state_at int", "drift str", "drift key", "replications float",
        "bootstrap str", "start int", "down_for list", "state bytes"])
def test_wrong_types_raise_type_error(log, call):
    with pytest.raises(TypeError):
        call(log)


def test_the_interpreter_goes_on(log):
    before = linetwin.replay(BREAKDOWN, log).to_json()
    for call in (lambda: linetwin.replay(BREAKDOWN, "no_such_log.csv"),
                 lambda: linetwin.replay(BREAKDOWN, log, format="xml"),
                 lambda: linetwin.calibrate(BREAKDOWN, log, confidence=2.0),
                 lambda: linetwin.replay(BREAKDOWN, 42)):
        with pytest.raises((linetwin.InputError, TypeError)):
            call()
    assert linetwin.replay(BREAKDOWN, log).to_json() == before
