"""Registration: find the pose and place a garment was authored in, and bring it to the reference body's rest.

A designer's garment (metres, Y up, facing +Z) may be authored in a T-pose, an A-pose at any arm angle or a
legs-apart stance, at any height. ``register_garment`` reads the pose from the garment itself (the axes of its
sleeves and trouser legs), poses the rigged reference body the same way, places the garment on that posed body
by its own landmarks (a sleeved top's collar at the neck, a waistband at the waist), binds each garment vertex to the
skin under it (the rig's skinning weights) and unposes it: the result sits on the reference body in its rest
pose, from where transfer and posing carry it to any avatar, sleeves following the arms and legs the legs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .errors import GarmentImportError
from .registration_constants import (A_POSE_RANGE_DEG, ARM_ANGLE_RANGE_DEG, AXIS_BIN_M, AXIS_END_TRIM, AXIS_MIN_BINS,
                                     AXIS_MIN_VERTICES_PER_BIN, AXIS_REFINE_PASSES, BIND_NEIGHBOURS,
                                     CHEST_BELOW_COLLAR_M, COLLAR_ABOVE_NECK_M, COLLAR_HALF_WIDTH_M,
                                     LEG_ANGLE_MAX_DEG, LEG_GAP_M, LEG_SPAN_FRACTION, OFFSET_CM_RANGE,
                                     REST_ANGLE_TOLERANCE_DEG, SCALE_RANGE, SLEEVE_CLEAR_OF_TORSO_M, SLEEVE_INNER_SKIP,
                                     SLEEVE_MAX_DROP_M, SLEEVE_TABLE_MAX_GAP_DEG, SLEEVE_TABLE_STEP_DEG,
                                     T_POSE_ARM_DEG, WAISTBAND_BELOW_WAIST_M)

POSE_CHOICES = ("auto", "t", "a")
SLEEVED = ("top", "shirt", "outerwear", "dress", "jumpsuit", "other")
LEGGED = ("trousers", "shorts", "leggings", "jumpsuit")
SIDES = {"l": ("L", 1.0), "r": ("R", -1.0)}  # our side letter -> the rig's suffix and the sign of x


@dataclass(frozen=True)
class Registration:
    """Where and how a garment was authored, as found.

    Attributes
    ----------
    vertices : (n, 3) float, metres; the garment on the reference body in its rest pose
    arm_deg : side ("l"/"r") -> the sleeve's angle from straight down, degrees (90: T-pose); absent when sleeveless
    leg_deg : side -> the trouser leg's angle out from straight down, degrees; absent without legs
    anchor : the landmark placed ("collar", "waistband" or "search")
    axes : "l"/"r" (sleeves), "leg_l"/"leg_r" -> ((3,) point, (3,) unit direction), metres; the garment's
        limb axes as placed on the posed reference body
    joints : "elbow_l", "knee_l", ... -> (3,) float, metres; the posed reference body's elbows and knees
    shift : (3,) float, metres; the translation that placed the garment on the body (nudge included)
    moves : the rig moves that put the reference body in the garment's pose (empty: it was authored at rest)
    scale : the designer's scale nudge it was registered with
    """

    vertices: np.ndarray
    arm_deg: dict = field(default_factory=dict)
    leg_deg: dict = field(default_factory=dict)
    anchor: str = "search"
    axes: dict = field(default_factory=dict)
    joints: dict = field(default_factory=dict)
    shift: np.ndarray = field(default_factory=lambda: np.zeros(3))
    moves: list = field(default_factory=list)
    scale: float = 1.0

    @property
    def pose(self) -> str:
        """"t", "a" or "rest" by the mean arm angle found."""
        if not self.arm_deg:
            return "rest"
        mean = float(np.mean(list(self.arm_deg.values())))
        return "t" if mean > 0.5 * (A_POSE_RANGE_DEG[1] + T_POSE_ARM_DEG) else "a"


# ---------------------------------------------------------------- the pose in the garment

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
        d = _arm_direction("l", float(degrees))
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


# ---------------------------------------------------------------- pose, place, unpose

def _rest_angle(form, joint_a: str, joint_b: str) -> float:
    d = form.joints[joint_b] - form.joints[joint_a]
    return arm_angle(d / np.linalg.norm(d))


def _arm_direction(side: str, degrees: float, forward: float = 0.0) -> tuple:
    sign = SIDES[side][1]
    a = np.radians(degrees)
    d = np.array([sign * np.sin(a), -np.cos(a), forward])
    return tuple((d / np.linalg.norm(d)).tolist())


def register_garment(v: np.ndarray, faces: np.ndarray, category: str, sex: str, *, place_on_body,
                     pose: str = "auto", offset_cm: float = 0.0, scale: float = 1.0,
                     name: str = "the garment") -> Registration:
    """Find the garment's authoring pose and place, and return it on the reference body's rest pose.

    Parameters
    ----------
    v : (n, 3) float, metres, Y up, facing +Z; the garment as exported (any height, any pose)
    faces : (m, 3) int
    category : the garment's category (``catalog.CATEGORIES``)
    sex : the reference body ("female" | "male")
    pose : "auto" (read from the sleeves), "t" (arms out sideways) or "a" (arms down at the angle found)
    offset_cm : the designer's height nudge after placement, centimetres (positive: up)
    scale : the designer's scale nudge about the garment's centre (1: as exported)
    name : the file's name, for messages
    place_on_body : callable(v, category, sex) -> (n, 3); the search placing garments without sleeves or a
        waistband (``importers.place_on_body``)

    Returns
    -------
    Registration; its ``vertices`` are (n, 3) float metres on the rest reference body
    """
    from .patterns import body_form

    if pose not in POSE_CHOICES:
        raise GarmentImportError(f"pose '{pose}' is unknown; use one of {', '.join(POSE_CHOICES)}")
    if not OFFSET_CM_RANGE[0] <= offset_cm <= OFFSET_CM_RANGE[1]:
        raise GarmentImportError(f"offset {offset_cm:g} cm is out of range; give {OFFSET_CM_RANGE[0]:g} to "
                                 f"{OFFSET_CM_RANGE[1]:g} cm")
    if not SCALE_RANGE[0] <= scale <= SCALE_RANGE[1]:
        raise GarmentImportError(f"scale {scale:g} is out of range; give {SCALE_RANGE[0]:g} to {SCALE_RANGE[1]:g}")
    from .wearable import check_wearable

    check_wearable(v, faces, name)
    v = np.asarray(v, float)
    if scale != 1.0:
        centre = 0.5 * (v.min(axis=0) + v.max(axis=0))
        v = centre + scale * (v - centre)
    form = body_form(sex)
    arms = sleeve_axes(v) if category in SLEEVED else {}
    legs = leg_axes(v) if category in LEGGED or (category == "other" and not arms) else {}
    if len(legs) < 2 and category not in LEGGED:
        legs = {}  # one "leg" in a dress is a slit or a sparse section, not a leg
    arm_deg = {s: _arm_pose_angle(bone_angle(arm_angle(d), sex), pose) for s, (_, d) in arms.items()}
    leg_deg = {s: float(np.clip(np.degrees(np.arctan2(abs(d[0]), d[1])), 0.0, LEG_ANGLE_MAX_DEG))
               for s, (_, d) in legs.items()}
    moves = _moves(form, arms, arm_deg, leg_deg)
    placed, anchor = _place(v, faces, category, sex, form, arms, legs, place_on_body)
    shift = placed[0] - v[0] + np.array([0.0, offset_cm / 100.0, 0.0])  # every placement is a translation
    v = v + shift
    placed_axes = {s: (p + shift, d) for s, (p, d) in {**arms, **{f"leg_{k}": a for k, a in legs.items()}}.items()}
    joints = {k: form.joints[k] for k in ("elbow_l", "elbow_r", "knee_l", "knee_r")}
    if moves:
        v, joints = _unpose(v, sex, moves)
    return Registration(vertices=v, arm_deg=arm_deg, leg_deg=leg_deg, anchor=anchor, axes=placed_axes,
                        joints=joints, shift=shift, moves=moves, scale=scale)


def register_like(base: Registration, v: np.ndarray, sex: str) -> np.ndarray:
    """Another mesh of the same set (another size of it) registered as ``base`` was: the same scale nudge,
    the same translation and the same pose undone, so the sizes keep the placement the files give them.

    Parameters
    ----------
    base : the registration of the set's base mesh
    v : (n, 3) float, metres, Y up; the other mesh as exported, in the base mesh's frame
    sex : the reference body ("female" | "male")

    Returns
    -------
    (n, 3) float, metres, on the rest reference body
    """
    v = np.asarray(v, float)
    if base.scale != 1.0:
        centre = 0.5 * (v.min(axis=0) + v.max(axis=0))
        v = centre + base.scale * (v - centre)
    v = v + base.shift
    if base.moves:
        v, _ = _unpose(v, sex, base.moves)
    return v


def _arm_pose_angle(found: float, pose: str) -> float:
    if pose == "t":
        return T_POSE_ARM_DEG
    lo, hi = A_POSE_RANGE_DEG if pose == "a" else ARM_ANGLE_RANGE_DEG
    return float(np.clip(found, lo, hi))


def _moves(form, arms: dict, arm_deg: dict, leg_deg: dict) -> list:
    """The rig moves that put the reference body in the garment's pose."""
    moves = []
    for side, degrees in arm_deg.items():
        suffix = SIDES[side][0]
        d = np.asarray(_arm_direction(side, degrees, float(arms[side][1][2])))
        if abs(degrees - _rest_angle(form, f"shoulder_{side}", f"elbow_{side}")) > REST_ANGLE_TOLERANCE_DEG:
            moves += [("aim", f"upperarm01.{suffix}", f"lowerarm01.{suffix}", tuple(d)),
                      ("aim", f"lowerarm01.{suffix}", f"wrist.{suffix}", tuple(d))]
    for side, degrees in leg_deg.items():
        suffix = SIDES[side][0]
        if abs(degrees - abs(_signed_leg_rest(form, side))) > REST_ANGLE_TOLERANCE_DEG:
            sign = SIDES[side][1]
            a = np.radians(degrees)
            d = (sign * np.sin(a), -np.cos(a), 0.0)
            moves += [("aim", f"upperleg01.{suffix}", f"lowerleg01.{suffix}", d),
                      ("aim", f"lowerleg01.{suffix}", f"foot.{suffix}", d)]
    return moves


def _signed_leg_rest(form, side: str) -> float:
    d = form.joints[f"knee_{side}"] - form.joints[f"hip_{side}"]
    return float(np.degrees(np.arctan2(abs(d[0]), -d[1])))


def _place(v, faces, category, sex, form, arms, legs, place_on_body) -> tuple[np.ndarray, str]:
    """Move the garment onto the posed body by its landmarks: a sleeved top's collar at the neck, a bottom's
    waistband at the waist; other garments by ``place_on_body``'s search."""
    from .catalog import BOTTOM_CATEGORIES

    cx = 0.5 * (v[:, 0].min() + v[:, 0].max())
    if len(arms) == 2:  # a sleeved top hangs from its collar, whatever the sleeves' angle
        centre = v[np.abs(v[:, 0] - cx) < COLLAR_HALF_WIDTH_M]
        collar = float(centre[:, 1].max())
        dy = float(form.joints["neck"][1]) + COLLAR_ABOVE_NECK_M - collar
        chest = centre[np.abs(centre[:, 1] - (collar - CHEST_BELOW_COLLAR_M)) < AXIS_BIN_M]
        mid_z = 0.5 * (chest[:, 2].min() + chest[:, 2].max()) if len(chest) else float(centre[:, 2].mean())
        dz = float(form.centre_at(collar + dy - CHEST_BELOW_COLLAR_M)) - mid_z
        return v + np.array([-cx, dy, dz]), "collar"
    if category in BOTTOM_CATEGORIES or (category == "other" and legs):
        top = v[:, 1].max()
        waist = form.levels["waist"] - WAISTBAND_BELOW_WAIST_M
        band = v[v[:, 1] > top - 2 * AXIS_BIN_M]
        band_z = 0.5 * (band[:, 2].min() + band[:, 2].max())
        return v + np.array([-cx, waist - top, float(form.centre_at(waist)) - band_z]), "waistband"
    return place_on_body(v, category, sex), "search"


def _unpose(v: np.ndarray, sex: str, moves: list) -> tuple[np.ndarray, dict]:
    """Bind the garment to the reference body posed by ``moves`` and carry it back to the rest pose.

    Returns the rest-pose vertices (n, 3) metres and the posed body's elbows and knees (name -> (3,) metres).
    """
    from scipy.spatial import cKDTree

    from avatar.avatar import reference_avatar
    from avatar.body_model import load_body_model
    from avatar.pose import bone_transforms, skin_points
    from avatar.rig import bone_heads, load_rig

    rig = load_rig()
    body = reference_avatar(sex)
    named = {b for move in moves for b in (move[1], move[2])}
    transforms = bone_transforms(rig, bone_heads(body, named), moves)
    rest = np.asarray(body.vertices, float)
    posed = skin_points(rest, rig.skin_bones, rig.skin_weights, transforms)
    skin = np.flatnonzero(load_body_model().body_vertex_mask)
    dist, near = cKDTree(posed[skin]).query(v, k=BIND_NEIGHBOURS)
    w = 1.0 / np.maximum(dist, 1e-4)
    w /= w.sum(axis=1, keepdims=True)
    bones = rig.skin_bones[skin[near]].reshape(len(v), -1)
    weights = (rig.skin_weights[skin[near]] * w[:, :, None]).reshape(len(v), -1)
    blended = np.einsum("nk,nkij->nij", weights, transforms[bones])
    inverse = np.linalg.inv(blended)
    out = np.einsum("nij,nj->ni", inverse[:, :3, :3], v) + inverse[:, :3, 3]
    joints = {}
    for side, (suffix, _) in SIDES.items():
        for joint, bone in (("elbow", "lowerarm01"), ("knee", "lowerleg01")):
            g = transforms[rig.index(f"{bone}.{suffix}")]
            joints[f"{joint}_{side}"] = g[:3, :3] @ np.asarray(body.joints[f"{joint}_{side}"], float) + g[:3, 3]
    return out, joints


__all__ = ["POSE_CHOICES", "Registration", "arm_angle", "leg_axes", "register_garment",
           "sleeve_axes"]
