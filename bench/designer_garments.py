"""Garments as a designer's tool exports them: shells around a posed body that is not the reference one.

``authored_garment(kind, pose, arm_deg, leg_deg)`` poses the male reference body (taller and broader than the
female reference that unisex imports are registered on) with the rig, takes the skin its kind covers (by each
vertex's strongest bone) and lifts it off the skin by ``ease_m``: a tee with sleeves to the elbow or trousers
to the ankle, in a T-pose, an A-pose at any arm angle or legs apart, in metres, Y up. The benchmark
``bench_designer.py`` and the registration tests import it.
"""

from __future__ import annotations

import numpy as np

TEE_BONES = ("spine05", "spine04", "spine03", "spine02", "spine01", "breast.L", "breast.R", "clavicle.L",
             "clavicle.R", "shoulder01.L", "shoulder01.R", "upperarm01.L", "upperarm01.R", "upperarm02.L",
             "upperarm02.R")
TROUSER_BONES = ("root", "pelvis.L", "pelvis.R", "upperleg01.L", "upperleg01.R", "upperleg02.L", "upperleg02.R",
                 "lowerleg01.L", "lowerleg01.R", "lowerleg02.L", "lowerleg02.R")
KINDS = {"tee": TEE_BONES, "trousers": TROUSER_BONES}


def _direction(sign: float, degrees: float) -> tuple:
    a = np.radians(degrees)
    return (sign * float(np.sin(a)), -float(np.cos(a)), 0.0)


def authoring_moves(arm_deg: float | None, leg_deg: float | None) -> list[tuple]:
    """Rig moves (``avatar.pose``) for straight arms ``arm_deg`` from straight down and legs ``leg_deg`` apart."""
    moves = []
    for suffix, sign in (("L", 1.0), ("R", -1.0)):
        if arm_deg is not None:
            d = _direction(sign, arm_deg)
            moves += [("aim", f"upperarm01.{suffix}", f"lowerarm01.{suffix}", d),
                      ("aim", f"lowerarm01.{suffix}", f"wrist.{suffix}", d)]
        if leg_deg is not None:
            d = _direction(sign, leg_deg)
            moves += [("aim", f"upperleg01.{suffix}", f"lowerleg01.{suffix}", d),
                      ("aim", f"lowerleg01.{suffix}", f"foot.{suffix}", d)]
    return moves


def authored_garment(kind: str, arm_deg: float | None = None, leg_deg: float | None = None, *,
                     sex: str = "male", ease_m: float = 0.02, lift_m: float = 0.0):
    """A garment shell authored on a posed body.

    Parameters
    ----------
    kind : "tee" or "trousers"
    arm_deg, leg_deg : the authoring pose (None: the body's rest pose)
    sex : the body it is made on
    ease_m : the shell's distance from the skin, metres
    lift_m : raised this far off the body's floor (a designer's scene origin), metres

    Returns
    -------
    vertices : (n, 3) float, metres, Y up, facing +Z
    faces : (m, 3) int
    """
    from avatar.avatar import reference_avatar
    from avatar.body_model import load_body_model
    from avatar.pose import bone_transforms, skin_points
    from avatar.rig import bone_heads, load_rig
    from avatar.surface import vertex_normals
    from garments.mesh_ops import compact

    rig = load_rig()
    body = reference_avatar(sex)
    moves = authoring_moves(arm_deg, leg_deg)
    rest = np.asarray(body.vertices, float)
    if moves:
        named = {b for move in moves for b in (move[1], move[2])}
        transforms = bone_transforms(rig, bone_heads(body, named), moves)
        posed = skin_points(rest, rig.skin_bones, rig.skin_weights, transforms)
    else:
        posed = rest
    faces = np.asarray(load_body_model().body_faces, np.int64)
    wanted = np.isin(rig.skin_bones[:, 0], [rig.index(b) for b in KINDS[kind]])
    keep = wanted[faces].all(axis=1)
    normals = vertex_normals(posed, faces)
    shell = posed + ease_m * normals + np.array([0.0, lift_m, 0.0])
    v, f = compact(shell, faces, keep)[:2]
    return v, f


def authored_joints(arm_deg: float | None = None, leg_deg: float | None = None, *, sex: str = "male",
                    lift_m: float = 0.0) -> dict:
    """Where the authoring body's elbows and knees are in the garment's frame: name -> (3,) float, metres."""
    from avatar.avatar import reference_avatar
    from avatar.body_model import JOINTS
    from avatar.pose import bone_transforms
    from avatar.rig import bone_heads, load_rig

    rig = load_rig()
    body = reference_avatar(sex)
    moves = authoring_moves(arm_deg, leg_deg)
    named = {b for move in moves for b in (move[1], move[2])}
    transforms = (bone_transforms(rig, bone_heads(body, named), moves) if moves
                  else np.tile(np.eye(4), (len(rig.bone_labels), 1, 1)))
    out = {}
    for name in ("elbow_l", "elbow_r", "knee_l", "knee_r"):
        g = transforms[rig.index(JOINTS[name])]
        out[name] = g[:3, :3] @ np.asarray(body.joints[name], float) + g[:3, 3] + np.array([0.0, lift_m, 0.0])
    return out


__all__ = ["KINDS", "authored_garment", "authored_joints", "authoring_moves"]
