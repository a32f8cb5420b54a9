"""The avatar picture kept with an order for its receipt: a PNG, checked whole before it is stored."""

from __future__ import annotations

import struct

from .constants import MAX_PICTURE_BYTES, MAX_PICTURE_PIXELS
from .errors import OrderError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_IHDR = struct.Struct(">4sII")  # chunk type, width, height: bytes 12-24 of every PNG


def check_picture(png: bytes) -> tuple[int, int]:
    """(width, height) of an avatar picture if it is a whole PNG of bounded size; OrderError if not.

    The pixel count is read from the header before anything is decoded, so a small file that
    claims a huge image costs nothing; then the image is decoded for real, so a receipt never
    meets a picture it cannot draw.
    """
    if not png.startswith(PNG_SIGNATURE) or len(png) < 8 + PNG_IHDR.size + 4:
        raise OrderError("the avatar picture is not a PNG image; give a .png file")
    if len(png) > MAX_PICTURE_BYTES:
        raise OrderError(f"the avatar picture is {len(png) // 1024} KiB, more than {MAX_PICTURE_BYTES // 1024} KiB; "
                         "give a smaller PNG")
    chunk, width, height = PNG_IHDR.unpack_from(png, 12)
    if chunk != b"IHDR" or width == 0 or height == 0:
        raise OrderError("the avatar picture is a damaged PNG (no image header); save it again as PNG")
    if width * height > MAX_PICTURE_PIXELS:
        raise OrderError(f"the avatar picture is {width}x{height} pixels, more than {MAX_PICTURE_PIXELS // 10**6} "
                         "megapixels; give a smaller PNG (1024x1280 is plenty for a receipt)")
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(png, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None or image.shape[:2] != (height, width):
        raise OrderError("the avatar picture is a damaged PNG (it cannot be decoded); save it again as PNG")
    return width, height
