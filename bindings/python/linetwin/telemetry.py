"""Telemetry from Python: a recorded log replayed into the twins of a scene (`linetwin replay`),
the line's state that the twins tell (`--write-state`), drift against the model's bands
(`--drift`), and the scene calibrated to a log (`linetwin calibrate`), through the CLI's own code
(tools/linetwin/*_session.cpp), so that every result is the CLI's, to the byte.

    import linetwin
    scene = linetwin.load_scene("scenes/breakdown_line.yaml")
    twins = linetwin.replay(scene, "shift.h5", drift=linetwin.Drift(window="1h"))
    twins.stations["OP30"]["oee"]            # the twins' KPIs, as `linetwin replay --json` has them
    twins.drift_alerts                       # the alerts of --drift, as dicts
    what_if = scene.run(start=twins.state, down_for={"OP30": "4h"})   # what-if from now
    fit = linetwin.calibrate(scene, "shift.h5")
    fit.scene.run(reps=20)

Times are UTC timestamps (ISO 8601 text or epoch milliseconds) where they lie in a log, durations
text ("8h") or seconds. Real-time replay (`--speed`) is the CLI's alone.
"""
import json
import os
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Union

from linetwin import Duration, Scene, _JsonCsvReport, _JsonReport, _core, load_scene

PathLike = Union[str, "os.PathLike[str]"]


class Drift(NamedTuple):
    """What `--drift` checks (docs/calibration.md, "Drift"), with the CLI's defaults: each
    station's KPIs over `window` of message time (text such as "1h", or seconds), checked every
    `every` (None: the window, so that windows do not overlap), against bands that hold a window of
    the line as modelled with probability `coverage`, read from `replications` simulated windows
    (at least 2 / (1 - coverage) - 1)."""
    window: Duration = "8h"
    every: Optional[Duration] = None
    coverage: float = 0.99
    replications: int = 200


class LineState:
    """The line at one instant as a snapshot file has it (docs/snapshot-format.md): what
    `linetwin replay --write-state` writes. Start runs from it: `scene.run(start=state)`,
    `linetwin.Simulation(scene, start=state)`. `name` stands for its file in messages and in the
    results' "start"."""

    __slots__ = ("_yaml", "_name")

    def __init__(self, yaml_text: str, name: str = "<state>"):
        if not isinstance(yaml_text, str) or not isinstance(name, str):
            raise TypeError(f"expected the snapshot's text and a name (str), found "
                            f"{type(yaml_text).__name__} and {type(name).__name__}")
        self._yaml = yaml_text
        self._name = name

    @classmethod
    def read(cls, path: PathLike) -> "LineState":
        """The snapshot file at `path` (checked against a scene when a run starts from it)."""
        path = os.fspath(path)
        with open(path, encoding="utf-8") as f:
            return cls(f.read(), path)

    @property
    def name(self) -> str:
        return self._name

    def to_yaml(self) -> str:
        """The snapshot file's text: the bytes `linetwin replay --write-state -` writes."""
        return self._yaml

    def to_dict(self) -> dict:
        """The snapshot as a dict (PyYAML reads it): `timestamp` (a datetime in UTC), `origin`,
        `scene`, and per station its `activity`, `in_state` (a duration's text) and `parts`, per
        buffer its `level`."""
        import yaml  # only where used: the module works without PyYAML
        return yaml.safe_load(self._yaml)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LineState) and (self._yaml, self._name) == (other._yaml,
                                                                              other._name)

    def __hash__(self) -> int:
        return hash((self._yaml, self._name))

    def __reduce__(self):
        return (LineState, (self._yaml, self._name))

    def __repr__(self) -> str:
        when = next((line.split(":", 1)[1].strip() for line in self._yaml.splitlines()
                     if line.startswith("timestamp:")), "?")
        return f"<linetwin.LineState {self._name} at {when}>"


class TwinResults(_JsonCsvReport):
    """What replaying a log gives: the twins' KPIs as `linetwin replay` reports them (to_dict(),
    to_json(): its --json, schema linetwin.twins/1, docs/twins.md; to_csv(), to_dataframe(): its
    --csv): per station its state shares, OEE, throughput (parts per hour) and cycle time
    (seconds); the drift report when asked; and the line's `state` at the end (or at `state_at`),
    None where the log gave no sample of the scene's machines. Plain data: it pickles."""

    def __init__(self, outputs: Dict[str, Any], name: str):
        self._json: str = outputs["json"]
        self._csv: str = outputs["csv"]
        self._table: str = outputs["table"]
        self._dict = json.loads(self._json)
        self.state: Optional[LineState] = (None if outputs["state"] is None
                                           else LineState(outputs["state"], name))

    @property
    def stations(self) -> Dict[str, dict]:
        """Per station id, its KPIs as the JSON has them."""
        return {s["id"]: s for s in self.to_dict()["stations"]}

    @property
    def drift(self) -> Optional[dict]:
        """The JSON's "drift" object (settings, checks, alerts, each station's last window);
        None without drift=."""
        return self.to_dict().get("drift")

    @property
    def drift_alerts(self) -> Optional[List[dict]]:
        """Each drift alert (a station's KPI outside the model's band in a window), as the JSON's
        "drift"."alerts" has them; None without drift=."""
        drift = self.drift
        return None if drift is None else drift["alerts"]

    def __str__(self) -> str:
        """The table `linetwin replay` prints."""
        return self._table

    def __repr__(self) -> str:
        d = self._dict
        oee = ", ".join(f"{s['id']} {s['oee']['oee']:.3g}" for s in d["stations"]
                        if s["oee"]["oee"] is not None)
        alerts = self.drift_alerts
        return (f"<linetwin.TwinResults {d['source']}: {d['ingestion']['samples']} samples, "
                f"observed {d['observed_s']} s from {d['observed_from']}, OEE "
                f"{oee or 'unknown'}" + ("" if alerts is None else f", {len(alerts)} drift alerts")
                + ">")


def _scene_of(scene: Union[Scene, PathLike]) -> Scene:
    if isinstance(scene, Scene):
        return scene
    if isinstance(scene, (str, os.PathLike)):
        return load_scene(scene)
    raise TypeError(f"expected a linetwin.Scene or a scene file's path, found "
                    f"{type(scene).__name__}")


def _text(value: Any, name: str, optional: bool = False) -> Optional[str]:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected {name} as str, found {type(value).__name__}")
    return value


def _duration(value: Any, name: str) -> Duration:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"expected {name} as a duration (text such as \"1h\", or seconds), found "
                        f"{type(value).__name__}")
    return value if isinstance(value, str) else float(value)


def _drift_argument(drift: Union[Drift, Mapping[str, Any], None]):
    if drift is None:
        return None
    if isinstance(drift, Mapping):
        unknown = set(drift) - set(Drift._fields)
        if unknown:
            raise TypeError(f"unknown drift settings {sorted(unknown)}; there are: "
                            f"{', '.join(Drift._fields)}")
        drift = Drift(**drift)
    if not isinstance(drift, Drift):
        raise TypeError(f"expected drift as linetwin.Drift or a dict of its fields, found "
                        f"{type(drift).__name__}")
    every = None if drift.every is None else _duration(drift.every, "drift.every")
    if isinstance(drift.coverage, bool) or not isinstance(drift.coverage, (int, float)):
        raise TypeError(f"expected drift.coverage as a number, found "
                        f"{type(drift.coverage).__name__}")
    if isinstance(drift.replications, bool) or not isinstance(drift.replications, int):
        raise TypeError(f"expected drift.replications as int, found "
                        f"{type(drift.replications).__name__}")
    return (_duration(drift.window, "drift.window"), every, float(drift.coverage),
            drift.replications)


def replay(scene: Union[Scene, PathLike], log: PathLike, format: str = "auto",
           machine: Optional[str] = None, state_at: Optional[str] = None,
           drift: Union[Drift, Mapping[str, Any], None] = None) -> TwinResults:
    """Feeds the telemetry log at `log` (linetwin CSV, MTConnect CSV or an HDF5 recording;
    `format` "auto" tells it by the file's first bytes) into the twins of `scene` (a Scene or a
    scene file's path), as fast as possible, as `linetwin replay SCENE LOG` does. `machine`:
    the scene element an MTConnect log is about (default: the scene's only station). `state_at`:
    stop at this UTC time within the log (ISO 8601 such as "2026-01-05T01:30:00Z", or epoch
    milliseconds as text), and tell the state as of it. `drift`: check the log against the
    model's bands (Drift, or a dict of its fields), as --drift does. The GIL is released while it
    runs, and Ctrl-C stops it (KeyboardInterrupt)."""
    scene = _scene_of(scene)
    log = os.fspath(log)
    outputs = _core.replay(scene._handle, log, _text(format, "format"),
                           _text(machine, "machine", True), _text(state_at, "state_at", True),
                           _drift_argument(drift))
    return TwinResults(outputs, f"<replay of {log}>")


def live(scene: Union[Scene, PathLike], broker: str, topic: str = "linetwin", qos: int = 0,
         until_idle: Optional[Duration] = None, max_samples: Optional[int] = None,
         connect_timeout: Optional[Duration] = None, reorder_window: Duration = "500ms",
         record: Optional[PathLike] = None,
         drift: Union[Drift, Mapping[str, Any], None] = None) -> TwinResults:
    """Feeds the twins of `scene` from the MQTT broker `broker` ("HOST:PORT", port default 1883)
    on the topics `topic`/<machine id>, as `linetwin live SCENE --broker B -q` does, until Ctrl-C,
    `until_idle` (a duration without messages while connected, text such as "5s" or seconds),
    `max_samples` samples, or, if the broker cannot be reached within `connect_timeout`, an
    InputError. `qos` 0 or 1 (1: a persistent session under the client id linetwin-live-TOPIC),
    `reorder_window` (wall-clock time samples are held to put them back in order), `record` (an
    HDF5 recording of the session), `drift` as replay()'s. Returns the report as `linetwin live
    --json` has it, with the line's `state` at the newest sample. Ctrl-C ends the session (its
    recording closed and kept) and raises KeyboardInterrupt. No authentication or TLS: the CLI
    (`python3 -m linetwin live ...`) has them. Connection changes are written on stderr."""
    scene = _scene_of(scene)
    if record is not None:
        record = os.fspath(record)
    for name, value in (("qos", qos), ("max_samples", max_samples)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise TypeError(f"expected {name} as int, found {type(value).__name__}")
    outputs = _core.live(
        scene._handle, _text(broker, "broker"), _text(topic, "topic"), qos,
        None if until_idle is None else _duration(until_idle, "until_idle"), max_samples,
        None if connect_timeout is None else _duration(connect_timeout, "connect_timeout"),
        _duration(reorder_window, "reorder_window"), record, _drift_argument(drift))
    return TwinResults(outputs, f"<live from {broker}/{topic}>")


class Calibration(_JsonReport):
    """What calibrating a scene to a log gives: `scene`, the calibrated linetwin.Scene (its
    to_yaml() is `linetwin calibrate -o -`), the report (to_dict(), to_json(): the CLI's --json,
    schema linetwin.calibration/1, docs/calibration.md) and `warnings`, the quantities kept
    because the log cannot support a fit (the CLI's warnings on stderr, without "linetwin
    calibrate: warning: "). Plain data: it pickles."""

    def __init__(self, outputs: Dict[str, Any]):
        self._scene_yaml: str = outputs["scene"]
        self._json: str = outputs["json"]
        self._table: str = outputs["table"]
        self.warnings: List[str] = list(outputs["warnings"])
        self._dict = json.loads(self._json)

    @property
    def scene(self) -> Scene:
        """The calibrated scene; relative paths in it (order files) are from the current
        folder, as `-o -` writes them."""
        return Scene.from_yaml(self._scene_yaml, "calibrated.yaml")

    def __str__(self) -> str:
        """The table `linetwin calibrate` prints."""
        return self._table

    def __reduce__(self):
        return (Calibration, ({"scene": self._scene_yaml, "json": self._json,
                               "table": self._table, "warnings": self.warnings},))

    def __repr__(self) -> str:
        fits = []
        for station in self._dict["stations"]:
            for quantity in ("processing", "time_to_failure", "time_to_repair"):
                q = station.get(quantity)
                if not q or not q["replaced"] or q["chosen"] is None:
                    continue
                chosen = q["chosen"]
                parameters = ", ".join(f"{name} {p['value']:.4g}"
                                       for name, p in chosen["parameters"].items())
                fits.append(f"{station['id']} {quantity} {chosen['distribution']}({parameters})")
        return (f"<linetwin.Calibration: {'; '.join(fits) or 'nothing replaced'}"
                f"{f', {len(self.warnings)} warnings' if self.warnings else ''}>")


def calibrate(scene: Union[Scene, PathLike], log: PathLike, confidence: float = 0.95,
              bootstrap: int = 200, min_observations: int = 10, seed: int = 1,
              format: str = "auto", machine: Optional[str] = None) -> Calibration:
    """Fits the processing, failure and repair times of the stations of `scene` to the telemetry
    log at `log` (linetwin CSV, MTConnect CSV or an HDF5 recording; `machine`: the element an
    MTConnect log is about, default the scene's only station), as
    `linetwin calibrate SCENE LOG -o -` does with the same flags: `confidence` of the parameters' intervals, `bootstrap` resamples
    for the KS p-value (0: none), `min_observations` below which a quantity keeps the scene's
    distribution, `seed` of the bootstrap. The calibrated scene keeps the scene file's text but
    for the fitted values, so `scene` must be as load_scene() read it from its file. The GIL is
    released while it runs; Ctrl-C is seen when it ends."""
    scene = _scene_of(scene)
    log = os.fspath(log)
    for name, value in (("bootstrap", bootstrap), ("min_observations", min_observations),
                        ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"expected {name} as int, found {type(value).__name__}")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        raise TypeError(f"expected confidence as a number, found {type(confidence).__name__}")
    return Calibration(_core.calibrate(scene._handle, log, _text(format, "format"),
                                       _text(machine, "machine", True), float(confidence),
                                       bootstrap, min_observations, seed))


def _start_argument(start: Union[LineState, PathLike, None],
                   down_for: Optional[Mapping[str, Duration]]):
    """run()'s and Simulation's start= and down_for= as the extension takes them."""
    if down_for is None:
        pairs = []
    elif isinstance(down_for, Mapping):
        pairs = []
        for station, duration in down_for.items():
            if not isinstance(station, str):
                raise TypeError(f"expected down_for's station ids as str, found "
                                f"{type(station).__name__}")
            pairs.append((station, _duration(duration, f"down_for.{station}")))
    else:
        raise TypeError(f"expected down_for as a dict {{station: duration}}, found "
                        f"{type(down_for).__name__}")
    if start is None:
        return None, pairs
    if isinstance(start, LineState):
        return (start.name, start.to_yaml()), pairs
    if isinstance(start, (str, os.PathLike)):
        return (os.fspath(start), None), pairs
    raise TypeError(f"expected start as a linetwin.LineState or a snapshot file's path, found "
                    f"{type(start).__name__}")


__all__ = ["Calibration", "Drift", "LineState", "TwinResults", "calibrate", "live", "replay"]
