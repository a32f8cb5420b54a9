"""Silhouette features: widths and depths of the body at levels that are fractions of its height.

The front silhouette gives widths, the side silhouette depths. Both are scaled to centimetres by
the shopper's typed height (the silhouette's top is the top of the head, its bottom the floor),
so nothing here depends on the camera's focal length or distance.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from . import constants as C

LEVELS = np.linspace(C.LEVEL_LOW, C.LEVEL_HIGH, C.N_LEVELS)
"""(N_LEVELS,) float: levels as fractions of the silhouette height, from the floor."""


@dataclass(frozen=True)
class Profile:
    """Widths of one silhouette at the levels ``LEVELS``, in centimetres.

    Attributes
    ----------
    total : (N_LEVELS,) float; all foreground in the level's rows (body, arms, hands, both legs)
    centre : (N_LEVELS,) float; the run of foreground through the body's axis (0 in the gap between the legs)
    height_px : float; silhouette height in pixels
    cm_per_px : float
    top, bottom : int; first and last silhouette rows
    axis_x : float; the body's vertical axis, pixels
    """

    total: np.ndarray
    centre: np.ndarray
    height_px: float
    cm_per_px: float
    top: int
    bottom: int
    axis_x: float


def _row_runs(row: np.ndarray) -> np.ndarray:
    """(n, 2) int: [start, stop) of each run of True in a 1-D bool array."""
    padded = np.concatenate([[False], row, [False]]).astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return change.reshape(-1, 2)


def _centre_run_width(row: np.ndarray, axis_x: float) -> float:
    runs = _row_runs(row)
    if len(runs) == 0:
        return 0.0
    inside = (runs[:, 0] <= axis_x) & (runs[:, 1] > axis_x)
    if inside.any():
        start, stop = runs[np.argmax(inside)]
        return float(stop - start)
    return 0.0


def silhouette_profile(mask: np.ndarray, height_cm: float, levels: np.ndarray = LEVELS) -> Profile:
    """Widths of a person's silhouette at levels (the standard ones by default).

    Parameters
    ----------
    mask : (H, W) bool; the person (one connected body)
    height_cm : float; the person's stature
    levels : (L,) float; fractions of the height from the lowest point

    Returns
    -------
    Profile
    """
    mask = np.asarray(mask, dtype=bool)
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) < 2:
        raise ValueError("empty silhouette")
    top, bottom = int(rows[0]), int(rows[-1])
    height_px = float(bottom - top + 1)
    cm_per_px = float(height_cm) / height_px
    lo, hi = C.TORSO_AXIS_BAND
    band = mask[int(bottom - hi * height_px): int(bottom - lo * height_px) + 1]
    ys, xs = np.nonzero(band)
    axis_x = float(np.median(xs)) if len(xs) else mask.shape[1] / 2.0
    half = max(1, int(round(C.LEVEL_BAND * height_px)))
    total = np.zeros(len(levels))
    centre = np.zeros(len(levels))
    counts = mask.sum(axis=1)
    for i, t in enumerate(levels):
        r = int(round(bottom + 0.5 - t * height_px))
        r0, r1 = max(top, r - half), min(bottom, r + half)
        total[i] = counts[r0: r1 + 1].mean()
        centre[i] = np.mean([_centre_run_width(mask[rr], axis_x) for rr in range(r0, r1 + 1)])
    return Profile(total=total * cm_per_px, centre=centre * cm_per_px, height_px=height_px, cm_per_px=cm_per_px,
                   top=top, bottom=bottom, axis_x=axis_x)


def _crotch_row(mask: np.ndarray, axis: int, bottom: int, height: float) -> int:
    """Row of the crotch landmark: where the gap between the legs at the body's axis, read going up
    from the knees, is ``CROTCH_GAP_WIDTH`` of the height wide (interpolated along a straight line
    through the gap's widths within ``CROTCH_GAP_FIT`` of the height).

    The gap's narrow top, a sliver between touching thighs or a plateau a few pixels wide, moves
    by tens of rows with each pixel of the outline; the steep wedge below it does not. Legs that
    touch from the knees up give the lowest row searched.
    """
    narrow, wide = (f * height for f in C.CROTCH_GAP_FIT)
    start = int(bottom - 0.3 * height)
    rows, gaps = [], []
    for r in range(start, int(bottom - 0.6 * height), -1):
        gap = _centre_run_width(~mask[r], axis)  # the background run at the axis: the gap
        if gap < narrow:
            break
        if gap <= wide:
            rows.append(r)
            gaps.append(gap)
    if len(rows) < 3:
        return rows[-1] if rows else start
    slope, intercept = np.polyfit(np.asarray(gaps, float), np.asarray(rows, float), 1)
    return int(round(np.clip(slope * C.CROTCH_GAP_WIDTH * height + intercept, bottom - 0.6 * height, start)))


def torso_landmarks(mask: np.ndarray) -> tuple[float, float]:
    """Crotch and armpit levels of an A-pose front silhouette, as fractions of its height.

    The crotch is where the gap between the legs narrows to a set width (see :func:`_crotch_row`),
    a little below the apex. The armpits are found likewise (see :func:`_armpit_row`) below the top
    of the longest block of rows where the arms are apart from the torso (three runs or more).

    Returns
    -------
    crotch, armpit : float, fractions of the height from the lowest silhouette point
    """
    mask = np.asarray(mask, dtype=bool)
    rows = np.flatnonzero(mask.any(axis=1))
    top, bottom = int(rows[0]), int(rows[-1])
    height = float(bottom - top + 1)
    lo, hi = C.TORSO_AXIS_BAND
    band = mask[int(bottom - hi * height): int(bottom - lo * height) + 1]
    axis = int(round(np.median(np.nonzero(band)[1])))
    crotch_row = _crotch_row(mask, axis, bottom, height)
    # armpits: the top of the block of rows, above the crotch, where the arms are apart from the torso
    armpit_row = int(bottom - 0.75 * height)
    apart = [len(_row_runs(mask[r])) >= 3 for r in range(crotch_row - 1, int(bottom - 0.85 * height), -1)]
    best, run, end = 0, 0, None
    for i, a in enumerate(apart):
        run = run + 1 if a else 0
        if run > best:
            best, end = run, i
    if end is not None:
        armpit_row = _armpit_row(mask, axis, crotch_row - 1 - end, height)
    return (bottom - crotch_row) / height, (bottom - armpit_row) / height


def _arm_gap(row: np.ndarray, axis: int) -> float:
    """Mean width in pixels of the two background runs between the torso (the run through ``axis``)
    and the arms in a 1-D bool row; 0 when an arm touches the torso on either side."""
    runs = _row_runs(row)
    inside = np.flatnonzero((runs[:, 0] <= axis) & (runs[:, 1] > axis))
    if len(inside) == 0:
        return 0.0
    i = int(inside[0])
    if i == 0 or i == len(runs) - 1:
        return 0.0
    return 0.5 * float((runs[i, 0] - runs[i - 1, 1]) + (runs[i + 1, 0] - runs[i, 1]))


def _armpit_row(mask: np.ndarray, axis: int, first_apart: int, height: float) -> int:
    """Row of the armpit landmark: where the gaps between the arms and the torso, read going down
    from the first row where both arms are apart, are ``ARMPIT_GAP_WIDTH`` of the height wide
    (interpolated along a straight line through the gaps' widths within ``ARMPIT_GAP_FIT``).

    Like the crotch, the armpit's apex moves by many rows with a pixel of outline; the wedge below
    it does not. Returns ``first_apart`` when the gaps never widen enough (arms close to the body).
    """
    narrow, wide = (f * height for f in C.ARMPIT_GAP_FIT)
    rows, gaps = [], []
    for r in range(first_apart, min(mask.shape[0], int(first_apart + 0.15 * height))):
        gap = _arm_gap(mask[r], axis)
        if gap > wide:
            break
        if gap >= narrow:
            rows.append(r)
            gaps.append(gap)
    if len(rows) < 3:
        return first_apart
    slope, intercept = np.polyfit(np.asarray(gaps, float), np.asarray(rows, float), 1)
    return int(round(np.clip(slope * C.ARMPIT_GAP_WIDTH * height + intercept, first_apart, rows[-1])))


def torso_levels(crotch: float, armpit: float) -> np.ndarray:
    """(N_TORSO_LEVELS,) float: levels from the crotch to just above the armpits, fractions of height."""
    crotch = float(np.clip(crotch, 0.35, 0.55))
    armpit = float(np.clip(armpit, crotch + 0.15, 0.85))
    return crotch + (armpit - crotch) * np.linspace(0.0, 1.1, C.N_TORSO_LEVELS)


def feature_vector(front: Profile, side: Profile, height_cm: float, front_torso: Profile | None = None,
                   side_torso: Profile | None = None, landmarks: tuple[float, float] = (0.45, 0.72)) -> np.ndarray:
    """The regression inputs of one shopper.

    Per standard level: front total and centre widths, side total and centre depths, and the
    ellipse perimeter of the centre width and depth (what a tape around that level would read
    for an elliptic body); then the height; then the crotch and armpit heights (cm) and, at
    levels spaced between them, the front widths, side depths and their ellipse perimeters.

    Returns
    -------
    (FEATURE_SIZE,) float, centimetres
    """
    ellipse = np.pi * np.sqrt((front.centre ** 2 + side.centre ** 2) / 2.0)
    parts = [front.total, front.centre, side.total, side.centre, ellipse, [float(height_cm)]]
    if front_torso is not None and side_torso is not None:
        torso_ellipse = np.pi * np.sqrt((front_torso.centre ** 2 + side_torso.centre ** 2) / 2.0)
        parts += [np.asarray(landmarks) * float(height_cm), front_torso.centre, side_torso.centre, torso_ellipse]
    return np.concatenate(parts)


ARM_BONES = (("shoulder_l", "elbow_l", "wrist_l"), ("shoulder_r", "elbow_r", "wrist_r"))
BODY_BONES = (("head", "shoulder_l", "hip_l", "knee_l", "ankle_l"), ("head", "shoulder_r", "hip_r", "knee_r", "ankle_r"),
              ("shoulder_l", "shoulder_r"), ("hip_l", "hip_r"))
SKELETON_JOINTS = tuple(sorted({n for bones in ARM_BONES + BODY_BONES for n in bones}))


def _bone_distance(shape: tuple[int, int], chains, joints: dict[str, np.ndarray]) -> np.ndarray:
    """(H, W) float32: each pixel's distance to the nearest of the polylines through ``chains`` of joints."""
    lines = np.full(shape, 255, np.uint8)
    for chain in chains:
        pts = np.round([joints[n] for n in chain]).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(lines, [pts], False, 0, 1)
    return cv2.distanceTransform(lines, cv2.DIST_L2, 5)


def remove_arms(mask: np.ndarray, joints: dict[str, np.ndarray]) -> np.ndarray:
    """The front silhouette without its arms, so held arms (A- to T-pose) do not widen the torso's levels.

    A pixel is the arm's when it is nearer an arm's bones (shoulder, elbow, wrist, and the hand
    ``HAND_EXTENSION`` of the forearm beyond the wrist) than the rest of the skeleton (head,
    shoulders, hips, knees, ankles); the part left that holds the hips is kept.

    Parameters
    ----------
    mask : (H, W) bool; the front silhouette
    joints : name -> (2,) float pixel position (x, y), for every name in ``SKELETON_JOINTS``

    Returns
    -------
    (H, W) bool
    """
    joints = {k: np.asarray(v, float) for k, v in joints.items()}
    arm_joints = dict(joints)
    chains = []
    for shoulder, elbow, wrist in ARM_BONES:
        hand = f"hand_{wrist[-1]}"
        arm_joints[hand] = joints[wrist] + C.HAND_EXTENSION * (joints[wrist] - joints[elbow])
        chains.append((shoulder, elbow, wrist, hand))
    d_arm = _bone_distance(mask.shape, chains, arm_joints)
    d_body = _bone_distance(mask.shape, BODY_BONES, joints)
    kept = (mask & (d_body <= d_arm)).astype(np.uint8)
    n, labels = cv2.connectedComponents(kept, connectivity=8)
    hips = np.round(0.5 * (joints["hip_l"] + joints["hip_r"])).astype(int)
    x, y = np.clip(hips, 0, [mask.shape[1] - 1, mask.shape[0] - 1])
    label = labels[y, x]
    if label == 0:  # the hips' point fell in a gap: keep the largest part
        counts = np.bincount(labels.ravel())
        counts[0] = 0
        label = int(np.argmax(counts))
    return labels == label


def photo_features(front_mask: np.ndarray, side_mask: np.ndarray, height_cm: float,
                   front_joints: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Feature vector of a front and a side silhouette (the estimate's and the calibration's one path).

    ``front_joints`` (name -> (2,) pixels, see :func:`remove_arms`): the front photo's skeleton; the
    widths are then read without the arms (the crotch and armpit levels still from the whole outline).
    """
    crotch, armpit = torso_landmarks(front_mask)
    levels = torso_levels(crotch, armpit)
    if front_joints is not None:
        front_mask = remove_arms(front_mask, front_joints)
    return feature_vector(silhouette_profile(front_mask, height_cm), silhouette_profile(side_mask, height_cm),
                          height_cm, silhouette_profile(front_mask, height_cm, levels),
                          silhouette_profile(side_mask, height_cm, levels), (crotch, armpit))


FEATURE_SIZE = 5 * C.N_LEVELS + 1 + 2 + 3 * C.N_TORSO_LEVELS
