"""The head as hair sees it: the skull's centre, the skin along rays cast from it, and the hairline.

The rays run down meridians: one per column of hair, at an azimuth round the head's vertical axis
(0 at the face, 90 degrees at the left ear, the avatar's +X), from near the crown to under the jaw. Where
a ray leaves the skin for the last time is the head's outline in that direction, so the hair can be laid
at a chosen distance outside it, whatever the head's shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .hair_constants import (
    CENTRE_BAND_HEADS,
    CENTRE_UP_HEADS,
    HAIRLINE,
    HEAD_REACH_M,
    OUTLINE_JUMP_M,
    RAY_CANDIDATES,
    RAY_COLUMNS,
    RAY_ELEVATIONS,
    RAY_ROWS,
    SKULL_SMOOTHING_PASSES,
)


@dataclass(frozen=True)
class Skull:
    """The head's outline along its meridians.

    Attributes
    ----------
    centre : (3,) float, metres; the rays' origin, inside the skull at about the ears' top
    head_joint : (3,) float, metres
    head_height : float, metres; the crown's height above the head joint
    azimuth : (C,) float, radians; each meridian's azimuth (0 at the face, +pi/2 at the left ear)
    directions : (C, K, 3) float; unit ray directions, crown first
    distance : (C, K) float, metres; from the centre to the outermost skin along each ray
    """

    centre: np.ndarray
    head_joint: np.ndarray
    head_height: float
    azimuth: np.ndarray
    directions: np.ndarray
    distance: np.ndarray

    @property
    def points(self) -> np.ndarray:
        """(C, K, 3) float, metres: the skin where each ray leaves it."""
        return self.centre + self.directions * self.distance[..., None]

    def height(self, heads) -> np.ndarray:
        """Heights (metres, world y) of heights given in head heights above the head joint."""
        return self.head_joint[1] + np.asarray(heads, float) * self.head_height


def head_skin(avatar) -> tuple[np.ndarray, np.ndarray]:
    """The skin near the head: (P, 3) float vertices, metres, and (T, 3, 3) float triangles."""
    v = np.asarray(avatar.vertices, float)
    faces = np.asarray(avatar.body_faces)
    head = np.asarray(avatar.joints["head"], float)
    near = np.linalg.norm(v - (head + [0.0, 0.05, 0.0]), axis=1) < HEAD_REACH_M
    faces = faces[near[faces].all(axis=1)]
    return v[np.unique(faces)], v[faces]


def skull_centre(avatar, skin: np.ndarray) -> tuple[np.ndarray, float]:
    """The rays' origin (3,) metres and the crown's height above the head joint, metres."""
    head = np.asarray(avatar.joints["head"], float)
    rel = skin - head
    side = np.abs(rel[:, 0]) < 0.05
    height = float(rel[side, 1].max())
    low, high = CENTRE_BAND_HEADS
    band = rel[(rel[:, 1] > low * height) & (rel[:, 1] < high * height) & side]
    z = 0.5 * (band[:, 2].min() + band[:, 2].max())
    return head + np.array([0.0, CENTRE_UP_HEADS * height, z]), height


def meridian_directions(columns: int) -> tuple[np.ndarray, np.ndarray]:
    """(C,) azimuths, radians, and (C, K, 3) unit directions of the rays down each meridian."""
    azimuth = 2.0 * np.pi * np.arange(columns) / columns
    elevation = np.radians(np.linspace(*RAY_ELEVATIONS, RAY_ROWS))
    ce = np.cos(elevation)[None, :]
    directions = np.stack([np.sin(azimuth)[:, None] * ce, np.broadcast_to(np.sin(elevation), (columns, RAY_ROWS)),
                           np.cos(azimuth)[:, None] * ce], axis=-1)
    return azimuth, directions


def ray_hits(origin: np.ndarray, directions: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    """Distances along each ray to where it crosses the skin (Moller-Trumbore on the nearest triangles).

    Parameters
    ----------
    origin : (3,) float, metres
    directions : (n, 3) float, unit
    triangles : (T, 3, 3) float, metres

    Returns
    -------
    distance : (n, k) float, metres; a crossing per candidate triangle, NaN where it misses
    """
    from scipy.spatial import cKDTree

    towards = triangles.mean(axis=1) - origin
    towards /= np.linalg.norm(towards, axis=1, keepdims=True)
    _, candidates = cKDTree(towards).query(directions, k=min(RAY_CANDIDATES, len(triangles)))
    tri = triangles[candidates]  # (n, k, 3, 3)
    d = directions[:, None, :]
    e1, e2 = tri[:, :, 1] - tri[:, :, 0], tri[:, :, 2] - tri[:, :, 0]
    p = _cross(d, e2)
    det = (e1 * p).sum(axis=-1)
    ok = np.abs(det) > 1e-12
    inv = np.divide(1.0, det, out=np.zeros_like(det), where=ok)
    s = origin - tri[:, :, 0]
    u = (s * p).sum(axis=-1) * inv
    q = _cross(s, e1)
    w = (d * q).sum(axis=-1) * inv
    t = (e2 * q).sum(axis=-1) * inv
    hit = ok & (u >= -1e-6) & (w >= -1e-6) & (u + w <= 1.0 + 1e-6) & (t > 0.0)
    return np.where(hit, t, np.nan)


def follow_outline(hits: np.ndarray) -> np.ndarray:
    """The outline down each meridian, from the crowns down: at each ray the outermost crossing within
    ``OUTLINE_JUMP_M`` of the ray above (so it covers an ear, but does not leap from the neck to the
    back behind it), else the nearest crossing.

    Parameters
    ----------
    hits : (C, K, k) float, metres; crossings of each ray (NaN: none)

    Returns
    -------
    distance : (C, K) float, metres; NaN where a ray crosses nothing
    """
    out = np.full(hits.shape[:2], np.nan)
    out[:, 0] = np.nanmax(np.where(np.isnan(hits[:, 0]), -np.inf, hits[:, 0]), axis=1)
    out[~np.isfinite(out[:, 0]), 0] = np.nan
    previous = out[:, 0].copy()
    for k in range(1, hits.shape[1]):
        h = hits[:, k]
        ref = previous[:, None]
        close = np.where(np.abs(h - ref) < OUTLINE_JUMP_M, h, -np.inf)
        best = close.max(axis=1)
        nearest = np.take_along_axis(h, np.nanargmin(np.where(np.isnan(h), np.inf, np.abs(h - ref)), axis=1)[:, None],
                                     axis=1)[:, 0]
        row = np.where(np.isfinite(best), best, nearest)
        row = np.where(np.isnan(ref[:, 0]), np.nanmax(np.where(np.isnan(h), -np.inf, h), axis=1), row)
        row[~np.isfinite(row)] = np.nan
        out[:, k] = row
        previous = np.where(np.isnan(row), previous, row)
    return out


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cross products of (..., 3) arrays (broadcast), faster than ``np.cross`` on many small vectors."""
    return np.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1], a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
                     a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], axis=-1)


def _fill_and_smooth(distance: np.ndarray) -> np.ndarray:
    """Rays that missed take their meridian's neighbours' distance; then a light smoothing that never
    moves the outline inward (the cap must stay outside the skin's facets)."""
    rows = np.arange(distance.shape[1])
    out = distance.copy()
    for c in range(len(out)):
        bad = np.isnan(out[c])
        if bad.any():
            out[c, bad] = np.interp(rows[bad], rows[~bad], out[c, ~bad])
    smooth = out.copy()
    for _ in range(SKULL_SMOOTHING_PASSES):
        smooth = 0.5 * smooth + 0.25 * (np.roll(smooth, 1, axis=0) + np.roll(smooth, -1, axis=0))
        smooth[:, 1:-1] = 0.5 * smooth[:, 1:-1] + 0.25 * (smooth[:, :-2] + smooth[:, 2:])
    return np.maximum(smooth, out)


def cast_skull(avatar, columns: int) -> Skull:
    """The head's outline along ``columns`` meridians (see ``Skull``): rays cast down ``RAY_COLUMNS``
    meridians, their distances interpolated round the head to the hair's columns."""
    skin, triangles = head_skin(avatar)
    centre, height = skull_centre(avatar, skin)
    cast_azimuth, cast = meridian_directions(RAY_COLUMNS)
    hits = ray_hits(centre, cast.reshape(-1, 3), triangles).reshape(RAY_COLUMNS, cast.shape[1], -1)
    distance = follow_outline(hits)
    distance = _fill_and_smooth(distance)
    azimuth, directions = meridian_directions(columns)
    at = azimuth / (2.0 * np.pi) * RAY_COLUMNS
    low = np.floor(at).astype(int)
    f = (at - low)[:, None]
    distance = (1.0 - f) * distance[low % RAY_COLUMNS] + f * distance[(low + 1) % RAY_COLUMNS]
    return Skull(centre=centre, head_joint=np.asarray(avatar.joints["head"], float), head_height=height,
                 azimuth=azimuth, directions=directions, distance=distance)


def hairline_heads(azimuth: np.ndarray) -> np.ndarray:
    """The hairline's height (head heights above the head joint) at each azimuth (radians), smooth and
    symmetric left to right (``hair_constants.HAIRLINE``)."""
    from scipy.interpolate import PchipInterpolator

    a, h = np.array(HAIRLINE, float).T
    a = np.concatenate([-a[:0:-1], a, 360.0 - a[-2::-1]])  # mirrored past the face and the back: flat there
    h = np.concatenate([h[:0:-1], h, h[-2::-1]])
    degrees = np.degrees(np.asarray(azimuth, float)) % 360.0
    return PchipInterpolator(a, h)(np.minimum(degrees, 360.0 - degrees))


def smoothstep(x) -> np.ndarray:
    """0 below 0, 1 above 1, a smooth S between (zero slope at both ends)."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


__all__ = ["Skull", "cast_skull", "hairline_heads", "head_skin", "follow_outline", "ray_hits", "smoothstep"]
