"""How much light reaches each side of a garment's cloth: the side facing the body is shaded by it.

A garment's inner side is drawn where the view looks into an opening (a sleeve seen from the side, a
neckline from above). Lit like the outer side, the far inner wall of a sleeve reads as the sleeve's own
outside seen through a hole. Under a real garment that wall faces the body, which keeps most light off
it. So each side of the cloth is dimmed by how squarely it faces the nearest skin and how close that skin
is, whichever of the two meshes draws it: a turned-back hem's inner layer (wound the other way round,
lying just inside the outer one) faces the skin with its outer side, so the two layers, a fraction of a
millimetre apart, are dimmed alike and show no specks where the depth test picks one or the other; a
hem folded outwards is lit as usual. The share varies smoothly with the vertex normals.
"""

from __future__ import annotations

import numpy as np

from avatar.surface import vertex_normals

from .constants import SKIN_SIDE_SHADE, SKIN_SIDE_SHADE_FAR_M, SKIN_SIDE_SHADE_NEAR_M


def skin_side_shade(vertices: np.ndarray, faces: np.ndarray, skin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Light factor per vertex of the side ``faces`` face and of the other side, each in [1 - SKIN_SIDE_SHADE, 1].

    Parameters
    ----------
    vertices : (N, 3) float, metres; the garment
    faces : (F, 3) int; its faces, wound consistently
    skin : (S, 3) float, metres; the body's skin vertices

    Returns
    -------
    front, back : (N,) float each, for ``faces`` and for them reversed; 1 where that side faces away from
    the skin or the skin is beyond ``SKIN_SIDE_SHADE_FAR_M``, ``1 - SKIN_SIDE_SHADE`` where it faces skin
    within ``SKIN_SIDE_SHADE_NEAR_M`` head on
    """
    from scipy.spatial import cKDTree

    vertices = np.asarray(vertices, dtype=np.float64)
    skin = np.asarray(skin, dtype=np.float64)
    if len(skin) == 0 or len(vertices) == 0:
        return np.ones(len(vertices)), np.ones(len(vertices))
    distance, nearest = cKDTree(skin).query(vertices)
    towards = (skin[nearest] - vertices) / np.maximum(distance, 1e-9)[:, None]
    facing = np.einsum("ij,ij->i", vertex_normals(vertices, faces), towards)  # +1: this side faces the skin
    near = np.clip((SKIN_SIDE_SHADE_FAR_M - distance) / (SKIN_SIDE_SHADE_FAR_M - SKIN_SIDE_SHADE_NEAR_M), 0.0, 1.0)
    return (1.0 - SKIN_SIDE_SHADE * np.clip(facing, 0.0, 1.0) * near,
            1.0 - SKIN_SIDE_SHADE * np.clip(-facing, 0.0, 1.0) * near)


__all__ = ["skin_side_shade"]
