"""The order store's SQLite errors in words: what is really wrong and what to do about it.

A full disk, a read-only folder or a store busy with another writer leave the stored orders
intact; only a file SQLite cannot read as a database is called damaged.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .errors import OrderError


def store_error(exc: sqlite3.DatabaseError, path: Path) -> OrderError:
    """What is really wrong with the store at ``path``, from SQLite's error: a full disk, no permission,
    a read-only disk, a busy store, or (only then advising to move it away) a damaged file."""
    text = str(exc).lower()
    intact = "the stored orders are intact"
    if "full" in text:  # SQLITE_FULL
        return OrderError(f"the disk holding the order store {path} is full; free some space and try again ({intact})")
    if "locked" in text or "busy" in text:
        return OrderError(f"the order store {path} is busy (another copy of the app is writing); try again "
                          f"in a moment ({intact})")
    if any(word in text for word in ("readonly", "read-only", "unable to open", "permission", "access")):
        return OrderError(f"cannot use the order store {path}: {_access_problem(path)} ({intact})")
    if isinstance(exc, sqlite3.OperationalError) or "i/o" in text:
        return OrderError(f"cannot use the order store {path} ({exc}); check the disk and try again ({intact})")
    return OrderError(f"cannot open the order store {path} ({exc}); the file is damaged: "
                      "move the damaged file away to start a new one, or restore it from a backup")


def _access_problem(path: Path) -> str:
    """Why the store's file or folder cannot be written, in words and with the fix."""
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"the disk holding {folder} is mounted read-only; set FITTING_ROOM_HOME to a writable folder"
    except OSError:
        pass
    if not os.access(folder, os.W_OK | os.X_OK):
        return (f"no permission to write in its folder {folder} (SQLite keeps its journal there); "
                "make the folder writable or set FITTING_ROOM_HOME to one that is")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return "no permission to read and write it; make the file readable and writable for this user"
    return "it cannot be opened for writing (permission denied or a read-only disk); make it writable"
