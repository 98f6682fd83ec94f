"""Sweeps of scenario files (docs/scenario-format.md) from Python, in this process or on a Dask
cluster, through the CLI's own code: `linetwin sweep` here, or `linetwin sweep --shard I/N` on the
workers and `linetwin merge` here, so that the report is the CLI's, to the byte.

    import linetwin
    results = linetwin.sweep("examples/buffer_allocation.scenario.yaml", reps=30)
    results.to_dict()["ranking"]

    from dask.distributed import Client
    results = linetwin.sweep("examples/buffer_allocation.scenario.yaml", client=Client(address))

docs/python.md says how to run it on a cluster of several machines.
"""
import functools
import hashlib
import json
import math
import os
import sys
import tempfile
import threading
import time
from typing import Any, Dict, List, Optional, Tuple, Union

from linetwin import Duration, InputError, _core

# Work a cluster task should hold, seconds: enough that what a task costs besides its items
# (Dask's scheduling, the CLI loading the scenario, the shard's file: tens of milliseconds,
# docs/python.md) does not dominate, little enough that the work spreads over many workers and a
# lost task costs little to run again.
TASK_SECONDS = 0.1

# The CLI runs in this process on its working folder and its standard error (file descriptor 2),
# which the process has once: one CLI call at a time.
_cli_lock = threading.Lock()


class SweepResults:
    """What `linetwin sweep` reports: `to_dict()` and `to_json()` are its --json (schema
    linetwin.sweep/1, docs/experiments.md), `gates_passed` says whether every gate passed (the
    CLI's exit status 3 when not), `messages` is what the CLI wrote to its standard error (the
    failed gates). Plain data: it pickles."""

    def __init__(self, json_text: str, messages: str = ""):
        self._json = json_text
        self._messages = messages
        self._dict = json.loads(json_text)

    def to_dict(self) -> dict:
        return json.loads(self._json)

    def to_json(self) -> str:
        """The bytes `linetwin sweep --json -` writes (UTF-8)."""
        return self._json

    @property
    def messages(self) -> str:
        return self._messages

    @property
    def gates_passed(self) -> bool:
        return self._dict["gates_passed"]

    @property
    def variants(self) -> List[str]:
        """The variants' names in scenario order, the baseline first."""
        return [v["name"] for v in self._dict["variants"]]

    @property
    def ranking(self) -> List[str]:
        """The variants best first, by the selection's KPI, else by throughput."""
        return list(self._dict["ranking"]["variants"])

    def __repr__(self) -> str:
        d = self._dict
        gates = "gates passed" if d["gates_passed"] else "a gate FAILED"
        return (f"<linetwin.SweepResults '{d['name']}': {len(d['variants'])} variants, seed "
                f"{d['seed']}, best first {d['ranking']['variants'][:3]}, {gates}>")


def sweep(scenario: Union[str, os.PathLike], reps: Optional[int] = None,
          seed: Optional[int] = None, duration: Optional[Duration] = None,
          warmup: Optional[Duration] = None, threads: int = 0, client: Any = None) -> SweepResults:
    """Runs the scenario file `scenario` as `linetwin sweep` does with the same flags: `reps`
    replications of every variant (default the scenario's, else the base scene's), `seed`,
    `duration` observed after `warmup` (text such as "8h" or "auto", or seconds; defaults the
    scenario's, else each variant's scene).

    Without `client` it runs in this process on `threads` threads (0: one per core). With a
    dask.distributed.Client it runs on the cluster in tasks of about 0.1 s of work, each carrying
    the scenario's files (workers need no shared disk), and merges them here: the result is the
    local sweep's to the byte (a scenario given by an absolute path is run, and named in the
    report, by its path from the current folder). A scenario with a precision goal or a selection
    decides its replications as it goes: it runs whole, as one task. A lost worker's tasks run
    again elsewhere; a worker with another linetwin build refuses its task with RuntimeError.

    Bad input raises InputError with the CLI's message; a failed gate does not raise (see
    SweepResults.gates_passed)."""
    path = os.fspath(scenario)
    if not isinstance(path, str):
        raise TypeError(f"expected a scenario file's path, found {type(scenario).__name__}")
    flags = _flags(reps, seed, duration, warmup)
    if client is None:
        return _sweep_here(path, flags + ["--threads", str(_whole(threads, "threads"))])
    return _sweep_on_cluster(client, path, flags)


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected {name} as int, found {type(value).__name__}")
    return value


def _duration_text(value: Any, name: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)  # seconds, to the last bit
    raise TypeError(f"expected {name} as text (\"8h\") or seconds, found {type(value).__name__}")


def _flags(reps, seed, duration, warmup) -> List[str]:
    """The CLI's flags for the arguments given; the CLI checks their values."""
    flags = []
    if reps is not None:
        flags.append(f"--reps={_whole(reps, 'reps')}")  # '=': a negative value is not a flag
    if seed is not None:
        flags.append(f"--seed={_whole(seed, 'seed')}")
    if duration is not None:
        flags.append(f"--duration={_duration_text(duration, 'duration')}")
    if warmup is not None:
        flags.append(f"--warmup={_duration_text(warmup, 'warmup')}")
    return flags


def _cli(arguments: List[str], folder: Optional[str] = None) -> Tuple[int, str]:
    """The CLI's code in this process, in `folder` if given: its exit status and what it wrote to
    its standard error."""
    with _cli_lock, tempfile.TemporaryFile() as err:
        sys.stderr.flush()
        saved_stderr = os.dup(2)
        saved_folder = os.getcwd()
        try:
            os.dup2(err.fileno(), 2)
            if folder is not None:
                os.chdir(folder)
            status = _core.cli_main(arguments)
        finally:
            os.chdir(saved_folder)
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
        err.seek(0)
        return status, err.read().decode("utf-8", "replace")


def _refusal(status: int, messages: str) -> Exception:
    """The exception for a CLI run that failed: InputError for its exit status 2 (bad input)."""
    text = messages.strip()
    if status == 2:
        return InputError(text.removeprefix("linetwin: error: "))
    return RuntimeError(f"linetwin exited with status {status}: {text}")


def _sweep_here(path: str, flags: List[str]) -> SweepResults:
    with tempfile.TemporaryDirectory(prefix="linetwin-sweep-") as folder:
        out = os.path.join(folder, "sweep.json")
        status, messages = _cli(["sweep", path, *flags, "--json", out, "-q"])
        return _results(status, messages, out)


def _results(status: int, messages: str, json_file: str) -> SweepResults:
    # 3: a gate failed, which the report says; the run itself went well.
    if status not in (0, 3):
        raise _refusal(status, messages)
    with open(json_file, "rb") as f:
        return SweepResults(f.read().decode("utf-8"), messages)


# ---- On a Dask cluster ----


@functools.lru_cache(maxsize=None)
def build_identity() -> Tuple[str, str]:
    """This process's linetwin build: (SHA-256 of the extension linetwin._core, its file). Two
    builds with equal digests run every scene alike; a cluster's workers must have the client's."""
    with open(_core.__file__, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest(), _core.__file__


def _check_build(expected: Tuple[str, str]) -> None:
    digest, where = build_identity()
    if digest != expected[0]:
        from distributed import get_worker
        raise RuntimeError(
            f"linetwin.sweep: the worker {get_worker().address} has another linetwin build than "
            f"the client: {digest[:16]} ({where}) on the worker, {expected[0][:16]} "
            f"({expected[1]}) on the client; start every worker with the client's build")


def _study_files(path: str) -> Tuple[Dict[str, bytes], str]:
    """The files a sweep of the scenario at `path` reads (the scenario, its base scene, the base's
    order files, the start snapshot) as {path from a common folder: bytes}, and the current
    folder's path from that folder: written out in that layout anywhere, `path` (relative) finds
    them from there as it does here."""
    import yaml  # only on a cluster; the CLI has checked the files already

    here = os.getcwd()
    scenario_file = os.path.abspath(path)
    with open(scenario_file, "rb") as f:
        scenario = yaml.safe_load(f)
    folder = os.path.dirname(scenario_file)
    base_file = os.path.normpath(os.path.join(folder, scenario["base"]))
    wanted = [scenario_file, base_file]
    start = scenario.get("start")
    if start is not None:
        snapshot = start["snapshot"] if isinstance(start, dict) else start
        wanted.append(os.path.normpath(os.path.join(folder, snapshot)))
    with open(base_file, "rb") as f:
        base = yaml.safe_load(f)
    for element in base.get("elements") or []:
        if isinstance(element, dict) and isinstance(element.get("orders"), str):
            wanted.append(os.path.normpath(os.path.join(os.path.dirname(base_file),
                                                        element["orders"])))
    root = os.path.commonpath([here, *wanted])
    files = {}
    for file in wanted:
        with open(file, "rb") as f:
            files[os.path.relpath(file, root)] = f.read()
    return files, os.path.relpath(here, root)


def _in_folder_of_files(files: Dict[str, bytes], folder: str, where: str) -> str:
    """Writes `files` under `folder` in their layout; the working folder `where` in it."""
    for name, data in files.items():
        target = os.path.join(folder, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
    work = os.path.join(folder, where)
    os.makedirs(work, exist_ok=True)
    return work


def _worker_threads() -> int:
    from distributed import get_worker
    return get_worker().state.nthreads


def _on_worker(files: Dict[str, bytes], where: str, arguments: List[str],
               expected_build: Tuple[str, str], output: str,
               name: str) -> Tuple[int, str, Optional[bytes]]:
    """On a worker: the CLI's `ARGUMENTS OUTPUT FILE` among the study's files, on the worker's
    threads: (exit status, what it wrote to its standard error, FILE's bytes where it wrote it)."""
    _check_build(expected_build)
    with tempfile.TemporaryDirectory(prefix="linetwin-task-") as folder:
        work = _in_folder_of_files(files, os.path.join(folder, "files"), where)
        out = os.path.join(folder, name)
        status, messages = _cli([*arguments, "--threads", str(_worker_threads()), output, out,
                                 "-q"], work)
        if not os.path.exists(out):
            return status, messages, None
        with open(out, "rb") as f:
            return status, messages, f.read()


def _shard_task(files: Dict[str, bytes], where: str, arguments: List[str],
                expected_build: Tuple[str, str]) -> bytes:
    """On a worker: `linetwin sweep ARGUMENTS --hdf5 OUT`; OUT's bytes."""
    status, messages, shard = _on_worker(files, where, arguments, expected_build, "--hdf5",
                                         "shard.h5")
    if status != 0:
        raise _refusal(status, messages)
    sys.stderr.write(messages)  # nothing the CLI said, but what the worker logged meanwhile
    return shard


def _whole_task(files: Dict[str, bytes], where: str, arguments: List[str],
                expected_build: Tuple[str, str]) -> Tuple[int, str, Optional[bytes]]:
    """On a worker: the whole `linetwin sweep ARGUMENTS --json OUT`, its gates' exit status 3
    included: (exit status, its standard error, OUT's bytes where it wrote them)."""
    return _on_worker(files, where, arguments, expected_build, "--json", "sweep.json")


def _task_key(kind: str, *parts: Any) -> str:
    """A name for a task from all it computes from, so that a task run again (its worker died) is
    the same task, and Dask knows two equal tasks as one."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
    return f"linetwin-{kind}-{digest.hexdigest()}"


def _timed_shard(path: str, flags: List[str], index: int, count: int,
                 folder: str) -> Tuple[float, str]:
    """Runs shard `index` of `count` here on one thread: (seconds it took, its HDF5 file)."""
    out = os.path.join(folder, f"pilot-{index}-{count}.h5")
    start = time.perf_counter()
    status, messages = _cli(["sweep", path, *flags, "--shard", f"{index}/{count}", "--hdf5", out,
                             "-q", "--threads", "1"])
    seconds = time.perf_counter() - start
    if status != 0:
        raise _refusal(status, messages)
    return seconds, out


def _shard_items(items: int, count: int) -> int:
    """Work items in shard 1 of `count`: every count-th item from the first."""
    return (items + count - 1) // count


def _shard_count(path: str, flags: List[str], workers: int) -> int:
    """How many shards make tasks of about TASK_SECONDS of work, at least two per worker: from a
    shard of one work item and one of a few run here (their difference is the work of the items
    between, without what every task does once)."""
    import h5py  # only on a cluster

    one = 100_000  # the most shards the CLI makes: shard 1 then holds one item (or a few)
    with tempfile.TemporaryDirectory(prefix="linetwin-pilot-") as folder:
        seconds_one, pilot = _timed_shard(path, flags, 1, one, folder)
        with h5py.File(pilot, "r") as f:
            items = int(f.attrs["replications"]) * len(f["variants"])
        items_one = _shard_items(items, one)
        item_seconds = seconds_one / items_one
        few = min(items, 16 * items_one)
        if few > items_one:
            count = items // few
            seconds_few, _ = _timed_shard(path, flags, 1, count, folder)
            items_few = _shard_items(items, count)
            # Timings on a busy machine may even make the difference negative: then the pilot
            # of one item is the upper bound there is.
            difference = (seconds_few - seconds_one) / (items_few - items_one)
            if difference > 0:
                item_seconds = difference
    per_task = max(1, round(TASK_SECONDS / item_seconds))
    return min(items, max(math.ceil(items / per_task), 2 * workers))


def _runs_whole(path: str) -> bool:
    """A precision goal or a selection decides the replications as it goes: such a sweep cannot
    be sharded (the CLI refuses)."""
    import yaml
    with open(path, "rb") as f:
        scenario = yaml.safe_load(f)
    return "precision" in scenario or "selection" in scenario


def _sweep_on_cluster(client: Any, path: str, flags: List[str]) -> SweepResults:
    # The workers find the files by `path` from the folder that stands for the current one, so it
    # is relative; merge finds the scenario by the same path from here.
    if os.path.isabs(path):
        path = os.path.relpath(path)
    build = build_identity()
    workers = max(1, len(client.scheduler_info()["workers"]))
    retries = 3  # a task that raised (a worker's disk full...) runs again; a lost worker's always
    try:
        # Checks the scenario and the flags here first, with the CLI's messages.
        count = _shard_count(path, flags, workers)
    except InputError as refused:
        # The CLI loads the scenario before it refuses to shard it.
        if "'--shard'" not in str(refused) or not _runs_whole(path):
            raise
        files, where = _study_files(path)
        arguments = ["sweep", path, *flags]
        future = client.submit(_whole_task, files, where, arguments, build,
                               key=_task_key("sweep", files, where, arguments, build),
                               retries=retries, pure=True)
        status, messages, report = future.result()
        if report is None or status not in (0, 3):
            raise _refusal(status, messages) from None
        return SweepResults(report.decode("utf-8"), messages)
    files, where = _study_files(path)
    futures = []
    for index in range(1, count + 1):
        arguments = ["sweep", path, *flags, "--shard", f"{index}/{count}"]
        futures.append(client.submit(_shard_task, files, where, arguments, build,
                                     key=_task_key("shard", files, where, arguments, build),
                                     retries=retries, pure=True))
    shards = client.gather(futures)
    with tempfile.TemporaryDirectory(prefix="linetwin-merge-") as folder:
        names = []
        for index, data in enumerate(shards, start=1):
            names.append(os.path.join(folder, f"shard{index}.h5"))
            with open(names[-1], "wb") as f:
                f.write(data)
        out = os.path.join(folder, "sweep.json")
        status, messages = _cli(["merge", *names, "--json", out, "-q"])
        return _results(status, messages, out)
