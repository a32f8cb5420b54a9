"""Silhouettes of a body mesh through a pinhole camera, without OpenGL (for calibration and tests)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class PinholeCamera:
    """A camera in front of a body standing at the origin.

    Attributes
    ----------
    height_m : float; lens height above the floor
    distance_m : float; horizontal distance from the body's vertical axis
    yfov_deg : float; vertical field of view
    width_px, height_px : int; image size
    aim_height_m : float; height on the body's axis the camera looks at (pitch follows)
    """

    height_m: float = 1.2
    distance_m: float = 3.0
    yfov_deg: float = 50.0
    width_px: int = 720
    height_px: int = 1280
    aim_height_m: float | None = None

    def pose(self) -> np.ndarray:
        """(4, 4) float: camera-to-world transform (OpenGL convention: looks along -Z, Y up)."""
        eye = np.array([0.0, self.height_m, self.distance_m])
        target = np.array([0.0, self.height_m if self.aim_height_m is None else self.aim_height_m, 0.0])
        back = eye - target
        back /= np.linalg.norm(back)
        right = np.cross([0.0, 1.0, 0.0], back)
        right /= np.linalg.norm(right)
        up = np.cross(back, right)
        pose = np.eye(4)
        pose[:3, 0], pose[:3, 1], pose[:3, 2], pose[:3, 3] = right, up, back, eye
        return pose

    @property
    def focal_px(self) -> float:
        return 0.5 * self.height_px / np.tan(np.radians(self.yfov_deg) / 2.0)

    def project(self, points: np.ndarray) -> np.ndarray:
        """(n, 3) world points, metres -> (n, 2) float pixel coordinates (x right, y down)."""
        world_to_cam = np.linalg.inv(self.pose())
        p = points @ world_to_cam[:3, :3].T + world_to_cam[:3, 3]
        z = -p[:, 2]
        f = self.focal_px
        x = self.width_px / 2.0 + f * p[:, 0] / z
        y = self.height_px / 2.0 - f * p[:, 1] / z
        return np.stack([x, y], axis=1)


def rotate_y(vertices: np.ndarray, yaw_deg: float) -> np.ndarray:
    """Turn a body about the vertical axis (positive: counter-clockwise seen from above)."""
    a = np.radians(yaw_deg)
    c, s = np.cos(a), np.sin(a)
    rot = np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])
    return vertices @ rot.T


def silhouette(vertices: np.ndarray, faces: np.ndarray, camera: PinholeCamera, supersample: int = 4) -> np.ndarray:
    """Binary silhouette of a mesh, as a renderer samples it (a pixel is inside when its centre is).

    OpenCV's polygon fill takes every pixel a triangle touches, which fattens the outline by
    about half a pixel; drawing at ``supersample`` times the size and keeping the pixels more
    than half covered samples the outline to within 1 / (2 * supersample) pixel.

    Parameters
    ----------
    vertices : (V, 3) float, metres
    faces : (F, 3) int
    camera : PinholeCamera
    supersample : int

    Returns
    -------
    (camera.height_px, camera.width_px) bool
    """
    shift = 4  # sub-pixel vertex positions (1/16 pixel)
    k = int(supersample)
    # pixel centres are at integer + 0.5 in the projection; the fine grid's pixel centres likewise
    pix = np.round((camera.project(vertices) * k - 0.5) * (1 << shift)).astype(np.int32)
    tris = pix[faces]
    mask = np.zeros((camera.height_px * k, camera.width_px * k), np.uint8)
    # Keep only triangles facing the camera: the back faces lie inside the front ones' outline.
    e1 = tris[:, 1] - tris[:, 0]
    e2 = tris[:, 2] - tris[:, 0]
    cross = e1[:, 0].astype(np.int64) * e2[:, 1] - e1[:, 1].astype(np.int64) * e2[:, 0]
    for tri in tris[cross <= 0]:
        cv2.fillConvexPoly(mask, tri, 1, lineType=cv2.LINE_8, shift=shift)
    if k == 1:
        return mask.astype(bool)
    coverage = cv2.resize(mask.astype(np.float32), (camera.width_px, camera.height_px), interpolation=cv2.INTER_AREA)
    return coverage > 0.5


# Arms turned by ``turn_arms``: the hand reaches this far beyond the wrist along the forearm; vertices
# within ARM_RADIUS_M of the arm's bones (HAND_RADIUS_M of the hand's axis: the thumb reaches out from
# it) are arm; the turn fades in from 3 cm on the body's side of the shoulder joint over 8 cm.
HAND_LENGTH_M = 0.2
ARM_RADIUS_M = 0.11
HAND_RADIUS_M = 0.15
ARM_BLEND_M = (0.03, 0.08)


def _distance_to_polyline(points: np.ndarray, corners: list[np.ndarray]) -> np.ndarray:
    """(n,) float: distance of each point to a polyline through ``corners``."""
    out = np.full(len(points), np.inf)
    for a, b in zip(corners[:-1], corners[1:]):
        d = b - a
        u = np.clip(((points - a) @ d) / max(float(d @ d), 1e-12), 0.0, 1.0)
        out = np.minimum(out, np.linalg.norm(points - (a + u[:, None] * d), axis=1))
    return out


def turn_arms(vertices: np.ndarray, joints: dict[str, np.ndarray], degrees: float) -> np.ndarray:
    """The body with both arms turned about their shoulders in the frontal plane, away from the body
    for positive ``degrees`` (a wider A-pose), towards it for negative.

    Shoppers hold the A-pose at their own angle; the calibration shows the models a range of them.
    An arm vertex is one nearer the arm (shoulder, elbow, wrist, hand) than the leg, within
    ``ARM_RADIUS_M`` of its bones (``HAND_RADIUS_M`` of the hand's axis); the turn fades in over
    the shoulder so the armpit stays joined.

    Parameters
    ----------
    vertices : (V, 3) float, metres (Y up, facing +Z; "_l" joints on the +X side)
    joints : name -> (3,) metres, with shoulder_l/r, elbow_l/r, wrist_l/r, hip_l/r, knee_l/r
    degrees : float

    Returns
    -------
    (V, 3) float
    """
    out = np.array(vertices, dtype=float)
    for side, sign in (("l", 1.0), ("r", -1.0)):
        shoulder, elbow, wrist = (np.asarray(joints[f"{n}_{side}"], float) for n in ("shoulder", "elbow", "wrist"))
        hand = wrist + (wrist - elbow) / np.linalg.norm(wrist - elbow) * HAND_LENGTH_M
        # the hand (with the thumb) is thicker about its bone than the arm: measure it with a wider radius
        arm = np.minimum(_distance_to_polyline(out, [shoulder, elbow, wrist]),
                         _distance_to_polyline(out, [wrist, hand]) - (HAND_RADIUS_M - ARM_RADIUS_M))
        leg = _distance_to_polyline(out, [np.asarray(joints[f"hip_{side}"], float),
                                          np.asarray(joints[f"knee_{side}"], float)])
        along = (out - shoulder) @ ((elbow - shoulder) / np.linalg.norm(elbow - shoulder))
        weight = np.clip((along + ARM_BLEND_M[0]) / ARM_BLEND_M[1], 0.0, 1.0) * ((arm < ARM_RADIUS_M) & (arm < leg))
        out += weight[:, None] * (_turned_about(out, shoulder, degrees * sign) - out)
    return out


def _turned_about(points: np.ndarray, centre: np.ndarray, degrees: float) -> np.ndarray:
    """(n, 3) points turned about ``centre`` in the frontal (x, y) plane, counter-clockwise seen from the front."""
    a = np.radians(degrees)
    c, s = np.cos(a), np.sin(a)
    rel = np.atleast_2d(points) - centre
    return np.stack([rel[:, 0] * c - rel[:, 1] * s, rel[:, 0] * s + rel[:, 1] * c, rel[:, 2]], axis=1) + centre


def turned_joints(joints: dict[str, np.ndarray], degrees: float) -> dict[str, np.ndarray]:
    """The joints of a body whose arms :func:`turn_arms` turned by ``degrees`` (elbows and wrists move)."""
    out = {k: np.asarray(v, float) for k, v in joints.items()}
    for side, sign in (("l", 1.0), ("r", -1.0)):
        shoulder = out[f"shoulder_{side}"]
        for name in ("elbow", "wrist"):
            out[f"{name}_{side}"] = _turned_about(out[f"{name}_{side}"], shoulder, degrees * sign)[0]
    return out

