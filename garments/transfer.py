"""Move a garment from the body it was made on to any avatar of the same topology.

Two bindings:

* a MakeHuman clothes binding (three body vertices and weights per garment vertex): the garment vertex
  moves by the weighted displacement of its three body vertices;
* otherwise each garment vertex is bound to the closest point of the reference skin (a triangle and its
  barycentric coordinates) and moves by the displacement of that point.

Moving by displacement keeps the garment's distance from the skin (its ease) where the body grows or
shrinks, without rotating offsets; the physical relaxation then pulls the cloth back towards its rest
lengths. All avatars share the model's vertex order and faces, so a binding made once on the reference
body serves every avatar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from avatar.surface import vertex_face_table

from .array_cache import ArrayCache, array_key
from .drape_constants import DISPLACEMENT_SMOOTHING_SWEEPS
from .sdf import closest_points_on_triangles


@dataclass(frozen=True)
class SurfaceBinding:
    """Garment vertices bound to points of a body surface.

    Attributes
    ----------
    body_vertex : (N, 3) int; model vertex indices of the three corners of each vertex's body point
    weights : (N, 3) float; barycentric weights of those corners (sum to 1)
    """

    body_vertex: np.ndarray
    weights: np.ndarray

    def displacement(self, reference_vertices: np.ndarray, target_vertices: np.ndarray) -> np.ndarray:
        """How each bound point moves from the reference body to the target body.

        Parameters
        ----------
        reference_vertices, target_vertices : (V, 3) float, metres; same topology

        Returns
        -------
        (N, 3) float, metres
        """
        delta = np.asarray(target_vertices, float) - np.asarray(reference_vertices, float)
        return np.einsum("nk,nkd->nd", self.weights, delta[self.body_vertex])


def closest_surface_points(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray, k: int = 3):
    """Closest point of a triangle mesh to each point, its triangle and barycentric coordinates.

    Candidate triangles are those around the ``k`` nearest mesh vertices (a k-d tree), which finds the
    closest triangle on any reasonably even mesh.

    Parameters
    ----------
    points : (n, 3) float, metres
    vertices : (V, 3) float, metres
    faces : (F, 3) int
    k : nearest vertices whose triangles are tried

    Returns
    -------
    closest : (n, 3) float, metres
    face : (n,) int; index into ``faces``
    bary : (n, 3) float; barycentric coordinates of ``closest`` in its face
    """
    from scipy.spatial import cKDTree

    points = np.asarray(points, dtype=np.float64)
    used = np.unique(faces)
    tree = cKDTree(vertices[used])
    _, near = tree.query(points, k=k, workers=-1)
    near = used[np.asarray(near).reshape(len(points), -1)]
    table = vertex_face_table(faces, len(vertices))
    cand = table[near].reshape(len(points), -1)
    best = np.full(len(points), np.inf)
    best_face = np.zeros(len(points), dtype=np.int64)
    best_point = np.zeros_like(points)
    for column in range(cand.shape[1]):
        f = cand[:, column]
        ok = np.nonzero(f >= 0)[0]
        if ok.size == 0:
            continue
        q = closest_points_on_triangles(points[ok], vertices[faces[f[ok]]])
        d = np.linalg.norm(points[ok] - q, axis=1)
        better = d < best[ok]
        idx = ok[better]
        best[idx] = d[better]
        best_face[idx] = f[ok][better]
        best_point[idx] = q[better]
    bary = barycentric(best_point, vertices[faces[best_face]])
    return best_point, best_face, bary


def barycentric(points: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Barycentric coordinates of points (assumed in or near each triangle's plane).

    Parameters
    ----------
    points : (n, 3) float
    triangles : (n, 3, 3) float

    Returns
    -------
    (n, 3) float, summing to 1
    """
    a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]
    v0, v1, v2 = b - a, c - a, points - a
    d00 = np.einsum("ij,ij->i", v0, v0)
    d01 = np.einsum("ij,ij->i", v0, v1)
    d11 = np.einsum("ij,ij->i", v1, v1)
    d20 = np.einsum("ij,ij->i", v2, v0)
    d21 = np.einsum("ij,ij->i", v2, v1)
    denom = d00 * d11 - d01 * d01
    denom = np.where(np.abs(denom) < 1e-20, 1.0, denom)
    v = (d11 * d20 - d01 * d21) / denom
    w = (d00 * d21 - d01 * d20) / denom
    return np.column_stack([1.0 - v - w, v, w])


def bind_to_surface(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> SurfaceBinding:
    """Bind points to the closest points of a body surface.

    Parameters
    ----------
    points : (N, 3) float, metres; garment vertices placed on the body
    vertices : (V, 3) float, metres; that body
    faces : (F, 3) int; its skin triangles

    Returns
    -------
    SurfaceBinding
    """
    _, face, bary = closest_surface_points(points, vertices, faces)
    return SurfaceBinding(body_vertex=np.asarray(faces)[face].astype(np.int64), weights=bary)


_BINDINGS: ArrayCache[SurfaceBinding] = ArrayCache(32)


def cached_binding(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray) -> SurfaceBinding:
    """``bind_to_surface`` remembered by the garment and body positions (a garment binds once per size).

    The garment's binding to its reference body is kept on disk as well (under the cache root,
    ``BINDING_STORE_FOLDER``; nothing of the shopper's): it depends only on the garment's rest shape and the
    body model, so a new process does not bind the same size again.
    """
    key = array_key(np.asarray(points), np.asarray(vertices), np.asarray(faces))

    def build() -> SurfaceBinding:
        from avatar.storage import cache_root

        from .array_store import stored_arrays
        from .constants import BINDING_STORE_ENTRIES, BINDING_STORE_FOLDER, BINDING_STORE_VERSION

        def bind() -> dict[str, np.ndarray]:
            binding = bind_to_surface(points, vertices, faces)
            return {"body_vertex": binding.body_vertex, "weights": binding.weights}

        arrays, _ = stored_arrays(cache_root() / BINDING_STORE_FOLDER, array_key(BINDING_STORE_VERSION, key),
                                  ("body_vertex", "weights"), bind, keep=BINDING_STORE_ENTRIES)
        body_vertex, weights = arrays["body_vertex"], arrays["weights"]
        if body_vertex.shape != (len(points), 3) or weights.shape != (len(points), 3):
            return bind_to_surface(points, vertices, faces)
        return SurfaceBinding(body_vertex=body_vertex.astype(np.int64), weights=weights.astype(np.float64))

    return _BINDINGS.get(key, build)


def forget_bodies() -> None:
    """Drop every cached binding (they hold positions on the bodies they were made for)."""
    _BINDINGS.clear()


def smooth_displacement(displacement: np.ndarray, edges: np.ndarray, sweeps: int = DISPLACEMENT_SMOOTHING_SWEEPS):
    """Average each vertex's displacement with its garment neighbours (Jacobi sweeps, half weight on itself).

    Parameters
    ----------
    displacement : (N, 3) float, metres
    edges : (E, 2) int; garment edges

    Returns
    -------
    (N, 3) float, metres
    """
    if sweeps <= 0 or len(edges) == 0:
        return displacement
    sweep = _smoothing_sweep(np.asarray(edges, np.int64), len(displacement))
    d = np.asarray(displacement, dtype=np.float64)
    for _ in range(sweeps):
        d = sweep @ d
    return d


_SWEEPS: ArrayCache = ArrayCache(32)


def _smoothing_sweep(edges: np.ndarray, n: int):
    """(N, N) sparse: one sweep of ``smooth_displacement`` (half itself, half its neighbours' mean; a vertex
    on no edge keeps its own), made once per garment."""
    import scipy.sparse as sp

    def build():
        degree = np.bincount(edges.reshape(-1), minlength=n).astype(np.float64)
        has = degree > 0
        rows = np.concatenate([edges[:, 0], edges[:, 1]])
        cols = np.concatenate([edges[:, 1], edges[:, 0]])
        neighbours = sp.csr_matrix((0.5 / degree[rows], (rows, cols)), shape=(n, n))
        return (neighbours + sp.diags(np.where(has, 0.5, 1.0))).tocsr()

    return _SWEEPS.get(array_key(edges, n), build)


def transfer_vertices(rest_vertices: np.ndarray, edges: np.ndarray, reference, target, *,
                      model_binding: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Place a garment made on ``reference`` onto ``target``.

    Parameters
    ----------
    rest_vertices : (N, 3) float, metres; the garment on the reference body
    edges : (E, 2) int; garment edges (for smoothing the displacement)
    reference, target : avatar.avatar.Avatar with the same vertex order
    model_binding : optional (indices (N, 3) int, weights (N, 3) float) of model vertices, as in
        MakeHuman clothes; used instead of a surface binding when given

    Returns
    -------
    (N, 3) float, metres; the garment around ``target`` (before relaxation)
    """
    rest_vertices = np.asarray(rest_vertices, dtype=np.float64)
    if target is reference or np.array_equal(target.vertices, reference.vertices):
        return rest_vertices.copy()
    if model_binding is not None:
        index, weights = model_binding
        weights = np.asarray(weights, dtype=np.float64)
        weights = weights / np.where(np.abs(weights.sum(axis=1, keepdims=True)) < 1e-9, 1.0,
                                     weights.sum(axis=1, keepdims=True))
        binding = SurfaceBinding(body_vertex=np.asarray(index, dtype=np.int64), weights=weights)
    else:
        binding = cached_binding(rest_vertices, reference.vertices, reference.body_faces)
    displacement = binding.displacement(reference.vertices, target.vertices)
    return rest_vertices + smooth_displacement(displacement, edges)
