"""Evented state without Qt: a model declares its events, views connect to them.

A class attribute ``changed = Event()`` gives every instance its own :class:`Emitter`, with
``connect``, ``disconnect`` and ``emit`` (the calls Qt's signals have, so a widget connects to a
model's event exactly as it would to a signal). Bound methods are held weakly: a panel that goes
away stops receiving without disconnecting. Events are emitted on the thread that changes the
model; the GUI changes it only on its own thread.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from contextlib import contextmanager


class Emitter:
    """The receivers of one event of one model instance."""

    def __init__(self, name: str = ""):
        self.name = name
        self._receivers: list = []  # weakref.WeakMethod or a plain callable
        self._blocked = 0

    def connect(self, receiver: Callable) -> Callable:
        """Call ``receiver(*args)`` on every emit (a bound method is held weakly); returns the receiver."""
        ref = weakref.WeakMethod(receiver) if hasattr(receiver, "__self__") and hasattr(receiver, "__func__") \
            else receiver
        self._receivers.append(ref)
        return receiver

    def disconnect(self, receiver: Callable | None = None) -> None:
        """Stop calling ``receiver`` (every receiver when None). Unknown receivers are ignored."""
        if receiver is None:
            self._receivers.clear()
            return
        self._receivers = [r for r in self._receivers if self._resolve(r) not in (receiver, None)]

    @staticmethod
    def _resolve(ref):
        return ref() if isinstance(ref, weakref.WeakMethod) else ref

    def emit(self, *args) -> None:
        if self._blocked:
            return
        gone = []
        for ref in list(self._receivers):
            receiver = self._resolve(ref)
            if receiver is None:
                gone.append(ref)  # its object was collected
                continue
            try:
                receiver(*args)
            except RuntimeError as exc:  # a widget whose C++ side is gone: forget it, never crash the model
                if "deleted" not in str(exc):
                    raise
                gone.append(ref)
        if gone:
            self._receivers = [r for r in self._receivers if r not in gone]

    @contextmanager
    def blocked(self):
        """Emit nothing inside this block."""
        self._blocked += 1
        try:
            yield self
        finally:
            self._blocked -= 1

    def __len__(self) -> int:
        return sum(self._resolve(r) is not None for r in self._receivers)


class Event:
    """Declares an event on a model class; each instance gets its own :class:`Emitter`."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        emitters = instance.__dict__.setdefault("_emitters", {})
        emitter = emitters.get(self.name)
        if emitter is None:
            emitter = emitters[self.name] = Emitter(self.name)
        return emitter
