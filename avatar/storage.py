"""Where the fitting room keeps the user's data and its caches."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

APP_NAME = "fitting-room"
HOME_ENV = "FITTING_ROOM_HOME"
CACHE_ENV = "FITTING_ROOM_CACHE"


def data_root() -> Path:
    """The user data root: ``$FITTING_ROOM_HOME`` if set, else the platform's user data directory."""
    configured = os.environ.get(HOME_ENV)
    return Path(configured).expanduser() if configured else Path(user_data_dir(APP_NAME, appauthor=False))


def cache_root() -> Path:
    """Shared, re-creatable files (body model assets): ``$FITTING_ROOM_CACHE`` or the platform cache directory."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured).expanduser() if configured else Path(user_cache_dir(APP_NAME, appauthor=False))


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one.

    Parameters
    ----------
    path : the file to write; its folder is made if missing
    data : the whole new contents
    mode : the file's permission bits, e.g. ``0o600`` for a file only its owner may read; they are set
        before any byte is written. None gives what a plain ``open()`` would (0666 less the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        os.chmod(tmp, 0o666 & ~_umask() if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):  # the write failed already; a cleanup failure must not hide why
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str, *, mode: int | None = None) -> None:
    """``atomic_write_bytes`` of ``text`` as UTF-8."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def atomic_write_json(path: Path, obj, *, mode: int | None = None) -> None:
    """``atomic_write_text`` of ``obj`` as indented JSON with a final newline."""
    atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=False) + "\n", mode=mode)


def os_error_reason(exc: OSError, folder: Path | None = None) -> str:
    """Why a file operation failed and what to do, in words a user can act on (no error codes).

    Parameters
    ----------
    exc : the error raised by the operation
    folder : the folder being written, named in the message when permissions are the cause
    """
    where = f" {folder}" if folder is not None else ""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full; free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"the data folder{where} cannot be written (read-only or no permission); check its permissions"
    return f"{exc.strerror or exc.__class__.__name__}; check the data folder{where} and the free disk space"
