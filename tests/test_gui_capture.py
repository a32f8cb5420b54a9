"""The camera panel alone: a webcam fed from video files, guided capture, estimate into the session."""

import pytest

from app.gui.panels.capture import CapturePanel
from app.gui.session import Session
from app.gui.tasks import TaskRunner
from tests.gui_fakes import body_photo, write_video

pytestmark = [pytest.mark.body, pytest.mark.gl]


@pytest.fixture
def panel(qtbot):
    runner = TaskRunner()
    p = CapturePanel(Session(), runner)
    qtbot.addWidget(p)
    p.show()
    yield p
    p.stop_camera()
    runner.shutdown()


def take_from_video(qtbot, panel, path):
    panel.start_camera(str(path), loop=True)
    qtbot.waitUntil(lambda: panel.latest is not None, timeout=10000)
    step = panel.step
    panel.take(panel.latest)
    qtbot.waitUntil(lambda: panel.step != step, timeout=20000)


def test_guided_capture_and_estimate(qtbot, panel, tmp_path):
    front = write_video(tmp_path / "front.avi", body_photo(0))
    side = write_video(tmp_path / "side.avi", body_photo(90))
    panel.skip_button.click()  # no background plate
    assert panel.step == "front" and "facing the camera" in panel.step_label.text()
    take_from_video(qtbot, panel, front)
    assert panel.step == "side"
    qtbot.waitUntil(lambda: panel.check_label.text() != "", timeout=10000)  # live checks run on the preview
    take_from_video(qtbot, panel, side)
    assert panel.step == "done" and panel.estimate_button.isEnabled()
    panel.stop_camera()
    errors = []
    panel.error.connect(errors.append)
    panel.estimate_button.click()  # no height yet
    assert errors and "height" in errors[-1]
    qtbot.keyClicks(panel.height_edit, "168")
    with qtbot.waitSignal(panel.estimated, timeout=30000):
        with qtbot.waitSignal(panel.skin_tone_suggested, timeout=30000) as suggested:
            panel.estimate_button.click()
    from avatar.looks import SKIN_TONE_NAMES

    # the drawn test photo is no real face: which tone it reads is tested on rendered bodies (test_skin_tone)
    assert len(suggested.args) == 1 and suggested.args[0] in SKIN_TONE_NAMES
    values = panel.session.measurements
    assert values["stature"] == 168.0
    assert 60 < values["waist_girth"] < 100 and 75 < values["hip_girth"] < 120
    assert panel.results.isVisible() and "±" in panel.results.item(1, 1).text()


def test_photo_without_a_person_is_refused_with_guidance(qtbot, panel, tmp_path):
    errors = []
    panel.error.connect(errors.append)
    empty = body_photo(0)
    empty[:] = empty[0, 0]  # the wall only: the shopper stepped out
    panel.skip_button.click()
    panel.start_camera(str(write_video(tmp_path / "empty.avi", empty)), loop=True)
    qtbot.waitUntil(lambda: panel.latest is not None, timeout=10000)
    panel.take(panel.latest)
    qtbot.waitUntil(lambda: bool(errors), timeout=20000)
    assert panel.step == "front" and "front" not in panel.photos
    assert "photo" in errors[-1] and ("retake" in errors[-1] or "step" in errors[-1])


def test_clearing_the_session_drops_every_frame(qtbot, panel, tmp_path):
    front = write_video(tmp_path / "front.avi", body_photo(0))
    panel.skip_button.click()
    take_from_video(qtbot, panel, front)
    assert panel.photos and panel.latest is not None
    panel.session.clear()
    assert panel.photos == {} and panel.latest is None and panel.reader is None
    assert panel.preview.pixmap().isNull()


def test_probe_lists_only_cameras_that_deliver_a_frame_in_time():
    import threading

    from app.gui.panels.capture import probe_cameras

    release = threading.Event()

    def delivers(index):
        if index == 2:  # a driver that hangs
            release.wait(30)
            return True
        if index == 3:
            raise RuntimeError("driver error")
        return index in (1, 4)

    try:
        assert probe_cameras(6, 0.5, delivers=delivers) == [1, 4]
    finally:
        release.set()


@pytest.fixture
def make_panel(qtbot, monkeypatch):
    """A shown camera panel whose camera probe finds the given indices."""
    from app.gui.panels import capture

    made = []

    def make(found):
        monkeypatch.setattr(capture, "probe_cameras", lambda *args, **kwargs: list(found))
        runner = TaskRunner()
        p = CapturePanel(Session(), runner)
        qtbot.addWidget(p)
        made.append((p, runner))
        p.show()  # the first show lists the cameras
        return p

    yield make
    for p, runner in made:
        p.stop_camera()
        runner.shutdown()


def test_no_camera_found_is_said_and_start_is_off(qtbot, make_panel):
    panel = make_panel([])
    qtbot.waitUntil(lambda: panel.source_box.currentText() == "No camera found", timeout=10000)
    assert panel.source_box.count() == 1 and panel.source_box.currentData() is None
    assert not panel.start_button.isEnabled()
    assert panel.preview.text().startswith("No camera found — connect one")
    assert "photos from files" in panel.preview.text()
    with qtbot.waitSignal(panel.error, timeout=10000) as blocker:  # asked for: the banner says it too
        panel.find_button.click()
    assert "No camera found" in blocker.args[0]


def test_a_camera_that_fails_says_what_to_do_and_start_works_again(qtbot, make_panel, monkeypatch):
    from avatar.estimate import camera
    from avatar.estimate.camera import CameraError

    def unplugged(source, **kwargs):
        raise CameraError(f"camera {source} cannot be opened; check that it is connected and not used by "
                          "another program")

    monkeypatch.setattr(camera, "open_source", unplugged)
    panel = make_panel([0])
    qtbot.waitUntil(lambda: panel.source_box.currentData() == 0, timeout=10000)
    assert panel.start_button.isEnabled()
    with qtbot.waitSignal(panel.error, timeout=10000) as blocker:
        panel.start_button.click()
    assert "camera 0 cannot be opened" in blocker.args[0]
    qtbot.waitUntil(lambda: "Starting" not in panel.preview.text(), timeout=5000)
    assert "Camera 0 cannot be opened" in panel.preview.text() and "No camera found — connect one" in panel.preview.text()
    assert panel.reader is None and panel.start_button.isEnabled() and panel.start_button.text() == "Start camera"


def test_a_photo_bomb_from_a_file_is_refused_before_decoding(qtbot, panel, tmp_path):
    from tests.test_hostile_photos import png_header_only

    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_only(20000, 20000))
    errors = []
    panel.error.connect(errors.append)
    panel.use_files(str(bomb), str(bomb))
    assert errors and "megapixel" in errors[-1] and "front" not in panel.photos


def test_the_photo_button_counts_down_then_takes_the_picture(qtbot, panel, tmp_path):
    panel._tick.setInterval(10)  # the countdown's seconds, shortened
    panel.start_camera(str(write_video(tmp_path / "room.avi", body_photo(0))), loop=True)
    qtbot.waitUntil(panel.capture_button.isEnabled, timeout=10000)
    panel.capture_button.click()
    assert panel.capture_button.text() == "3" and not panel.capture_button.isEnabled()
    qtbot.waitUntil(lambda: panel.step == "front", timeout=5000)  # the background plate is kept unchecked
    assert set(panel.photos) == {"background"} and panel.capture_button.text() == "Take front photo"
    assert panel.capture_button.isEnabled() and not panel.skip_button.isVisible()
