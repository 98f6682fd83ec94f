"""Runs one pytest file of the Python module's tests for CTest: exit 77 (reported skipped) where
this Python lacks pytest, numpy, pandas or PyYAML (Debian's python3-pytest, python3-numpy,
python3-pandas, python3-yaml), or where pytest skipped a test (a package one test needs, such as
mypy or distributed, is missing); else pytest's own exit status."""
import importlib.util
import sys

missing = [m for m in ("pytest", "numpy", "pandas", "yaml") if importlib.util.find_spec(m) is None]
if missing and __name__ == "__main__":
    print(f"skipped: {sys.executable} lacks {', '.join(missing)}")
    sys.exit(77)

import pytest  # noqa: E402


class Skips:
    """Counts the tests pytest skipped (importorskip: mypy, h5py, distributed missing), so that
    CTest reports the file skipped rather than passed."""

    def __init__(self):
        self.names = []

    def pytest_runtest_logreport(self, report):
        if report.skipped:
            self.names.append(report.nodeid)


# Only when run as the script: a process that Dask's workers spawn imports this file again as
# their __main__, and must not run the suite again.
if __name__ == "__main__":
    skips = Skips()
    code = pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[1:]], plugins=[skips])
    if code == 0 and skips.names:
        print(f"skipped: {', '.join(skips.names)}")
        sys.exit(77)
    sys.exit(code)
