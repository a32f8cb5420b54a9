"""The surface samples a body's distance field is measured to: spread over the skin, on its outer side only.

Where two parts of a body overlap (heavy thighs pressed into each other), the skin of each lies inside the
other; that buried skin is found by winding numbers (``garments.winding``) and gives no samples.
"""

from __future__ import annotations

import numpy as np

from .drape_constants import BURIED_SKIN_NEIGHBOURS, BURIED_SKIN_PROBE_M, BURIED_SKIN_REACH_M
from .winding import ProjectedMesh, column_index, winding_at

__all__ = ["outer_samples", "surface_samples"]


def surface_samples(vertices: np.ndarray, faces: np.ndarray, spacing: float) -> tuple[np.ndarray, np.ndarray]:
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


def outer_samples(samples: np.ndarray, owners: np.ndarray, vertices: np.ndarray, mesh: ProjectedMesh,
                  distance_faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The surface samples on the mesh's outer surface: those whose outer side is not inside another part.

    Where two parts of a body overlap (heavy thighs pressed into each other), the skin of each lies
    inside the other. Distances to that buried skin would make the region between them read as just under
    the surface, with gradients pointing sideways at the other buried sheet, so cloth pushed out there
    would be pushed across and back instead of out of the crease.

    Parameters
    ----------
    samples : (s, 3) float, metres; owners : (s,) int, each sample's row of ``distance_faces``
    vertices : (V, 3) float, metres
    mesh : the whole closed mesh (``project_mesh``), whose winding numbers tell inside from outside
    distance_faces : (Fd, 3) int; the skin the samples lie on

    Returns
    -------
    samples, owners : those of the samples on the outer surface
    """
    import scipy.sparse as sp
    from scipy.spatial import cKDTree

    from avatar.surface import vertex_normals

    # Skin vertices first: a face whose corners are all on the outer surface (or all buried) is so as a
    # whole; only the samples of the few faces across the line where two parts meet are probed one by one.
    # Only skin that faces other skin close by (normals opposed within BURIED_SKIN_REACH_M) can start a
    # buried patch; the patch is then followed over the mesh, ring by ring, while its skin is buried.
    used = np.unique(distance_faces)
    normals = vertex_normals(vertices, distance_faces)
    _, near = cKDTree(vertices[used]).query(vertices[used], k=BURIED_SKIN_NEIGHBOURS,
                                            distance_upper_bound=BURIED_SKIN_REACH_M)
    found = near < len(used)
    facing = np.einsum("nd,nkd->nk", normals[used], normals[used[np.where(found, near, 0)]])
    probe = used[(found & (facing < 0.0)).any(axis=1)]
    n = len(vertices)
    pairs = np.concatenate([distance_faces[:, [0, 1]], distance_faces[:, [1, 2]], distance_faces[:, [2, 0]]])
    adjacency = sp.csr_matrix((np.ones(len(pairs), dtype=bool), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    adjacency = adjacency + adjacency.T
    index = column_index(mesh)
    corner_outer = np.ones(n, dtype=bool)
    probed = np.zeros(n, dtype=bool)
    while probe.size:
        probed[probe] = True
        buried = probe[winding_at(vertices[probe] + BURIED_SKIN_PROBE_M * normals[probe], mesh, index) > 0]
        corner_outer[buried] = False
        ring = np.unique(adjacency[buried].indices)
        probe = ring[~probed[ring]]
    outer_corners = corner_outer[distance_faces].sum(axis=1)
    outer = outer_corners[owners] == 3
    mixed = np.flatnonzero((outer_corners[owners] > 0) & (outer_corners[owners] < 3))
    if mixed.size:
        tri = vertices[distance_faces[owners[mixed]]]
        normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-15)
        outer[mixed] = winding_at(samples[mixed] + BURIED_SKIN_PROBE_M * normal, mesh, index) <= 0
    return samples[outer], owners[outer]
