"""The shopper's skin tone suggested from the front photo: the median colour of the face and neck,
matched to the nearest tone of ``avatar.looks`` in CIELAB (lightness weighted less, see
``SKIN_LIGHTNESS_WEIGHT``). A suggestion only: the shopper picks the tone."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from avatar.looks import SKIN_TONES

from . import constants as C
from .errors import PhotoError


@dataclass(frozen=True)
class SkinToneGuess:
    """The tone a photo suggests.

    Attributes
    ----------
    tone : a name of ``avatar.looks.SKIN_TONE_NAMES`` (a Monk tone, never ``default``)
    srgb : (3,) float in [0, 1]; the median colour of the face and neck in the photo
    distance : the weighted CIELAB distance from that colour to the tone
    """

    tone: str
    srgb: tuple
    distance: float


def _lab(srgb: np.ndarray) -> np.ndarray:
    """(N, 3) sRGB in [0, 1] to (N, 3) CIELAB (L in 0-100), D65."""
    rgb = np.asarray(srgb, np.float32).reshape(-1, 1, 3)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab).reshape(-1, 3).astype(float)


def face_pixels(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The face and neck pixels of the person in a photo.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    mask : (H, W) bool; the person (``segment.segment_person``)

    Returns
    -------
    (n, 3) uint8 RGB; rows ``SKIN_ROWS`` of the person's height from the top of the head, the middle
    ``SKIN_ROW_MIDDLE`` of the person in each row, away from the outline
    """
    inner = cv2.erode(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return np.zeros((0, 3), np.uint8)
    top, height = rows[0], rows[-1] - rows[0] + 1
    picked = []
    for y in range(top + int(C.SKIN_ROWS[0] * height), top + int(C.SKIN_ROWS[1] * height) + 1):
        xs = np.flatnonzero(inner[y])
        if xs.size == 0:
            continue
        middle, half = (xs[0] + xs[-1]) / 2.0, C.SKIN_ROW_MIDDLE * (xs[-1] - xs[0] + 1) / 2.0
        xs = xs[np.abs(xs - middle) <= half]
        picked.append(image[y, xs])
    return np.concatenate(picked) if picked else np.zeros((0, 3), np.uint8)


def nearest_tone(srgb) -> tuple[str, float]:
    """The Monk tone of ``avatar.looks`` nearest to a colour ((3,) sRGB in [0, 1]), and the distance."""
    names = [n for n in SKIN_TONES if n != "default"]
    weights = np.array([C.SKIN_LIGHTNESS_WEIGHT, 1.0, 1.0])
    d = np.linalg.norm((_lab([SKIN_TONES[n] for n in names]) - _lab(srgb)) * weights, axis=1)
    k = int(np.argmin(d))
    return names[k], float(d[k])


def suggest_skin_tone(image: np.ndarray, background: np.ndarray | None = None) -> SkinToneGuess:
    """The skin tone a front photo suggests.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB; the front photo, the whole body in view
    background : (H, W, 3) uint8 RGB or None; the same scene without the person

    Returns
    -------
    SkinToneGuess; raises ``PhotoError`` (how to retake it) when no face can be seen
    """
    from .checks import assess_frame  # the learned person mask needs the photo models

    found = assess_frame(image, "front", background)
    if found.segmentation is None:
        raise found.problems[0]
    mask = found.segmentation.mask
    pixels = face_pixels(np.asarray(image), mask)
    if len(pixels) < C.SKIN_MIN_PIXELS:
        raise PhotoError("the face is too small in the photo to suggest a skin tone; stand closer and retake it")
    median = np.median(_lab(pixels / 255.0), axis=0)
    srgb = cv2.cvtColor(median.astype(np.float32).reshape(1, 1, 3), cv2.COLOR_Lab2RGB).reshape(3)
    srgb = tuple(float(c) for c in np.clip(srgb, 0.0, 1.0))
    tone, distance = nearest_tone(srgb)
    return SkinToneGuess(tone=tone, srgb=srgb, distance=distance)


__all__ = ["SkinToneGuess", "face_pixels", "nearest_tone", "suggest_skin_tone"]
