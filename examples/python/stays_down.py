"""What if OP30 stays down for the next two hours? A replication of the line with breakdowns is
run to 6 h, then event by event until OP30 is producing; there it is forked: in the fork OP30
breaks down for two hours, the original goes on as it would. Both run to 8 h, and the parts each
ships from the fork on are compared.

    PYTHONPATH=build/bindings/python /usr/bin/python3 examples/python/stays_down.py
"""
import sys

import linetwin

scene = linetwin.load_scene(sys.argv[1] if len(sys.argv) > 1 else "scenes/breakdown_line.yaml")
hour = 3600.0
with linetwin.Simulation(scene, seed=7, duration="8h", warmup=0) as line:
    line.run_until(6 * hour)
    while line.station_state("OP30") != "producing":
        line.step()
    forked_at = line.now
    shipped_before = line.results().to_dict()["kpis"]["throughput_per_hour"]["mean"] * forked_at / hour
    what_if = line.fork()
    what_if.fail_station("OP30", repair="2h")
    changes = []
    what_if.on_report(lambda r: changes.append(r) if r.station == "OP30" else None)
    line.run_until(8 * hour)
    what_if.run_until(8 * hour)
    as_is = line.results().to_dict()["kpis"]["throughput_per_hour"]["mean"] * 8 - shipped_before
    down = what_if.results().to_dict()["kpis"]["throughput_per_hour"]["mean"] * 8 - shipped_before
    print(f"forked at {forked_at / hour:.3f} h; parts shipped from then to 8 h: {as_is:.0f} as "
          f"it goes, {down:.0f} with OP30 down")
    print(f"OP30 sent {len(changes)} report(s) in the fork; the line now: "
          f"OP30 {what_if.station_state('OP30')}, B2 holds {what_if.parts_at('B2')} parts")
