"""Whether a mesh is clothing worn around the body, before it is registered on one (see ``registration``)."""

from __future__ import annotations

import numpy as np

from .errors import GarmentImportError
from .registration_constants import CLOSED_TOP_FRACTION, MAX_DEPTH_TO_WIDTH


def check_wearable(v: np.ndarray, faces: np.ndarray, name: str) -> None:
    """Refuse meshes that are not worn around the body: deeper than wide (a shoe) or closed on top (a hat).

    Parameters
    ----------
    v : (n, 3) float, metres, Y up, facing +Z
    faces : (m, 3) int
    name : the file's name, for the message
    """
    ext = np.ptp(v, axis=0)
    if ext[2] > MAX_DEPTH_TO_WIDTH * ext[0]:
        raise GarmentImportError(f"{name} cannot be registered on a body: it is deeper front to back than it is "
                                 "wide, like a shoe, not clothing worn around the body; import tops, bottoms "
                                 "and dresses")
    if _closed_on_axis(v, faces):
        raise GarmentImportError(f"{name} cannot be registered on a body: it is closed at the top, like a hat or "
                                 "a solid object, where clothing has a collar or waistband; import tops, "
                                 "bottoms and dresses")


def _closed_on_axis(v: np.ndarray, faces: np.ndarray) -> bool:
    """Whether a vertical line through the garment's top opening meets its upper cloth (faces above
    ``CLOSED_TOP_FRACTION`` of its height)."""
    y0, y1 = v[:, 1].min(), v[:, 1].max()
    high = v[:, 1] > y0 + CLOSED_TOP_FRACTION * (y1 - y0)
    centre = 0.5 * (v[high][:, [0, 2]].min(axis=0) + v[high][:, [0, 2]].max(axis=0))
    tri = v[faces][:, :, [0, 2]]
    upper = high[faces].all(axis=1)
    a, b, c = tri[upper, 0], tri[upper, 1], tri[upper, 2]
    d = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
    ok = np.abs(d) > 1e-12
    p = centre
    l1 = ((b[:, 1] - c[:, 1]) * (p[0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (p[1] - c[:, 1]))[ok] / d[ok]
    l2 = ((c[:, 1] - a[:, 1]) * (p[0] - c[:, 0]) + (a[:, 0] - c[:, 0]) * (p[1] - c[:, 1]))[ok] / d[ok]
    return bool(np.any((l1 >= 0) & (l2 >= 0) & (l1 + l2 <= 1)))


__all__ = ["check_wearable"]
