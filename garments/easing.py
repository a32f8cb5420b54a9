"""Easing a cut piece out from the skin: the torso's convex hull cloth bridges hollows with, the radial frame
around the torso, offsets and clearances off the skin, and smoothing that keeps a piece's edges."""

from __future__ import annotations

import numpy as np

from avatar.surface import vertex_normals

from . import mesh_ops as mo
from . import dress_form as pt
from .making_constants import FINAL_CLEARANCE_M, MIN_CLEARANCE_M


def ease_profile(form: pt.BodyForm, ease: dict, y: np.ndarray) -> np.ndarray:
    """Circumference ease in metres at heights y, interpolated between the landmark levels."""
    keys = [k for k in ("hip", "waist", "chest") if k in ease]
    ys = np.array([form.levels[k] for k in keys])
    es = np.array([ease[k] for k in keys]) / 100.0
    order = np.argsort(ys)
    return np.interp(y, ys[order], es[order])


def radial(form: pt.BodyForm, v: np.ndarray):
    """Angle around the torso axis (0 facing +Z) and distance from it, in the horizontal plane."""
    cz = form.centre_at(v[:, 1])
    dx, dz = v[:, 0], v[:, 2] - cz
    return np.arctan2(dx, dz), np.hypot(dx, dz), cz


class HullTable:
    """Convex radius of the torso section around its centre, tabulated over height and angle."""

    def __init__(self, form: pt.BodyForm, lo: float, hi: float, xlim: float, step: float = 0.01):
        self.form = form
        self.ys = np.arange(lo, hi + step, step)
        self.thetas = np.linspace(-np.pi, np.pi, 181)
        self.r = np.zeros((len(self.ys), len(self.thetas)))
        for i, y in enumerate(self.ys):
            loop = pt.torso_section(form.vertices, form.body_faces, y)
            if loop is None:
                slab = form.vertices[np.abs(form.vertices[:, 1] - y) < 0.008]
                slab = slab[np.abs(slab[:, 0]) < 0.3]
                if len(slab) < 3:
                    continue
                loop = slab
            loop = loop[np.abs(loop[:, 0]) < xlim]
            if len(loop) >= 3:
                self.r[i] = pt.hull_radius(loop[:, [0, 2]], np.array([0.0, form.centre_at(y)]), self.thetas)
        # cloth spans small bumps (nipples, shoulder blades) instead of following them up and down
        from scipy.ndimage import maximum_filter1d, uniform_filter1d

        self.r = uniform_filter1d(maximum_filter1d(self.r, size=5, axis=0, mode="nearest"), size=5, axis=0,
                                  mode="nearest")

    def hanging(self, top: float) -> "HullTable":
        """The radius cloth hangs at: the widest radius at or above each height, up to ``top``."""
        out = object.__new__(HullTable)
        out.form, out.ys, out.thetas = self.form, self.ys, self.thetas
        r = self.r.copy()
        start = int(np.clip(np.searchsorted(self.ys, top), 0, len(self.ys) - 1))
        for i in range(start - 1, -1, -1):
            r[i] = np.maximum(r[i], r[i + 1])
        out.r = r
        return out

    def __call__(self, y: np.ndarray, theta: np.ndarray) -> np.ndarray:
        fy = np.clip((y - self.ys[0]) / (self.ys[1] - self.ys[0]), 0, len(self.ys) - 1.001)
        ft = (theta + np.pi) / (self.thetas[1] - self.thetas[0])
        i, j = fy.astype(int), np.clip(ft.astype(int), 0, len(self.thetas) - 2)
        a, b = fy - i, np.clip(ft - j, 0, 1)
        r = self.r
        return ((1 - a) * ((1 - b) * r[i, j] + b * r[i, j + 1])
                + a * ((1 - b) * r[i + 1, j] + b * r[i + 1, j + 1]))


def bridge(form, g, table, weight):
    """Move vertices out to the convex radius of their level (weight 0..1 per vertex), (N, 3)."""
    theta, r, _ = radial(form, g)
    hull = table(g[:, 1], theta)
    r_new = r + np.maximum(hull - r, 0) * weight
    return np.where(weight[:, None] > 0, set_radial(form, g, theta, r_new), g)


def smooth_normals(g, faces, iterations=4):
    """Vertex normals averaged over neighbours, (N, 3) unit."""
    n = vertex_normals(g, faces)
    adj = mo.neighbours(faces, len(g))
    for _ in range(iterations):
        n = n + adj @ n
        n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    return n


def torso_outward(form: pt.BodyForm, pts: np.ndarray) -> np.ndarray:
    """Horizontal unit directions away from the torso axis, (n, 3)."""
    o = np.zeros_like(pts)
    o[:, 0], o[:, 2] = pts[:, 0], pts[:, 2] - form.centre_at(pts[:, 1])
    return o / np.maximum(np.linalg.norm(o, axis=1, keepdims=True), 1e-9)


def set_radial(form, v, theta, r):
    cz = form.centre_at(v[:, 1])
    out = v.copy()
    out[:, 0] = np.sin(theta) * r
    out[:, 2] = cz + np.cos(theta) * r
    return out


def push_out(form: pt.BodyForm, v: np.ndarray, normals: np.ndarray, clearance: float = MIN_CLEARANCE_M):
    """Move vertices closer to the skin than ``clearance`` outward along ``normals`` (twice, for curvature)."""
    for _ in range(3):
        d = pt.body_clearance(form, v)
        low = d < clearance
        if not low.any():
            break
        v[low] += normals[low] * (clearance - d[low])[:, None]
    return v


def polyline_point(line: np.ndarray, t: np.ndarray) -> np.ndarray:
    seg = np.diff(line, axis=0)
    length = np.linalg.norm(seg, axis=1)
    cum = np.concatenate([[0], np.cumsum(length)])
    out = np.zeros((len(t), 3))
    for k in range(3):
        out[:, k] = np.interp(t, cum, line[:, k])
    return out


def arm_radius(form, side, t_at):
    v = form.vertices
    t, r = form.arm_coords(v, side)
    sel = (np.abs(t - t_at) < 0.02) & (r < 0.1)
    return float(np.percentile(r[sel], 90)) if sel.any() else 0.05


def smooth_fixed(g, faces, iterations):
    fixed = np.zeros(len(g), bool)
    for loop in mo.boundary_loops(faces):
        fixed[loop] = True
    return mo.taubin(g, faces, iterations, fixed)


def clear_of_skin(form: pt.BodyForm, v: np.ndarray, clearance: float = FINAL_CLEARANCE_M) -> np.ndarray:
    """Move any vertex (inner hem layers, band edges) closer to the skin than ``clearance`` straight
    out along the skin's normal, (N, 3)."""
    from scipy.spatial import cKDTree

    skin = np.unique(form.body_faces)
    tree = cKDTree(form.vertices[skin])
    for _ in range(3):
        d = pt.body_clearance(form, v)
        low = d < clearance
        if not low.any():
            break
        _, idx = tree.query(v[low])
        v[low] += form.normals[skin[idx]] * (clearance - d[low])[:, None]
    return v
