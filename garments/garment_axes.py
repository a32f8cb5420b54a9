"""The pose a garment was authored in, read from the garment itself: the axes of its sleeves and trouser
legs (metres, Y up, facing +Z) and the angles they make, as the rig's bones would (``garments.registration``
poses the reference body with them)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .registration_constants import (
    ARM_ANGLE_RANGE_DEG,
    AXIS_BIN_M,
    AXIS_END_TRIM,
    AXIS_MIN_BINS,
    AXIS_MIN_VERTICES_PER_BIN,
    AXIS_REFINE_PASSES,
    LEG_GAP_M,
    LEG_SPAN_FRACTION,
    SLEEVE_CLEAR_OF_TORSO_M,
    SLEEVE_INNER_SKIP,
    SLEEVE_MAX_DROP_M,
    SLEEVE_TABLE_MAX_GAP_DEG,
    SLEEVE_TABLE_STEP_DEG,
)

SIDES = {"l": ("L", 1.0), "r": ("R", -1.0)}  # our side letter -> the rig's suffix and the sign of x


def _axis_through_bins(along: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The line through the cross-section midpoints of ``points`` binned by ``along``.

    Returns (centres, coeffs): bin positions (b,) and a (d, 2) array, one slope/intercept row per column
    of ``points`` (n, d), or None with too few bins.
    """
    edges = np.arange(along.min(), along.max() + AXIS_BIN_M, AXIS_BIN_M)
    idx = np.digitize(along, edges)
    centres, mids = [], []
    for k in np.unique(idx):
        sel = idx == k
        if sel.sum() < AXIS_MIN_VERTICES_PER_BIN:
            continue
        centres.append(along[sel].mean())
        mids.append(0.5 * (points[sel].min(axis=0) + points[sel].max(axis=0)))
    if len(centres) < AXIS_MIN_BINS:
        return None
    centres, mids = np.asarray(centres), np.asarray(mids)
    return centres, np.stack([np.polyfit(centres, mids[:, i], 1) for i in range(mids.shape[1])])


def torso_half_width(v: np.ndarray) -> float:
    """Half the narrowest x-extent of the garment's slabs from a third below its top down, metres."""
    y0, y1 = v[:, 1].min(), v[:, 1].max()
    cx = 0.5 * (v[:, 0].min() + v[:, 0].max())
    widths = []
    for y in np.arange(y1 - (y1 - y0) / 3, y0, -AXIS_BIN_M):
        slab = v[np.abs(v[:, 1] - y) < 0.5 * AXIS_BIN_M, 0]
        if len(slab) >= AXIS_MIN_VERTICES_PER_BIN:
            widths.append(np.abs(slab - cx).max())
    return float(min(widths)) if widths else float(0.5 * np.ptp(v[:, 0]))


def sleeve_axes(v: np.ndarray) -> dict:
    """Each sleeve's axis: side -> ((3,) point, (3,) unit direction outwards), in the garment's frame.

    The sleeve is the cloth outside the torso's half-width within ``SLEEVE_MAX_DROP_M`` of the top; its
    axis joins the midpoints of its sections across x, then is re-cut across itself (``_refine_axis``), so it
    holds for a T-pose and a steep A-pose alike.
    """
    cx = 0.5 * (v[:, 0].min() + v[:, 0].max())
    half = torso_half_width(v)
    top = v[:, 1].max()
    axes = {}
    for side, (_, sign) in SIDES.items():
        x = sign * (v[:, 0] - cx)
        sel = (x > half + SLEEVE_CLEAR_OF_TORSO_M) & (v[:, 1] > top - SLEEVE_MAX_DROP_M)
        axis = _sleeve_axis(v, x, sel, sign, cx)
        if axis is not None:
            axes[side] = axis
    return axes


def _sleeve_axis(v: np.ndarray, x: np.ndarray, sel: np.ndarray, sign: float = 1.0, cx: float = 0.0):
    """The axis of the cloth ``sel`` (v: (n, 3) metres) on the side of ``sign`` (x: (n,) metres outwards from
    the centre line at ``cx``), its inner part skipped; ((3,) point, (3,) unit direction outwards) or None."""
    if sel.sum() < AXIS_MIN_BINS * AXIS_MIN_VERTICES_PER_BIN:
        return None
    inner = x[sel].min()
    sel = sel & (x > inner + SLEEVE_INNER_SKIP * (x[sel].max() - inner))  # clear of the chest and armpit
    fit = _axis_through_bins(x[sel], v[sel][:, [1, 2]])
    if fit is None:
        return None
    centres, coeffs = fit
    x0 = centres.min()
    direction = np.array([sign, coeffs[0, 0], coeffs[1, 0]])
    point = np.array([cx + sign * x0, np.polyval(coeffs[0], x0), np.polyval(coeffs[1], x0)])
    return _refine_axis(v[sel], point, direction / np.linalg.norm(direction))


def _refine_axis(points: np.ndarray, point: np.ndarray, direction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Re-fit an axis from sections cut across it (not across x): a steep sleeve's vertical cuts are long
    ellipses whose midpoints lean towards the shoulder. Returns ((3,) point, (3,) unit direction)."""
    for _ in range(AXIS_REFINE_PASSES):
        t = (points - point) @ direction
        whole = (t > t.min() + AXIS_END_TRIM * np.ptp(t)) & (t < t.max() - AXIS_END_TRIM * np.ptp(t))
        fit = _axis_through_bins(t[whole], points[whole])
        if fit is None:
            break
        centres, coeffs = fit
        new = coeffs[:, 0] / np.linalg.norm(coeffs[:, 0])
        if new @ direction < 0:
            new = -new
        point = np.array([np.polyval(c, centres.min()) for c in coeffs])
        direction = new
    return point, direction


def leg_axes(v: np.ndarray) -> dict:
    """Each trouser leg's axis below the crotch: side -> ((3,) point at the hem, (3,) unit direction up)."""
    cx = 0.5 * (v[:, 0].min() + v[:, 0].max())
    y0, y1 = v[:, 1].min(), v[:, 1].max()
    low = v[:, 1] < y0 + LEG_SPAN_FRACTION * (y1 - y0)
    axes = {}
    for side, (_, sign) in SIDES.items():
        x = sign * (v[:, 0] - cx)
        sel = low & (x > 0)
        if sel.sum() < AXIS_MIN_BINS * AXIS_MIN_VERTICES_PER_BIN:
            continue
        pts, ys = v[sel], v[sel, 1]
        bins = np.floor((ys - y0) / AXIS_BIN_M).astype(int)
        inner = np.full(bins.max() + 1, np.inf)
        np.minimum.at(inner, bins, x[sel])  # innermost cloth of each bin
        sel_leg = inner[bins] > LEG_GAP_M
        if sel_leg.sum() < AXIS_MIN_BINS * AXIS_MIN_VERTICES_PER_BIN:
            continue
        fit = _axis_through_bins(ys[sel_leg], pts[sel_leg][:, [0, 2]])
        if fit is None:
            continue
        centres, coeffs = fit
        direction = np.array([coeffs[0, 0], 1.0, coeffs[1, 0]])
        y_hem = centres.min()
        point = np.array([np.polyval(coeffs[0], y_hem), y_hem, np.polyval(coeffs[1], y_hem)])
        axes[side] = (point, direction / np.linalg.norm(direction))
    return axes


def crotch_height(v: np.ndarray) -> float:
    """The crotch seam's height of a garment with legs, metres: the lowest point of the cloth on its centre line
    (within ``LEG_GAP_M``) that is joined to the waistband by cloth there (gaps under two bins), so thighs whose
    shells cross the centre line lower down are not taken for it."""
    cx = 0.5 * (v[:, 0].min() + v[:, 0].max())
    ys = np.sort(v[np.abs(v[:, 0] - cx) < LEG_GAP_M, 1])[::-1]
    if len(ys) == 0:
        return float(v[:, 1].max())
    gaps = np.flatnonzero(np.diff(ys) < -2 * AXIS_BIN_M)
    return float(ys[gaps[0]] if len(gaps) else ys[-1])


ARM_SKIN_BONES = ("shoulder01", "upperarm01", "upperarm02")


@lru_cache(maxsize=2)
def _sleeve_angle_table(sex: str) -> tuple[np.ndarray, np.ndarray]:
    """The reference body's arm posed at bone angles (degrees from straight down) and the angle its skin's
    upper arm shows when read like a sleeve: skinning bends the shoulder's skin less than the bone, so a
    garment's sleeve angle is turned into a bone angle through this table. Returns (surface, bone), degrees."""
    from avatar.avatar import reference_avatar
    from avatar.pose import bone_transforms, skin_points
    from avatar.rig import bone_heads, load_rig

    rig = load_rig()
    body = reference_avatar(sex)
    rest = np.asarray(body.vertices, float)
    arm = np.isin(rig.skin_bones[:, 0], [rig.index(f"{b}.L") for b in ARM_SKIN_BONES])
    heads = bone_heads(body, {"upperarm01.L", "lowerarm01.L", "wrist.L"})
    bones = np.arange(ARM_ANGLE_RANGE_DEG[0], ARM_ANGLE_RANGE_DEG[1] + 1e-9, SLEEVE_TABLE_STEP_DEG)
    surface = []
    for degrees in bones:
        d = arm_direction("l", float(degrees))
        moves = [("aim", "upperarm01.L", "lowerarm01.L", d), ("aim", "lowerarm01.L", "wrist.L", d)]
        posed = skin_points(rest[arm], rig.skin_bones[arm], rig.skin_weights[arm],
                            bone_transforms(rig, heads, moves))
        x = posed[:, 0]
        axis = _sleeve_axis(posed, x, x > x.min())
        surface.append(arm_angle(axis[1]) if axis is not None else np.nan)
    surface = np.asarray(surface)
    ok = np.isfinite(surface) & (np.abs(surface - bones) < SLEEVE_TABLE_MAX_GAP_DEG)  # an arm in the side: unread
    order = np.argsort(surface[ok])
    return surface[ok][order], bones[ok][order]


def bone_angle(sleeve_deg: float, sex: str) -> float:
    """The arm's bone angle that makes the reference body's upper arm show ``sleeve_deg``, degrees."""
    surface, bones = _sleeve_angle_table(sex)
    return float(np.interp(sleeve_deg, surface, bones))


def arm_angle(direction: np.ndarray) -> float:
    """A limb direction's angle from straight down, degrees (pointing sideways: 90)."""
    return float(np.degrees(np.arccos(np.clip(-direction[1], -1.0, 1.0))))


def arm_direction(side: str, degrees: float, forward: float = 0.0) -> tuple:
    """The unit direction (3,) of an arm on ``side`` ("l"/"r") held ``degrees`` out from straight down,
    leaning ``forward`` (the z component before normalising)."""
    sign = SIDES[side][1]
    a = np.radians(degrees)
    d = np.array([sign * np.sin(a), -np.cos(a), forward])
    return tuple((d / np.linalg.norm(d)).tolist())
