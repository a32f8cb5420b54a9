"""Fit geometry: the body's girths and tape planes, and a garment's girth as worn.

Ease has one definition: the garment's girth minus the body's girth at the same level, in cm (negative:
the garment must stretch that much to go round). Both girths are tape girths (convex hulls of the
cross-section in one plane). Finished ease, the one the size advice and every fit table use, compares a
size's rest mesh (``garments.finished``) with the shopper's body (``body_girths``, ``band_girth``); the
fit result is ``garments.fit_report.fit_report``. ``draped_zone_ease`` measures a draped garment the same
way, as worn.
"""

from __future__ import annotations

import numpy as np

from .drape_constants import (
    ZONE_FALLBACK_NEIGHBOURS,
    ZONE_NEIGHBOURHOOD_M,
    ZONE_PLANE_BAND_M,
)
from .errors import FitError

# Zones a size's finished measurements are compared on, and the body girth each is measured against.
ZONE_GIRTHS = {"chest": "chest_girth", "waist": "waist_girth", "hip": "hip_girth"}


def body_girths(avatar) -> dict[str, float]:
    """The avatar's chest, waist and hip girths in cm, as the tape measures them (``avatar.measure.measure_all``).

    Raises ``garments.errors.FitError`` when the tape cannot measure one of them.
    """
    measured = _measured(avatar)
    out: dict[str, float] = {}
    for zone, name in ZONE_GIRTHS.items():
        m = measured.get(name)
        if m is None or not np.isfinite(m.value):
            raise FitError(f"the body's {name.replace('_', ' ')} cannot be measured, so no size can be judged; "
                           "rebuild the avatar from measurements")
        out[zone] = float(m.value)
    return out


def band_girth(avatar, share: float) -> float:
    """The avatar's girth (cm) at a level a share of the way from its waist (0) down to its hip (1).

    Measured with the tape in the horizontal plane at that level, round the body's axis there (the
    waistband of a bottom that sits under the waist, see ``garments.finished``).
    """
    from avatar.tape import girth_at

    planes = zone_planes(avatar)
    if "waist" not in planes or "hip" not in planes:
        raise FitError("the body's waist and hip cannot be located, so no waistband can be judged; "
                       "rebuild the avatar from measurements")
    waist, hip = planes["waist"][0], planes["hip"][0]
    origin = waist + share * (hip - waist)
    loop = girth_at(np.asarray(avatar.vertices, float), np.asarray(avatar.body_faces), origin,
                    np.array([0.0, 1.0, 0.0]))
    if loop is None:
        raise FitError("the body's girth under the waist cannot be measured; rebuild the avatar from measurements")
    return loop.girth_m * 100.0


_MEASURED: list = []  # [(avatar, measurements)] of the last avatar measured (measure_all takes a while)


def _measured(avatar) -> dict:
    """``avatar.measure.measure_all`` of an avatar, kept for the last avatar measured."""
    from avatar.measure import measure_all

    if not (_MEASURED and _MEASURED[0][0] is avatar):
        _MEASURED[:] = [(avatar, measure_all(avatar))]
    return _MEASURED[0][1]


# Body measurement whose plane each zone is measured in.
ZONE_PLANES = {**ZONE_GIRTHS, "sleeve": "upper_arm_girth"}


def zone_planes(avatar) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The tape's plane of each zone on a body: zone -> (origin (3,), unit normal (3,)), metres.

    chest, waist, hip: the horizontal planes of the body's chest, waist and hip girths; sleeve: the plane
    across the left upper arm. Zones the tape cannot measure are left out.
    """
    measured = _measured(avatar)
    planes = {}
    for zone, name in ZONE_PLANES.items():
        m = measured.get(name)
        if m is not None and m.plane_origin is not None and m.plane_normal is not None:
            normal = np.asarray(m.plane_normal, float)
            planes[zone] = (np.asarray(m.plane_origin, float), normal / np.linalg.norm(normal))
    return planes


def garment_edges(vertices: np.ndarray, faces: np.ndarray | None) -> np.ndarray:
    """Unique edges (E, 2) int of a garment: of its faces, or without them each vertex joined to its
    ``ZONE_FALLBACK_NEIGHBOURS`` nearest vertices (a mesh-like graph of the cloth; ``plane_crossings``
    adds the vertices next to the plane where such a graph misses it)."""
    if faces is not None:
        f = np.asarray(faces, np.int64)
        pairs = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    else:
        from scipy.spatial import cKDTree

        v = np.asarray(vertices, float)
        k = min(ZONE_FALLBACK_NEIGHBOURS + 1, len(v))
        _, nearest = cKDTree(v).query(v, k=k)
        pairs = np.stack([np.repeat(np.arange(len(v)), k - 1), nearest[:, 1:].ravel()], axis=1)
    return np.unique(np.sort(pairs, axis=1), axis=0)


def plane_crossings(vertices: np.ndarray, faces: np.ndarray | None, origin, normal,
                    keep: np.ndarray | None = None, edges: np.ndarray | None = None) -> np.ndarray:
    """Points where a (possibly open) surface crosses a plane.

    Parameters
    ----------
    vertices : (N, 3) float, metres
    faces : (F, 3) int, or None (see ``garment_edges``)
    origin, normal : (3,) float; the plane
    keep : (N,) bool or None; only edges with an end point kept (e.g. the garment's sleeve) count
    edges : (E, 2) int or None; the garment's edges when already known (else from ``garment_edges``)

    Returns
    -------
    (k, 3) float, metres; one point per crossed edge
    """
    v = np.asarray(vertices, float)
    d = (v - origin) @ normal
    edges = garment_edges(v, faces) if edges is None else edges
    a, b = edges[:, 0], edges[:, 1]
    crossed = (d[a] > 0) != (d[b] > 0)
    if keep is not None:
        crossed &= keep[a] | keep[b]
    a, b = a[crossed], b[crossed]
    t = d[a] / (d[a] - d[b])
    points = v[a] + t[:, None] * (v[b] - v[a])
    if faces is None and len(edges):
        # A neighbour graph of a mesh spaced more finely around than up and down can miss the plane in places:
        # add the vertices within half an edge of the plane, projected on it.
        half = 0.5 * float(np.median(np.linalg.norm(v[edges[:, 0]] - v[edges[:, 1]], axis=1)))
        near = np.abs(d) < half
        if keep is not None:
            near &= keep
        points = np.vstack([points, v[near] - d[near, None] * normal[None, :]])
    return points


def girth_pair(avatar, vertices: np.ndarray, faces: np.ndarray | None, origin, normal,
               keep: np.ndarray | None = None, edges: np.ndarray | None = None) -> tuple[float, float] | None:
    """Tape girths (cm) of the garment and of the body in one plane: (garment, body), or None.

    The body's girth is the convex loop around ``origin`` (``avatar.tape.girth_at`` on the skin); the
    garment's, ``garment_girth_around`` that loop.
    """
    from avatar.tape import girth_at

    body = girth_at(np.asarray(avatar.vertices, float), np.asarray(avatar.body_faces), origin, normal)
    if body is None:
        return None
    garment = garment_girth_around(body, vertices, faces, origin, normal, keep, edges)
    return None if garment is None else (garment, body.girth_m * 100.0)


def garment_girth_around(body, vertices: np.ndarray, faces: np.ndarray | None, origin, normal,
                         keep: np.ndarray | None = None, edges: np.ndarray | None = None) -> float | None:
    """Tape girth (cm) of a garment around a body's loop in one plane, or None where it does not go round.

    The convex hull of the garment's crossing points (``plane_crossings``) within ``ZONE_NEIGHBOURHOOD_M``
    of the body's loop ``body`` (an ``avatar.tape.Loop`` in the plane (origin, normal)).
    """
    from avatar.tape import hull_loop, plane_basis

    pts = plane_crossings(vertices, faces, origin, normal, keep, edges)
    if len(pts) < 3:
        return None
    u, w = plane_basis(normal)
    centre = body.centre
    flat_body = np.stack([(body.points - centre) @ u, (body.points - centre) @ w], axis=1)
    reach = float(np.linalg.norm(flat_body, axis=1).max()) + ZONE_NEIGHBOURHOOD_M
    flat = np.stack([(pts - centre) @ u, (pts - centre) @ w], axis=1)
    pts = pts[np.linalg.norm(flat, axis=1) < reach]
    loop = hull_loop(pts, centre, normal) if len(pts) >= 3 else None
    return None if loop is None else loop.girth_m * 100.0


def draped_zone_ease(avatar, vertices: np.ndarray, zones: dict, sdf=None, reference_vertices=None,
                     faces: np.ndarray | None = None, edges: np.ndarray | None = None) -> dict[str, float]:
    """Ease in cm of a draped garment at each of its zones, as worn.

    Ease is measured with a tape: the garment's girth minus the body's girth in the same plane (see
    ``girth_pair``). chest, waist, hip: the body's horizontal tape planes (moved to the level of the
    garment's zone vertices when its torso cloth does not reach the body's plane, e.g. a waistband
    sitting below the waist); sleeve:
    the plane across the upper arm; length: how much lower (positive) or higher the hem hangs than where
    the garment was placed.

    Parameters
    ----------
    avatar : the body it is draped on
    vertices : (N, 3) float, metres; the draped garment
    zones : name -> (k,) int vertex indices
    sdf : unused (kept for callers that pass the body's field)
    reference_vertices : (N, 3) float, metres; the garment as placed before draping (for length)
    faces : (F, 3) int; the garment's triangles (girths from their edge crossings; without them, from the
        edges of a nearest-neighbour graph of the garment as placed, see ``garment_edges``)
    edges : (E, 2) int; the unique edges of ``faces`` when the caller has them (the cloth model's), else found
    """
    vertices = np.asarray(vertices, float)
    planes = zone_planes(avatar)
    sleeve = np.asarray(zones.get("sleeve", []), dtype=np.int64)
    on_sleeve = np.zeros(len(vertices), bool)
    on_sleeve[sleeve] = True
    # Without faces, neighbours in the garment as placed (before draping, folds have not brought layers together).
    graph = reference_vertices if faces is None and reference_vertices is not None else vertices
    edges = garment_edges(graph, faces) if edges is None or faces is None else np.asarray(edges, np.int64)
    torso_y = vertices[~on_sleeve, 1] if (~on_sleeve).any() else vertices[:, 1]
    out: dict[str, float] = {}
    for zone in ("chest", "waist", "hip", "sleeve"):
        idx = np.asarray(zones.get(zone, []), dtype=np.int64)
        if idx.size < 3 or zone not in planes:
            continue
        origin, normal = planes[zone]
        origin = origin.copy()
        if zone != "sleeve" and not torso_y.min() + ZONE_PLANE_BAND_M < origin[1] < torso_y.max() - ZONE_PLANE_BAND_M:
            # The garment does not reach the body's level (a waistband below the waist): its own zone's level.
            origin[1] = float(np.median(vertices[idx, 1]))
        pair = girth_pair(avatar, vertices, faces, origin, normal, on_sleeve if zone == "sleeve" else ~on_sleeve,
                          edges)
        if pair is not None:
            out[zone] = round(pair[0] - pair[1], 1)
    hem = np.asarray(zones.get("length", zones.get("hem", [])), dtype=np.int64)
    if hem.size and reference_vertices is not None:
        out["length"] = round(float(reference_vertices[hem, 1].mean() - vertices[hem, 1].mean()) * 100.0, 1)
    return out
