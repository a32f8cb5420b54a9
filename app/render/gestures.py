"""Mouse, wheel, keyboard and touch turned into camera moves, for the 3D view (``viewport.Viewport``).

Left drag orbits, right or middle drag (or shift + left) pans, the wheel and a pinch zoom; arrows
orbit, +/- zoom, F/S/B pick a view, T the turntable, M the fit map, Home and a double click re-frame.
During a gesture the view asks for fast frames; when it ends, for one full-resolution frame.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt

from .constants import ORBIT_DEG_PER_PX, WHEEL_ZOOM_PER_STEP

KEY_ORBIT_DEG = 15.0  # one arrow key press turns the body by this much


class CameraGestures:
    """The input handlers of a widget that shows a camera's view (put before ``QWidget`` in its bases).

    The widget provides ``camera`` (``OrbitCamera``), ``set_camera(camera, fast)``, ``request_frame()``,
    ``set_turntable(on)``, ``turntable``, ``set_view(view)``, ``frame_all()``, ``set_fit_map(on)``,
    ``fit_map``, ``fit_map_button`` and a single-shot ``_settle`` timer that asks for the still frame.
    """

    _dragging = False
    _drag_button: str | None = None  # "orbit" or "pan" while a drag is under way
    _last_pos = QPointF()

    @property
    def dragging(self) -> bool:
        return self._dragging

    def mousePressEvent(self, event):
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton, Qt.MouseButton.MiddleButton):
            pan = (event.button() != Qt.MouseButton.LeftButton
                   or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            self._drag_button = "pan" if pan else "orbit"
            self._dragging = True
            self._last_pos = event.position()
            self.set_turntable(False)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if not self._dragging:
            return super().mouseMoveEvent(event)
        pos = event.position()
        dx, dy = pos.x() - self._last_pos.x(), pos.y() - self._last_pos.y()
        self._last_pos = pos
        if self._drag_button == "orbit":
            camera = self.camera.orbit(dx, dy)
        else:
            camera = self.camera.pan(dx, dy, max(self.height(), 1))
        self.set_camera(camera, fast=True)
        event.accept()

    def mouseReleaseEvent(self, event):
        if self._dragging:
            self._dragging = False
            self._drag_button = None
            self.request_frame()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def keyPressEvent(self, event):
        """Arrows orbit, +/- zoom, F/S/B views, T turntable, M fit map, Home re-frames."""
        key = event.key()
        step = KEY_ORBIT_DEG / ORBIT_DEG_PER_PX  # in drag pixels
        moves = {Qt.Key.Key_Left: (-step, 0), Qt.Key.Key_Right: (step, 0),
                 Qt.Key.Key_Up: (0, step), Qt.Key.Key_Down: (0, -step)}
        if key in moves:
            self.set_camera(self.camera.orbit(*moves[key]))
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            factor = WHEEL_ZOOM_PER_STEP if key != Qt.Key.Key_Minus else 1.0 / WHEEL_ZOOM_PER_STEP
            self.set_camera(self.camera.zoom(factor))
        elif key in (Qt.Key.Key_F, Qt.Key.Key_S, Qt.Key.Key_B):
            self.set_view({Qt.Key.Key_F: "front", Qt.Key.Key_S: "side", Qt.Key.Key_B: "back"}[key])
        elif key == Qt.Key.Key_T:
            self.set_turntable(not self.turntable)
        elif key == Qt.Key.Key_M and self.fit_map_button.isEnabled():
            self.set_fit_map(not self.fit_map)
        elif key == Qt.Key.Key_Home:
            self.frame_all()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mouseDoubleClickEvent(self, event):
        self.frame_all()

    def wheelEvent(self, event):
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.set_camera(self.camera.zoom(WHEEL_ZOOM_PER_STEP ** steps), fast=True)
            self._settle.start()
        event.accept()

    def event(self, event):
        if event.type() == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if pinch is not None:
                self.pinch(pinch.scaleFactor(), pinch.centerPoint() - pinch.lastCenterPoint(),
                           finished=pinch.state() in (Qt.GestureState.GestureFinished, Qt.GestureState.GestureCanceled))
                event.accept()
                return True
        return super().event(event)

    def pinch(self, scale: float, shift: QPointF | None = None, finished: bool = False) -> None:
        """A two-finger pinch: zoom by ``scale`` and pan by ``shift`` (px); ``finished`` ends the gesture."""
        shift = QPointF() if shift is None else shift
        if finished:
            self._dragging = False
            self.request_frame()
            return
        self._dragging = True
        self.set_turntable(False)
        camera = self.camera
        if scale > 0 and scale != 1.0:
            camera = camera.zoom(scale)
        if shift.x() or shift.y():
            camera = camera.pan(shift.x(), shift.y(), max(self.height(), 1))
        self.set_camera(camera, fast=True)
