"""An on-screen numeric keypad for touch screens (the kiosk has no keyboard).

Its keys never take the focus; each press is sent as a real key event to the widget that
has it, so line edits validate exactly as if the key had been typed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QGridLayout, QPushButton, QSizePolicy, QWidget

from .constants import TOUCH_TARGET_PX

KEYS = (("7", "8", "9"), ("4", "5", "6"), ("1", "2", "3"), (".", "0", "⌫"))


class NumericKeypad(QWidget):
    """Digits, decimal point, backspace, and "Next" (moves to the next field).

    Parameters
    ----------
    decimal : show the "." key (off for PINs)
    target : send keys to this widget instead of the focused one
    """

    def __init__(self, parent: QWidget | None = None, *, decimal: bool = True, target: QWidget | None = None,
                 next_key: bool = True):
        super().__init__(parent)
        self.setObjectName("keypad")
        self.target = target
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        for r, row in enumerate(KEYS):
            for c, key in enumerate(row):
                if key == "." and not decimal:
                    continue
                self._add(grid, key, r, c)
        if next_key:
            self._add(grid, "Next", len(KEYS), 0, span=3)

    def _add(self, grid, key, r, c, span=1) -> None:
        b = QPushButton(key)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setMinimumSize(TOUCH_TARGET_PX + 16, TOUCH_TARGET_PX)
        b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        b.setStyleSheet("font-size:20px;")
        b.clicked.connect(lambda _=False, k=key: self.press(k))
        grid.addWidget(b, r, c, 1, span)
        self.buttons[key] = b

    def press(self, key: str) -> None:
        """Send one key to the target (or the focused widget)."""
        widget = self.target or QApplication.focusWidget()
        if widget is None:
            return
        if key == "Next":
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier))
            return
        code, text = (Qt.Key.Key_Backspace, "") if key == "⌫" else (Qt.Key(ord(key)), key)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, text))
