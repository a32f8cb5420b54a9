"""Measurements from the camera: live preview, guided capture, estimate, then correct in the form.

The panel runs the camera (its reader thread and probe: ``app.gui.camera``) and the countdown's clock,
and shows the preview; what the shopper has done and may do next (the cameras found, the steps: an
optional background plate, a front photo in A-pose, a side photo; the photos; why a button is off) is
``app.controller.capture.CaptureModel``, which the panel writes to and mirrors. While the camera runs,
the newest frame is checked in a worker (one person, whole body, not too close, light enough) and the
guidance is shown under it. The height, the estimate and its results are ``estimate_form``.

Privacy: frames and photos stay in memory and are dropped when the session is cleared.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout,
                               QWidget)

from app.controller.capture import CaptureModel
from app.render.qimage import to_qimage

from ..camera import FrameReader, probe_cameras
from ..file_dialogs import open_file
from ..session import Session
from ..tasks import TaskRunner
from .estimate_form import EstimateForm
from .profile_code import ProfileCodeReader

#: How often the newest preview frame is checked, ms; a tick finding the last check still running is
#: skipped, so checks run back to back (each takes 150-300 ms: the models run on the CPU).
CHECK_INTERVAL_MS = 100


class CapturePanel(QWidget):
    """Signals: ``error(str)``, ``info(str)``, ``estimated()`` once measurements are in the session,
    ``skin_tone_suggested(str)`` with the tone the front photo suggests (``avatar.estimate.skin_tone``; a
    suggestion for the shopper to take or leave, nothing is applied; none when the face cannot be read).

    Parameters
    ----------
    session : the shopper's state (receives the estimated measurements)
    runner : the window's task runner (checks and the estimate run there)
    capture : the cameras, steps and photos this panel mirrors (a new one for ``session`` if None)
    file_dialogs : False in the kiosk (camera only, no files)
    """

    error = Signal(str)
    info = Signal(str)
    estimated = Signal()
    skin_tone_suggested = Signal(str)

    def __init__(self, session: Session, runner: TaskRunner, parent: QWidget | None = None, *,
                 capture: CaptureModel | None = None, file_dialogs: bool = True, keypad: bool = False):
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.capture = capture or CaptureModel(session, runner, file_dialogs=file_dialogs)
        self.file_dialogs = file_dialogs
        self.reader: FrameReader | None = None
        self._listed = None  # the camera list the source box shows: (cameras, probing) of the model

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        row = QHBoxLayout()
        self.source_box = QComboBox()
        self.source_box.setObjectName("cameraBox")
        self.source_box.setEditable(False)
        self.source_box.currentIndexChanged.connect(lambda _i: self.capture.choose(self.source_box.currentData()))
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

        self.preview = QLabel(self.capture.note)
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
        self.capture_button.clicked.connect(self.capture.start_countdown)
        self.skip_button = QPushButton("Skip")
        self.skip_button.clicked.connect(self.capture.skip)
        self.restart_button = QPushButton("Start over")
        self.restart_button.clicked.connect(self.capture.restart)
        row.addWidget(self.capture_button, 1)
        row.addWidget(self.skip_button)
        row.addWidget(self.restart_button)
        layout.addLayout(row)

        form = self.estimate_form = EstimateForm(session, runner, lambda: self.capture.photos, keypad=keypad)
        for source, target in ((form.error, self.error), (form.info, self.info), (form.estimated, self.estimated),
                               (form.skin_tone_suggested, self.skin_tone_suggested)):
            source.connect(target)
        self.height_edit, self.estimate_button, self.results = form.height_edit, form.estimate_button, form.results
        layout.addWidget(self.estimate_form)

        self._tick = QTimer(self)  # the countdown's clock
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.capture.tick)
        self._check_timer = QTimer(self)
        self._check_timer.setInterval(CHECK_INTERVAL_MS)
        self._check_timer.timeout.connect(self.capture.check_preview)
        model = self.capture
        model.changed.connect(self._sync)
        model.note_changed.connect(self._show_note)
        model.checked.connect(self._checked)
        model.shown.connect(self._show)
        model.error.connect(self.error.emit)
        model.info.connect(self.info.emit)
        model.restarted.connect(self.results.hide)
        model.cleared.connect(self._forgotten)
        self._sync()

    # what the model holds, read by the window and tests ----------------------------------------------------
    @property
    def step(self) -> str:
        return self.capture.step

    @property
    def photos(self) -> dict[str, np.ndarray]:
        return self.capture.photos

    @property
    def latest(self) -> np.ndarray | None:
        return self.capture.latest

    @property
    def assessment(self):
        return self.capture.assessment

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.capture.cameras is None and not self.capture.probing:  # list them the first time the panel is seen
            self.find_cameras(announce=False)

    # mirroring the model ----------------------------------------------------------------------------------
    def _sync(self) -> None:
        model = self.capture
        self._sync_sources()
        self.start_button.setText("Stop camera" if model.running else "Start camera")
        self.start_button.setEnabled(model.can_start)
        self.find_button.setEnabled(not model.probing)
        self.step_label.setText(model.step_text)
        self.capture_button.setText(model.capture_text)
        self.capture_button.setEnabled(model.can_capture)
        self.capture_button.setToolTip(model.capture_why_not)
        self.skip_button.setVisible(model.can_skip)
        self.estimate_button.setEnabled(model.can_estimate)
        if model.countdown and not self._tick.isActive():
            self._tick.start()
        elif not model.countdown:
            self._tick.stop()
        if model.running != self._check_timer.isActive():
            self._check_timer.start() if model.running else self._check_timer.stop()

    def _sync_sources(self) -> None:
        """The source box lists the cameras found (rebuilt only when the list changes)."""
        model = self.capture
        listed = (model.cameras, model.probing)
        if listed != self._listed:
            self._listed = listed
            with QSignalBlocker(self.source_box):
                self.source_box.clear()
                if model.probing:
                    self.source_box.addItem("Looking for cameras…", None)
                elif model.cameras is None:
                    self.source_box.addItem("Press Find cameras", None)  # nothing is listed before it is probed
                elif not model.cameras:
                    self.source_box.addItem("No camera found", None)
                for i in model.cameras or ():
                    self.source_box.addItem(f"Camera {i}", i)
        index = self.source_box.findData(model.chosen) if model.chosen is not None else 0
        if index >= 0 and index != self.source_box.currentIndex():
            with QSignalBlocker(self.source_box):
                self.source_box.setCurrentIndex(index)

    def _show_note(self, note: str) -> None:
        self.preview.clear()
        self.preview.setText(note)

    def _checked(self) -> None:
        assessment = self.capture.assessment
        if assessment.ok:
            self.check_label.setText("✓ Good: hold still" + (f" ({assessment.warnings[0]})" if assessment.warnings else ""))
            self.check_label.setStyleSheet("color:#1d6b32;")
        else:
            self.check_label.setText(assessment.guidance)
            self.check_label.setStyleSheet("color:#b3261e;")

    def _show(self, rgb: np.ndarray) -> None:
        from avatar.estimate.overlay import draw_overlay

        if self.reader is not None and self.capture.step in ("front", "side"):
            rgb = draw_overlay(rgb, self.capture.assessment)
        pixmap = QPixmap.fromImage(to_qimage(rgb))
        self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.FastTransformation))

    # camera ------------------------------------------------------------------------------------------
    def find_cameras(self, *, announce: bool = True) -> None:
        """List the cameras that deliver a frame (probed in a worker, with a time limit).

        ``announce``: also put "no camera found" in the banner (when the shopper asked).
        """
        self.capture.looking_for_cameras()
        task = self.runner.start("cameras", "Looking for cameras", probe_cameras, progress=False)
        task.finished.connect(lambda indices: self.capture.cameras_found(indices, announce=announce))
        task.failed.connect(lambda exc: self.capture.cameras_found([], announce=announce))
        task.cancelled.connect(self.capture.probe_ended)
        task.over.connect(lambda: task.stale and self.capture.probe_ended())  # forgotten: no result comes

    def no_camera_text(self) -> str:
        return self.capture.no_camera_text()

    def toggle_camera(self) -> None:
        if self.reader is not None:
            self.stop_camera()
        elif self.capture.chosen is not None:
            self.start_camera(self.capture.chosen)

    def start_camera(self, source, *, loop: bool = False) -> None:
        """Preview a camera index or a video file (frames stay in memory)."""
        self.stop_camera()
        self.reader = FrameReader(source, self, loop=loop)
        self.reader.frame.connect(self._frame)
        self.reader.stopped.connect(self._reader_stopped)
        self.reader.start()
        self.capture.camera_started()

    def _stop_reader(self) -> None:
        if self.reader is not None:
            self.reader.stop()
            self.reader.deleteLater()
            self.reader = None

    def stop_camera(self) -> None:
        self._stop_reader()
        self.capture.camera_stopped()

    def _reader_stopped(self, message: str) -> None:
        """The source ended ("" at the end of a video) or failed (the message says why)."""
        if self.sender() is not self.reader:
            return
        source = self.reader.source
        self._stop_reader()
        self.capture.camera_stopped(source, message)

    def _frame(self, rgb: np.ndarray) -> None:
        if self.sender() is not self.reader:
            return  # a frame still queued from a camera that was stopped
        self.capture.frame(rgb)
        self.code_reader.offer(rgb)
        self._show(rgb)

    # photos ------------------------------------------------------------------------------------------
    def take(self, rgb: np.ndarray | None) -> None:
        """Take ``rgb`` as the photo of the current step (see ``CaptureModel.take``)."""
        self.capture.take(rgb)

    def photos_from_files(self) -> None:
        front = open_file(self, "Front photo", "Images (*.jpg *.jpeg *.png)", "photos")
        if not front:
            return
        side = open_file(self, "Side photo", "Images (*.jpg *.jpeg *.png)", "photos")
        if side:
            self.use_files(front, side)

    def use_files(self, front: str, side: str) -> None:
        """Photos from files go through the same checks as camera photos."""
        self.capture.use_files(front, side)

    # privacy ---------------------------------------------------------------------------------------------
    def _forgotten(self) -> None:
        """The model dropped every frame and photo (session cleared): so does the screen."""
        self._stop_reader()
        self.preview.clear()
        self.check_label.setText("")
        self.estimate_form.forget()


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
