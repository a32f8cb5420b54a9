"""The surface samples a body's distance field is measured to: spread over the skin, on its outer side only.

Where two parts of a body overlap (heavy thighs pressed into each other), the skin of each lies inside the
other; that buried skin is found by winding numbers (``garments.winding``) and gives no samples. It is found
in three steps that can run apart: the skin facing other skin close by (``facing_skin``), the buried
vertices followed from there over the mesh (``outer_vertices``), and the samples on the outer side
(``outer_samples``).
"""

from __future__ import annotations

import numpy as np

from .drape_constants import BURIED_SKIN_NEIGHBOURS, BURIED_SKIN_PROBE_M, BURIED_SKIN_REACH_M
from .winding import ColumnIndex, ProjectedMesh, winding_at

__all__ = ["facing_skin", "outer_samples", "outer_vertices", "surface_samples"]


def surface_samples(vertices: np.ndarray, faces: np.ndarray, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Points spread over every triangle (a barycentric lattice fine enough for ``spacing``) and their face."""
    tri = vertices[faces]
    edges = tri - tri[:, [2, 0, 1]]
    longest = np.sqrt((edges * edges).sum(axis=2).max(axis=1))
    points, owners = [], []
    levels = np.clip(np.ceil(longest / spacing).astype(int), 1, 8)
    for n in np.unique(levels):
        sel = np.flatnonzero(levels == n)
        ij = np.array([(i, j) for i in range(n) for j in range(n - i)], dtype=np.float64)
        bary = np.column_stack([(ij[:, 0] + 1 / 3) / n, (ij[:, 1] + 1 / 3) / n])
        bary = np.column_stack([bary, 1.0 - bary.sum(axis=1)])
        points.append(np.matmul(bary, tri[sel]).reshape(-1, 3))  # (faces, samples, 3)
        owners.append(np.repeat(sel, len(bary)))
    return np.concatenate(points), np.concatenate(owners)


def facing_skin(vertices: np.ndarray, distance_faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The skin's vertex normals, and the skin vertices that face other skin close by.

    Only such skin (normals opposed among the nearest ``BURIED_SKIN_NEIGHBOURS`` vertices within
    ``BURIED_SKIN_REACH_M``) can start a buried patch.

    Parameters
    ----------
    vertices : (V, 3) float, metres
    distance_faces : (Fd, 3) int; the skin

    Returns
    -------
    normals : (V, 3) float; unit normals of the skin ((0, 0, 0) off the skin)
    facing : (k,) int, sorted; the vertices facing other skin
    """
    from scipy.spatial import cKDTree

    from avatar.surface import vertex_normals

    used = np.flatnonzero(np.bincount(distance_faces.reshape(-1), minlength=len(vertices)))
    normals = vertex_normals(vertices, distance_faces)
    _, near = cKDTree(vertices[used]).query(vertices[used], k=BURIED_SKIN_NEIGHBOURS,
                                            distance_upper_bound=BURIED_SKIN_REACH_M)
    # A neighbour not found (index len(used)) gathers the zero row: a zero product, not facing.
    around = np.take(np.vstack([normals[used], np.zeros((1, 3))]), near, axis=0)  # (n, k, 3)
    facing = np.matmul(around, normals[used][:, :, None])[:, :, 0] < 0.0
    return normals, used[facing.any(axis=1)]


def outer_vertices(vertices: np.ndarray, distance_faces: np.ndarray, normals: np.ndarray, facing: np.ndarray,
                   mesh: ProjectedMesh, index: ColumnIndex) -> np.ndarray:
    """Which vertices lie on the mesh's outer surface: those whose outer side is not inside another part.

    A buried patch is followed over the skin from the vertices facing other skin, ring by ring, while its
    vertices' points ``BURIED_SKIN_PROBE_M`` out along their normals are inside the mesh.

    Parameters
    ----------
    vertices : (V, 3) float, metres
    distance_faces : (Fd, 3) int; the skin
    normals, facing : from ``facing_skin``
    mesh : the whole closed mesh (``project_mesh``), whose winding numbers tell inside from outside
    index : its ``column_index``

    Returns
    -------
    (V,) bool; False for buried skin
    """
    import scipy.sparse as sp

    n = len(vertices)
    pairs = np.concatenate([distance_faces[:, [0, 1]], distance_faces[:, [1, 2]], distance_faces[:, [2, 0]]])
    adjacency = sp.csr_matrix((np.ones(len(pairs), dtype=bool), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    adjacency = adjacency + adjacency.T
    outer = np.ones(n, dtype=bool)
    probed = np.zeros(n, dtype=bool)
    probe = facing
    while probe.size:
        probed[probe] = True
        buried = probe[winding_at(vertices[probe] + BURIED_SKIN_PROBE_M * normals[probe], mesh, index) > 0]
        outer[buried] = False
        ring = np.unique(adjacency[buried].indices)
        probe = ring[~probed[ring]]
    return outer


def outer_samples(samples: np.ndarray, owners: np.ndarray, vertices: np.ndarray, distance_faces: np.ndarray,
                  outer: np.ndarray, mesh: ProjectedMesh, index: ColumnIndex) -> tuple[np.ndarray, np.ndarray]:
    """The surface samples on the mesh's outer surface: those whose outer side is not inside another part.

    Where two parts of a body overlap (heavy thighs pressed into each other), the skin of each lies
    inside the other. Distances to that buried skin would make the region between them read as just under
    the surface, with gradients pointing sideways at the other buried sheet, so cloth pushed out there
    would be pushed across and back instead of out of the crease. A face whose corners are all on the
    outer surface (or all buried) is so as a whole; only the samples of the few faces across the line
    where two parts meet are probed one by one.

    Parameters
    ----------
    samples : (s, 3) float, metres; owners : (s,) int, each sample's row of ``distance_faces``
    vertices : (V, 3) float, metres
    distance_faces : (Fd, 3) int; the skin the samples lie on
    outer : (V,) bool, from ``outer_vertices``
    mesh, index : the whole closed mesh (``project_mesh``) and its ``column_index``

    Returns
    -------
    samples, owners : those of the samples on the outer surface
    """
    outer_corners = outer[distance_faces].sum(axis=1)[owners]
    keep = outer_corners == 3
    mixed = np.flatnonzero((outer_corners > 0) & (outer_corners < 3))
    if mixed.size:
        tri = vertices[distance_faces[owners[mixed]]]
        normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-15)
        keep[mixed] = winding_at(samples[mixed] + BURIED_SKIN_PROBE_M * normal, mesh, index) <= 0
    return samples[keep], owners[keep]
