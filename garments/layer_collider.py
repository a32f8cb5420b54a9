"""A garment already draped, seen by the garments over it as a surface they must stay outside of."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from avatar.surface import vertex_normals

from .cloth_model import mesh_edges
from .drape_constants import LAYER_GAP_M, LAYER_LATERAL_EDGES, LAYER_MAX_DEPTH_M
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
                     gap: float = LAYER_GAP_M, skin: np.ndarray | None = None) -> "LayerCollider":
        """Orient the garment's normals away from the body and index it.

        Near the body the field's gradient gives "away"; where the field saturates (loose cloth), the
        direction from the nearest of the ``skin`` points (K, 3) does, when given.
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
        edges, _, _ = mesh_edges(faces)
        mean_edge = float(np.linalg.norm(vertices[edges[:, 0]] - vertices[edges[:, 1]], axis=1).mean())
        return cls(vertices=vertices, normals=normals, mean_edge=mean_edge, gap=gap, _tree=cKDTree(vertices))

    def nearest(self, points: np.ndarray) -> np.ndarray:
        _, index = self._tree.query(points, workers=-1)
        return index

    def height(self, points: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Signed height of points above the garment's tangent plane at their nearest vertex.

        Returns
        -------
        height : (n,) float, metres; positive on the outer side
        over : (n,) bool; the point lies over the garment (laterally within reach, not far beneath)
        normal : (n, 3) float
        """
        rel = points - self.vertices[index]
        normal = self.normals[index]
        h = np.einsum("ij,ij->i", rel, normal)
        lateral = np.linalg.norm(rel - h[:, None] * normal, axis=1)
        over = (lateral < LAYER_LATERAL_EDGES * self.mean_edge) & (h > -LAYER_MAX_DEPTH_M)
        return h, over, normal
