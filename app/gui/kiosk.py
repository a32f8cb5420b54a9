"""The in-store kiosk: the fitting room fullscreen, touch-first, and leaving nothing behind.

- Shoppers cannot leave: Escape, Ctrl+Q, Ctrl+W, Alt+F4 and close requests are ignored; staff
  leave with the admin PIN (``fitting-room kiosk set-pin``).
- Nothing personal is written: no profiles, no settings, orders without measurements or picture.
- After ``idle_timeout`` seconds without input: "Are you still there?"; with no answer the session
  is wiped from memory, "Your data has been cleared" is shown, and the attract screen waits.
- A placed order shows its number and a QR code for staff; its "Done" ends the session (wiped as on idle).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (QApplication, QDialog, QFrame, QLabel, QLineEdit, QPushButton, QToolButton,
                               QVBoxLayout, QWidget)

from app.kiosk_pin import PinGuard, PinLockedError
from avatar import fit_memory
from avatar.errors import UserError
from garments import sdf, transfer

from .constants import IDLE_PROMPT_S, IDLE_TIMEOUT_S, TOUCH_TARGET_PX
from .keypad import NumericKeypad
from .main_window import TAB_MEASUREMENTS, MainWindow

log = logging.getLogger(__name__)

#: Key presses that would leave or close the window; the kiosk swallows them.
BLOCKED_KEYS = (
    QKeySequence(Qt.Key.Key_Escape),
    QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q),
    QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_W),
    QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_F4),
    QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_F4),
)
ACTIVITY_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
                   QEvent.Type.TouchUpdate, QEvent.Type.Wheel}

KIOSK_STYLE = f"""
QWidget {{ font-size:16px; }}
QPushButton, QToolButton, QComboBox, QLineEdit, QSpinBox {{ min-height:{TOUCH_TARGET_PX}px; }}
QPushButton, QToolButton {{ min-width:{TOUCH_TARGET_PX}px; }}
QTabBar::tab {{ min-height:{TOUCH_TARGET_PX}px; padding:0 12px; font-size:16px; }}
QCheckBox::indicator {{ width:32px; height:32px; }}
QListWidget::item {{ min-height:{TOUCH_TARGET_PX}px; }}
"""


def is_blocked_key(event) -> bool:
    combo = QKeySequence(event.keyCombination())
    return any(combo.matches(k) == QKeySequence.SequenceMatch.ExactMatch for k in BLOCKED_KEYS)


class _KeyGuard(QObject):
    """Application-wide filter: swallows the leaving keys and reports every input as activity."""

    activity = Signal()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and is_blocked_key(event):
            return True
        if kind in ACTIVITY_EVENTS:
            self.activity.emit()
        return False


class Overlay(QFrame):
    """A full-window layer with a message and buttons (prompts, attract screen, order hand-off)."""

    def __init__(self, parent: QWidget, name: str, dim: bool = True):
        super().__init__(parent)
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#{name} {{ background: rgba(20, 24, 32, {190 if dim else 120}); }}"
                           f"#{name} QLabel {{ color:white; }}"
                           f"#{name} QPushButton {{ min-width:280px; min-height:72px; font-size:22px; font-weight:700;"
                           " background:#1f5fbf; color:white; border:0; border-radius:36px; }")
        self.box = QVBoxLayout(self)
        self.box.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.box.setSpacing(18)
        self.hide()

    def show_over(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()


class PinDialog(QDialog):
    """Staff exit: a PIN field with its own keypad. ``accepted`` only for the right PIN (checked by ``guard``)."""

    def __init__(self, guard: PinGuard, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Dialog)
        self.setObjectName("pinDialog")
        self.setModal(True)
        self.guard = guard
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Staff: enter the admin PIN to leave the kiosk"))
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.pin_edit)
        self.message = QLabel()
        self.message.setStyleSheet("color:#b3261e;")
        layout.addWidget(self.message)
        layout.addWidget(NumericKeypad(decimal=False, target=self.pin_edit, next_key=False))
        self.ok_button = QPushButton("Unlock")
        self.ok_button.clicked.connect(self.try_pin)
        cancel = QPushButton("Back")
        cancel.clicked.connect(self.reject)
        layout.addWidget(self.ok_button)
        layout.addWidget(cancel)
        self.setStyleSheet(KIOSK_STYLE + "#pinDialog { background:white; border:1px solid #888; }")

    def try_pin(self) -> None:
        try:
            right = self.guard.check(self.pin_edit.text())
        except PinLockedError as exc:
            self.pin_edit.clear()
            message = str(exc)
            self.message.setText(message[:1].upper() + message[1:])
            return
        if right:
            self.accept()
            return
        self.pin_edit.clear()
        wait = self.guard.wait_s()
        self.message.setText(f"Wrong PIN; try again in {max(1, round(wait))} s" if wait > 0 else "Wrong PIN")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Escape must not close it either... but "Back" does
        if event.key() == Qt.Key.Key_Escape:
            return
        super().keyPressEvent(event)


class KioskWindow(MainWindow):
    """The fitting room as a store kiosk.

    Signals
    -------
    session_reset() : the idle timeout wiped the session
    """

    session_reset = Signal()

    def __init__(self, idle_timeout: float = IDLE_TIMEOUT_S, prompt_timeout: float = IDLE_PROMPT_S, *,
                 prepare: bool = True, require_pin: bool = True):
        self.pin_guard = PinGuard()  # the hash is read once: editing kiosk.json later changes nothing here
        if require_pin and not self.pin_guard.is_set:
            raise UserError("the kiosk needs an admin PIN for staff to leave it; "
                            "set one with 'fitting-room kiosk set-pin' first")
        super().__init__(kiosk=True, prepare=prepare)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setStyleSheet(self.styleSheet() + KIOSK_STYLE)
        self.tabs.setMinimumWidth(560)
        self.splitter.setSizes([600, 1000])
        self._may_close = False
        self.guard = _KeyGuard(self)
        QApplication.instance().installEventFilter(self.guard)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(int(idle_timeout * 1000))
        self.idle_timer.timeout.connect(self.ask_still_there)
        self.prompt_timer = QTimer(self)
        self.prompt_timer.setSingleShot(True)
        self.prompt_timer.setInterval(int(prompt_timeout * 1000))
        self.prompt_timer.timeout.connect(self.reset_session)
        self.guard.activity.connect(self._activity)
        self._build_overlays()
        self._add_staff_button()
        self.cart_panel.consent.hide()  # a kiosk keeps no measurements with orders
        self.cart_panel.picture = None  # nor a picture of the shopper's body
        self.cart_panel.order_placed.connect(self.show_order)
        self.show_attract()

    # overlays ------------------------------------------------------------------------------------------
    def _build_overlays(self) -> None:
        centre = self.centralWidget()
        self.prompt = Overlay(centre, "idlePrompt")
        self.prompt_label = QLabel("Are you still there?")
        self.prompt_label.setStyleSheet("font-size:34px; font-weight:600;")
        still = QPushButton("I'm still here")
        still.clicked.connect(self.still_here)
        self.prompt.box.addWidget(self.prompt_label, 0, Qt.AlignmentFlag.AlignCenter)
        self.prompt.box.addWidget(QLabel("Your session will be cleared for the next shopper."), 0,
                                  Qt.AlignmentFlag.AlignCenter)
        self.prompt.box.addWidget(still, 0, Qt.AlignmentFlag.AlignCenter)
        self.still_button = still

        self.attract = Overlay(centre, "attract", dim=False)
        self.attract.setStyleSheet(
            "#attract { background: qlineargradient(x1:0, y1:0, x2:0, y2:1, stop:0 rgba(14,20,36,215), "
            "stop:0.45 rgba(14,20,36,70), stop:1 rgba(14,20,36,215)); } #attract QLabel { color:white; }"
            f"#attractStart {{ min-width:360px; min-height:88px; font-size:26px; border-radius:44px; }}")
        self.attract_label = QLabel("Try it on — virtually")
        self.attract_label.setStyleSheet("font-size:52px; font-weight:700;")
        self.attract_sub = QLabel("Your measurements, your avatar, your size: see how clothes fit before you buy.")
        self.attract_sub.setStyleSheet("font-size:22px;")
        self.attract_note = QLabel("")
        self.attract_note.setObjectName("attractNote")
        self.attract_note.setStyleSheet("font-size:20px;")
        start = QPushButton("Touch to start")
        start.setObjectName("attractStart")
        start.setStyleSheet("background:#1f5fbf; color:white; font-weight:700; border:0;")
        start.clicked.connect(self.start_session)
        self.start_button = start
        self.attract.box.addSpacing(40)
        for w in (self.attract_label, self.attract_sub, self.attract_note):
            self.attract.box.addWidget(w, 0, Qt.AlignmentFlag.AlignCenter)
        self.attract.box.addStretch(1)
        self.attract.box.addWidget(start, 0, Qt.AlignmentFlag.AlignCenter)
        self.attract.box.addSpacing(60)

        self.handoff = Overlay(centre, "handoff")
        self.handoff_title = QLabel()
        self.handoff_title.setObjectName("orderNumber")
        self.handoff_title.setStyleSheet("font-size:34px; font-weight:700;")
        self.qr_label = QLabel()
        self.qr_label.setObjectName("orderQr")
        self.qr_label.setStyleSheet("background:white; padding:16px;")
        done = QPushButton("Done")
        done.clicked.connect(self.reset_session)  # the shopper is finished: nothing of theirs stays on screen
        self.done_button = done
        self.handoff.box.addWidget(self.handoff_title, 0, Qt.AlignmentFlag.AlignCenter)
        self.handoff.box.addWidget(QLabel("Show this code to a member of staff to collect and pay."), 0,
                                   Qt.AlignmentFlag.AlignCenter)
        self.handoff.box.addWidget(self.qr_label, 0, Qt.AlignmentFlag.AlignCenter)
        self.handoff.box.addWidget(done, 0, Qt.AlignmentFlag.AlignCenter)

    def _add_staff_button(self) -> None:
        self.staff_button = QToolButton(self.centralWidget())
        self.staff_button.setText("Staff")
        self.staff_button.setObjectName("staffButton")
        self.staff_button.setStyleSheet("color:#99a; background:transparent; border:0;")
        self.staff_button.clicked.connect(self.request_exit)
        self.staff_button.raise_()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        for overlay in (self.prompt, self.attract, self.handoff):
            if not overlay.isHidden():
                overlay.setGeometry(self.centralWidget().rect())
        r = self.centralWidget().rect()
        self.staff_button.setGeometry(r.right() - 90, r.bottom() - TOUCH_TARGET_PX - 2, 84, TOUCH_TARGET_PX)
        self.staff_button.raise_()

    # session lifecycle -----------------------------------------------------------------------------------
    def show_attract(self, note: str = "") -> None:
        self.attract_note.setText(note)
        self.attract.show_over()
        self.view.set_turntable(True)
        self.idle_timer.stop()

    def start_session(self) -> None:
        self.attract.hide()
        self.view.set_view("front")  # stops the turntable and faces the shopper
        self.tabs.setCurrentIndex(TAB_MEASUREMENTS)
        self.idle_timer.start()

    def _activity(self) -> None:
        if not self.attract.isVisible() and not self.prompt.isVisible():
            self.idle_timer.start()

    def ask_still_there(self) -> None:
        self.prompt.show_over()
        self.prompt_timer.start()

    def still_here(self) -> None:
        self.prompt_timer.stop()
        self.prompt.hide()
        self.idle_timer.start()

    def reset_session(self) -> None:
        """Wipe the shopper's session from memory and wait for the next one."""
        self.prompt_timer.stop()
        self.prompt.hide()
        self.handoff.hide()
        self.qr_label.clear()
        self.handoff_title.setText("")
        self.runner.forget()  # results of running work must not bring data back
        for edit in self.measurements_panel.edits.values():
            edit.clear()
        self.cart_panel.notes.clear()
        self.controller.forget()
        self.session.clear()
        sdf.forget_bodies()  # the body's distance field and bindings go with the shopper
        transfer.forget_bodies()
        fit_memory.forget()  # and how their body answered the fit
        self.banner.dismiss()
        self.prepare_body()
        self.show_attract("Your data has been cleared")
        self.banner.show_info("Your data has been cleared")
        self.session_reset.emit()

    def _prepared(self, avatar) -> None:
        if self.session.avatar is None:
            self.session.set_avatar(avatar, None)

    # order hand-off ------------------------------------------------------------------------------------------
    def show_order(self, order) -> None:
        self.handoff_title.setText(f"Order {order.order_id}")
        self.qr_label.setPixmap(QPixmap.fromImage(qr_image(order.order_id)))
        self.handoff.show_over()

    # leaving ---------------------------------------------------------------------------------------------------
    def request_exit(self) -> PinDialog:
        """Ask staff for the PIN; the window closes only when it is right."""
        dialog = PinDialog(self.pin_guard, self)
        dialog.accepted.connect(self.staff_exit)
        dialog.open()
        self.pin_dialog = dialog
        return dialog

    def staff_exit(self) -> None:
        self._may_close = True
        self.close()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        if is_blocked_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt name
        if not self._may_close:
            event.ignore()
            return
        QApplication.instance().removeEventFilter(self.guard)
        self.idle_timer.stop()
        self.prompt_timer.stop()
        self.session.clear()
        super().closeEvent(event)


def qr_image(text: str, scale: int = 8) -> QImage:
    """A QR code of ``text`` as a black-on-white QImage."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return QImage.fromData(buffer.getvalue(), "PNG")
