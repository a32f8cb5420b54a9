"""Garment making: cut the reference skin along a pattern's lines, ease it out, finish its edges.

A garment is cut from the reference body's skin along smooth lines (hem heights, sleeve lengths,
a neckline, armholes), moved out by its ease (bridging hollows the way cloth does, hanging
straight below the chest or the thigh where the pattern says so), smoothed, and finished with
real geometry: folded hems, ribbed neckbands, collars standing off the neck, cuffs, waistbands
thicker than the fabric and flared skirts. ``garments.generator`` holds the catalog's patterns.

Frame: metres, Y up, facing +Z, feet on y = 0, A-pose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from avatar.surface import vertex_normals
from avatar.tape import hull_perimeter

from . import mesh_ops as mo
from . import patterns as pt
from .catalog import reference_sex

TAU = 2.0 * np.pi
# Fabric thickness used for folds and bands, metres (a mid-weight cotton, doubled at folds).
FABRIC_M = 0.003
# Boundary loops shorter than this after a cut are pinholes, not openings of the garment.
PINHOLE_MAX = 16
# No generated garment vertex comes closer to the skin than this, metres.
MIN_CLEARANCE_M = 0.004
# A hem edge stays this far off the skin so its turned-in layer (a fabric thickness inside) clears it.
HEM_CLEARANCE_M = MIN_CLEARANCE_M + FABRIC_M
# After finishing (folds and bands add inner layers) no vertex is closer to the skin than this, metres
# (small: pushing an inner hem layer further would poke it through the outer one).
FINAL_CLEARANCE_M = 0.0005


@dataclass(frozen=True)
class Pattern:
    """Pattern-like parameters of one garment (lengths in metres, ease in cm of circumference)."""

    id: str
    name: str
    category: str
    kind: str  # "top", "bottom", "skirt", "dress"
    fits: str
    price: float
    sku: str
    colours: tuple
    stretch: float
    layer: int
    sizes: tuple
    base_size: str
    grade_circ_cm: float  # circumference change per size step
    grade_len_cm: float  # length change per size step
    ease: dict = field(default_factory=dict)  # zone -> cm of circumference over the body
    hem: tuple = ("hip", 0.0)  # (level, offset) of the lower edge
    top: tuple = ("waist", 0.0)  # bottoms: level and offset of the waistband top
    sleeve: float = 0.0  # sleeve length from the shoulder joint, metres (0: sleeveless)
    sleeve_open_cm: float = 0.0  # extra sleeve width over the upper arm, cm of circumference
    hang: float = 1.0  # 1: hangs straight down from the chest; 0: follows the body
    leg_hang: float = 1.0  # trousers: 1 hangs straight from the thigh, 0 follows the leg
    hem_open_cm: float = 0.0  # trousers: leg opening circumference at the hem, cm (0: follow leg)
    neck: str = "crew"  # crew, collar, scoop
    neck_open: float = 0.02  # neck opening beyond the neck's radius, metres
    neck_drop: float = 0.0  # extra drop of the front neckline, metres
    flare: float = 0.0  # skirts: radius gained per metre below the hip
    waistband: float = 0.04  # waistband height, metres
    hem_width: float = 0.025  # folded hem depth, metres
    armhole: float = 0.1  # sleeveless: armhole radius around the arm axis, metres


# ---------------------------------------------------------------- building blocks

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


def level(form: pt.BodyForm, spec: tuple) -> float:
    name, offset = spec
    return form.levels[name] + offset


def ease_profile(form: pt.BodyForm, ease: dict, y: np.ndarray) -> np.ndarray:
    """Circumference ease in metres at heights y, interpolated between the landmark levels."""
    keys = [k for k in ("hip", "waist", "chest") if k in ease]
    ys = np.array([form.levels[k] for k in keys])
    es = np.array([ease[k] for k in keys]) / 100.0
    order = np.argsort(ys)
    return np.interp(y, ys[order], es[order])


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


# ---------------------------------------------------------------- garment kinds

def _arm_fields(form: pt.BodyForm, v: np.ndarray, p: Pattern) -> list[np.ndarray]:
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


def build_top(form: pt.BodyForm, p: Pattern, hem_y: float | None = None, hem_fold: bool = True):
    v = form.vertices
    lo = hem_y if hem_y is not None else level(form, p.hem)
    fields = [v[:, 1] - lo, neck_field(form, p, v), form.joints["neck"][1] - 0.005 - v[:, 1]]
    fields += _arm_fields(form, v, p)
    piece = cut_skin(form, fields)
    g, n = piece.vertices, piece.normals
    ease = ease_profile(form, p.ease, g[:, 1])
    # arm weight: 1 on the sleeve, 0 on the body, blended over the armhole
    arm_w, arm_data = np.zeros(len(g)), {}
    for s in "lr":
        t, r = form.arm_coords(g, s)
        axis = form.arm_axes[s]
        w = np.clip((0.12 - r) / 0.04, 0, 1) * np.clip(t / 0.06, 0, 1)
        arm_w = np.maximum(arm_w, w)
        arm_data[s] = (t, r, w)
    xlim = abs(form.joints["shoulder_l"][0]) + 0.02
    table = HullTable(form, lo - 0.02, form.levels["shoulder"] + 0.08, xlim)
    torso_w = (1 - arm_w) * (g[:, 1] < form.levels["armpit"] + 0.02)
    # 1. bridge the body's hollows (cleavage, spine, between the buttocks) the way cloth spans them
    g = bridge(form, g, table, torso_w)
    # 2. offset along the bridged surface's normal by the local ease
    shoulder_d = p.ease.get("shoulder", 2.0) / 100.0
    d = (1 - arm_w) * ease / TAU + arm_w * shoulder_d
    g = g + smooth_normals(g, piece.faces) * d[:, None]
    # 3. hang straight down from the widest level above (the bust, the shoulder blades)
    theta, r, _ = radial(form, g)
    chest_y = form.levels["chest"]
    hang_r = p.hang * (table.hanging(chest_y + 0.04)(g[:, 1], theta) + ease / TAU)
    if p.flare > 0:
        hip_y = form.levels["hip"]
        hang_r = np.maximum(hang_r, (table(np.full(len(g), hip_y), theta) + p.ease["hip"] / 100 / TAU)
                            * (g[:, 1] < hip_y) + p.flare * np.clip(hip_y - g[:, 1], 0, None))
    r_new = np.maximum(r, hang_r)
    g = np.where(torso_w[:, None] > 0, set_radial(form, g, theta, r + (r_new - r) * torso_w), g)
    # 3. sleeves: a tube at least as wide as the upper arm plus the sleeve ease
    for s in "lr":
        t, r, w = arm_data[s]
        if p.sleeve <= 0:
            continue
        axis = form.arm_axes[s]
        tt, rr = form.arm_coords(g, s)
        closest = _polyline_point(axis, tt)
        radial_dir = g - closest
        radial_dir /= np.maximum(np.linalg.norm(radial_dir, axis=1, keepdims=True), 1e-9)
        bicep = _arm_radius(form, s, 0.1)
        sleeve_r = bicep + p.sleeve_open_cm / 100 / TAU
        target = np.maximum(rr, sleeve_r * (1 - 0.25 * np.clip(tt / 0.6, 0, 1)))
        g = g + radial_dir * ((target - rr) * w)[:, None]
    g = _smooth_fixed(g, piece.faces, 20)
    if p.category in ("shirt", "outerwear"):  # a button or zip placket down the centre front
        g = placket(form, g, 0.004 if p.category == "outerwear" else 0.0025)
    g = push_out(form, g, vertex_normals(g, piece.faces))
    return _finish_top(form, p, g, piece.faces, hem_fold)


def placket(form, g, height, half_width=0.014):
    """Raise a strip down the centre front by ``height`` metres (a placket), easing off at its edges."""
    theta, r, _ = radial(form, g)
    front = (g[:, 2] > form.centre_at(g[:, 1])) & (g[:, 1] < form.levels["neck_front"] + 0.01)
    w = np.clip(1.5 - np.abs(g[:, 0]) / half_width, 0, 1) * front
    return np.where(w[:, None] > 0, set_radial(form, g, theta, r + height * w), g)


def _polyline_point(line: np.ndarray, t: np.ndarray) -> np.ndarray:
    seg = np.diff(line, axis=0)
    length = np.linalg.norm(seg, axis=1)
    cum = np.concatenate([[0], np.cumsum(length)])
    out = np.zeros((len(t), 3))
    for k in range(3):
        out[:, k] = np.interp(t, cum, line[:, k])
    return out


def _arm_radius(form, side, t_at):
    v = form.vertices
    t, r = form.arm_coords(v, side)
    sel = (np.abs(t - t_at) < 0.02) & (r < 0.1)
    return float(np.percentile(r[sel], 90)) if sel.any() else 0.05


def _smooth_fixed(g, faces, iterations):
    fixed = np.zeros(len(g), bool)
    for loop in mo.boundary_loops(faces):
        fixed[loop] = True
    return mo.taubin(g, faces, iterations, fixed)


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


def _finish_top(form, p, g, faces, hem_fold=True):
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
        o, _ = loop_frames(g, faces, loop, from_neck)
        q = g[loop]
        up = np.array([0.0, 1.0, 0.0])
        if p.neck == "collar":
            stand = 0.035 if p.category != "outerwear" else 0.045
            leaf = 0.045 if p.category != "outerwear" else 0.07
            rings = [q + up * stand * 0.5 - o * 0.002, q + up * stand, q + up * stand + o * 0.007,
                     q + up * (stand * 0.7) + o * 0.014, q + o * (0.02 + leaf * 0.45) - up * leaf * 0.2,
                     q + o * (0.02 + leaf * 0.75) - up * leaf * 0.55]
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
    for loop in loops.get("cuff", []):
        side = "l" if g[loop, 0].mean() > 0 else "r"
        axis = form.arm_axes[side]

        def from_arm(pts, axis=axis, side=side):
            t, _ = form.arm_coords(pts, side)
            c = _polyline_point(axis, t)
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


def build_bottom(form: pt.BodyForm, p: Pattern):
    v = form.vertices
    top = level(form, p.top) - p.waistband
    hem = level(form, p.hem)
    fields = [top - v[:, 1], v[:, 1] - hem]
    for s in "lr":
        _, r = form.arm_coords(v, s)
        fields.append(r - 0.06)
    piece = cut_skin(form, fields)
    g = piece.vertices
    crotch = form.levels["crotch"]
    ease = ease_profile(form, p.ease, g[:, 1])
    thigh = p.ease.get("thigh", p.ease.get("hip", 4.0)) / 100.0
    leg_w = np.clip((crotch + 0.02 - g[:, 1]) / 0.06, 0, 1)
    # hips: bridge the hollows (small of the back, between the buttocks, the crotch front)
    table = HullTable(form, crotch - 0.02, top + 0.02, 0.3)
    g = bridge(form, g, table, np.clip((g[:, 1] - crotch) / 0.04, 0, 1))
    d = (1 - leg_w) * ease / TAU + leg_w * thigh / TAU
    g = g + smooth_normals(g, piece.faces) * d[:, None]
    # legs: tubes around each leg's centre, hanging straight from the thigh if the pattern says so
    for s, sign in (("l", 1.0), ("r", -1.0)):
        side = (g[:, 0] * sign > 0) & (g[:, 1] < crotch + 0.05)
        if not side.any():
            continue
        centre, thigh_r = _leg_centres(form, s, crotch)
        cx = np.interp(g[side, 1], centre[:, 1], centre[:, 0])
        cz = np.interp(g[side, 1], centre[:, 1], centre[:, 2])
        dx, dz = g[side, 0] - cx, g[side, 2] - cz
        rr = np.hypot(dx, dz)
        top_r = thigh_r + thigh / TAU
        hem_r = p.hem_open_cm / 100 / TAU if p.hem_open_cm else top_r
        frac = np.clip((crotch - g[side, 1]) / max(crotch - hem, 1e-6), 0, 1)
        profile = p.leg_hang * (top_r + (hem_r - top_r) * frac)
        weight = leg_w[side]
        new_r = rr + np.maximum(profile - rr, 0) * weight
        scale = new_r / np.maximum(rr, 1e-9)
        g[side, 0] = cx + dx * scale
        g[side, 2] = cz + dz * scale
    g = _smooth_fixed(g, piece.faces, 8)
    g = push_out(form, g, vertex_normals(g, piece.faces), 0.003 if p.category == "leggings" else MIN_CLEARANCE_M)
    return _finish_bottom(form, p, g, piece.faces)


def _leg_centres(form, side, crotch):
    """Centre of a leg's section over height (k, 3) and its thigh radius just below the crotch."""
    v = form.vertices
    sign = 1.0 if side == "l" else -1.0
    rows, thigh_r = [], 0.08
    skin = np.unique(form.body_faces)
    vs = v[skin]
    for y in np.arange(0.05, crotch + 0.06, 0.02):
        slab = vs[(np.abs(vs[:, 1] - min(y, crotch - 0.01)) < 0.012) & (vs[:, 0] * sign > 0.005)]
        slab = slab[np.abs(slab[:, 0]) < 0.3]
        if len(slab) < 3:
            continue
        c = [0.5 * (slab[:, 0].min() + slab[:, 0].max()), y, 0.5 * (slab[:, 2].min() + slab[:, 2].max())]
        rows.append(c)
        if abs(y - (crotch - 0.03)) < 0.011:
            thigh_r = hull_perimeter(slab[:, [0, 2]]) / TAU
    return np.asarray(rows), thigh_r


def _finish_bottom(form, p, g, faces):
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


def build_skirt(form: pt.BodyForm, p: Pattern, bodice=None):
    """A skirt (or a dress's skirt): the body from the waist to the hip, then a flared tube to the hem."""
    hip_y = form.levels["hip"] + 0.03
    hem = level(form, p.hem)
    if bodice is None:
        v = form.vertices
        top = level(form, p.top) - p.waistband
        fields = [top - v[:, 1], v[:, 1] - hip_y]
        for s in "lr":
            _, r = form.arm_coords(v, s)
            fields.append(r - 0.06)
        piece = cut_skin(form, fields)
        g = piece.vertices
        ease = ease_profile(form, p.ease, g[:, 1])
        table = HullTable(form, hip_y - 0.02, top + 0.02, 0.3)
        g = bridge(form, g, table, np.ones(len(g)))
        g = g + smooth_normals(g, piece.faces) * (ease / TAU)[:, None]
        g = _smooth_fixed(g, piece.faces, 6)
        faces = piece.faces
    else:
        g, faces = bodice
    loops = mo.boundary_loops(faces)
    low = min(loops, key=lambda lp: g[lp, 1].mean())
    q = g[low].copy()
    q[:, 1] = hip_y
    g[low] = q
    cz0 = form.centre_at(hip_y)
    theta = np.arctan2(q[:, 0], q[:, 2] - cz0)
    r0 = np.hypot(q[:, 0], q[:, 2] - cz0)
    # leg clearance per level: the convex hull of both legs with 2 cm to spare
    rings = []
    ys = np.arange(hip_y - 0.025, hem - 1e-6, -0.025)
    if len(ys) == 0 or ys[-1] > hem + 1e-6:
        ys = np.append(ys, hem)
    skin = form.vertices[np.unique(form.body_faces)]
    r_prev = r0
    for y in ys:
        slab = skin[(np.abs(skin[:, 1] - y) < 0.012) & (np.abs(skin[:, 0]) < 0.3)]
        clear = pt.hull_radius(slab[:, [0, 2]], np.array([0.0, cz0]), theta) + 0.02 if len(slab) > 3 else 0
        drop = hip_y - y
        r = np.maximum(r0 + p.flare * drop, clear)
        r = np.maximum(r, r_prev)  # a skirt never narrows going down
        r_prev = r
        ring = np.stack([np.sin(theta) * r, np.full_like(r, y), cz0 + np.cos(theta) * r], axis=1)
        rings.append(ring)
    # smooth each ring around (no kinks from the leg hull)
    rings = [mo.smooth_loop(rg, 3) for rg in rings]
    g, faces, last = mo.extrude_loop(g, faces, low, rings)
    o = np.zeros_like(rings[-1])
    o[:, 0], o[:, 2] = rings[-1][:, 0], rings[-1][:, 2] - cz0
    o /= np.linalg.norm(o, axis=1, keepdims=True)
    u = np.tile([0.0, 1.0, 0.0], (len(o), 1))
    g, faces, _ = mo.extrude_loop(g, faces, last, hem_rings(rings[-1], o, u, p.hem_width))
    if bodice is None:
        loops = mo.boundary_loops(faces)
        top_loop = max(loops, key=lambda lp: g[lp, 1].mean())

        g, faces = waistband(form, p, g, faces, top_loop)
    return g, faces


def build_dress(form: pt.BodyForm, p: Pattern):
    hip_y = form.levels["hip"] + 0.03
    bodice = build_top(form, p, hem_y=hip_y, hem_fold=False)
    return build_skirt(form, p, bodice=bodice)


BUILDERS = {"top": build_top, "bottom": build_bottom, "skirt": build_skirt, "dress": build_dress}


def build(p: Pattern) -> tuple[np.ndarray, np.ndarray]:
    """The base-size rest mesh of a pattern on its reference body: (V, 3) metres and (F, 3) faces."""
    form = pt.body_form(reference_sex(p.fits))
    v, f = BUILDERS[p.kind](form, p)
    v = clear_of_skin(form, np.asarray(v, np.float64))
    return np.ascontiguousarray(v, np.float64), np.ascontiguousarray(f, np.int64)


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
