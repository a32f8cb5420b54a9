"""The camera panel alone: a webcam fed from video files, guided capture, estimate into the session."""

import pytest

from app.gui.panels.capture import CapturePanel
from app.gui.session import Session
from app.gui.tasks import TaskRunner
from tests.gui_fakes import body_photo, write_video

pytestmark = pytest.mark.body


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
        panel.estimate_button.click()
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
