"""The 3D view widget: the render worker's frames on screen, the view buttons and the fit map's legend.

Mouse, wheel, keys and a pinch move the camera (``gestures.CameraGestures``): while a gesture is
under way the view asks for small frames without anti-aliasing; when it ends it asks for one
full-resolution frame. Front, side and back buttons, a turntable and the fit map toggle sit
along the bottom; the fit map's legend shows in the top right corner while it is on.

Run ``python -m app.render.viewport`` to try it on the reference avatar.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QElapsedTimer, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from .camera import VIEWS, OrbitCamera
from .constants import (
    BACKGROUND_SRGB,
    DRAG_SCALE,
    FAST_SAMPLES,
    FULL_SAMPLES,
    MAX_IMAGE_SIDE,
    MIN_IMAGE_SIDE,
    TURNTABLE_DEG_PER_S,
    TURNTABLE_INTERVAL_MS,
)
from .fit_overlay import fit_notes
from .fitmap import legend_image
from .gestures import CameraGestures
from .qimage import to_qimage
from .scene import SceneContent
from .worker import RenderRequest, RenderResult

SETTLE_MS = 150  # after the last wheel notch or resize step, draw the full-resolution frame
BUTTON_HEIGHT = 40  # px; comfortable for a mouse and a finger alike
# translucent buttons over the picture: they must not hide the body's outline behind them
BUTTON_STYLE = """
QPushButton { background: rgba(255, 255, 255, 190); border: 1px solid rgba(0, 0, 0, 45); border-radius: 8px;
              padding: 4px 14px; color: #303036; }
QPushButton:hover { background: rgba(255, 255, 255, 235); }
QPushButton:checked { background: rgba(52, 101, 196, 225); color: white; border-color: rgba(30, 60, 140, 200); }
QPushButton:disabled { color: rgba(48, 48, 54, 90); }
"""


class Viewport(CameraGestures, QWidget):
    """The avatar and garments in 3D.

    Parameters
    ----------
    worker : an object with ``submit(RenderRequest)`` and a ``frameReady(RenderResult)`` signal, normally
        the application's one ``QtRenderWorker``; the viewport makes (and owns) one if None.
    button_height : px of the view buttons (the kiosk wants 48 or more for fingers)

    Signals
    -------
    renderRequested(RenderRequest) : every request sent to the worker
    frameShown(RenderResult) : a frame was put on screen
    cameraChanged(OrbitCamera)
    """

    renderRequested = Signal(object)
    frameShown = Signal(object)
    cameraChanged = Signal(object)

    def __init__(self, worker=None, parent=None, *, button_height: int = BUTTON_HEIGHT):
        super().__init__(parent)
        self._button_height = int(button_height)
        if worker is None:
            from .worker import QtRenderWorker

            worker = QtRenderWorker(self)
            self._own_worker = worker
        else:
            self._own_worker = None
        self.worker = worker
        worker.frameReady.connect(self._on_frame)
        self._content: SceneContent | None = None
        self._camera = OrbitCamera()
        self._is_framed = False
        self._fit_map = False
        self._outstanding: set[int] = set()
        self._shown_serial = 0
        self._image: QImage | None = None
        self.last_request: RenderRequest | None = None

        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._settled)
        self._turntable = QTimer(self, interval=TURNTABLE_INTERVAL_MS)
        self._turntable.timeout.connect(self._turn)
        self._turn_clock = QElapsedTimer()

        self.setMinimumSize(160, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.grabGesture(Qt.GestureType.PinchGesture)
        self._build_controls()

    # --- controls ------------------------------------------------------------------------------------------------
    def _build_controls(self):
        self.view_buttons = {}
        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addStretch(1)
        for view in VIEWS:
            button = QPushButton(view.capitalize(), self)
            button.setToolTip(f"look at the {view} of the body")
            button.clicked.connect(lambda _=False, v=view: self.set_view(v))
            self.view_buttons[view] = button
            bar.addWidget(button)
        self.turntable_button = QPushButton("Turntable", self, checkable=True)
        self.turntable_button.setToolTip("turn the body slowly all the way round")
        self.turntable_button.toggled.connect(self.set_turntable)
        bar.addWidget(self.turntable_button)
        self.fit_map_button = QPushButton("Fit map", self, checkable=True)
        self.fit_map_button.setToolTip("colour the garments by how much they stretch")
        self.fit_map_button.toggled.connect(self.set_fit_map)
        self.fit_map_button.setEnabled(False)
        bar.addWidget(self.fit_map_button)
        bar.addStretch(1)
        self._bar = bar

        for button in (*self.view_buttons.values(), self.turntable_button, self.fit_map_button):
            button.setMinimumHeight(self._button_height)
            button.setStyleSheet(BUTTON_STYLE)
        self.legend = QLabel(self)
        self.legend.setVisible(False)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.legend, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        self._layout = layout
        layout.addLayout(top)
        layout.addStretch(1)
        layout.addLayout(bar)

    def reserve_top(self, px: int) -> None:
        """Keep the top ``px`` free of the legend card (the window floats its message banner there)."""
        self._layout.setContentsMargins(10, 10 + max(0, int(px)), 10, 10)
    def add_control(self, widget: QWidget) -> None:
        """Put ``widget`` (e.g. the pose choice) in the row of view buttons, after them."""
        widget.setMinimumHeight(self._button_height)
        self._bar.insertWidget(self._bar.count() - 1, widget)

    # --- model ---------------------------------------------------------------------------------------------------
    @property
    def content(self) -> SceneContent | None:
        return self._content

    @property
    def camera(self) -> OrbitCamera:
        return self._camera

    @property
    def fit_map(self) -> bool:
        return self._fit_map

    @property
    def turntable(self) -> bool:
        return self._turntable.isActive()

    @property
    def image(self) -> QImage | None:
        """The frame on screen (None before the first)."""
        return self._image

    def grab_image(self) -> QImage:
        """A copy of the frame on screen (a null QImage before the first), e.g. for a receipt."""
        return self._image.copy() if self._image is not None else QImage()

    def set_content(self, content: SceneContent | None, reframe: bool | None = None) -> None:
        """Show ``content``. The camera is framed on it (keeping the side it looks from) when ``reframe``;
        by default when the body is new or changed, not when only the garments did."""
        previous = self._content
        had = previous is not None
        if reframe is None and had and content is not None:
            reframe = not (previous.body_vertices is content.body_vertices
                           or np.array_equal(previous.body_vertices, content.body_vertices))
        self._content = content
        if content is None:  # nothing to show: the placeholder, not the last body
            self._image = None
            self._outstanding.clear()
            self.update()
        has_strain = content is not None and content.has_strain
        self.fit_map_button.setEnabled(has_strain)
        self._update_legend()
        if content is None:
            return
        if reframe or (reframe is None and not had):
            self._camera = self._framed_camera()
            self._is_framed = True
            self.cameraChanged.emit(self._camera)
        # a quick frame without anti-aliasing first (shown ~3x sooner on llvmpipe if the worker is idle),
        # then the still picture; a busy worker drops the quick one
        self.request_frame(samples=FAST_SAMPLES)
        self.request_frame()

    def set_camera(self, camera: OrbitCamera, fast: bool = False, *, is_framed: bool = False) -> None:
        """Look through ``camera``; ``is_framed`` says it frames the whole body (kept so on resize)."""
        self._camera = camera
        self._is_framed = is_framed
        self.cameraChanged.emit(camera)
        self.request_frame(fast=fast)

    def frame_all(self, view: str | None = None) -> None:
        """Frame the whole body (keeping the current side unless ``view`` is given)."""
        if self._content is None:
            return
        self.set_camera(self._framed_camera(view), is_framed=True)

    def _framed_camera(self, view: str | None = None) -> OrbitCamera:
        w, h = self._full_size()
        camera = self._content.framed(w / h, view or "front")
        return camera.turned(self._camera.yaw_deg) if view is None else camera

    def set_view(self, view: str) -> None:
        """Front, side or back, framing the whole body."""
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; use one of {', '.join(VIEWS)}")
        self.set_turntable(False)
        self.frame_all(view)

    def front(self):
        self.set_view("front")

    def side(self):
        self.set_view("side")

    def back(self):
        self.set_view("back")

    def set_turntable(self, on: bool) -> None:
        on = bool(on)
        if on == self._turntable.isActive():
            return
        with_blocked = self.turntable_button.blockSignals(True)
        self.turntable_button.setChecked(on)
        self.turntable_button.blockSignals(with_blocked)
        if on:
            self._turn_clock.start()
            self._turntable.start()
        else:
            self._turntable.stop()
            self.request_frame()

    def set_fit_map(self, on: bool) -> None:
        on = bool(on)
        blocked = self.fit_map_button.blockSignals(True)
        self.fit_map_button.setChecked(on)
        self.fit_map_button.blockSignals(blocked)
        if on == self._fit_map:
            return
        self._fit_map = on
        self._update_legend()
        self.request_frame()

    def _update_legend(self):
        visible = self._fit_map and self._content is not None and self._content.has_strain
        if visible:
            scale = self.devicePixelRatioF()
            card = legend_image(self._content.stretch_limits, scale=scale, notes=fit_notes(self._content, short=True))
            pixmap = QPixmap.fromImage(to_qimage(card))
            pixmap.setDevicePixelRatio(scale)
            self.legend.setPixmap(pixmap)
        self.legend.setVisible(visible)

    # --- requests ------------------------------------------------------------------------------------------------
    def _full_size(self) -> tuple[int, int]:
        ratio = self.devicePixelRatioF()
        w = int(np.clip(round(self.width() * ratio), MIN_IMAGE_SIDE, MAX_IMAGE_SIDE))
        h = int(np.clip(round(self.height() * ratio), MIN_IMAGE_SIDE, MAX_IMAGE_SIDE))
        return w, h

    def request_frame(self, fast: bool = False, samples: int | None = None) -> RenderRequest | None:
        """Ask the worker for a frame: small and without anti-aliasing if ``fast`` (during a gesture);
        ``samples`` overrides the anti-aliasing."""
        if self._content is None:
            return None
        w, h = self._full_size()
        if fast:
            w = max(MIN_IMAGE_SIDE, int(w * DRAG_SCALE))
            h = max(MIN_IMAGE_SIDE, int(h * DRAG_SCALE))
        request = RenderRequest(self._content, self._camera, w, h, fit_map=self._fit_map,
                                samples=(FAST_SAMPLES if fast else FULL_SAMPLES) if samples is None else samples)
        self._outstanding.add(request.serial)
        self.last_request = request
        self.renderRequested.emit(request)
        self.worker.submit(request)
        return request

    def _on_frame(self, result: RenderResult) -> None:
        serial = result.request.serial
        if serial not in self._outstanding or serial < self._shown_serial:
            return  # another client's frame, or older than the one on screen
        self._outstanding = {s for s in self._outstanding if s > serial}
        self._shown_serial = serial
        self._image = to_qimage(result.image)
        self.update()
        self.frameShown.emit(result)

    def _settled(self):
        if not self._dragging:
            self.request_frame()

    def _turn(self):
        seconds = self._turn_clock.restart() / 1000.0
        self._camera = self._camera.turned(TURNTABLE_DEG_PER_S * seconds)
        self.cameraChanged.emit(self._camera)
        # full size without anti-aliasing: a steady motion is judged by its shape more than its edges
        self.request_frame(samples=FAST_SAMPLES)

    # --- painting ------------------------------------------------------------------------------------------------
    def paintEvent(self, event):
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor.fromRgbF(*BACKGROUND_SRGB))
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(self.rect()), self._image)
        elif self._content is None:
            painter.setPen(QColor(110, 110, 115))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No avatar yet: enter your measurements")
        painter.end()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._content is not None:
            if self._is_framed:  # the user has not moved the camera: keep the whole body in the new shape
                self._camera = self._framed_camera()
                self.cameraChanged.emit(self._camera)
            self.request_frame(fast=True)
            self._settle.start()

    def closeEvent(self, event):
        self._turntable.stop()
        if self._own_worker is not None:
            self._own_worker.close()
        super().closeEvent(event)


def main() -> int:  # a preview: python -m app.render.viewport
    import sys

    from PySide6.QtWidgets import QApplication

    from avatar.avatar import reference_avatar

    app = QApplication.instance() or QApplication(sys.argv)
    view = Viewport()
    view.resize(600, 800)
    view.set_content(SceneContent.from_avatar(reference_avatar(sys.argv[1] if len(sys.argv) > 1 else "female")))
    view.show()
    code = app.exec()
    view.worker.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
