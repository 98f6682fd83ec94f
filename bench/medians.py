#!/usr/bin/python3
"""Prints the median wall time of each benchmark in one Google Benchmark JSON report on stdin.

Usage: PROGRAM --benchmark_format=json ... | /usr/bin/python3 bench/medians.py [NAME ...]

One line per benchmark, in the report's order: its name (the run name up to the first '/') and
its median real time in the report's unit. A benchmark run with repetitions gives its "median"
aggregate; one run without repetitions gives its only time. With NAMEs, only those, in the order
given, and it fails when one is missing. Standard library only (Debian's /usr/bin/python3), for
bench/compare_builds.sh and bench/line_ratio.sh.
"""

import json
import sys


def medians(report):
    found = {}
    for b in report.get("benchmarks", []):
        name = b["run_name"].split("/")[0]
        if b.get("aggregate_name") == "median":
            found[name] = b["real_time"]
        elif b.get("run_type") == "iteration" and b.get("repetitions", 1) <= 1:
            found.setdefault(name, b["real_time"])
    return found


def main(argv):
    try:
        found = medians(json.load(sys.stdin))
    except json.JSONDecodeError:
        sys.exit("medians.py: no JSON report on stdin (the benchmark program's message says why)")
    names = argv[1:] or list(found)
    missing = [n for n in names if n not in found]
    if missing or not names:
        sys.exit(f"medians.py: no timing for {', '.join(missing) or 'any benchmark'} in the report")
    for name in names:
        print(name, found[name])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
