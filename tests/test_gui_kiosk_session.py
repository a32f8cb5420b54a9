"""A whole kiosk session (camera from video files, avatar, try-on, order), then nothing personal on disk."""

import os
import sqlite3
import tempfile
import time
from pathlib import Path

import pytest

from app.gui.kiosk import KioskWindow
from app.kiosk_pin import set_pin
from app.gui.main_window import TAB_CAMERA
from tests.gui_fakes import body_photo, write_video

pytestmark = pytest.mark.body

HEIGHT = "168.4"  # distinctive: searched for in every file written during the session
MAX_SCAN_BYTES = 8 * 1024 * 1024


def files_written_since(root: Path, since: float, skip: set[Path]) -> list[Path]:
    out = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            try:
                st = path.stat()
            except OSError:
                continue
            if st.st_mtime >= since and st.st_size <= MAX_SCAN_BYTES and path not in skip:
                out.append(path)
    return out


def test_whole_kiosk_session_leaves_no_personal_data(qtbot, tmp_path, _home, monkeypatch):
    system_tmp = Path(tempfile.gettempdir())
    private_tmp = tmp_path / "tmp"  # this process's temp directory, so other programs' files do not interfere
    private_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    inputs = tmp_path / "camera"
    inputs.mkdir()
    front = write_video(inputs / "front.avi", body_photo(0))
    side = write_video(inputs / "side.avi", body_photo(90))
    set_pin("864213")
    started = time.time() - 1
    window = KioskWindow(idle_timeout=600, prompt_timeout=600)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: bool(window.garments), timeout=60000)
    assert all(g.source == "builtin" for g in window.garments.values())  # the store's catalog only
    assert window.catalog_panel.import_button is None  # no designer import

    window.start_session()
    window.tabs.setCurrentIndex(TAB_CAMERA)
    cam = window.capture_panel
    assert not hasattr(cam, "files_button")  # no file dialogs in the kiosk
    cam.skip_button.click()
    for video in (front, side):
        cam.start_camera(str(video), loop=True)
        qtbot.waitUntil(lambda: cam.latest is not None, timeout=10000)
        step = cam.step
        cam.take(cam.latest)
        qtbot.waitUntil(lambda: cam.step != step, timeout=30000)
    cam.stop_camera()
    qtbot.keyClicks(cam.height_edit, HEIGHT)
    with qtbot.waitSignal(cam.estimated, timeout=30000):
        cam.estimate_button.click()
    assert window.session.measurements["stature"] == pytest.approx(168.4)
    assert window.measurements_panel.edits["stature"].text() == HEIGHT

    window.measurements_panel.build_button.click()
    qtbot.waitUntil(lambda: window.session.fit is not None, timeout=60000)
    window.try_on("crew-tee")
    qtbot.waitUntil(lambda: "crew-tee" in window.session.drapes, timeout=120000)
    window.tryon_panel.choose_size("L")
    qtbot.waitUntil(lambda: getattr(window.session.drapes.get("crew-tee"), "size", "L") == "L", timeout=120000)
    window.tryon_panel.cart_button.click()
    assert not window.cart_panel.consent.isVisible()
    with qtbot.waitSignal(window.cart_panel.order_placed, timeout=10000) as placed:
        window.cart_panel.place_button.click()
    order = placed.args[0]
    assert order.measurements is None
    assert window.handoff.isVisible() and order.order_id in window.handoff_title.text()
    assert not window.qr_label.pixmap().isNull()

    window.reset_session()
    assert window.session.measurements == {} and window.capture_panel.photos == {}
    assert "Your data has been cleared" in window.banner.text()
    window._may_close = True
    window.close()

    # nothing personal on disk: no measurement, photo or picture in the data root or the temp directory
    db = sqlite3.connect(_home / "orders.sqlite3")
    assert db.execute("SELECT measurements FROM orders").fetchall() == [(None,)]
    assert db.execute("SELECT COUNT(*) FROM order_pictures").fetchone() == (0,)
    db.close()
    skip = {front, side}
    for path in files_written_since(_home, started, skip) + files_written_since(private_tmp, started, skip):
        assert HEIGHT.encode() not in path.read_bytes(), f"{path} holds the shopper's height"
        assert path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".avi", ".npy", ".npz"), f"{path} was written"
    for path in files_written_since(system_tmp, started, skip | set(files_written_since(tmp_path, 0, set()))):
        try:
            data = path.read_bytes()
        except OSError:  # another program's temporary file, gone already
            continue
        assert HEIGHT.encode() not in data, f"{path} holds the shopper's height"
    assert not (_home / "profiles").exists() or not any((_home / "profiles").iterdir())
    assert not (_home / "settings.json").exists()
