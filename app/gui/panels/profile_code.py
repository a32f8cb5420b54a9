"""Reading a shopper's profile code (QR) in the Camera tab: from the live camera or a photo file.

The newest camera frame is read for a code in a worker a few times a second
(``avatar.profile_qr.read_profile_code``, the same reader the tests and the command line use). A code
found is shown as one line, "Height 165 cm, chest 92 cm, waist 76 cm, hip 101 cm: use these?"; on
"Use these" its values replace the session's measurements and the avatar is built from them.

Privacy: the values live only in the session (never written anywhere; a kiosk wipes them with the
session), and frames are dropped as soon as they have been read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from avatar.errors import UserError
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
    runner : the window's task runner (codes are read there)
    file_dialogs : offer "Read a profile code from a photo…" (not in the kiosk)
    """

    error = Signal(str)
    info = Signal(str)
    build_requested = Signal()
    found = Signal(object)  # the PortableProfile of a code now waiting for the shopper's answer

    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None, *,
                 file_dialogs: bool = True):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.latest: np.ndarray | None = None
        self.pending: PortableProfile | None = None
        self._declined: PortableProfile | None = None  # not asked again while it stays in view
        self._refused = ""  # the last refusal shown, not repeated while the same code stays in view

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
        session.cleared.connect(self.forget)

    # live frames -------------------------------------------------------------------------------------
    @property
    def declined(self) -> PortableProfile | None:
        """The code the shopper said no to: not asked about again while it stays in view (None after)."""
        return self._declined

    def offer(self, rgb: np.ndarray) -> None:
        """The camera's newest frame (RGB (H, W, 3) uint8); it is read at the next scan, then dropped."""
        self.latest = rgb
        if not self._timer.isActive():
            self._timer.start()

    def _scan(self) -> None:
        if self.latest is None:
            self._timer.stop()  # the camera stopped: nothing to read until it sends frames again
            return
        if self.pending is not None or self.runner.busy("code"):
            return
        from avatar.profile_qr import read_profile_code

        frame, self.latest = self.latest, None
        task = self.runner.start("code", "Looking for a profile code", read_profile_code, frame, progress=False)
        task.finished.connect(self._read)
        task.failed.connect(self._refuse)

    def _read(self, profile: PortableProfile | None) -> None:
        if profile is None:
            self._declined, self._refused = None, ""  # the code left the picture
            return
        if profile == self._declined or self.pending is not None:
            return
        self._refused = ""
        self.pending = profile
        self.question.setText(f"{describe(profile)}: use these?")
        self.show()
        self.found.emit(profile)

    def _refuse(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, UserError) else f"the code cannot be read ({exc}); show it again"
        if message != self._refused:
            self._refused = message
            self.error.emit(message[:1].upper() + message[1:])

    # a photo of the code -------------------------------------------------------------------------------
    def choose_photo(self) -> None:
        path = open_file(self, "Photo of a profile code", "Images (*.jpg *.jpeg *.png)", "photos")
        if path:
            self.read_photo(path)

    def read_photo(self, path: str | Path) -> None:
        """Read a code from a photo file (through the same reader as live frames)."""
        from avatar.estimate.camera import read_image
        from avatar.profile_qr import read_profile_code

        try:
            rgb = read_image(path)
        except UserError as exc:
            self.error.emit(str(exc))
            return
        self._declined, self._refused = None, ""
        name = Path(path).name
        task = self.runner.start("code-photo", "Reading the profile code", read_profile_code, rgb, progress=False)
        task.finished.connect(lambda p: self._read(p) if p is not None else self.error.emit(
            f"No QR code found in {name}; take the photo with the whole code sharp and in view"))
        task.failed.connect(self._refuse)

    # the shopper's answer ----------------------------------------------------------------------------------
    def accept_code(self) -> None:
        """Put the code's values in the session (they replace what was there) and ask for the avatar."""
        profile = self.pending
        if profile is None:
            return
        self._close_question()
        self.session.set_measurements(profile.measurements, profile.sex or self.session.sex)
        self.session.set_uncertainty(profile.uncertainty)
        self.info.emit("Measurements from your code: building your avatar")
        self.build_requested.emit()

    def decline_code(self) -> None:
        self._declined = self.pending
        self._close_question()

    def _close_question(self) -> None:
        self.pending = None
        self.question.setText("")
        self.hide()

    def forget(self) -> None:
        """Drop the frame, the code and its values (session cleared)."""
        self._timer.stop()
        self.runner.forget("code")
        self.runner.forget("code-photo")
        self.latest = None
        self._declined, self._refused = None, ""
        self._close_question()
