"""run() releases the GIL: another Python thread runs while the replications do."""
import threading
import time

import linetwin

BALANCED = "scenes/balanced_line.yaml"


def test_a_python_thread_runs_during_run():
    scene = linetwin.load_scene(BALANCED)
    window = {}

    def work():
        window["start"] = time.monotonic()
        scene.run(reps=1000, duration="24h", threads=2)
        window["end"] = time.monotonic()

    worker = threading.Thread(target=work)
    ticks = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.monotonic())
    worker.join()
    start, end = window["start"], window["end"]
    # Held GIL: this thread would stall for the whole run, apart from moments at its ends.
    middle = [t for t in ticks if start + 0.25 * (end - start) < t < end - 0.25 * (end - start)]
    assert end - start > 0.2, "the run is too short to tell"
    assert len(middle) > 1000, (len(middle), end - start)
