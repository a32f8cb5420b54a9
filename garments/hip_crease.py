"""The crease a flexed hip closes between the belly and the front of the thighs, bridged for a top's cloth.

Bending forward (or sitting), the belly comes down onto the front of the thighs and the skin between them
folds into a crease. Carried by the trunk, a top's hem went down into it and bunched there, tucked just
behind the thigh's front edge as seen from the side, where the shared show-through counter sees that edge
as skin in front of the cloth (crew tees, oxford shirts and field jackets in their recommended sizes
bending: 6-26 px from the side, 14 drapes on 7 of the 40 survey bodies). Cloth lies across a crease that narrow, from
the belly onto the thigh: a wedge fills its mouth and the cloth settles outside it too
(``garments.bridged_field``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from avatar.rig import load_rig

from .cloth_skinning import ARM_BONES, LEG_BONES
from .lap_bridge import thigh_skin_offset
from .motion_constants import HIP_CREASE_DEPTH_M, HIP_CREASE_MAX_DEG, HIP_CREASE_SKIN_PERCENTILE

NOT_THERE_M = 1.0  # the wedge's reading outside it: farther than any body reading, so the body's wins


@dataclass(frozen=True)
class HipCrease:
    """A wedge in the crease of the hip: from its ``corner`` along the thighs' front (``thigh``, unit) and the
    belly (``trunk``, unit), ``depth`` metres along each, ``half_width`` metres either side of the body's
    middle (``across``, unit, to the left)."""

    corner: np.ndarray
    thigh: np.ndarray
    trunk: np.ndarray
    across: np.ndarray
    half_width: float
    depth: float

    def distance_and_gradient(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A collision field for cloth, (n,) metres, and its gradient, (n, 3): inside the wedge, how far the
        point lies under the line across the crease's mouth, with the gradient straight out of the crease;
        elsewhere ``NOT_THERE_M``.

        Parameters
        ----------
        points : (n, 3) float, metres
        """
        offset = np.asarray(points, float) - self.corner
        lateral = offset @ self.across
        planar = offset - np.outer(lateral, self.across)
        # planar = a * thigh + b * trunk: the wedge is a, b >= 0 under the mouth
        tt, tb = self.thigh @ self.thigh, self.thigh @ self.trunk
        bb = self.trunk @ self.trunk
        pt, pb = planar @ self.thigh, planar @ self.trunk
        det = tt * bb - tb * tb
        a = (pt * bb - pb * tb) / det
        b = (pb * tt - pt * tb) / det
        out = self.thigh + self.trunk
        out /= np.linalg.norm(out)
        under = planar @ out - self.depth * float(self.thigh @ out)
        inside = (a >= 0.0) & (b >= 0.0) & (under < 0.0) & (np.abs(lateral) <= self.half_width)
        return np.where(inside, under, NOT_THERE_M), np.tile(out, (len(offset), 1))


def hip_crease(posed) -> HipCrease | None:
    """The crease of a pose whose hips flex to ``HIP_CREASE_MAX_DEG`` or less between the thighs and the
    trunk (bending 103 deg, sitting 90; standing, walking and reaching 174), else None.

    Its corner is where the front of the thighs meets the belly in the body's middle plane: each a line
    ``HIP_CREASE_SKIN_PERCENTILE`` percentile of the skin's offset in front of its axis (the thighs'
    middle 40 %; the trunk's lowest 5-35 % from the hips to the neck, within the hips' width). The
    wedge reaches ``HIP_CREASE_DEPTH_M`` from the corner along both and across the hips and thighs.

    Parameters
    ----------
    posed : avatar.pose.PosedBody
    """
    joints = posed.avatar.joints
    hips = np.array([joints["hip_l"], joints["hip_r"]], float)
    hip = hips.mean(axis=0)
    knee = np.mean([joints["knee_l"], joints["knee_r"]], axis=0)
    neck = np.asarray(joints["neck"], float)
    thigh_length, trunk_length = float(np.linalg.norm(knee - hip)), float(np.linalg.norm(neck - hip))
    thigh, trunk = (knee - hip) / thigh_length, (neck - hip) / trunk_length
    if np.degrees(np.arccos(np.clip(thigh @ trunk, -1.0, 1.0))) > HIP_CREASE_MAX_DEG:
        return None
    across = np.cross(thigh, trunk)  # the middle plane's normal, towards the left hip
    across *= np.sign(across @ (hips[0] - hips[1])) / np.linalg.norm(across)
    thigh_front = trunk - (trunk @ thigh) * thigh
    thigh_front /= np.linalg.norm(thigh_front)
    belly_front = thigh - (thigh @ trunk) * trunk
    belly_front /= np.linalg.norm(belly_front)

    thigh_offset = thigh_skin_offset(posed, hip, knee - hip, thigh_front, HIP_CREASE_SKIN_PERCENTILE)
    rig = load_rig()
    of_limb = np.array([label.startswith(LEG_BONES + ARM_BONES) for label in rig.bone_labels])
    skin = np.unique(np.asarray(posed.avatar.body_faces))
    at_trunk = np.asarray(posed.avatar.vertices, float)[skin[~of_limb[rig.skin_bones[skin, 0]]]] - hip
    up = at_trunk @ trunk
    hip_width = float(np.linalg.norm(hips[0] - hips[1]))
    low = (up > 0.05 * trunk_length) & (up < 0.35 * trunk_length) & (np.abs(at_trunk @ across) < hip_width)
    if thigh_offset is None or not low.any():
        return None
    belly_offset = float(np.percentile(at_trunk[low] @ belly_front, HIP_CREASE_SKIN_PERCENTILE))
    # the corner x * thigh + y * thigh_front with y = thigh_offset and its belly offset belly_offset
    x = (belly_offset - thigh_offset * float(thigh_front @ belly_front)) / float(thigh @ belly_front)
    corner = hip + x * thigh + thigh_offset * thigh_front
    return HipCrease(corner=corner, thigh=thigh, trunk=trunk, across=across,
                     half_width=hip_width / 2 + thigh_offset, depth=HIP_CREASE_DEPTH_M)


__all__ = ["HipCrease", "hip_crease"]
