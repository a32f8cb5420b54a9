"""Closest points on triangles and distances to them, pairwise and vectorised."""

from __future__ import annotations

import numpy as np

from .drape_constants import DEGENERATE_GRAM


def closest_points_on_triangles(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Closest point on each triangle to each point (pairwise; Ericson's region tests, vectorised).

    Parameters
    ----------
    points : (n, 3) float
    triangles : (n, 3, 3) float

    Returns
    -------
    (n, 3) float
    """
    a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]
    p = points
    ab, ac, ap = b - a, c - a, p - a
    d1 = np.einsum("ij,ij->i", ab, ap)
    d2 = np.einsum("ij,ij->i", ac, ap)
    bp = p - b
    d3 = np.einsum("ij,ij->i", ab, bp)
    d4 = np.einsum("ij,ij->i", ac, bp)
    cp = p - c
    d5 = np.einsum("ij,ij->i", ab, cp)
    d6 = np.einsum("ij,ij->i", ac, cp)
    va = d3 * d6 - d5 * d4
    vb = d5 * d2 - d1 * d6
    vc = d1 * d4 - d3 * d2
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1.0 / (va + vb + vc)
        v = vb * denom
        w = vc * denom
        result = a + ab * v[:, None] + ac * w[:, None]
        # Edge regions.
        t_ab = d1 / (d1 - d3)
        m = (vc <= 0) & (d1 >= 0) & (d3 <= 0)
        result[m] = a[m] + ab[m] * t_ab[m, None]
        t_ac = d2 / (d2 - d6)
        m = (vb <= 0) & (d2 >= 0) & (d6 <= 0)
        result[m] = a[m] + ac[m] * t_ac[m, None]
        t_bc = (d4 - d3) / ((d4 - d3) + (d5 - d6))
        m = (va <= 0) & ((d4 - d3) >= 0) & ((d5 - d6) >= 0)
        result[m] = b[m] + (c[m] - b[m]) * t_bc[m, None]
    # Vertex regions.
    m = (d1 <= 0) & (d2 <= 0)
    result[m] = a[m]
    m = (d3 >= 0) & (d4 <= d3)
    result[m] = b[m]
    m = (d6 >= 0) & (d5 <= d6)
    result[m] = c[m]
    bad = ~np.isfinite(result).all(axis=1)
    if bad.any():  # degenerate triangles: fall back to the nearest corner
        corners = triangles[bad]
        k = np.argmin(np.linalg.norm(corners - p[bad, None, :], axis=2), axis=1)
        result[bad] = corners[np.arange(len(k)), k]
    return result


def triangle_frames(triangles: np.ndarray) -> np.ndarray:
    """What ``distance_to_frames`` needs of each triangle, computed once for many points.

    Parameters
    ----------
    triangles : (F, 3, 3) float, metres; corners a, b, c

    Returns
    -------
    (14, F) float64, one row per quantity (rows gather faster than columns): a (3), b - a (3), c - a (3), then
    the Gram entries |b-a|², (b-a)·(c-a), |c-a|² and |c-b|² (metres²); the last row is 1 / det of the Gram
    matrix (0 for a degenerate triangle)
    """
    tri = np.asarray(triangles, dtype=np.float64)
    a, e0, e1 = tri[:, 0], tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    g00, g01, g11 = (e0 * e0).sum(axis=1), (e0 * e1).sum(axis=1), (e1 * e1).sum(axis=1)
    det = g00 * g11 - g01 * g01
    with np.errstate(divide="ignore"):
        inverse = np.where(det > DEGENERATE_GRAM * np.maximum(g00 * g11, 1e-300), 1.0 / det, 0.0)
    return np.vstack([a.T, e0.T, e1.T, g00, g01, g11, g00 - 2.0 * g01 + g11, inverse])


def distance_to_frames(points: np.ndarray, frames: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Distance from each point to one triangle, by its frame (``triangle_frames``).

    The point's projection on the triangle's plane when it falls inside the triangle, else the nearest of
    the three edges: two dot products per point and the rest on scalars, about half the work of finding
    the closest point itself (``closest_points_on_triangles``).

    Parameters
    ----------
    points : (n, 3) float, metres
    frames : (14, F) float64, from ``triangle_frames``
    which : (n,) int; the triangle of each point

    Returns
    -------
    (n,) float64, metres
    """
    ax, ay, az, e0x, e0y, e0z, e1x, e1y, e1z, g00, g01, g11, g22, inverse = (np.take(row, which) for row in frames)
    points = np.asarray(points, dtype=np.float64)
    vx, vy, vz = points[:, 0] - ax, points[:, 1] - ay, points[:, 2] - az
    d1 = e0x * vx + e0y * vy + e0z * vz
    d2 = e1x * vx + e1y * vy + e1z * vz
    vv = vx * vx + vy * vy + vz * vz
    s = (g11 * d1 - g01 * d2) * inverse
    t = (g00 * d2 - g01 * d1) * inverse
    face = (s >= 0.0) & (t >= 0.0) & (s + t <= 1.0) & (inverse > 0.0)
    squared = vv - s * d1 - t * d2  # |v - (s e0 + t e1)|² at the projection
    edge = ~face
    if edge.any():
        d1, d2, vv, g00, g01, g11, g22 = (x[edge] for x in (d1, d2, vv, g00, g01, g11, g22))
        tiny = np.finfo(np.float64).tiny

        def segment(dot, length2, start2):  # squared distance to start + u e, u in [0, 1]
            u = np.clip(dot / np.maximum(length2, tiny), 0.0, 1.0)
            return start2 - 2.0 * u * dot + u * u * length2

        # Edge b -> c starts at v - e0 and runs along e1 - e0.
        bc = segment(d2 - d1 - g01 + g00, g22, vv - 2.0 * d1 + g00)
        squared[edge] = np.minimum(np.minimum(segment(d1, g00, vv), segment(d2, g11, vv)), bc)
    return np.sqrt(np.maximum(squared, 0.0))


def distance_to_triangles(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Distance from each point to its triangle (pairwise).

    Parameters
    ----------
    points : (n, 3) float, metres
    triangles : (n, 3, 3) float, metres

    Returns
    -------
    (n,) float64, metres
    """
    return distance_to_frames(points, triangle_frames(triangles), np.arange(len(points)))
