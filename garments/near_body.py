"""Which cloth vertices may be touching the body: the field's look-ups skipped for cloth known to be far.

A grid field's readings change by at most ``FIELD_SLOPE_BOUND`` per metre moved (outside its rough
cells, see ``rough_box``), so a vertex that read distance ``d`` and has moved ``s`` since reads at
least ``d - FIELD_SLOPE_BOUND * s``: while that stays beyond the contact reach it cannot be touching and
is not looked up. Only a vertex it cannot rule out is read again, so the contacts are the same as with a
reading of every vertex; on a T-shirt most of the cloth hangs a centimetre or more off the skin and is
read every few iterations instead of every one.
"""
from __future__ import annotations

import numpy as np

from .drape_constants import FIELD_SLOPE_BOUND


def _pairs_max(a: np.ndarray, axis: int) -> np.ndarray:
    """Elementwise max of neighbours along ``axis`` (one shorter there)."""
    lo = [slice(None)] * 3
    hi = [slice(None)] * 3
    lo[axis], hi[axis] = slice(None, -1), slice(1, None)
    return np.maximum(a[tuple(lo)], a[tuple(hi)])


def rough_box(values: np.ndarray, origin: np.ndarray, spacing: float) -> np.ndarray | None:
    """Bounds of the grid cells outside the body where ``FIELD_SLOPE_BOUND`` may not hold.

    Within a cell the trilinear reading's slope along an axis is a blend of the differences along the
    cell's four edges on that axis, so where no edge of a cell differs by more than ``FIELD_SLOPE_BOUND /
    sqrt(3)`` of its length, readings in it change by at most ``FIELD_SLOPE_BOUND`` per metre. Only cells
    with a corner outside the body count: cloth that read outside and has moved within the bound since
    never reads inside, so it never enters a cell whose corners are all inside.

    Parameters
    ----------
    values : (nx, ny, nz) float, metres; a field's grid
    origin : (3,) float, metres; grid point (0, 0, 0)
    spacing : float, metres

    Returns
    -------
    (2, 3) float, metres: lower and upper corner of the rough cells, widened by two cells (cloth outside it
    is read again before it moves a cell); None when no cell is rough
    """
    limit = np.float32(FIELD_SLOPE_BOUND / np.sqrt(3.0) * spacing)
    outside = _pairs_max(_pairs_max(_pairs_max(values, 0), 1), 2) > 0  # (nx-1, ny-1, nz-1): a corner outside
    rough = np.zeros(outside.shape, dtype=bool)
    for axis in range(3):
        step = np.abs(np.diff(values, axis=axis))
        for other in range(3):
            if other != axis:
                step = _pairs_max(step, other)
        rough |= step > limit
    cells = np.argwhere(rough & outside)
    if not len(cells):
        return None
    widen = 2.0 * spacing
    return np.stack([origin + cells.min(axis=0) * spacing - widen, origin + (cells.max(axis=0) + 1) * spacing + widen])


class NearBody:
    """The field's last reading of every cloth vertex and where the vertex was then.

    Parameters
    ----------
    n : number of cloth vertices
    reach : metres; a vertex reading less than this is touching (clearance plus slack)
    slope : the field's ``slope_bound`` (None: no bound, every vertex is read every time)
    box : the field's ``rough_box`` (vertices inside it are read every time), or None
    """

    def __init__(self, n: int, reach: float, slope: float | None, box: np.ndarray | None):
        self.reach = float(reach)
        self.slope = slope
        self.box = box
        self.known = np.full(n, -np.inf)  # never read: must be read
        self.where = np.zeros((n, 3))

    def to_read(self, x: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
        """Indices of the vertices that may be within ``reach`` (and those in ``keep``, (N,) bool), sorted."""
        if self.slope is None:
            return np.arange(len(x))
        moved = np.sqrt(np.einsum("ij,ij->i", x - self.where, x - self.where))
        maybe = self.known - self.slope * moved < self.reach
        if keep is not None:
            maybe |= keep
        if self.box is not None:
            maybe |= ((x > self.box[0]) & (x < self.box[1])).all(axis=1)
        return np.flatnonzero(maybe)

    def read(self, index: np.ndarray, x: np.ndarray, distance: np.ndarray) -> None:
        """Remember the readings ``distance`` (k,) of vertices ``index`` at positions ``x`` (k, 3)."""
        self.known[index] = distance
        self.where[index] = x
