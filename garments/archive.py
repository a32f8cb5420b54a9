"""Zipped garments: unpack only what is safe, into a private temporary folder, and find files inside it.

A member is refused when its name is absolute, climbs out with ``..``, names a drive, or is a
link; the whole archive is refused when it declares more files or more bytes than a garment can
have, before anything is written. Bytes are counted while unpacking too, so a member that lies
about its size cannot fill the disk. Folders left by a process that was killed mid-import are
removed when the app or a command starts (``app.cli``) and the next time an archive is opened.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath

from .constants import MAX_IMPORT_BYTES, MAX_ZIP_MEMBERS, STALE_TEMP_AGE_S
from .errors import GarmentImportError

TEMP_PREFIX = "garment-zip-"
_COPY_CHUNK = 1024 * 1024


def open_archive(path: Path) -> zipfile.ZipFile:
    """Open ``path`` as a zip and check its declared contents (no byte is unpacked here)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise GarmentImportError(f"{path.name} is not a valid zip archive; zip the garment's files again") from None
    try:
        check_members(archive, path.name)
    except BaseException:
        archive.close()
        raise
    return archive


def check_members(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """The archive's files, after refusing unsafe names, links, too many entries and too many bytes."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise GarmentImportError(f"{name} holds {len(infos):,} entries, over the limit of {MAX_ZIP_MEMBERS}; "
                                 "zip only the garment's own files")
    members = []
    for info in infos:
        member_name(info, name)
        if _is_link(info):
            raise GarmentImportError(f"{name} holds a link ({_shown(info.filename)}); zip the real files, not links")
        if not info.is_dir():
            members.append(info)
    total = sum(m.file_size for m in members)
    if total > MAX_IMPORT_BYTES:
        raise GarmentImportError(f"{name} unpacks to {total / 2**20:,.0f} MB, over the {MAX_IMPORT_BYTES // 2**20} MB "
                                 "limit; zip only the garment's own files")
    return members


def member_name(info: zipfile.ZipInfo, archive_name: str) -> PurePosixPath:
    """A member's relative path, refusing absolute names, drive letters, ``..`` parts and control characters."""
    raw = info.filename.replace("\\", "/")
    parts = PurePosixPath(raw).parts
    if any(ord(ch) < 32 for ch in raw):
        raise GarmentImportError(f"{archive_name} holds a file named '{_shown(info.filename)}' with control "
                                 "characters; rename it and zip the garment's files again")
    if raw.startswith("/") or (parts and ":" in parts[0]) or ".." in parts or not parts:
        raise GarmentImportError(f"{archive_name} holds a file named '{_shown(info.filename)}' that points outside "
                                 "the archive; zip the garment's files with plain relative names")
    return PurePosixPath(*parts)


def _shown(name: str) -> str:
    """A member's name for a one-line message: cut short, line breaks and other controls escaped."""
    name = name if len(name) <= 80 else name[:80] + "..."
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def extract(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], folder: Path, name: str) -> None:
    """Unpack ``members`` into ``folder``, counting the bytes actually written against the limit."""
    written = 0
    root = folder.resolve()
    for info in members:
        target = root.joinpath(*member_name(info, name).parts)
        if not inside(root, target):
            raise GarmentImportError(f"{name} holds '{_shown(info.filename)}', which points outside the archive; "
                                     "zip the garment's files with plain relative names")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(info) as source, open(target, "xb") as sink:
                while chunk := source.read(_COPY_CHUNK):
                    written += len(chunk)
                    if written > MAX_IMPORT_BYTES:
                        raise GarmentImportError(f"{name} unpacks to more than {MAX_IMPORT_BYTES // 2**20} MB; "
                                                 "zip only the garment's own files")
                    sink.write(chunk)
        except FileExistsError:
            raise GarmentImportError(f"{name} holds '{_shown(info.filename)}' twice; zip each file once") from None
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise GarmentImportError(f"{name} is damaged or encrypted ({_shown(info.filename)}: {exc}); "
                                     "zip the garment's files again without a password") from None


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, with links resolved, lies within the folder ``root`` (itself resolved)."""
    try:
        Path(os.path.realpath(path)).relative_to(root)
    except ValueError:
        return False
    return True


def confined(root: Path, base: Path, name: str) -> Path | None:
    """The file ``name`` (relative to the folder ``base``) if it lies inside ``root``, else None."""
    if not name or Path(name).is_absolute():
        return None
    candidate = base / name
    return candidate if inside(Path(os.path.realpath(root)), candidate) else None


def temporary_folder() -> Path:
    """A fresh private folder for one archive, named with this process's id so others can tell it is live."""
    remove_stale_folders()
    return Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))


def remove_stale_folders(now: float | None = None) -> int:
    """Delete the temporary folders of imports whose process is gone (or that are older than a day).

    Returns
    -------
    how many folders were removed
    """
    now = time.time() if now is None else now
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"):
        try:
            if not folder.is_dir() or folder.is_symlink() or not _mine(folder):
                continue
            age = now - folder.stat().st_mtime
        except OSError:
            continue
        pid = _owner_pid(folder.name)
        if age > STALE_TEMP_AGE_S or (pid is not None and pid != os.getpid() and not _alive(pid)) \
                or (pid is None and age > STALE_TEMP_AGE_S / 24):
            shutil.rmtree(folder, ignore_errors=True)
            removed += not folder.exists()
    return removed


def _mine(folder: Path) -> bool:
    return not hasattr(os, "getuid") or folder.stat().st_uid == os.getuid()


def _owner_pid(name: str) -> int | None:
    head = name[len(TEMP_PREFIX):].split("-", 1)[0]
    return int(head) if head.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
