"""An image's pixel count from its header alone, so a decompression bomb is refused before it is decoded."""

from __future__ import annotations

import io
import math
import warnings
from pathlib import Path

# A photo or texture with more pixels than this is refused unread. The largest phone sensors give
# 48-50 MP (8000 x 6000); decoded as RGB that is 150 MB, the most one picture may take of memory.
MAX_IMAGE_PIXELS = 50_000_000


def cap_decoders() -> None:
    """Make PIL refuse to open any image over ``MAX_IMAGE_PIXELS`` (textures inside meshes decoded by
    trimesh too). PIL raises ``DecompressionBombError`` above twice its ``MAX_IMAGE_PIXELS``."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS // 2


def header_pixels(source: bytes | Path) -> float | None:
    """Width times height as the image's header declares them, without decoding the pixels.

    Parameters
    ----------
    source : the encoded image (bytes) or its file

    Returns
    -------
    the pixel count; ``math.inf`` for a header beyond any decoder's safety limit; None when the
    bytes are not an image format the header reader knows
    """
    from PIL import Image

    handle = io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else Path(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PIL's own bomb warning: the caller decides
            with Image.open(handle) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        return math.inf
    except Exception:  # noqa: BLE001 - a header PIL cannot parse (any of a dozen errors) is not a known image
        return None
    return float(width) * float(height)
