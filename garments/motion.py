"""Clothes in motion: draped garments skinned to the body's skeleton, posed, then settled in the pose.

Each garment vertex takes the skinning weights of the skin next to it in the drape (the
``MOTION_SKIN_NEIGHBOURS`` nearest skin vertices, weighted by inverse distance), follows the bones into
the pose, and is relaxed there by the drape's own solver and collision rules (``garments.drape.relax``:
outside the posed body, outside every garment beneath it). The posed body's field is the rest body's
carried by the bones (``garments.posed_sdf``).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from avatar.errors import Cancelled
from avatar.pose import WALK_CYCLE_FRAMES, pose_avatar, skin_points, walk_cycle
from avatar.rig import load_rig

from .motion_constants import (MOTION_BURIED_DEPTH_M, MOTION_BURIED_SWEEPS, MOTION_FRAME_ITERATIONS,
                                MOTION_LAP_THIGH_DEG, MOTION_RELAX_ITERATIONS, MOTION_SKIN_NEIGHBOURS,
                                MOTION_SMOOTH_SWEEPS, MOTION_ZONE_STRAIN_PERCENTILE)
from .cloth_model import cloth_model
from .drape import relax
from .layer_collider import LayerCollider
from .outfit import DrapeResult, penetration, vertex_strain
from .posed_sdf import skinned_field, surface_checked
from .ride_up import ride_up
from .sdf import SignedDistanceField, body_sdf

FIT_ZONES = ("chest", "waist", "hip", "sleeve")  # the zones a pose is judged at (the hem's length is not a fit)


# Bones whose skin a garment of a kind never follows: a top's hem next to the thighs stays with the
# trunk, trousers next to the hands stay with the legs. Dresses and jumpsuits follow all of it: a dress's
# skirt goes with the thighs as a skirt does (carried by the trunk alone, it hung straight down when
# sitting and the raised thighs went through it).
LEG_BONES = ("upperleg", "lowerleg", "foot", "toe")
ARM_BONES = ("upperarm", "lowerarm", "wrist", "finger", "metacarpal")
FOLLOW_ALL_SKIN = ("dress", "jumpsuit")


def _arm_bones() -> np.ndarray:
    """(J,) bool: which of the rig's bones are the arms'."""
    return np.array([label.startswith(ARM_BONES) for label in load_rig().bone_labels])


def _followed_skin(avatar, category: str) -> np.ndarray:
    """(S,) int: the skin vertices a garment of ``category`` may take its weights from."""
    from .catalog import BOTTOM_CATEGORIES

    rig = load_rig()
    skin = np.unique(np.asarray(avatar.body_faces))
    if category in FOLLOW_ALL_SKIN:
        return skin
    if category == "legs":
        is_leg = np.array([label.startswith(LEG_BONES) for label in rig.bone_labels])
        return skin[is_leg[rig.skin_bones[skin, 0]]]
    barred = ARM_BONES if category in BOTTOM_CATEGORIES else LEG_BONES
    is_barred = np.array([label.startswith(barred) for label in rig.bone_labels])  # per bone, not per vertex
    return skin[~is_barred[rig.skin_bones[skin, 0]]]


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


def drape_skinning(avatar, result: DrapeResult, garment) -> tuple[np.ndarray, np.ndarray]:
    """A drape's skinning to the rest skeleton, the same in every pose: ``garment_skinning`` of its vertices,
    ``smooth_skinning`` over its mesh. Made once per drape (kept while the drape is).

    Returns
    -------
    bones : (N, K) int and weights : (N, K) float, rows summing to 1
    """
    from .catalog import rest_mesh

    with _SKINNINGS_LOCK:
        seen = _SKINNINGS.get(result)
    if seen is not None and seen[0] is avatar:
        return seen[1]
    mesh = rest_mesh(garment, result.size)
    edges = cloth_model(mesh.vertices, mesh.faces, garment.stretch).edges
    bones, weights = garment_skinning(avatar, result.vertices, garment.category)
    skinning = smooth_skinning(bones, weights, edges, MOTION_SMOOTH_SWEEPS, bones.shape[1])
    with _SKINNINGS_LOCK:
        _SKINNINGS[result] = (avatar, skinning)
    return skinning


def _raised_thighs(posed) -> set[str]:
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
    from the cloth above it. Where a thigh is raised into a lap (``_raised_thighs``), a vertex nearest to
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
    all_bones, all_weights = garment_skinning(avatar, result.vertices, "jumpsuit")
    raised = _raised_thighs(posed)
    if raised:  # a lap: the cloth buried there follows the thigh itself, not the trunk's skin next to it
        moving = np.flatnonzero(share > 0.0)
        leg_bones, leg_weights = garment_skinning(avatar, result.vertices[moving], "legs")
        strongest = leg_bones[np.arange(len(moving)), leg_weights.argmax(axis=1)]
        side = np.array([label[-1] for label in load_rig().bone_labels])[strongest]  # "upperleg01.L" -> "L"
        on_lap = np.isin(side, sorted(raised))
        all_bones[moving[on_lap]], all_weights[moving[on_lap]] = leg_bones[on_lap], leg_weights[on_lap]
    return (np.concatenate([bones, all_bones], axis=1),
            np.concatenate([(1.0 - share)[:, None] * weights, share[:, None] * all_weights], axis=1))


def zone_motion(result: DrapeResult, zones: dict, skin: np.ndarray) -> dict[str, dict[str, float]]:
    """Ease and strain of each fit zone of a garment as worn in a pose.

    ease_cm: the zone's mean clearance from the skin times 2 pi (the girth a round section that loose
    would have to spare), cm; strain: the ``MOTION_ZONE_STRAIN_PERCENTILE`` percentile of the zone's
    vertex stretch, a fraction (0.09 is 9 %).

    Parameters
    ----------
    result : the garment in the pose
    zones : zone -> (k,) int vertex indices (``GarmentMesh.zones``)
    skin : (S, 3) float, metres; the posed body's skin vertices
    """
    from scipy.spatial import cKDTree

    out = {}
    clearance, _ = cKDTree(skin).query(result.vertices, workers=-1)
    for zone in FIT_ZONES:
        idx = np.asarray(zones.get(zone, []), dtype=np.int64)
        if idx.size < 3:
            continue
        out[zone] = {"ease_cm": round(float(2.0 * np.pi * clearance[idx].mean() * 100.0), 1),
                     "strain": round(float(np.percentile(result.strain[idx], MOTION_ZONE_STRAIN_PERCENTILE)), 4)}
    return out


def pose_garment(avatar, result: DrapeResult, garment, posed, sdf: SignedDistanceField, *,
                 layers: tuple[LayerCollider, ...] = (), face_sdf: SignedDistanceField | None = None,
                 start_from: tuple | None = None, skinning: tuple | None = None,
                 progress: Callable[[float, str], None] = lambda f, m: None,
                 cancelled: Callable[[], bool] = lambda: False) -> DrapeResult:
    """One draped garment moved into a pose and settled there.

    Parameters
    ----------
    avatar : the rest body it was draped on
    result : its drape on ``avatar``
    garment : garments.catalog.Garment
    posed : avatar.pose.PosedBody of ``avatar``
    sdf : the posed body's distance field
    layers : garments beneath it, already posed
    face_sdf : the field the face contact pass reads (``posed_sdf.surface_checked``; ``sdf`` when None)
    start_from : (avatar.pose.PosedBody, DrapeResult) or None; the garment settled in a nearby pose (the
        walk loop's frame before): it starts from there, moved by the bones from that pose to this one, and
        settles in ``MOTION_FRAME_ITERATIONS``; None: from the drape, in ``MOTION_RELAX_ITERATIONS``
    skinning : ``drape_skinning(avatar, result, garment)`` when already made (None: made here)
    """
    import time

    from .catalog import BOTTOM_CATEGORIES, rest_mesh

    start = time.perf_counter()
    mesh = rest_mesh(garment, result.size)
    model = cloth_model(mesh.vertices, mesh.faces, garment.stretch)
    bones, weights = drape_skinning(avatar, result, garment) if skinning is None else skinning
    bones, weights = buried_follow_legs(avatar, result, garment.category, bones, weights, posed, sdf, model.edges)
    if start_from is None:
        moved, iterations = skin_points(result.vertices, bones, weights, posed.transforms), MOTION_RELAX_ITERATIONS
        if garment.category not in BOTTOM_CATEGORIES:
            moved = ride_up(result.vertices, moved, bones, weights, _arm_bones(), posed.transforms)
    else:
        before, settled_before = start_from
        step = posed.transforms @ np.linalg.inv(before.transforms)  # each bone, from that pose to this one
        moved, iterations = skin_points(settled_before.vertices, bones, weights, step), MOTION_FRAME_ITERATIONS
    settled = relax(model, moved, sdf, layers=layers, iterations=iterations, face_body=face_sdf,
                    progress=progress, cancelled=cancelled)
    strain = vertex_strain(settled, model.edges, model.rest_edge_lengths)
    out = DrapeResult(garment_id=result.garment_id, size=result.size, vertices=settled, faces=result.faces,
                      rest_edge_lengths=result.rest_edge_lengths, edges=result.edges, strain=strain,
                      max_strain=float(strain.max()) if len(strain) else 0.0, penetration=penetration(sdf, settled),
                      drape_ms=(time.perf_counter() - start) * 1000.0, uv=result.uv)
    ease = {zone: v["ease_cm"] for zone, v in motion_zones(posed.avatar, out, garment).items()}
    return DrapeResult(**{**out.__dict__, "zones": ease})


def motion_zones(body, result: DrapeResult, garment) -> dict[str, dict[str, float]]:
    """``zone_motion`` of a garment worn on ``body`` (posed or not): zone -> {"ease_cm", "strain"}."""
    from .catalog import rest_mesh

    skin = np.asarray(body.vertices)[np.unique(np.asarray(body.body_faces))]
    return zone_motion(result, rest_mesh(garment, result.size).zones, skin)


_SEEN: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_SEEN_LOCK = threading.Lock()


def pose_outfit(avatar, results: list[DrapeResult], pose: str, *, garments: dict | None = None,
                progress: Callable[[float, str], None] = lambda f, m: None,
                cancelled: Callable[[], bool] = lambda: False):
    """A dressed avatar in a pose: the posed body and every garment, inner to outer as draped.

    A pose already made for the same avatar and drapes is handed back at once; ``stand`` hands back
    the drapes themselves.

    Parameters
    ----------
    avatar : the rest body
    results : its drapes, inner to outer (``drape_outfit``'s order)
    pose : one of ``avatar.pose.POSE_NAMES``
    garments : garment id -> Garment (looked up in the catalog when None)

    Returns
    -------
    (avatar.pose.PosedBody, list of DrapeResult in the pose; their ``zones`` are ``zone_motion``'s ease, cm)
    """
    posed = pose_avatar(avatar, pose)
    if pose == "stand":  # the drapes are already standing
        return posed, list(results)
    key = (pose, tuple(id(r) for r in results))
    with _SEEN_LOCK:
        seen = _SEEN.get(avatar, {}).get(key)
    if seen is not None:
        return posed, seen[1]
    out = dress_posed(avatar, results, posed, garments=garments, progress=progress, cancelled=cancelled)
    with _SEEN_LOCK:
        _SEEN.setdefault(avatar, {})[key] = (results, out)  # the drapes are kept so their ids stay theirs
    progress(1.0, "Posed")
    return posed, out


def dress_posed(avatar, results: list[DrapeResult], posed, *, garments: dict | None = None,
                before: tuple | None = None, progress: Callable[[float, str], None] = lambda f, m: None,
                cancelled: Callable[[], bool] = lambda: False) -> list[DrapeResult]:
    """Every drape of ``avatar`` (inner to outer) moved into the posed body ``posed`` (``avatar.pose.PosedBody``)
    and settled there, each outside the posed body and the garments beneath it. Not cached (see ``pose_outfit``).

    ``before``: (PosedBody, list of DrapeResult) the same drapes settled in a nearby pose, to start from
    (``pose_garment``'s ``start_from``)."""
    from .catalog import get_garment

    worn = [(garments or {}).get(r.garment_id) or get_garment(r.garment_id) for r in results]
    with ThreadPoolExecutor(max_workers=1) as pool:  # the drapes' skinnings while the posed field is made
        skinnings = [pool.submit(drape_skinning, avatar, r, g) for r, g in zip(results, worn)]
        sdf = skinned_field(body_sdf(avatar), avatar, posed)
        face_sdf = surface_checked(sdf, posed)
        skinnings = [future.result() for future in skinnings]
    skin = np.asarray(posed.avatar.vertices)[np.unique(posed.avatar.body_faces)]
    out: list[DrapeResult] = []
    layers: list[LayerCollider] = []
    n = max(len(results), 1)
    for k, (result, garment) in enumerate(zip(results, worn)):
        if cancelled():
            raise Cancelled("posing was cancelled")
        start_from = None if before is None else (before[0], before[1][k])
        moved = pose_garment(avatar, result, garment, posed, sdf, layers=tuple(layers), face_sdf=face_sdf,
                             start_from=start_from, skinning=skinnings[k], cancelled=cancelled,
                             progress=lambda f, m, k=k: progress((k + f) / n, f"Posing {garment.name}"))
        out.append(moved)
        layers.append(LayerCollider.from_garment(moved.vertices, moved.faces, sdf, skin=skin, edges=moved.edges))
    return out


def walk_loop_outfit(avatar, results: list[DrapeResult], frames: int = WALK_CYCLE_FRAMES, *,
                     garments: dict | None = None, progress: Callable[[float, str], None] = lambda f, m: None,
                     cancelled: Callable[[], bool] = lambda: False):
    """A dressed avatar walking, as a loop: ``frames`` frames of ``avatar.pose.walk_cycle``, each with every
    garment moved and settled as in ``pose_outfit``: frame 0 from the drapes, every later frame from the
    frame before (a small step of the bones, so fewer solver iterations settle it).

    Returns
    -------
    list of (avatar.pose.PosedBody, list of DrapeResult in that frame), frame 0 first
    """
    out = []
    for k, posed in enumerate(walk_cycle(avatar, frames)):
        moved = dress_posed(avatar, results, posed, garments=garments, before=out[-1] if out else None,
                            cancelled=cancelled,
                            progress=lambda f, m, k=k: progress((k + f) / frames, f"Walking: frame {k + 1} of {frames}"))
        out.append((posed, moved))
    progress(1.0, "Walking")
    return out


__all__ = ["FIT_ZONES", "dress_posed", "drape_skinning", "garment_skinning", "motion_zones", "pose_garment",
           "pose_outfit", "walk_loop_outfit", "zone_motion"]
