"""Reading a shopper's profile code (QR) in the Camera tab: from the live camera or a photo file.

The newest camera frame is read for a code in a worker a few times a second
(``avatar.profile_qr.read_profile_code``, the same reader the tests and the command line use); what was
read and the shopper's answer are ``app.controller.profile_code.ProfileCodeModel``, which this widget
feeds and mirrors. A code found is shown as one line, "Height 165 cm, chest 92 cm, waist 76 cm, hip 101 cm: use these?"; on
"Use these" its values replace the session's measurements and the avatar is built from them.

Privacy: the values live only in the session (never written anywhere; a kiosk wipes them with the
session), and frames are dropped as soon as they have been read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.controller.profile_code import ProfileCodeModel
from avatar.portable import PortableProfile, describe

from ..session import Session
from ..file_dialogs import open_file
from ..tasks import TaskRunner

#: How often the newest frame is read for a code, ms: a read costs a median 56 ms of CPU on a 720p frame
#: (p95 180 ms, bench/bench_profile_code.py), so a shown code is found within about half a second and
#: looking takes about a seventh of one core.
SCAN_INTERVAL_MS = 400


class ProfileCodeReader(QWidget):
    """Signals: ``error(str)``, ``info(str)``, ``build_requested()`` after the shopper accepts a code's values.

    Parameters
    ----------
    session : receives the values of an accepted code
    model : the code read and the answer, mirrored here (a new one for ``session`` if None)
    runner : the window's task runner (codes are read there)
    file_dialogs : offer "Read a profile code from a photo…" (not in the kiosk)
    """

    error = Signal(str)
    info = Signal(str)
    build_requested = Signal()
    found = Signal(object)  # the PortableProfile of a code now waiting for the shopper's answer

    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None, *,
                 model: ProfileCodeModel | None = None, file_dialogs: bool = True):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.model = model or ProfileCodeModel(session, runner)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setToolTip("Show a profile code from the fitting-room app to the camera: it fills in your measurements")
        self.photo_button = None  # the owner places it (beside its other file buttons)
        if file_dialogs:
            self.photo_button = QPushButton("Read a profile code from a photo…")
            self.photo_button.setToolTip(self.toolTip())
            self.photo_button.clicked.connect(self.choose_photo)
        self.confirm = QFrame()
        self.confirm.setObjectName("codeConfirm")
        self.confirm.setStyleSheet("#codeConfirm { background:#e8f0fb; border:1px solid #9db3d6; border-radius:4px; }")
        box = QHBoxLayout(self.confirm)
        self.question = QLabel()
        self.question.setObjectName("codeQuestion")
        self.question.setWordWrap(True)
        self.use_button = QPushButton("Use these")
        self.use_button.setObjectName("primary")
        self.use_button.clicked.connect(self.accept_code)
        self.no_button = QPushButton("No")
        self.no_button.clicked.connect(self.decline_code)
        box.addWidget(self.question, 1)
        box.addWidget(self.use_button)
        box.addWidget(self.no_button)
        layout.addWidget(self.confirm)
        self.hide()  # shown only while a code's values wait for the shopper's answer: no room taken before

        self._timer = QTimer(self)
        self._timer.setInterval(SCAN_INTERVAL_MS)
        self._timer.timeout.connect(self._scan)
        self.model.found.connect(self._found)
        self.model.closed.connect(self._closed)
        self.model.error.connect(self.error.emit)
        self.model.info.connect(self.info.emit)
        self.model.accepted.connect(self.build_requested.emit)

    # what the model holds ----------------------------------------------------------------------------
    @property
    def latest(self) -> np.ndarray | None:
        """The newest frame not read yet (None once read)."""
        return self.model.latest

    @property
    def pending(self) -> PortableProfile | None:
        """The code's values waiting for the shopper's answer."""
        return self.model.pending

    @property
    def declined(self) -> PortableProfile | None:
        """The code the shopper said no to: not asked about again while it stays in view (None after)."""
        return self.model.declined

    # live frames -------------------------------------------------------------------------------------
    def offer(self, rgb: np.ndarray) -> None:
        """The camera's newest frame (RGB (H, W, 3) uint8); it is read at the next scan, then dropped."""
        self.model.offer(rgb)
        if not self._timer.isActive():
            self._timer.start()

    def _scan(self) -> None:
        if not self.model.scan():
            self._timer.stop()  # the camera stopped: nothing to read until it sends frames again

    def _found(self, profile: PortableProfile) -> None:
        self.question.setText(f"{describe(profile)}: use these?")
        self.show()
        self.found.emit(profile)

    def _closed(self) -> None:
        self.question.setText("")
        self.hide()

    # a photo of the code -------------------------------------------------------------------------------
    def choose_photo(self) -> None:
        path = open_file(self, "Photo of a profile code", "Images (*.jpg *.jpeg *.png)", "photos")
        if path:
            self.read_photo(path)

    def read_photo(self, path: str | Path) -> None:
        """Read a code from a photo file (through the same reader as live frames)."""
        self.model.read_photo(path)

    # the shopper's answer ----------------------------------------------------------------------------------
    def accept_code(self) -> None:
        """Put the code's values in the session (they replace what was there) and ask for the avatar."""
        self.model.accept()

    def decline_code(self) -> None:
        self.model.decline()

    def forget(self) -> None:
        """Drop the frame, the code and its values (as when the session is cleared)."""
        self._timer.stop()
        self.model.forget()
