"""Step-wise control (issue 13, point 4): a Simulation run to its end reports what
`linetwin run --replication R` reports, byte for byte; stepping event by event ends there too;
fork() at a time and both to the end equal the uninterrupted run; fail_station keeps a station
down exactly as long as asked; callbacks see every station report, the same as the simulated
telemetry a recording holds; bad calls raise InputError or TypeError and the object goes on."""
import json

import pytest

import linetwin
from conftest import run_cli

BREAKDOWN = "scenes/breakdown_line.yaml"


def test_a_simulation_run_to_its_end_reports_as_the_cli_does():
    scene = linetwin.load_scene(BREAKDOWN)
    with linetwin.Simulation(scene, seed=5, replication=2, duration="6h", warmup="1h") as sim:
        sim.run_until(sim.end_time)
        got = sim.results().to_json()
    code, out, err = run_cli("run", BREAKDOWN, "--seed", 5, "--replication", 2, "--duration",
                             "6h", "--warmup", "1h", "--json", "-")
    assert code == 0, err
    assert got.encode() == out


def test_fork_at_a_time_then_both_to_the_end_equal_the_whole_run():
    scene = linetwin.load_scene(BREAKDOWN)
    whole = linetwin.Simulation(scene, seed=9, duration="8h", warmup=0)
    whole.run_until(whole.end_time)
    for at in (600.5, 3 * 3600 + 0.25, 7 * 3600 + 1.5):
        sim = linetwin.Simulation(scene, seed=9, duration="8h", warmup=0)
        sim.run_until(at)
        fork = sim.fork()
        sim.run_until(sim.end_time)
        fork.run_until(fork.end_time)
        assert sim.results().to_json() == whole.results().to_json()
        assert fork.results().to_json() == whole.results().to_json()


def test_stepping_event_by_event_ends_as_the_run_through():
    scene = linetwin.load_scene(BREAKDOWN)
    whole = linetwin.Simulation(scene, seed=3, duration="2h", warmup=0)
    whole.run_until(whole.end_time)
    stepped = linetwin.Simulation(scene, seed=3, duration="2h", warmup=0)
    steps = 0
    while stepped.step():
        steps += 1
    assert steps == whole.results().to_dict()["events"]
    assert stepped.results().to_json() == whole.results().to_json()


def test_fail_station_keeps_it_down_exactly_as_long_as_asked():
    scene = linetwin.load_scene(BREAKDOWN)
    reports = []
    with linetwin.Simulation(scene, seed=1, duration="6h", warmup=0) as sim:
        sim.run_until(3600.25)
        sim.on_report(reports.append)
        # OP20 has no breakdowns of its own.
        sim.fail_station("OP20", repair="2h")
        assert sim.station_state("OP20") == "down"
        sim.run_until(sim.end_time)
        failures = {s["id"]: s for s in sim.results().to_dict()["stations"]}["OP20"]
    op20 = [r for r in reports if r.station == "OP20"]
    # The first report is the state when the callback was attached; then the changes.
    states = [r for i, r in enumerate(op20) if i == 0 or r.state != op20[i - 1].state]
    assert states[0].time_s == 3600.25 and states[0].state != "down"
    assert states[1].time_s == 3600.25 and states[1].state == "down"
    assert states[2].time_s == 3600.25 + 7200 and states[2].state != "down"
    assert all(r.state != "down" for r in states[2:])
    assert failures["failures"]["mean"] == 1


def test_callbacks_see_the_reports_a_recording_holds(tmp_path):
    h5py = pytest.importorskip("h5py")
    scene = linetwin.load_scene(BREAKDOWN)
    seen = []
    with linetwin.Simulation(scene, seed=4, replication=0, duration="3h", warmup=0) as sim:
        sim.on_report(seen.append)
        sim.run_until(sim.end_time)
    recording = tmp_path / "run.h5"
    code, _, err = run_cli("run", BREAKDOWN, "--seed", 4, "--replication", 0, "--duration", "3h",
                           "--warmup", "0", "--record", recording, "-q")
    assert code == 0, err
    with h5py.File(recording, "r") as f:
        machines = f["machines"].asstr()[:]
        states = {v: k for k, v in h5py.check_enum_dtype(f["samples"].dtype["state"]).items()}
        kinds = h5py.check_enum_dtype(f["samples"].dtype["kind"])
        start = f.attrs["start_time_us"]
        recorded = [(int(s["timestamp_us"] - start), machines[s["machine"]], states[s["state"]])
                    for s in f["samples"][:] if s["kind"] == kinds["state"]]
    # Each state change the callback saw, as the recording's telemetry has it.
    changes = []
    last = {}
    for r in seen:
        if last.get(r.station) != r.state:
            changes.append((round(r.time_s * 1e6), r.station, r.state))
            last[r.station] = r.state
    assert changes == recorded


def test_bad_calls_raise_and_the_simulation_goes_on():
    scene = linetwin.load_scene(BREAKDOWN)
    sim = linetwin.Simulation(scene, duration="1h")
    with pytest.raises(linetwin.InputError, match="expected a station of"):
        sim.station_state("B1")
    with pytest.raises(linetwin.InputError, match="expected an element of"):
        sim.parts_at("nowhere")
    with pytest.raises(linetwin.InputError):
        sim.fail_station("OP10", repair="8x")
    with pytest.raises(TypeError):
        sim.fail_station("OP10", repair=[1])
    with pytest.raises(TypeError):
        sim.on_report(5)
    with pytest.raises(TypeError):
        linetwin.Simulation("not a scene")
    with pytest.raises(linetwin.InputError):
        linetwin.Simulation(scene, replication=-1)
    sim.fail_station("OP10", repair=60)
    with pytest.raises(linetwin.InputError, match="found OP10 down"):
        sim.fail_station("OP10", repair=60)
    sim.run_until(sim.end_time)
    assert sim.results().to_dict()["replications"] == 1
