"""A kiosk shopper shows their profile code to the camera (a video file here): asked, built, then wiped on Done."""

import os
import re
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from app.gui.kiosk import KioskWindow
from app.kiosk_pin import set_pin
from app.gui.main_window import TAB_CAMERA, TAB_MEASUREMENTS
from avatar.portable import PortableProfile
from avatar.profile_code import encode_payload
from avatar.profile_qr import code_image
from tests.gui_fakes import write_video

pytestmark = pytest.mark.body

FOUR = {"stature": 165.0, "chest_girth": 92.0, "waist_girth": 76.0, "hip_girth": 101.0}


def phone_frame(profile: PortableProfile) -> np.ndarray:
    """A 640x480 camera frame: a dark phone held up, its screen showing the code, against a room."""
    frame = np.full((480, 640, 3), (150, 140, 125), np.uint8)
    frame[60:440, 220:460] = (30, 30, 34)  # the phone
    code = code_image(profile, scale=6)
    y, x = 250 - code.shape[0] // 2, 340 - code.shape[1] // 2
    frame[y:y + code.shape[0], x:x + code.shape[1]] = code
    return frame


def written_under(root: Path, since: float) -> list[Path]:
    return [Path(folder) / name for folder, _dirs, names in os.walk(root) for name in names
            if (Path(folder) / name).stat().st_mtime >= since]


def test_kiosk_reads_a_code_from_the_camera_builds_and_forgets(qtbot, tmp_path, _home, monkeypatch):
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    profile = PortableProfile(FOUR)
    video = write_video(tmp_path / "phone.avi", phone_frame(profile))
    set_pin("864213")
    started = time.time() - 1
    window = KioskWindow(idle_timeout=600, prompt_timeout=600)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.start_session()
    window.tabs.setCurrentIndex(TAB_CAMERA)
    cam = window.capture_panel
    reader = cam.code_reader
    assert reader.photo_button is None  # no file dialogs in the kiosk
    with qtbot.waitSignal(reader.found, timeout=20000):
        cam.start_camera(str(video), loop=True)
    assert reader.question.text() == "Height 165 cm, chest 92 cm, waist 76 cm, hip 101 cm: use these?"
    assert reader.confirm.isVisible()
    reader.use_button.click()
    cam.stop_camera()
    assert window.session.measurements == FOUR
    assert window.tabs.currentIndex() == TAB_MEASUREMENTS
    qtbot.waitUntil(lambda: window.session.fit is not None, timeout=60000)
    assert window.session.fit.avatar is window.session.avatar
    assert window.measurements_panel.edits["hip_girth"].text() == "101"

    window.show_order(SimpleNamespace(order_id="K-0001"))  # the order hand-off, then "Done" ends the session
    window.done_button.click()
    assert window.session.measurements == {} and reader.pending is None and reader.latest is None
    assert window.attract.isVisible() and not window.handoff.isVisible()
    assert window.measurements_panel.edits["stature"].text() == ""
    window.staff_exit()

    payload = encode_payload(profile).encode()
    for path in written_under(_home, started) + written_under(private_tmp, started):
        data = path.read_bytes()
        # the stature as a number, not three digits inside a hex string (the PIN file's salt and hash)
        stature = re.search(rb"(?<![0-9a-fA-F])165(?![0-9a-fA-F])", data)
        assert payload not in data and stature is None, f"{path} holds the shopper's values"
    assert not (_home / "profiles").exists() or not any((_home / "profiles").iterdir())
    assert not (_home / "settings.json").exists()
