"""The cloth model of a garment: constraints, masses and the coarse space of its rest shape, built once per size.

Everything here depends only on the garment's own rest mesh and fabric stretch, never on the body, so a
garment size builds it once (``cloth_model`` remembers it by the rest shape) and every drape, pose and
body reuses it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .array_cache import ArrayCache, array_key
from .drape_constants import (
    AREAL_DENSITY_KG_M2,
    BEND_STIFFNESS_N_M,
    COARSE_CELL_EDGES,
    COARSE_SMOOTHING,
    DRAPE_DT_S,
    MIN_STIFFNESS_N_M,
    REFERENCE_STRETCH,
    STRETCH_STIFFNESS_N_M,
)


@dataclass(frozen=True, eq=False)
class ClothModel:
    """Everything about a garment mesh that depends only on its rest shape (not on the body).

    The relaxation is projective dynamics: per iteration a local step finds, for every distance
    constraint, the edge vector it wants (current direction, rest length), and a global step solves
    ``(A + C) x = b`` with ``A = M / dt^2 + G^T W G`` and ``C`` pinning the vertices in contact. The
    global step is one two-grid cycle: an exact solve on a coarse space (smoothed aggregation of about
    16 vertices per coarse node) followed by a Jacobi sweep, so tension, sag and the support from the
    contacts travel across the whole garment in every iteration at a cost linear in the vertex count.

    Attributes
    ----------
    faces : (M, 3) int
    edges : (E, 2) int; unique mesh edges
    rest_edge_lengths : (E,) float, metres
    pairs : (C, 2) int; every distance constraint: the E edges first, then bending pairs
    rest : (C,) float, metres; rest distance of each constraint
    weight : (C,) float, N/m; constraint stiffness
    is_edge : (C,) bool; stretch constraints (True) or bending pairs (False)
    alpha : (N,) float, kg/s^2; vertex mass / dt^2
    incidence : (C, N) sparse; +1 at a pair's first vertex, -1 at its second
    gather : (N, C) sparse; the transpose of ``incidence`` with each column scaled by its ``weight``
    system : (N, N) sparse; ``A``
    prolong : (N, K) sparse; coarse to fine interpolation
    restrict : (K, N) sparse; its transpose
    coarse_system : (K, K) sparse; ``restrict @ A @ prolong``
    mean_edge : float, metres
    """

    faces: np.ndarray
    edges: np.ndarray
    rest_edge_lengths: np.ndarray
    pairs: np.ndarray
    rest: np.ndarray
    weight: np.ndarray
    is_edge: np.ndarray
    alpha: np.ndarray
    incidence: sp.csr_matrix
    gather: sp.csr_matrix
    system: sp.csr_matrix
    prolong: sp.csr_matrix
    restrict: sp.csr_matrix
    coarse_system: sp.csr_matrix
    mean_edge: float

    @property
    def n_vertices(self) -> int:
        return self.incidence.shape[1]


def mesh_edges(faces: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique edges of a triangle mesh and, per unique edge, the opposite corners of its two faces.

    Returns
    -------
    edges : (E, 2) int, sorted pairs
    opposite : (E, 2) int; the third vertex of each adjacent face, -1 where the edge has one face
    face_edge : (M, 3) int; unique edge index of each face side (v0-v1, v1-v2, v2-v0)
    """
    faces = np.asarray(faces, dtype=np.int64)
    sides = np.stack([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]], axis=1).reshape(-1, 2)
    third = faces[:, [2, 0, 1]].reshape(-1)
    key = np.sort(sides, axis=1)
    edges, inverse = np.unique(key, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    opposite = np.full((len(edges), 2), -1, dtype=np.int64)
    order = np.argsort(inverse, kind="stable")
    first = np.ones(len(order), dtype=bool)
    first[1:] = inverse[order][1:] != inverse[order][:-1]
    opposite[inverse[order][first], 0] = third[order][first]
    second = ~first
    opposite[inverse[order][second], 1] = third[order][second]
    return edges, opposite, inverse.reshape(-1, 3)


def _aggregates(rest_vertices: np.ndarray, edges: np.ndarray, cell: float) -> np.ndarray:
    """Coarse node of every vertex: voxels of side ``cell`` split into their connected pieces."""
    from scipy.sparse.csgraph import connected_components

    n = len(rest_vertices)
    voxel = np.floor((rest_vertices - rest_vertices.min(axis=0)) / cell).astype(np.int64)
    _, voxel_id = np.unique(voxel, axis=0, return_inverse=True)
    voxel_id = voxel_id.reshape(-1)
    inner = edges[voxel_id[edges[:, 0]] == voxel_id[edges[:, 1]]]
    graph = sp.coo_matrix((np.ones(len(inner)), (inner[:, 0], inner[:, 1])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels


def stretch_stiffness(stretch: float) -> float:
    """Edge spring stiffness (N/m) of a fabric that stretches ``stretch`` (fraction) before it is tight."""
    ratio = REFERENCE_STRETCH / max(float(stretch), 1e-3)
    return float(np.clip(STRETCH_STIFFNESS_N_M * ratio, MIN_STIFFNESS_N_M, STRETCH_STIFFNESS_N_M))


def build_cloth_model(rest_vertices: np.ndarray, faces: np.ndarray, *,
                      stretch: float = REFERENCE_STRETCH) -> ClothModel:
    """Constraints, masses and the coarse space of a garment, from its rest shape.

    Parameters
    ----------
    rest_vertices : (N, 3) float, metres
    faces : (M, 3) int
    stretch : float; the fabric's stretch before it is tight (0.02 woven, 0.3 leggings): sets the stiffness
    """
    rest_vertices = np.asarray(rest_vertices, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    n = len(rest_vertices)
    edges, opposite, _ = mesh_edges(faces)
    bend = opposite[(opposite >= 0).all(axis=1)]
    bend = bend[bend[:, 0] != bend[:, 1]]
    pairs = np.concatenate([edges, bend])
    is_edge = np.arange(len(pairs)) < len(edges)
    rest = np.linalg.norm(rest_vertices[pairs[:, 0]] - rest_vertices[pairs[:, 1]], axis=1)
    keep = rest > 1e-9  # coincident vertices carry no length to keep
    pairs, rest, is_edge = pairs[keep], rest[keep], is_edge[keep]
    weight = np.where(is_edge, stretch_stiffness(stretch), BEND_STIFFNESS_N_M)

    tri = rest_vertices[faces]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    mass = np.bincount(faces.reshape(-1), weights=np.repeat(area / 3.0, 3), minlength=n) * AREAL_DENSITY_KG_M2
    alpha = np.maximum(mass, 1e-9) / (DRAPE_DT_S * DRAPE_DT_S)

    c = len(pairs)
    rows = np.repeat(np.arange(c), 2)
    incidence = sp.csr_matrix((np.tile([1.0, -1.0], c), (rows, pairs.reshape(-1))), shape=(c, n))
    gather = (incidence.T @ sp.diags(weight)).tocsr()
    system = (gather @ incidence + sp.diags(alpha)).tocsr()

    edge_rest = np.linalg.norm(rest_vertices[edges[:, 0]] - rest_vertices[edges[:, 1]], axis=1)
    mean_edge = float(edge_rest.mean()) if len(edge_rest) else 0.0
    labels = _aggregates(rest_vertices, edges, COARSE_CELL_EDGES * max(mean_edge, 1e-6))
    tentative = sp.csr_matrix((np.ones(n), (np.arange(n), labels)), shape=(n, int(labels.max()) + 1))
    smoother = sp.identity(n, format="csr") - sp.diags(COARSE_SMOOTHING / system.diagonal()) @ system
    prolong = (smoother @ tentative).tocsr()
    restrict = prolong.T.tocsr()
    coarse_system = (restrict @ system @ prolong).tocsr()
    f32 = np.float32  # the iterations run in single precision: half the memory traffic, micrometre accuracy
    return ClothModel(faces=faces, edges=edges, rest_edge_lengths=edge_rest, pairs=pairs, rest=rest.astype(f32),
                      weight=weight.astype(f32), is_edge=is_edge, alpha=alpha.astype(f32),
                      incidence=incidence.astype(f32), gather=gather.astype(f32), system=system.astype(f32),
                      prolong=prolong.astype(f32), restrict=restrict.astype(f32), coarse_system=coarse_system,
                      mean_edge=mean_edge)


_MODELS: ArrayCache[ClothModel] = ArrayCache(32)


def cloth_model(rest_vertices: np.ndarray, faces: np.ndarray, stretch: float = REFERENCE_STRETCH) -> ClothModel:
    """``build_cloth_model`` remembered by the rest shape (a garment size builds its constraints once)."""
    key = array_key(np.asarray(rest_vertices, np.float64), np.asarray(faces, np.int64), float(stretch))
    return _MODELS.get(key, lambda: build_cloth_model(rest_vertices, faces, stretch=stretch))
