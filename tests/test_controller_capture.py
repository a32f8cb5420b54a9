"""The Camera tab's model without Qt: the steps, the photos, the cameras, and what can be done now and why not."""

from types import SimpleNamespace

import numpy as np
import pytest

from app.controller.capture import COUNTDOWN_S, DONE, CaptureModel, check_pair
from app.gui.session import Session
from tests.test_controller import QueueRunner


class CheckRunner(QueueRunner):
    """A queue runner that also says whether a key's task is waiting (the preview check skips a busy one)."""

    def busy(self, key=None):
        return any(not t.stale and (key is None or t.key == key) for _, t in self.queue)


def assessment(ok=True, view="front", guidance="Step back: your feet are cut off; retake the photo"):
    problem = ValueError(guidance)
    return SimpleNamespace(ok=ok, view=view, guidance="" if ok else guidance, problems=[] if ok else [problem],
                           pose=None, warnings=())


class Checks:
    """A stand-in for ``assess_frame``: each call is recorded, the answer is set by the test."""

    def __init__(self):
        self.calls, self.ok = [], True

    def __call__(self, rgb, view, background, previous=None):
        self.calls.append((view, background is not None))
        return assessment(self.ok, view)


@pytest.fixture
def model():
    session, runner, checks = Session(), CheckRunner(), Checks()
    m = CaptureModel(session, runner, assess=checks)
    seen = {"changed": 0, "errors": [], "info": [], "notes": [], "shown": [], "cleared": 0, "restarted": 0}
    m.changed.connect(lambda: seen.__setitem__("changed", seen["changed"] + 1))
    m.error.connect(seen["errors"].append)
    m.info.connect(seen["info"].append)
    m.note_changed.connect(seen["notes"].append)
    m.shown.connect(seen["shown"].append)
    m.cleared.connect(lambda: seen.__setitem__("cleared", seen["cleared"] + 1))
    m.restarted.connect(lambda: seen.__setitem__("restarted", seen["restarted"] + 1))
    return SimpleNamespace(m=m, session=session, runner=runner, checks=checks, seen=seen)


def frame(value=120):
    return np.full((48, 32, 3), value, np.uint8)


def live(t):
    t.m.camera_started()
    t.m.frame(frame())


def test_without_a_picture_nothing_can_be_taken_and_the_model_says_why(model):
    m = model.m
    assert m.step == "background" and not m.live and not m.can_capture and not m.can_start
    assert m.capture_why_not == "Start the camera to take the photos here, or use two photos from files."
    assert m.step_text.startswith(m.capture_why_not) and "Then: step out of the picture" in m.step_text
    assert m.capture_text == "Take background" and m.can_skip and not m.can_estimate
    m.start_countdown()
    assert model.seen["errors"] == ["Start the camera first (or use two photos from files)"] and m.countdown == 0
    kiosk = CaptureModel(Session(), CheckRunner(), file_dialogs=False)
    assert kiosk.capture_why_not == "Start the camera to take the photos here."
    assert "files" not in kiosk.no_camera_text()


def test_the_countdown_takes_the_background_then_the_checked_front_and_side(model):
    m, runner = model.m, model.runner
    m.camera_started()
    assert m.running and m.note == "Starting the camera…" and not m.can_capture
    m.frame(frame())
    assert m.can_capture and m.capture_why_not == "" and m.step_text.startswith("Step out of the picture")
    m.start_countdown()
    assert m.countdown == COUNTDOWN_S and m.capture_text == str(COUNTDOWN_S) and not m.can_capture
    for _ in range(COUNTDOWN_S):
        m.tick()
    assert m.countdown == 0 and m.step == "front" and set(m.photos) == {"background"}
    assert runner.started == [] and not m.can_skip  # the plate is kept unchecked; only it may be skipped

    m.take(m.latest)
    assert runner.started == ["check"] and m.checking and not m.can_capture and m.step == "front"
    runner.drain()
    assert m.step == "side" and set(m.photos) == {"background", "front"}
    assert model.seen["info"] == ["Front photo taken"]
    assert model.checks.calls == [("front", True)]  # checked against the background plate
    m.take(m.latest)
    runner.drain()
    assert m.step == DONE and m.can_estimate and not m.can_capture and m.capture_text == "Done"
    assert m.step_text == "Both photos taken. Enter your height and estimate." and m.capture_why_not == ""
    assert model.seen["errors"] == []


def test_a_refused_photo_is_not_kept_and_the_guidance_is_said(model):
    m = model.m
    live(model)
    m.skip()
    model.checks.ok = False
    m.take(m.latest)
    model.runner.drain()
    assert m.step == "front" and "front" not in m.photos and not m.checking and m.can_capture
    assert model.seen["errors"] and "retake" in model.seen["errors"][-1]
    m.take(None)  # no picture yet
    assert "No picture from the camera yet" in model.seen["errors"][-1] and model.runner.started == ["check"]


def test_photos_from_files_are_checked_as_a_pair(model, tmp_path):
    import cv2

    m = model.m
    for name in ("front", "side"):
        cv2.imwrite(str(tmp_path / f"{name}.png"), frame(90))
    m.use_files(str(tmp_path / "front.png"), str(tmp_path / "side.png"))
    model.runner.drain()
    assert m.step == DONE and set(m.photos) == {"front", "side"} and m.can_estimate
    assert model.checks.calls == [("front", False), ("side", False)] and model.seen["info"] == ["Photos accepted"]
    assert len(model.seen["shown"]) == 1 and model.seen["shown"][0].shape == (48, 32, 3)
    m.use_files(str(tmp_path / "missing.png"), str(tmp_path / "side.png"))
    assert model.seen["errors"] and "missing.png" in model.seen["errors"][-1]


def test_a_pair_with_a_bad_side_photo_raises_its_problem():
    checks = Checks()

    def side_refused(rgb, view, background, previous=None):
        checks(rgb, view, background)
        return assessment(view != "side", view, "This looks like a front photo; turn a quarter turn")

    with pytest.raises(ValueError, match="quarter turn"):
        check_pair(frame(), frame(), assess=side_refused)
    assert checks.calls == [("front", False), ("side", False)]


def test_restart_drops_the_photos_and_a_check_in_flight(model):
    m = model.m
    live(model)
    m.skip()
    m.take(m.latest)
    m.restart()
    model.runner.drain()  # the check's answer comes after the restart: dropped
    assert m.step == "background" and m.photos == {} and not m.checking and m.running and m.live
    assert model.seen["restarted"] == 1 and model.seen["info"] == []


def test_cameras_found_or_not_say_what_start_can_do(model):
    m = model.m
    m.looking_for_cameras()
    assert m.probing and m.cameras is None
    m.cameras_found([], announce=True)
    assert m.cameras == () and m.chosen is None and not m.can_start and not m.probing
    assert m.note == m.no_camera_text() and m.note.startswith("No camera found — connect one")
    assert "No camera found" in model.seen["errors"][-1]
    m.looking_for_cameras()
    m.probe_ended()  # cancelled: can be looked for again
    assert not m.probing and m.cameras is None
    m.cameras_found([1, 4])
    assert m.cameras == (1, 4) and m.chosen == 1 and m.can_start
    m.choose(4)
    assert m.chosen == 4


def test_a_camera_that_fails_says_what_to_do(model):
    m = model.m
    m.camera_started()
    m.camera_stopped(0, "camera 0 cannot be opened; check that it is connected")
    assert not m.running and model.seen["errors"] == ["camera 0 cannot be opened; check that it is connected"]
    assert m.note.startswith("Camera 0 cannot be opened.") and "No camera found — connect one" in m.note
    m.camera_started()
    m.camera_stopped("clip.avi", "clip.avi cannot be read")
    assert m.note == "Clip.avi cannot be read"
    m.camera_started()
    m.camera_stopped()  # stopped before any picture: never left saying it is starting
    assert m.note == "Camera off"


def test_a_stopped_camera_gives_no_more_pictures(model):
    m = model.m
    live(model)
    m.start_countdown()
    m.camera_stopped()
    assert m.latest is None and m.countdown == 0 and not m.can_capture
    m.frame(frame())  # still queued from the stopped camera
    assert m.latest is None
    m.tick()
    assert m.photos == {}


def test_the_preview_is_checked_for_front_and_side_only_one_check_at_a_time(model):
    m, runner = model.m, model.runner
    checked = []
    m.checked.connect(lambda: checked.append(m.assessment))
    live(model)
    m.check_preview()
    assert runner.started == []  # the background plate needs no person
    m.skip()
    m.check_preview()
    m.check_preview()  # the first is still running: skipped
    assert runner.started == ["check"]
    runner.drain()
    assert len(checked) == 1 and checked[0].ok and m.assessment is checked[0]


def test_clearing_the_session_drops_every_frame_and_photo(model):
    m = model.m
    m.cameras_found([0])
    live(model)
    m.take(m.latest)
    assert m.photos and m.latest is not None
    model.session.clear()
    assert m.photos == {} and m.latest is None and not m.running and m.step == "background"
    assert m.assessment is None and m.note == "Camera off" and model.seen["cleared"] == 1
    assert m.cameras == (0,) and m.chosen == 0  # which cameras there are is no personal data
