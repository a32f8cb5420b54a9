"""Keep whole cloth triangles off the skin, not only their corners.

A garment's triangles are flat while the body under them is curved: an edge of length L over skin of
curvature radius R cuts ``L^2 / (8 R)`` into it between two vertices that are both outside (5 cm of edge
over a 6 cm thigh: 5 mm). So after the vertices are placed, points inside every triangle (its centroid,
edge midpoints and three inner points) are checked against the body's distance field, and a triangle
whose inner point is closer than the face clearance has its corners moved out along the field's gradient,
each by its share of that point (the smallest corner moves that lift the point by the missing distance).
A corner never moves into the skin at itself, nor farther off it than ``FACE_LIFT_REACH_M``: a long face
bridging two parts of the body (the crotch of heavy thighs pressed together) cannot be lifted out, and the
gradient at its inner point can point into the body at a far corner or fling a near one away from it.
"""

from __future__ import annotations

import numpy as np

from .drape_constants import FACE_CLEARANCE_M, FACE_CLEARANCE_TOLERANCE_M, FACE_CONTACT_PASSES, FACE_LIFT_REACH_M
from .sdf import SignedDistanceField

# Barycentric weights of the points checked in every triangle: centroid, edge midpoints, and points halfway
# between the centroid and each corner (a linear face is lowest over a convex bump between its corners).
FACE_SAMPLE_WEIGHTS = np.array([
    [1 / 3, 1 / 3, 1 / 3],
    [0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5],
    [2 / 3, 1 / 6, 1 / 6], [1 / 6, 2 / 3, 1 / 6], [1 / 6, 1 / 6, 2 / 3],
])

# (S, 3 corners, 3 sides): how far sample s lies from corner k at most, sum_j w_sj |x_j - x_k|, as a sum
# of the face's side lengths (side 0 joins corners 0-1, side 1 corners 1-2, side 2 corners 2-0).
_SIDE_OF = {(0, 1): 0, (1, 2): 1, (0, 2): 2}
_SAMPLE_REACH = np.zeros((len(FACE_SAMPLE_WEIGHTS), 3, 3))
for _s, _w in enumerate(FACE_SAMPLE_WEIGHTS):
    for _k in range(3):
        for _j in range(3):
            if _j != _k:
                _SAMPLE_REACH[_s, _k, _SIDE_OF[tuple(sorted((_j, _k)))]] += _w[_j]


def face_points(vertices: np.ndarray, faces: np.ndarray, weights: np.ndarray = FACE_SAMPLE_WEIGHTS) -> np.ndarray:
    """Points inside every triangle at the given barycentric weights.

    Parameters
    ----------
    vertices : (N, 3) float, metres
    faces : (M, 3) int
    weights : (S, 3) float, rows summing to 1

    Returns
    -------
    (M, S, 3) float, metres
    """
    return np.einsum("sk,mkd->msd", weights, np.asarray(vertices)[faces])


def face_clearance(vertices: np.ndarray, faces: np.ndarray, body: SignedDistanceField) -> np.ndarray:
    """(M,) float, metres: the smallest signed distance from the body of the sample points of each face."""
    points = face_points(vertices, faces)
    return body.distance(points.reshape(-1, 3)).reshape(points.shape[:2]).min(axis=1)


def faces_maybe_short(vertices: np.ndarray, faces: np.ndarray, body: SignedDistanceField,
                      clearance: float) -> np.ndarray:
    """(M,) bool: the faces whose sample points may read closer than ``clearance``, from the corners' readings.

    A sample ``p = sum_j w_j x_j`` lies at most ``sum_j w_j |x_j - x_k|`` from corner ``k``, so it reads at
    least the corner's reading less ``body.slope_bound`` times that; a face is ruled out when every sample
    is beyond ``clearance`` by that bound from one of its corners and the face is clear of the field's
    rough box. Every face is kept when the field has no bound.
    """
    slope = getattr(body, "slope_bound", None)
    if slope is None:
        return np.ones(len(faces), dtype=bool)
    x = np.asarray(vertices, dtype=np.float64)
    tri = x[faces]  # (M, 3, 3)
    sides = np.linalg.norm(tri - tri[:, [1, 2, 0]], axis=2).T * slope  # (3, M): corner 0-1, 1-2, 2-0
    corner = body.distance(x)[faces].T  # (3, M)
    maybe = np.zeros(len(faces), dtype=bool)
    for reach in _SAMPLE_REACH:  # (3 corners, 3 sides) of one sample
        lowest = np.maximum.reduce([corner[k] - reach[k] @ sides for k in range(3)])
        maybe |= lowest < clearance
    box = body.rough_box
    if box is not None:
        maybe |= ((tri.max(axis=1) > box[0]) & (tri.min(axis=1) < box[1])).all(axis=1)
    return maybe


def push_faces_out(vertices: np.ndarray, faces: np.ndarray, body: SignedDistanceField, *,
                   clearance: float = FACE_CLEARANCE_M, passes: int = FACE_CONTACT_PASSES,
                   reach: float = FACE_LIFT_REACH_M, movable: np.ndarray | None = None) -> np.ndarray:
    """Move triangle corners out until every triangle's sample points are ``clearance`` off the skin.

    A sample point p = sum_k w_k x_k that lies ``gap`` short of the clearance asks each corner k to move
    ``w_k / sum(w^2) * gap`` along the field's outward gradient at p (the least-squares moves that lift
    p by ``gap``); the part of each move that points into the body at the corner itself (its own outward
    gradient) is dropped, a corner asked by several points takes their mean, no corner is lifted farther
    off the skin than ``reach``, and passes repeat until no point is short (or ``passes`` are spent).
    Corners only move outward, so no other face is pushed in and no corner is carried into the skin; a
    corner still inside the skin at the end is projected out of it along the field's gradient.

    Parameters
    ----------
    vertices : (N, 3) float, metres
    faces : (M, 3) int
    body : the body's signed distance field
    clearance : float, metres wanted between every face sample and the skin
    passes : at most this many rounds of checks and moves
    reach : float, metres; no corner is lifted farther off the skin than this
    movable : (N,) bool or None; corners allowed to move (None: all)

    Returns
    -------
    (N, 3) float, metres; a new array
    """
    x = np.array(vertices, dtype=np.float64, copy=True)
    faces = np.asarray(faces, dtype=np.int64)
    w = FACE_SAMPLE_WEIGHTS
    share = w / (w * w).sum(axis=1, keepdims=True)  # (S, 3)
    n = len(x)
    candidates = np.flatnonzero(faces_maybe_short(x, faces, body, clearance))  # the others need no look-up
    for _ in range(passes):
        points = face_points(x, faces[candidates])
        d, g = body.distance_and_gradient(points.reshape(-1, 3))
        gap = (clearance - d).reshape(points.shape[:2])  # (m, S)
        short = gap > FACE_CLEARANCE_TOLERANCE_M
        hit = short.any(axis=1)
        if not hit.any():
            break
        candidates = candidates[hit]
        gap, short = gap[hit], short[hit]
        g = g.reshape(points.shape)[hit]
        g = g / np.maximum(np.linalg.norm(g, axis=2, keepdims=True), 1e-9)
        lift = np.where(short, gap, 0.0)[:, :, None] * g  # (m, S, 3)
        corner_move = np.einsum("sk,msd->mkd", share, lift)  # (m, 3, 3): summed over the short samples
        asked = np.einsum("sk,ms->mk", (share > 0).astype(float), short.astype(float))  # samples asking each corner
        corners = faces[candidates]
        used, where = np.unique(corners, return_inverse=True)
        reading, outward = body.distance_and_gradient(x[used])
        outward /= np.maximum(np.linalg.norm(outward, axis=1, keepdims=True), 1e-9)
        normal = outward[where.reshape(corners.shape)]  # (m, 3, 3): each corner's own outward direction
        corner_move -= np.minimum(np.einsum("mkd,mkd->mk", corner_move, normal), 0.0)[:, :, None] * normal
        move = np.zeros((n, 3))
        for axis in range(3):
            move[:, axis] = np.bincount(corners.reshape(-1), corner_move[:, :, axis].reshape(-1), n)
        count = np.bincount(corners.reshape(-1), asked.reshape(-1), n)
        move /= np.maximum(count, 1.0)[:, None]
        if movable is not None:
            move[~movable] = 0.0
        # a corner goes no farther off the skin than ``reach``: a move that would take it beyond is shortened
        # to the share that cannot (a distance grows by at most the length moved; beyond the field's band
        # its readings saturate and cannot say how far)
        beyond = body.distance(x[used] + move[used]) > reach
        length = np.linalg.norm(move[used[beyond]], axis=1)
        move[used[beyond]] *= np.clip((reach - reading[beyond]) / np.maximum(length, 1e-12), 0.0, 1.0)[:, None]
        x += move
    # a corner left inside the skin (by the solver, where no face could lift it within reach) is put out of it
    inside = body.distance(x) < 0.0
    if movable is not None:
        inside &= movable
    if inside.any():
        x[inside] = body.project_out(x[inside], clearance)[0]
    return x


__all__ = ["FACE_SAMPLE_WEIGHTS", "face_clearance", "face_points", "faces_maybe_short", "push_faces_out"]
