"""Scenes from Python: read-only views of the elements as the scene file writes them, scenes built
from dicts, and with_changes(), which gives what a sweep's variant with the same change gives and
leaves the scene it changes as it was."""
import json
import os

import pytest
import yaml

import linetwin
from conftest import SOURCE_DIR, run_cli

BALANCED = "scenes/balanced_line.yaml"
RUN = {"reps": 3, "duration": "1h", "warmup": "15min"}


def scene_file(path):
    with open(os.path.join(SOURCE_DIR, path), encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_views_show_the_scene_file():
    written = scene_file(BALANCED)
    scene = linetwin.load_scene(BALANCED)
    assert scene.name == written["name"] and scene.seed == written["seed"]
    assert scene.replications == written["run"]["replications"]
    assert scene.duration_s == 8 * 3600 and scene.warmup_s == 3600  # "8h", "1h"
    assert list(scene) == [e["id"] for e in written["elements"]]
    for e in written["elements"]:
        view = scene[e["id"]]
        assert view.id == e["id"] and view.type == e["type"] and view["type"] == e["type"]
        if "to" in e:
            assert view.to == [e["to"]]
        if e["type"] == "buffer":
            assert view.capacity == e["capacity"]
        if e["type"] == "station":
            assert view.servers == e.get("servers", 1)
            assert view.processing["kind"] == e["processing"]["distribution"]
            assert view.processing["mean_s"] == 60.0  # "mean: 60s"
            assert view.breakdowns is None
    assert scene["B2"].inputs == ["OP20"]
    assert "OP20" in scene and "OP99" not in scene


def test_views_are_read_only():
    view = linetwin.load_scene(BALANCED)["B2"]
    with pytest.raises(AttributeError):
        view.capacity = 16
    with pytest.raises(TypeError):
        view["capacity"] = 16  # a Mapping, not a dict


def test_breakdowns_and_unlimited_buffers():
    written = scene_file("scenes/breakdown_line.yaml")
    scene = linetwin.load_scene("scenes/breakdown_line.yaml")
    for e in written["elements"]:
        if e["type"] == "station" and "breakdowns" in e:
            breakdowns = scene[e["id"]].breakdowns
            assert breakdowns["time_to_failure"]["kind"] == \
                e["breakdowns"]["time_to_failure"]["distribution"]
    unlimited = linetwin.Scene.from_dict({**written, "elements": [
        {**e, "capacity": "unlimited"} if e["type"] == "buffer" else e
        for e in written["elements"]]})
    assert all(unlimited[e["id"]].capacity is None
               for e in written["elements"] if e["type"] == "buffer")


def test_from_dict_is_the_scene_file():
    from_file = linetwin.load_scene(BALANCED).run(**RUN).to_dict()
    from_dict = linetwin.Scene.from_dict(scene_file(BALANCED)).run(**RUN).to_dict()
    assert from_dict.pop("scene") == "<dict>"
    from_file.pop("scene")
    assert from_dict == from_file


def sweep_variant_run(tmp_path, base, changes):
    """The run object of the one variant of a scenario that makes `changes` to `base`."""
    scenario = tmp_path / "what_if.scenario.yaml"
    scenario.write_text(json.dumps({
        "linetwin_scenario": 1, "name": "what if",
        "base": os.path.join(SOURCE_DIR, base),
        "variants": [{"name": "changed", "set": changes}]}))
    status, out, err = run_cli("sweep", scenario, "--reps", RUN["reps"], "--duration",
                               RUN["duration"], "--warmup", RUN["warmup"], "--json", "-", "-q")
    assert status == 0, err.decode()
    (variant,) = [v for v in json.loads(out)["variants"] if v["name"] == "changed"]
    return variant["run"]


@pytest.mark.parametrize("base,changes", [
    ("scenes/balanced_line.yaml", {"B2.capacity": 16}),
    ("scenes/breakdown_line.yaml", {"OP30.breakdowns.time_to_repair.mean": "75s",
                                    "B1.capacity": 8}),
    ("scenes/balanced_line.yaml", {"OP20.servers": 2, "OP30.processing.mean": "45s"}),
    ("scenes/agv_cell.yaml", {"AGV.vehicles": 4, "AGV.vehicle.max_speed_m_per_s": 1.5}),
])
def test_with_changes_is_the_sweep_variant(tmp_path, base, changes):
    scene = linetwin.load_scene(os.path.join(SOURCE_DIR, base))
    before = scene.run(**RUN).to_json()
    text_before = scene.to_yaml()
    changed = scene.with_changes(changes)
    assert changed.run(**RUN).to_dict() == sweep_variant_run(tmp_path, base, changes)
    # The original is untouched, and runs as it did.
    assert scene.to_yaml() == text_before and scene.run(**RUN).to_json() == before


def test_with_changes_makes_a_new_scene():
    scene = linetwin.load_scene(BALANCED)
    bigger = scene.with_changes({"B2.capacity": 16})
    assert bigger["B2"].capacity == 16 and scene["B2"].capacity == 3
    assert bigger.with_changes({"B1.capacity": 5})["B2"].capacity == 16  # changes build up
    assert bigger.path == scene.path


def test_scenes_pickle():
    import pickle
    scene = linetwin.load_scene(BALANCED).with_changes({"B2.capacity": 16})
    back = pickle.loads(pickle.dumps(scene))
    assert back["B2"].capacity == 16 and back.path == scene.path
    assert back.run(**RUN).to_json() == scene.run(**RUN).to_json()
