"""What the Python module's tests share: the CLI they compare with ($LINETWIN_CLI), the source
tree ($LINETWIN_SOURCE_DIR, the working folder of every run so that scene paths read alike in
both), and a way to run the CLI."""
import os
import subprocess
import sys

import pytest

SOURCE_DIR = os.environ.get("LINETWIN_SOURCE_DIR",
                            os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ.get("LINETWIN_CLI", os.path.join(SOURCE_DIR, "build", "bin", "linetwin"))


@pytest.fixture(autouse=True)
def in_source_dir(monkeypatch):
    monkeypatch.chdir(SOURCE_DIR)


def run_cli(*args, python_module=False):
    """The CLI (or `python3 -m linetwin`) with `args`: (exit status, stdout bytes, stderr bytes)."""
    command = [sys.executable, "-m", "linetwin"] if python_module else [CLI]
    done = subprocess.run(command + [str(a) for a in args], cwd=SOURCE_DIR,
                          capture_output=True, check=False)
    return done.returncode, done.stdout, done.stderr
