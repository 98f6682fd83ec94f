"""A buffer-size study from Python: B2 of the line with breakdowns at 4 to 16 places, each run
with 20 replications on the same seed, throughput with its 95% interval, as a pandas table.

    PYTHONPATH=build/bindings/python /usr/bin/python3 examples/python/buffer_study.py
"""
import sys

import pandas

import linetwin

scene = linetwin.load_scene(sys.argv[1] if len(sys.argv) > 1 else "scenes/breakdown_line.yaml")
rows = []
for capacity in (4, 8, 12, 16):
    results = scene.with_changes({"B2.capacity": capacity}).run(reps=20, duration="8h")
    throughput = results.throughput_per_hour
    rows.append({"B2 capacity": capacity, "throughput [parts/h]": throughput.mean,
                 "low": throughput.low, "high": throughput.high,
                 "bottleneck": results.bottleneck})
table = pandas.DataFrame(rows).set_index("B2 capacity")
print(table.round(2).to_string())
