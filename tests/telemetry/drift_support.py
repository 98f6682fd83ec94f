"""What the drift CLI tests share: telemetry logs of scenes/breakdown_line.yaml simulated by
`linetwin run --record`, as linetwin CSV logs that start after the line has warmed up, and a copy
of the scene with OP30 slowed by 30%.

A simulated recording starts with an empty line, so its first hours are the line filling up, which
no window of the model (simulated after a warm-up) looks like. The logs here start at the end of
the run's warm-up instead, the way a real line is met in full swing: each machine's last state
and counter readings before that moment are repeated at it (with their own sequence numbers), as
a gateway that publishes retained last values would, and every later sample follows unchanged.
"""
import datetime
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
SCENE = REPO / "scenes" / "breakdown_line.yaml"
STATIONS = ["OP10", "OP20", "OP30", "OP40"]  # the scene's stations
WARMUP_H = 4  # the scene's warm-up, and the model's before each simulated window
RECORD_SEED = 99  # not the scene's 4711, so that the log is no window the bands were read from
STATES = ["unknown", "producing", "idle", "blocked", "down", "setup", "off_shift"]
KINDS = ["state", "counter", "sensor"]


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def slowed_scene(directory):
    """The scene with OP30's processing-time mean raised by 30% (42 s to 54.6 s)."""
    text = SCENE.read_text()
    old = "processing: {distribution: gamma, shape: 4, mean: 42s}"
    if text.count(old) != 1:
        fail(f"expected OP30's processing time '{old}' once in {SCENE}")
    path = pathlib.Path(directory) / "breakdown_line_op30_slow.yaml"
    path.write_text(text.replace(old, "processing: {distribution: gamma, shape: 4, mean: 54.6s}"))
    return path


def iso(timestamp_us):
    seconds, micros = divmod(int(timestamp_us), 1_000_000)
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{micros:06d}Z"


def simulated_log(linetwin, scene, directory, name, hours):
    """Simulates `hours` after the warm-up with `linetwin run --record` and writes the telemetry
    from the end of the warm-up on as a CSV log; returns its path."""
    import h5py  # the callers check that it is there

    directory = pathlib.Path(directory)
    recording = directory / f"{name}.h5"
    run = subprocess.run([linetwin, "run", str(scene), "--reps", "1", "--seed", str(RECORD_SEED),
                          "--warmup", f"{WARMUP_H}h", "--duration", f"{hours}h",
                          "--record", str(recording), "-q"],
                         capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        fail(f"linetwin run --record failed ({run.returncode}): {run.stderr}")
    with h5py.File(recording, "r", swmr=True) as f:
        samples = f["samples"][:]
        machines = list(f["machines"].asstr()[:])
        names = list(f["names"].asstr()[:])
        cut = int(f.attrs["start_time_us"]) + WARMUP_H * 3_600_000_000
    rows = []

    def row(timestamp_us, s):
        kind = KINDS[s["kind"]]
        value = "" if kind == "state" else f"{s['value']:.17g}"
        state = STATES[s["state"]] if kind == "state" else ""
        rows.append((int(timestamp_us), machines[s["machine"]], int(s["sequence"]), kind,
                     names[s["name"]], state, value))

    last = {}  # (machine, kind, name for counters) -> the last sample before the cut
    for s in samples:  # recorded in time order per machine
        if s["timestamp_us"] < cut:
            channel = s["name"] if KINDS[s["kind"]] != "state" else 0
            last[(s["machine"], s["kind"], channel)] = s
    for s in sorted(last.values(), key=lambda s: (s["machine"], s["sequence"])):
        row(cut, s)
    for s in samples:
        if s["timestamp_us"] >= cut:
            row(s["timestamp_us"], s)
    rows.sort(key=lambda r: r[0])  # stable: a machine's samples at one instant keep their order
    path = directory / f"{name}.csv"
    with open(path, "w") as out:
        out.write("timestamp,machine,seq,kind,name,state,value\n")
        for r in rows:
            out.write(",".join([iso(r[0])] + [str(x) for x in r[1:]]) + "\n")
    return path
