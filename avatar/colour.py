"""Colour spaces and the avatar's skin tone.

The catalog's colours are linear light; pictures, Qt and the renderer's ``GarmentLayer.colour`` take
sRGB; glTF's ``baseColorFactor`` is linear. The conversions are the sRGB standard's (IEC 61966-2-1).
"""

from __future__ import annotations

import numpy as np

SKIN_SRGB = (0.84, 0.67, 0.58)  # a natural mid-light skin tone (less orange than it looks in a swatch)


def srgb_to_linear(c) -> np.ndarray:
    """sRGB in [0, 1] (any shape) to linear light in [0, 1]."""
    c = np.asarray(c, float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c) -> np.ndarray:
    """Linear light (any shape, clipped to [0, 1]) to sRGB in [0, 1]."""
    c = np.clip(np.asarray(c, float), 0.0, 1.0)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)
