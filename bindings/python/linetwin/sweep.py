"""Sweeps of scenario files (docs/scenario-format.md), or of a list of scenes, from Python, in
this process or on a Dask cluster, through the CLI's own code: `linetwin sweep` here, or `linetwin
sweep --shard I/N` on the workers and `linetwin merge` here, so that the report is the CLI's, to
the byte. A list of scenes is a scenario written for it: the first scene is the base, every other
a variant that names its own scene (`scene:`).

    import linetwin
    results = linetwin.sweep("examples/buffer_allocation.scenario.yaml", reps=30)
    results.to_dict()["ranking"]
    layouts = linetwin.sweep({"as built": scene, "B2 16": scene.with_changes({"B2.capacity": 16})})

    from dask.distributed import Client
    results = linetwin.sweep("examples/buffer_allocation.scenario.yaml", client=Client(address))

docs/python.md says how to run it on a cluster of several machines.
"""
import collections.abc
import contextlib
import csv
import functools
import hashlib
import io
import json
import math
import os
import sys
import tempfile
import threading
import time
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import numpy

from linetwin import Duration, InputError, Scene, _core

# Work a cluster task should hold, seconds: enough that what a task costs besides its items
# (Dask's scheduling, the CLI loading the scenario, the shard's file: tens of milliseconds,
# docs/python.md) does not dominate, little enough that the work spreads over many workers and a
# lost task costs little to run again.
TASK_SECONDS = 0.1

# The CLI runs in this process on its working folder and its standard error (file descriptor 2),
# which the process has once: one CLI call at a time.
_cli_lock = threading.Lock()

# The reports a sweep (or merge) writes for SweepResults: flag, file name.
_REPORTS = (("--json", "sweep.json"), ("--csv", "sweep.csv"),
            ("--replications-csv", "replications.csv"))

# What sweep() takes: a scenario file's path, or scenes to compare (a list, or names to scenes).
Study = Union[str, "os.PathLike[str]", Sequence[Scene], Mapping[str, Scene]]


class SweepResults:
    """What `linetwin sweep` reports: `to_dict()` and `to_json()` are its --json (schema
    linetwin.sweep/1, docs/experiments.md), `to_dataframe()` its --csv, `replications` (numpy)
    and `replications_dataframe()` its --replications-csv, `gates_passed` says whether every gate
    passed (the CLI's exit status 3 when not), `messages` is what the CLI wrote to its standard
    error (the failed gates). Plain data: it pickles."""

    def __init__(self, reports: Mapping[str, str], messages: str = ""):
        self._json = reports["--json"]
        self._csv = reports["--csv"]
        self._replications_csv = reports["--replications-csv"]
        self._messages = messages
        self._dict = json.loads(self._json)
        self._replications = _columns(self._replications_csv)

    def to_dict(self) -> dict:
        return json.loads(self._json)

    def to_json(self) -> str:
        """The bytes `linetwin sweep --json -` writes (UTF-8)."""
        return self._json

    def to_dataframe(self) -> Any:
        """The CLI's --csv as a pandas DataFrame: per variant, one row per KPI (section, id, kpi,
        mean, ci95_low, ci95_high, stdev, n), read as pandas.read_csv reads the file with
        float_precision="round_trip"."""
        return _dataframe(self._csv)

    @property
    def replications(self) -> Dict[str, numpy.ndarray]:
        """Every replication of every variant, the CLI's --replications-csv by column: `variant`
        (the variant's name), `replication`, then each KPI (seconds where a name ends in _s), one
        value per row; whole numbers as int64, a KPI that a variant lacks (an element only some
        variants have) or that a replication did not reach as NaN."""
        return dict(self._replications)

    def replications_dataframe(self) -> Any:
        """`replications` as a pandas DataFrame: pandas.read_csv of the CLI's --replications-csv
        with float_precision="round_trip"."""
        return _dataframe(self._replications_csv)

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


def _dataframe(csv_text: str) -> Any:
    import pandas  # only when asked for
    return pandas.read_csv(io.StringIO(csv_text), float_precision="round_trip")


def _column(cells: List[str]) -> numpy.ndarray:
    """A CSV column as pandas.read_csv types it: whole numbers, else numbers (an empty cell NaN),
    else text."""
    with contextlib.suppress(ValueError):
        return numpy.array([int(cell) for cell in cells], dtype=numpy.int64)
    with contextlib.suppress(ValueError):
        # float() rounds correctly: the CLI's shortest round-trip text gives its double back.
        return numpy.array([float(cell) if cell else math.nan for cell in cells],
                           dtype=numpy.float64)
    return numpy.array(cells, dtype=object)


def _columns(csv_text: str) -> Dict[str, numpy.ndarray]:
    rows = list(csv.reader(io.StringIO(csv_text)))
    header, body = rows[0], rows[1:]
    return {name: _column([row[c] for row in body]) for c, name in enumerate(header)}


def sweep(study: Study, reps: Optional[int] = None, seed: Optional[int] = None,
          duration: Optional[Duration] = None, warmup: Optional[Duration] = None,
          threads: int = 0, client: Any = None) -> SweepResults:
    """Runs the scenario file `study` as `linetwin sweep` does with the same flags: `reps`
    replications of every variant (default the scenario's, else the base scene's), `seed`,
    `duration` observed after `warmup` (text such as "8h" or "auto", or seconds; defaults the
    scenario's, else each variant's scene).

    `study` may instead be scenes to compare on common random numbers: a list of Scene (each
    variant named by its scene's name, made unique by " (2)", " (3)"...) or a dict of names to
    Scene, the first the baseline. It runs as a scenario file of a base and variants that name
    their scenes (`scene:`), with the first scene's seed and replications; the report names the
    scenario "scenes.scenario.yaml". A scene loaded from a file and unchanged is read from its
    file; any other is written out as scene-K/FILE (K its place in the list, from 0), with copies
    of the order files (`orders:`) it names by a path into its folder.

    Without `client` it runs in this process on `threads` threads (0: one per core), and Ctrl-C
    stops it (KeyboardInterrupt). With a dask.distributed.Client it runs on the cluster in tasks
    of about 0.1 s of work, each carrying the study's files (workers need no shared disk), and
    merges them here: the result is the local sweep's to the byte (a scenario given by an absolute
    path is run, and named in the report, by its path from the current folder). A scenario with a
    precision goal or a selection decides its replications as it goes: it runs whole, as one task.
    A lost worker's tasks run again elsewhere; a worker with another linetwin build refuses its
    task with RuntimeError.

    Bad input raises InputError with the CLI's message; a failed gate does not raise (see
    SweepResults.gates_passed)."""
    flags = _flags(reps, seed, duration, warmup)
    if client is None:
        flags += ["--threads", str(_whole(threads, "threads"))]
    if isinstance(study, (str, os.PathLike)):
        path = os.fspath(study)
        if not isinstance(path, str):
            raise TypeError(f"expected a scenario file's path as str, found {type(path).__name__}")
        return _sweep(client, path, flags, os.getcwd())
    with _scenes_scenario(study) as (folder, path):
        return _sweep(client, path, flags, folder)


def _sweep(client: Any, path: str, flags: List[str], here: str) -> SweepResults:
    """The scenario `path`, relative to the folder `here` (or absolute), here or on `client`."""
    if client is None:
        return _sweep_here(path, flags, here)
    return _sweep_on_cluster(client, path, flags, here)


def _named_scenes(scenes: Any) -> List[Tuple[str, Scene]]:
    """`scenes` (a list of Scene, or names to Scene) as (name, scene) pairs, names unique."""
    if isinstance(scenes, collections.abc.Mapping):
        pairs = list(scenes.items())
        for name, _ in pairs:
            if not isinstance(name, str):
                raise TypeError(f"expected a scene's name as str, found {type(name).__name__}")
    elif isinstance(scenes, collections.abc.Sequence):
        pairs, taken = [], set()
        for scene in scenes:
            name = getattr(scene, "name", "")
            count = 1
            while (name if count == 1 else f"{name} ({count})") in taken:
                count += 1
            name = name if count == 1 else f"{name} ({count})"
            taken.add(name)
            pairs.append((name, scene))
    else:
        raise TypeError(f"expected a scenario file's path, a list of Scene or a dict of names to "
                        f"Scene, found {type(scenes).__name__}")
    for _, scene in pairs:
        if not isinstance(scene, Scene):
            raise TypeError(f"expected scenes as linetwin.Scene, found {type(scene).__name__}")
    if not pairs:
        raise InputError("scenes: expected at least one scene, the baseline, found none",
                         field="scenes")
    return pairs


def _scene_file(scene: Scene, index: int, folder: str) -> str:
    """A file with the scene's text, by its path from `folder`: the file it was loaded from when
    unchanged (its order files then found beside it), else one written into `folder`, with copies
    of the order files it names by relative path."""
    text = scene.to_yaml()
    with contextlib.suppress(OSError):
        with open(scene.path, "rb") as f:
            if f.read() == text.encode("utf-8"):
                return os.path.relpath(os.path.abspath(scene.path), folder)
    name = os.path.basename(scene.path)
    if not name.endswith((".yaml", ".yml")):
        name = "scene.yaml"  # a scene made from a dict, named "<dict>"
    copy = os.path.join(f"scene-{index}", name)
    os.makedirs(os.path.join(folder, f"scene-{index}"))
    with open(os.path.join(folder, copy), "w", encoding="utf-8") as f:
        f.write(text)
    original = os.path.dirname(scene.path)
    for orders in _order_paths(text):
        target = os.path.normpath(os.path.join(folder, f"scene-{index}", orders))
        # One that leaves the folder, or is absolute, is read where it is, as the CLI would.
        if os.path.isabs(orders) or os.path.relpath(target, folder).startswith(".."):
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(os.path.join(original, orders), "rb") as source, open(target, "wb") as f:
            f.write(source.read())
    return copy


@contextlib.contextmanager
def _scenes_scenario(scenes: Any) -> Iterator[Tuple[str, str]]:
    """A scenario file comparing `scenes` in a temporary folder: (the folder, its name there)."""
    pairs = _named_scenes(scenes)
    with tempfile.TemporaryDirectory(prefix="linetwin-scenes-") as folder:
        files = [_scene_file(scene, i, folder) for i, (_, scene) in enumerate(pairs)]
        names = [name for name, _ in pairs]
        title = " vs ".join(names)
        if len(title.encode("utf-8")) > 200:  # the longest name a scenario takes
            title = f"{names[0]} and {len(names) - 1} other scenes"
        # JSON is YAML: every name and path is quoted as it must be.
        lines = ["linetwin_scenario: 1", f"name: {json.dumps(title)}",
                 f"base: {json.dumps(files[0])}", f"baseline: {json.dumps(names[0])}"]
        if len(pairs) > 1:
            lines.append("variants:")
            lines += [f"  - {{name: {json.dumps(name)}, scene: {json.dumps(file)}}}"
                      for name, file in zip(names[1:], files[1:])]
        path = "scenes.scenario.yaml"
        with open(os.path.join(folder, path), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        yield folder, path


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


def _report_flags(folder: str) -> List[str]:
    """The CLI's flags that write SweepResults' reports into `folder`."""
    return [item for flag, name in _REPORTS for item in (flag, os.path.join(folder, name))]


def _sweep_here(path: str, flags: List[str], here: str) -> SweepResults:
    with tempfile.TemporaryDirectory(prefix="linetwin-sweep-") as folder:
        status, messages = _cli(["sweep", path, *flags, *_report_flags(folder), "-q"], here)
        return _results(status, messages, folder)


def _results(status: int, messages: str, folder: str) -> SweepResults:
    """SweepResults of the reports in `folder` that a CLI run with exit `status` wrote."""
    # 3: a gate failed, which the report says; the run itself went well.
    if status not in (0, 3):
        raise _refusal(status, messages)
    reports = {}
    for flag, name in _REPORTS:
        with open(os.path.join(folder, name), "rb") as f:
            reports[flag] = f.read().decode("utf-8")
    return SweepResults(reports, messages)


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


def _order_paths(scene_text: str) -> List[str]:
    """The order files (`orders:` of its sources) that a scene names, as written."""
    import yaml  # the CLI checks the scene; a scene that is no mapping reads no files

    scene = yaml.safe_load(scene_text)
    elements = scene.get("elements") if isinstance(scene, dict) else None
    return [element["orders"] for element in elements or []
            if isinstance(element, dict) and isinstance(element.get("orders"), str)]


def _order_files(scene_file: str) -> List[str]:
    """The order files that the scene file reads."""
    with open(scene_file, "r", encoding="utf-8") as f:
        orders = _order_paths(f.read())
    return [os.path.normpath(os.path.join(os.path.dirname(scene_file), path)) for path in orders]


def _study_files(path: str, here: Optional[str] = None) -> Tuple[Dict[str, bytes], str]:
    """The files a sweep of the scenario at `path` (from the folder `here`, default the current
    one) reads: the scenario, its base scene, the variants' own scenes, their order files and the
    start snapshot, as {path from a common folder: bytes}, and `here`'s path from that folder:
    written out in that layout anywhere, `path` (relative) finds them from there as it does here."""
    import yaml

    here = os.getcwd() if here is None else here
    scenario_file = os.path.join(here, path)
    with open(scenario_file, "rb") as f:
        scenario = yaml.safe_load(f)
    folder = os.path.dirname(scenario_file)
    scenes = [scenario["base"]] + [variant["scene"] for variant in scenario.get("variants") or []
                                   if isinstance(variant, dict) and "scene" in variant]
    scenes = [os.path.normpath(os.path.join(folder, scene)) for scene in scenes]
    wanted = [os.path.normpath(scenario_file)]
    start = scenario.get("start")
    if start is not None:
        snapshot = start["snapshot"] if isinstance(start, dict) else start
        wanted.append(os.path.normpath(os.path.join(folder, snapshot)))
    for scene in scenes:
        wanted += [scene, *_order_files(scene)]
    wanted = list(dict.fromkeys(wanted))  # a file named twice travels once
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
               expected_build: Tuple[str, str],
               outputs: Mapping[str, str]) -> Tuple[int, str, Dict[str, bytes]]:
    """On a worker: the CLI's `ARGUMENTS FLAG FILE...` for each flag and file name of `outputs`,
    among the study's files, on the worker's threads: (exit status, what it wrote to its standard
    error, {flag: FILE's bytes} of the files it wrote)."""
    _check_build(expected_build)
    with tempfile.TemporaryDirectory(prefix="linetwin-task-") as folder:
        work = _in_folder_of_files(files, os.path.join(folder, "files"), where)
        out = {flag: os.path.join(folder, name) for flag, name in outputs.items()}
        output_flags = [item for flag, file in out.items() for item in (flag, file)]
        status, messages = _cli([*arguments, "--threads", str(_worker_threads()), *output_flags,
                                 "-q"], work)
        written = {}
        for flag, file in out.items():
            if os.path.exists(file):
                with open(file, "rb") as f:
                    written[flag] = f.read()
        return status, messages, written


def _shard_task(files: Dict[str, bytes], where: str, arguments: List[str],
                expected_build: Tuple[str, str]) -> bytes:
    """On a worker: `linetwin sweep ARGUMENTS --hdf5 OUT`; OUT's bytes."""
    status, messages, written = _on_worker(files, where, arguments, expected_build,
                                           {"--hdf5": "shard.h5"})
    if status != 0:
        raise _refusal(status, messages)
    sys.stderr.write(messages)  # nothing the CLI said, but what the worker logged meanwhile
    return written["--hdf5"]


def _whole_task(files: Dict[str, bytes], where: str, arguments: List[str],
                expected_build: Tuple[str, str]) -> Tuple[int, str, Dict[str, bytes]]:
    """On a worker: the whole `linetwin sweep ARGUMENTS` with SweepResults' reports, its gates'
    exit status 3 included: (exit status, its standard error, {flag: report's bytes})."""
    return _on_worker(files, where, arguments, expected_build, dict(_REPORTS))


def _task_key(kind: str, *parts: Any) -> str:
    """A name for a task from all it computes from, so that a task run again (its worker died) is
    the same task, and Dask knows two equal tasks as one."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
    return f"linetwin-{kind}-{digest.hexdigest()}"


def _timed_shard(path: str, flags: List[str], index: int, count: int, folder: str,
                 here: Optional[str]) -> Tuple[float, str]:
    """Runs shard `index` of `count` here (in the folder `here`) on one thread: (seconds it took,
    its HDF5 file)."""
    out = os.path.join(folder, f"pilot-{index}-{count}.h5")
    start = time.perf_counter()
    status, messages = _cli(["sweep", path, *flags, "--shard", f"{index}/{count}", "--hdf5", out,
                             "-q", "--threads", "1"], here)
    seconds = time.perf_counter() - start
    if status != 0:
        raise _refusal(status, messages)
    return seconds, out


def _shard_items(items: int, count: int) -> int:
    """Work items in shard 1 of `count`: every count-th item from the first."""
    return (items + count - 1) // count


def _shard_count(path: str, flags: List[str], workers: int, here: Optional[str] = None) -> int:
    """How many shards make tasks of about TASK_SECONDS of work, at least two per worker: from a
    shard of one work item and one of a few run here (their difference is the work of the items
    between, without what every task does once)."""
    import h5py  # only on a cluster

    one = 100_000  # the most shards the CLI makes: shard 1 then holds one item (or a few)
    with tempfile.TemporaryDirectory(prefix="linetwin-pilot-") as folder:
        seconds_one, pilot = _timed_shard(path, flags, 1, one, folder, here)
        with h5py.File(pilot, "r") as f:
            items = int(f.attrs["replications"]) * len(f["variants"])
        items_one = _shard_items(items, one)
        item_seconds = seconds_one / items_one
        few = min(items, 16 * items_one)
        if few > items_one:
            count = items // few
            seconds_few, _ = _timed_shard(path, flags, 1, count, folder, here)
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


def _sweep_on_cluster(client: Any, path: str, flags: List[str], here: str) -> SweepResults:
    # The workers find the files by `path` from the folder that stands for `here`, so it is
    # relative; merge finds the scenario by the same path from `here`.
    if os.path.isabs(path):
        path = os.path.relpath(path, here)
    build = build_identity()
    workers = max(1, len(client.scheduler_info()["workers"]))
    retries = 3  # a task that raised (a worker's disk full...) runs again; a lost worker's always
    try:
        # Checks the scenario and the flags here first, with the CLI's messages.
        count = _shard_count(path, flags, workers, here)
    except InputError as refused:
        # The CLI loads the scenario before it refuses to shard it.
        if "'--shard'" not in str(refused) or not _runs_whole(os.path.join(here, path)):
            raise
        files, where = _study_files(path, here)
        arguments = ["sweep", path, *flags]
        future = client.submit(_whole_task, files, where, arguments, build,
                               key=_task_key("sweep", files, where, arguments, build),
                               retries=retries, pure=True)
        status, messages, reports = future.result()
        if status not in (0, 3) or len(reports) != len(_REPORTS):
            raise _refusal(status, messages) from None
        return SweepResults({flag: data.decode("utf-8") for flag, data in reports.items()},
                            messages)
    files, where = _study_files(path, here)
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
        status, messages = _cli(["merge", *names, *_report_flags(folder), "-q"], here)
        return _results(status, messages, folder)
