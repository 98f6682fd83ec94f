"""The checked-in type stubs (bindings/python/linetwin/*.pyi) agree with the module as built:
mypy's stubtest, with the allowlist of what it cannot check in a pybind11 module (issue 13,
"Typing and help"); and help() shows the signatures and the units."""
import os
import pathlib
import pydoc
import shutil
import subprocess
import sys

import pytest

import linetwin

SOURCE = pathlib.Path(os.environ.get("LINETWIN_SOURCE_DIR", pathlib.Path(__file__).parents[2]))
BINDINGS = SOURCE / "bindings" / "python"


def test_stubtest_accepts_the_stubs(tmp_path):
    pytest.importorskip("mypy")
    # The package as built, with the stubs of the source tree beside it.
    package = tmp_path / "linetwin"
    shutil.copytree(pathlib.Path(linetwin.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    stubs = sorted((BINDINGS / "linetwin").glob("*.pyi"))
    assert stubs, "no stubs checked in"
    for stub in stubs:
        shutil.copy(stub, package / stub.name)
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "--allowlist",
         str(BINDINGS / "stubtest-allowlist.txt")] + [f"linetwin.{s.stem}" for s in stubs],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)}, capture_output=True,
        text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_help_shows_signatures_and_units():
    text = pydoc.render_doc(linetwin.Simulation, renderer=pydoc.plaintext)
    assert "run_until(self, time_s: float) -> None" in text
    assert "seconds" in text
    run = pydoc.render_doc(linetwin.Scene.run, renderer=pydoc.plaintext)
    assert "reps" in run and "duration" in run and "8h" in run
