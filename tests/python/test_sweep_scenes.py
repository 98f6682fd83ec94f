"""linetwin.sweep of a list of scenes: the first the baseline, every other a variant that runs its
whole scene on the baseline's random numbers. A scene changed by with_changes gives what the same
change gives as a scenario's variant; a list and a dict name the variants; bad calls raise."""
import os
import pickle

import pytest

import linetwin

SCENE = "scenes/breakdown_line.yaml"
SETTINGS = {"reps": 6, "duration": "8h", "warmup": "1h", "threads": 2}


def without_scene(variant):
    """A variant's report without the path of the scene file it ran, which differs by design
    (the base for an override, the variant's own scene here)."""
    run = dict(variant["run"])
    del run["scene"]
    return {**variant, "run": run}


def test_scenes_give_what_the_scenario_variant_gives(tmp_path):
    base = linetwin.load_scene(SCENE)
    change = {"B2.capacity": 16, "OP30.breakdowns.time_to_repair.mean": "75s"}
    scenes = linetwin.sweep({"as built": base, "B2 16": base.with_changes(change)}, **SETTINGS)
    (tmp_path / "study.scenario.yaml").write_text(
        "linetwin_scenario: 1\n"
        f"base: {os.path.abspath(SCENE)}\n"
        "baseline: as built\n"
        "variants: [{name: B2 16, set: {B2.capacity: 16, "
        "OP30.breakdowns.time_to_repair.mean: 75s}}]\n")
    scenario = linetwin.sweep(str(tmp_path / "study.scenario.yaml"), **SETTINGS)
    assert scenes.variants == scenario.variants == ["as built", "B2 16"]
    a, b = scenes.to_dict(), scenario.to_dict()
    # Same scenes on the same random numbers: the same KPIs, comparisons and ranking.
    assert [without_scene(v) for v in a["variants"]] == [without_scene(v) for v in b["variants"]]
    assert a["ranking"] == b["ranking"]
    assert scenes.replications_dataframe().equals(scenario.replications_dataframe())
    # The change made a difference (else this test would show nothing).
    assert a["variants"][1]["comparison"][0]["difference"]["mean"] != 0
    # The original is unchanged, and the unchanged scene ran from its own file.
    assert base["B2"]["capacity"] == 8
    assert os.path.normpath(a["variants"][0]["run"]["scene"]).endswith(SCENE)


def test_list_names_variants_by_their_scenes():
    base = linetwin.load_scene(SCENE)
    results = linetwin.sweep([base, base.with_changes({"B2.capacity": 16}), base], reps=2,
                             duration="1h", warmup=0)
    assert results.variants == [base.name, f"{base.name} (2)", f"{base.name} (3)"]
    assert results.to_dict()["scenario"] == "scenes.scenario.yaml"
    # The same scene twice: nothing to tell apart, on common random numbers.
    runs = [v["run"] for v in results.to_dict()["variants"]]
    assert runs[0]["kpis"] == runs[2]["kpis"]
    assert pickle.loads(pickle.dumps(results)).to_json() == results.to_json()


def test_one_scene_is_a_baseline_alone():
    results = linetwin.sweep([linetwin.load_scene(SCENE)], reps=2, duration="1h", warmup=0)
    assert len(results.variants) == 1


def test_bad_scene_lists_raise():
    base = linetwin.load_scene(SCENE)
    with pytest.raises(linetwin.InputError, match="expected at least one scene"):
        linetwin.sweep([])
    with pytest.raises(TypeError, match="expected scenes as linetwin.Scene, found str"):
        linetwin.sweep([base, SCENE])
    with pytest.raises(TypeError, match="scene's name as str"):
        linetwin.sweep({1: base})
    with pytest.raises(TypeError, match="a list of Scene or a dict"):
        linetwin.sweep(42)
    # A name the scenario format refuses, with the CLI's message.
    with pytest.raises(linetwin.InputError, match="expected a name, found an empty one"):
        linetwin.sweep({"a": base, "": base})
