"""Loose cloth below the chest keeps its own girth on a body smaller than the one it was made on.

Moving a garment by the displacement of the skin (``garments.transfer``) draws its cloth in with a smaller
body: on a body of chest 80, waist 62, hip 86 cm the crew tee S's hem (101.9 cm at rest) is laid round
92.0 cm, so it tucks in under cloth that still stands off the bust and the tee balloons. The solver lets
cloth shorten freely (woven and knitted cloth buckles instead of pushing back), so nothing would undo it.
A real garment's cloth keeps its length and hangs from the chest: ``hang_from_chest`` scales each
horizontal row of a top's or a dress's body (not its sleeves) below the body's chest back out to its rest
girth, about the row's own centre, fading in below the chest so the cloth above is left where it lies.
"""

from __future__ import annotations

import numpy as np

from .drape_constants import HANG_RAMP_M, HANG_ROW_M


def hull_girth(points: np.ndarray) -> float:
    """Perimeter of the convex hull of points seen from above (x, z), metres; 0 for fewer than 3."""
    from scipy.spatial import ConvexHull, QhullError

    if len(points) < 3:
        return 0.0
    try:
        return float(ConvexHull(points[:, [0, 2]]).area)  # a 2-D hull's "area" is its perimeter
    except QhullError:  # all in a line
        return 0.0


def hang_from_chest(placed: np.ndarray, rest: np.ndarray, body: np.ndarray, chest_y: float) -> np.ndarray:
    """Scale the rows of cloth below ``chest_y`` that the transfer drew in back out to their rest girth.

    Parameters
    ----------
    placed : (N, 3) float, metres; the garment transferred onto the body
    rest : (N, 3) float, metres; the garment at rest on the body it was made on
    body : (N,) bool; vertices of the garment's body (True) rather than its sleeves
    chest_y : height of the body's chest girth, metres

    Returns
    -------
    (N, 3) float, metres; a new array
    """
    out = placed.copy()
    rows = np.floor(rest[:, 1] / HANG_ROW_M).astype(np.int64)
    below = body & (placed[:, 1] < chest_y)
    for row in np.unique(rows[below]):
        members = np.nonzero(below & (rows == row))[0]
        have, want = hull_girth(placed[members]), hull_girth(rest[members])
        if have <= 0.0 or want <= have:
            continue
        centre = placed[members][:, [0, 2]].mean(axis=0)
        depth = chest_y - placed[members, 1]
        scale = 1.0 + (want / have - 1.0) * np.clip(depth / HANG_RAMP_M, 0.0, 1.0)
        out[members[:, None], [0, 2]] = centre + (placed[members][:, [0, 2]] - centre) * scale[:, None]
    return out
