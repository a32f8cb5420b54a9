"""The lap a top's cloth lies across when sitting: the gap between the raised thighs, filled up to their tops.

Cloth stretched across a gap narrower than it can fall into stays on the edges of the gap. Sitting with
the thighs apart, a top's front hem lies across both thighs; carried by the trunk it hung down into the
gap between them instead, just behind the inner edges of the thighs, and the shared show-through counter
saw those edges as skin in front of the cloth (a crew tee XS on a slim-thighed man: 192 px). Settled
against the posed body and this column, the cloth between the thighs lies level with the cloth on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from avatar.rig import load_rig

from .cloth_skinning import raised_thighs
from .motion_constants import LAP_BRIDGE_SAG_M, LAP_BRIDGE_THIGH_SHARE, LAP_THIGH_TOP_PERCENTILE


@dataclass(frozen=True)
class LapColumn:
    """The space between the raised thighs under the lap, in its own frame: along the thighs ``0 <= s <= reach``,
    across them ``|l| <= half_width``, up to ``h <= top`` over their axes, with no floor.

    Attributes
    ----------
    hip : (3,) float, metres; midway between the hip joints, the frame's origin
    axes : (3, 3) float; rows: along the thighs (towards the knees), across them (to the left), up
    reach, half_width, top : float, metres
    """

    hip: np.ndarray
    axes: np.ndarray
    reach: float
    half_width: float
    top: float

    def distance_and_gradient(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A collision field for cloth: (n,) metres, negative inside, and its gradient (n, 3).

        Outside, the distance to the column; inside, how far under its top a point is, with the gradient
        up: cloth in the gap is lifted onto the lap, never pushed sideways into a thigh or down.

        Parameters
        ----------
        points : (n, 3) float, metres
        """
        local = (np.asarray(points, float) - self.hip) @ self.axes.T
        along = local[:, 0] - self.reach / 2
        q = np.c_[np.abs(along) - self.reach / 2, np.abs(local[:, 1]) - self.half_width, local[:, 2] - self.top]
        outside = np.maximum(q, 0.0)
        length = np.linalg.norm(outside, axis=1)
        inside = length == 0.0
        gradient = outside / np.maximum(length, 1e-12)[:, None]
        gradient[:, 0] *= np.sign(along)
        gradient[:, 1] *= np.sign(local[:, 1])
        gradient[inside] = (0.0, 0.0, 1.0)
        return np.where(inside, q[:, 2], length), gradient @ self.axes


def thigh_skin_offset(posed, hip: np.ndarray, thigh: np.ndarray, direction: np.ndarray,
                      percentile: float) -> float | None:
    """How far the skin of the middle 40 % of the thighs lies along ``direction`` from their common axis, at
    ``percentile`` (metres; None when no thigh skin lies there).

    Parameters
    ----------
    posed : avatar.pose.PosedBody
    hip : (3,) float, metres; midway between the hip joints
    thigh : (3,) float, metres; from there to midway between the knees
    direction : (3,) float, unit
    """
    rig = load_rig()
    of_thigh = np.array([label.startswith("upperleg") for label in rig.bone_labels])
    skin = np.unique(np.asarray(posed.avatar.body_faces))
    skin = skin[of_thigh[rig.skin_bones[skin, 0]]]
    offset = np.asarray(posed.avatar.vertices, float)[skin] - hip
    length = float(np.linalg.norm(thigh))
    along = offset @ (thigh / length)
    middle = (along > 0.3 * length) & (along < 0.7 * length)
    if not middle.any():
        return None
    return float(np.percentile(offset[middle] @ direction, percentile))


def lap_column(posed) -> LapColumn | None:
    """The gap between the thighs when both are raised into a lap (``raised_thighs``), else None.

    It reaches ``LAP_BRIDGE_THIGH_SHARE`` of the way from the hips to the knees and up to
    ``LAP_BRIDGE_SAG_M`` under the thighs' tops (the ``LAP_THIGH_TOP_PERCENTILE`` percentile of how high
    the skin of the middle 40 % of the thighs lies over their axes).

    Parameters
    ----------
    posed : avatar.pose.PosedBody
    """
    if raised_thighs(posed) != {"L", "R"}:
        return None
    joints = posed.avatar.joints
    hips = np.array([joints["hip_l"], joints["hip_r"]], float)
    hip = hips.mean(axis=0)
    thigh = np.mean([joints["knee_l"], joints["knee_r"]], axis=0) - hip
    length = float(np.linalg.norm(thigh))
    along = thigh / length
    across = hips[0] - hips[1]
    across -= along * (across @ along)
    across /= np.linalg.norm(across)
    up = np.cross(along, across)
    up *= np.sign(up[1]) or 1.0
    top = thigh_skin_offset(posed, hip, thigh, up, LAP_THIGH_TOP_PERCENTILE)
    if top is None or top - LAP_BRIDGE_SAG_M <= 0.0:
        return None
    return LapColumn(hip=hip, axes=np.array([along, across, up]), reach=LAP_BRIDGE_THIGH_SHARE * length,
                     half_width=float(np.linalg.norm(hips[0] - hips[1])) / 2, top=top - LAP_BRIDGE_SAG_M)


__all__ = ["LapColumn", "lap_column", "thigh_skin_offset"]
