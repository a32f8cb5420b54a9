"""The distance field of a posed body, without building a new grid: the rest body's field, carried by the bones.

A point near the posed body is taken back to the rest body by the inverse skinning transform of the
posed skin vertex nearest to it; its distance there is its distance here (each body part moves
rigidly) and the gradient turns with the part. The ``POSED_FIELD_CANDIDATES`` nearest skin vertices are
each tried and the deepest reading is kept, so a point pressed into one part (the thighs against the
belly when sitting) is inside even when skin of another part is nearer. Building a field for every pose would take 1.5 s or more;
this one costs a nearest-vertex query per look-up.
"""

from __future__ import annotations

import numpy as np

from .motion_constants import POSED_FIELD_CANDIDATES
from .sdf import SignedDistanceField


class SkinnedField(SignedDistanceField):
    """A ``SignedDistanceField`` of a posed body (same methods), from the rest body's field."""

    def __init__(self, rest: SignedDistanceField, posed_skin: np.ndarray, skin_transforms: np.ndarray):
        """
        Parameters
        ----------
        rest : the rest body's field
        posed_skin : (S, 3) float, metres; skin vertices in the pose
        skin_transforms : (S, 4, 4) float; each of them's blended skinning transform, rest to pose
        """
        from scipy.spatial import cKDTree

        super().__init__(origin=rest.origin, spacing=rest.spacing, values=rest.values, band=rest.band)
        self.__dict__["_table"] = rest._table  # share the rest field's interpolation table
        self.__dict__["_tree"] = cKDTree(np.asarray(posed_skin, float))
        # float32 like the field's table: the gathers of these per look-up are most of its cost
        self.__dict__["_forward"] = np.ascontiguousarray(skin_transforms[:, :3, :3], dtype=np.float32)
        self.__dict__["_inverse"] = np.ascontiguousarray(np.linalg.inv(skin_transforms)[:, :3, :], dtype=np.float32)

    def _interpolate(self, points: np.ndarray, columns: slice) -> np.ndarray:
        points = np.asarray(points, dtype=np.float64)
        n, k = len(points), POSED_FIELD_CANDIDATES
        _, nearest = self._tree.query(points, k=k)  # one thread: the calls are small and many
        nearest = nearest.reshape(-1)
        inverse = self._inverse[nearest]
        repeated = np.repeat(points.astype(np.float32), k, axis=0)
        rest = np.einsum("nij,nj->ni", inverse[:, :, :3], repeated) + inverse[:, :, 3]
        out = super()._interpolate(rest.astype(np.float64), columns).reshape(n, k, -1)
        best = out[:, :, 0].argmin(axis=1)  # the union of the parts: the deepest reading wins
        pick = np.arange(n) * k + best
        out = out[np.arange(n), best]
        if out.shape[1] == 4:
            out[:, 1:] = np.einsum("nij,nj->ni", self._forward[nearest[pick]].astype(np.float64), out[:, 1:])
        return out


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
    return SkinnedField(rest, np.asarray(posed.avatar.vertices)[skin], blended)


__all__ = ["SkinnedField", "skinned_field"]
