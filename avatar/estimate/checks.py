"""Checks that a photo can be measured: one person, whole body in frame, not too close or far,
light enough, and the right view, read from the learned models (people, landmarks, person mask),
never from colours: a door, a sign or a patterned floor is no person. Each failure is a typed :class:`PhotoError` whose message says
how to retake the photo; milder problems are warnings (strings).

The live capture calls :func:`assess_frame` on preview frames; the estimate calls
:func:`photo_problems` on the final photos, so both apply the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from . import constants as C
from .errors import (BackViewError, BodyCutOffError, NoPersonError, PartLostError, PhotoError, SeveralPeopleError,
                     TooCloseError, TooDarkError, TooFarError, WrongViewError)
from .models import INDEX, Pose, find_people, track
from .segment import Segmentation, segment_person

VIEWS = ("front", "side")


@dataclass(frozen=True)
class Assessment:
    """What the checks found in one photo.

    Attributes
    ----------
    segmentation : Segmentation or None (None when the photo was too dark or nobody was found)
    pose : Pose or None; the person's landmarks (the first person found)
    problems : list of PhotoError, most important first; empty when the photo can be used
    warnings : list of str; the photo can be used but the estimate is less certain
    view : "front" or "side", the view it was checked as
    """

    segmentation: Segmentation | None
    pose: Pose | None = None
    problems: list[PhotoError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    view: str = ""

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


def photo_problems(image: np.ndarray, seg: Segmentation, pose: Pose, view: str) -> tuple[list[PhotoError], list[str]]:
    """Problems and warnings of one photo in which the models found someone.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    seg : its Segmentation (the first person's outline)
    pose : the first person's landmarks
    view : "front" or "side"
    """
    problems: list[PhotoError] = []
    warnings: list[str] = []
    h, w = seg.mask.shape
    bright = float(np.percentile(luma(image), 95))
    if seg.mask.sum() < C.MIN_PERSON_AREA_FRACTION * seg.mask.size:
        return [_error(NoPersonError, view, "no person found; stand fully in view, about 3 m from the camera, "
                                            "and retake it")], warnings
    if seg.people > 1:
        problems.append(_error(SeveralPeopleError, view, f"{seg.people} people found; only the person to measure "
                                                         "may be in view, retake it alone"))
    ys, xs = np.nonzero(seg.mask)
    top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    m = C.EDGE_MARGIN_PX
    height_frac = (bottom - top + 1) / h
    at_side = left <= m or right >= w - 1 - m or _outside(pose, HANDS, h, w, presence=False)
    hand_only = at_side and _wrists_inside(pose, w, C.WRIST_MIN_EDGE_FRACTION * (bottom - top + 1))
    cut_top = top <= m or _outside(pose, HEAD, h, w) or _head_squeezed(pose)
    cut_bottom = bottom >= h - 1 - m or _outside(pose, FEET, h, w)
    if (cut_top or cut_bottom) and height_frac >= 0.9:
        problems.append(_error(TooCloseError, view, "too close: the body fills the frame; step back until there "
                                                    "is space above the head and below the feet, and retake it"))
    elif cut_top:
        problems.append(_error(BodyCutOffError, view, "the head is cut off; tilt the camera up or step back so "
                                                      "the whole head is in the frame, and retake it"))
    elif cut_bottom:
        problems.append(_error(BodyCutOffError, view, "the feet are cut off; tilt the camera down or step back so "
                                                      "both feet are in the frame, and retake it"))
    elif at_side and not hand_only:
        problems.append(_error(BodyCutOffError, view, "an arm is cut off at the side of the frame; stand in the "
                                                      "middle of the picture and retake it"))
    elif height_frac > C.MAX_PERSON_HEIGHT_FRACTION:
        problems.append(_error(TooCloseError, view, "too close to the camera; step back so there is space above "
                                                    "the head and below the feet, and retake it"))
    if bottom - top + 1 < C.MIN_PERSON_HEIGHT_PX:
        problems.append(_error(TooFarError, view, f"the person is only {bottom - top + 1} pixels tall; step closer "
                                                  "or use a larger photo (the body should fill most of the "
                                                  "frame's height) and retake it"))
    elif height_frac < C.MIN_PERSON_FRAME_FRACTION:
        problems.append(_error(TooFarError, view, f"the person fills only {height_frac:.0%} of the picture's height; "
                                                  f"step closer until they fill at least "
                                                  f"{C.MIN_PERSON_FRAME_FRACTION:.0%} of it and retake it"))
    person_luma = float(luma(image)[seg.mask].mean())
    if person_luma < C.MIN_PERSON_LUMA or bright < C.MIN_BRIGHT_LUMA:
        problems.append(_error(TooDarkError, view, "the picture is too dark; turn on more light or face a window, "
                                                   "and retake it"))
    if not problems and hand_only:
        warnings.append(f"{view} photo: a hand touches the side of the frame; the arms are measured to the "
                        "wrists, but leave a little space next time")
    if not problems and min(top, h - 1 - bottom) < C.MIN_MARGIN_FRACTION * h:
        warnings.append(f"{view} photo: the head or feet are close to the frame's edge; leave a little space")
    if view == "front" and not problems:
        across = shoulder_width(pose, bottom - top + 1)
        if abs(across) < C.FRONT_MIN_SHOULDER_WIDTH:
            problems.append(_error(WrongViewError, view, "this looks like a side view; face the camera with the "
                                                         "arms held a little away from the body and retake it"))
        elif across < -C.FRONT_MIN_SHOULDER_WIDTH or pose.visible(*FACE) < C.MIN_FACE_VISIBILITY:
            problems.append(_error(BackViewError, view, "this looks like a back view; face the camera and retake "
                                                        "it"))
        elif arm_angle(pose) < C.ARM_ANGLE_MIN:
            problems.append(_error(WrongViewError, view, f"the arms are against the body ({arm_angle(pose):.0f} deg); "
                                                         "hold them away from it, about 40 deg, so the chest and "
                                                         "waist can be measured without them, and retake it"))
        else:
            warnings += arm_warnings(pose)
    return problems, warnings


HEAD = ("nose", "left_eye", "right_eye", "left_ear", "right_ear")
FEET = ("left_ankle", "right_ankle", "left_heel", "right_heel")
HANDS = ("left_wrist", "right_wrist")
FACE = ("nose", "left_eye", "right_eye")


def _outside(pose: Pose, names: tuple[str, ...], h: int, w: int, presence: bool = True) -> bool:
    """Whether any of the landmarks lies outside the frame (or, with ``presence``, the model says it
    is not in the image; its presence of a hand held out near the frame's side is unreliable)."""
    for name in names:
        i = INDEX[name]
        x, y = pose.points[i]
        if presence and pose.presence[i] < C.MIN_LANDMARK_PRESENCE or not (0 <= x < w and 0 <= y < h):
            return True
    return False


def _head_squeezed(pose: Pose) -> bool:
    """Whether the nose lies less than ``MIN_HEAD_SHARE`` of the shoulders' height over the ankles above the
    shoulders: a frame cut at the neck leaves the landmark model a head squeezed into its top rows, every
    head landmark inside the frame and sure of itself."""
    nose = pose.point("nose")[1]
    shoulders = 0.5 * (pose.point("left_shoulder")[1] + pose.point("right_shoulder")[1])
    ankles = max(pose.point("left_ankle")[1], pose.point("right_ankle")[1])
    return ankles > shoulders and shoulders - nose < C.MIN_HEAD_SHARE * (ankles - shoulders)


def _wrists_inside(pose: Pose, w: int, margin_px: float) -> bool:
    """Whether both wrist landmarks lie at least ``margin_px`` inside the frame's sides (only a hand
    beyond them can be cut off)."""
    x = np.array([pose.point(n)[0] for n in HANDS])
    return bool(np.all((x >= margin_px) & (x <= w - 1 - margin_px)))


def shoulder_width(pose: Pose, height_px: float) -> float:
    """Signed distance across the shoulders over the person's height: positive when the person's
    left shoulder is on the image's right (they face the camera), negative from behind, near 0 in
    a side view (rendered bodies: 0.19-0.21 facing, -0.20 from behind, under 0.06 from the side)."""
    return float(pose.point("left_shoulder")[0] - pose.point("right_shoulder")[0]) / max(height_px, 1.0)


def arm_angle(pose: Pose) -> float:
    """Mean angle of the arms from hanging straight down, degrees (shoulder to wrist; 90: a T-pose)."""
    angles = []
    for side in ("left", "right"):
        v = pose.point(f"{side}_wrist") - pose.point(f"{side}_shoulder")
        angles.append(np.degrees(np.arctan2(abs(v[0]), v[1])))
    return float(np.mean(angles))


def side_arm_angle(front: Pose, side: Pose, front_height_px: float, side_height_px: float) -> float:
    """How far the side photo's arms are held from hanging down, degrees, in any direction.

    Seen from the side an arm held out sideways is foreshortened, so the angle comes from how far the
    wrists hang below the shoulders against the arms' length, read in the front photo (shoulder to
    wrist, both sides' mean) and scaled by the two silhouettes' heights and ``SIDE_ARM_DROP_RATIO``: 0
    when the wrists hang a whole arm's length below the shoulders, 90 when level with them.
    """
    scale = C.SIDE_ARM_DROP_RATIO * side_height_px / max(front_height_px, 1.0)
    length = scale * np.mean([np.linalg.norm(front.point(f"{s}_wrist") - front.point(f"{s}_shoulder"))
                              for s in ("left", "right")])
    drop = np.mean([side.point(f"{s}_wrist")[1] - side.point(f"{s}_shoulder")[1] for s in ("left", "right")])
    return float(np.degrees(np.arccos(np.clip(drop / max(length, 1.0), -1.0, 1.0))))


def side_arm_warnings(side_arm_angle_deg: float) -> list[str]:
    """A warning when the side photo's arms are held out rather than hanging (``SIDE_ARMS_DOWN_DEG``):
    they stand in front of the chest, so the torso's girths are less certain."""
    if side_arm_angle_deg <= C.SIDE_ARMS_DOWN_DEG[1]:
        return []
    return [f"side photo: the arms are held out ({side_arm_angle_deg:.0f} deg from hanging); for closer chest and "
            "waist values, retake it with the arms hanging relaxed at your sides"]


def arm_warnings(pose: Pose) -> list[str]:
    """A warning when the arms are held outside the calibrated angles (see ``ARM_ANGLE_CALIBRATED``)."""
    angle = arm_angle(pose)
    lo, hi = C.ARM_ANGLE_CALIBRATED
    if not lo <= angle <= hi:
        return [f"front photo: the arms are held at {angle:.0f} deg from the body, the estimate is made for about "
                f"{lo:.0f}-{hi:.0f} deg; chest, waist and shoulder values are less certain"]
    return []


def view_problems(front: Assessment, side: Assessment) -> list[PhotoError]:
    """Does the side photo show a side view? Seen from the side the shoulders (and hips) overlap:
    their distance across is a small share of what the front photo shows."""
    f_height = silhouette_height_px(front.segmentation.mask)
    s_height = silhouette_height_px(side.segmentation.mask)
    f_across = abs(shoulder_width(front.pose, f_height))
    s_across = abs(shoulder_width(side.pose, s_height))
    if s_across > C.SIDE_MAX_SHOULDER_SHARE * f_across:
        return [_error(WrongViewError, "side", "this does not look like a side view; turn a quarter turn so one "
                                               "shoulder faces the camera, let the arms hang relaxed at your "
                                               "sides, and retake it")]
    return _height_problems(front, side)


def silhouette_height_px(mask: np.ndarray) -> float:
    """The person's height in a mask ((H, W) bool), pixels: top row to bottom row."""
    rows = np.flatnonzero(mask.any(axis=1))
    return float(rows[-1] - rows[0] + 1)


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


def feet_shown(found: Assessment) -> bool:
    """Whether the outline reaches the feet the landmark model places: its lowest row within
    ``FEET_LANDMARK_TOLERANCE`` of the height of the lowest heel or toe landmark. Feet that blend
    into the floor end the outline at the ankles while the model still places the feet below."""
    mask = found.segmentation.mask
    rows = np.flatnonzero(mask.any(axis=1))
    feet_y = max(found.pose.point(n)[1] for n in ("left_heel", "right_heel", "left_foot_index", "right_foot_index"))
    return bool(rows[-1] >= feet_y - C.FEET_LANDMARK_TOLERANCE * (rows[-1] - rows[0] + 1))


def _height_problems(front: Assessment, side: Assessment) -> list[PhotoError]:
    """Do both silhouettes show the whole person? From the same spot the front one is 1-5 % taller
    than the side one (the toes point at the camera). When the ratio leaves ``FRONT_SIDE_HEIGHT_RANGE``
    and the shorter one ends without feet, its feet blend into a floor of their colour; when both
    show their feet the photos were taken from different spots, and each is scaled on its own."""
    ratio = _height_fraction(front.segmentation.mask) / _height_fraction(side.segmentation.mask)
    lo, hi = C.FRONT_SIDE_HEIGHT_RANGE
    if lo <= ratio <= hi:
        return []
    view, found = ("front", front) if ratio < lo else ("side", side)
    if feet_shown(found) and feet_spread(found.segmentation.mask) >= C.FEET_MIN_SPREAD or \
            feet_shown(front) and feet_shown(side):
        return []
    shorter = 1 - min(ratio, 1 / ratio)
    return [_error(PartLostError, view, f"the person is {shorter:.0%} shorter than in the other photo and the "
                                        "feet do not show: they blend into a floor or wall of their colour; "
                                        "wear shoes, socks and clothes that differ from the room (or stand on "
                                        "a mat) and retake it")]


def assess_frame(image: np.ndarray, view: str, background: np.ndarray | None = None,
                 previous: Pose | None = None) -> Assessment:
    """Find the person and check one photo or preview frame.

    Parameters
    ----------
    image : (H, W, 3) uint8 RGB
    view : "front" or "side"
    background : (H, W, 3) uint8 RGB or None; the background plate (refines the outline)
    previous : the previous preview frame's Pose, or None; when given the person is tracked from
        it (``models.track``: faster, but other people are not looked for: photos are checked without it)

    Returns
    -------
    Assessment
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}")
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise PhotoError(f"{view} photo: not an RGB image (height x width x 3, 8-bit); retake or re-save it")
    if float(np.percentile(luma(image), 95)) < C.MIN_BRIGHT_LUMA:
        return Assessment(None, None, [_error(TooDarkError, view, "the picture is too dark; turn on more light or "
                                                                  "face a window, and retake it")], view=view)
    people = track(image, previous) if previous is not None else find_people(image)
    if not people:
        return Assessment(None, None, [_error(NoPersonError, view, "no person found; stand fully in view, about "
                                                                   "3 m from the camera, and retake it")], view=view)
    pose = people[0]
    seg = segment_person(image, pose.probability, len(people), background)
    problems, warnings = photo_problems(image, seg, pose, view)
    return Assessment(seg, pose, problems, warnings, view)
