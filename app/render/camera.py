"""The orbit camera of the 3D view: orbit, zoom and pan around a target, view presets, turntable.

A camera is a small frozen value; every gesture returns a new camera, so a render request can hold
the camera it was made with while the user keeps dragging.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from .constants import (
    DEFAULT_PITCH_DEG,
    FRAME_MARGIN,
    MAX_DISTANCE_M,
    MAX_PITCH_DEG,
    MIN_DISTANCE_M,
    MIN_PITCH_DEG,
    ORBIT_DEG_PER_PX,
    VIEW_YAW_DEG,
    YFOV_DEG,
)

VIEWS = tuple(VIEW_YAW_DEG)


def _vector(value) -> np.ndarray:
    out = np.asarray(value, float).reshape(3).copy()
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class OrbitCamera:
    """A perspective camera on a sphere around ``target``.

    Attributes
    ----------
    target : (3,) float, metres; the point looked at and orbited around
    yaw_deg : float; 0 looks at the body's front (camera on +Z), 90 from its left side (+X), 180 its back
    pitch_deg : float; elevation of the camera above the target's horizontal plane
    distance_m : float; from the camera to the target
    yfov_deg : float; vertical field of view
    """

    target: np.ndarray = field(default_factory=lambda: _vector((0.0, 0.9, 0.0)))
    yaw_deg: float = 0.0
    pitch_deg: float = DEFAULT_PITCH_DEG
    distance_m: float = 3.5
    yfov_deg: float = YFOV_DEG

    def __post_init__(self):
        object.__setattr__(self, "target", _vector(self.target))
        object.__setattr__(self, "yaw_deg", float(self.yaw_deg) % 360.0)
        object.__setattr__(self, "pitch_deg", float(np.clip(self.pitch_deg, MIN_PITCH_DEG, MAX_PITCH_DEG)))
        object.__setattr__(self, "distance_m", float(np.clip(self.distance_m, MIN_DISTANCE_M, MAX_DISTANCE_M)))

    def __eq__(self, other) -> bool:
        return (isinstance(other, OrbitCamera) and np.array_equal(self.target, other.target)
                and (self.yaw_deg, self.pitch_deg, self.distance_m, self.yfov_deg)
                == (other.yaw_deg, other.pitch_deg, other.distance_m, other.yfov_deg))

    __hash__ = None

    # --- geometry ----------------------------------------------------------------------------------------------
    @property
    def position(self) -> np.ndarray:
        """(3,) float, metres: where the camera is."""
        yaw, pitch = math.radians(self.yaw_deg), math.radians(self.pitch_deg)
        direction = np.array([math.sin(yaw) * math.cos(pitch), math.sin(pitch), math.cos(yaw) * math.cos(pitch)])
        return self.target + self.distance_m * direction

    def pose(self) -> np.ndarray:
        """(4, 4) float: camera-to-world transform (OpenGL convention: the camera looks down its -Z, Y up)."""
        eye = self.position
        z = eye - self.target
        z /= np.linalg.norm(z)
        x = np.cross((0.0, 1.0, 0.0), z)
        x /= np.linalg.norm(x)
        y = np.cross(z, x)
        pose = np.eye(4)
        pose[:3, 0], pose[:3, 1], pose[:3, 2], pose[:3, 3] = x, y, z, eye
        return pose

    def project(self, points, width: int, height: int) -> np.ndarray:
        """Pixel coordinates of world points in a ``width`` x ``height`` picture.

        Parameters
        ----------
        points : (N, 3) float, metres

        Returns
        -------
        pixels : (N, 2) float; column, row from the top left (points behind the camera give nonsense)
        """
        world_to_camera = np.linalg.inv(self.pose())
        p = np.c_[np.asarray(points, float).reshape(-1, 3), np.ones(len(np.asarray(points).reshape(-1, 3)))]
        cam = (world_to_camera @ p.T).T[:, :3]
        f = (height / 2.0) / math.tan(math.radians(self.yfov_deg) / 2.0)
        depth = -cam[:, 2]
        col = width / 2.0 + f * cam[:, 0] / depth
        row = height / 2.0 - f * cam[:, 1] / depth
        return np.c_[col, row]

    # --- gestures ----------------------------------------------------------------------------------------------
    def orbit(self, dx_px: float, dy_px: float) -> OrbitCamera:
        """Drag by (dx, dy) pixels: right turns the body to the right, down lifts the eye."""
        return replace(self, yaw_deg=self.yaw_deg - dx_px * ORBIT_DEG_PER_PX,
                       pitch_deg=self.pitch_deg + dy_px * ORBIT_DEG_PER_PX)

    def zoom(self, factor: float) -> OrbitCamera:
        """Move closer (factor > 1) or away (factor < 1); the distance is divided by ``factor``."""
        if not factor > 0:
            raise ValueError(f"zoom factor must be positive, got {factor!r}")
        return replace(self, distance_m=self.distance_m / factor)

    def pan(self, dx_px: float, dy_px: float, height_px: int) -> OrbitCamera:
        """Slide the picture by (dx, dy) pixels of a ``height_px`` tall view: what was under the pointer stays."""
        metres_per_px = 2.0 * self.distance_m * math.tan(math.radians(self.yfov_deg) / 2.0) / max(height_px, 1)
        pose = self.pose()
        shift = (-dx_px * pose[:3, 0] + dy_px * pose[:3, 1]) * metres_per_px
        return replace(self, target=self.target + shift)

    def turned(self, degrees: float) -> OrbitCamera:
        """The turntable: the same camera moved ``degrees`` round the vertical axis."""
        return replace(self, yaw_deg=self.yaw_deg + degrees)

    def with_view(self, view: str) -> OrbitCamera:
        """The same framing seen from ``view`` (one of ``VIEWS``), at the default eye height."""
        if view not in VIEW_YAW_DEG:
            raise ValueError(f"unknown view {view!r}; use one of {', '.join(VIEWS)}")
        return replace(self, yaw_deg=VIEW_YAW_DEG[view], pitch_deg=DEFAULT_PITCH_DEG)


def framed(bounds, aspect: float, view: str = "front", axis=None, yfov_deg: float = YFOV_DEG,
           margin: float = FRAME_MARGIN, radius: float | None = None) -> OrbitCamera:
    """A camera that shows the whole box ``bounds`` with ``margin`` free on each side, from any yaw.

    The distance is chosen for the box's widest horizontal extent round the vertical axis, so the
    front, side and back views and the turntable keep one scale.

    Parameters
    ----------
    bounds : (2, 3) float, metres; min and max corners (the body, floor excluded)
    aspect : float; picture width / height
    view : one of ``VIEWS``
    axis : (x, z) metres of the vertical axis to orbit round; the middle of ``bounds`` if None
    radius : metres; the farthest any point is from that axis (tighter than the box's corner, which
        no arm and hand reach at once); from ``bounds`` if None
    """
    lo, hi = np.asarray(bounds, float)
    centre = (lo + hi) / 2.0
    if axis is not None:
        centre[0], centre[2] = axis
    half_height = (hi[1] - lo[1]) / 2.0
    if radius is None:
        radius = float(np.hypot(*np.maximum(np.abs(lo - centre), np.abs(hi - centre))[[0, 2]]))
    fill = max(1.0 - 2.0 * margin, 0.1)
    tan_y = math.tan(math.radians(yfov_deg) / 2.0)
    tan_x = tan_y * aspect
    pitch = math.radians(DEFAULT_PITCH_DEG)
    # the near side of the body is `radius` closer than the target: it appears larger
    vertical = half_height * math.cos(pitch) / (tan_y * fill) + radius
    horizontal = radius / (tan_x * fill) + radius
    camera = OrbitCamera(target=centre, distance_m=max(vertical, horizontal), yfov_deg=yfov_deg)
    return camera.with_view(view)


def framed_points(points, aspect: float, view: str = "front", axis=None, yfov_deg: float = YFOV_DEG,
                  margin: float = FRAME_MARGIN) -> OrbitCamera:
    """The closest camera that shows every point with ``margin`` free on each side, from any yaw.

    Tighter than :func:`framed`: each point needs the camera far enough for its own height and its
    own distance from the axis (the head is high but near the axis; the hands are far out but low).

    Parameters
    ----------
    points : (N, 3) float, metres
    aspect : float; picture width / height
    view : one of ``VIEWS``
    axis : (x, z) metres of the vertical axis to orbit round; the middle of the points' box if None
    """
    p = np.asarray(points, float).reshape(-1, 3)
    lo, hi = p.min(axis=0), p.max(axis=0)
    centre = (lo + hi) / 2.0
    if axis is not None:
        centre[0], centre[2] = axis
    r = np.hypot(p[:, 0] - centre[0], p[:, 2] - centre[2])      # how close each point can come to the camera
    fill = max(1.0 - 2.0 * margin, 0.1)
    tan_y = math.tan(math.radians(yfov_deg) / 2.0) * fill
    tan_x = tan_y * aspect
    pitch = math.radians(DEFAULT_PITCH_DEG)
    # vertical: |height in the tilted view| / (distance - depth toward the camera) <= tan_y
    up = np.abs((p[:, 1] - centre[1]) * math.cos(pitch)) + r * math.sin(pitch)
    vertical = up / tan_y + r
    # sideways: a point at radius r, seen at its worst yaw, needs r * sqrt(1 + 1 / tan_x^2)
    sideways = r * math.sqrt(1.0 + 1.0 / tan_x ** 2)
    camera = OrbitCamera(target=centre, distance_m=float(max(vertical.max(), sideways.max())), yfov_deg=yfov_deg)
    return camera.with_view(view)
