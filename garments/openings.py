"""A garment's neck opening and hem keep their length, and a waistband its shape, when it is moved onto another body.

Moving a garment by the displacement of the skin (``garments.transfer``) stretches and shrinks its openings
with the body, which real cloth does not do:

* On a bigger body the neckline is carried out with the base of the neck: on a body of chest 120, waist
  110, hip 125 cm the crew tee's binding (53.9 cm at rest) is laid round 75.4 cm of skin, 40 % longer than
  any knit binding gives, and the solver then pulls it back against the shoulders into a crease. A real
  neckline that short slides up the neck, which narrows upwards, until it goes round: ``fit_neck_openings``.
* On a smaller body the hem of a top or a dress is drawn in with the hips: on a body of chest 80, waist 62,
  hip 86 cm the crew tee S's hem (101.9 cm at rest) is laid round 92.0 cm, so it tucks in under cloth that
  still stands off the bust and the tee balloons (the solver lets cloth shorten freely, so nothing undoes
  it). A real hem keeps its length and hangs: ``hang_hems``.
* The waistband of a bottom is carried by the skin under each of its vertices, and round the front of the
  hips that skin moves with the thighs and the belly: on a body of stature 144, waist 87, hip 91 cm the
  cotton shorts' band comes out tilted down 18 % towards the front and waved 8 mm up and down about that
  (4.3 cm between its highest and lowest points), so its top edge runs steeply down the flanks and the
  skin just above it is seen in front of the band behind. A real band is stiff and goes round level:
  ``level_waistband``.

Either way the cloth round the opening follows it with a smooth fall-off along the cloth, so bands and
hems keep their shape.
"""

from __future__ import annotations

import numpy as np

from .array_cache import ArrayCache, array_key
from .drape_constants import (BODY_CLEARANCE_M, HEM_AXIS_REACH_M, HEM_FALLOFF_M, NECK_MAX_LIFT_M, NECK_OPENING_FALLOFF_M,
                              NECK_OPENING_REACH_M, NECK_SEAT_ROUNDS, WAISTBAND_FALLOFF_M, WAISTBAND_HOLD_M)
from .mesh_ops import boundary_loops, loop_length, smooth_loop


_LOOPS: ArrayCache[tuple[np.ndarray, ...]] = ArrayCache(32)
_REACH: ArrayCache[tuple[np.ndarray, np.ndarray]] = ArrayCache(64)


def open_loops(faces: np.ndarray) -> tuple[np.ndarray, ...]:
    """``mesh_ops.boundary_loops`` of a garment's faces, remembered by the faces (a garment size finds its
    openings once, not on every drape)."""
    faces = np.asarray(faces, np.int64)
    return _LOOPS.get(array_key(faces), lambda: tuple(_frozen(loop) for loop in boundary_loops(faces)))


def _frozen(a: np.ndarray) -> np.ndarray:
    """``a`` made read-only: a cached array is shared by every drape."""
    a.flags.writeable = False
    return a


def _reach(rest: np.ndarray, faces: np.ndarray, source: np.ndarray, falloff: float) -> tuple[np.ndarray, np.ndarray]:
    """Distance along the cloth's rest edges to the nearest of ``source`` (inf beyond ``falloff``) and which one
    it is, for every vertex: (N,) float metres, (N,) int. Remembered per garment and set of loops."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    def build():
        edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
        weight = np.linalg.norm(rest[edges[:, 0]] - rest[edges[:, 1]], axis=1) + 1e-9
        graph = coo_matrix((weight, (edges[:, 0], edges[:, 1])), shape=(len(rest), len(rest))).tocsr()
        distance, _, nearest = dijkstra(graph, directed=False, indices=source, min_only=True,
                                        return_predecessors=True, limit=falloff)
        return _frozen(distance), _frozen(nearest)

    key = array_key(np.asarray(rest, np.float64), np.asarray(faces, np.int64), np.asarray(source, np.int64),
                    float(falloff))
    return _REACH.get(key, build)


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


def carry_loops(placed: np.ndarray, rest: np.ndarray, faces: np.ndarray, loops: list[np.ndarray],
                moves: list[np.ndarray], falloff: float, hold: float = 0.0) -> np.ndarray:
    """Move loops of a garment and the cloth round them: each vertex by the move of its nearest loop vertex
    (along the cloth's rest edges), in full up to ``hold`` from the loop and fading smoothly (a half cosine)
    to nothing ``falloff`` beyond that.

    Parameters
    ----------
    placed, rest : (N, 3) float, metres; the garment on the body, and at rest (for lengths along the cloth)
    faces : (F, 3) int
    loops : list of (k,) int vertex loops
    moves : list of (k, 3) float, metres; each loop's move
    falloff : metres
    hold : metres along the cloth moved with the loop in full (a stiff band)

    Returns
    -------
    (N, 3) float, metres; a new array
    """
    if not loops:
        return placed.copy()
    source, move = np.concatenate(loops), np.concatenate(moves)
    distance, nearest = _reach(rest, faces, source, hold + falloff)
    reached = np.isfinite(distance)
    share = 0.5 * (1.0 + np.cos(np.pi * np.maximum(distance[reached] - hold, 0.0) / falloff))
    row_of = np.full(len(rest), -1)
    row_of[source] = np.arange(len(source))
    out = placed.copy()
    out[reached] += share[:, None] * move[row_of[nearest[reached]]]
    return out


def fit_neck_openings(placed: np.ndarray, rest: np.ndarray, faces: np.ndarray, neck: np.ndarray, sdf,
                      stretch: float) -> np.ndarray:
    """Seat every neck opening (an open loop centred within ``NECK_OPENING_REACH_M`` of the neck joint) that
    the transfer stretched beyond ``stretch``; see the module's docstring.

    Parameters
    ----------
    placed : (N, 3) float, metres; the garment transferred onto the body
    rest : (N, 3) float, metres; the garment at rest (its own lengths)
    faces : (F, 3) int
    neck : (3,) float, metres; the body's neck joint
    sdf : garments.sdf.SignedDistanceField of the body
    stretch : fraction the fabric gives

    Returns
    -------
    (N, 3) float, metres
    """
    loops, moves = [], []
    for loop in open_loops(faces):
        if np.linalg.norm(placed[loop].mean(axis=0) - neck) > NECK_OPENING_REACH_M:
            continue
        rest_length = loop_length(rest[loop])
        if loop_length(placed[loop]) > rest_length * (1.0 + stretch):
            loops.append(loop)
            moves.append(seat_opening(placed[loop], rest_length, sdf) - placed[loop])
    return carry_loops(placed, rest, faces, loops, moves, NECK_OPENING_FALLOFF_M)


def hang_hems(placed: np.ndarray, rest: np.ndarray, faces: np.ndarray, chest_y: float,
              axis: np.ndarray) -> np.ndarray:
    """Give back their rest length to the hems (open loops lying wholly below the body's chest and going
    round its trunk, not a sleeve's cuff) that the transfer drew in, widening each about its own vertical
    axis; see the module's docstring.

    Parameters
    ----------
    placed, rest, faces : as for ``fit_neck_openings``
    chest_y : height of the body's chest girth, metres
    axis : (3,) float, metres; a point on the body's vertical axis (its root joint)

    Returns
    -------
    (N, 3) float, metres
    """
    loops, moves = [], []
    for loop in open_loops(faces):
        ring = placed[loop]
        centre = ring.mean(axis=0)
        if ring[:, 1].max() >= chest_y or np.hypot(*(centre - axis)[[0, 2]]) > HEM_AXIS_REACH_M:
            continue
        length, rest_length = loop_length(ring), loop_length(rest[loop])
        if length < rest_length:
            widened = ring.copy()
            widened[:, [0, 2]] = centre[[0, 2]] + (ring[:, [0, 2]] - centre[[0, 2]]) * (rest_length / length)
            loops.append(loop)
            moves.append(widened - ring)
    return carry_loops(placed, rest, faces, loops, moves, HEM_FALLOFF_M)



def level_waistband(placed: np.ndarray, rest: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Give a bottom's waistband (its highest open loop; the others are leg or skirt hems) its rest shape
    back: every vertex of the loop rises or drops to the loop's mean rise from rest, and the band
    (``WAISTBAND_HOLD_M`` of cloth from the loop) moves with it in full, the cloth below less and less; see
    the module's docstring.

    Parameters
    ----------
    placed, rest : (N, 3) float, metres; the garment transferred onto the body, and at rest
    faces : (F, 3) int

    Returns
    -------
    (N, 3) float, metres
    """
    loops = open_loops(faces)
    if not loops:
        return placed.copy()
    loop = max(loops, key=lambda lp: rest[lp, 1].mean())
    rise = placed[loop, 1] - rest[loop, 1]
    move = np.zeros((len(loop), 3))
    move[:, 1] = rise.mean() - rise
    return carry_loops(placed, rest, faces, [loop], [move], WAISTBAND_FALLOFF_M, hold=WAISTBAND_HOLD_M)

