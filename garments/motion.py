"""Clothes in motion: draped garments skinned to the body's skeleton, posed, then settled in the pose.

Each garment vertex takes the skinning weights of the skin next to it in the drape
(``garments.cloth_skinning``), follows the bones into the pose, and is relaxed there by the drape's own
solver and collision rules (``garments.drape.relax``: outside the posed body, outside every garment beneath
it; a top also outside the gaps a pose opens under it, ``garments.bridged_field``). The posed body's field
is the rest body's carried by the bones (``garments.posed_sdf``).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from avatar.errors import Cancelled
from avatar.pose import WALK_CYCLE_FRAMES, pose_avatar, skin_points, walk_cycle

from .bridged_field import bridged
from .cloth_model import cloth_model
from .cloth_skinning import arm_bones, buried_follow_legs, drape_skinning
from .drape import relax
from .layer_collider import LayerCollider
from .motion_constants import MOTION_FRAME_ITERATIONS, MOTION_RELAX_ITERATIONS
from .outfit import DrapeResult, penetration, vertex_strain
from .posed_sdf import skinned_field, surface_checked
from .ride_up import ride_up
from .sdf import SignedDistanceField, body_sdf
from .worn_strain import strain_zone_vertices, zone_strain


def zone_motion(result: DrapeResult, zones: dict, skin: np.ndarray) -> dict[str, dict[str, float]]:
    """Ease and strain of each fit zone of a garment as worn in a pose.

    ease_cm: the zone's mean clearance from the skin times 2 pi (the girth a round section that loose
    would have to spare), cm; strain: ``garments.worn_strain.zone_strain``, a fraction (0.09 is 9 %).

    Parameters
    ----------
    result : the garment in the pose
    zones : zone -> (k,) int vertex indices (``garments.worn_strain.strain_zone_vertices``)
    skin : (S, 3) float, metres; the posed body's skin vertices
    """
    from scipy.spatial import cKDTree

    clearance, _ = cKDTree(skin).query(result.vertices, workers=-1)
    return {zone: {"ease_cm": round(float(2.0 * np.pi * clearance[idx].mean() * 100.0), 1),
                   "strain": round(zone_strain(result.strain, idx), 4)}
            for zone, idx in zones.items()}


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
            moved = ride_up(result.vertices, moved, bones, weights, arm_bones(), posed.transforms)
    else:
        before, settled_before = start_from
        step = posed.transforms @ np.linalg.inv(before.transforms)  # each bone, from that pose to this one
        moved, iterations = skin_points(settled_before.vertices, bones, weights, step), MOTION_FRAME_ITERATIONS
    settled = relax(model, moved, bridged(sdf, posed, garment.category), layers=layers, iterations=iterations,
                    face_body=face_sdf, progress=progress, cancelled=cancelled)
    strain = vertex_strain(settled, model.edges, model.rest_edge_lengths)
    out = DrapeResult(garment_id=result.garment_id, size=result.size, vertices=settled, faces=result.faces,
                      rest_edge_lengths=result.rest_edge_lengths, edges=result.edges, strain=strain,
                      max_strain=float(strain.max()) if len(strain) else 0.0, penetration=penetration(sdf, settled),
                      drape_ms=(time.perf_counter() - start) * 1000.0, uv=result.uv)
    ease = {zone: v["ease_cm"] for zone, v in motion_zones(posed.avatar, out, garment).items()}
    return DrapeResult(**{**out.__dict__, "zones": ease})


def motion_zones(body, result: DrapeResult, garment) -> dict[str, dict[str, float]]:
    """``zone_motion`` of a garment worn on ``body`` (posed or not): zone -> {"ease_cm", "strain"}."""
    skin = np.asarray(body.vertices)[np.unique(np.asarray(body.body_faces))]
    return zone_motion(result, strain_zone_vertices(garment, result.size), skin)


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


__all__ = ["dress_posed", "motion_zones", "pose_garment",
           "pose_outfit", "walk_loop_outfit", "zone_motion"]
