"""A catalog garment's base-colour texture as an image array, read once per file version.

The texture is the designer's print in sRGB; renderers multiply it by the chosen colour variant (the
glTF base-colour convention), so a textured import's own colour ("as designed") is white and any other
variant of it tints the print.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from avatar.image_header import cap_decoders

DESIGNED_COLOUR = "as designed"
DESIGNED_TEXTURED_RGB = (1.0, 1.0, 1.0)  # white: the print shows as the designer made it

_CACHE: dict[tuple, np.ndarray] = {}


def garment_texture(garment) -> np.ndarray | None:
    """(H, W, 3) uint8 sRGB image of ``garment.texture`` in its folder, or None when it has none.

    A texture file that is missing or unreadable is None too (the garment is drawn in its colour).
    """
    if not getattr(garment, "texture", None) or garment.folder is None:
        return None
    path = Path(garment.folder) / garment.texture
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if key not in _CACHE:
        from PIL import Image

        cap_decoders()
        try:
            with Image.open(path) as image:
                _CACHE[key] = np.asarray(image.convert("RGB"), np.uint8)
        except (OSError, ValueError, Image.DecompressionBombError):
            return None
    return _CACHE[key]
