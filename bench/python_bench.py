#!/usr/bin/python3
"""The Python module's own cost (issue 13): `scene.run(reps=N, threads=2)` against `linetwin run
--reps N --threads 2` of the same scene, interleaved (CLI, Python, CLI, Python, ...) so that both
see the same machine, as the median of the per-round ratios; and the cost of a Python callback
on station reports (linetwin.Simulation.on_report), as the time per report added to a run of the
same replication without one.

Usage: PYTHONPATH=build/bindings/python bench/python_bench.py LINETWIN [--rounds K] [--reps N]
                                                               [--smoke]
Prints JSON: the ratio's median and rounds, seconds per run, and nanoseconds per callback.
"""
import argparse
import json
import os
import statistics
import subprocess
import time

import linetwin

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENE = os.path.join(ROOT, "scenes", "balanced_line.yaml")


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("linetwin")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reps", type=int, default=10000)
    parser.add_argument("--smoke", action="store_true", help="one short round: proves it runs")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.reps = 1, 20
    scene = linetwin.load_scene(SCENE)
    cli = [args.linetwin, "run", SCENE, "--reps", str(args.reps), "--threads", "2", "-q"]
    rounds = []
    for _ in range(args.rounds):
        cli_s = timed(lambda: subprocess.run(cli, check=True))
        python_s = timed(lambda: scene.run(reps=args.reps, threads=2))
        rounds.append({"cli_s": cli_s, "python_s": python_s, "ratio": python_s / cli_s})

    # Callbacks: one replication of 8 h observed with and without a Python callback.
    def replication(callback):
        sim = linetwin.Simulation(scene, seed=1, duration="8h", warmup=0)
        if callback:
            sim.on_report(callback)
        sim.run_until(sim.end_time)

    reports = []
    plain_s = statistics.median(timed(lambda: replication(None)) for _ in range(args.rounds))
    with_s = statistics.median(
        timed(lambda: (reports.clear(), replication(reports.append))) for _ in range(args.rounds))
    print(json.dumps({
        "scene": "scenes/balanced_line.yaml", "reps": args.reps, "threads": 2,
        "ratio_median": statistics.median(r["ratio"] for r in rounds), "rounds": rounds,
        "callback_reports": len(reports),
        "callback_ns_per_report": (with_s - plain_s) / max(len(reports), 1) * 1e9,
    }, indent=2))


if __name__ == "__main__":
    main()
