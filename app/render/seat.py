"""The seat under a sitting body: a plain block, placed from the posed body itself.

A sitting body drawn without anything under it hovers in mid-air. The seat is a prop of the pictures
and the 3D view only (never of the drape's GLB scene): a box standing on the floor, its top where the
buttocks and thighs rest, as wide as the thighs and reaching from behind the buttocks to part of the way
to the knees, so the calves hang free in front of it. Plain numpy; the renderer draws it in
``SEAT_SRGB``, a neutral grey that no skin tone or catalog cloth has.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .constants import SEAT_BACK_M, SEAT_DEPTH_SHARE, SEAT_SIDE_M

# the box's 6 sides as 4 corners each (corner k has x from bit 0, y from bit 1, z from bit 2 of k), wound
# counter-clockwise seen from outside
_SIDES = ((0, 4, 6, 2), (1, 3, 7, 5), (0, 1, 5, 4), (2, 6, 7, 3), (0, 2, 3, 1), (4, 5, 7, 6))


@dataclass(frozen=True)
class Seat:
    """A box on the floor under a sitting body.

    Attributes
    ----------
    lo, hi : (3,) float tuples, metres; the box's min and max corners (``lo[1]`` is 0: on the floor)
    """

    lo: tuple
    hi: tuple

    @property
    def corners(self) -> np.ndarray:
        """(8, 3) float, metres."""
        lo, hi = np.asarray(self.lo, float), np.asarray(self.hi, float)
        return np.array([[(hi if k >> a & 1 else lo)[a] for a in range(3)] for k in range(8)])

    def mesh(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The box with flat sides: vertices (24, 3) float metres, faces (12, 3) uint32, normals (24, 3)."""
        corners = self.corners
        vertices = np.concatenate([corners[list(side)] for side in _SIDES]).astype(np.float32)
        faces = np.array([[4 * s, 4 * s + 1, 4 * s + 2] for s in range(6)]
                         + [[4 * s, 4 * s + 2, 4 * s + 3] for s in range(6)], np.uint32)
        normal = np.cross(vertices[faces[:6, 1]] - vertices[faces[:6, 0]], vertices[faces[:6, 2]] - vertices[faces[:6, 0]])
        normal /= np.linalg.norm(normal, axis=1, keepdims=True)
        return vertices, faces, np.repeat(normal, 4, axis=0).astype(np.float32)


def seat_under(vertices, joints) -> Seat | None:
    """The seat under a sitting body, or None when nothing of the body lies over its place.

    Parameters
    ----------
    vertices : (V, 3) float, metres; the posed body, Y up, facing +Z, feet on y = 0
    joints : mapping of joint name -> (3,) float, metres; the posed rig's ``hip_l``, ``hip_r``, ``knee_l``,
        ``knee_r`` are used

    Returns
    -------
    seat : Seat whose top touches the lowest body point above it, or None
    """
    v = np.asarray(vertices, float)
    hips = np.array([joints["hip_l"], joints["hip_r"]], float)
    knees = np.array([joints["knee_l"], joints["knee_r"]], float)
    legs = np.concatenate([hips, knees])
    x0, x1 = legs[:, 0].min() - SEAT_SIDE_M, legs[:, 0].max() + SEAT_SIDE_M
    hip_y, hip_z, knee_z = hips[:, 1].mean(), hips[:, 2].mean(), knees[:, 2].mean()
    front = hip_z + SEAT_DEPTH_SHARE * (knee_z - hip_z)
    below = v[(v[:, 0] >= x0) & (v[:, 0] <= x1) & (v[:, 1] < hip_y) & (v[:, 2] <= front)]
    if not len(below):
        return None
    back = below[:, 2].min() - SEAT_BACK_M
    top = float(below[:, 1].min())
    if not top > 0:
        return None
    return Seat((float(x0), 0.0, float(back)), (float(x1), top, float(front)))


__all__ = ["Seat", "seat_under"]
