"""Signed distance field of a closed mesh on a regular grid: built once per body, read by trilinear lookups.

The grid is built without per-point mesh queries over the whole volume:

* the sign comes from ray winding numbers: every triangle is rasterised onto the grid's (x, y) columns
  and adds +1 or -1 (by the sign of its normal's z) below its crossing height; a reverse cumulative sum
  along z gives each grid point the winding number of the mesh around it (robust to closed parts nested
  inside the body, such as eyes);
* the magnitude is exact (point to triangle) in a band around the surface and inside the body, using
  dense surface samples in a k-d tree to pick each point's closest triangle; beyond the band outside,
  values saturate at the band width.

Lookups and gradients per iteration are then a few gathers and multiply-adds per point.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .drape_constants import SDF_BAND_M, SDF_MARGIN_M, SDF_SPACING_M

# Grid cells inside the surface whose distance is computed exactly (deeper ones by a distance transform).
INSIDE_EXACT_CELLS = 3


@dataclass(frozen=True, eq=False)
class SignedDistanceField:
    """A signed distance field sampled on a regular grid; negative inside.

    Attributes
    ----------
    origin : (3,) float, metres; position of grid point (0, 0, 0)
    spacing : float, metres between grid points
    values : (nx, ny, nz) float32, metres; signed distance at grid points, saturating at ``band`` outside
    band : float, metres
    """

    origin: np.ndarray
    spacing: float
    values: np.ndarray
    band: float

    @cached_property
    def _table(self) -> np.ndarray:
        """(nx * ny * nz, 4) float32: distance and its central-difference gradient at every grid point.

        Interpolating a gradient sampled at the grid points gives normals that vary continuously, unlike
        the derivative of the trilinear interpolant, which jumps from cell to cell and would shake cloth
        sliding over the skin.
        """
        grad = np.gradient(self.values, self.spacing)
        table = np.empty(self.values.shape + (4,), dtype=np.float32)
        table[..., 0] = self.values
        for axis in range(3):
            table[..., axis + 1] = grad[axis]
        return table.reshape(-1, 4)

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.values.shape

    def _interpolate(self, points: np.ndarray, columns: slice) -> np.ndarray:
        """Trilinear interpolation of table columns at points (clamped to the grid), (n, k)."""
        nx, ny, nz = self.values.shape
        g = (np.asarray(points, dtype=np.float64) - self.origin) / self.spacing
        g = np.clip(g, 0.0, np.array([nx - 1.000001, ny - 1.000001, nz - 1.000001]))
        i = g.astype(np.int64)
        f = g - i
        base = (i[:, 0] * ny + i[:, 1]) * nz + i[:, 2]
        offsets = np.array([0, 1, nz, nz + 1, ny * nz, ny * nz + 1, ny * nz + nz, ny * nz + nz + 1])
        # np.take gathers whole rows far faster than fancy indexing with a column slice.
        corners = np.take(self._table, (base[:, None] + offsets[None, :]).reshape(-1), axis=0)
        corners = corners.reshape(len(base), 8, 4)[:, :, columns]  # (n, 8, k), corner bits x, y, z
        # Trilinear weights of the corners (corner bits x, y, z: index 4x + 2y + z).
        f = f.astype(np.float32)
        fx, fy, fz = f[:, 0], f[:, 1], f[:, 2]
        gx, gy, gz = 1.0 - fx, 1.0 - fy, 1.0 - fz
        w = np.empty((len(base), 8), dtype=np.float32)
        for k, (ax, ay, az) in enumerate(((gx, gy, gz), (gx, gy, fz), (gx, fy, gz), (gx, fy, fz),
                                          (fx, gy, gz), (fx, gy, fz), (fx, fy, gz), (fx, fy, fz))):
            np.multiply(ax, ay, out=w[:, k])
            w[:, k] *= az
        return np.einsum("nc,nck->nk", w, corners).astype(np.float64)

    def distance(self, points: np.ndarray) -> np.ndarray:
        """Signed distance at points.

        Parameters
        ----------
        points : (n, 3) float, metres

        Returns
        -------
        (n,) float, metres; negative inside
        """
        return self._interpolate(points, slice(0, 1))[:, 0]

    def distance_and_gradient(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Signed distance and its gradient at points (both interpolated from the grid).

        Parameters
        ----------
        points : (n, 3) float, metres

        Returns
        -------
        distance : (n,) float, metres; negative inside
        gradient : (n, 3) float, unitless; close to the outward unit normal near the surface
        """
        out = self._interpolate(points, slice(0, 4))
        return out[:, 0], out[:, 1:]

    def project_out(self, points: np.ndarray, clearance: float, steps: int = 3) -> tuple[np.ndarray, np.ndarray]:
        """Move points that are closer than ``clearance`` to the surface (or inside) out to ``clearance``.

        Newton steps along the field's gradient; points already farther out are left untouched.

        Parameters
        ----------
        points : (n, 3) float, metres
        clearance : float, metres; target signed distance
        steps : Newton steps (the field is close to linear near the surface, so 2-3 suffice)

        Returns
        -------
        points : (n, 3) float, metres; a new array
        moved : (n,) bool, which points were moved
        """
        p = np.array(points, dtype=np.float64, copy=True)
        moved = np.zeros(len(p), dtype=bool)
        active = np.arange(len(p))
        for _ in range(steps):
            if active.size == 0:
                break
            d, g = self.distance_and_gradient(p[active])
            short = d < clearance
            active = active[short]
            if active.size == 0:
                break
            d, g = d[short], g[short]
            # A true distance field has a unit gradient: step the missing distance along its direction
            # (dividing by |g|^2 would overshoot wildly where the interpolated gradient is short).
            norm = np.linalg.norm(g, axis=1)
            step = np.where(norm > 1e-6, (clearance - d) / np.maximum(norm, 1e-6), 0.0)
            p[active] += g * step[:, None]
            moved[active] = True
        return p, moved


def _rasterise_winding(vertices: np.ndarray, faces: np.ndarray, origin: np.ndarray, h: float,
                       shape: tuple[int, int, int]) -> np.ndarray:
    """Winding number of the mesh around every grid point, from +z rays cast through (x, y) columns.

    Returns
    -------
    (nx, ny, nz) int16; 1 inside an outward-oriented closed mesh, 0 outside
    """
    nx, ny, nz = shape
    tri = vertices[faces]  # (F, 3, 3)
    a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
    nzc = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    keep = np.abs(nzc) > 1e-14
    tri, nzc = tri[keep], nzc[keep]
    # Grid-index bounds of each triangle's (x, y) projection.
    lo = np.ceil((tri[:, :, :2].min(axis=1) - origin[:2]) / h).astype(np.int64)
    hi = np.floor((tri[:, :, :2].max(axis=1) - origin[:2]) / h).astype(np.int64)
    lo = np.maximum(lo, 0)
    hi = np.minimum(hi, [nx - 1, ny - 1])
    ni = np.maximum(hi[:, 0] - lo[:, 0] + 1, 0)
    nj = np.maximum(hi[:, 1] - lo[:, 1] + 1, 0)
    counts = ni * nj
    t = np.repeat(np.arange(len(tri)), counts)
    start = np.repeat(np.cumsum(counts) - counts, counts)
    local = np.arange(t.size) - start
    ii = lo[t, 0] + local // nj[t]
    jj = lo[t, 1] + local % nj[t]
    # Barycentric coordinates of the column (x, y) in the projected triangle.
    px = origin[0] + ii * h
    py = origin[1] + jj * h
    A, B, C = tri[t, 0], tri[t, 1], tri[t, 2]
    det = nzc[t]
    w1 = ((px - A[:, 0]) * (C[:, 1] - A[:, 1]) - (py - A[:, 1]) * (C[:, 0] - A[:, 0])) / det
    w2 = ((B[:, 0] - A[:, 0]) * (py - A[:, 1]) - (B[:, 1] - A[:, 1]) * (px - A[:, 0])) / det
    w0 = 1.0 - w1 - w2
    inside = (w0 >= 0) & (w1 >= 0) & (w2 >= 0)
    t, ii, jj = t[inside], ii[inside], jj[inside]
    zc = w0[inside] * A[inside, 2] + w1[inside] * B[inside, 2] + w2[inside] * C[inside, 2]
    sign = np.sign(nzc[t]).astype(np.int16)
    # A crossing at height zc is above grid points k < kk, with kk = number of grid z values below zc.
    kk = np.clip(np.ceil((zc - origin[2]) / h).astype(np.int64), 0, nz)
    counts3 = np.zeros((nx, ny, nz + 1), dtype=np.int16)
    np.add.at(counts3, (ii, jj, kk), sign)
    # winding[k] = sum of signs with kk > k = reverse cumulative sum of counts3 from k + 1.
    rev = np.cumsum(counts3[:, :, ::-1], axis=2)[:, :, ::-1]
    return rev[:, :, 1:]


def _surface_samples(vertices: np.ndarray, faces: np.ndarray, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Points spread over every triangle (a barycentric lattice fine enough for ``spacing``) and their face."""
    tri = vertices[faces]
    longest = np.linalg.norm(tri - np.roll(tri, 1, axis=1), axis=2).max(axis=1)
    points, owners = [], []
    levels = np.clip(np.ceil(longest / spacing).astype(int), 1, 8)
    for n in np.unique(levels):
        sel = np.nonzero(levels == n)[0]
        ij = np.array([(i, j) for i in range(n) for j in range(n - i)], dtype=np.float64)
        bary = np.column_stack([(ij[:, 0] + 1 / 3) / n, (ij[:, 1] + 1 / 3) / n])
        bary = np.column_stack([bary, 1.0 - bary.sum(axis=1)])
        pts = np.einsum("sk,fkd->fsd", bary, tri[sel]).reshape(-1, 3)
        points.append(pts)
        owners.append(np.repeat(sel, len(bary)))
    return np.concatenate(points), np.concatenate(owners)


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


def build_sdf(vertices: np.ndarray, faces: np.ndarray, *, distance_faces: np.ndarray | None = None,
              spacing: float = SDF_SPACING_M, margin: float = SDF_MARGIN_M,
              band: float = SDF_BAND_M) -> SignedDistanceField:
    """Sample the signed distance of a closed, outward-oriented mesh on a regular grid.

    Parameters
    ----------
    vertices : (V, 3) float, metres
    faces : (F, 3) int; closed parts (may be nested) that decide inside and outside
    distance_faces : (Fd, 3) int or None; the surface distances are measured to (default ``faces``);
        for a body, the skin without eyes and teeth
    spacing, margin, band : metres; grid spacing, empty space around the mesh, saturation distance outside

    Returns
    -------
    SignedDistanceField
    """
    from scipy.ndimage import distance_transform_edt, maximum_filter
    from scipy.spatial import cKDTree

    vertices = np.asarray(vertices, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    distance_faces = faces if distance_faces is None else np.asarray(distance_faces, dtype=np.int64)
    lo = vertices.min(axis=0) - margin
    hi = vertices.max(axis=0) + margin
    shape = tuple(int(n) for n in np.ceil((hi - lo) / spacing).astype(int) + 1)
    # Jitter the grid off any alignment with vertex coordinates so that rays do not graze edges.
    origin = lo - spacing * np.array([0.1234567, 0.0765432, 0.0])
    winding = _rasterise_winding(vertices, faces, origin, spacing, shape)
    inside = winding > 0

    samples, owners = _surface_samples(vertices, distance_faces, spacing * 0.75)
    # Grid points near the surface: dilate the cells that hold surface samples by the band width.
    cell = np.clip(np.round((samples - origin) / spacing).astype(np.int64), 0, np.array(shape) - 1)
    near = np.zeros(shape, dtype=np.uint8)
    near[cell[:, 0], cell[:, 1], cell[:, 2]] = 1
    # Outside, exact values out to the band; inside, only a few cells deep (cloth is pushed out from
    # there; deeper values come from a distance transform, good enough to point the way out).
    reach = int(np.ceil(band / spacing)) + 1
    seeds = near
    near = maximum_filter(seeds, size=2 * reach + 1, mode="constant").astype(bool) & ~inside
    near |= maximum_filter(seeds, size=2 * INSIDE_EXACT_CELLS + 1, mode="constant").astype(bool) & inside
    exact = np.nonzero(near.reshape(-1))[0]
    ii, rem = np.divmod(exact, shape[1] * shape[2])
    jj, kk = np.divmod(rem, shape[2])
    points = origin + np.column_stack([ii, jj, kk]) * spacing

    tree = cKDTree(samples)
    k = 2
    _, nearest = tree.query(points, k=k, workers=-1)
    best = np.full(len(points), np.inf)
    tri = vertices[distance_faces]
    for column in range(k):
        f = owners[nearest[:, column]]
        q = closest_points_on_triangles(points, tri[f])
        best = np.minimum(best, np.linalg.norm(points - q, axis=1))

    flat = np.full(int(np.prod(shape)), band, dtype=np.float32)
    # Deep inside (beyond the band): depth from a Euclidean distance transform of the inside cells,
    # within a cell of exact, and never shallower than the band so that it joins the exact values.
    deep = inside & ~near
    if deep.any():
        box = tuple(slice(max(int(ix.min()) - 1, 0), int(ix.max()) + 2) for ix in np.nonzero(deep))
        depth = distance_transform_edt(inside[box]) * spacing
        sub = flat.reshape(shape)[box]
        sub[deep[box]] = -np.maximum(depth[deep[box]], band)
    inside_exact = inside.reshape(-1)[exact]
    flat[exact] = np.where(inside_exact, -best, np.minimum(best, band))
    values = flat.reshape(shape)
    return SignedDistanceField(origin=origin, spacing=float(spacing), values=values, band=float(band))


_CACHE: OrderedDict[str, SignedDistanceField] = OrderedDict()
_CACHE_SIZE = 4
_CACHE_LOCK = threading.Lock()


def body_sdf(avatar) -> SignedDistanceField:
    """The signed distance field of an avatar's body (skin distances; the whole closed mesh decides the sign).

    Cached by the avatar's vertex positions, so rebuilding the same body costs nothing.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar

    Returns
    -------
    SignedDistanceField
    """
    vertices = np.ascontiguousarray(avatar.vertices, dtype=np.float64)
    key = hashlib.sha1(vertices.tobytes()).hexdigest()
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    field = build_sdf(vertices, avatar.faces, distance_faces=avatar.body_faces)
    with _CACHE_LOCK:
        _CACHE[key] = field
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return field


def forget_bodies() -> None:
    """Drop every cached body field: a kiosk forgets the last shopper's body when their session ends."""
    with _CACHE_LOCK:
        _CACHE.clear()
