"""run() releases the GIL: another Python thread runs while the replications do."""
import threading
import time

import linetwin

BALANCED = "scenes/balanced_line.yaml"
RUN = {"reps": 1000, "duration": "24h", "threads": 1}  # one core left for this thread


def test_a_python_thread_runs_during_run():
    scene = linetwin.load_scene(BALANCED)
    started = time.monotonic()
    scene.run(**RUN)
    alone_s = time.monotonic() - started
    assert alone_s > 0.2, "the run is too short to tell"

    worker = threading.Thread(target=scene.run, kwargs=RUN)
    # Ticks from before the start: the thread that starts the worker may stall in start().
    ticks = [time.monotonic()]
    worker.start()
    while worker.is_alive():
        ticks.append(time.monotonic())
    worker.join()
    ticks.append(time.monotonic())  # a stall that lasted to the run's end counts too
    # With the GIL held, this thread would stand still for the whole simulation: one gap as long
    # as the run alone. Released, the gaps are the interpreter's switch interval (5 ms) and the
    # scheduler's.
    longest_gap_s = max(b - a for a, b in zip(ticks, ticks[1:]))
    assert longest_gap_s < alone_s / 4, (longest_gap_s, alone_s)
