"""Physics conveyors from Python (docs/physics.md, "Physics conveyors"): a module built with the
physics layer simulates a `mode: physics` conveyor in Scene.run(), and agrees with the same
scene's event conveyor as the C++ agreement test asks (throughput within 2%, head-blocked share
within 0.02, over 10 replications of an hour); a module built without it refuses the scene with
the InputError that names the file, the line and the field. $LINETWIN_PHYSICS (set by CTest from
the build's LINETWIN_PHYSICS) says which build this is, and the file tests what that build must
do: neither case is skipped."""
import pytest

import linetwin
from conftest import WITH_PHYSICS

SCENE = "tests/physics/scenes/physics_conveyor_line.yaml"


def scene_text():
    with open(SCENE, encoding="utf-8") as f:
        return f.read()


def mode_line(text):
    return next(n for n, line in enumerate(text.splitlines(), 1) if "mode: physics" in line)


def conveyor(results, conveyor_id):
    return next(c for c in results.to_dict()["conveyors"] if c["id"] == conveyor_id)


def physics_conveyor_agrees_with_the_event_conveyor():
    text = scene_text()
    physics = linetwin.load_scene(SCENE)
    events = linetwin.Scene.from_yaml(text.replace("mode: physics", "mode: event"), SCENE)
    assert physics.replications == 10 and physics.duration_s == 3600.0
    by_physics = physics.run(threads=2)
    by_events = events.run(threads=2)
    assert by_physics.deadlocked == 0 and by_events.deadlocked == 0
    expected = by_events.throughput_per_hour.mean
    assert expected > 0
    assert abs(by_physics.throughput_per_hour.mean - expected) <= 0.02 * expected
    # A non-accumulating belt stands still exactly while its head is refused: its stopped share
    # is the head-blocked share, a good part of the time in this scene, so that agreeing is not
    # agreeing on 0.
    blocked_events = conveyor(by_events, "C1")["stopped"]["mean"]
    blocked_physics = conveyor(by_physics, "C1")["stopped"]["mean"]
    assert blocked_events > 0.1
    assert abs(blocked_physics - blocked_events) <= 0.02
    # The same scene and seed give the same bytes on any thread count, with physics too.
    assert physics.run(reps=2, duration="10min", threads=1).to_json() == \
        physics.run(reps=2, duration="10min", threads=2).to_json()


def a_module_without_physics_refuses_mode_physics():
    text = scene_text()
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.load_scene(SCENE).run(reps=1, duration="10min")
    e = caught.value
    assert e.file == SCENE and e.line == mode_line(text)
    assert e.field == "elements[C1].mode"
    assert "mode: physics needs a build with Bullet (LINETWIN_PHYSICS=ON)" in str(e)


if WITH_PHYSICS:
    test_physics_conveyor_agrees_with_the_event_conveyor = \
        physics_conveyor_agrees_with_the_event_conveyor
else:
    test_a_module_without_physics_refuses_mode_physics = \
        a_module_without_physics_refuses_mode_physics
