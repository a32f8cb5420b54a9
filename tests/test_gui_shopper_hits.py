"""What a shopper hit, each checked the way they met it: the Camera tab without a camera, file dialogs
that forget their folder, estimated values over a profile, the fit table's texts, the legend's units, the
window's layout and the blue buttons' focus ring."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from app.gui.panels.capture import CapturePanel
from app.gui.session import Session
from app.gui.settings import Settings
from app.gui.tasks import TaskRunner
from tests.gui_fakes import fit, write_video


@pytest.fixture
def capture(qtbot):
    """The Camera tab inside a window that has settings (not shown, so no cameras are probed)."""
    holder = QWidget()
    holder.settings = Settings()
    runner = TaskRunner()
    panel = CapturePanel(Session(), runner, holder)
    qtbot.addWidget(holder)
    yield panel
    panel.stop_camera()
    runner.shutdown()


# --- the Camera tab -----------------------------------------------------------------------------------------------

def test_without_a_camera_the_photo_button_is_disabled_and_says_why(qtbot, capture, tmp_path):
    errors = []
    capture.error.connect(errors.append)
    assert not capture.capture_button.isEnabled()
    why = "Start the camera to take the photos here, or use two photos from files."
    assert capture.capture_button.toolTip() == why and capture.step_label.text().startswith(why)
    assert "then: step out of the picture" in capture.step_label.text().lower()  # the step to come, after
    wall = np.full((120, 160, 3), 180, np.uint8)
    capture.start_camera(str(write_video(tmp_path / "wall.avi", wall)), loop=True)
    qtbot.waitUntil(capture.capture_button.isEnabled, timeout=10000)  # a picture arrived: it can be taken
    assert capture.step_label.text().startswith("Step out of the picture") and capture.capture_button.toolTip() == ""
    capture.stop_camera()
    assert not capture.capture_button.isEnabled() and capture.latest is None
    assert errors == []  # nothing had to be refused: what could not be done was never offered


def test_the_height_comes_from_the_profile_until_the_shopper_types_one(capture):
    session = capture.session
    assert capture.height_edit.text() == ""
    session.set_measurements({"stature": 172.5})
    assert capture.height_edit.text() == "172.5"
    session.set_measurements({"stature": 180.0})
    assert capture.height_edit.text() == "180"
    capture.height_edit.setText("168")  # typed by the shopper: kept
    session.set_measurements({"stature": 175.0})
    assert capture.height_edit.text() == "168"


def test_file_dialogs_open_in_the_folder_used_last_and_it_is_kept_in_the_settings(capture, monkeypatch, tmp_path,
                                                                                  _home):
    photos = tmp_path / "photos"
    photos.mkdir()
    opened_in = []

    def dialog(parent, caption, folder, filters):
        opened_in.append(folder)
        return str(photos / ("front.jpg" if "Front" in caption else "side.jpg")), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialog)
    chosen = []
    monkeypatch.setattr(capture, "use_files", lambda front, side: chosen.append((front, side)))
    capture.photos_from_files()
    capture.photos_from_files()
    assert chosen[0] == (str(photos / "front.jpg"), str(photos / "side.jpg"))
    settings = capture.window().settings
    assert opened_in[0] != str(photos) and opened_in[1:] == [str(photos)] * 3
    settings.save()
    assert Settings.load().folders == {"photos": str(photos)}


def test_a_remembered_folder_that_is_gone_opens_the_home_folder(qtbot, tmp_path):
    from pathlib import Path

    from app.gui.file_dialogs import last_folder

    holder = QWidget()
    qtbot.addWidget(holder)
    holder.settings = Settings(folders={"orders": str(tmp_path / "gone")})
    assert last_folder(holder, "orders") == str(Path.home()) == last_folder(QWidget(), "orders")


# --- estimated values over a profile ------------------------------------------------------------------------------

def pick(box, text):
    """Choose ``text`` in a combo box as the shopper does (the box reports it as activated)."""
    index = box.findText(text)
    box.setCurrentIndex(index)
    box.activated.emit(index)


def _estimate(values):
    """What the photo estimate hands the Camera tab: values with their uncertainty (cm)."""
    from types import SimpleNamespace

    return SimpleNamespace(values=lambda: dict(values), measurements={k: (v, 1.5) for k, v in values.items()},
                           warnings=())


@pytest.mark.body
def test_estimated_values_mark_the_profile_changed_and_loading_another_asks_first(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.gui.main_window import MainWindow
    from app.gui.panels.measurements import MODIFIED_MARK
    from avatar.profiles import Profile, ProfileStore

    ProfileStore().save(Profile("Anna", {"stature": 165.0, "waist_girth": 74.0}))
    ProfileStore().save(Profile("Ben", {"stature": 180.0}))
    window = MainWindow(prepare=False)
    qtbot.addWidget(window)
    panel = window.measurements_panel
    panel.load_profile("Anna")
    window.runner.forget()
    assert window.capture_panel.height_edit.text() == "165"  # the Camera tab knows the height already
    window.capture_panel.estimate_form.show_estimate(_estimate({"stature": 165.0, "waist_girth": 79.5, "hip_girth": 101.0}))
    assert panel.profile_box.currentText() == "Anna" + MODIFIED_MARK
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    pick(panel.profile_box, "Ben")
    assert asked and "Anna" in asked[0]
    assert window.session.measurements["waist_girth"] == 79.5 and panel.profile_box.currentText() == "Anna" + MODIFIED_MARK
    window.runner.forget()
    window.close()


def test_values_entered_without_a_profile_are_not_replaced_by_one_without_asking(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.gui.panels.measurements import UNSAVED, MeasurementsPanel
    from avatar.profiles import Profile, ProfileStore

    ProfileStore().save(Profile("Ben", {"stature": 180.0}))
    panel = MeasurementsPanel(Session(), store=ProfileStore())
    qtbot.addWidget(panel)
    panel.session.set_measurements({"stature": 166.0, "hip_girth": 99.0})  # from the photos, say
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or next(answers))
    pick(panel.profile_box, "Ben")
    assert len(asked) == 1 and "Save the measurements you entered" in asked[0]
    assert panel.session.measurements["hip_girth"] == 99.0 and panel.profile_box.currentText() == UNSAVED
    pick(panel.profile_box, "Ben")  # discarded, on purpose
    assert len(asked) == 2 and panel.session.measurements == {"stature": 180.0}


# --- the fit table and the legend ---------------------------------------------------------------------------------

def test_the_fit_table_never_shows_minus_zero_nor_a_length_row(qtbot):
    from app.gui.panels.tryon import TryOnPanel
    from tests.gui_fakes import lookup

    session = Session()
    panel = TryOnPanel(session, lookup)
    qtbot.addWidget(panel)
    session.add_tryon("tee", "M", "navy")
    session.set_all_advice({"tee": fit("M", {"M": {"chest": (-0.04, 0.0, "snug"), "waist": (-0.0, 0.0, "snug")}})})
    panel.choose_size("M")
    cells = [panel.zones.item(r, c).text() for r in range(panel.zones.rowCount()) for c in range(5)]
    assert cells[1] == "0.0 cm" and cells[6] == "0.0 cm" and not any("-0.0" in c for c in cells)
    from garments.finished import GIRTH_ZONES

    assert "length" not in GIRTH_ZONES  # lengths are no fit zone: no "Length -2.2 cm, as designed" row


def test_the_legend_reads_in_the_same_units_with_one_garment_or_two():
    from app.render.content import GarmentLayer, SceneContent
    from app.render.fitmap import legend_labels, limit_caption

    quad = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0]], float)
    knit = GarmentLayer("tee:M", quad, [[0, 1, 2]], strain=np.zeros(3), stretch_limit=0.06)
    woven = GarmentLayer("chino:32", quad, [[0, 1, 2]], strain=np.zeros(3), stretch_limit=0.02)
    one, two = (SceneContent(quad, [[0, 1, 2]], garments=g) for g in ((knit,), (knit, woven)))
    assert one.stretch_limits == (0.06,) and two.stretch_limits == (0.02, 0.06)
    assert [t for _p, t in legend_labels()] == ["0", "½ limit", "≥ limit"]  # one scale for both
    assert limit_caption(one.stretch_limits) == "limit 6 %" and limit_caption(two.stretch_limits) == "limits 2–6 %"


# --- the window ---------------------------------------------------------------------------------------------------

@pytest.fixture
def window(qtbot):
    from app.gui.main_window import MainWindow

    w = MainWindow(prepare=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.runner.forget()
    w.close()


def test_no_empty_strip_at_the_top_and_the_banner_moves_nothing(qtbot, window):
    layout = window.centralWidget().layout()
    layout.activate()
    assert window.tabs.mapTo(window, QPoint(0, 0)).y() == 0  # the panels start at the top: no strip above
    before = window.view.mapTo(window, QPoint(0, 0)), window.tabs.geometry()
    window.banner.show_error("Height: Required; fix the field marked in red")
    layout.activate()
    assert window.banner.isVisible() and window.banner.mapTo(window, QPoint(0, 0)).y() == 0
    assert (window.view.mapTo(window, QPoint(0, 0)), window.tabs.geometry()) == before
    assert window.banner.width() == window.view.parentWidget().width()  # across the view, not the panels
    if hasattr(window.view, "legend"):  # the 3D view: its fit-map legend sits below the banner
        assert window.view.layout().contentsMargins().top() >= window.banner.height()


def _contrast(a, b) -> float:
    """WCAG contrast ratio of two sRGB colours (0-255)."""
    def luminance(c):
        c = np.asarray(c, float) / 255
        lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_a_focused_blue_button_shows_a_ring_that_stands_out(qtbot, window):
    button = window.measurements_panel.build_button
    qtbot.waitUntil(button.isVisible)
    plain = button.grab().toImage()
    window.activateWindow()
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    focused = button.grab().toImage()
    y = plain.height() // 2
    edge = [plain.pixelColor(1, y).getRgb()[:3], focused.pixelColor(1, y).getRgb()[:3]]
    assert _contrast(*edge) >= 3.0, edge  # WCAG 2.2: the focused state differs from the plain one by 3:1
    assert plain.size() == focused.size()  # and the ring does not resize the button
