"""The camera on the Qt side: a reader thread that hands the GUI the newest frame, and the camera probe.

Frames are RGB arrays kept in memory only (``avatar.estimate.camera`` opens the source and
converts OpenCV's BGR once).
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal

from avatar.errors import UserError

from .constants import CAMERA_PROBE_TIME_LIMIT_S

#: Preview frames shown per second at most (the reader drops the others).
PREVIEW_FPS = 15


class FrameReader(QObject):
    """Reads a camera or video on its own thread and hands the GUI the newest frame (RGB, never written).

    Signals: ``frame(ndarray)``, ``stopped(str)`` (empty message at the end of a video).
    """

    frame = Signal(object)
    stopped = Signal(str)

    def __init__(self, source, parent: QObject | None = None, *, loop: bool = False):
        super().__init__(parent)
        self.source = source
        self.loop = loop
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="camera", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        from avatar.estimate.camera import open_source

        try:
            source = open_source(self.source)
        except UserError as exc:
            self.stopped.emit(str(exc))
            return
        period = 1.0 / PREVIEW_FPS
        try:
            while not self._stop.is_set():
                frame = source.read()
                if frame is None:
                    if self.loop and not isinstance(self.source, int):
                        source.close()
                        source = open_source(self.source)
                        continue
                    self.stopped.emit("")
                    return
                self.frame.emit(frame)
                self._stop.wait(period)
        finally:
            source.close()


def camera_delivers(index: int) -> bool:
    """Whether camera ``index`` opens and delivers a frame (the frame is dropped at once)."""
    import cv2

    cap = cv2.VideoCapture(index)
    try:
        return bool(cap.isOpened() and cap.read()[0])
    finally:
        cap.release()


def probe_cameras(count: int | None = None, time_limit: float = CAMERA_PROBE_TIME_LIMIT_S, *,
                  delivers=camera_delivers) -> list[int]:
    """Indices ``0..count-1`` of the cameras that deliver a frame within ``time_limit`` seconds.

    Every index is tried on its own thread at the same time, so one hanging driver costs at most
    ``time_limit`` and does not hide the others; one that answers late is left out.
    """
    from avatar.estimate.camera import CAMERA_PROBE_COUNT

    count = CAMERA_PROBE_COUNT if count is None else count
    found: list[int] = []
    lock = threading.Lock()

    def probe(index: int) -> None:
        try:
            ok = delivers(index)
        except Exception:  # a driver error means this index is not a usable camera
            ok = False
        if ok:
            with lock:
                found.append(index)

    threads = [threading.Thread(target=probe, args=(i,), name=f"camera-probe-{i}", daemon=True)
               for i in range(count)]
    deadline = time.monotonic() + time_limit
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    with lock:
        return sorted(found)
