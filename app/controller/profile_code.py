"""A shopper's profile code (QR) read in the Camera tab, without Qt: the frame to read, the code found, the answer.

The newest camera frame is read for a code in a task (``avatar.profile_qr.read_profile_code``); a code
found waits in ``pending`` for the shopper's answer: accepted, its values replace the session's
measurements; declined, it is not asked about again while it stays in view. The panel
(``app.gui.panels.profile_code``) offers frames, runs the scan's clock and mirrors the events.

Privacy: frames are dropped as soon as they are read; the values live only in the session; clearing the
session drops the frame, the code and its values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from avatar.errors import UserError

from .events import Event


def _read_code(rgb):
    from avatar.profile_qr import read_profile_code  # the QR reader loads OpenCV's detector: only when used

    return read_profile_code(rgb)


class ProfileCodeModel:
    """The profile code being read and the shopper's answer to it.

    Events
    ------
    found(PortableProfile) : a code's values wait for the shopper's answer (``pending``)
    closed() : the question was answered or dropped (``pending`` is None)
    error(str), info(str) : a message for the shopper
    accepted() : a code's values are in the session; the avatar is to be built from them

    Parameters
    ----------
    session : app.gui.session.Session; receives the values of an accepted code, and clearing it forgets all
    runner : see ``app.controller.capture.CaptureModel`` (codes are read under "code" and "code-photo")
    read : ``(rgb) -> PortableProfile or None``, ``avatar.profile_qr.read_profile_code``
    """

    found = Event()
    closed = Event()
    error = Event()
    info = Event()
    accepted = Event()

    def __init__(self, session, runner, *, read=_read_code):
        self.session = session
        self.runner = runner
        self.read = read
        self.latest: np.ndarray | None = None  # the newest frame not yet read, (H, W, 3) uint8 RGB
        self.pending = None  # the PortableProfile waiting for the shopper's answer
        self.declined = None  # the code said no to: not asked about again while it stays in view
        self._refused = ""  # the last refusal said, not repeated while the same code stays in view
        session.cleared.connect(self.forget)

    def offer(self, rgb: np.ndarray) -> None:
        """The camera's newest frame ((H, W, 3) uint8 RGB); read at the next scan, then dropped."""
        self.latest = rgb

    def scan(self) -> bool:
        """Read the newest frame in a task, unless a code waits or a read runs; False when there is no frame
        (the camera stopped: nothing to read until frames come again)."""
        if self.latest is None:
            return False
        if self.pending is not None or self.runner.busy("code"):
            return True
        frame, self.latest = self.latest, None
        task = self.runner.start("code", "Looking for a profile code", self.read, frame, progress=False)
        task.finished.connect(self._read)
        task.failed.connect(self._refuse)
        return True

    def _read(self, profile) -> None:
        if profile is None:
            self.declined, self._refused = None, ""  # the code left the picture
            return
        if profile == self.declined or self.pending is not None:
            return
        self._refused = ""
        self.pending = profile
        self.found.emit(profile)

    def _refuse(self, exc: BaseException) -> None:
        message = str(exc) if isinstance(exc, UserError) else f"the code cannot be read ({exc}); show it again"
        if message != self._refused:
            self._refused = message
            self.error.emit(message[:1].upper() + message[1:])

    def read_photo(self, path: str | Path) -> None:
        """Read a code from a photo file (through the same reader as live frames)."""
        from avatar.estimate.camera import read_image

        try:
            rgb = read_image(path)
        except UserError as exc:
            self.error.emit(str(exc))
            return
        self.declined, self._refused = None, ""
        name = Path(path).name
        task = self.runner.start("code-photo", "Reading the profile code", self.read, rgb, progress=False)
        task.finished.connect(lambda p: self._read(p) if p is not None else self.error.emit(
            f"No QR code found in {name}; take the photo with the whole code sharp and in view"))
        task.failed.connect(self._refuse)

    def accept(self) -> None:
        """Put the code's values in the session (they replace what was there) and ask for the avatar."""
        profile = self.pending
        if profile is None:
            return
        self._close()
        self.session.set_measurements(profile.measurements, profile.sex or self.session.sex)
        self.session.set_uncertainty(profile.uncertainty)
        self.info.emit("Measurements from your code: building your avatar")
        self.accepted.emit()

    def decline(self) -> None:
        self.declined = self.pending
        self._close()

    def _close(self) -> None:
        self.pending = None
        self.closed.emit()

    def forget(self) -> None:
        """Drop the frame, the code and its values (session cleared)."""
        self.runner.forget("code")
        self.runner.forget("code-photo")
        self.latest = None
        self.declined, self._refused = None, ""
        self._close()
