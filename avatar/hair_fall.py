"""Hair hanging below the head: strands that drop from the nape, sweep behind the shoulders and lie over
the back, kept out of the skin; and the same strands hung again with gravity when the head tilts.
"""

from __future__ import annotations

import numpy as np

from .hair_constants import (
    FALL_CLEARANCE_M,
    FALL_OVER_CLOTHES_M,
    FALL_PUSHES,
    FALL_STEP_M,
    GRAVITY_REACH_M,
    PARTING_SLIDE,
    POSE_REACH_M,
    SWEEP_BULGE_M,
    SWEEP_DROP_M,
    SWEEP_HALF_WIDTH_M,
    TILT_FULL_DEG,
    TILT_START_DEG,
)
from .hair_skull import smoothstep
from .surface import vertex_normals


class SkinPush:
    """Pushes points out of a body's skin along the nearest skin point's normal.

    Parameters
    ----------
    vertices : (V, 3) float, metres; the body's vertices
    faces : (F, 3) int; its skin triangles
    near : (3,) float, metres; only skin within ``POSE_REACH_M`` of this point is used
    """

    def __init__(self, vertices, faces, near):
        from scipy.spatial import cKDTree

        v = np.asarray(vertices, float)
        faces = np.asarray(faces)
        keep = np.linalg.norm(v - np.asarray(near, float), axis=1) < POSE_REACH_M
        faces = faces[keep[faces].all(axis=1)]
        used = np.unique(faces)
        self.points = v[used]
        self.normals = vertex_normals(v, faces)[used]
        self.tree = cKDTree(self.points)

    def push(self, points: np.ndarray, clearance) -> np.ndarray:
        """(n, 3) points moved out to at least ``clearance`` (metres, scalar or (n,)) off the skin."""
        for _ in range(FALL_PUSHES):
            _, near = self.tree.query(points)
            out = np.einsum("ij,ij->i", points - self.points[near], self.normals[near])
            points = points + np.clip(clearance - out, 0.0, None)[:, None] * self.normals[near]
        return points


def _upper_back(push: SkinPush, nape: np.ndarray) -> float:
    """World z (metres) of the back's surface 8-20 cm under the nape, near the spine."""
    rel = push.points - nape
    band = (rel[:, 1] < -0.08) & (rel[:, 1] > -0.20) & (np.abs(rel[:, 0]) < 0.06)
    return float(push.points[band, 2].min()) if band.any() else float(nape[2] - 0.08)


def hang_below(start: np.ndarray, azimuth: np.ndarray, lowest: float, push: SkinPush, axis_x: float,
               nape: np.ndarray) -> np.ndarray:
    """Rows of hair hanging from ``start`` down to the height ``lowest``.

    Each strand drops straight, sweeping behind the shoulders onto the back within ``SWEEP_DROP_M``: the
    strands from the face's sides go to the outer edges, those from the back of the head to the middle,
    so the strands keep their order and never cross; each row is kept out of the skin, the clearance
    growing from the neck to the ends (over clothes).

    Parameters
    ----------
    start : (C, 3) float, metres; each strand's point at the nape's height, where the fall starts
    azimuth : (C,) float, radians; each strand's azimuth round the head (0 at the face)
    lowest : float, metres; world height of the lowest end
    push : SkinPush of the standing body
    axis_x : float, metres; the head's middle, left to right
    nape : (3,) float, metres; the nape hairline's middle

    Returns
    -------
    rows : (C, S, 3) float, metres; S rows, the first ``FALL_STEP_M`` under ``start``
    """
    steps = max(1, int(np.ceil((start[:, 1].max() - lowest) / FALL_STEP_M)))
    degrees = np.degrees(azimuth) % 360.0
    away = np.minimum(degrees, 360.0 - degrees)  # 0 at the face, 180 at the back
    side = np.sign(np.sin(azimuth))
    spread = smoothstep((180.0 - away) / 100.0)  # 0 at the back's middle, 1 at the face's sides
    target_x = axis_x + side * SWEEP_HALF_WIDTH_M * np.sin(0.5 * np.pi * spread)
    back = _upper_back(push, nape) - FALL_OVER_CLOTHES_M
    target_z = np.minimum(start[:, 2], back - SWEEP_BULGE_M * np.cos(0.5 * np.pi * spread))
    rows = []
    point = start.copy()
    for step in range(1, steps + 1):
        drop = step * FALL_STEP_M
        blend = float(smoothstep(drop / SWEEP_DROP_M))
        point = point.copy()
        point[:, 1] = start[:, 1] - drop
        point[:, 0] = start[:, 0] + (target_x - start[:, 0]) * blend
        point[:, 2] = np.minimum(point[:, 2], start[:, 2] + (target_z - start[:, 2]) * blend)
        clearance = FALL_CLEARANCE_M + (FALL_OVER_CLOTHES_M - FALL_CLEARANCE_M) * min(1.0, drop / SWEEP_DROP_M)
        point = push.push(point, clearance)
        rows.append(point)
    return np.stack(rows, axis=1)


def head_tilt(rotation: np.ndarray) -> float:
    """0 while the head is upright, 1 once it tilts ``TILT_FULL_DEG`` (its up axis from the vertical)."""
    up = np.asarray(rotation, float) @ np.array([0.0, 1.0, 0.0])
    angle = np.degrees(np.arccos(np.clip(up[1], -1.0, 1.0)))
    return float(smoothstep((angle - TILT_START_DEG) / (TILT_FULL_DEG - TILT_START_DEG)))


def rehang(rest: np.ndarray, free_from: np.ndarray, g: np.ndarray, push: SkinPush) -> np.ndarray:
    """Strands of hair moved with the head into a pose, their free part hung again with gravity.

    Parameters
    ----------
    rest : (C, R, 3) float, metres; the strands standing, crown first
    free_from : (C,) int; each strand's first free row (R: none); the rows above move with the head
    g : (4, 4) float; the head bone's transform into the pose
    push : SkinPush of the posed body

    Returns
    -------
    (C, R, 3) float, metres; the strands in the pose
    """
    rotation, shift = g[:3, :3], g[:3, 3]
    rigid = rest @ rotation.T + shift
    tilt = head_tilt(rotation)
    if tilt == 0.0 or free_from.min() >= rest.shape[1]:
        return rigid
    out = rigid.copy()
    segment = np.diff(rest, axis=1)  # (C, R-1, 3): row r-1 to row r, standing
    length = np.linalg.norm(segment, axis=-1)
    carried = segment @ rotation.T / np.maximum(length, 1e-9)[..., None]
    side = np.sign(rest[:, 0, 0] - rest[:, 0, 0].mean())  # each strand falls to its own side of a parting
    down = np.array([0.0, -1.0, 0.0]) + PARTING_SLIDE * side[:, None] * rotation[:, 0]
    down /= np.linalg.norm(down, axis=1, keepdims=True)
    hanging = np.zeros(len(rest))
    for r in range(1, rest.shape[1]):
        free = free_from <= r
        if not free.any():
            continue
        hanging = np.where(free, hanging + length[:, r - 1], 0.0)
        weight = tilt * smoothstep(hanging / GRAVITY_REACH_M)[:, None]
        direction = (1.0 - weight) * carried[:, r - 1] + weight * down
        direction /= np.maximum(np.linalg.norm(direction, axis=1, keepdims=True), 1e-9)
        moved = out[:, r - 1] + direction * length[:, r - 1, None]
        moved = push.push(moved, FALL_CLEARANCE_M)
        out[free, r] = moved[free]
    return out


__all__ = ["SkinPush", "hang_below", "head_tilt", "rehang"]
