#!/usr/bin/python3
"""Prints the median wall time of each benchmark in one Google Benchmark JSON report on stdin.

Usage: PROGRAM --benchmark_format=json ... | /usr/bin/python3 bench/medians.py [NAME ...]

One line per benchmark, in the report's order: its name (the run name without Google Benchmark's
own parts, e.g. "BM_Hold_EventCalendar/pending:1000") and its median real time in the report's
unit. A benchmark run with repetitions gives its "median" aggregate; one run without repetitions
gives its only time; a run that failed gives none. With NAMEs, only those, in the order given: a
NAME is a benchmark's name, or its family (the part before the first '/') where the report has
one benchmark of that family; it fails when a NAME has no timing or several. Standard library
only (Debian's /usr/bin/python3), for bench/compare_builds.sh and bench/line_ratio.sh.
"""

import json
import sys


# Google Benchmark's own parts of a run name (how it was run, not which benchmark it is).
RUN_SUFFIXES = ("iterations:", "repeats:", "min_time:", "real_time", "manual_time", "threads:")


def benchmark_name(run_name):
    """"BM_Hold/pending:1000/repeats:5/real_time" -> "BM_Hold/pending:1000"."""
    parts = run_name.split("/")
    return "/".join([parts[0]] + [p for p in parts[1:] if not p.startswith(RUN_SUFFIXES)])


def medians(report):
    """{benchmark name: median real time}, in the report's order; failed runs are left out."""
    found = {}
    for b in report.get("benchmarks", []):
        if b.get("error_occurred"):
            continue
        name = benchmark_name(b["run_name"])
        if b.get("aggregate_name") == "median":
            found.setdefault(name, b["real_time"])
        elif b.get("run_type") == "iteration" and b.get("repetitions", 1) <= 1:
            found.setdefault(name, b["real_time"])
    return found


def family(name):
    return name.split("/")[0]


def main(argv):
    try:
        found = medians(json.load(sys.stdin))
    except json.JSONDecodeError:
        sys.exit("medians.py: no JSON report on stdin (the benchmark program's message says why)")
    if len(argv) == 1:
        names = list(found)
    else:  # a NAME is a whole benchmark name, or a family when that family has one benchmark
        names = []
        for wanted in argv[1:]:
            matches = [n for n in found if n == wanted] or [n for n in found if family(n) == wanted]
            if len(matches) != 1:
                sys.exit(f"medians.py: {len(matches) or 'no'} timings for {wanted} in the report"
                         + (f" ({', '.join(matches)}): name one" if matches else
                            " (a benchmark that failed, or a filter that left it out)"))
            names += matches
    if not names:
        sys.exit("medians.py: no timing in the report (every benchmark failed or none ran)")
    for name in names:
        print(name, found[name])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
