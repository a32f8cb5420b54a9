"""Kiosk mode: keys that would leave are ignored, staff leave with the PIN, idle resets the session."""

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from app.gui.kiosk import KioskWindow, qr_image
from app.kiosk_pin import check_pin, check_pin_format, config_path, set_pin
from avatar.errors import UserError

PIN = "246813"


@pytest.fixture
def kiosk(qtbot):
    set_pin(PIN)
    window = KioskWindow(idle_timeout=0.3, prompt_timeout=0.3, prepare=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.staff_exit()
    window.runner.shutdown()


def test_pin_is_stored_hashed_only():
    set_pin(PIN)
    text = config_path().read_text()
    assert PIN not in text
    record = json.loads(text)["pin"]
    assert record["algorithm"] == "scrypt" and len(bytes.fromhex(record["salt"])) == 16
    assert check_pin(PIN) and not check_pin("246814") and not check_pin("")


def test_set_pin_command(tmp_path, _home):
    ok = subprocess.run([sys.executable, "-m", "app", "kiosk", "set-pin"], input="975312\n", text=True,
                        capture_output=True)
    assert ok.returncode == 0, ok.stderr
    assert check_pin("975312")
    bad = subprocess.run([sys.executable, "-m", "app", "kiosk", "set-pin"], input="975312\n12ab\n", text=True,
                         capture_output=True)
    assert bad.returncode == 2 and bad.stderr.startswith("error: the admin PIN must be")
    assert check_pin("975312")  # unchanged


@pytest.mark.parametrize("pin", ["\uff11\uff12\uff13\uff14\uff15\uff16", "\u0661\u0662\u0663\u0664\u0665\u0666", "1234\u00b356"])
def test_set_pin_refuses_digits_the_keypad_cannot_type(_home, pin):
    # full-width, Arabic-Indic and superscript digits pass str.isdigit but no keypad key types them
    bad = subprocess.run([sys.executable, "-m", "app", "kiosk", "set-pin"], input=pin + "\n", text=True,
                         encoding="utf-8", capture_output=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert bad.returncode == 2, bad.stderr
    assert bad.stderr.startswith("error: the admin PIN must be") and len(bad.stderr.strip().splitlines()) == 1
    assert not config_path().exists()
    with pytest.raises(UserError, match="digits 0-9"):
        check_pin_format(pin)
    assert check_pin_format(" 123456 ") == "123456"


def test_kiosk_refuses_to_start_without_pin(qtbot):
    with pytest.raises(UserError, match="kiosk set-pin"):
        KioskWindow(prepare=False)


def test_close_keys_and_close_requests_are_ignored(qtbot, kiosk):
    kiosk.start_session()
    for key, mod in ((Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                     (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
                     (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
                     (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)):
        qtbot.keyClick(kiosk, key, mod)
        qtbot.keyClick(kiosk.measurements_panel.edits["stature"], key, mod)
        assert kiosk.isVisible()
    assert kiosk.close() is False  # a window manager's close request (Alt+F4) is refused
    assert kiosk.isVisible()


def test_staff_leave_with_the_pin_only(qtbot, kiosk):
    dialog = kiosk.request_exit()
    for digit in "111111":
        dialog.findChild(type(dialog.ok_button), None)  # keypad buttons exist
        qtbot.mouseClick(_key(dialog, digit), Qt.MouseButton.LeftButton)
    dialog.ok_button.click()
    assert dialog.message.text() == "Wrong PIN" and kiosk.isVisible()
    for digit in PIN:
        qtbot.mouseClick(_key(dialog, digit), Qt.MouseButton.LeftButton)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not kiosk.isVisible())


def test_wrong_pins_make_staff_wait(qtbot, kiosk):
    from app.kiosk_pin import PIN_FREE_FAILURES

    dialog = kiosk.request_exit()
    for _ in range(PIN_FREE_FAILURES + 1):
        dialog.pin_edit.setText("000000")
        dialog.ok_button.click()
    assert "try again in" in dialog.message.text()
    dialog.pin_edit.setText(PIN)
    dialog.ok_button.click()  # the right PIN waits too
    assert dialog.message.text().startswith("Too many wrong PINs; try again in") and kiosk.isVisible()


def _key(dialog, text):
    from PySide6.QtWidgets import QPushButton

    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def test_idle_prompt_then_reset_wipes_the_session(qtbot, kiosk):
    kiosk.start_session()
    s = kiosk.session
    s.set_measurements({"stature": 171.0, "waist_girth": 77.0})
    s.add_to_cart("tee", "M")
    qtbot.waitUntil(lambda: kiosk.prompt.isVisible(), timeout=5000)
    assert kiosk.prompt_label.text() == "Are you still there?"
    kiosk.still_button.click()  # the shopper answers: nothing is lost
    assert not kiosk.prompt.isVisible() and s.measurements["stature"] == 171.0
    with qtbot.waitSignal(kiosk.session_reset, timeout=5000):
        pass  # no answer this time
    assert s.measurements == {} and s.cart == () and s.avatar is None or s.fit is None
    assert kiosk.measurements_panel.edits["stature"].text() == ""
    assert "Your data has been cleared" in kiosk.banner.text()
    assert kiosk.attract.isVisible() and kiosk.attract_note.text() == "Your data has been cleared"


def test_keypad_types_into_the_focused_field(qtbot, kiosk):
    kiosk.start_session()
    edit = kiosk.measurements_panel.edits["stature"]
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    for key in "1725":
        kiosk.measurements_panel.keypad.press(key)
    kiosk.measurements_panel.keypad.press("⌫")
    assert edit.text() == "172" and kiosk.session.measurements["stature"] == 172.0
    assert kiosk.measurements_panel.keypad.buttons["5"].height() >= 48


def test_order_qr_code():
    image = qr_image("FR-20260101-ABC123")
    assert not image.isNull() and image.width() == image.height() > 100


@pytest.mark.parametrize("argv, message", [
    (["--kiosk", "--idle-timeout", "0"], "--idle-timeout must be a positive number"),
    (["--idle-timeout", "30"], "applies to the kiosk"),
])
def test_bad_idle_timeout_is_a_clear_error(argv, message):
    out = subprocess.run([sys.executable, "-m", "app", *argv], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and out.stderr.startswith("error: ") and message in out.stderr


def test_reset_forgets_the_last_shoppers_body_field(qtbot, kiosk):
    import trimesh

    from garments.sdf import body_sdf

    box = trimesh.creation.box((0.3, 1.6, 0.2))
    body = type("Body", (), {"vertices": box.vertices + (0, 0.8, 0), "faces": box.faces, "body_faces": box.faces})()
    kiosk.start_session()
    field = body_sdf(body)
    assert body_sdf(body) is field  # kept while the shopper is here
    kiosk.reset_session()
    assert body_sdf(body) is not field  # built anew: the last one was forgotten


def test_reset_forgets_how_the_last_shoppers_body_was_fitted(qtbot, kiosk):
    import numpy as np

    from avatar import fit_memory

    kiosk.start_session()
    fit_memory.remember("female", ["waist"], ["stature"], np.full(4, 0.5), np.ones((1, 1)))
    assert fit_memory.nearest("female", ["waist"], ["stature"], np.full(4, 0.5)) is not None
    kiosk.reset_session()
    assert fit_memory.nearest("female", ["waist"], ["stature"], np.full(4, 0.5)) is None
