#!/usr/bin/python3
"""Prints the medians and ratios of linetwin's benchmark runs from Google Benchmark JSON files.

Usage: /usr/bin/python3 bench/summarize.py RESULT.json [RESULT.json ...]

Reads the median aggregates that the benchmarks report (they run with repetitions), and computes
every ratio from medians of the same run, so that a ratio never mixes two states of a noisy
machine more than it must. Standard library only: it runs with Debian's /usr/bin/python3.

Targets (docs/performance.md): the event calendar does at least half the HOLD operations per
second of std::priority_queue, and a linetwin run of the serial line takes at most 1.25 times the
hand-written loop's time (issue 11; 1.5 before it).
"""

import json
import sys

CALENDAR_TARGET = 0.5  # EventCalendar rate / priority_queue rate, at least
CALENDAR_TARGET_SIZES = ("1000", "100000")  # the classic HOLD sizes; 10 is for reference
LINE_TARGET = 1.25  # linetwin time / hand-written time, at most (issue 11; 1.5 before)


def load_medians(paths):
    """Returns ({(family, argument): median aggregate}, [context of each file])."""
    medians = {}
    contexts = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        contexts.append(data.get("context", {}))
        for b in data.get("benchmarks", []):
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
                continue
            # "BM_Hold_EventCalendar/pending:1000/repeats:5/real_time" -> family, "1000"
            parts = b["run_name"].split("/")
            argument = next((p.split(":", 1)[1] for p in parts[1:] if ":" in p
                             and not p.startswith(("repeats", "iterations"))), "")
            medians[(parts[0], argument)] = b
    return medians, contexts


def si(value):
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:.2f} {suffix}"
    return f"{value:.2f}"


def verdict(ok):
    return "met" if ok else "MISSED"


def print_context(contexts):
    if not contexts:
        return
    c = contexts[0]
    load = ", ".join(f"{x:.2f}" for x in c.get("load_avg", []))
    print(f"{c.get('date', '?')}  {c.get('num_cpus', '?')} CPUs at {c.get('mhz_per_cpu', '?')} MHz,"
          f" load average {load or '?'}")
    print("Medians over repetitions; ratios of medians from the same run.\n")


def print_hold(medians):
    families = [("BM_Hold_EventCalendar", "EventCalendar"),
                ("BM_Hold_SimulationKernel", "SimulationKernel::run"),
                ("BM_Hold_PriorityQueue", "std::priority_queue")]
    sizes = sorted({arg for (family, arg) in medians if family == families[0][0]}, key=int)
    if not sizes:
        return True
    print("HOLD model: pop the earliest event, schedule one at its time + Exp(1); events/s")
    header = f"{'pending':>9}" + "".join(f"{label:>23}" for _, label in families)
    print(header + f"{'calendar/pq':>13}{'kernel/pq':>11}  target >= {CALENDAR_TARGET}")
    all_ok = True
    for n in sizes:
        rates = [medians.get((family, n), {}).get("events_per_s") for family, _ in families]
        row = f"{n:>9}" + "".join(f"{si(r) if r else '-':>23}" for r in rates)
        if rates[0] and rates[2]:
            calendar_ratio = rates[0] / rates[2]
            kernel_ratio = rates[1] / rates[2] if rates[1] else float("nan")
            row += f"{calendar_ratio:>13.2f}{kernel_ratio:>11.2f}  "
            if n in CALENDAR_TARGET_SIZES:
                ok = calendar_ratio >= CALENDAR_TARGET
                all_ok = all_ok and ok
                row += verdict(ok)
            else:
                row += "(no target)"
        print(row)
    print()
    return all_ok


def print_serial_line(medians):
    rows = [("BM_SerialLine_linetwin", "linetwin"),
            ("BM_SerialLine_HandWritten", "hand-written loop")]
    found = {label: b for family, label in rows
             for (f, _), b in medians.items() if f == family}
    if not found:
        return True
    sim_s = next(arg for (f, arg) in medians if f == rows[0][0]) if "linetwin" in found else "?"
    print(f"Serial line: 10 stations, buffers of 5, breakdowns, {sim_s} simulated seconds; per run")
    print(f"{'':<19}{'wall ms':>9}{'CPU ms':>9}{'parts/wall s':>14}{'sim s/wall s':>14}"
          f"{'events/wall s':>15}{'parts/sim s':>13}{'parts':>9}{'events':>10}")
    for _, label in rows:
        b = found.get(label)
        if b is None:
            continue
        print(f"{label:<19}{b['real_time']:>9.1f}{b['cpu_time']:>9.1f}{si(b['parts_per_s']):>14}"
              f"{si(b['sim_s_per_s']):>14}{si(b['events_per_s']):>15}{b['throughput']:>13.4f}"
              f"{int(b['parts']):>9}{int(b['events']):>10}")
    ok = True
    if len(found) == 2:
        mine, theirs = found["linetwin"], found["hand-written loop"]
        wall = mine["real_time"] / theirs["real_time"]
        cpu = mine["cpu_time"] / theirs["cpu_time"]
        ok = wall <= LINE_TARGET
        print(f"linetwin / hand-written time: {wall:.3f} wall, {cpu:.3f} CPU"
              f"  (target <= {LINE_TARGET}: {verdict(ok)})")
        if mine["parts"] != theirs["parts"]:
            print(f"note: the two completed different numbers of parts"
                  f" ({int(mine['parts'])} vs {int(theirs['parts'])}); they should agree closely")
    print()
    return ok


DECODE_TARGET = 1e6  # samples/s on one core for batched messages, decode + apply (issue 4)


def print_telemetry_decode(medians):
    shapes = ("Single", "Batch100", "OpcUa")
    kinds = (("Ceiling", "simdjson ceiling"), ("Decode", "decode"), ("DecodeApply", "decode+apply"))
    if not any((f"BM_Decode_{s}", "") in medians for s in shapes):
        return True
    print("Telemetry decoding, 3,000 machines: samples per CPU second (one core)")
    print(f"{'shape':<10}" + "".join(f"{label:>18}" for _, label in kinds)
          + f"{'decode/ceiling':>16}{'apply/ceiling':>15}")
    ok = True
    for shape in shapes:
        rates = [medians.get((f"BM_{kind}_{shape}", ""), {}).get("samples_per_s")
                 for kind, _ in kinds]
        row = f"{shape:<10}" + "".join(f"{si(r) if r else '-':>18}" for r in rates)
        if rates[0]:
            row += "".join(f"{r / rates[0]:>16.2f}" if r else f"{'-':>16}" for r in rates[1:2])
            row += "".join(f"{r / rates[0]:>15.2f}" if r else f"{'-':>15}" for r in rates[2:3])
        if shape == "Batch100" and rates[2]:
            met = rates[2] >= DECODE_TARGET
            ok = ok and met
            row += f"  (target >= 1 M/s: {verdict(met)})"
        print(row)
    print()
    return ok


SWEEP_SCALING_TARGET = 1.8  # sweep on 2 threads / on 1 thread, replications per second, at least
SWEEP_OVERHEAD_TARGET = 1.05  # 1-thread sweep time / the same runs in a plain loop, at most


def print_sweep(medians):
    direct = medians.get(("BM_Direct", ""))
    one = medians.get(("BM_Sweep", "1"))
    two = medians.get(("BM_Sweep", "2"))
    if not (direct and one and two):
        return True
    print("Sweep: 1,000 replications of 8 h of a 20-station line with breakdowns")
    print(f"{'':<22}{'wall s':>9}{'replications/s':>16}")
    for label, b in (("direct loop", direct), ("sweep, 1 thread", one), ("sweep, 2 threads", two)):
        print(f"{label:<22}{b['real_time'] / 1000:>9.3f}{b['replications_per_s']:>16.1f}")
    scaling = two["replications_per_s"] / one["replications_per_s"]
    overhead = one["real_time"] / direct["real_time"]
    scaling_ok = scaling >= SWEEP_SCALING_TARGET
    overhead_ok = overhead <= SWEEP_OVERHEAD_TARGET
    print(f"scaling 2 / 1 threads: {scaling:.2f} (target >= {SWEEP_SCALING_TARGET}:"
          f" {verdict(scaling_ok)}); sweep / direct on 1 thread: {overhead:.3f}"
          f" (target <= {SWEEP_OVERHEAD_TARGET}: {verdict(overhead_ok)})")
    print()
    return scaling_ok and overhead_ok


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    medians, contexts = load_medians(argv[1:])
    print_context(contexts)
    print_hold(medians)
    print_serial_line(medians)
    print_telemetry_decode(medians)
    print_sweep(medians)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
