"""Signed distance field of a closed mesh on a regular grid: built once per body, read by trilinear lookups.

The grid is built without per-point mesh queries over the whole volume:

* the sign comes from ray winding numbers: every triangle is rasterised onto the grid's (x, y) columns
  and adds +1 or -1 (by the sign of its normal's z) below its crossing height; a reverse cumulative sum
  along z gives each grid point the winding number of the mesh around it (robust to closed parts nested
  inside the body, such as eyes);
* the magnitude is exact (point to triangle), measured to the outer skin only (skin buried inside another
  part, where heavy thighs overlap, is left out), in a band around the surface and a few cells inside the
  body: dense surface samples pick each grid point's closest triangles through a k-d tree, and only the
  grid points within a ball of the samples' cells are asked (not a cube around them: about half as many);
  deeper inside, the depth comes from a distance transform on every other grid point; beyond the band
  outside, values saturate at the band width.

Lookups and gradients per iteration are then a few gathers and multiply-adds per point.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from .array_cache import ArrayCache, array_key
from .distance_field import SignedDistanceField
from .drape_constants import SDF_BAND_M, SDF_MARGIN_M, SDF_SPACING_M
from .outer_skin import facing_skin, outer_samples, outer_vertices, surface_samples
from .triangles import closest_points_on_triangles, distance_to_frames, triangle_frames
from .winding import ColumnIndex, ProjectedMesh, column_index, project_mesh, winding_on_grid

__all__ = ["SignedDistanceField", "build_sdf", "body_sdf", "forget_bodies", "remember_body_field",
           "closest_points_on_triangles"]

# Grid cells inside the surface whose distance is computed exactly (deeper ones by a distance transform):
# two (16 mm at 8 mm spacing) reach past the band, so the exact values join the deep ones there.
INSIDE_EXACT_CELLS = 2
# Spacing of the surface samples that pick each grid point's closest triangles, in grid steps.
SURFACE_SAMPLE_SPACING = 0.75
# The samples' k-d tree: split at the midpoint, leaves of 64 (not median-balanced with leaves of 16): it
# built in half the time and answered the band's queries a fifth faster (measured alternately, load 9).
KD_TREE_BUILD = {"leafsize": 64, "balanced_tree": False, "compact_nodes": False}


def _ball_around(cells: np.ndarray, radius: float, shape: tuple[int, int, int]) -> np.ndarray:
    """Flat indices of the grid points within ``radius`` grid steps of any of ``cells``, (m,) int, sorted.

    ``cells`` are flat indices at least ``ceil(radius)`` steps from the grid's faces (no wrap-around).
    """
    r = int(np.ceil(radius))
    steps = np.arange(-r, r + 1)
    offsets = np.stack(np.meshgrid(steps, steps, steps, indexing="ij"), axis=-1).reshape(-1, 3)
    offsets = offsets[(offsets ** 2).sum(axis=1) <= radius ** 2]
    marked = np.zeros(int(np.prod(shape)), dtype=bool)
    marked[cells] = True
    cells = np.flatnonzero(marked)  # distinct cells (a mask is faster than sorting or hashing these)
    # One offset at a time: the same writes as all at once without their (cells, offsets) index array.
    for step in offsets @ np.array([shape[1] * shape[2], shape[2], 1]):
        marked[cells + step] = True
    return np.flatnonzero(marked)


def _deep_values(inside: np.ndarray, spacing: float, band: float, field: np.ndarray) -> None:
    """Write minus the approximate depth of the grid points inside into ``field`` (metres).

    A Euclidean distance transform on every other grid point (eight times fewer), read at the nearest
    one below: within two cells of the true depth, which is all deep values need to point the way out, and
    never shallower than the band so that they join the exact values.

    Parameters
    ----------
    inside : (nx, ny, nz) bool
    field : (nx, ny, nz) float32, written where ``inside``
    """
    from scipy.ndimage import distance_transform_edt

    bounds = [np.flatnonzero(inside.any(axis=other)) for other in ((1, 2), (0, 2), (0, 1))]
    if len(bounds[0]) == 0:
        return
    # Over the box of the coarse points read, one coarse point wider: that layer is outside, where depth is zero.
    box = tuple(slice(max(int(b[0]) // 2 - 1, 0), int(b[-1]) // 2 + 2) for b in bounds)
    depth = -np.maximum(distance_transform_edt(inside[::2, ::2, ::2][box], sampling=2 * spacing), band)
    depth = depth.astype(np.float32)
    for axis in range(3):  # each grid point reads its coarse point
        depth = np.repeat(depth, 2, axis=axis)
    fine = tuple(slice(2 * b.start, min(2 * b.stop, n)) for b, n in zip(box, inside.shape))
    np.copyto(field[fine], depth[tuple(slice(0, f.stop - f.start) for f in fine)], where=inside[fine])


def _sign_and_depth(vertices: np.ndarray, faces: np.ndarray, mesh: ProjectedMesh, origin: np.ndarray,
                    spacing: float, shape: tuple[int, int, int], band: float) -> tuple[np.ndarray, np.ndarray]:
    """Which grid points are inside, and the field before its exact values: deep values inside, ``band`` outside.

    Returns
    -------
    inside : (nx, ny, nz) bool
    flat : (nx * ny * nz,) float32, metres
    """
    inside = winding_on_grid(vertices, faces, origin, spacing, shape, mesh) > 0
    field = np.full(shape, band, dtype=np.float32)
    _deep_values(inside, spacing, band, field)  # the exact values replace the shallow ones
    return inside, field.reshape(-1)


def _outer_skin(vertices: np.ndarray, distance_faces: np.ndarray, mesh: Future, index: Future,
                samples: Future) -> tuple[np.ndarray, np.ndarray]:
    """The outer skin's surface samples, (s, 3) float, metres, and each one's row of ``distance_faces``, (s,) int.

    ``mesh``, ``index`` and ``samples`` are the mesh's ``project_mesh``, its ``column_index`` and the skin's
    ``surface_samples``, being made on another thread.
    """
    normals, facing = facing_skin(vertices, distance_faces)
    outer = outer_vertices(vertices, distance_faces, normals, facing, mesh.result(), index.result())
    return outer_samples(*samples.result(), vertices, distance_faces, outer, mesh.result(), index.result())


def _points_near(samples: np.ndarray, origin: np.ndarray, spacing: float, shape: tuple[int, int, int],
                 reach: float) -> np.ndarray:
    """Sorted flat indices of the grid points within ``reach`` grid steps of the grid point a sample rounds to,
    (m,) int (``samples``: (s, 3) float, metres)."""
    cells = np.round((samples - origin) / spacing).astype(np.int64)
    return _ball_around(np.ravel_multi_index(cells.T, shape), reach, shape)


def _exact_values(flat: np.ndarray, exact: np.ndarray, inside: np.ndarray, origin: np.ndarray, spacing: float,
                  shape: tuple[int, int, int], tree, owners: np.ndarray, frames: np.ndarray,
                  reach: tuple[float, float], band: float) -> None:
    """Write the exact values of grid points into ``flat``: minus their distance inside, outside at most ``band``.

    Each point's distance is the smaller one to the triangles of its two nearest samples (``tree``, over the
    samples; ``owners``, their triangles' columns of ``frames``). Points with no sample within ``reach``
    (metres; inside, outside) keep their values.

    Parameters
    ----------
    flat : (nx * ny * nz,) float32, metres; written at ``exact``
    exact : (m,) int; flat indices of the grid points
    inside : (nx * ny * nz,) bool
    """
    point_inside = inside[exact]
    for is_inside, reach_m in ((True, reach[0]), (False, reach[1])):
        at = exact[point_inside == is_inside]
        points = origin + np.column_stack(np.unravel_index(at, shape)) * spacing
        nearest = tree.query(points, k=2, distance_upper_bound=reach_m)[1]
        found = np.flatnonzero(nearest[:, 0] < len(owners))
        at, points, nearest = at[found], points[found], nearest[found]
        first = owners[nearest[:, 0]]
        best = distance_to_frames(points, frames, first)
        # The second nearest sample only matters when it lies on another triangle than the first.
        other = np.flatnonzero(nearest[:, 1] < len(owners))
        second = owners[nearest[other, 1]]
        other, second = other[second != first[other]], second[second != first[other]]
        best[other] = np.minimum(best[other], distance_to_frames(points[other], frames, second))
        flat[at] = -best if is_inside else np.minimum(best, band)


def build_sdf(vertices: np.ndarray, faces: np.ndarray, *, distance_faces: np.ndarray | None = None,
              spacing: float = SDF_SPACING_M, margin: float = SDF_MARGIN_M,
              band: float = SDF_BAND_M, box: np.ndarray | None = None,
              projection: Callable[[], tuple[ProjectedMesh, ColumnIndex]] | None = None) -> SignedDistanceField:
    """Sample the signed distance of a closed, outward-oriented mesh on a regular grid.

    Parameters
    ----------
    vertices : (V, 3) float, metres
    faces : (F, 3) int; closed parts (may be nested) that decide inside and outside
    distance_faces : (Fd, 3) int or None; the surface distances are measured to (default ``faces``);
        for a body, the skin without eyes and teeth
    spacing, margin, band : metres; grid spacing, empty space around the mesh, saturation distance outside
    box : (2, 3) float, metres, or None; the grid covers only this box and ``margin`` around it (the whole
        mesh still decides the sign), its distances measured to the ``distance_faces`` lying in that
        region at least the exact band's reach inside its walls
    projection : gives the mesh's ``project_mesh`` and its ``column_index`` (made here when None): several
        boxes of one mesh share them

    Returns
    -------
    SignedDistanceField
    """
    from scipy.spatial import cKDTree

    vertices = np.asarray(vertices, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    distance_faces = faces if distance_faces is None else np.asarray(distance_faces, dtype=np.int64)
    exact_depth = INSIDE_EXACT_CELLS * spacing
    # A sample lies within half a cell diagonal of the grid point it is rounded to.
    reach = (max(band, exact_depth) + 0.5 * np.sqrt(3.0) * spacing) / spacing  # grid steps
    margin = max(margin, (np.ceil(reach) + 1) * spacing)  # the ball of offsets below stays in the grid
    lo = (vertices.min(axis=0) if box is None else np.asarray(box[0])) - margin
    hi = (vertices.max(axis=0) if box is None else np.asarray(box[1])) + margin
    if box is not None:  # samples of these faces stay far enough from the walls for the ball of offsets below
        wall = (np.ceil(reach) + 1) * spacing
        corners = vertices[distance_faces]
        distance_faces = distance_faces[((corners >= lo + wall) & (corners <= hi - wall)).all(axis=(1, 2))]
    shape = tuple(int(n) for n in np.ceil((hi - lo) / spacing).astype(int) + 1)
    # Jitter the grid off any alignment with vertex coordinates so that rays do not graze edges.
    origin = lo - spacing * np.array([0.1234567, 0.0765432, 0.0])
    # Only samples within reach of a point can give it an exact value: farther ones end the search early
    # (such points are saturated outside or deep inside, filled below). Outside, only values under the band
    # are kept, and a sample lies within half its spacing of the triangle points around it, so the search
    # reaches less far there (an eighth less time in all).
    search = (max(band, exact_depth) + spacing, band + 0.5 * SURFACE_SAMPLE_SPACING * spacing)
    # Two threads (numpy's and scipy's large array work lets go of the interpreter's lock): the second
    # projects the mesh, makes its column index, the surface samples, the sign and deep values, the
    # triangles' frames and then the grid points near the outer samples, while this one finds which skin
    # is buried and makes the outer samples' k-d tree; then each measures half the points.
    with ThreadPoolExecutor(max_workers=1) as pool:
        if projection is None:
            mesh = pool.submit(project_mesh, vertices, faces)
            index = pool.submit(lambda: column_index(mesh.result()))
        else:
            both = pool.submit(projection)
            mesh, index = (pool.submit(lambda k=k: both.result()[k]) for k in (0, 1))
        samples = pool.submit(surface_samples, vertices, distance_faces, spacing * SURFACE_SAMPLE_SPACING)
        grid = pool.submit(lambda: _sign_and_depth(vertices, faces, mesh.result(), origin, spacing, shape, band))
        frames = pool.submit(triangle_frames, vertices[distance_faces])
        samples, owners = _outer_skin(vertices, distance_faces, mesh, index, samples)
        exact = pool.submit(_points_near, samples, origin, spacing, shape, reach)
        tree = cKDTree(samples, **KD_TREE_BUILD)
        inside, flat = grid.result()
        exact = exact.result()
        task = (inside.reshape(-1), origin, spacing, shape, tree, owners, frames.result(), search, band)
        half = len(exact) // 2
        second = pool.submit(_exact_values, flat, exact[half:], *task)
        _exact_values(flat, exact[:half], *task)
        second.result()
    values = flat.reshape(shape)
    return SignedDistanceField(origin=origin, spacing=float(spacing), values=values, band=float(band))


_CACHE: ArrayCache[SignedDistanceField] = ArrayCache(4)


def body_sdf(avatar) -> SignedDistanceField:
    """The signed distance field of an avatar's body (skin distances; the whole closed mesh decides the sign).

    Cached by the avatar's vertex positions, so rebuilding the same body costs nothing. Its interpolation
    table and rough box are made with it, so that the first drape on the body does not make them.

    Parameters
    ----------
    avatar : avatar.avatar.Avatar

    Returns
    -------
    SignedDistanceField
    """
    vertices = np.ascontiguousarray(avatar.vertices, dtype=np.float64)

    def build() -> SignedDistanceField:
        field = build_sdf(vertices, avatar.faces, distance_faces=avatar.body_faces)
        field._table, field.rough_box  # noqa: B018 (made now, with the field)
        return field

    return _CACHE.get(array_key(vertices), build)


def forget_bodies() -> None:
    """Drop every cached body field: a kiosk forgets the last shopper's body when their session ends."""
    _CACHE.clear()


def remember_body_field(avatar, field: SignedDistanceField) -> None:
    """Keep ``field`` as the avatar's body field, e.g. one read from disk, so that ``body_sdf`` returns it."""
    vertices = np.ascontiguousarray(avatar.vertices, dtype=np.float64)
    _CACHE.get(array_key(vertices), lambda: field)
