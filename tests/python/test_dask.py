"""linetwin.sweep here and on a Dask cluster of worker processes: the cluster's report is the local
sweep's to the byte (its JSON, CSV and per-replication CSV), for a scenario file and for a list of
scenes, with a worker killed in the middle too; a worker with another build refuses its task; the
local sweep is `linetwin sweep --json -`."""
import contextlib
import os
import pickle
import signal
import sys
import threading
import time

import pytest

distributed = pytest.importorskip("distributed")

import linetwin  # noqa: E402
from conftest import SOURCE_DIR, run_cli  # noqa: E402

SCENARIO = "examples/buffer_allocation.scenario.yaml"  # 11 variants, 30 replications: 0.6 s
sweep_module = sys.modules["linetwin.sweep"]  # `linetwin.sweep` is the function


def cli_sweep(*args):
    status, out, err = run_cli("sweep", *args, "--json", "-", "-q")
    assert status in (0, 3), err  # 3: a gate failed, which the report says
    return out


@contextlib.contextmanager
def local_cluster():
    """Two worker processes of one thread each; the scheduler's web server on a free port.

    Worker processes are spawned, and a spawned process first runs the parent's main script
    again (as __mp_main__) when the parent was started as one: under CTest that is run_pytest.py,
    whose top level runs pytest, so every worker would run the tests again. Workers need nothing
    from it, so while the cluster lives (its nannies also start a killed worker again) the main
    module does not say which file it came from."""
    main = sys.modules["__main__"]
    script = main.__dict__.pop("__file__", None) if main.__spec__ is None else None
    try:
        with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                      dashboard_address=":0") as cluster:
            yield cluster
    finally:
        if script is not None:
            main.__file__ = script


@pytest.fixture(scope="module")
def client():
    with local_cluster() as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def expected():
    return cli_sweep(SCENARIO)


def test_local_sweep_is_the_cli(expected):
    results = linetwin.sweep(SCENARIO)
    assert results.to_json().encode() == expected
    assert results.gates_passed
    assert results.variants[0] == "baseline" and len(results.variants) == 11
    assert pickle.loads(pickle.dumps(results)).to_json() == results.to_json()


def test_local_sweep_flags_are_the_cli():
    results = linetwin.sweep("examples/b2_doubled.scenario.yaml", reps=5, seed=3, duration="2h",
                             warmup=600, threads=2)
    assert results.to_json().encode() == cli_sweep("examples/b2_doubled.scenario.yaml",
                                                   "--reps", "5", "--seed", "3", "--duration",
                                                   "2h", "--warmup", "600")
    assert results.to_dict()["variants"][0]["replications"] == 5


def test_failed_gate_is_a_result():
    # One replication gives no interval, so the throughput gate cannot pass (the CLI's exit 3).
    results = linetwin.sweep(SCENARIO, reps=1)
    assert not results.gates_passed
    assert "gate failed: throughput_per_hour" in results.messages


def test_bad_calls_raise():
    with pytest.raises(linetwin.InputError, match="--reps: Value -1 not in range 1 to 1000000"):
        linetwin.sweep(SCENARIO, reps=-1)
    with pytest.raises(linetwin.InputError, match="--duration"):
        linetwin.sweep(SCENARIO, duration="8x")
    with pytest.raises(linetwin.InputError, match="no_such.scenario.yaml"):
        linetwin.sweep("no_such.scenario.yaml")
    with pytest.raises(TypeError, match="reps as int"):
        linetwin.sweep(SCENARIO, reps="a")
    with pytest.raises(TypeError, match="warmup as text"):
        linetwin.sweep(SCENARIO, warmup=[1])
    with pytest.raises(TypeError):
        linetwin.sweep(42)


def test_shards_are_at_least_two_per_worker_and_at_most_one_per_item():
    # Two work items (the baseline's and B2 16's one replication): never more shards than that.
    assert sweep_module._shard_count("examples/b2_doubled.scenario.yaml", ["--reps=1"], 2) == 2
    # 11 variants of 30 replications on 3 workers: at least 6 shards, at most 330.
    assert 6 <= sweep_module._shard_count(SCENARIO, [], 3) <= 330


def assert_same_tables(results, local):
    """The CSV reports of `results` are those of the `local` sweep, frame for frame."""
    import pandas
    pandas.testing.assert_frame_equal(results.to_dataframe(), local.to_dataframe())
    pandas.testing.assert_frame_equal(results.replications_dataframe(),
                                      local.replications_dataframe())


def test_cluster_is_the_local_sweep(client, expected):
    results = linetwin.sweep(SCENARIO, client=client)
    assert results.to_json().encode() == expected
    assert_same_tables(results, linetwin.sweep(SCENARIO))


def test_scenes_on_the_cluster_are_the_local_sweep(client, tmp_path):
    # An unchanged scene that reads an order file beside it, the same changed (written out for
    # the sweep), and one made from a dict: all travel with the tasks.
    base = linetwin.load_scene("scenes/final_assembly.yaml")
    scenes = {"as built": base, "larger PBS": base.with_changes({"PBS.capacity": 40})}
    settings = {"reps": 4, "duration": "24h"}
    local = linetwin.sweep(scenes, **settings)
    results = linetwin.sweep(scenes, client=client, **settings)
    assert results.to_json() == local.to_json()
    assert results.variants == ["as built", "larger PBS"]
    assert_same_tables(results, local)


def study_outside(tmp_path, scene, lines):
    """A scenario file in tmp_path, outside the source tree, on the bundled `scene` with `lines`
    after its base: its path from the source tree, the folder both sweeps run in."""
    base = os.path.join(SOURCE_DIR, "scenes", scene)
    (tmp_path / "study.scenario.yaml").write_text(
        f"linetwin_scenario: 1\nbase: {os.path.relpath(base, tmp_path)}\n{lines}")
    return os.path.relpath(tmp_path / "study.scenario.yaml", SOURCE_DIR)


def assert_travels(client, scenario, file_names):
    """The workers get the study's files (by name) with the tasks, and the sweep is the CLI's."""
    files, _ = sweep_module._study_files(scenario)
    assert sorted(os.path.basename(name) for name in files) == file_names
    assert linetwin.sweep(scenario, client=client).to_json().encode() == cli_sweep(scenario)


def test_order_files_travel_with_the_tasks(client, tmp_path):
    # A base that releases orders from a CSV file beside it.
    scenario = study_outside(tmp_path, "final_assembly.yaml",
                             "run: {replications: 4, duration: 24h}\n"
                             "variants: [{name: larger PBS, set: {PBS.capacity: 40}}]\n")
    assert_travels(client, scenario, ["final_assembly.yaml", "final_assembly_orders.csv",
                                      "study.scenario.yaml"])


def test_start_snapshot_travels_with_the_tasks(client, tmp_path):
    # What-if from now: a snapshot of the line at 6 h beside the scenario, named by `start`.
    status, _, err = run_cli("run", "scenes/breakdown_line.yaml", "--snapshot",
                             tmp_path / "now.yaml", "--at", "6h", "-q")
    assert status == 0, err
    scenario = study_outside(tmp_path, "breakdown_line.yaml",
                             "start: {snapshot: now.yaml, down_for: {OP30: 1h}}\n"
                             "run: {replications: 6, duration: 4h}\n"
                             "variants: [{name: B2 16, set: {B2.capacity: 16}}]\n")
    assert_travels(client, scenario, ["breakdown_line.yaml", "now.yaml", "study.scenario.yaml"])


def test_precision_goal_runs_whole_on_the_cluster(client):
    scenario = "tests/io/scenarios/buffers.scenario.yaml"  # a precision goal and a selection
    results = linetwin.sweep(scenario, reps=3, client=client)
    assert results.to_json().encode() == cli_sweep(scenario, "--reps", "3")
    assert_same_tables(results, linetwin.sweep(scenario, reps=3))


def test_other_build_is_refused(client):
    files, where = sweep_module._study_files(SCENARIO)
    client_build = sweep_module.build_identity()[0]
    future = client.submit(sweep_module._shard_task, files, where,
                           ["sweep", SCENARIO, "--shard", "1/2"],
                           ("0" * 64, "/elsewhere/_core.so"), pure=False)
    with pytest.raises(RuntimeError) as refused:
        future.result()
    text = str(refused.value)
    assert "another linetwin build than the client" in text
    assert f"{client_build[:16]} ({linetwin._core.__file__}) on the worker" in text
    assert "0000000000000000 (/elsewhere/_core.so) on the client" in text


class MarkTaskStarts(distributed.WorkerPlugin):
    """Writes a file named by the worker's process id when a sweep task starts on it."""

    def __init__(self, folder: str):
        self.folder = folder

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and str(key).startswith("linetwin-shard-"):
            with open(os.path.join(self.folder, str(os.getpid())), "w"):
                pass


def test_killed_worker_gives_the_same_bytes(tmp_path, expected):
    with local_cluster() as cluster, distributed.Client(cluster) as c:
        c.register_worker_plugin(MarkTaskStarts(str(tmp_path)))
        outcome = {}

        def run():
            try:
                outcome["results"] = linetwin.sweep(SCENARIO, client=c)
            except BaseException as e:  # noqa: B902 - re-raised on the test's thread
                outcome["error"] = e

        runner = threading.Thread(target=run)
        runner.start()
        deadline = time.monotonic() + 60
        while not os.listdir(tmp_path) and runner.is_alive() and time.monotonic() < deadline:
            runner.join(0.01)  # wakes as soon as the sweep ends, else polls for the marker
        started = os.listdir(tmp_path)
        assert started, f"no sweep task started on a worker: {outcome}"
        victim = int(started[0])
        os.kill(victim, signal.SIGKILL)
        runner.join(120)
        assert not runner.is_alive()
        if "error" in outcome:
            raise outcome["error"]
        assert outcome["results"].to_json().encode() == expected
        assert victim not in c.run(os.getpid).values()  # it died; its nanny started another
