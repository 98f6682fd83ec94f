"""linetwin: simulate production lines as digital twins, from Python.

    import linetwin
    scene = linetwin.load_scene("scenes/balanced_line.yaml")
    scene["OP20"].servers                     # read-only views by element id
    bigger = scene.with_changes({"B2.capacity": 16})   # a new, validated scene
    results = bigger.run(reps=20, duration="8h")
    results.throughput_per_hour               # Estimate(mean, low, high): parts per hour, 95% CI
    results.to_dict()                         # the CLI's `linetwin run --json` object
    results.to_dataframe()                    # the CLI's --csv as a pandas DataFrame
    results.replications["throughput_per_hour"]  # one value per replication (numpy)
    twins = linetwin.replay(scene, "shift.h5")   # a telemetry log into the twins (telemetry.py)
    scene.run(start=twins.state, down_for={"OP30": "4h"})   # what-if from the line's state now

Times are in seconds unless a name says otherwise; durations also take the CLI's text ("8h",
"90min"). Bad input raises InputError (a ValueError) with the CLI's message; arguments of the
wrong type raise TypeError. `python3 -m linetwin ARGS` is the `linetwin` command line.
"""
import collections.abc
import io
import json
import os
from typing import Any, Dict, Iterator, Mapping, NamedTuple, Optional, Union


class InputError(ValueError):
    """Bad input (a scene, a change, an argument), as the CLI reports it with exit status 2.

    str(error) is the CLI's message after "linetwin: error: "; `file`, `line` and `column` say
    where in a file (empty, 0 where not a file or unknown), `field` the field's path (such as
    "elements[OP10].processing.mean", or an argument's name), `message` the text without them.
    """

    def __init__(self, text: str, file: str = "", line: int = 0, column: int = 0,
                 field: str = "", message: Optional[str] = None):
        super().__init__(text)
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = text if message is None else message

    def __reduce__(self):
        return (InputError,
                (str(self), self.file, self.line, self.column, self.field, self.message))


# The extension translates the engine's errors into InputError, so it comes after it.
from linetwin import _core  # noqa: E402


class Estimate(NamedTuple):
    """A KPI's mean over the replications and its 95% confidence interval (low, high)."""
    mean: float
    low: float
    high: float


class Element(collections.abc.Mapping):
    """A read-only view of one element of a scene: `id`, `type` (source, buffer, station,
    conveyor, sink), `to` and `inputs` (element ids), and its kind's parameters: a station's
    `servers`, `processing` ({kind, mean_s, text}), `breakdowns`; a buffer's `capacity` (None:
    unlimited); a conveyor's `length_m`, `speed_m_per_s`, `spacing_m`. Fields read as attributes
    or items."""

    __slots__ = ("_fields",)

    def __init__(self, fields: Dict[str, Any]):
        object.__setattr__(self, "_fields", fields)

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(
                f"{self._fields['type']} '{self._fields['id']}' has no field '{name}'; "
                f"it has: {', '.join(self._fields)}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a scene's elements are read-only: use Scene.with_changes()")

    def __repr__(self) -> str:
        return f"Element({self._fields!r})"


Duration = Union[str, float]


class Scene:
    """A loaded, validated line: immutable. Build one with load_scene(), Scene.from_dict() or
    Scene.from_yaml(); change it with with_changes(), which returns a new scene."""

    __slots__ = ("_handle",)

    def __init__(self, handle: "_core.SceneHandle"):
        self._handle = handle

    @classmethod
    def from_yaml(cls, text: str, name: str = "<text>") -> "Scene":
        """A scene from the text of a scene file; `name` stands for the file in messages, and
        relative order files are found from the current folder."""
        return cls(_core.scene_from_text(text, name))

    @classmethod
    def from_dict(cls, scene: Mapping[str, Any], name: str = "<dict>") -> "Scene":
        """A scene from a dict laid out as a scene file (docs/scene-format.md). It is written as
        JSON, which is YAML, one field a line, so messages name a line of that text."""
        if not isinstance(scene, collections.abc.Mapping):
            raise TypeError(f"expected a dict laid out as a scene file, found "
                            f"{type(scene).__name__}")
        return cls.from_yaml(json.dumps(scene, indent=2, ensure_ascii=False), name)

    @property
    def name(self) -> str:
        return self._handle.name

    @property
    def path(self) -> str:
        """The file it was loaded from (or the name given instead), as reports name it."""
        return self._handle.path

    @property
    def products(self) -> list:
        return self._handle.products

    @property
    def seed(self) -> int:
        return self._handle.seed

    @property
    def replications(self) -> int:
        """The scene's run.replications, run()'s default."""
        return self._handle.replications

    @property
    def duration_s(self) -> float:
        """The observed period after warm-up, seconds: run()'s default."""
        return self._handle.duration_s

    @property
    def warmup_s(self) -> float:
        return self._handle.warmup_s

    def to_yaml(self) -> str:
        """The scene's text: the file as read, or after with_changes() the changed YAML."""
        return self._handle.text

    def __getitem__(self, element_id: str) -> Element:
        if not isinstance(element_id, str):
            raise TypeError(f"expected an element id (str), found {type(element_id).__name__}")
        fields = self._handle.element(element_id)
        if fields is None:
            raise KeyError(f"no element '{element_id}' in the scene '{self.name}'; it has: "
                           f"{', '.join(self._handle.ids)}")
        return Element(fields)

    def __contains__(self, element_id: object) -> bool:
        return isinstance(element_id, str) and self._handle.element(element_id) is not None

    def __iter__(self) -> Iterator[str]:
        """The element ids, in scene order."""
        return iter(self._handle.ids)

    def __len__(self) -> int:
        return len(self._handle.ids)

    def with_changes(self, changes: Mapping[str, Any]) -> "Scene":
        """A new scene with `changes` made: {path: value} as a scenario file's variant writes
        them (docs/scenario-format.md#paths), e.g. {"B2.capacity": 16, "OP30.processing.mean":
        "45s"}, in order. The scene itself is unchanged. InputError names the change at fault."""
        if not isinstance(changes, collections.abc.Mapping):
            raise TypeError(f"expected a dict of changes {{path: value}}, found "
                            f"{type(changes).__name__}")
        pairs = []
        for path, value in changes.items():
            if not isinstance(path, str):
                raise TypeError(f"expected a change's path as str, found {type(path).__name__}")
            # JSON is YAML: the value reads back as the scenario file's value would.
            pairs.append((path, json.dumps(value, ensure_ascii=False)))
        return Scene(_core.with_changes(self._handle, pairs))

    def run(self, reps: Optional[int] = None, seed: Optional[int] = None,
            duration: Optional[Duration] = None, warmup: Optional[Duration] = None,
            threads: int = 0, start: Union["LineState", str, os.PathLike, None] = None,
            down_for: Optional[Mapping[str, Duration]] = None) -> "Results":
        """Runs the replications in parallel, as `linetwin run` does with the same flags: `reps`
        replications (default the scene's), `seed` (default the scene's), `duration` observed
        after `warmup` (text such as "8h", or seconds; defaults the scene's), on `threads` worker
        threads (0: one per core; the results do not depend on it). Other Python threads run
        meanwhile.

        `start`: every replication starts from the line as this state has it (a LineState, such
        as linetwin.replay(...).state, or a snapshot file's path), as `--from-snapshot` does,
        without warm-up unless `warmup` is given; `down_for` {station: duration} keeps stations
        down from then on for exactly that long, as a scenario's `start: {down_for: ...}`."""
        start_pair, down_pairs = _start_argument(start, down_for)
        return Results(_core.run(self._handle, reps, seed, duration, warmup, threads, start_pair,
                                 down_pairs))

    def __reduce__(self):
        return (_scene_from_yaml, (self.to_yaml(), self.path))

    def __repr__(self) -> str:
        return f"<linetwin.Scene '{self.name}' from {self.path}: {len(self)} elements>"


def _scene_from_yaml(text: str, name: str) -> Scene:
    return Scene.from_yaml(text, name)


def load_scene(path: Union[str, os.PathLike]) -> Scene:
    """Loads and validates a scene file (docs/scene-format.md)."""
    return Scene(_core.load_scene(path))


class _JsonReport:
    """A command's --json text, held as written: results built on it equal the CLI's bytes."""

    _json: str

    def to_dict(self) -> dict:
        """The object the command writes with --json (the class says which command)."""
        return json.loads(self._json)

    def to_json(self) -> str:
        """The bytes the command writes with --json."""
        return self._json


class _JsonCsvReport(_JsonReport):
    """A command's --json and --csv texts, held as written."""

    _csv: str

    def to_csv(self) -> str:
        """The bytes the command writes with --csv: one row per KPI."""
        return self._csv

    def to_dataframe(self):
        """The command's --csv as a pandas DataFrame (one row per KPI), read to the same doubles
        as to_dict() holds (pandas' default float parser may miss the last bit)."""
        import pandas  # only where used: the module works without pandas
        return pandas.read_csv(io.StringIO(self._csv), float_precision="round_trip")


class Results(_JsonCsvReport):
    """What a run gives: the results of `linetwin run` (to_dict(), to_json(): its --json, schema
    linetwin.run/5, docs/results-format.md; to_csv(), to_dataframe(): its --csv), its
    per-replication table, and the KPIs as Estimate(mean, low, high) (95% confidence interval):
    throughput_per_hour (parts per hour), wip_mean (parts), lead_time_mean_s, lead_time_p50_s,
    lead_time_p95_s (seconds), scrap_rate. Plain data: it pickles."""

    def __init__(self, outputs: Dict[str, Any]):
        self._json: str = outputs["json"]
        self._csv: str = outputs["csv"]
        self._replications = dict(outputs["replications"])
        self._deadlocks: int = outputs["deadlocks"]
        self._dict = json.loads(self._json)

    @property
    def replications(self) -> Dict[str, Any]:
        """Every KPI of every replication: {column: numpy array, one value per replication}, the
        columns of --replications-csv (docs/experiments.md), NaN where undefined."""
        return dict(self._replications)

    def replications_dataframe(self):
        """replications as a pandas DataFrame, one row per replication."""
        import pandas
        return pandas.DataFrame(self._replications)

    @property
    def kpis(self) -> Dict[str, Estimate]:
        return {name: Estimate(e["mean"], e["ci95_low"], e["ci95_high"])
                for name, e in self._dict["kpis"].items()}

    @property
    def stations(self) -> Dict[str, dict]:
        """Per station, its KPIs as the JSON has them."""
        return {s["id"]: s for s in self.to_dict()["stations"]}

    @property
    def bottleneck(self) -> Optional[str]:
        """The line's bottleneck: a station's id, or a fleet's where the fleet is busier than
        the station the active periods name (bottleneck_kind says which)."""
        return self._dict["bottleneck"].get("id")

    @property
    def bottleneck_kind(self) -> Optional[str]:
        """What the bottleneck is: "station" or "fleet" (docs/transport.md, "The bottleneck
        with fleets")."""
        return self._dict["bottleneck"].get("kind")

    @property
    def deadlocked(self) -> int:
        """Replications that deadlocked (their KPIs are left out of the summary)."""
        return self._deadlocks

    def __getattr__(self, name: str) -> Estimate:
        kpis = self.__dict__.get("_dict", {}).get("kpis", {})
        if name in kpis:
            e = kpis[name]
            return Estimate(e["mean"], e["ci95_low"], e["ci95_high"])
        raise AttributeError(f"Results has no attribute '{name}'")

    def __repr__(self) -> str:
        d = self._dict

        def interval(name: str, unit: str) -> str:
            e = d["kpis"][name]
            if e["mean"] is None:
                return f"{name} undefined"
            if e["ci95_low"] is None:
                return f"{name} {e['mean']:.4g}{unit}"
            return f"{name} {e['mean']:.4g}{unit} [{e['ci95_low']:.4g}, {e['ci95_high']:.4g}]"

        figures = ", ".join(interval(n, u) for n, u in (("throughput_per_hour", "/h"),
                                                        ("wip_mean", ""),
                                                        ("lead_time_mean_s", " s")))
        return (f"<linetwin.Results '{d['scene_name']}': {d['replications']} replications, "
                f"seed {d['seed']}, {figures}, bottleneck {d['bottleneck']['id']}>")


class StationReport(NamedTuple):
    """What a station reports as it runs (Simulation.on_report): at `time_s` (seconds), its
    `state` by the names of docs/twins.md (producing, idle, blocked, down, setup, off_shift) and
    its cumulative `good` and `scrap` counters since the start of the run."""
    time_s: float
    station: str
    state: str
    good: int
    scrap: int


class Simulation:
    """One replication of a scene, driven step by step:

        with linetwin.Simulation(scene, seed=1, replication=0) as sim:
            sim.run_until(3600)            # seconds of simulated time
            sim.station_state("OP30")      # "producing", "down", ...
            sim.fail_station("OP30", repair=1800)
            what_if = sim.fork()           # goes on exactly as sim would
            sim.run_until(sim.end_time)
            sim.results().throughput_per_hour

    `duration` and `warmup` default to the scene's (text such as "8h", or seconds). `start` and
    `down_for` start it from a state of the line, as Scene.run's do (then without warm-up unless
    `warmup` is given). Single threaded: callbacks (on_report) run on the calling thread."""

    __slots__ = ("_handle", "_scene")

    def __init__(self, scene: Scene, seed: Optional[int] = None, replication: int = 0,
                 duration: Optional[Duration] = None, warmup: Optional[Duration] = None,
                 start: Union["LineState", str, os.PathLike, None] = None,
                 down_for: Optional[Mapping[str, Duration]] = None,
                 _handle: Any = None):
        if not isinstance(scene, Scene):
            raise TypeError(f"expected a linetwin.Scene, found {type(scene).__name__}")
        self._scene = scene
        if _handle is None:
            start_pair, down_pairs = _start_argument(start, down_for)
            _handle = _core.simulation(scene._handle, seed, replication, duration, warmup,
                                       start_pair, down_pairs)
        self._handle = _handle

    def __enter__(self) -> "Simulation":
        return self

    def __exit__(self, *exc) -> None:
        self._handle.on_report(None)

    @property
    def now(self) -> float:
        """The simulated time, seconds from the start (warm-up included)."""
        return self._handle.now

    @property
    def end_time(self) -> float:
        """When the run ends: warm-up plus duration, seconds."""
        return self._handle.end_time

    def run_until(self, time_s: float) -> None:
        """Runs to `time_s` seconds (never past the end; a time already passed does nothing)."""
        self._handle.run_until(float(time_s))

    def step(self) -> bool:
        """Runs the next event; False at the end of the run (or once the line deadlocked)."""
        return self._handle.step()

    def station_state(self, station: str) -> str:
        return self._handle.station_state(station)

    def parts_at(self, element: str) -> int:
        """Parts at an element now: queued in a buffer, held at a station, on a conveyor."""
        return self._handle.parts_at(element)

    def fail_station(self, station: str, repair: Duration) -> None:
        """Breaks `station` down now, repaired `repair` after its repair starts (text such as
        "30min", or seconds); draws no random numbers. InputError if it is already down."""
        if isinstance(repair, str):
            repair_s = _core.duration_seconds(repair, "repair")
        elif isinstance(repair, (int, float)) and not isinstance(repair, bool):
            repair_s = float(repair)
        else:
            raise TypeError(f"expected a duration (text or seconds), found {type(repair).__name__}")
        self._handle.fail_station(station, repair_s)

    def results(self) -> Results:
        """The run so far, as `linetwin run --replication R --json` reports a whole run."""
        return Results(self._handle.results())

    def fork(self) -> "Simulation":
        """An independent copy that goes on exactly as this one would (without its callback)."""
        return Simulation(self._scene, _handle=self._handle.fork())

    def on_report(self, callback) -> None:
        """Calls callback(StationReport) for every station report from now on: a state change or
        a counter (the reports the viewer's event log shows); None stops them."""
        if callback is None:
            self._handle.on_report(None)
            return
        if not callable(callback):
            raise TypeError(f"expected a callable or None, found {type(callback).__name__}")
        self._handle.on_report(lambda *report: callback(StationReport(*report)))

from linetwin.layouts import Layout, export_scene, import_aml  # noqa: E402
from linetwin.sweep import SweepResults, sweep  # noqa: E402
from linetwin.telemetry import (  # noqa: E402
    Calibration, Drift, LineState, TwinResults, _start_argument, calibrate, live, replay)
