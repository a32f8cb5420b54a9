"""A shopper sees their dressed avatar sitting, in their skin tone and hair, from the window's controls."""

import numpy as np
import pytest

from app.gui.main_window import MainWindow

pytestmark = pytest.mark.body


def _pick(box, data) -> None:
    """Choose the item of a combo box holding ``data``, as a click in its list would."""
    index = box.findData(data)
    assert index >= 0, data
    box.setCurrentIndex(index)


def test_shopper_sits_down_and_changes_their_look(qtbot, body_model):
    from app.controller.looks import HAIR_LAYER
    from avatar.looks import skin_srgb

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.garments) and window.view.content is not None, timeout=60000)
    with qtbot.waitSignal(window.controller.dressed, timeout=120000):
        window.try_on("slim-chino")
    standing = window.view.content
    assert window.pose_box.isVisible() and window.pose_box.pose_box.currentData() == "stand"

    with qtbot.waitSignal(window.avatar_shown, timeout=60000):
        _pick(window.pose_box.pose_box, "sit")
    sitting = window.view.content
    assert window.controller.pose == "sit"
    assert sitting.body_vertices[:, 1].max() < 0.85 * standing.body_vertices[:, 1].max()
    assert sitting.garments[0].name == standing.garments[0].name

    _pick(window.pose_box.pose_box, "stand")  # back to a pose seen: at once, no task
    assert np.array_equal(window.view.content.body_vertices, standing.body_vertices)
    _pick(window.pose_box.pose_box, "sit")
    assert not window.runner.busy("pose")
    assert np.array_equal(window.view.content.body_vertices, sitting.body_vertices)

    look = window.look_box
    window.tabs.setCurrentIndex(0)
    assert look.isVisible() and look.skin_box.count() >= 8 and not look.hide_hair.isEnabled()
    _pick(look.skin_box, "monk-08")
    assert window.view.content.skin_srgb == skin_srgb("monk-08")
    _pick(look.hair_box, "curly")
    _pick(look.hair_colour_box, "black")
    hair = [layer for layer in window.view.content.garments if layer.name == HAIR_LAYER]
    assert len(hair) == 1 and hair[0].colour != standing.garments[0].colour and look.hide_hair.isEnabled()
    look.hide_hair.click()
    assert all(layer.name != HAIR_LAYER for layer in window.view.content.garments)
    assert np.array_equal(window.view.content.body_vertices, sitting.body_vertices)  # still sitting

    window.controller.set_pose("reach")  # the controls mirror the controller
    assert window.pose_box.pose_box.currentData() == "reach"
    window.close()


def test_shopper_tries_the_size_in_motion_and_reads_the_advice(qtbot, body_model, monkeypatch):
    import garments.movement as movement
    from tests.test_motion import _motion_test

    asked = []

    def tried(avatar, garment, sizes, poses, *, drapes=None, **kw):  # the poses' numbers: test_motion's
        asked.append((garment.id, list(sizes), tuple(poses), sorted(drapes)))
        return _motion_test()

    monkeypatch.setattr(movement, "movement_test", tried)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.garments) and window.view.content is not None, timeout=60000)
    with qtbot.waitSignal(window.controller.motion_changed, timeout=120000):  # tried in motion unasked
        window.session.add_tryon("slim-chino", "50", "")
    window.tabs.setCurrentIndex(3)
    (garment_id, sizes, poses, draped), = asked
    assert garment_id == "slim-chino" and sizes == ["50", "52"] and "sit" in poses and "50" in draped
    advice = window.tryon_panel.advice_label.text()
    assert "50 is near this fabric's limit when sitting." in advice and "size 50: the seat" not in advice
    box = window.motion_box
    assert box.isVisible() and box.button.isEnabled() and "50 is near this fabric's limit" in box.label.text()
    with qtbot.waitSignal(window.controller.motion_changed, timeout=60000):
        box.button.click()
    garment_id, sizes, poses, draped = asked[-1]
    assert garment_id == "slim-chino" and sizes == ["48", "50", "52"] and "sit" in poses and "50" in draped
    assert "50 is near this fabric's limit when sitting" in box.label.text()
    assert "52 is the smallest size that is not tight" in box.label.text()
    window.close()


def test_the_walk_loop_plays_in_the_window_until_another_pose_is_picked(qtbot, body_model):
    from app.controller.looks import WALK_LOOP

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.view.content is not None, timeout=60000)
    window.controller.walk_loop_frames = 4
    standing = window.view.content
    with qtbot.waitSignal(window.avatar_shown, timeout=60000):
        _pick(window.pose_box.pose_box, WALK_LOOP)  # made in a task, then played
    qtbot.waitUntil(lambda: window.pose_box.timer.isActive(), timeout=5000)
    loop = window.controller.loop
    seen = set()
    for _ in range(len(loop)):  # the timer steps through every frame, on and on
        with qtbot.waitSignal(window.avatar_shown, timeout=5000):
            pass
        seen.add(next(k for k, scene in enumerate(loop) if scene is window.view.content))
    assert seen == set(range(len(loop)))
    _pick(window.pose_box.pose_box, "sit")
    assert not window.pose_box.timer.isActive()
    qtbot.waitUntil(lambda: window.controller.pose == "sit" and not window.runner.busy("pose"), timeout=60000)
    assert window.view.content.body_vertices[:, 1].max() < 0.85 * standing.body_vertices[:, 1].max()
    window.capture_panel.skin_tone_suggested.emit("monk-07")  # the Camera tab's suggestion reaches Your look
    assert window.look_box.suggestion.text().endswith("tone 7 of 10") and window.controller.look.skin_tone is None
    window.close()


def test_a_skin_tone_from_the_photo_is_offered_not_applied(qtbot):
    from app.controller.tryon import TryOnController
    from app.gui.panels.looks import LookBox
    from app.gui.session import Session
    from tests.test_controller import QueueRunner

    session = Session()
    controller = TryOnController(session, QueueRunner())
    box = LookBox(controller)
    qtbot.addWidget(box)
    box.show()
    assert not box.suggestion_row.isVisible()
    box.suggest_skin_tone("monk-06")
    assert box.suggestion_row.isVisible() and "tone 6 of 10" in box.suggestion.text()
    assert controller.look.skin_tone is None and box.skin_box.currentData() == "default"  # only offered
    box.use_suggestion.click()
    assert controller.look.skin_tone == "monk-06" and box.skin_box.currentData() == "monk-06"
    assert not box.suggestion_row.isVisible()
    _pick(box.skin_box, "monk-03")  # the shopper knows better: the offer comes back, their choice stays
    assert controller.look.skin_tone == "monk-03" and box.suggestion_row.isVisible()
    session.clear()  # the shopper's data is deleted: the suggestion from their photo goes with it
    assert not box.suggestion_row.isVisible()
