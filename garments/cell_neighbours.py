"""The nearest skin vertices of points, looked up once per small cell of space and kept.

Cloth being settled moves a few millimetres per solver iteration, so the points a field is read at fall
into the same cells again and again: a cell's nearest vertices (to its centre) are found once by the k-d
tree and then read from a grid of cells over the vertices' box, one gather per point instead of a tree
query. Points beyond the grid are asked of the tree.
"""

from __future__ import annotations

import threading

import numpy as np


class CellNeighbours:
    """The ``k`` nearest of a fixed set of vertices to points, by the cell each point falls in."""

    def __init__(self, vertices: np.ndarray, k: int, cell: float, margin: float):
        """
        Parameters
        ----------
        vertices : (S, 3) float, metres
        k : neighbours per point
        cell : float, metres; edge of a cell (a point's neighbours are its cell centre's, so they are
            off by at most half a cell's diagonal)
        margin : float, metres; the grid reaches this far beyond the vertices' box
        """
        from scipy.spatial import cKDTree

        vertices = np.asarray(vertices, dtype=np.float64)
        self._tree = cKDTree(vertices)
        self._k, self._cell = int(k), float(cell)
        self._origin = vertices.min(axis=0) - margin
        self._shape = np.ceil((vertices.max(axis=0) + margin - self._origin) / cell).astype(np.int64) + 1
        # cell -> 1 + its row of the table, 0 while unknown: zeros, so only the pages of cells asked take memory
        self._row = np.zeros(int(np.prod(self._shape)), dtype=np.int32)
        self._table = np.empty((1024, self._k), dtype=np.int32)
        self._rows = 0
        self._lock = threading.Lock()

    def query(self, points: np.ndarray) -> np.ndarray:
        """(n, k) int: the indices of the vertices nearest to each point's cell centre, nearest first
        (nearest to the point itself beyond the grid).

        Parameters
        ----------
        points : (n, 3) float, metres
        """
        points = np.asarray(points, dtype=np.float64)
        cells = np.floor((points - self._origin) / self._cell).astype(np.int64)
        inside = ((cells >= 0) & (cells < self._shape)).all(axis=1)
        out = np.empty((len(points), self._k), dtype=np.int64)
        if not inside.all():
            _, nearest = self._tree.query(points[~inside], k=self._k)
            out[~inside] = np.asarray(nearest).reshape(-1, self._k)
        flat = np.ravel_multi_index(cells[inside].T, self._shape)
        with self._lock:
            row = self._row[flat]
            if (row == 0).any():
                self._add(np.unique(flat[row == 0]))
                row = self._row[flat]
            out[inside] = self._table[row - 1]
        return out

    def _add(self, flat: np.ndarray) -> None:
        """Ask the tree for the cells ``flat`` (flat indices, new) and keep them."""
        centres = (np.stack(np.unravel_index(flat, self._shape), axis=1) + 0.5) * self._cell + self._origin
        _, nearest = self._tree.query(centres, k=self._k)
        end = self._rows + len(flat)
        if end > len(self._table):
            grown = np.empty((max(end, 2 * len(self._table)), self._k), dtype=np.int32)
            grown[:self._rows] = self._table[:self._rows]
            self._table = grown
        self._table[self._rows:end] = np.asarray(nearest).reshape(-1, self._k)
        self._row[flat] = np.arange(self._rows + 1, end + 1, dtype=np.int32)
        self._rows = end


__all__ = ["CellNeighbours"]
