"""Runs one pytest file of the Python module's tests for CTest: exit 77 (reported skipped) where
this Python lacks pytest, numpy, pandas or PyYAML (Debian's python3-pytest, python3-numpy,
python3-pandas, python3-yaml); else pytest's own exit status."""
import importlib.util
import sys

missing = [m for m in ("pytest", "numpy", "pandas", "yaml") if importlib.util.find_spec(m) is None]
if missing:
    print(f"skipped: {sys.executable} lacks {', '.join(missing)}")
    sys.exit(77)

import pytest  # noqa: E402

sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[1:]]))
