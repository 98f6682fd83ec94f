"""Bad calls raise InputError (a ValueError) with the CLI's message and where it lies (file, line,
column, field), or TypeError for an argument of the wrong type; nothing aborts, and the module
works as before afterwards."""
import json
import os

import pytest

import linetwin
from conftest import SOURCE_DIR, run_cli

BALANCED = "scenes/balanced_line.yaml"


def cli_error(*args):
    """The CLI's stderr for bad input, which must exit 2."""
    status, out, err = run_cli(*args)
    assert status == 2, (out, err)
    return err.decode()


def scene_text(changes):
    """balanced_line.yaml with (old line, new line) pairs replaced."""
    with open(os.path.join(SOURCE_DIR, BALANCED), encoding="utf-8") as f:
        text = f.read()
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return text


def line_of(text, needle):
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_missing_file():
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.load_scene("scenes/no_such_scene.yaml")
    assert isinstance(caught.value, ValueError)
    assert caught.value.file == "scenes/no_such_scene.yaml"
    assert cli_error("run", "scenes/no_such_scene.yaml") == f"linetwin: error: {caught.value}\n"


@pytest.mark.parametrize("old,new,field", [
    # A value out of its domain, a misspelt key, a YAML syntax error.
    ("processing: {distribution: gamma, shape: 4, mean: 60s}\n    to: B2",
     "processing: {distribution: gamma, shape: 4, mean: 60x}\n    to: B2",
     "elements[OP20].processing.mean"),
    ("{id: B2, type: buffer, capacity: 3,", "{id: B2, type: buffer, capcity: 3,",
     "elements[B2].capcity"),
    ("{id: B2, type: buffer, capacity: 3,", "{id: B2, type: buffer, capacity: [3,", ""),
])
def test_bad_scene_file_names_line_and_field(tmp_path, old, new, field):
    text = scene_text([(old, new)])
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.load_scene(path)
    e = caught.value
    assert e.file == str(path) and e.line == line_of(text, new.splitlines()[0])
    assert e.column > 0 and (e.field == field or not field)
    assert cli_error("run", path) == f"linetwin: error: {e}\n"


def test_bad_dict_names_its_line_in_the_json_text():
    import yaml
    with open(os.path.join(SOURCE_DIR, BALANCED), encoding="utf-8") as f:
        scene = yaml.safe_load(f)
    scene["elements"][4]["capacity"] = -3  # B2
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.Scene.from_dict(scene)
    e = caught.value
    text = json.dumps(scene, indent=2)
    assert e.file == "<dict>" and e.field == "elements[B2].capacity"
    assert e.line == line_of(text, '"capacity": -3')
    assert str(e).startswith(f"<dict>:{e.line}:{e.column}: field 'elements[B2].capacity': ")


def test_unknown_id_is_a_key_error_naming_the_ids():
    scene = linetwin.load_scene(BALANCED)
    with pytest.raises(KeyError) as caught:
        scene["OP99"]
    assert "OP99" in str(caught.value) and "OP10, B1, OP20" in str(caught.value)


def sweep_error(tmp_path, changes):
    scenario = tmp_path / "bad.scenario.yaml"
    scenario.write_text(json.dumps({
        "linetwin_scenario": 1, "name": "bad", "base": os.path.join(SOURCE_DIR, BALANCED),
        "variants": [{"name": "bad", "set": changes}]}))
    return cli_error("sweep", scenario, "--reps", "2")


@pytest.mark.parametrize("changes", [
    {"OP99.capacity": 4},           # unknown element
    {"B2.capcity": 4},              # unknown field
    {"B2.capacity": "four"},        # a value of the wrong type
    {"B2.capacity": -1},            # out of range
    {"OP20.processing.mean": "60x"},
    {"seed": 5},                    # not a variant's to change
])
def test_bad_change_has_the_sweep_s_message(tmp_path, changes):
    scene = linetwin.load_scene(BALANCED)
    with pytest.raises(linetwin.InputError) as caught:
        scene.with_changes(changes)
    (path,) = changes
    e = caught.value
    assert e.field == path and str(e) == f"field '{path}': {e.message}"
    assert e.message in sweep_error(tmp_path, changes)
    assert scene["B2"].capacity == 3


@pytest.mark.parametrize("arguments,flags", [
    ({"reps": -1}, ["--reps", "-1"]),
    ({"reps": 0}, ["--reps", "0"]),
    ({"threads": 5000}, ["--threads", "5000"]),
    ({"seed": -1}, ["--seed", "-1"]),
    ({"duration": "8x"}, ["--duration", "8x"]),
    ({"duration": "0s"}, ["--duration", "0s"]),
    ({"warmup": "-1h"}, ["--warmup=-1h"]),
    ({"duration": float("nan")}, ["--duration", "nan"]),
])
def test_bad_run_arguments_have_the_cli_s_message(arguments, flags):
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.load_scene(BALANCED).run(**arguments)
    e = caught.value
    (name,) = arguments
    assert e.field == name and e.message in cli_error("run", BALANCED, "-q", *flags)


@pytest.mark.parametrize("call", [
    lambda s: s.run(reps="a"),
    lambda s: s.run(reps=1.5),
    lambda s: s.run(seed="1"),
    lambda s: s.run(duration=[8]),
    lambda s: s.with_changes(["B2.capacity", 16]),
    lambda s: s.with_changes({2: 16}),
    lambda s: s[2],
    lambda s: linetwin.load_scene(42),
    lambda s: linetwin.Scene.from_dict("elements: []"),
], ids=["reps str", "reps float", "seed str", "duration list", "changes list", "path int",
        "id int", "path int", "dict str"])
def test_wrong_types_raise_type_error(call):
    with pytest.raises(TypeError):
        call(linetwin.load_scene(BALANCED))


def test_the_interpreter_goes_on():
    scene = linetwin.load_scene(BALANCED)
    before = scene.run(reps=2, duration="1h").to_json()
    for call in (lambda: scene.run(reps=-1), lambda: scene.with_changes({"OP99.capacity": 1}),
                 lambda: linetwin.load_scene("scenes/no_such_scene.yaml"),
                 lambda: scene.run(reps="a")):
        with pytest.raises((linetwin.InputError, TypeError)):
            call()
    assert scene.run(reps=2, duration="1h").to_json() == before


def test_input_error_pickles():
    import pickle
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.load_scene(BALANCED).run(reps=-1)
    back = pickle.loads(pickle.dumps(caught.value))
    assert (str(back), back.field, back.message) == \
        (str(caught.value), caught.value.field, caught.value.message)
