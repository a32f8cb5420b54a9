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

from .body_fit import BodyFit, fit_body, posed_body
from .errors import GarmentImportError
from .garment_axes import SIDES, arm_angle, arm_direction, bone_angle, crotch_height, leg_axes, sleeve_axes
from .registration_constants import (A_POSE_RANGE_DEG, ARM_ANGLE_RANGE_DEG, AXIS_BIN_M, BIND_NEIGHBOURS,
                                     CHEST_BELOW_COLLAR_M, COLLAR_ABOVE_NECK_M, COLLAR_HALF_WIDTH_M,
                                     CROTCH_EASE_M, FIT_LIFT_BOTTOM_M, FIT_LIFT_SEARCH_M, FIT_LIFT_TOP_M,
                                     FIT_SCALE_RANGE, LEG_ANGLE_MAX_DEG, LEG_MIN_LENGTH_M, OFFSET_CM_RANGE,
                                     REST_ANGLE_TOLERANCE_DEG, SCALE_RANGE, T_POSE_ARM_DEG, WAISTBAND_BELOW_WAIST_M,
                                     WAISTBAND_OVER_HIP_M)

POSE_CHOICES = ("auto", "t", "a")
SLEEVED = ("top", "shirt", "outerwear", "dress", "jumpsuit", "other")
LEGGED = ("trousers", "shorts", "leggings", "jumpsuit")
FULL_LENGTH = ("trousers", "leggings")  # their hems are at the ankle


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
    joints : "elbow_l", "knee_l", ... -> (3,) float, metres; the fitted body's elbows and knees in the garment's
        pose, in the frame the garment was placed in
    shift : (3,) float, metres; the translation that placed the garment on the body (nudge included)
    moves : the rig moves that put the reference body in the garment's pose (empty: it was authored at rest)
    scale : the designer's scale nudge it was registered with
    body : the reference body scaled and moved to the body the garment was made for (``garments.body_fit``);
        the garment turns about its joints and is carried from it to the reference body by ``body.to_reference``
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
    body: BodyFit = field(default_factory=BodyFit)

    @property
    def pose(self) -> str:
        """"t", "a" or "rest" by the mean arm angle found."""
        if not self.arm_deg:
            return "rest"
        mean = float(np.mean(list(self.arm_deg.values())))
        return "t" if mean > 0.5 * (A_POSE_RANGE_DEG[1] + T_POSE_ARM_DEG) else "a"


# ---------------------------------------------------------------- pose, place, unpose

def _rest_angle(form, joint_a: str, joint_b: str) -> float:
    d = form.joints[joint_b] - form.joints[joint_a]
    return arm_angle(d / np.linalg.norm(d))


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
        waistband (``placement.place_on_body``)

    Returns
    -------
    Registration; its ``vertices`` are (n, 3) float metres on the rest reference body
    """
    from .dress_form import body_form

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
    body = _fit(v, category, form, moves, anchor, arms, legs)
    v, joints = _unpose(v, sex, moves, body)
    return Registration(vertices=v, arm_deg=arm_deg, leg_deg=leg_deg, anchor=anchor, axes=placed_axes,
                        joints=joints, shift=shift, moves=moves, scale=scale, body=body)


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
    return _unpose(v + base.shift, sex, base.moves, base.body)[0]


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
        d = np.asarray(arm_direction(side, degrees, float(arms[side][1][2])))
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


def _fit(v: np.ndarray, category: str, form, moves: list, anchor: str, arms: dict, legs: dict) -> BodyFit:
    """The reference body fitted inside a garment placed by its collar or waistband (``garments.body_fit``).

    A top is scaled about the neck joint. A bottom with both legs is scaled about the body's crotch, its search
    starting with the crotch (as the pose puts it) ``CROTCH_EASE_M`` above the garment's crotch seam; full-length
    trousers and leggings take their height scale from the inseam (their hem is at the ankle), measured again
    from the crotch the fit found, and their legs are shortened by it on the reference body. Other garments
    keep the reference body as placed."""
    if anchor == "collar" and arms:
        return fit_body(v, form.sex, moves, form.joints["neck"], FIT_LIFT_TOP_M)
    seam = crotch_height(v) if anchor == "waistband" and len(legs) == 2 and category in LEGGED else 0.0
    if seam < float(v[:, 1].min()) + LEG_MIN_LENGTH_M:  # no legs under a crotch: a skirt, a dress
        return BodyFit()
    body_crotch = float(form.levels["crotch"])
    point = (0.0, body_crotch, float(form.centre_at(body_crotch)))
    posed, transforms, body = posed_body(form.sex, BodyFit(), moves)  # legs apart raise the crotch
    crotch = crotch_height(posed[form.vertices[:, 1] < form.levels["waist"]])
    ankle = min(float(y[1]) for y in _posed_joints(transforms, body, ("ankle",)).values())
    # the waistband stays above the tape's hip plane, so the fit can still be judged there
    highest = min(FIT_LIFT_BOTTOM_M[1], float(v[:, 1].max()) - _hip_tape_height(form.sex) - WAISTBAND_OVER_HIP_M)
    lift = float(np.clip(seam + CROTCH_EASE_M - crotch, FIT_LIFT_BOTTOM_M[0], highest))
    lifts = (max(FIT_LIFT_BOTTOM_M[0], lift - FIT_LIFT_SEARCH_M), min(highest, lift + FIT_LIFT_SEARCH_M))
    if category not in FULL_LENGTH:
        return fit_body(v, form.sex, moves, point, lifts, lift)
    hem = float(v[:, 1].min())
    for _ in range(2):  # the inseam from the seam found, then from the crotch the fit put there
        scale = float(np.clip((seam - hem) / (crotch - ankle), *FIT_SCALE_RANGE))
        fit = fit_body(v, form.sex, moves, point, lifts, lift, scale_y=scale, legs_to_ankle=True)
        seam, lift = crotch + fit.lift - CROTCH_EASE_M, fit.lift
    return fit


@lru_cache(maxsize=2)
def _hip_tape_height(sex: str) -> float:
    """The height of the plane the fit's tape measures the reference body's hip in, metres."""
    from avatar.avatar import reference_avatar

    from .fit import zone_planes

    return float(zone_planes(reference_avatar(sex))["hip"][0][1])


def _posed_joints(transforms: np.ndarray, body, joints: tuple) -> dict:
    """Both sides' ``joints`` ("elbow", "knee", "ankle") of ``body`` moved by the pose's bone ``transforms``:
    "elbow_l" ... -> (3,) float, metres."""
    from avatar.body_model import JOINTS
    from avatar.rig import load_rig

    rig = load_rig()
    out = {}
    for side in SIDES:
        for joint in joints:
            name = f"{joint}_{side}"
            g = transforms[rig.index(JOINTS[name])]
            out[name] = g[:3, :3] @ np.asarray(body.joints[name], float) + g[:3, 3]
    return out


def _unpose(v: np.ndarray, sex: str, moves: list, fit: BodyFit) -> tuple[np.ndarray, dict]:
    """Bind the garment to the fitted body posed by ``moves``, carry it back to the rest pose and from the fitted
    body to the reference one (``BodyFit.to_reference``).

    Returns the rest-pose vertices (n, 3) metres and the posed fitted body's elbows and knees (name -> (3,) metres).
    """
    from scipy.spatial import cKDTree

    from avatar.body_model import load_body_model
    from avatar.rig import load_rig

    rig = load_rig()
    posed, transforms, body = posed_body(sex, fit, moves)
    joints = _posed_joints(transforms, body, ("elbow", "knee"))
    if not moves:
        return fit.to_reference(v), joints
    skin = np.flatnonzero(load_body_model().body_vertex_mask)
    dist, near = cKDTree(posed[skin]).query(v, k=BIND_NEIGHBOURS)
    w = 1.0 / np.maximum(dist, 1e-4)
    w /= w.sum(axis=1, keepdims=True)
    bones = rig.skin_bones[skin[near]].reshape(len(v), -1)
    weights = (rig.skin_weights[skin[near]] * w[:, :, None]).reshape(len(v), -1)
    blended = np.einsum("nk,nkij->nij", weights, transforms[bones])
    inverse = np.linalg.inv(blended)
    out = np.einsum("nij,nj->ni", inverse[:, :3, :3], v) + inverse[:, :3, 3]
    return fit.to_reference(out), joints


__all__ = ["POSE_CHOICES", "Registration", "arm_angle", "leg_axes", "register_garment",
           "sleeve_axes"]
