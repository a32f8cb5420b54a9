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
# --- reading small codes ---------------------------------------------------------------------------------
# OpenCV's detector needs about 4 pixels a module; a code held at arm's length from a 720p webcam has 2-3.
# So the frame is first searched for "busy" patches (a QR code's modules make an edge at almost every
# pixel), and each is read again enlarged; then the whole frame is read, which finds large codes, by
# OpenCV's ArUco-based detector (the faster one) and then by its classic one (each reads some rotated or blurred codes
# the other misses).
EDGE_GREY = 40          # a 3x3 grey-level range above this is an edge (screen codes have 150-200 of contrast)
BUSY_WINDOW_PX = 9      # edges are counted in windows this wide ...
BUSY_FRACTION = 0.35    # ... and a window with more edge pixels than this belongs to a code candidate
MIN_CANDIDATE_PX = 12   # a candidate smaller than this cannot hold 21 modules
MAX_CANDIDATES = 3      # the largest few; a frame rarely holds more code-like patches
CANDIDATE_MARGIN = 0.25  # of the patch's size, added around it (the quiet zone and blurred edges)
ENLARGED_PX = 600       # a candidate is enlarged to about this size, 2 to 4 times (OpenCV's detector misses
MIN_ENLARGE, MAX_ENLARGE = 2.0, 4.0  # blurred codes at 1-1.5 times); larger ones are left to the whole frame


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


def code_candidates(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Patches of a grey frame that may be a small QR code, largest first.

    Parameters
    ----------
    grey : (H, W) uint8

    Returns
    -------
    [(x, y, width, height)] in pixels, at most ``MAX_CANDIDATES``
    """
    edges = cv2.morphologyEx(grey, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > EDGE_GREY
    density = cv2.boxFilter(edges.astype(np.float32), -1, (BUSY_WINDOW_PX, BUSY_WINDOW_PX))
    busy = cv2.morphologyEx((density > BUSY_FRACTION).astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(busy)
    found = []
    for x, y, w, h, area in stats[1:count]:
        if min(w, h) >= MIN_CANDIDATE_PX and max(w, h) <= 3 * min(w, h):
            found.append((int(area), (int(x), int(y), int(w), int(h))))
    return [box for _area, box in sorted(found, reverse=True)[:MAX_CANDIDATES]]


def _decode(detector, image: np.ndarray) -> str:
    try:
        text, _points, _straight = detector.detectAndDecode(image)
    except cv2.error:  # a degenerate quadrilateral in OpenCV's rectification: nothing readable there
        return ""
    return text or ""


def find_qr_text(rgb: np.ndarray) -> str | None:
    """The text of a QR code in an RGB frame, or None when no code can be read in it.

    Parameters
    ----------
    rgb : (H, W, 3) uint8, RGB (or (H, W) grey)
    """
    grey = rgb if rgb.ndim == 2 else cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    detector = cv2.QRCodeDetector()
    for x, y, w, h in code_candidates(grey):
        margin = int(CANDIDATE_MARGIN * max(w, h)) + 4
        crop = grey[max(0, y - margin):y + h + margin, max(0, x - margin):x + w + margin]
        scale = min(MAX_ENLARGE, ENLARGED_PX / max(crop.shape))
        if scale < MIN_ENLARGE:
            continue
        if text := _decode(detector, cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)):
            return text
    return _decode(cv2.QRCodeDetectorAruco(), grey) or _decode(detector, grey) or None


def read_profile_code(rgb: np.ndarray) -> PortableProfile | None:
    """The portable profile in a camera frame or photo, or None when no QR code is in sight.

    Raises
    ------
    ProfileCodeError : a QR code is read but it is not a profile code, damaged, of another format version
        or holds values outside the human range
    """
    text = find_qr_text(rgb)
    return None if text is None else decode_payload(text)
