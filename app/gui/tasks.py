"""Run plain functions off the GUI thread, the latest request winning.

A long job is a plain function taking ``progress(fraction, message)`` and ``cancelled()``
keyword arguments (the core's convention). :class:`TaskRunner` runs it on a thread pool and
reports back on the GUI thread. Tasks share a *key* ("fit", "drape", ...): starting a task
cancels the running one with the same key, and whatever that older task returns later is
dropped, so the window only ever shows the result of the newest request.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from avatar.errors import Cancelled

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries the worker thread's reports to the GUI thread (queued signals)."""

    progress = Signal(float, str)
    done = Signal(object)
    error = Signal(object, str)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable, args, kwargs, relay: _Relay, stop: threading.Event, wants_progress: bool):
        super().__init__()
        self.setAutoDelete(True)
        self.fn, self.args, self.kwargs, self.relay, self.stop = fn, args, kwargs, relay, stop
        self.wants_progress = wants_progress

    def run(self) -> None:  # worker thread
        kwargs = dict(self.kwargs)
        if self.wants_progress:
            kwargs.setdefault("progress", lambda fraction, message="": self.relay.progress.emit(float(fraction), str(message)))
            kwargs.setdefault("cancelled", self.stop.is_set)
        try:
            if self.stop.is_set():
                raise Cancelled("cancelled before it started")
            result = self.fn(*self.args, **kwargs)
        except BaseException as exc:  # reported on the GUI thread, never swallowed
            self.relay.error.emit(exc, traceback.format_exc())
        else:
            self.relay.done.emit(result)
        finally:
            # The pool deletes this runnable on its own thread: it lets go of everything first, so that
            # nothing the GUI thread owns (the relay, the task's arguments) is ever freed from here.
            self.fn = self.args = self.kwargs = self.relay = None


class Task(QObject):
    """One run of a function. Signals fire on the GUI thread and only while the task is current.

    Signals
    -------
    progress(fraction, message) : fraction in [0, 1]
    finished(result)
    failed(exception) : any exception but :class:`Cancelled`
    cancelled()
    """

    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    ended = Signal()  # after finished/failed/cancelled, whichever came
    over = Signal()  # the function returned or raised (also for stale tasks)

    def __init__(self, key: str, label: str, parent: QObject | None = None):
        super().__init__(parent)
        self.key = key
        self.label = label
        self.stop = threading.Event()
        self.stale = False  # a newer task of the same key replaced this one
        self.running = True
        self.fraction = 0.0
        self.message = label
        self._relay = _Relay(self)  # owned by the task, so deleted with it on the GUI thread
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._relay.error.connect(self._on_error)

    def cancel(self) -> None:
        """Ask the function to stop (it polls ``cancelled()``); its result will be ignored."""
        self.stop.set()

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if self.stale or self.stop.is_set():
            return
        self.fraction, self.message = fraction, message or self.label
        self.progress.emit(fraction, self.message)

    @Slot(object)
    def _on_done(self, result: Any) -> None:
        self.running = False
        self.over.emit()
        if self.stale:
            return
        if self.stop.is_set():
            self.cancelled.emit()
        else:
            self.finished.emit(result)
        self.ended.emit()

    @Slot(object, str)
    def _on_error(self, exc: BaseException, trace: str) -> None:
        self.running = False
        self.over.emit()
        if self.stale:
            return
        if isinstance(exc, Cancelled) or self.stop.is_set():
            self.cancelled.emit()
        else:
            log.error("%s failed:\n%s", self.label, trace)
            self.failed.emit(exc)
        self.ended.emit()


class TaskRunner(QObject):
    """Starts tasks on a thread pool; one current task per key.

    Signals
    -------
    activity() : a task started, progressed or ended; read :meth:`current` for the state
    """

    activity = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool(self)
        self.closed = False  # after shutdown() nothing new runs (a closed window's late signals start nothing)
        self._current: dict[str, Task] = {}

    def start(self, key: str, label: str, fn: Callable, *args, progress: bool = True, priority: int = 0,
              **kwargs) -> Task:
        """Run ``fn(*args, **kwargs)`` off the GUI thread as the current task of ``key``.

        With ``progress=True`` the function also gets ``progress=`` and ``cancelled=`` callables.
        ``priority``: queued tasks of higher priority start first (work prepared ahead runs below 0).
        Connect to the returned task's signals right away (they fire from the event loop, later).
        """
        if self.closed:
            task = Task(key, label, self)
            task.stale, task.running = True, False
            task.stop.set()
            return task
        older = self._current.get(key)
        if older is not None:
            older.stale = True
            older.cancel()
        task = Task(key, label, self)  # a child: deleted with the runner, so nothing fires into a closed window
        self._current[key] = task
        task.progress.connect(self.activity)
        task.ended.connect(self._task_ended)
        task.over.connect(self._task_over)
        self.pool.start(_Runnable(fn, args, kwargs, task._relay, task.stop, progress), priority)
        self.activity.emit()
        return task

    @Slot()
    def _task_over(self) -> None:
        task = self.sender()
        if isinstance(task, Task):
            task.deleteLater()  # after the signals being delivered now

    @Slot()
    def _task_ended(self) -> None:
        task = self.sender()
        if isinstance(task, Task) and self._current.get(task.key) is task:
            del self._current[task.key]
        self.activity.emit()

    def current(self) -> list[Task]:
        """Running tasks, oldest first."""
        return [t for t in self._current.values() if t.running]

    def task(self, key: str) -> Task | None:
        """The newest task started under ``key`` while it is current, or None."""
        return self._current.get(key)

    def busy(self, key: str | None = None) -> bool:
        if key is None:
            return bool(self.current())
        task = self.task(key)
        return task is not None and task.running

    def cancel(self, key: str | None = None) -> None:
        """Cancel the current task of ``key`` (every current task if None)."""
        for task in list(self._current.values()):
            if key is None or task.key == key:
                task.cancel()
        self.activity.emit()

    def forget(self, key: str | None = None) -> None:
        """Cancel and mark stale: nothing from these tasks reaches the window any more."""
        for task in list(self._current.values()):
            if key is None or task.key == key:
                task.stale = True
                task.cancel()
                del self._current[task.key]
        self.activity.emit()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel everything, refuse new work, and wait for the workers (window close, test teardown)."""
        self.closed = True
        self.forget()
        return self.pool.waitForDone(timeout_ms)
