"""`python3 -m linetwin ARGS` is `linetwin ARGS`, byte for byte: standard output, standard error
and exit status, for runs, a sweep, help and bad input."""
import pytest

from conftest import run_cli

CASES = [
    ["run", "scenes/balanced_line.yaml", "--reps", "3", "--duration", "1h", "--json", "-"],
    ["run", "scenes/final_assembly.yaml", "--reps", "2", "--duration", "2h", "--csv", "-"],
    ["run", "scenes/breakdown_line.yaml", "--reps", "2", "--duration", "1h"],  # the table
    ["sweep", "examples/b2_doubled.scenario.yaml", "--reps", "3", "--duration", "1h", "--json",
     "-"],
    ["run", "--help"],
    ["--version"],
    ["run", "scenes/no_such_scene.yaml"],  # exit 2, the message on stderr
    ["run", "scenes/balanced_line.yaml", "--duration", "8x"],
    ["run", "scenes/balanced_line.yaml", "--reps", "-1"],
    ["frobnicate"],
]


@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a))
def test_python_m_linetwin_is_the_cli(args):
    expected = run_cli(*args)
    assert run_cli(*args, python_module=True) == expected


def test_the_cases_cover_success_and_bad_input():
    statuses = {run_cli(*args)[0] for args in CASES}
    assert statuses == {0, 2}


def test_output_keeps_its_order_with_python_s():
    # What Python printed before is flushed first; the CLI writes to the process's own streams.
    import subprocess
    import sys
    script = ("import sys; from linetwin.__main__ import main; print('before'); "
              "sys.argv = ['linetwin', '--version']; code = main(); print('after', code)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True)
    version = run_cli("--version")[1]
    assert done.stdout == b"before\n" + version + b"after 0\n"
