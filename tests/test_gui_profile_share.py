"""Export, Import and the profile code in the measurements panel; reading a code in the Camera tab."""

import numpy as np
import pytest
from PySide6.QtGui import QImage

from app.gui.panels.measurements import MeasurementsPanel
from app.gui.panels.profile_code import ProfileCodeReader
from app.gui.session import Session
from app.gui.tasks import TaskRunner
from avatar.portable import PortableProfile, read_portable_file, write_portable_file
from avatar.profile_qr import code_png, read_profile_code
from avatar.profiles import ProfileStore

FOUR = {"stature": 165.0, "chest_girth": 92.0, "waist_girth": 76.0, "hip_girth": 101.0}


@pytest.fixture
def panel(qtbot, _home):
    session = Session()
    p = MeasurementsPanel(session, store=ProfileStore())
    qtbot.addWidget(p)
    p.show()
    session.set_measurements({**FOUR, "neck_girth": 34.0}, "female")
    session.set_uncertainty({"chest_girth": 1.6, "hip_girth": 1.1})
    return p


def qimage_to_rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    h, w, stride = image.height(), image.width(), image.bytesPerLine()
    return np.frombuffer(image.constBits(), np.uint8).reshape(h, stride)[:, :3 * w].reshape(h, w, 3).copy()


def test_export_gives_only_the_ticked_values(qtbot, panel, tmp_path):
    out = tmp_path / "anna.json"
    panel.sharing.ask_save_path = lambda suggested: str(out)
    dialog = panel.sharing.export_profile()
    assert not dialog.boxes["stature"].isEnabled() and dialog.boxes["stature"].isChecked()
    assert dialog.boxes["chest_girth"].text() == "Chest / bust: 92 ± 1.6 cm"
    dialog.boxes["neck_girth"].setChecked(False)
    dialog.boxes["sex"].setChecked(False)
    dialog.accept_button.click()
    exported = read_portable_file(out)
    assert exported.measurements == FOUR and exported.sex is None
    assert exported.uncertainty == {"chest_girth": 1.6, "hip_girth": 1.1}


def test_an_edited_estimate_loses_its_uncertainty(panel):
    panel.session.set_measurement("chest_girth", 94.0)
    assert panel.session.uncertainty == {"hip_girth": 1.1}


def test_import_saves_the_profile_and_builds_its_avatar(qtbot, panel, tmp_path):
    path = write_portable_file(PortableProfile({"stature": 182.0, "waist_girth": 88.0}, "male", {}, "Ben"),
                               tmp_path / "ben.json")
    with qtbot.waitSignal(panel.build_requested):
        assert panel.sharing.import_from(path)
    assert panel.session.measurements == {"stature": 182.0, "waist_girth": 88.0} and panel.session.sex == "male"
    assert panel.session.profile == "Ben" and ProfileStore().load("Ben").measurements["waist_girth"] == 88.0
    assert panel.profile_box.currentText() == "Ben"


def test_save_and_load_keep_the_uncertainty_of_estimated_values(qtbot, panel, tmp_path):
    panel.save_as("Anna")
    assert ProfileStore().load("Anna").uncertainty == {"chest_girth": 1.6, "hip_girth": 1.1}
    panel.session.set_measurements({"stature": 150.0}, uncertainty={})
    with qtbot.waitSignal(panel.build_requested):
        panel.load_profile("Anna")
    assert panel.session.uncertainty == {"chest_girth": 1.6, "hip_girth": 1.1}
    assert panel.sharing.current().uncertainty == {"chest_girth": 1.6, "hip_girth": 1.1}


def test_import_keeps_the_uncertainty_in_the_saved_profile(qtbot, panel, tmp_path):
    path = write_portable_file(PortableProfile({"stature": 182.0, "waist_girth": 88.0}, "male", {"waist_girth": 2.2},
                                               "Ben"), tmp_path / "ben.json")
    with qtbot.waitSignal(panel.build_requested):
        assert panel.sharing.import_from(path)
    assert ProfileStore().load("Ben").uncertainty == {"waist_girth": 2.2}
    assert panel.session.uncertainty == {"waist_girth": 2.2}


def test_a_bad_file_is_refused_in_the_banner_and_nothing_is_saved(qtbot, panel, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "fitting-room-profile", "format_version": 7, "measurements": {"stature": 170}}')
    with qtbot.waitSignal(panel.error) as message:
        assert not panel.sharing.import_from(bad)
    assert "format version 7" in message.args[0] and "\n" not in message.args[0]
    assert ProfileStore().names() == [] and panel.session.measurements["neck_girth"] == 34.0


def test_the_code_shown_reads_back_with_the_ticked_values(qtbot, panel, tmp_path):
    dialog = panel.sharing.show_code()
    dialog.set_ticked(["chest_girth", "waist_girth", "hip_girth"])
    dialog.accept_button.click()
    code = panel.sharing.dialog
    assert code.summary.text() == "Height 165 cm, chest 92 ± 1.6 cm, waist 76 cm, hip 101 ± 1.1 cm"
    shown = read_profile_code(qimage_to_rgb(code.code_label.pixmap().toImage()))
    assert shown.measurements == pytest.approx(FOUR) and shown.sex is None


@pytest.fixture
def reader(qtbot):
    session = Session()
    runner = TaskRunner()
    r = ProfileCodeReader(session, runner)
    qtbot.addWidget(r)
    r.show()
    yield r
    runner.shutdown()


def test_a_photo_of_a_code_asks_then_fills_the_session(qtbot, reader, tmp_path):
    photo = tmp_path / "code.png"
    photo.write_bytes(code_png(PortableProfile(FOUR)))
    with qtbot.waitSignal(reader.found, timeout=10000):
        reader.read_photo(photo)
    assert reader.question.text() == "Height 165 cm, chest 92 cm, waist 76 cm, hip 101 cm: use these?"
    assert reader.session.measurements == {}  # nothing is used before the shopper says so
    with qtbot.waitSignal(reader.build_requested):
        reader.use_button.click()
    assert reader.session.measurements == FOUR and not reader.confirm.isVisible()


def test_a_foreign_code_or_no_code_is_one_line(qtbot, reader, tmp_path):
    import segno

    foreign = tmp_path / "shop.png"
    segno.make("https://example.com/", error="m").save(str(foreign), scale=6, border=4)
    with qtbot.waitSignal(reader.error, timeout=10000) as message:
        reader.read_photo(foreign)
    assert "not a fitting-room profile" in message.args[0]
    import cv2

    blank = tmp_path / "wall.png"
    cv2.imwrite(str(blank), np.full((120, 160, 3), 200, np.uint8))
    with qtbot.waitSignal(reader.error, timeout=10000) as message:
        reader.read_photo(blank)
    assert message.args[0].startswith("No QR code found in wall.png")
    assert reader.session.measurements == {}


def test_live_frames_are_read_and_a_declined_code_is_not_asked_again(qtbot, reader):
    from avatar.profile_qr import code_image

    frame = np.full((480, 640, 3), 120, np.uint8)
    code = code_image(PortableProfile(FOUR, "female"), scale=5)
    frame[50:50 + code.shape[0], 100:100 + code.shape[1]] = code
    with qtbot.waitSignal(reader.found, timeout=10000):
        reader.offer(frame)
    assert reader.question.text().endswith("hip 101 cm, female: use these?")
    reader.no_button.click()
    reader.offer(frame)
    qtbot.waitUntil(lambda: reader.latest is None and not reader.runner.busy("code"), timeout=5000)  # read again
    assert reader.pending is None and not reader.confirm.isVisible()
    reader.session.clear()
    assert reader.latest is None and reader.declined is None
