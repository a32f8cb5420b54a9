"""Profile codes as pictures: made with segno, read from camera frames and photos with OpenCV's QR detector.

:func:`read_profile_code` is the one reader: the Camera tab gives it live frames and photos from
files, the tests give it rendered, blurred and rotated codes.
"""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np

from .portable import PortableProfile
from .profile_code import decode_payload, encode_payload
from .storage import atomic_write_bytes

#: Error correction M restores up to 15 % of a damaged code (ISO/IEC 18004) and keeps a full profile
#: at version 4 (33 modules); H would need version 6 and smaller modules for the same screen.
ERROR_LEVEL = "m"
QUIET_ZONE_MODULES = 4  # the standard's margin; a phone screen's own edge cannot be relied on
#: A frame whose code is smaller than this is read once more at twice the size: OpenCV's detector finds
#: the finder patterns from about 3 pixels a module, interpolation gets it down to about 2.
UPSCALE_BELOW_PX = 1600


def make_code(profile: PortableProfile):
    """The segno QR code of ``profile``'s payload (alphanumeric mode, error level M)."""
    import segno

    return segno.make_qr(encode_payload(profile), error=ERROR_LEVEL, boost_error=False)


def code_png(profile: PortableProfile, scale: int = 10) -> bytes:
    """The profile code as a PNG (black on white, ``scale`` pixels a module, standard quiet zone)."""
    buffer = io.BytesIO()
    make_code(profile).save(buffer, kind="png", scale=scale, border=QUIET_ZONE_MODULES)
    return buffer.getvalue()


def code_image(profile: PortableProfile, scale: int = 10) -> np.ndarray:
    """The profile code as an RGB image.

    Returns
    -------
    (n, n, 3) uint8, with n = (modules + 8) * scale
    """
    grey = cv2.imdecode(np.frombuffer(code_png(profile, scale), np.uint8), cv2.IMREAD_GRAYSCALE)
    return np.repeat(grey[:, :, None], 3, axis=2)


def write_code_png(profile: PortableProfile, path: Path, scale: int = 10) -> Path:
    """Write the profile code as a PNG file, atomically."""
    atomic_write_bytes(Path(path), code_png(profile, scale))
    return Path(path)


def find_qr_text(rgb: np.ndarray) -> str | None:
    """The text of a QR code in an RGB frame, or None when no code can be read in it.

    Parameters
    ----------
    rgb : (H, W, 3) uint8, RGB (or (H, W) grey)
    """
    grey = rgb if rgb.ndim == 2 else cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    detector = cv2.QRCodeDetector()
    attempts = [grey]
    if max(grey.shape) < UPSCALE_BELOW_PX:
        attempts.append(cv2.resize(grey, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC))
    for image in attempts:
        try:
            text, points, _ = detector.detectAndDecode(image)
        except cv2.error:  # a degenerate quadrilateral in OpenCV's rectification: nothing readable here
            continue
        if text:
            return text
    return None


def read_profile_code(rgb: np.ndarray) -> PortableProfile | None:
    """The portable profile in a camera frame or photo, or None when no QR code is in sight.

    Raises
    ------
    ProfileCodeError : a QR code is read but it is not a profile code, damaged, of another format version
        or holds values outside the human range
    """
    text = find_qr_text(rgb)
    return None if text is None else decode_payload(text)
