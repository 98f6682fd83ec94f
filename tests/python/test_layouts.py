"""AutomationML and DTDL from Python (issue 16, "the same from the library and Python"):
linetwin.import_aml gives the scene text and warnings of `linetwin import`, the scene loads and
runs, and bad calls raise InputError with the CLI's message, or TypeError. The layouts are the
AutomationML files in ../shared/data (read in place; those tests are skipped where it is absent).
linetwin.export_scene writes what `linetwin export` writes: AutomationML that import_aml reads back
to a scene that runs to the same results, and DTDL whose twins and relationships are the
elements and links of the scene as the engine loads it."""
import json
import os
import pickle

import pytest

import linetwin
from conftest import SOURCE_DIR, bundled_scenes, run_cli

AML = os.path.join(SOURCE_DIR, "..", "shared", "data", "layout", "aml")
MINIMAL = os.path.join(AML, "example_line_minimal.aml")
PART2 = os.path.join(AML, "Part2.aml")

SCENES = bundled_scenes()

needs_aml = pytest.mark.skipif(not os.path.isdir(AML),
                               reason="needs ../shared/data (AutomationML layouts)")


def cli(*args):
    """`linetwin import ARGS -o -`: (stdout, the warnings it printed)."""
    code, out, err = run_cli("import", *args, "-o", "-")
    assert code == 0, err
    prefix = "linetwin import: warning: "
    warnings = [line[len(prefix):] for line in err.decode().splitlines() if line.startswith(prefix)]
    return out.decode(), warnings


@needs_aml
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


@needs_aml
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


@needs_aml
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


def without_scene_name(results):
    d = results.to_dict()
    d.pop("scene")
    return d


@pytest.mark.parametrize("scene_file", SCENES, ids=os.path.basename)
def test_aml_exported_from_python_imports_back_to_the_same_results(scene_file, tmp_path):
    scene = linetwin.load_scene(scene_file)
    aml = tmp_path / "exported.aml"
    assert linetwin.export_scene(scene, aml) == [str(aml)]
    # The CLI writes the same file, but for the time it was written.
    cli_aml = tmp_path / "cli.aml"
    code, _, err = run_cli("export", scene_file, "--format", "aml", "-o", cli_aml, "-q")
    assert code == 0, err

    def body(path):
        return [line for line in path.read_text().splitlines()
                if "LastWritingDateTime" not in line and "FileName" not in line]
    assert body(aml) == body(cli_aml)
    layout = linetwin.import_aml(aml, scene_directory=tmp_path)
    assert layout.warnings == []
    imported = layout.scene
    assert list(imported) == list(scene)
    assert (without_scene_name(imported.run(reps=2, duration="2h")) ==
            without_scene_name(scene.run(reps=2, duration="2h")))


@pytest.mark.parametrize("scene_file", SCENES, ids=os.path.basename)
def test_dtdl_twins_are_the_elements_and_links_of_the_scene(scene_file, tmp_path):
    scene = linetwin.load_scene(scene_file)
    models = tmp_path / "line.json"
    twins_file = tmp_path / "line.twins.ndjson"
    assert linetwin.export_scene(scene_file, models, format="dtdl") == [str(models),
                                                                        str(twins_file)]
    assert all(m["@id"].startswith("dtmi:linetwin:") for m in json.loads(models.read_text()))
    sections, twins, relationships = [], {}, set()
    for line in twins_file.read_text().splitlines():
        item = json.loads(line)
        if "Section" in item:
            sections.append(item["Section"])
        elif sections[-1] == "Twins":
            twins[item["$dtId"]] = item
        elif sections[-1] == "Relationships":
            relationships.add((item["$dtId"], item["$relationshipName"], item["$targetId"]))
    line = "line:" + scene.name
    assert twins.pop(line)["name"] == scene.name
    assert list(twins) == list(scene)
    for element_id, twin in twins.items():
        assert twin["$metadata"]["$model"] == \
            f"dtmi:linetwin:{scene[element_id].type.capitalize()};1"
    links = {(e, "feedsInto", target) for e in scene for target in scene[e].to}
    assert {r for r in relationships if r[1] == "feedsInto"} == links
    assert {r for r in relationships if r[1] == "contains"} == {(line, "contains", e)
                                                                 for e in scene}
    # The CLI writes the same bytes.
    code, _, err = run_cli("export", scene_file, "--format", "dtdl", "-o", tmp_path / "cli.json",
                           "-q")
    assert code == 0, err
    assert (tmp_path / "cli.json").read_bytes() == models.read_bytes()
    assert (tmp_path / "cli.twins.ndjson").read_bytes() == twins_file.read_bytes()


def test_bad_exports_raise_input_error_or_type_error(tmp_path):
    scene_file = os.path.join(SOURCE_DIR, "scenes", "balanced_line.yaml")
    with pytest.raises(linetwin.InputError, match="expected 'aml' or 'dtdl'"):
        linetwin.export_scene(scene_file, tmp_path / "x.aml", format="step")
    with pytest.raises(linetwin.InputError, match="expected a .json file"):
        linetwin.export_scene(scene_file, tmp_path / "x.aml", format="dtdl")
    bad = tmp_path / "bad.yaml"
    bad.write_text("linetwin_scene: 1\nelements:\n  - {id: a, type: nonsense}\n")
    code, _, err = run_cli("export", bad, "--format", "aml", "-o", tmp_path / "never.aml")
    assert code == 2
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.export_scene(bad, tmp_path / "never.aml")
    assert str(caught.value) in err.decode()
    assert caught.value.file == str(bad) and caught.value.line == 3
    assert not (tmp_path / "never.aml").exists()
    changed = linetwin.load_scene(scene_file).with_changes({"B2.capacity": 16})
    with pytest.raises(linetwin.InputError, match="not the text of a file"):
        linetwin.export_scene(changed, tmp_path / "changed.aml")
    with pytest.raises(TypeError):
        linetwin.export_scene(42, tmp_path / "x.aml")
    with pytest.raises(TypeError):
        linetwin.export_scene(scene_file, 42)
    with pytest.raises(TypeError):
        linetwin.export_scene(scene_file, tmp_path / "x.aml", format=None)
    with pytest.raises(linetwin.InputError, match="cannot write"):
        linetwin.export_scene(scene_file, tmp_path / "no" / "such" / "x.aml")


def test_a_scene_loaded_from_a_file_with_crlf_line_ends_exports(tmp_path):
    # Windows line ends: the file's text is what the loader read, and export_scene takes it.
    with open(os.path.join(SOURCE_DIR, "scenes", "balanced_line.yaml"), encoding="utf-8") as f:
        text = f.read()
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(text.replace("\n", "\r\n").encode())
    scene = linetwin.load_scene(crlf)
    models = tmp_path / "crlf.json"
    assert linetwin.export_scene(scene, models, format="dtdl")[0] == str(models)
    assert json.loads(models.read_text())
