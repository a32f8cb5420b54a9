"""Named numpy arrays kept on disk between processes, so that a new process does not build them again.

An entry is one uncompressed ``.npz`` file in a folder, named by a key the caller derives from everything
the arrays depend on (``garments.array_cache.array_key``); it is written atomically and checked when read
(a missing, unreadable or incomplete entry is built again), and a folder keeps at most a given number of
entries, the least recently used removed first. Everything in a store is safe to delete.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np

Arrays = dict[str, np.ndarray]


def _read(path: Path, names: tuple[str, ...]) -> Arrays | None:
    """The arrays of an entry, or None when it is missing, unreadable or lacks one of ``names``."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if not all(name in data.files for name in names):
                return None
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to be removed
    return arrays


def _write(path: Path, arrays: Arrays, keep: int) -> None:
    """Store an entry atomically, then remove the folder's least recently used entries beyond ``keep``."""
    from avatar.storage import atomic_write_bytes

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    atomic_write_bytes(path, buffer.getvalue())
    entries = sorted(path.parent.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


def stored_arrays(folder: Path, key: str, names: tuple[str, ...], build: Callable[[], Arrays],
                  keep: int) -> tuple[Arrays, bool]:
    """The arrays stored under ``key`` in ``folder``, else ``build()``'s, stored there.

    Parameters
    ----------
    folder : the store's folder (made when first written)
    key : the entry's name, a digest of everything the arrays depend on
    names : the arrays an entry must hold to be used
    build : makes the arrays (a dict of name -> array holding at least ``names``) when no entry is usable
    keep : at most this many entries stay in ``folder``

    Returns
    -------
    arrays : name -> array
    stored : True when they were read from the store
    """
    path = Path(folder) / f"{key}.npz"
    arrays = _read(path, names)
    if arrays is not None:
        return arrays, True
    arrays = build()
    with contextlib.suppress(OSError):  # a store that cannot be written only costs the building
        _write(path, arrays, keep)
    return arrays, False
