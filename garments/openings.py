"""A neck opening keeps its length on a body bigger than the one it was made on.

Moving a garment by the displacement of the skin (``garments.transfer``) carries its neckline out with the
base of the neck: on a body of chest 120, waist 110, hip 125 cm the crew tee's binding (53.9 cm at rest)
is laid round 75.4 cm of skin, 40 % longer, more than any knit binding gives, and the solver then pulls it
back against the shoulders into a crease. A real neckline that short slides up the neck, which narrows
upwards, until it goes round. ``fit_neck_openings`` does that before the cloth relaxes: it shrinks the
opening towards its rest length about its own centre, lifts it up the neck as far as it must to clear the
skin, and carries the cloth around it along with a smooth fall-off, so the band keeps its shape.
"""

from __future__ import annotations

import numpy as np

from .drape_constants import (BODY_CLEARANCE_M, NECK_MAX_LIFT_M, NECK_OPENING_FALLOFF_M, NECK_OPENING_REACH_M,
                              NECK_SEAT_ROUNDS)
from .patterns import boundary_loops, smooth_loop


def loop_length(points: np.ndarray) -> float:
    """Length of a closed polyline, metres; ``points`` (n, 3) in order."""
    return float(np.linalg.norm(points - np.roll(points, 1, axis=0), axis=1).sum())


def neck_loops(faces: np.ndarray, placed: np.ndarray, neck: np.ndarray) -> list[np.ndarray]:
    """The garment's open loops round the neck: those whose centre is within reach of the neck joint.

    Parameters
    ----------
    faces : (F, 3) int
    placed : (N, 3) float, metres; the garment on the body
    neck : (3,) float, metres; the body's neck joint

    Returns
    -------
    list of (k,) int vertex loops
    """
    return [loop for loop in boundary_loops(faces)
            if np.linalg.norm(placed[loop].mean(axis=0) - neck) <= NECK_OPENING_REACH_M]


def seat_opening(ring: np.ndarray, rest_length: float, sdf) -> np.ndarray:
    """Where an opening of ``rest_length`` comes to rest on the skin: shrunk to that length about its centre
    and pushed back out of the skin, in rounds, so that it slides up the slope of the neck's base to where it
    goes round (or, on a neck thicker than the opening, hugs the neck as tight as the skin lets it).

    Parameters
    ----------
    ring : (k, 3) float, metres; the opening as transferred, in order
    rest_length : metres
    sdf : garments.sdf.SignedDistanceField of the body

    Returns
    -------
    (k, 3) float, metres
    """
    start = ring
    for _ in range(NECK_SEAT_ROUNDS):
        length = loop_length(ring)
        if length <= rest_length:
            break
        centre = ring.mean(axis=0)
        shrunk = centre + (ring - centre) * (rest_length / length)
        ring = smooth_loop(sdf.project_out(shrunk, BODY_CLEARANCE_M)[0], iterations=2)
        lift = np.linalg.norm(ring - start, axis=1).max()
        if lift > NECK_MAX_LIFT_M:  # a band that would have to climb the neck stays where it got to
            ring = start + (ring - start) * (NECK_MAX_LIFT_M / lift)
            break
    return sdf.project_out(ring, BODY_CLEARANCE_M)[0]


def fit_neck_openings(placed: np.ndarray, rest: np.ndarray, faces: np.ndarray, avatar, sdf,
                      stretch: float) -> np.ndarray:
    """Seat every neck opening that the transfer stretched beyond ``stretch`` (see the module's docstring).

    Parameters
    ----------
    placed : (N, 3) float, metres; the garment transferred onto ``avatar``
    rest : (N, 3) float, metres; the garment at rest (its own lengths)
    faces : (F, 3) int
    avatar : avatar.avatar.Avatar; its ``joints`` give the neck
    sdf : garments.sdf.SignedDistanceField of the avatar
    stretch : fraction the fabric gives

    Returns
    -------
    (N, 3) float, metres; ``placed`` with the openings and the cloth round them moved
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    neck = np.asarray(avatar.joints["neck"], float)
    moves, sources = [], []
    for loop in neck_loops(faces, placed, neck):
        rest_length = loop_length(rest[loop])
        if loop_length(placed[loop]) <= rest_length * (1.0 + stretch):
            continue
        moves.append(seat_opening(placed[loop], rest_length, sdf) - placed[loop])
        sources.append(loop)
    if not sources:
        return placed
    source = np.concatenate(sources)
    move = np.concatenate(moves)
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    weight = np.linalg.norm(rest[edges[:, 0]] - rest[edges[:, 1]], axis=1) + 1e-9
    graph = coo_matrix((weight, (edges[:, 0], edges[:, 1])), shape=(len(rest), len(rest))).tocsr()
    distance, _, nearest = dijkstra(graph, directed=False, indices=source, min_only=True,
                                    return_predecessors=True, limit=NECK_OPENING_FALLOFF_M)
    reached = np.isfinite(distance)
    share = np.zeros(len(rest))
    share[reached] = 0.5 * (1.0 + np.cos(np.pi * distance[reached] / NECK_OPENING_FALLOFF_M))
    row_of = np.full(len(rest), -1)
    row_of[source] = np.arange(len(source))
    out = placed.copy()
    out[reached] += share[reached, None] * move[row_of[nearest[reached]]]
    return out
