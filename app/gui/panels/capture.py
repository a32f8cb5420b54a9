"""Measurements from the camera: live preview, guided capture, estimate, then correct in the form.

The panel picks and runs the camera (its reader thread and probe: ``app.gui.camera``) and shows the
preview; while it runs, the newest frame is checked in a worker (one person, whole body, not too
close, light enough) and the guidance is shown under it. The steps (an optional background plate,
a front photo in A-pose, a side photo, each with a countdown) are ``capture_steps``; the height,
the estimate and its results are ``estimate_form``.

Privacy: frames and photos stay in memory and are dropped when the session is cleared.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout,
                               QWidget)

from app.render.qimage import to_qimage

from ..camera import FrameReader, probe_cameras
from ..session import Session
from ..tasks import TaskRunner
from .capture_steps import GuidedCapture
from .estimate_form import EstimateForm
from .profile_code import ProfileCodeReader

#: How often the newest preview frame is checked, ms; a tick finding the last check still running is
#: skipped, so checks run back to back (each takes 150-300 ms: the models run on the CPU).
CHECK_INTERVAL_MS = 100


class CapturePanel(GuidedCapture, QWidget):
    """Signals: ``error(str)``, ``info(str)``, ``estimated()`` once measurements are in the session,
    ``skin_tone_suggested(str)`` with the tone the front photo suggests (``avatar.estimate.skin_tone``; a
    suggestion for the shopper to take or leave, nothing is applied; none when the face cannot be read).

    Parameters
    ----------
    session : the shopper's state (receives the estimated measurements)
    runner : the window's task runner (checks and the estimate run there)
    file_dialogs : False in the kiosk (camera only, no files)
    """

    error = Signal(str)
    info = Signal(str)
    estimated = Signal()
    skin_tone_suggested = Signal(str)

    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None, *,
                 file_dialogs: bool = True, keypad: bool = False):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.file_dialogs = file_dialogs
        self.reader: FrameReader | None = None
        self.latest: np.ndarray | None = None
        self.assessment = None  # the newest preview check: its outline and skeleton are drawn on the preview
        self.photos: dict[str, np.ndarray] = {}
        self.step = "background"
        self._countdown = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        row = QHBoxLayout()
        self.source_box = QComboBox()
        self.source_box.setObjectName("cameraBox")
        self.source_box.addItem("Press Find cameras", None)  # nothing is listed before it is probed
        self.source_box.setEditable(False)
        self.source_box.currentIndexChanged.connect(lambda _i: self._sync_start())
        self._probed = False
        self.find_button = QPushButton("Find cameras")
        self.find_button.clicked.connect(self.find_cameras)
        self.start_button = QPushButton("Start camera")
        self.start_button.clicked.connect(self.toggle_camera)
        row.addWidget(self.source_box, 1)
        row.addWidget(self.find_button)
        row.addWidget(self.start_button)
        layout.addLayout(row)
        self.code_reader = ProfileCodeReader(session, runner, file_dialogs=file_dialogs)  # a shopper's QR code
        self.code_reader.error.connect(self.error)
        self.code_reader.info.connect(self.info)
        if file_dialogs:
            self.files_button = QPushButton("Use two photos from files…")
            self.files_button.clicked.connect(self.photos_from_files)
            row = QHBoxLayout()
            row.addWidget(self.files_button, 1)
            row.addWidget(self.code_reader.photo_button, 1)
            layout.addLayout(row)

        self.preview = QLabel("Camera off")
        self.preview.setObjectName("capturePreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setWordWrap(True)  # the guidance when there is no picture is a sentence or two
        self.preview.setMargin(16)
        self.preview.setMinimumHeight(160)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setStyleSheet("background:#20232a; color:#ccd;")
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.code_reader)  # takes no room until a code is seen
        self.check_label = QLabel()
        self.check_label.setObjectName("captureCheck")
        self.check_label.setWordWrap(True)
        layout.addWidget(self.check_label)
        self.step_label = QLabel()
        self.step_label.setObjectName("captureStep")
        self.step_label.setWordWrap(True)
        self.step_label.setStyleSheet("font-weight:600;")
        layout.addWidget(self.step_label)
        row = QHBoxLayout()
        self.capture_button = QPushButton()
        self.capture_button.setObjectName("primary")
        self.capture_button.clicked.connect(self.start_countdown)
        self.skip_button = QPushButton("Skip")
        self.skip_button.clicked.connect(lambda: self._advance())
        self.restart_button = QPushButton("Start over")
        self.restart_button.clicked.connect(self.restart)
        row.addWidget(self.capture_button, 1)
        row.addWidget(self.skip_button)
        row.addWidget(self.restart_button)
        layout.addLayout(row)

        form = self.estimate_form = EstimateForm(session, runner, lambda: self.photos, keypad=keypad)
        for source, target in ((form.error, self.error), (form.info, self.info), (form.estimated, self.estimated),
                               (form.skin_tone_suggested, self.skin_tone_suggested)):
            source.connect(target)
        self.height_edit, self.estimate_button, self.results = form.height_edit, form.estimate_button, form.results
        layout.addWidget(self.estimate_form)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count)
        self._check_timer = QTimer(self)
        self._check_timer.setInterval(CHECK_INTERVAL_MS)
        self._check_timer.timeout.connect(self._check_latest)
        session.cleared.connect(self.forget)
        self._sync_step()
        self._sync_start()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._probed:  # list the cameras the first time the panel is seen
            self.find_cameras(announce=False)

    # camera ------------------------------------------------------------------------------------------
    def find_cameras(self, *, announce: bool = True) -> None:
        """List the cameras that deliver a frame (probed in a worker, with a time limit).

        ``announce``: also put "no camera found" in the banner (when the shopper asked).
        """
        self._probed = True
        self.find_button.setEnabled(False)
        self.source_box.clear()
        self.source_box.addItem("Looking for cameras…", None)
        task = self.runner.start("cameras", "Looking for cameras", probe_cameras, progress=False)
        task.finished.connect(lambda indices: self._cameras_found(indices, announce))
        task.failed.connect(lambda exc: self._cameras_found([], announce))
        task.over.connect(lambda: self.find_button.setEnabled(True))

    def no_camera_text(self) -> str:
        """What the preview says when there is no camera to use, and what to do."""
        return ("No camera found — connect one (or close the program using it) and press Find cameras"
                + (", or use two photos from files" if self.file_dialogs else ""))

    def _cameras_found(self, indices, announce: bool = True) -> None:
        self.source_box.clear()
        for i in indices:
            self.source_box.addItem(f"Camera {i}", i)
        if not indices:
            self.source_box.addItem("No camera found", None)
            if self.reader is None:
                self.preview.clear()
                self.preview.setText(self.no_camera_text())
            if announce:
                self.error.emit("No camera found; connect one (or close the program using it) and press Find cameras")
        self._sync_start()

    def _sync_start(self) -> None:
        """Start is usable when a camera is listed; Stop whenever one runs."""
        running = self.reader is not None
        self.start_button.setText("Stop camera" if running else "Start camera")
        self.start_button.setEnabled(running or self.source_box.currentData() is not None)

    def toggle_camera(self) -> None:
        if self.reader is not None:
            self.stop_camera()
        elif self.source_box.currentData() is not None:
            self.start_camera(self.source_box.currentData())

    def start_camera(self, source, *, loop: bool = False) -> None:
        """Preview a camera index or a video file (frames stay in memory)."""
        self.stop_camera()
        self.latest = None  # a new source: nothing from the old one may be taken
        self.assessment = None
        self.reader = FrameReader(source, self, loop=loop)
        self.reader.frame.connect(self._frame)
        self.reader.stopped.connect(self._reader_stopped)
        self.reader.start()
        self._check_timer.start()
        self.preview.clear()
        self.preview.setText("Starting the camera…")
        self._sync_start()

    def stop_camera(self) -> None:
        if self.reader is not None:
            self.reader.stop()
            self.reader.deleteLater()
            self.reader = None
        self._check_timer.stop()
        self._tick.stop()
        self.latest = None  # nothing from a stopped camera may be taken
        self._sync_start()
        self._sync_step()

    def _reader_stopped(self, message: str) -> None:
        """The source ended ("" at the end of a video) or failed (the message says why)."""
        if self.sender() is not self.reader:
            return
        source = self.reader.source
        self.stop_camera()
        if message:
            self.error.emit(message)
            self.preview.clear()  # never leave "Starting the camera…" after a failure
            if isinstance(source, int) or str(source).isdigit():
                self.preview.setText(f"Camera {source} cannot be opened.\n\n{self.no_camera_text()}")
            else:
                self.preview.setText(f"{message[:1].upper()}{message[1:]}")

    def _frame(self, rgb: np.ndarray) -> None:
        if self.sender() is not self.reader:
            return  # a frame still queued from a camera that was stopped
        first, self.latest = self.latest is None, rgb
        if first:
            self._sync_step()  # a picture to take now
        self.code_reader.offer(rgb)
        self._show(rgb)

    def _show(self, rgb: np.ndarray) -> None:
        from avatar.estimate.overlay import draw_overlay

        if self.reader is not None and self.step in ("front", "side"):
            rgb = draw_overlay(rgb, self.assessment)
        pixmap = QPixmap.fromImage(to_qimage(rgb))
        self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.FastTransformation))

    def _check_latest(self) -> None:
        if self.latest is None or self.step == "background" or self.step == "done":
            return
        if self.runner.busy("check"):
            return  # a check is running; the next tick takes the newest frame
        from avatar.estimate.checks import assess_frame

        last = self.assessment
        previous = last.pose if last is not None and last.pose is not None and last.view == self.step else None
        task = self.runner.start("check", "Checking the picture", assess_frame, self.latest, self.step,
                                 self.photos.get("background"), previous, progress=False)
        task.finished.connect(self._checked)

    def _checked(self, assessment) -> None:
        self.assessment = assessment
        if assessment.ok:
            self.check_label.setText("✓ Good: hold still" + (f" ({assessment.warnings[0]})" if assessment.warnings else ""))
            self.check_label.setStyleSheet("color:#1d6b32;")
        else:
            self.check_label.setText(assessment.guidance)
            self.check_label.setStyleSheet("color:#b3261e;")

    # privacy ---------------------------------------------------------------------------------------------
    def forget(self) -> None:
        """Drop every frame and photo (session cleared)."""
        self.stop_camera()
        self.runner.forget("check")
        self.latest = None
        self.assessment = None
        self.photos = {}
        self.preview.clear()
        self.preview.setText("Camera off")
        self.check_label.setText("")
        self.estimate_form.forget()
        self.step = "background"
        self._sync_step()


def main() -> int:  # pragma: no cover - manual preview
    import sys

    app = QApplication.instance() or QApplication(sys.argv)
    session = Session()
    panel = CapturePanel(session, TaskRunner())
    panel.error.connect(lambda m: print("error:", m))
    panel.info.connect(lambda m: print(m))
    panel.resize(480, 760)
    panel.show()
    code = app.exec()
    panel.stop_camera()
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
