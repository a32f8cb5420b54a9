"""Frames from a camera, a video file or an image file, as RGB arrays in memory.

OpenCV delivers BGR; :func:`bgr_to_rgb` is the one place that converts, so every array that
leaves this module is RGB (H, W, 3) uint8. Nothing here writes to disk.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..image_header import MAX_IMAGE_PIXELS, header_pixels

# OpenCV's own decoder limit, as a second guard behind the header check (read when cv2 first decodes).
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_IMAGE_PIXELS))

import cv2  # noqa: E402 - after its pixel limit is set
import numpy as np  # noqa: E402

from .errors import CameraError, UnreadableImageError  # noqa: E402

CAMERA_PROBE_COUNT = 6  # indices tried by the camera probe (app.gui.camera): laptops and kiosks rarely have more devices
MAX_IMAGE_BYTES = 64 * 1024 * 1024  # a photo larger than this is not a photo


def bgr_to_rgb(frame: np.ndarray) -> np.ndarray:
    """OpenCV's BGR (or BGRA, or grey) frame -> RGB (H, W, 3) uint8, a new contiguous array."""
    if frame.ndim == 2:
        return np.ascontiguousarray(np.repeat(frame[:, :, None], 3, axis=2))
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)


def _to_uint8(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint8:
        return image
    if image.dtype == np.uint16:
        return (image >> 8).astype(np.uint8)
    return np.clip(image, 0, 255).astype(np.uint8)


def decode_image(data: bytes, name: str = "image") -> np.ndarray:
    """Decode an encoded image (JPEG, PNG, ...) held in memory.

    Returns
    -------
    (H, W, 3) uint8, RGB
    """
    pixels = header_pixels(data) if len(data) else None
    if pixels is None:
        raise UnreadableImageError(f"{name} is not a readable image; save the photo as JPEG or PNG and try again")
    if pixels > MAX_IMAGE_PIXELS:
        size = f"{pixels / 1e6:,.0f} megapixels" if pixels < float("inf") else "hundreds of megapixels"
        raise UnreadableImageError(f"{name} declares {size}, over the {MAX_IMAGE_PIXELS // 10**6} megapixel limit "
                                   "for a photo; use the camera's normal size or scale it down")
    buffer = np.frombuffer(data, dtype=np.uint8)
    try:
        image = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED)
    except cv2.error:
        image = None
    if image is None or image.size == 0:
        raise UnreadableImageError(f"{name} is not a readable image; save the photo as JPEG or PNG and try again")
    return bgr_to_rgb(_to_uint8(image))


def read_image(path: str | Path) -> np.ndarray:
    """Read a photo file into memory as RGB (H, W, 3) uint8."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise UnreadableImageError(f"{path} is {size // 2**20} MB, too large for a photo; "
                                       "use the camera's normal JPEG size")
        data = path.read_bytes()
    except IsADirectoryError:
        raise UnreadableImageError(f"{path} is a folder, not a photo; give the path of a JPEG or PNG file") from None
    except FileNotFoundError:
        raise UnreadableImageError(f"{path} does not exist; check the photo's path") from None
    except OSError as exc:
        raise UnreadableImageError(f"{path} cannot be read ({exc.strerror}); check the photo's path") from None
    return decode_image(data, str(path))


class FrameSource:
    """A live camera (by index) or a video file (by path), read frame by frame as RGB.

    Use as a context manager, or call :meth:`close`. Not thread-safe: one thread reads.
    """

    def __init__(self, source: int | str | Path, *, width: int | None = None, height: int | None = None):
        self.source = source
        is_index = isinstance(source, int) or (isinstance(source, str) and source.isdigit())
        if is_index:
            self._cap = cv2.VideoCapture(int(source))
        else:
            path = Path(source)
            if not path.is_file():
                raise CameraError(f"{path} does not exist; give a camera number or a video file")
            self._cap = cv2.VideoCapture(str(path))
        if not self._cap.isOpened():
            self._cap.release()
            what = f"camera {source}" if is_index else f"video {source}"
            raise CameraError(f"{what} cannot be opened; check that it is connected and not used by another program")
        if width:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        if height:
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels, as the device reports it."""
        return int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT))

    def read(self) -> np.ndarray | None:
        """The next frame as RGB (H, W, 3) uint8, or None at the end of a video or when the camera stops."""
        ok, frame = self._cap.read()
        if not ok or frame is None:
            return None
        return bgr_to_rgb(frame)

    def frames(self) -> Iterator[np.ndarray]:
        """Every remaining frame, RGB."""
        while (frame := self.read()) is not None:
            yield frame

    def close(self) -> None:
        self._cap.release()

    def __enter__(self) -> "FrameSource":
        return self

    def __exit__(self, *exc) -> bool:
        self.close()
        return False


def open_source(source: int | str | Path, **kwargs) -> FrameSource:
    """Open a camera index (``0``, ``"1"``) or a video file path."""
    return FrameSource(source, **kwargs)
