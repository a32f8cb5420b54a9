"""Checks that a photo can be measured: one person, whole body in frame, not too close or far,
light enough, and the right view. Each failure is a typed :class:`PhotoError` whose message says
how to retake the photo; milder problems are warnings (strings).

The live capture calls :func:`assess_frame` on preview frames; the estimate calls
:func:`photo_problems` on the final photos, so both apply the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from . import constants as C
from .errors import (BackViewError, BodyCutOffError, BusyBackgroundError, NoPersonError, PartLostError, PhotoError,
                     SeveralPeopleError, TooCloseError, TooDarkError, TooFarError, WrongViewError)
from .segment import Segmentation, background_busyness, segment_person

VIEWS = ("front", "side")


@dataclass(frozen=True)
class Assessment:
    """What the checks found in one photo.

    Attributes
    ----------
    segmentation : Segmentation or None (None when the photo was too dark to segment)
    problems : list of PhotoError, most important first; empty when the photo can be used
    warnings : list of str; the photo can be used but the estimate is less certain
    """

    segmentation: Segmentation | None
    problems: list[PhotoError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def guidance(self) -> str:
        """One line for the shopper: the first problem, or empty."""
        return str(self.problems[0]) if self.problems else ""


def luma(image: np.ndarray) -> np.ndarray:
    """(H, W) float32 brightness 0-255 of an RGB image."""
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)


def _error(cls, view: str, message: str) -> PhotoError:
    err = cls(f"{view} photo: {message}")
    err.view = view
    return err


def photo_problems(image: np.ndarray, seg: Segmentation, view: str) -> tuple[list[PhotoError], list[str]]:
    """Problems and warnings of one segmented photo.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    seg : its Segmentation
    view : "front" or "side"
    """
    problems: list[PhotoError] = []
    warnings: list[str] = []
    h, w = seg.mask.shape
    bright = float(np.percentile(luma(image), 95))
    if seg.people == 0 or seg.mask.sum() < C.MIN_PERSON_AREA_FRACTION * seg.mask.size:
        if bright < C.MIN_BRIGHT_LUMA:
            return [_error(TooDarkError, view, "the picture is too dark; turn on more light or face a window "
                                               "and retake it")], warnings
        return [_error(NoPersonError, view, "no person found; stand fully in view, about 3 m from the camera, "
                                            "in front of a plain wall, and retake it")], warnings
    if seg.people > 1:
        problems.append(_error(SeveralPeopleError, view, f"{seg.people} people found; only the person to measure "
                                                         "may be in view, retake it alone"))
    ys, xs = np.nonzero(seg.mask)
    top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    m = C.EDGE_MARGIN_PX
    height_frac = (bottom - top + 1) / h
    cut_top, cut_bottom = top <= m, bottom >= h - 1 - m
    if (cut_top or cut_bottom) and height_frac >= 0.9:
        problems.append(_error(TooCloseError, view, "too close: the body fills the frame; step back until there "
                                                    "is space above the head and below the feet, and retake it"))
    elif cut_top:
        problems.append(_error(BodyCutOffError, view, "the head is cut off; tilt the camera up or step back so "
                                                      "the whole head is in the frame, and retake it"))
    elif cut_bottom:
        problems.append(_error(BodyCutOffError, view, "the feet are cut off; tilt the camera down or step back so "
                                                      "both feet are in the frame, and retake it"))
    elif left <= m or right >= w - 1 - m:
        problems.append(_error(BodyCutOffError, view, "an arm is cut off at the side of the frame; stand in the "
                                                      "middle of the picture and retake it"))
    elif height_frac > C.MAX_PERSON_HEIGHT_FRACTION:
        problems.append(_error(TooCloseError, view, "too close to the camera; step back so there is space above "
                                                    "the head and below the feet, and retake it"))
    if bottom - top + 1 < C.MIN_PERSON_HEIGHT_PX:
        problems.append(_error(TooFarError, view, f"the person is only {bottom - top + 1} pixels tall; step closer "
                                                  "or use a larger photo (the body should fill most of the "
                                                  "frame's height) and retake it"))
    person_luma = float(luma(image)[seg.mask].mean())
    if person_luma < C.MIN_PERSON_LUMA or bright < C.MIN_BRIGHT_LUMA:
        problems.append(_error(TooDarkError, view, "the picture is too dark; turn on more light or face a window, "
                                                   "and retake it"))
    else:
        ring = cv2.dilate(seg.mask.astype(np.uint8), np.ones((15, 15), np.uint8)).astype(bool) & ~seg.mask
        lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
        if ring.any() and np.linalg.norm(lab[seg.mask].mean(0) - lab[ring].mean(0)) < C.MIN_PERSON_CONTRAST:
            warnings.append(f"{view} photo: clothes and background look alike; a plain contrasting wall or a "
                            "background photo gives a more exact outline")
    if not problems and min(top, h - 1 - bottom) < C.MIN_MARGIN_FRACTION * h:
        warnings.append(f"{view} photo: the head or feet are close to the frame's edge; leave a little space")
    if view == "front" and not problems:
        ratio = (right - left + 1) / (bottom - top + 1)
        if ratio < C.FRONT_MIN_WIDTH_TO_HEIGHT:
            problems.append(_error(WrongViewError, view, "this looks like a side view; face the camera with the "
                                                         "arms held a little away from the body and retake it"))
        elif _looks_like_back(image, seg.mask, top, bottom):
            problems.append(_error(BackViewError, view, "this looks like a back view; face the camera and retake "
                                                        "it"))
    return problems, warnings


def _skin(image: np.ndarray) -> np.ndarray:
    """(H, W) bool: pixels of human skin tones (YCrCb box, light to dark skin)."""
    ycc = cv2.cvtColor(image, cv2.COLOR_RGB2YCrCb)
    cr, cb = ycc[..., 1].astype(int), ycc[..., 2].astype(int)
    return (cr >= 135) & (cr <= 180) & (cb >= 80) & (cb <= 135) & (ycc[..., 0] > C.SKIN_MIN_LUMA)


def _looks_like_back(image: np.ndarray, mask: np.ndarray, top: int, bottom: int) -> bool:
    """A back view shows hair where a front view shows a face: the face zone has much less skin than
    the hands of the same person (bare in the A-pose photo), and another colour.

    Only decides when the hands show skin; otherwise (gloves, untextured figures of one colour
    that look alike from every side) it answers False.
    """
    height = bottom - top + 1
    skin = _skin(image) & mask
    ys, xs = np.nonzero(mask[top: top + int(0.12 * height)])
    if len(xs) == 0:
        return False
    cx = np.median(xs)
    half = max(2, int(0.025 * height))
    face = np.zeros_like(mask)
    face[top + int(0.04 * height): top + int(0.11 * height), int(cx) - half: int(cx) + half] = True
    face &= mask
    # the hands: the outermost foreground columns at arm level in the A-pose
    arm_rows = slice(top + int(0.35 * height), top + int(0.55 * height))
    band = mask[arm_rows]
    cols = np.flatnonzero(band.any(axis=0))
    if len(cols) == 0 or face.sum() < 20:
        return False
    reach = int(0.06 * height)
    hands = np.zeros_like(mask)
    hands[arm_rows, cols[0]: cols[0] + reach] = True
    hands[arm_rows, cols[-1] - reach + 1: cols[-1] + 1] = True
    hands &= mask
    if hands.sum() < 20:
        return False
    hand_skin = skin[hands].mean()
    face_skin = skin[face].mean()
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    unlike = np.linalg.norm(np.median(lab[face], axis=0) - np.median(lab[hands], axis=0)) > C.BACK_VIEW_COLOUR_DISTANCE
    return bool(hand_skin > 0.5 and face_skin < 0.5 * hand_skin and unlike)


def view_problems(front_mask: np.ndarray, side_mask: np.ndarray) -> list[PhotoError]:
    """Does the side photo show a side view? In the A-pose front view the arms reach out to the sides;
    seen from the side the body is much narrower (relative to its height) than from the front."""
    def width_per_height(mask):
        ys, xs = np.nonzero(mask)
        return (xs.max() - xs.min() + 1) / (ys.max() - ys.min() + 1)

    front, side = width_per_height(front_mask), width_per_height(side_mask)
    if side > C.SIDE_MAX_WIDTH_RATIO * front:
        return [_error(WrongViewError, "side", "this does not look like a side view; turn a quarter turn so one "
                                               "shoulder faces the camera, keep the arms a little forward of the "
                                               "body, and retake it")]
    return _height_problems(front_mask, side_mask)


def _height_fraction(mask: np.ndarray) -> float:
    """The silhouette's height as a fraction of the image's (photos resized alike still compare)."""
    rows = np.flatnonzero(mask.any(axis=1))
    return float(rows[-1] - rows[0] + 1) / mask.shape[0]


def feet_spread(mask: np.ndarray) -> float:
    """How much wider the silhouette's lowest rows are than its ankles: the feet (front: toes
    spread; side: the foot's length) make it 1.5-2.3 (front) and 2.5-3.5 (side) on rendered bodies;
    legs cut off by a floor of their own colour end without feet, near 1.

    Returns
    -------
    float; widest of the lowest ``FEET_ZONE`` rows over the narrowest of the ``ANKLE_ZONE`` rows
    (fractions of the silhouette's height above its lowest row)
    """
    rows = np.flatnonzero(mask.any(axis=1))
    bottom, height = int(rows[-1]), float(rows[-1] - rows[0] + 1)
    widths = mask.sum(axis=1).astype(float)
    feet = widths[bottom - int(C.FEET_ZONE * height): bottom + 1].max()
    lo, hi = C.ANKLE_ZONE
    ankles = widths[bottom - int(hi * height): bottom - int(lo * height) + 1].min()
    return float(feet / max(ankles, 1.0))


def _height_problems(front_mask: np.ndarray, side_mask: np.ndarray) -> list[PhotoError]:
    """Do both silhouettes show the whole person? From the same spot the front one is 1-5 % taller
    than the side one (the toes point at the camera). When the ratio leaves ``FRONT_SIDE_HEIGHT_RANGE``
    and the shorter one ends without feet, its feet blend into a floor of their colour."""
    ratio = _height_fraction(front_mask) / _height_fraction(side_mask)
    lo, hi = C.FRONT_SIDE_HEIGHT_RANGE
    if lo <= ratio <= hi:
        return []
    view, mask = ("front", front_mask) if ratio < lo else ("side", side_mask)
    if feet_spread(mask) >= C.FEET_MIN_SPREAD:
        return []  # both whole, taken from different spots: each is scaled by the height on its own
    shorter = 1 - min(ratio, 1 / ratio)
    return [_error(PartLostError, view, f"the person is {shorter:.0%} shorter than in the other photo and the "
                                        "feet do not show: they blend into a floor or wall of their colour; "
                                        "wear shoes, socks and clothes that differ from the room (or stand on "
                                        "a mat) and retake it")]


def assess_frame(image: np.ndarray, view: str, background: np.ndarray | None = None) -> Assessment:
    """Segment and check one photo or preview frame.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    view : "front" or "side"
    background : (H, W, 3) uint8 RGB or None; the background plate

    Returns
    -------
    Assessment
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}")
    if float(np.percentile(luma(image), 95)) < C.MIN_BRIGHT_LUMA:
        return Assessment(None, [_error(TooDarkError, view, "the picture is too dark; turn on more light or face a "
                                                            "window, and retake it")])
    if background is None and background_busyness(image) > C.BUSY_BACKGROUND_FRACTION:
        return Assessment(None, [_error(BusyBackgroundError, view, "the background is too busy to find your outline; "
                                                                 "stand in front of a plain wall, or also take a "
                                                                 "background photo (step out of view), and retake it")])
    seg = segment_person(image, background)
    problems, warnings = photo_problems(image, seg, view)
    return Assessment(seg, problems, warnings)
