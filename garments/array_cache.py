"""Thread-safe least-recently-used caches keyed by the content of numpy arrays.

A cloth model, a body's distance field and a garment's surface binding each cost from tens of
milliseconds to seconds to build and depend only on vertex positions and faces, so each is kept
under a SHA1 digest of the arrays it was built from.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Callable, Generic, TypeVar

import numpy as np

T = TypeVar("T")


def array_key(*parts) -> str:
    """A hex SHA1 digest of ``parts``, in order: numpy arrays by their bytes (made contiguous), anything else by ``repr``.

    Two calls give the same key exactly when every array has the same dtype and bytes and every
    other part the same ``repr``; convert arrays to one dtype first where the caller's dtype may vary.
    """
    digest = hashlib.sha1()
    for part in parts:
        if isinstance(part, np.ndarray):
            digest.update(np.ascontiguousarray(part).tobytes())
        else:
            digest.update(repr(part).encode())
    return digest.hexdigest()


class ArrayCache(Generic[T]):
    """At most ``size`` built values, the least recently used dropped first.

    The value is built outside the lock, so a slow build does not hold other threads up; two threads
    asking for the same missing key may both build it (the last one stored wins, both are equal).
    """

    def __init__(self, size: int):
        self.size = int(size)
        self._values: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, build: Callable[[], T]) -> T:
        """The value under ``key``, from ``build()`` (and kept) when it is not cached."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = build()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Drop every value (a kiosk forgets the last shopper's body)."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)
