"""The shopper's pose and look in the try-on controller, without Qt: which of them cost a task."""

import numpy as np
import pytest

from app.controller.tryon import TryOnController
from app.gui.session import Session
from tests.test_controller import QueueRunner


@pytest.fixture
def dressed(body_model):
    from avatar.avatar import reference_avatar
    from garments.catalog import get_garment

    session, runner = Session(), QueueRunner()
    controller = TryOnController(session, runner)
    controller.motion_ahead_poses = ()  # tried in motion ahead: tests/test_motion_ahead.py
    shown = []
    controller.scene_changed.connect(shown.append)
    controller.garments = {"slim-chino": get_garment("slim-chino")}
    session.set_avatar(reference_avatar("female"))
    session.add_tryon("slim-chino", "46", "")
    runner.drain()
    assert len(shown[-1].garments) == 1
    return controller, runner, shown


@pytest.mark.body
def test_a_pose_is_made_once_and_a_seen_pose_or_a_look_costs_no_task(dressed):
    from avatar.looks import skin_srgb

    controller, runner, shown = dressed
    standing = shown[-1]
    controller.set_pose("sit")
    assert runner.started[-1] == "pose" and shown[-1] is standing  # the standing scene stays until it is made
    runner.drain()
    sitting = shown[-1]
    assert controller.pose == "sit" and sitting is not standing
    assert sitting.body_vertices[:, 1].max() < 0.85 * standing.body_vertices[:, 1].max()  # seated: lower
    trousers, before = sitting.garments[0], standing.garments[0]
    assert trousers.name == before.name and trousers.colour == before.colour
    assert np.percentile(trousers.strain, 90) > np.percentile(before.strain, 90)  # the fit map shows the pose's strain

    started = len(runner.started)
    controller.set_pose("stand")
    assert np.array_equal(shown[-1].body_vertices, standing.body_vertices)
    controller.set_pose("sit")  # seen before: shown at once
    assert len(runner.started) == started and np.array_equal(shown[-1].body_vertices, sitting.body_vertices)

    controller.set_look(skin_tone="monk-08")
    assert shown[-1].skin_srgb == skin_srgb("monk-08") and len(runner.started) == started
    assert np.array_equal(shown[-1].body_vertices, sitting.body_vertices)  # still sitting
    controller.session.set_colour("slim-chino", controller.garments["slim-chino"].colours[1].name)
    assert shown[-1].garments[0].colour != before.colour and shown[-1].skin_srgb == skin_srgb("monk-08")
    assert np.array_equal(shown[-1].body_vertices, sitting.body_vertices) and len(runner.started) == started


@pytest.mark.body
def test_hair_is_drawn_in_the_pose_and_can_be_hidden(dressed):
    from app.controller.looks import HAIR_LAYER

    controller, runner, shown = dressed
    controller.set_look(hair_style="long", hair_colour="blond")
    hair = [layer for layer in shown[-1].garments if layer.name == HAIR_LAYER]
    assert len(hair) == 1 and shown[-1].garments[-1].name == HAIR_LAYER
    top = shown[-1].body_vertices[:, 1].max()
    assert hair[0].vertices[:, 1].max() > top - 0.01  # over the head
    controller.set_pose("bend")
    runner.drain()
    moved = [layer for layer in shown[-1].garments if layer.name == HAIR_LAYER][0]
    assert not np.allclose(moved.vertices, hair[0].vertices)  # it moved with the head
    controller.set_look(hair_hidden=True)
    assert all(layer.name != HAIR_LAYER for layer in shown[-1].garments)
    assert controller.look.hair_style == "long"  # hidden, not forgotten


def test_unknown_pose_or_look_names_the_choices():
    from avatar.hair import HairError
    from avatar.looks import LookError
    from avatar.pose import PoseError

    controller = TryOnController(Session(), QueueRunner())
    with pytest.raises(PoseError, match="use one of stand, walk, sit"):
        controller.set_pose("dance")
    with pytest.raises(LookError, match="monk-10"):
        controller.set_look(skin_tone="blue")
    with pytest.raises(HairError, match="short"):
        controller.set_look(hair_style="mohawk")
    assert controller.pose == "stand" and controller.look.skin_tone is None


@pytest.mark.body
def test_the_walk_loop_is_made_once_and_played_frame_by_frame(dressed):
    from app.controller.looks import HAIR_LAYER, WALK_LOOP

    controller, runner, shown = dressed
    standing = shown[-1]
    controller.walk_loop_frames = 3
    controller.set_look(hair_style="short")
    controller.set_pose(WALK_LOOP)
    assert runner.started[-1] == "pose" and controller.loop is None
    runner.drain()
    loop = controller.loop
    assert len(loop) == 3 and shown[-1] is loop[0]
    feet = [np.sort(scene.body_vertices[:, 2])[-50:].mean() for scene in loop]  # the leading toes
    assert np.ptp(feet) > 0.05  # the legs swing between frames
    for scene in loop:
        trousers, hair = scene.garments[0], scene.garments[-1]
        assert trousers.name == standing.garments[0].name and hair.name == HAIR_LAYER
        assert not np.allclose(trousers.vertices, standing.garments[0].vertices)  # they walk with the legs
        top = scene.body_vertices[:, 1].max()
        assert abs(hair.vertices[:, 1].max() - top) < 0.03  # the hair stays on the walking head
    started = len(runner.started)
    for k in (1, 2, 0):
        controller.next_frame()
        assert shown[-1] is loop[k]
    controller.set_pose("stand")
    assert controller.loop is None and np.array_equal(shown[-1].body_vertices, standing.body_vertices)
    controller.next_frame()  # a timer tick after the loop stopped shows nothing new
    assert np.array_equal(shown[-1].body_vertices, standing.body_vertices)
    controller.set_pose(WALK_LOOP)  # seen before on these drapes: played at once
    assert len(runner.started) == started and controller.loop is not None and shown[-1] is controller.loop[0]


def test_a_posed_layer_takes_the_poses_strain_on_the_standing_scale():
    """A posed garment layer carries the pose's strain as a standing one carries its drape's: less the
    solver's allowance (``app.render.content.drawn_strain``), so the fit map reads the same in every pose."""
    from types import SimpleNamespace

    from app.controller.looks import PosedGeometry, posed_scene
    from app.render.content import GarmentLayer, SceneContent
    from garments.motion_constants import MOTION_ALLOWANCE

    tri = np.array([[0, 1, 2]])
    quad = np.array([[0.0, 1.0, 0.0], [0.1, 1.0, 0.0], [0.0, 1.1, 0.0]])
    standing = SceneContent(quad, tri, garments=(GarmentLayer("slim-chino:46", quad, tri, strain=np.zeros(3)),))
    moved = SimpleNamespace(vertices=quad + 0.01, strain=np.array([0.0, MOTION_ALLOWANCE, MOTION_ALLOWANCE + 0.04]))
    posed = posed_scene(standing, PosedGeometry("sit", quad, {"slim-chino": moved}, None, None))
    assert np.allclose(posed.garments[0].strain, [0.0, 0.0, 0.04])
    assert np.allclose(posed.garments[0].vertices, quad + 0.01)
