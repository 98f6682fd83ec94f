"""What the Python module's tests share: the CLI they compare with ($LINETWIN_CLI), the source
tree ($LINETWIN_SOURCE_DIR, the working folder of every run so that scene paths read alike in
both), a way to run the CLI, and the means of the Ctrl-C tests."""
import contextlib
import glob
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

SOURCE_DIR = os.environ.get("LINETWIN_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("LINETWIN_CLI", os.path.join(SOURCE_DIR, "build", "bin", "linetwin"))
# Whether the module (and CLI) simulate physics conveyors: CTest sets it from LINETWIN_PHYSICS.
WITH_PHYSICS = os.environ.get("LINETWIN_PHYSICS") == "1"


def bundled_scenes():
    """The bundled scenes (scenes/*.yaml, absolute paths, sorted) that this build runs: a build
    without the physics layer refuses those with a `mode: physics` conveyor, which
    test_physics_conveyor.py checks."""
    paths = sorted(glob.glob(os.path.join(SOURCE_DIR, "scenes", "*.yaml")))
    if WITH_PHYSICS:
        return paths
    return [p for p in paths if "mode: physics" not in open(p, encoding="utf-8").read()]


@pytest.fixture(autouse=True)
def in_source_dir(monkeypatch):
    monkeypatch.chdir(SOURCE_DIR)


def run_cli(*args, python_module=False):
    """The CLI (or `python3 -m linetwin`) with `args`: (exit status, stdout bytes, stderr bytes)."""
    command = [sys.executable, "-m", "linetwin"] if python_module else [CLI]
    done = subprocess.run(command + [str(a) for a in args], cwd=SOURCE_DIR,
                          capture_output=True, check=False)
    return done.returncode, done.stdout, done.stderr


def threads_of_this_process():
    return len(os.listdir("/proc/self/task"))


@contextlib.contextmanager
def sigint_after(seconds):
    """Sends this process SIGINT `seconds` from now, as Ctrl-C does; yields a dict that holds
    under "at" the time.monotonic() it was sent, once it was."""
    sent = {}

    def interrupt():
        sent["at"] = time.monotonic()
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(seconds, interrupt)
    timer.start()
    try:
        yield sent
    finally:
        timer.cancel()
        timer.join()
