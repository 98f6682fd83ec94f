"""Ctrl-C during run(): SIGINT half a second into a long run raises KeyboardInterrupt within a
second, with the run's worker threads stopped, and the interpreter goes on (issue 13: "The GIL
and Ctrl-C"). The run is long enough (minutes) that only the interrupt can end it this soon."""
import time

import pytest

import linetwin
from conftest import sigint_after, threads_of_this_process

LONG = {"reps": 2000, "duration": "30d", "threads": 2}


def test_ctrl_c_stops_a_long_run_within_a_second():
    scene = linetwin.load_scene("scenes/breakdown_line.yaml")
    before = threads_of_this_process()
    with sigint_after(0.5) as sent, pytest.raises(KeyboardInterrupt):
        scene.run(**LONG)
    raised_at = time.monotonic()
    assert "at" in sent, "the run ended before the interrupt was sent"
    assert raised_at - sent["at"] < 1.0, raised_at - sent["at"]
    # The run's threads are gone (the timer's has ended too).
    assert threads_of_this_process() == before
    # The interpreter goes on, and so does the module.
    assert scene.run(reps=2, duration="1h").to_dict()["replications"] == 2
