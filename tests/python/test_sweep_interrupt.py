"""Ctrl-C in a sweep: SIGINT half a second into a long local sweep raises KeyboardInterrupt within
a second, with its worker threads stopped and the process's standard error and folder given back;
`python3 -m linetwin sweep` (and `run`) as a program dies of SIGINT as the `linetwin` program does
(issue 13: "The GIL and Ctrl-C"). The work is long enough (minutes) that only the interrupt ends
it soon."""
import os
import signal
import subprocess
import sys
import time

import pytest

import linetwin
from conftest import CLI, SOURCE_DIR, sigint_after, threads_of_this_process

SCENARIO = "examples/buffer_allocation.scenario.yaml"
LONG = ["--reps", "2000", "--duration", "30d", "--threads", "2"]
REPLICATION_THREAD = b"linetwin-rep\n"  # kReplicationThreadName, as /proc shows it


def wait_for_replication_threads(process, limit_s=60.0):
    """True once `process` runs a replication thread; False if it ends or `limit_s` passes."""
    deadline = time.monotonic() + limit_s
    tasks = f"/proc/{process.pid}/task"
    while time.monotonic() < deadline and process.poll() is None:
        for task in os.listdir(tasks):
            try:
                with open(f"{tasks}/{task}/comm", "rb") as comm:
                    if comm.read() == REPLICATION_THREAD:
                        return True
            except FileNotFoundError:  # the thread has ended meanwhile
                pass
        time.sleep(0.01)
    return False


def test_ctrl_c_stops_a_long_local_sweep_within_a_second():
    before = threads_of_this_process()
    folder = os.getcwd()
    stderr = os.fstat(2)
    with sigint_after(0.5) as sent, pytest.raises(KeyboardInterrupt):
        linetwin.sweep(SCENARIO, reps=2000, duration="30d", threads=2)
    raised_at = time.monotonic()
    assert "at" in sent, "the sweep ended before the interrupt was sent"
    assert raised_at - sent["at"] < 1.0, raised_at - sent["at"]
    assert threads_of_this_process() == before
    # The sweep had moved standard error into a file and may have changed folder: both are back.
    assert os.getcwd() == folder
    assert (os.fstat(2).st_dev, os.fstat(2).st_ino) == (stderr.st_dev, stderr.st_ino)
    # The interpreter goes on, and so does the module.
    assert linetwin.sweep(SCENARIO, reps=2, duration="1h").variants[0] == "baseline"


@pytest.mark.parametrize("program", ["linetwin", "python3 -m linetwin"])
@pytest.mark.parametrize("work", [["sweep", SCENARIO], ["run", "scenes/breakdown_line.yaml"]])
def test_ctrl_c_kills_the_program_as_the_cli(program, work):
    command = [CLI] if program == "linetwin" else [sys.executable, "-m", "linetwin"]
    process = subprocess.Popen(command + [*work, *LONG, "-q"], cwd=SOURCE_DIR,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Once it is at work: its replication threads run (a machine under load may take longer than
    # half a second to get there, and Python's start-up answers Ctrl-C with a traceback).
    at_work = wait_for_replication_threads(process)
    assert process.returncode is None, "the work ended before the interrupt was sent"
    assert at_work, "no replication thread started within a minute"
    sent_at = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert time.monotonic() - sent_at < 1.0
    # Killed by the signal (a shell's status 130), having written nothing: no traceback.
    assert process.returncode == -signal.SIGINT, (process.returncode, err)
    assert out == b"" and err == b""
