"""The fit in motion, in the Fit box: the worn size and its neighbours tried walking, sitting, reaching and
bending (``garments.movement``), on the shopper's request. Mirrors ``TryOnController.motion``."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from garments.movement import POSE_WORDS


def motion_html(test, size: str) -> str:
    """The movement test's advice for ``size`` as lines of rich text ("" when that size was not tried)."""
    if test is None or size not in [s.size for s in test.sizes]:
        return ""
    return "<br>".join(f"• {escape(line, quote=False)}" for line in test.advice(size))


class MotionBox(QWidget):
    """A "Try in motion" button and what the poses say of the selected garment's size."""

    def __init__(self, session, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.controller = session, controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        poses = ", ".join(POSE_WORDS[p] for p in ("walk", "sit", "reach", "bend"))
        self.button = QPushButton("Try in motion")
        self.button.setToolTip(f"try this size and the sizes next to it {poses}")
        self.button.clicked.connect(self._test)
        self.label = QLabel()
        self.label.setObjectName("motionLabel")
        self.label.setWordWrap(True)
        layout.addWidget(self.button)
        layout.addWidget(self.label)
        session.tryon_changed.connect(self._sync)
        controller.motion_changed.connect(lambda _garment_id: self._sync())
        self._sync()

    def _test(self) -> None:
        if self.controller.test_in_motion(self.session.selected) is not None:
            self.button.setEnabled(False)
            self.label.setText("Trying it walking, sitting, reaching up and bending…")

    def _sync(self) -> None:
        item = self.session.item(self.session.selected)
        test = self.controller.motion.get(item.garment_id) if item is not None else None
        self.button.setEnabled(item is not None and bool(item.size) and self.session.avatar is not None)
        self.label.setText(motion_html(test, item.size) if item is not None else "")
