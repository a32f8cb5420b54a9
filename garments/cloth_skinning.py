"""How a draped garment is skinned to the body's skeleton: the bones each of its vertices follows into a pose.

Each garment vertex takes the skinning weights of the skin next to it in the drape (the
``MOTION_SKIN_NEIGHBOURS`` nearest skin vertices of the parts a garment of its kind may follow, weighted by
inverse distance), averaged over the garment's mesh; where a pose would carry a top's cloth into the body,
that cloth follows the legs too (``buried_follow_legs``). ``garments.motion`` poses and settles it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

import numpy as np

from avatar.pose import skin_points
from avatar.rig import load_rig

from .cloth_model import cloth_model
from .distance_field import SignedDistanceField
from .motion_constants import (MOTION_BURIED_DEPTH_M, MOTION_BURIED_SWEEPS, MOTION_LAP_THIGH_DEG,
                                MOTION_SKIN_NEIGHBOURS, MOTION_SMOOTH_SWEEPS)
from .outfit import DrapeResult


# Bones whose skin a garment of a kind never follows: a top's hem next to the thighs stays with the
# trunk, trousers next to the hands stay with the legs. Dresses and jumpsuits follow all of it: a dress's
# skirt goes with the thighs as a skirt does (carried by the trunk alone, it hung straight down when
# sitting and the raised thighs went through it).
LEG_BONES = ("upperleg", "lowerleg", "foot", "toe")
ARM_BONES = ("upperarm", "lowerarm", "wrist", "finger", "metacarpal")
FOLLOW_ALL_SKIN = ("dress", "jumpsuit")


def arm_bones() -> np.ndarray:
    """(J,) bool: which of the rig's bones are the arms'."""
    return np.array([label.startswith(ARM_BONES) for label in load_rig().bone_labels])


def _followed_skin(avatar, category: str) -> np.ndarray:
    """(S,) int: the skin vertices a garment of ``category`` may take its weights from."""
    from .catalog import BOTTOM_CATEGORIES

    rig = load_rig()
    skin = np.unique(np.asarray(avatar.body_faces))
    if category in FOLLOW_ALL_SKIN:
        return skin
    named = LEG_BONES if category == "legs" else ARM_BONES if category in BOTTOM_CATEGORIES else LEG_BONES
    is_named = np.array([label.startswith(named) for label in rig.bone_labels])  # per bone, not per vertex
    of_named = is_named[rig.skin_bones[skin, 0]]
    return skin[of_named] if category == "legs" else skin[~of_named]


def garment_skinning(avatar, points: np.ndarray, category: str = "top") -> tuple[np.ndarray, np.ndarray]:
    """Skinning weights for points worn on an avatar, from the skin next to them.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar at rest (the pose the garment was draped in)
    points : (N, 3) float, metres
    category : the garment's (``garments.catalog.CATEGORIES``): tops never follow the legs' skin, bottoms
        never the arms'; dresses and jumpsuits all of it; "legs": only the legs' skin

    Returns
    -------
    bones : (N, K) int and weights : (N, K) float (rows sum to 1), for ``avatar.pose.skin_points``
    """
    from scipy.spatial import cKDTree

    rig = load_rig()
    skin = _followed_skin(avatar, category)
    distance, nearest = cKDTree(np.asarray(avatar.vertices)[skin]).query(points, k=MOTION_SKIN_NEIGHBOURS)
    share = 1.0 / np.maximum(distance, 1e-4)
    share /= share.sum(axis=1, keepdims=True)
    vertex = skin[nearest]  # (N, k)
    bones = rig.skin_bones[vertex].reshape(len(points), -1)
    weights = (rig.skin_weights[vertex] * share[:, :, None]).reshape(len(points), -1)
    return bones, weights


def smooth_skinning(bones: np.ndarray, weights: np.ndarray, edges: np.ndarray, sweeps: int,
                    keep: int) -> tuple[np.ndarray, np.ndarray]:
    """Skinning weights averaged with the garment's mesh neighbours ``sweeps`` times.

    Where a garment's cloth passes from one body part's skin to another's (a top's armhole between the
    trunk and the arm), the nearest skin's weights change within a ring or two of the mesh; a raised arm
    then stretches those rings to several times their length and the cloth stands off as a flap. Averaged
    over the mesh, the change spreads over many rings and the cloth bends round the joint instead.

    Parameters
    ----------
    bones, weights : (N, K) int and float; rows of weights sum to 1
    edges : (E, 2) int; the garment's mesh edges
    sweeps : rounds of averaging (each moves a vertex halfway to its neighbours' mean)
    keep : bones kept per vertex (its strongest), the weights renormalised

    Returns
    -------
    bones : (N, keep) int and weights : (N, keep) float
    """
    import scipy.sparse as sp

    n = len(bones)
    dense = sp.csr_matrix((weights.reshape(-1), (np.repeat(np.arange(n), bones.shape[1]), bones.reshape(-1))),
                          shape=(n, int(bones.max()) + 1)).toarray()
    pairs = np.concatenate([edges, edges[:, ::-1]])
    adjacency = sp.csr_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    mean = sp.diags(1.0 / np.maximum(np.asarray(adjacency.sum(axis=1)).ravel(), 1.0)) @ adjacency
    for _ in range(sweeps):
        dense = 0.5 * (dense + mean @ dense)
    strongest = np.argsort(-dense, axis=1)[:, :keep]
    kept = np.take_along_axis(dense, strongest, axis=1)
    return strongest, kept / np.maximum(kept.sum(axis=1, keepdims=True), 1e-12)


_SKINNINGS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_SKINNINGS_LOCK = threading.Lock()


def _kept_skinning(avatar, result: DrapeResult, kind: str,
                   make: Callable[[], tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """A skinning of a drape's vertices that no pose changes, made by ``make`` once per drape and ``kind``."""
    with _SKINNINGS_LOCK:
        seen = _SKINNINGS.get(result)
        if seen is not None and seen[0] is avatar and kind in seen[1]:
            return seen[1][kind]
    skinning = make()
    with _SKINNINGS_LOCK:
        seen = _SKINNINGS.get(result)
        if seen is None or seen[0] is not avatar:
            seen = _SKINNINGS[result] = (avatar, {})
        seen[1][kind] = skinning
    return skinning


def drape_skinning(avatar, result: DrapeResult, garment) -> tuple[np.ndarray, np.ndarray]:
    """A drape's skinning to the rest skeleton, the same in every pose: ``garment_skinning`` of its vertices,
    ``smooth_skinning`` over its mesh. Made once per drape (kept while the drape is).

    Returns
    -------
    bones : (N, K) int and weights : (N, K) float, rows summing to 1
    """
    from .catalog import rest_mesh

    def make():
        mesh = rest_mesh(garment, result.size)
        edges = cloth_model(mesh.vertices, mesh.faces, garment.stretch).edges
        bones, weights = garment_skinning(avatar, result.vertices, garment.category)
        return smooth_skinning(bones, weights, edges, MOTION_SMOOTH_SWEEPS, bones.shape[1])

    return _kept_skinning(avatar, result, "worn", make)


def raised_thighs(posed) -> set[str]:
    """The sides ("L", "R") whose thigh the pose raises ``MOTION_LAP_THIGH_DEG`` or more from hanging down."""
    raised = set()
    joints = posed.avatar.joints
    for side in "LR":
        knee, hip = (np.asarray(joints[f"{joint}_{side.lower()}"], float) for joint in ("knee", "hip"))
        thigh = knee - hip
        if np.degrees(np.arccos(np.clip(-thigh[1] / np.linalg.norm(thigh), -1.0, 1.0))) >= MOTION_LAP_THIGH_DEG:
            raised.add(side)
    return raised


def buried_follow_legs(avatar, result: DrapeResult, category: str, bones: np.ndarray, weights: np.ndarray,
                       posed, sdf: SignedDistanceField, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A top's skinning where its trunk would carry it into the posed body: there it follows the legs too.

    A top follows only the trunk (``_followed_skin``), so sitting its hem would hang straight down into the
    raised thighs and be pushed out sideways, flaring. Each vertex the trunk carries deeper than
    ``MOTION_BURIED_DEPTH_M`` into the posed body (``sdf``) takes other weights; the share fades over
    ``MOTION_BURIED_SWEEPS`` rings of the mesh around them, so the hem bends onto the lap instead of tearing
    from the cloth above it. Where a thigh is raised into a lap (``raised_thighs``), a vertex nearest to
    that leg takes the weights of the leg's own skin next to it: the skin next to a hem in front of a heavy
    lower belly is the trunk's, and following it the hem stayed in the thighs, was pushed out of their inner
    sides and hung down between them. Elsewhere it takes those of all the skin next to it, legs included.
    Nothing changes where no vertex is buried (standing, most of walking and reaching).

    Parameters
    ----------
    avatar : the rest body; result : the top's drape on it; category : its category
    bones, weights : (N, K) its trunk-only skinning (``garment_skinning``)
    posed : avatar.pose.PosedBody; sdf : its distance field
    edges : (E, 2) int; the garment's mesh edges

    Returns
    -------
    bones, weights : (N, 2K) the blended skinning (rows sum to 1), or the given ones when nothing is buried
    """
    from .catalog import BOTTOM_CATEGORIES

    if category in BOTTOM_CATEGORIES or category in FOLLOW_ALL_SKIN:
        return bones, weights
    carried = skin_points(result.vertices, bones, weights, posed.transforms)
    share = np.clip(-sdf.distance(carried) / MOTION_BURIED_DEPTH_M, 0.0, 1.0)
    if not share.any():
        return bones, weights
    buried = share.copy()
    degree = np.bincount(edges.reshape(-1), minlength=len(share)).astype(np.float64)
    for _ in range(MOTION_BURIED_SWEEPS):  # spread to the neighbours, never below what each vertex needs itself
        total = np.bincount(edges[:, 0], weights=share[edges[:, 1]], minlength=len(share))
        total += np.bincount(edges[:, 1], weights=share[edges[:, 0]], minlength=len(share))
        share = np.maximum(buried, 0.5 * (share + total / np.maximum(degree, 1.0)))
    # Both skinnings are the same in every pose: made once per drape.
    all_bones, all_weights = (a.copy() for a in _kept_skinning(
        avatar, result, "all", lambda: garment_skinning(avatar, result.vertices, "jumpsuit")))
    raised = raised_thighs(posed)
    if raised:  # a lap: the cloth buried there follows the thigh itself, not the trunk's skin next to it
        moving = np.flatnonzero(share > 0.0)
        leg_bones, leg_weights = (a[moving] for a in _kept_skinning(
            avatar, result, "legs", lambda: garment_skinning(avatar, result.vertices, "legs")))
        strongest = leg_bones[np.arange(len(moving)), leg_weights.argmax(axis=1)]
        side = np.array([label[-1] for label in load_rig().bone_labels])[strongest]  # "upperleg01.L" -> "L"
        on_lap = np.isin(side, sorted(raised))
        all_bones[moving[on_lap]], all_weights[moving[on_lap]] = leg_bones[on_lap], leg_weights[on_lap]
    return (np.concatenate([bones, all_bones], axis=1),
            np.concatenate([(1.0 - share)[:, None] * weights, share[:, None] * all_weights], axis=1))


__all__ = ["ARM_BONES", "FOLLOW_ALL_SKIN", "LEG_BONES", "arm_bones", "buried_follow_legs", "drape_skinning",
           "garment_skinning", "raised_thighs", "smooth_skinning"]
