"""Winding numbers of a closed triangle mesh around points, from vertical rays.

A ray cast from a point towards +z crosses the mesh's triangles; each crossing adds +1 or -1 by the sign
of the triangle's normal along z. The sum is the winding number of the mesh around the point: 0 outside,
1 inside an outward-oriented closed mesh, 2 where two parts of one mesh overlap (heavy thighs pressed into
each other, an arm sunk into the torso), and so on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Shift of the rays' (x, y) off the points', metres: far below any distance that matters.
COLUMN_JITTER_M = 1.234567e-7
# Side of the (x, y) cells triangles are bucketed by for ``winding_at``, metres: about a body triangle's
# projected width (4-5 mm); 8 mm cells made the probes near the thighs test twice as many triangles.
WINDING_CELL_M = 0.004


@dataclass(frozen=True, eq=False)
class ProjectedMesh:
    """A mesh's triangles ready for vertical rays: those whose (x, y) projection is not degenerate.

    Attributes
    ----------
    triangles : (F, 3, 3) float, metres
    area2 : (F,) float; twice each triangle's signed area projected on (x, y): its sign is the crossing's
    lo, hi : (F, 2) float, metres; each triangle's (x, y) bounding box
    """

    triangles: np.ndarray
    area2: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


def project_mesh(vertices: np.ndarray, faces: np.ndarray) -> ProjectedMesh:
    """``ProjectedMesh`` of a mesh ((V, 3) float metres, (F, 3) int), made once for many ray casts."""
    tri = np.asarray(vertices, dtype=np.float64)[np.asarray(faces, dtype=np.int64)]
    a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
    area2 = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    keep = np.abs(area2) > 1e-14
    tri = tri[keep]
    return ProjectedMesh(tri, area2[keep], tri[:, :, :2].min(axis=1), tri[:, :, :2].max(axis=1))


def _crossings(tri: np.ndarray, area2: np.ndarray, t: np.ndarray, px: np.ndarray, py: np.ndarray):
    """For pairs (triangle t, column (px, py)): whether the column passes through the triangle, and where.

    Returns
    -------
    hit : (k,) bool
    z : (k,) float, metres; the crossing height (meaningful where ``hit``)
    """
    A, B, C = tri[t, 0], tri[t, 1], tri[t, 2]
    det = area2[t]
    w1 = ((px - A[:, 0]) * (C[:, 1] - A[:, 1]) - (py - A[:, 1]) * (C[:, 0] - A[:, 0])) / det
    w2 = ((B[:, 0] - A[:, 0]) * (py - A[:, 1]) - (B[:, 1] - A[:, 1]) * (px - A[:, 0])) / det
    w0 = 1.0 - w1 - w2
    hit = (w0 >= 0) & (w1 >= 0) & (w2 >= 0)
    return hit, w0 * A[:, 2] + w1 * B[:, 2] + w2 * C[:, 2]


def _cell_pairs(lo: np.ndarray, hi: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (box, cell) pair of boxes given by inclusive integer cell bounds ``lo``, ``hi`` ((k, 2) int; a box
    with ``hi < lo`` covers no cell).

    Returns
    -------
    box : (m,) int; the box of each pair
    key : (m,) int; its cell as ``i * width + j``
    """
    ni, nj = np.maximum(hi[:, 0] - lo[:, 0] + 1, 0), np.maximum(hi[:, 1] - lo[:, 1] + 1, 0)
    counts = ni * nj
    box = np.repeat(np.arange(len(lo)), counts)
    local = np.arange(box.size) - np.repeat(np.cumsum(counts) - counts, counts)
    return box, (lo[box, 0] + local // nj[box]) * width + lo[box, 1] + local % nj[box]


def winding_on_grid(vertices: np.ndarray, faces: np.ndarray, origin: np.ndarray, h: float,
                    shape: tuple[int, int, int], mesh: ProjectedMesh | None = None) -> np.ndarray:
    """Winding number of the mesh around every point of a regular grid.

    Every triangle is rasterised onto the grid's (x, y) columns and adds its sign below its crossing
    height; a reverse cumulative sum along z gives every grid point the sum of the crossings above it.

    Parameters
    ----------
    vertices : (V, 3) float, metres
    faces : (F, 3) int
    origin : (3,) float, metres; grid point (0, 0, 0)
    h : float, metres between grid points
    shape : (nx, ny, nz)
    mesh : the mesh's ``project_mesh``, when the caller has it already

    Returns
    -------
    (nx, ny, nz) int16
    """
    nx, ny, nz = shape
    mesh = project_mesh(vertices, faces) if mesh is None else mesh
    tri, area2 = mesh.triangles, mesh.area2
    # Grid-index bounds of each triangle's (x, y) projection.
    lo = np.ceil((mesh.lo - origin[:2]) / h).astype(np.int64)
    hi = np.floor((mesh.hi - origin[:2]) / h).astype(np.int64)
    lo = np.maximum(lo, 0)
    hi = np.minimum(hi, [nx - 1, ny - 1])
    t, column = _cell_pairs(lo, hi, ny)
    hit, zc = _crossings(tri, area2, t, origin[0] + (column // ny) * h, origin[1] + (column % ny) * h)
    t, column, zc = t[hit], column[hit], zc[hit]
    sign = np.sign(area2[t])
    # A crossing at height zc is above grid points k < kk, with kk = number of grid z values below zc.
    kk = np.clip(np.ceil((zc - origin[2]) / h).astype(np.int64), 0, nz)
    flat = column * (nz + 1) + kk  # np.add.at is many times slower than bincount on these
    counts3 = np.bincount(flat, weights=sign, minlength=nx * ny * (nz + 1)).astype(np.int16).reshape(nx, ny, nz + 1)
    # winding[k] = sum of signs with kk > k: the column's whole sum less the sum up to k (a forward sum in
    # int16 is a third of the time of a reversed one, which numpy sums in int64).
    below = np.cumsum(counts3, axis=2, dtype=np.int16)
    return below[:, :, -1:] - below[:, :, :-1]


@dataclass(frozen=True, eq=False)
class ColumnIndex:
    """A mesh's triangles bucketed by the (x, y) cells their projections' bounding boxes cover.

    Attributes
    ----------
    origin : (2,) float, metres; corner of cell (0, 0)
    cell : float, metres; the cells' side
    shape : (2,) int; cells along x and y
    keys : (m,) int, sorted; the cell ``i * shape[1] + j`` of each (triangle, cell) pair
    triangles : (m,) int; the triangle of each pair
    """

    origin: np.ndarray
    cell: float
    shape: tuple[int, int]
    keys: np.ndarray
    triangles: np.ndarray


def column_index(mesh: ProjectedMesh, cell: float = WINDING_CELL_M) -> ColumnIndex:
    """``ColumnIndex`` of a projected mesh, made once for many ``winding_at`` calls on it."""
    origin = mesh.lo.min(axis=0) - cell
    lo = np.floor((mesh.lo - origin) / cell).astype(np.int64)
    hi = np.floor((mesh.hi - origin) / cell).astype(np.int64)
    shape = (int(hi[:, 0].max()) + 1, int(hi[:, 1].max()) + 1)
    tri, key = _cell_pairs(lo, hi, shape[1])
    order = np.argsort(key)
    return ColumnIndex(origin, float(cell), shape, key[order], tri[order])


def winding_at(points: np.ndarray, mesh: ProjectedMesh, index: ColumnIndex | None = None) -> np.ndarray:
    """Winding number of the mesh around each point.

    Each point is tested only against the triangles bucketed in its (x, y) cell, so the cost grows with
    the points and the triangles over them, not with the mesh: many small calls on one mesh share one index.

    Parameters
    ----------
    points : (n, 3) float, metres
    mesh : the mesh, from ``project_mesh``
    index : its triangles by cell, from ``column_index`` (made here when not given)

    Returns
    -------
    (n,) int
    """
    if index is None:
        index = column_index(mesh)
    # Columns are moved off the mesh's exact coordinates by far less than a micrometre, so that a point on a
    # symmetric body's midline does not send its ray along the edges there (counted twice or not at all).
    points = np.asarray(points, dtype=np.float64) + np.array([COLUMN_JITTER_M, 0.6180339 * COLUMN_JITTER_M, 0.0])
    if len(points) == 0:
        return np.zeros(0, dtype=np.int64)
    pc = np.floor((points[:, :2] - index.origin) / index.cell).astype(np.int64)
    over = np.flatnonzero((pc >= 0).all(axis=1) & (pc[:, 0] < index.shape[0]) & (pc[:, 1] < index.shape[1]))
    key = pc[over, 0] * index.shape[1] + pc[over, 1]
    first = np.searchsorted(index.keys, key, side="left")
    many = np.searchsorted(index.keys, key, side="right") - first
    p = np.repeat(over, many)
    t = index.triangles[np.repeat(first, many) + np.arange(p.size) - np.repeat(np.cumsum(many) - many, many)]
    higher = mesh.triangles[t, :, 2].max(axis=1) > points[p, 2]  # a triangle wholly below a point is not crossed
    t, p = t[higher], p[higher]
    hit, zc = _crossings(mesh.triangles, mesh.area2, t, points[p, 0], points[p, 1])
    above = hit & (zc > points[p, 2])
    return np.bincount(p[above], np.sign(mesh.area2[t[above]]), len(points)).round().astype(np.int64)


__all__ = ["ColumnIndex", "ProjectedMesh", "column_index", "project_mesh", "winding_at", "winding_on_grid"]
