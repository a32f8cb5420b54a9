"""The live preview's overlay: the person's outline and skeleton drawn on a frame (a copy; nothing is written)."""

from __future__ import annotations

import cv2
import numpy as np

from .models import INDEX, SKELETON

OK_COLOUR = (40, 200, 90)  # RGB: the photo can be taken
FIX_COLOUR = (230, 60, 50)  # RGB: something to fix first (the guidance under the preview says what)


def draw_overlay(rgb: np.ndarray, assessment) -> np.ndarray:
    """A copy of ``rgb`` with the outline of the person's mask and their skeleton.

    Parameters
    ----------
    rgb : (H, W, 3) uint8 RGB; the preview frame
    assessment : ``checks.Assessment`` of this or a recent frame of the same size, or None

    Returns
    -------
    (H, W, 3) uint8 RGB
    """
    out = np.array(rgb, copy=True)
    if assessment is None or assessment.segmentation is None:
        return out
    mask = assessment.segmentation.mask
    if mask.shape != out.shape[:2]:
        return out  # an assessment of another source's frame
    colour = OK_COLOUR if assessment.ok else FIX_COLOUR
    thick = max(1, out.shape[0] // 300)
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(out, contours, -1, colour, thick)
    pose = assessment.pose
    if pose is not None:
        for a, b in SKELETON:
            pa, pb = pose.points[INDEX[a]], pose.points[INDEX[b]]
            cv2.line(out, tuple(int(v) for v in pa), tuple(int(v) for v in pb), (255, 255, 255), thick)
        for name in INDEX:
            cv2.circle(out, tuple(int(v) for v in pose.point(name)), thick + 1, colour, -1)
    return out
