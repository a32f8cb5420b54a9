"""The distance field of a posed body, without building a new grid: the rest body's field, carried by the bones.

A point near the posed body is taken back to the rest body by the inverse skinning transform of the
posed skin vertex nearest to it; its distance there is its distance here (each body part moves
rigidly) and the gradient turns with the part. The ``POSED_FIELD_CANDIDATES`` nearest skin vertices are
each tried and the deepest reading is kept, so a point pressed into one part (the thighs against the
belly when sitting) is inside even when skin of another part is nearer. Building a field for every pose would take 1.5 s or more;
this one costs a few gathers per look-up: the candidate skin vertices are found once per small cube of
space (``garments.cell_neighbours``) and kept while the pose is dressed.

Where a crease opens in the pose (the fold under the buttock when sitting) a point mapped back to the rest
body lands next to the skin on the crease's other side, and the field reads it too near: up to 11 mm on
the seat of slim chino 54 sitting (1st percentile of its face samples; the median is right). The face
contact pass (``garments.face_contact``) would lift cloth there that is clear of the skin and stretch it
(the seat's strain 6.2 % -> 9.4 %), so it reads ``surface_checked``'s field: readings the pass would
act on (below its clearance, down to ``POSED_SURFACE_CHECK_M`` inside) are replaced by the signed
distance to the posed skin's own triangles around the nearest skin vertices.
"""

from __future__ import annotations

import numpy as np

from .drape_constants import FACE_CLEARANCE_M, SDF_MARGIN_M
from .cell_neighbours import CellNeighbours
from .motion_constants import (POSED_FIELD_CANDIDATES, POSED_FIELD_CELL_M, POSED_FIELD_SAME_M, POSED_SURFACE_CHECK_M,
                                POSED_SURFACE_VERTICES)
from .posed_folds import Fold, in_folds, posed_folds
from .sdf import SignedDistanceField, closest_points_on_triangles


class SkinnedField(SignedDistanceField):
    """A ``SignedDistanceField`` of a posed body (same methods), from the rest body's field."""

    slope_bound = None  # a point's reading follows its nearest skin vertex's bone: it may jump between bones

    def __init__(self, rest: SignedDistanceField, posed_skin: np.ndarray, skin_transforms: np.ndarray,
                 folds: tuple[Fold, ...] = ()):
        """
        Parameters
        ----------
        rest : the rest body's field
        posed_skin : (S, 3) float, metres; skin vertices in the pose
        skin_transforms : (S, 4, 4) float; each of them's blended skinning transform, rest to pose
        folds : where the posed body's own field is read instead (``garments.posed_folds``)
        """
        super().__init__(origin=rest.origin, spacing=rest.spacing, values=rest.values, band=rest.band)
        self.__dict__["_table"] = rest._table  # share the rest field's interpolation table
        self.__dict__["_candidates"] = CellNeighbours(posed_skin, POSED_FIELD_CANDIDATES, POSED_FIELD_CELL_M,
                                                         SDF_MARGIN_M)
        # float32 like the field's table: the gathers of these per look-up are most of its cost
        self.__dict__["_forward"] = np.ascontiguousarray(skin_transforms[:, :3, :3], dtype=np.float32)
        self.__dict__["_inverse"] = np.ascontiguousarray(np.linalg.inv(skin_transforms)[:, :3, :], dtype=np.float32)
        self.__dict__["_folds"] = tuple(folds)

    def _interpolate(self, points: np.ndarray, columns: slice) -> np.ndarray:
        points = np.asarray(points, dtype=np.float64)
        if not self._folds:
            return self._carried(points, columns)
        fold = in_folds(self._folds, points)
        out = np.empty((len(points), len(range(4)[columns])), dtype=np.float64)
        carried = fold < 0
        if carried.any():
            out[carried] = self._carried(points[carried], columns)
        for k in np.unique(fold[~carried]):
            out[fold == k] = self._folds[k].field._interpolate(points[fold == k], columns)
        return out

    def _carried(self, points: np.ndarray, columns: slice) -> np.ndarray:
        """The rest field's readings carried by the bones, (n, k)."""
        n, k = len(points), POSED_FIELD_CANDIDATES
        nearest = self._candidates.query(points)  # (n, k)
        inverse = self._inverse[nearest]  # (n, k, 3, 4)
        rest = np.einsum("nkij,nj->nki", inverse[..., :3], points.astype(np.float32)) + inverse[..., 3]
        # Candidates whose transform takes the point where the nearest one's does read the same: only the
        # others are looked up (away from the joints, all of a point's skin follows one bone).
        other = np.linalg.norm(rest[:, 1:] - rest[:, :1], axis=2) > POSED_FIELD_SAME_M  # (n, k - 1)
        first = super()._interpolate(rest[:, 0].astype(np.float64), columns)
        out = np.repeat(first[:, None, :], k, axis=1)
        if other.any():
            out[:, 1:][other] = super()._interpolate(rest[:, 1:][other].astype(np.float64), columns)
        best = out[:, :, 0].argmin(axis=1)  # the union of the parts: the deepest reading wins (the nearest on a tie)
        rows = np.arange(n)
        out = out[rows, best]
        if out.shape[1] == 4:
            out[:, 1:] = np.einsum("nij,nj->ni", self._forward[nearest[rows, best]].astype(np.float64), out[:, 1:])
        return out


class SurfaceCheckedField(SkinnedField):
    """A ``SkinnedField`` whose readings near the skin come from the posed skin's triangles."""

    def __init__(self, carried: SkinnedField, vertices: np.ndarray, faces: np.ndarray, below: float):
        """
        Parameters
        ----------
        carried : the posed body's carried field (``skinned_field``)
        vertices : (V, 3) float, metres; the posed body's vertices
        faces : (F, 3) int; its skin triangles
        below : float, metres; readings from ``-POSED_SURFACE_CHECK_M`` up to this are checked
        """
        from scipy.spatial import cKDTree

        self.__dict__.update(carried.__dict__)
        self.__dict__["_below"] = float(below)
        faces = np.asarray(faces, dtype=np.int64)
        skin = np.unique(faces)
        corner = faces.reshape(-1)
        order = np.argsort(corner, kind="stable")
        valence = np.bincount(corner, minlength=len(vertices))
        start = np.concatenate([[0], np.cumsum(valence)[:-1]])
        rank = np.arange(len(corner)) - start[corner[order]]
        incident = np.empty((len(vertices), int(valence.max())), dtype=np.int64)
        incident[:] = (order // 3)[np.minimum(start, len(corner) - 1)][:, None]  # pad each row with the vertex's first face
        incident[corner[order], rank] = order // 3
        triangles = np.asarray(vertices, dtype=np.float64)[faces]
        normals = np.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0])
        self.__dict__["_triangles"] = triangles
        self.__dict__["_normals"] = normals / np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
        self.__dict__["_incident"] = incident[skin]
        self.__dict__["_skin_tree"] = cKDTree(np.asarray(vertices, dtype=np.float64)[skin])

    def surface_distance(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Signed distance to the skin triangles around each point's ``POSED_SURFACE_VERTICES`` nearest
        skin vertices (inside where the point is behind the closest triangle), and its outward unit gradient.

        Parameters
        ----------
        points : (n, 3) float, metres

        Returns
        -------
        distance : (n,) float, metres, negative inside; gradient : (n, 3) float, unit
        """
        points = np.asarray(points, dtype=np.float64)
        _, nearest = self._skin_tree.query(points, k=POSED_SURFACE_VERTICES)
        faces = self._incident[nearest].reshape(len(points), -1)  # (n, m)
        m = faces.shape[1]
        repeated = np.repeat(points, m, axis=0)
        closest = closest_points_on_triangles(repeated, self._triangles[faces.reshape(-1)])
        offset = (repeated - closest).reshape(len(points), m, 3)
        length = np.linalg.norm(offset, axis=2)
        best = length.argmin(axis=1)
        rows = np.arange(len(points))
        distance, offset = length[rows, best], offset[rows, best]
        sign = np.where(np.einsum("ij,ij->i", offset, self._normals[faces[rows, best]]) < 0.0, -1.0, 1.0)
        return sign * distance, sign[:, None] * offset / np.maximum(distance, 1e-12)[:, None]

    def _interpolate(self, points: np.ndarray, columns: slice) -> np.ndarray:
        out = super()._interpolate(points, columns)
        # In a fold the reading is the posed body's own already; its skin triangles there include buried ones.
        points = np.asarray(points, dtype=np.float64)
        near = np.flatnonzero((out[:, 0] > -POSED_SURFACE_CHECK_M) & (out[:, 0] < self._below))
        if len(near):
            near = near[in_folds(self._folds, points[near]) < 0]
        if len(near):
            distance, direction = self.surface_distance(points[near])
            out[near, 0] = distance
            if out.shape[1] == 4:
                out[near, 1:] = direction
        return out


def surface_checked(carried: SkinnedField, posed, below: float = FACE_CLEARANCE_M) -> SurfaceCheckedField:
    """The carried field of a posed body, checked near the skin against its triangles (for face contacts).

    Parameters
    ----------
    carried : ``skinned_field`` of the pose
    posed : avatar.pose.PosedBody it was made for
    below : float, metres; readings under this are checked (the face contact pass's clearance: it moves
        nothing that reads more)
    """
    return SurfaceCheckedField(carried, np.asarray(posed.avatar.vertices), np.asarray(posed.avatar.body_faces),
                               below)


def skinned_field(rest: SignedDistanceField, rest_avatar, posed) -> SkinnedField:
    """The posed body's field from its rest body's.

    Parameters
    ----------
    rest : the rest avatar's field (``garments.sdf.body_sdf``)
    rest_avatar : avatar.avatar.Avatar at rest
    posed : avatar.pose.PosedBody of it
    """
    from avatar.rig import load_rig

    rig = load_rig()
    skin = np.unique(np.asarray(rest_avatar.body_faces))
    blended = np.einsum("nk,nkij->nij", rig.skin_weights[skin], posed.transforms[rig.skin_bones[skin]])
    return SkinnedField(rest, np.asarray(posed.avatar.vertices)[skin], blended, posed_folds(rest_avatar, posed))


__all__ = ["SkinnedField", "SurfaceCheckedField", "skinned_field", "surface_checked"]
