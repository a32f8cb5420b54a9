"""A garment already draped, seen by the garments over it as a surface they must stay outside of."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from avatar.surface import vertex_normals

from .cloth_model import mesh_edges
from .drape_constants import (LAYER_BLEND_MIN_COS, LAYER_GAP_M, LAYER_LATERAL_EDGES, LAYER_MAX_DEPTH_M,
                              LAYER_NEAREST_VERTICES)
from .sdf import SignedDistanceField


@dataclass(frozen=True, eq=False)
class LayerCollider:
    """A draped garment that garments over it must stay outside of.

    Attributes
    ----------
    vertices : (K, 3) float, metres
    normals : (K, 3) float; unit, pointing away from the body
    mean_edge : float, metres
    gap : float, metres kept between this garment and the next one out
    """

    vertices: np.ndarray
    normals: np.ndarray
    mean_edge: float
    gap: float = LAYER_GAP_M
    _tree: object = field(default=None, repr=False)

    @classmethod
    def from_garment(cls, vertices: np.ndarray, faces: np.ndarray, body: SignedDistanceField,
                     gap: float = LAYER_GAP_M, skin: np.ndarray | None = None,
                     edges: np.ndarray | None = None) -> "LayerCollider":
        """Orient the garment's normals away from the body and index it.

        Near the body the field's gradient gives "away"; where the field saturates (loose cloth), the
        direction from the nearest of the ``skin`` points (K, 3) does, when given. ``edges`` (E, 2) int:
        the mesh's edges when known (found from ``faces`` otherwise).
        """
        from scipy.spatial import cKDTree

        vertices = np.asarray(vertices, dtype=np.float64)
        normals = vertex_normals(vertices, faces)
        _, away = body.distance_and_gradient(vertices)
        if skin is not None and len(skin):
            far = np.linalg.norm(away, axis=1) < 0.5
            if far.any():
                _, k = cKDTree(skin).query(vertices[far], workers=-1)
                away[far] = vertices[far] - skin[k]
        flip = np.einsum("ij,ij->i", normals, away) < 0
        normals[flip] *= -1.0
        if edges is None:
            edges, _, _ = mesh_edges(faces)
        mean_edge = float(np.linalg.norm(vertices[edges[:, 0]] - vertices[edges[:, 1]], axis=1).mean())
        return cls(vertices=vertices, normals=normals, mean_edge=mean_edge, gap=gap, _tree=cKDTree(vertices))

    def nearest(self, points: np.ndarray) -> np.ndarray:
        """(n, LAYER_NEAREST_VERTICES) int: each point's nearest garment vertices, nearest first."""
        _, index = self._tree.query(points, k=min(LAYER_NEAREST_VERTICES, len(self.vertices)), workers=-1)
        return index.reshape(len(points), -1)

    def height(self, points: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Signed height of points above the garment's local tangent plane, blended over their nearest
        vertices (``nearest``) so that it varies smoothly from point to point, also over a coarse or
        sharply curved part such as a waistband's folded top (one vertex's plane there tilts the
        cloth over it into a crumple).

        Returns
        -------
        height : (n,) float, metres; positive on the outer side
        over : (n,) bool; the point lies over the garment (laterally within reach of its nearest
            vertex, not far beneath)
        normal : (n, 3) float; unit
        """
        index = np.asarray(index).reshape(len(points), -1)
        corners = self.vertices[index]                                  # (n, k, 3)
        rel = points[:, None, :] - corners
        normals = self.normals[index]
        weight = 1.0 / (np.linalg.norm(rel, axis=2) + 0.5 * self.mean_edge) ** 2
        # a vertex facing another way (the far side of a thin band, a fold's other layer) is not blended in
        weight *= np.einsum("nki,ni->nk", normals, normals[:, 0]) > LAYER_BLEND_MIN_COS
        weight /= weight.sum(axis=1, keepdims=True)
        normal = np.einsum("nk,nki->ni", weight, normals)
        normal /= np.maximum(np.linalg.norm(normal, axis=1), 1e-12)[:, None]
        h = np.einsum("nki,ni,nk->n", rel, normal, weight)
        near = rel[:, 0]
        lateral = np.linalg.norm(near - np.einsum("ij,ij->i", near, normal)[:, None] * normal, axis=1)
        over = (lateral < LAYER_LATERAL_EDGES * self.mean_edge) & (h > -LAYER_MAX_DEPTH_M)
        return h, over, normal
