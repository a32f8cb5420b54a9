"""A profile code read in the Camera tab, without Qt: found once, answered, never asked again while in view."""

from types import SimpleNamespace

import numpy as np
import pytest

from app.controller.profile_code import ProfileCodeModel
from app.gui.session import Session
from avatar.errors import ProfileCodeError
from avatar.portable import PortableProfile
from tests.test_controller_capture import CheckRunner

CODE = PortableProfile({"stature": 165.0, "waist_girth": 76.0}, "female", {"waist_girth": 2.0})


@pytest.fixture
def reading():
    session, runner = Session(), CheckRunner()
    shown = {"read": CODE}

    def read(rgb):
        if isinstance(shown["read"], Exception):
            raise shown["read"]
        return shown["read"]

    model = ProfileCodeModel(session, runner, read=read)
    seen = {"found": [], "closed": 0, "errors": [], "info": [], "accepted": 0}
    model.found.connect(seen["found"].append)
    model.closed.connect(lambda: seen.__setitem__("closed", seen["closed"] + 1))
    model.error.connect(seen["errors"].append)
    model.info.connect(seen["info"].append)
    model.accepted.connect(lambda: seen.__setitem__("accepted", seen["accepted"] + 1))
    return SimpleNamespace(model=model, session=session, runner=runner, shown=shown, seen=seen)


FRAME = np.zeros((8, 8, 3), np.uint8)


def scan(t):
    t.model.offer(FRAME)
    assert t.model.scan()
    t.runner.drain()


def test_a_code_found_waits_for_the_answer_and_its_values_replace_the_measurements(reading):
    t = reading
    assert not t.model.scan()  # no frame: the clock may stop
    scan(t)
    assert t.model.pending == CODE and t.seen["found"] == [CODE] and t.model.latest is None
    t.model.offer(FRAME)
    t.model.scan()  # a code waits: nothing more is read
    assert t.runner.started == ["code"]
    t.session.set_measurements({"stature": 180.0, "chest_girth": 100.0})
    t.model.accept()
    assert t.session.measurements == {"stature": 165.0, "waist_girth": 76.0}
    assert t.session.uncertainty == {"waist_girth": 2.0} and t.model.pending is None
    assert t.seen["accepted"] == 1 and t.seen["closed"] == 1 and "building your avatar" in t.seen["info"][-1]


def test_a_declined_code_is_not_asked_again_until_it_leaves_the_picture(reading):
    t = reading
    scan(t)
    t.model.decline()
    assert t.model.declined == CODE and t.model.pending is None
    scan(t)
    assert t.seen["found"] == [CODE]  # still in view: not asked again
    t.shown["read"] = None
    scan(t)
    assert t.model.declined is None  # it left the picture
    t.shown["read"] = CODE
    scan(t)
    assert t.seen["found"] == [CODE, CODE]


def test_a_bad_code_is_said_once_while_it_stays_in_view(reading):
    t = reading
    t.shown["read"] = ProfileCodeError("this QR code is not a fitting-room profile code")
    scan(t)
    scan(t)
    assert t.seen["errors"] == ["This QR code is not a fitting-room profile code"]


def test_clearing_the_session_drops_the_frame_and_the_code(reading):
    t = reading
    scan(t)
    t.model.offer(FRAME)
    t.session.clear()
    assert t.model.pending is None and t.model.latest is None and t.model.declined is None
    assert t.seen["closed"] == 1


def test_a_photo_without_a_code_says_so(reading, tmp_path):
    import cv2

    path = tmp_path / "wall.png"
    cv2.imwrite(str(path), FRAME)
    t = reading
    t.shown["read"] = None
    t.model.read_photo(path)
    t.runner.drain()
    assert t.seen["errors"] and t.seen["errors"][-1].startswith("No QR code found in wall.png")
    t.model.read_photo(tmp_path / "missing.png")
    assert "missing.png" in t.seen["errors"][-1]
