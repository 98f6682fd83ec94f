"""AutomationML from Python (issue 16, "the same from the library and Python"): linetwin.import_aml
gives the scene text and warnings of `linetwin import`, the scene loads and runs, and bad calls
raise InputError with the CLI's message, or TypeError. The layouts are the AutomationML files in
../shared/data (read in place; skipped where it is absent)."""
import os
import pickle

import pytest

import linetwin
from conftest import SOURCE_DIR, run_cli

AML = os.path.join(SOURCE_DIR, "..", "shared", "data", "layout", "aml")
MINIMAL = os.path.join(AML, "example_line_minimal.aml")
PART2 = os.path.join(AML, "Part2.aml")

pytestmark = pytest.mark.skipif(not os.path.isdir(AML),
                                reason="needs ../shared/data (AutomationML layouts)")


def cli(*args):
    """`linetwin import ARGS -o -`: (stdout, the warnings it printed)."""
    code, out, err = run_cli("import", *args, "-o", "-")
    assert code == 0, err
    prefix = "linetwin import: warning: "
    warnings = [line[len(prefix):] for line in err.decode().splitlines() if line.startswith(prefix)]
    return out.decode(), warnings


def test_the_minimal_line_imports_as_the_cli_and_runs():
    layout = linetwin.import_aml(MINIMAL)
    text, warnings = cli(MINIMAL)
    assert layout.to_yaml() == text
    assert layout.warnings == warnings
    scene = layout.scene
    assert [e["id"] for e in layout.elements] == list(scene)
    assert {(link["from"], link["to"]) for link in layout.links} <= {
        (e, target) for e in scene for target in scene[e].to}
    assert scene.run(reps=3, duration="1h").throughput_per_hour.mean > 0
    assert pickle.loads(pickle.dumps(layout)).to_yaml() == text


def test_a_layout_without_flow_imports_with_layout_only():
    layout = linetwin.import_aml(PART2, layout_only=True)
    text, warnings = cli(PART2, "--layout-only")
    assert layout.to_yaml() == text
    assert layout.warnings == warnings
    assert len(layout.elements) > 0
    # Without --layout-only the CLI refuses it, and so does Python, with its message.
    code, _, err = run_cli("import", PART2, "-o", "-")
    assert code == 2
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.import_aml(PART2)
    assert str(caught.value) in err.decode()
    assert "no flow runs from a source to a sink" in str(caught.value)
    assert caught.value.file.endswith("Part2.aml")


def test_bad_calls_raise_the_cli_s_errors(tmp_path):
    missing = tmp_path / "missing.aml"
    code, _, err = run_cli("import", missing, "-o", "-")
    assert code == 2
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.import_aml(missing)
    assert str(caught.value) in err.decode()

    broken = tmp_path / "broken.aml"
    broken.write_text("<CAEXFile SchemaVersion='3.0'><InstanceHierarchy", encoding="utf-8")
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.import_aml(broken)
    assert caught.value.file == str(broken) and caught.value.line == 1

    with pytest.raises(linetwin.InputError):
        linetwin.import_aml(MINIMAL, role_map=tmp_path / "no_such_map.yaml")
    with pytest.raises(TypeError):
        linetwin.import_aml(42)
    with pytest.raises(TypeError):
        linetwin.import_aml(MINIMAL, layout_only="yes")
    # The interpreter goes on.
    assert linetwin.import_aml(MINIMAL).elements
