"""Cutting a garment's piece out of the reference body's skin along a pattern's lines (hems, neckline,
sleeves, armholes), each line a scalar field over the skin that is >= 0 on the cloth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import mesh_ops as mo
from . import dress_form as pt
from .making_constants import ARM_LEFT_OUT_RADIUS_M, PINHOLE_MAX
from .pattern import Pattern


@dataclass
class Piece:
    """A garment surface under construction: the skin cut out, with its body attributes."""

    form: pt.BodyForm
    vertices: np.ndarray  # (N, 3) garment positions
    faces: np.ndarray
    body: np.ndarray  # (N, 3) skin position each vertex came from
    normals: np.ndarray  # (N, 3) skin normal there


def cut_skin(form: pt.BodyForm, fields: list[np.ndarray]) -> Piece:
    """Cut the skin where every field is >= 0 and keep the largest piece."""
    f = np.min(np.stack(fields), axis=0)
    parents, t, faces = mo.cut_by_field(form.body_faces, f)
    v = (1 - t)[:, None] * form.vertices[parents[:, 0]] + t[:, None] * form.vertices[parents[:, 1]]
    n = (1 - t)[:, None] * form.normals[parents[:, 0]] + t[:, None] * form.normals[parents[:, 1]]
    n /= np.linalg.norm(n, axis=1, keepdims=True)
    v2, faces, used = mo.largest_component(v, faces)
    n2 = n[used]
    # pinholes where the cut line grazed the skin: close them
    for _ in range(4):  # pinholes sharing a vertex show up one at a time
        small = [loop for loop in mo.boundary_loops(faces) if len(loop) < PINHOLE_MAX]
        if not small:
            break
        loop = small[0]
        centre = len(v2)
        v2 = np.vstack([v2, v2[loop].mean(axis=0)])
        n2 = np.vstack([n2, n2[loop].mean(axis=0) / max(np.linalg.norm(n2[loop].mean(axis=0)), 1e-9)])
        b = np.roll(loop, -1)
        faces = np.vstack([faces, np.stack([b, loop, np.full_like(loop, centre)], axis=1)])
    return Piece(form, v2.copy(), faces, v2.copy(), n2)


def neck_field(form: pt.BodyForm, p: Pattern, v: np.ndarray) -> np.ndarray:
    """>= 0 outside the neck opening: a tilted cylinder cut, low in front, high at the back."""
    j = form.joints
    neck = j["neck"]
    radius = 0.06 if form.sex == "female" else 0.068
    front_y = form.levels["neck_front"] - p.neck_drop
    back_y = neck[1] - 0.01
    zf, zb = neck[2] + radius, neck[2] - radius
    plane = front_y + (back_y - front_y) * np.clip((zf - v[:, 2]) / (zf - zb), 0, 1)
    hd = np.hypot(v[:, 0], (v[:, 2] - neck[2]) * 1.15)
    return np.maximum(plane - v[:, 1], hd - (radius + p.neck_open))


def arm_fields(form: pt.BodyForm, v: np.ndarray, p: Pattern) -> list[np.ndarray]:
    out = []
    for s in "lr":
        t, r = form.arm_coords(v, s)
        if p.sleeve > 0:
            out.append(np.maximum(p.sleeve - t, r - 0.1))  # sleeve ends at arc length p.sleeve
        else:  # armhole: a capsule around the arm axis from just past the shoulder joint (leaves a strap)
            axis = form.arm_axes[s].copy()
            axis[0] = axis[0] + 0.1 * (axis[1] - axis[0])
            _, r = pt.polyline_coords(v, axis)
            out.append(r - p.armhole)
    return out


def arms_left_out(form: pt.BodyForm) -> list[np.ndarray]:
    """Cut fields (>= 0 on the cloth) leaving the arms out of a bottom or a skirt, one per arm."""
    fields = []
    for side in "lr":
        _, radius = form.arm_coords(form.vertices, side)
        fields.append(radius - ARM_LEFT_OUT_RADIUS_M)
    return fields
