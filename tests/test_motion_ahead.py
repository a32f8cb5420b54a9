"""The size advice says how the size does in motion without being asked (the controller, real body model)."""

import pytest

from app.controller.tryon import TryOnController
from app.gui.session import Session
from tests.test_controller import QueueRunner


@pytest.mark.body
def test_a_tight_size_is_said_to_be_tight_when_sitting_after_the_drape_unasked(body_model):
    from avatar.avatar import reference_avatar
    from app.gui.panels.tryon import advice_html
    from garments.catalog import get_garment

    session, runner = Session(), QueueRunner()
    controller = TryOnController(session, runner)
    controller.motion_ahead_poses = ("stand", "sit")  # the other poses cost the same again each
    controller.garments = {"slim-chino": get_garment("slim-chino")}
    session.set_avatar(reference_avatar("female"))
    session.add_tryon("slim-chino", "46", "")  # seat 19 % sitting on this body (docs/motion.md)
    runner.drain()
    controller.picture_shown()  # the dressed picture on screen: the work ahead starts
    runner.drain()
    assert runner.started.count("motion") == 1 and runner.started.index("motion") > runner.started.index("prepare")
    test = controller.motion["slim-chino"]
    assert [s.size for s in test.sizes] == ["46", "48"]  # the worn size and the next larger one
    text = advice_html(session.advice["slim-chino"], "46", test)
    assert "46 is too tight when sitting." in text
    assert "size 46: the seat stretches" not in text  # what strains is the motion box's
    assert controller.test_in_motion_ahead() is None  # tried already: not again
