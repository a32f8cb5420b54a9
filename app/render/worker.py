"""The render worker: one thread owns the OpenGL renderer for the app's lifetime and draws the newest request.

Requests carry everything a frame needs (scene content with its version, camera, size, fit map switch,
anti-aliasing samples); a request submitted while another waits replaces it, so a fast drag never
queues frames. Meshes are uploaded once per content version by ``SceneRenderer``.

``RenderWorker`` is plain Python (the command line uses it); ``QtRenderWorker`` wraps it with Qt signals
for the GUI and is only imported on first use, so the command line never loads Qt.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .camera import OrbitCamera
from .constants import FULL_SAMPLES, MAX_IMAGE_SIDE, MIN_IMAGE_SIDE
from .scene import SceneContent

log = logging.getLogger(__name__)
_serials = itertools.count(1)


@dataclass(frozen=True, eq=False)
class RenderRequest:
    """One frame to draw.

    Attributes
    ----------
    content : SceneContent; its ``version`` decides whether meshes are re-uploaded
    camera : OrbitCamera
    width, height : int, px
    fit_map : bool; colour garments by strain
    samples : int; MSAA samples (0 while dragging)
    serial : int; increases with every request made, so results can be matched and ordered
    """

    content: SceneContent
    camera: OrbitCamera
    width: int
    height: int
    fit_map: bool = False
    samples: int = FULL_SAMPLES
    serial: int = field(default_factory=lambda: next(_serials))

    def __post_init__(self):
        for name in ("width", "height"):
            value = getattr(self, name)
            if not MIN_IMAGE_SIDE <= int(value) <= MAX_IMAGE_SIDE:
                raise ValueError(f"{name} must be {MIN_IMAGE_SIDE}..{MAX_IMAGE_SIDE} px, got {value}")
            object.__setattr__(self, name, int(value))


@dataclass(frozen=True, eq=False)
class RenderResult:
    """A drawn frame: ``image`` (height, width, 3) uint8 RGB, the request it answers, the drawing time (s)
    and the id of the thread that drew it."""

    request: RenderRequest
    image: np.ndarray
    seconds: float
    thread_id: int


def _quick_of(quick: RenderRequest, still: RenderRequest) -> bool:
    """Whether ``quick`` is a quicker frame (fewer samples) of the picture ``still`` asks for."""
    return (quick.content is still.content and quick.camera is still.camera and quick.fit_map == still.fit_map
            and (quick.width, quick.height) == (still.width, still.height) and quick.samples < still.samples)


class RenderWorker:
    """A thread that owns a ``SceneRenderer`` and draws the newest submitted request.

    Parameters
    ----------
    on_frame : called on the worker thread with each ``RenderResult``
    on_error : called on the worker thread with ``(request, exception)`` when a frame fails
    studio_shader : passed to ``SceneRenderer``

    warm : bool; start the thread now and compile the shaders on a tiny scene while the app starts,
        so the first real frame is not slowed by it (otherwise the thread starts on the first ``submit``)

    ``close`` stops the thread and frees the OpenGL context.
    """

    def __init__(self, on_frame: Callable[[RenderResult], None] | None = None,
                 on_error: Callable[[RenderRequest, BaseException], None] | None = None, *, studio_shader: bool = True,
                 warm: bool = False):
        self._on_frame = on_frame
        self._on_error = on_error
        self._studio_shader = studio_shader
        self._cond = threading.Condition()
        self._pending: list[RenderRequest] = []  # drawn first to last; at most a quick frame and its still
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._waiters: dict[int, list] = {}  # serial -> [event, result or exception or None]
        self.thread_id: int | None = None    # the GL thread, once started
        self.rendered = 0                     # frames drawn
        self.dropped = 0                      # requests replaced by a newer one before they were drawn
        self.uploads = 0                      # times meshes were uploaded (content changes)
        self._warm = warm
        self.warmed = threading.Event()       # set once the warm-up frame is drawn (or failed)
        if warm:
            self._start()

    # --- any thread ----------------------------------------------------------------------------------------------
    def submit(self, request: RenderRequest) -> None:
        """Draw ``request`` as soon as the worker is free; a request still waiting is dropped, except a
        quick frame (fewer samples) of the same picture, which is drawn first: it is on screen sooner."""
        with self._cond:
            if self._stopping:
                raise RuntimeError("the render worker is closed")
            if not (len(self._pending) == 1 and _quick_of(self._pending[0], request)):
                for waiting in self._pending:
                    self.dropped += 1
                    self._finish_waiter(waiting.serial, None)
                self._pending = []
            self._pending.append(request)
            self._start()
            self._cond.notify()

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="render-worker", daemon=True)
            self._thread.start()

    def render_sync(self, request: RenderRequest, timeout: float | None = None) -> RenderResult | None:
        """Submit ``request`` and wait for its frame; None if a newer request replaced it.
        Exceptions raised while drawing it are raised here."""
        event = threading.Event()
        slot = [event, None]
        with self._cond:
            self._waiters[request.serial] = slot
        self.submit(request)
        if not event.wait(timeout):
            with self._cond:
                self._waiters.pop(request.serial, None)
            raise TimeoutError(f"no frame within {timeout} s")
        if isinstance(slot[1], BaseException):
            raise slot[1]
        return slot[1]

    def close(self, timeout: float = 10.0) -> None:
        """Stop the thread after the frame in progress; the OpenGL context is freed on its own thread."""
        with self._cond:
            self._stopping = True
            for waiting in self._pending:
                self._finish_waiter(waiting.serial, None)
            self._pending = []
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # --- the worker thread ---------------------------------------------------------------------------------------
    def _finish_waiter(self, serial: int, outcome) -> None:  # call with the lock held
        slot = self._waiters.pop(serial, None)
        if slot is not None:
            slot[1] = outcome
            slot[0].set()

    def _run(self) -> None:
        from .scene import SceneRenderer

        self.thread_id = threading.get_ident()
        renderer = None
        try:
            if self._warm:
                try:
                    renderer = SceneRenderer(studio_shader=self._studio_shader)
                    renderer.warm_up()
                except Exception:  # reported with the first real frame, which tries again
                    renderer = None
                self.warmed.set()
            while True:
                with self._cond:
                    while not self._pending and not self._stopping:
                        self._cond.wait()
                    if self._stopping:
                        return
                    request = self._pending.pop(0)
                try:
                    if renderer is None:
                        renderer = SceneRenderer(request.width, request.height, studio_shader=self._studio_shader)
                    start = time.perf_counter()
                    image = renderer.render(request.content, request.camera, request.width, request.height,
                                            fit_map=request.fit_map, samples=request.samples)
                    result = RenderResult(request, image, time.perf_counter() - start, self.thread_id)
                    self.uploads = renderer.uploads
                except Exception as exc:  # a bad frame must not kill the GUI's only renderer
                    with self._cond:
                        self._finish_waiter(request.serial, exc)
                    if self._on_error is not None:
                        try:
                            self._on_error(request, exc)
                        except Exception:
                            log.exception("render worker: the error callback failed")
                    continue
                self.rendered += 1
                with self._cond:
                    self._finish_waiter(request.serial, result)
                if self._on_frame is not None:
                    try:
                        self._on_frame(result)
                    except Exception:  # e.g. the Qt receiver is already deleted; keep drawing for the rest
                        log.exception("render worker: the frame callback failed")
        finally:
            if renderer is not None:
                renderer.close()


def _make_qt_worker_class():
    from PySide6.QtCore import QObject, Signal

    class QtRenderWorker(QObject):
        """``RenderWorker`` for the GUI: ``frameReady(RenderResult)`` and ``failed(str)`` arrive on the
        GUI thread (queued across threads by Qt). One per application; call ``close()`` on quit."""

        frameReady = Signal(object)
        failed = Signal(str)

        def __init__(self, parent=None, *, studio_shader: bool = True, warm: bool = True):
            super().__init__(parent)
            self.worker = RenderWorker(self._frame, self._error, studio_shader=studio_shader, warm=warm)
            inner = self.worker
            self.destroyed.connect(lambda *_: inner.close())  # deleted with its parent window without close()

        def _frame(self, result):
            self.frameReady.emit(result)

        def _error(self, request, exc):
            self.failed.emit(f"the 3D view could not be drawn: {exc}")

        def submit(self, request: RenderRequest) -> None:
            self.worker.submit(request)

        def close(self) -> None:
            self.worker.close()

    return QtRenderWorker


def __getattr__(name):  # PEP 562: build the Qt class on first use only
    if name == "QtRenderWorker":
        cls = _make_qt_worker_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
