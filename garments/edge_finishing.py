"""Finishing a garment's edges with real geometry: folded hems, neckbands and collars, cuffs, waistbands."""

from __future__ import annotations

import numpy as np

from . import mesh_ops as mo
from .easing import HullTable, polyline_point, push_out, radial, set_radial, smooth_normals, torso_outward
from .making_constants import (COLLAR_FALL_CLEARANCE_M, COLLAR_FALL_FIRST_RING, COLLAR_FALL_OFFSET_M, COLLAR_FALL_SMOOTHING,
                               COLLAR_LEAF_M, COLLAR_LEAF_OUTER_M, COLLAR_STAND_M,
                               COLLAR_STAND_OUTER_M, FABRIC_M, HEM_CLEARANCE_M, MIN_CLEARANCE_M)


def loop_frames(v, faces, loop, outward_fn):
    """Outward and 'into the garment' unit directions at each loop vertex, (k, 3) each."""
    o = outward_fn(v[loop])
    adj = mo.neighbours(faces, len(v))
    interior = np.zeros((len(loop), 3))
    on_loop = np.zeros(len(v), bool)
    on_loop[loop] = True
    for i, a in enumerate(loop):
        nb = adj.indices[adj.indptr[a]:adj.indptr[a + 1]]
        nb = nb[~on_loop[nb]]
        interior[i] = (v[nb].mean(axis=0) - v[a]) if len(nb) else 0.0
    u = interior - (interior * o).sum(1, keepdims=True) * o
    u = mo.smooth_loop(u, 5)
    u /= np.maximum(np.linalg.norm(u, axis=1, keepdims=True), 1e-9)
    return o, u


def hem_rings(q, o, u, depth, thick=FABRIC_M, surface=None):
    """A folded hem: round the edge inward by the fabric thickness and run back up inside.

    With ``surface`` (vertices, faces) of the garment the inner layer is kept at least the fabric
    thickness under it, so that it stays hidden where the garment narrows above the hem.
    """
    rings = [q - o * thick * 0.5 - u * thick * 0.4, q - o * thick]
    for frac in (0.33, 0.66, 1.0):
        rings.append(q + u * depth * frac - o * thick)
    if surface is not None:
        from scipy.spatial import cKDTree

        sv, sf = surface
        normals = smooth_normals(sv, sf, 2)
        tree = cKDTree(sv)
        for ring in rings[2:]:
            for _ in range(3):
                _, idx = tree.query(ring, k=4)
                height = np.einsum("nkj,nkj->nk", ring[:, None, :] - sv[idx], normals[idx]).max(axis=1)
                push = np.maximum(height + thick, 0.0)
                ring -= normals[idx[:, 0]] * push[:, None]
    return rings


def collar_rings(q, o, u, outerwear=False):
    """A shirt collar on a neckline: a stand rising round the neck, folded over at its top, and a fall that
    comes down outside the stand and lies on the garment below the neckline.

    Parameters
    ----------
    q : (k, 3) float, metres; the neckline, in order
    o, u : (k, 3) float; unit directions out from the neck and along the garment away from the neckline
    outerwear : a taller stand and a longer fall

    Returns
    -------
    list of (k, 3) float, metres; the rings from the neckline to the fall's edge
    """
    up = np.array([0.0, 1.0, 0.0])
    stand, leaf = (COLLAR_STAND_OUTER_M, COLLAR_LEAF_OUTER_M) if outerwear else (COLLAR_STAND_M, COLLAR_LEAF_M)
    lie = COLLAR_FALL_OFFSET_M
    # the fall runs square across the neckline: u without its share along the loop, smoothed, so that
    # neighbouring columns of the fall never cross
    t = np.roll(q, -1, axis=0) - np.roll(q, 1, axis=0)
    t /= np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-9)
    u = mo.smooth_loop(u - (u * t).sum(1, keepdims=True) * t, COLLAR_FALL_SMOOTHING)
    u /= np.maximum(np.linalg.norm(u, axis=1, keepdims=True), 1e-9)
    return [q + up * stand * 0.5 - o * 0.002, q + up * stand, q + up * stand + o * lie,
            q + up * stand * 0.4 + o * (lie + FABRIC_M), q + u * leaf * 0.4 + o * (lie + FABRIC_M),
            q + u * leaf + o * lie]


def _classify_loops(form, g, faces):
    loops = mo.boundary_loops(faces)
    out = {}
    for loop in loops:
        c = g[loop].mean(axis=0)
        if abs(c[0]) > 0.2:
            out.setdefault("cuff", []).append(loop)
        elif c[1] > form.levels["armpit"]:
            out.setdefault("neck", []).append(loop)
        elif abs(c[0]) > 0.06 and c[1] < form.levels["crotch"]:
            out.setdefault("leg", []).append(loop)
        else:
            out.setdefault("hem", []).append(loop)
    return out


def finish_top(form, p, g, faces, hem_fold=True):
    loops = _classify_loops(form, g, faces)
    neck = form.joints["neck"]

    def from_neck(pts):
        o = np.zeros_like(pts)
        o[:, 0], o[:, 2] = pts[:, 0], pts[:, 2] - neck[2]
        return o / np.maximum(np.linalg.norm(o, axis=1, keepdims=True), 1e-9)

    def from_torso(pts):
        return torso_outward(form, pts)

    for loop in loops.get("neck", []):
        # smooth the neckline, then add the band or collar
        g[loop] = mo.smooth_loop(g[loop], 20)
        o, u = loop_frames(g, faces, loop, from_neck)
        q = g[loop]
        up = np.array([0.0, 1.0, 0.0])
        if p.neck == "collar":
            rings = collar_rings(q, o, u, outerwear=p.category == "outerwear")
        elif p.neck == "crew":
            rib = 0.018
            rings = [q + up * rib * 0.6 + o * 0.0015, q + up * rib, q + up * rib - o * 0.005,
                     q - o * 0.005 + up * 0.002]
        else:  # scoop: a narrow bound edge
            rings = [q + up * 0.004 - o * 0.002, q - o * FABRIC_M, q - o * FABRIC_M - up * 0.015]
        start = len(g)
        g, faces, _ = mo.extrude_loop(g, faces, loop, rings)
        # the neck leans forward: keep the band or collar off the throat
        g[start:] = push_out(form, g[start:].copy(), np.tile(o, (len(rings), 1)), MIN_CLEARANCE_M)
        if p.neck == "collar":  # the fall lies over the garment's layer, off the skin by both
            fall = np.arange(start + COLLAR_FALL_FIRST_RING * len(loop), len(g))
            g[fall] = push_out(form, g[fall].copy(), torso_outward(form, g[fall]), COLLAR_FALL_CLEARANCE_M)
    for loop in loops.get("cuff", []):
        side = "l" if g[loop, 0].mean() > 0 else "r"
        axis = form.arm_axes[side]

        def from_arm(pts, axis=axis, side=side):
            t, _ = form.arm_coords(pts, side)
            c = polyline_point(axis, t)
            o = pts - c
            return o / np.maximum(np.linalg.norm(o, axis=1, keepdims=True), 1e-9)

        g[loop] = mo.smooth_loop(g[loop], 5)
        o, u = loop_frames(g, faces, loop, from_arm)
        g[loop] = push_out(form, g[loop].copy(), o, HEM_CLEARANCE_M)  # room for the turned-in layer
        depth = 0.05 if p.sleeve > 0.4 else p.hem_width
        q = g[loop]
        if p.sleeve > 0.4:  # a cuff: a band standing out from the sleeve, turned in at the edge
            rings = [q + o * 0.004 + u * 0.004, q + o * 0.004 - u * 0.001, q - o * 0.001 - u * 0.003,
                     q - o * 0.003 + u * 0.004, q - o * 0.003 + u * depth]
        else:
            rings = hem_rings(q, o, u, depth, surface=(g, faces))
        g, faces, _ = mo.extrude_loop(g, faces, loop, rings)
    for loop in loops.get("hem", []) if hem_fold else []:
        g[loop] = mo.smooth_loop(g[loop], 10)
        o, u = loop_frames(g, faces, loop, from_torso)
        g[loop] = push_out(form, g[loop].copy(), o, HEM_CLEARANCE_M)  # room for the turned-in layer
        g, faces, _ = mo.extrude_loop(g, faces, loop, hem_rings(g[loop], o, u, p.hem_width, surface=(g, faces)))
    return g, faces


def finish_bottom(form, p, g, faces):
    loops = mo.boundary_loops(faces)
    top_loop = max(loops, key=lambda lp: g[lp, 1].mean())

    for loop in loops:
        if loop is top_loop:
            continue
        side = "l" if g[loop, 0].mean() > 0 else "r"
        c = g[loop].mean(axis=0)

        def from_leg(pts, c=c):
            o = pts - c
            o[:, 1] = 0
            return o / np.maximum(np.linalg.norm(o, axis=1, keepdims=True), 1e-9)

        o, u = loop_frames(g, faces, loop, from_leg)
        g, faces, _ = mo.extrude_loop(g, faces, loop, hem_rings(g[loop], o, u, p.hem_width, surface=(g, faces)))
    g, faces = waistband(form, p, g, faces, top_loop)
    return g, faces


def waistband(form, p, g, faces, loop):
    """A waistband: steps out from the body of the garment, rises, and turns in over the top."""
    q = g[loop]
    h = p.waistband
    step = 0.0025 if p.category == "leggings" else 0.005
    inner = 0.008 if p.category != "leggings" else 0.004
    # the band follows the body's taper towards the waist: each ring's radius is the loop's radius
    # scaled by how much the body narrows between the loop's height and the ring's
    y0 = float(q[:, 1].mean())
    table = HullTable(form, y0 - 0.02, y0 + h + 0.02, 0.3)
    theta, r0, _ = radial(form, q)
    base = np.maximum(table(q[:, 1], theta), 1e-3)

    def ring(dy, extra):
        y = q[:, 1] + dy
        scale = np.clip(table(y, theta) / base, 0.85, 1.1)
        pts = set_radial(form, np.column_stack([q[:, 0], y, q[:, 2]]), theta, r0 * scale + extra)
        return pts

    rings = [ring(0.001, step * 0.6), ring(0.004, step), ring(h - 0.003, step), ring(h, step * 0.5),
             ring(h - 0.002, step - inner), ring(0.01, step - inner)]
    return mo.extrude_loop(g, faces, loop, rings)[:2]
