"""Calibrate, then ask "what if?" from where the line is now.

A recording of the line with breakdowns (scenes/breakdown_line.yaml) stands for a shift of the
real line; here it is recorded from a copy of the scene whose OP30 takes longer to repair and
whose OP20 is slower than the scene says, as a real line drifts from its model (on a real line
the recording comes from `linetwin live --record`). Then, all from Python:

1. calibrate the scene to the recording: the fitted repair and processing times;
2. replay the recording into the calibrated scene's twins: the line's state at its end;
3. run the next 8 hours from that state: as the scene says, as the line is, and with OP30 repaired
   as fast as the scene assumed again (a technician on standby), with 95% intervals.

    PYTHONPATH=build/bindings/python /usr/bin/python3 examples/python/calibrate_what_if.py
"""
import pathlib
import subprocess
import sys
import tempfile

import linetwin

SCENE = "scenes/breakdown_line.yaml"


def record_shift(scene: linetwin.Scene, folder: pathlib.Path) -> pathlib.Path:
    """24 hours of `scene`'s telemetry as an HDF5 recording, by the CLI's `run --record`."""
    scene_file = folder / "real_line.yaml"
    scene_file.write_text(scene.to_yaml(), encoding="utf-8")
    recording = folder / "shift.h5"
    subprocess.run([sys.executable, "-m", "linetwin", "run", str(scene_file), "--reps", "1",
                    "--duration", "24h", "--warmup", "0", "--record",
                    str(recording), "-q"], check=True)
    return recording


def main() -> None:
    model = linetwin.load_scene(SCENE)
    real_line = model.with_changes({"OP30.breakdowns.time_to_repair.mean": "5min",
                                    "OP20.processing.mean": "62s"})
    with tempfile.TemporaryDirectory() as folder:
        recording = record_shift(real_line, pathlib.Path(folder))

        calibration = linetwin.calibrate(model, recording)
        calibrated = calibration.scene
        for label, before, after in (
                ("OP30 repair", model["OP30"].breakdowns["time_to_repair"],
                 calibrated["OP30"].breakdowns["time_to_repair"]),
                ("OP20 processing", model["OP20"].processing, calibrated["OP20"].processing)):
            print(f"{label}: the scene says a mean of {before['mean_s']:.1f} s, the recording "
                  f"{after['mean_s']:.1f} s ({after['text']})")

        now = linetwin.replay(calibrated, recording).state
    print(f"the line at the end of the recording: {now}")

    as_is = calibrated.run(start=now, duration="8h", reps=30)
    standby = calibrated.with_changes({"OP30.breakdowns.time_to_repair": {
        "distribution": "lognormal", "mean": "2.5min", "sd": "1min"}})
    fast_repair = standby.run(start=now, duration="8h", reps=30)
    by_model = model.run(start=now, duration="8h", reps=30)
    for label, results in (("the scene as written", by_model), ("calibrated", as_is),
                           ("calibrated, fast repair", fast_repair)):
        t = results.throughput_per_hour
        print(f"next 8 h, {label:<23}: {t.mean:6.2f} parts/h [{t.low:.2f}, {t.high:.2f}]")


if __name__ == "__main__":
    main()
