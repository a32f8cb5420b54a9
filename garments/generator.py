"""The built-in catalog, made from pattern-like parameters around the reference bodies.

Each garment is cut from the reference body's skin along smooth lines (hem heights, sleeve
lengths, a neckline, armholes), moved out by its ease (bridging hollows the way cloth does,
hanging straight below the chest or the thigh where the pattern says so), smoothed, and then
finished with real geometry: folded hems, ribbed neckbands, collars standing off the neck,
waistbands thicker than the fabric and flared skirts. The middle size is written as a mesh and
the other sizes as grading rules; finished measurements are measured on each size's mesh.

Regenerate the catalog with::

    uv run python -m garments.generator [--out assets/garments]
"""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import patterns as pt
from .constants import CATALOG_SCHEMA_VERSION

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets" / "garments"
TAU = 2.0 * np.pi
# Fabric thickness used for folds and bands, metres (a mid-weight cotton, doubled at folds).
FABRIC_M = 0.003
# Boundary loops shorter than this after a cut are pinholes, not openings of the garment.
PINHOLE_MAX = 16
# Rest meshes with fewer vertices than this are subdivided once (the draper needs ~1-2 cm edges).
MIN_VERTICES = 2500
# No generated garment vertex comes closer to the skin than this, metres.
MIN_CLEARANCE_M = 0.004


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


def _f(*parts):
    return tuple({"name": n, "rgb": list(rgb)} for n, rgb in parts)


PATTERNS = (
    Pattern(
        id="crew-tee", name="Crew-neck T-shirt", category="top", kind="top", fits="unisex", price=19.95,
        sku="TEE-CRW", colours=_f(("white", (0.94, 0.94, 0.92)), ("black", (0.08, 0.08, 0.09)),
                                  ("heather grey", (0.6, 0.6, 0.62)), ("navy", (0.12, 0.16, 0.32))),
        stretch=0.06, layer=2, sizes=("XS", "S", "M", "L", "XL"), base_size="M", grade_circ_cm=5.0,
        grade_len_cm=1.5, ease={"chest": 10.0, "waist": 10.0, "hip": 6.0, "shoulder": 2.5},
        hem=("hip", 0.02), sleeve=0.17, sleeve_open_cm=9.0, hang=1.0, neck="crew", neck_open=0.018,
        neck_drop=0.01),
    Pattern(
        id="oxford-shirt", name="Oxford long-sleeve shirt", category="shirt", kind="top", fits="male",
        price=49.90, sku="SHT-OXF", colours=_f(("white", (0.95, 0.95, 0.96)), ("light blue", (0.62, 0.75, 0.9)),
                                                ("pink", (0.93, 0.72, 0.76))),
        stretch=0.02, layer=2, sizes=("S", "M", "L", "XL", "XXL"), base_size="M", grade_circ_cm=6.0,
        grade_len_cm=1.5, ease={"chest": 14.0, "waist": 16.0, "hip": 8.0, "shoulder": 2.5},
        hem=("crotch", 0.05), sleeve=0.58, sleeve_open_cm=8.0, hang=0.9, neck="collar", neck_open=0.012),
    Pattern(
        id="slim-chino", name="Slim chino trousers", category="trousers", kind="bottom", fits="male",
        price=59.90, sku="TRS-CHN", colours=_f(("khaki", (0.76, 0.68, 0.5)), ("navy", (0.13, 0.17, 0.3)),
                                                ("olive", (0.38, 0.4, 0.24)), ("black", (0.09, 0.09, 0.1))),
        stretch=0.03, layer=1, sizes=("46", "48", "50", "52", "54"), base_size="50", grade_circ_cm=4.0,
        grade_len_cm=0.8, ease={"waist": 3.0, "hip": 8.0, "thigh": 11.0}, top=("waist", -0.05),
        hem=("ankle", 0.03), leg_hang=1.0, hem_open_cm=40.0),
    Pattern(
        id="cotton-shorts", name="Cotton shorts", category="shorts", kind="bottom", fits="unisex",
        price=29.95, sku="SHO-CTN", colours=_f(("sand", (0.84, 0.77, 0.62)), ("denim", (0.28, 0.38, 0.56)),
                                                ("white", (0.93, 0.93, 0.9))),
        stretch=0.03, layer=1, sizes=("XS", "S", "M", "L", "XL"), base_size="M", grade_circ_cm=5.0,
        grade_len_cm=0.8, ease={"waist": 3.0, "hip": 8.0, "thigh": 12.0}, top=("waist", -0.07),
        hem=("knee", 0.16), leg_hang=1.0, hem_open_cm=0.0),
    Pattern(
        id="a-line-skirt", name="A-line midi skirt", category="skirt", kind="skirt", fits="female",
        price=39.95, sku="SKT-ALN", colours=_f(("black", (0.07, 0.07, 0.08)), ("burgundy", (0.45, 0.1, 0.16)),
                                                ("camel", (0.72, 0.56, 0.36))),
        stretch=0.02, layer=1, sizes=("34", "36", "38", "40", "42"), base_size="38", grade_circ_cm=5.0,
        grade_len_cm=0.8, ease={"waist": 2.0, "hip": 6.0}, top=("waist", -0.02), hem=("knee", -0.12),
        flare=0.32),
    Pattern(
        id="shift-dress", name="Sleeveless A-line dress", category="dress", kind="dress", fits="female",
        price=69.90, sku="DRS-ALN", colours=_f(("emerald", (0.06, 0.45, 0.33)), ("navy", (0.1, 0.14, 0.3)),
                                                ("coral", (0.94, 0.5, 0.42)), ("black", (0.07, 0.07, 0.08))),
        stretch=0.04, layer=2, sizes=("XS", "S", "M", "L", "XL"), base_size="M", grade_circ_cm=5.0,
        grade_len_cm=1.2, ease={"chest": 7.0, "waist": 8.0, "hip": 7.0, "shoulder": 1.2},
        hem=("knee", 0.04), hang=0.45, neck="scoop", neck_open=0.025, neck_drop=0.07, flare=0.22,
        armhole=0.075),
    Pattern(
        id="field-jacket", name="Field jacket", category="outerwear", kind="top", fits="male", price=129.00,
        sku="JKT-FLD", colours=_f(("olive", (0.33, 0.36, 0.22)), ("navy", (0.1, 0.13, 0.25)),
                                  ("stone", (0.7, 0.66, 0.58))),
        stretch=0.01, layer=3, sizes=("S", "M", "L", "XL", "XXL"), base_size="M", grade_circ_cm=6.0,
        grade_len_cm=1.5, ease={"chest": 24.0, "waist": 26.0, "hip": 16.0, "shoulder": 5.0},
        hem=("crotch", 0.04), sleeve=0.6, sleeve_open_cm=16.0, hang=1.0, neck="collar", neck_open=0.022,
        hem_width=0.04),
    Pattern(
        id="studio-leggings", name="Studio leggings", category="leggings", kind="bottom", fits="female",
        price=34.95, sku="LEG-STU", colours=_f(("black", (0.05, 0.05, 0.06)), ("charcoal", (0.22, 0.22, 0.24)),
                                                ("plum", (0.35, 0.16, 0.3))),
        stretch=0.30, layer=0, sizes=("XS", "S", "M", "L", "XL"), base_size="M", grade_circ_cm=5.0,
        grade_len_cm=0.8, ease={"waist": 1.0, "hip": 1.5, "thigh": 1.5}, top=("waist", -0.04),
        hem=("ankle", 0.04), leg_hang=0.0, waistband=0.06, hem_width=0.015),
)


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
    parents, t, faces = pt.cut_by_field(form.body_faces, f)
    v = (1 - t)[:, None] * form.vertices[parents[:, 0]] + t[:, None] * form.vertices[parents[:, 1]]
    n = (1 - t)[:, None] * form.normals[parents[:, 0]] + t[:, None] * form.normals[parents[:, 1]]
    n /= np.linalg.norm(n, axis=1, keepdims=True)
    v2, faces, used = pt.largest_component(v, faces)
    n2 = n[used]
    # pinholes where the cut line grazed the skin: close them
    for _ in range(4):  # pinholes sharing a vertex show up one at a time
        small = [loop for loop in pt.boundary_loops(faces) if len(loop) < PINHOLE_MAX]
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
    n = pt.vertex_normals(g, faces)
    adj = pt.neighbours(faces, len(g))
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
    adj = pt.neighbours(faces, len(v))
    interior = np.zeros((len(loop), 3))
    on_loop = np.zeros(len(v), bool)
    on_loop[loop] = True
    for i, a in enumerate(loop):
        nb = adj.indices[adj.indptr[a]:adj.indptr[a + 1]]
        nb = nb[~on_loop[nb]]
        interior[i] = (v[nb].mean(axis=0) - v[a]) if len(nb) else 0.0
    u = interior - (interior * o).sum(1, keepdims=True) * o
    u = pt.smooth_loop(u, 5)
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
    g = push_out(form, g, pt.vertex_normals(g, piece.faces))
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
    for loop in pt.boundary_loops(faces):
        fixed[loop] = True
    return pt.taubin(g, faces, iterations, fixed)


def _classify_loops(form, g, faces):
    loops = pt.boundary_loops(faces)
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
        g[loop] = pt.smooth_loop(g[loop], 20)
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
        g, faces, _ = pt.extrude_loop(g, faces, loop, rings)
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

        g[loop] = pt.smooth_loop(g[loop], 5)
        o, u = loop_frames(g, faces, loop, from_arm)
        depth = 0.05 if p.sleeve > 0.4 else p.hem_width
        q = g[loop]
        if p.sleeve > 0.4:  # a cuff: a band standing out from the sleeve, turned in at the edge
            rings = [q + o * 0.004 + u * 0.004, q + o * 0.004 - u * 0.001, q - o * 0.001 - u * 0.003,
                     q - o * 0.003 + u * 0.004, q - o * 0.003 + u * depth]
        else:
            rings = hem_rings(q, o, u, depth, surface=(g, faces))
        g, faces, _ = pt.extrude_loop(g, faces, loop, rings)
    for loop in loops.get("hem", []) if hem_fold else []:
        g[loop] = pt.smooth_loop(g[loop], 10)
        o, u = loop_frames(g, faces, loop, from_torso)
        g, faces, _ = pt.extrude_loop(g, faces, loop, hem_rings(g[loop], o, u, p.hem_width, surface=(g, faces)))
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
    g = push_out(form, g, pt.vertex_normals(g, piece.faces), 0.003 if p.category == "leggings" else MIN_CLEARANCE_M)
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
            thigh_r = pt.slab_perimeter(slab[:, [0, 2]]) / TAU
    return np.asarray(rows), thigh_r


def _finish_bottom(form, p, g, faces):
    loops = pt.boundary_loops(faces)
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
        g, faces, _ = pt.extrude_loop(g, faces, loop, hem_rings(g[loop], o, u, p.hem_width, surface=(g, faces)))
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
    return pt.extrude_loop(g, faces, loop, rings)[:2]


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
    loops = pt.boundary_loops(faces)
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
    rings = [pt.smooth_loop(rg, 3) for rg in rings]
    g, faces, last = pt.extrude_loop(g, faces, low, rings)
    o = np.zeros_like(rings[-1])
    o[:, 0], o[:, 2] = rings[-1][:, 0], rings[-1][:, 2] - cz0
    o /= np.linalg.norm(o, axis=1, keepdims=True)
    u = np.tile([0.0, 1.0, 0.0], (len(o), 1))
    g, faces, _ = pt.extrude_loop(g, faces, last, hem_rings(rings[-1], o, u, p.hem_width))
    if bodice is None:
        loops = pt.boundary_loops(faces)
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
    return np.ascontiguousarray(v, np.float64), np.ascontiguousarray(f, np.int64)


def reference_sex(fits: str) -> str:
    """The reference body a garment is designed on: male garments on the male body, the rest on the female."""
    return "male" if fits == "male" else "female"


# ---------------------------------------------------------------- catalog files

MAIN_GIRTH = {"top": "chest", "dress": "chest", "bottom": "hip", "skirt": "hip"}


def cylinder_uv(form: pt.BodyForm, v: np.ndarray) -> np.ndarray:
    """Simple texture coordinates: angle around the torso and height, (N, 2) in 0-1 (u) and metres/2 (v)."""
    theta, _, _ = radial(form, v)
    return np.stack([(theta + np.pi) / TAU, v[:, 1] / 2.0], axis=1)


def grade_for(p: Pattern, steps: int, v: np.ndarray, form: pt.BodyForm, base_finished: dict) -> dict:
    """Grading rule ``steps`` sizes away from the base size: circumference and length scale factors."""
    girth = base_finished.get(MAIN_GIRTH[p.kind]) or base_finished.get("waist") or 100.0
    length = base_finished["length"]
    s_c = 1.0 + steps * p.grade_circ_cm / girth
    s_l = 1.0 + steps * p.grade_len_cm / length
    anchor_y = float(v[:, 1].max())
    anchor_z = float(form.centre_at(form.levels["chest" if p.kind in ("top", "dress") else "hip"]))
    return {"from": p.base_size, "scale": [round(s_c, 5), round(s_l, 5), round(s_c, 5)],
            "anchor": [0.0, round(anchor_y, 5), round(anchor_z, 5)]}


def write_garment(p: Pattern, out_dir: Path, per_size_meshes: bool = False) -> dict:
    """Build one pattern and write its catalog folder; returns the garment.json content."""
    from .catalog import apply_grade, write_mesh_file

    form = pt.body_form(reference_sex(p.fits))
    v, f = build(p)
    if len(v) < MIN_VERTICES:  # enough cloth resolution to drape and fold
        import trimesh

        v, f = trimesh.remesh.subdivide(v, f)
    uv = cylinder_uv(form, v)
    folder = out_dir / p.id
    tmp = out_dir / f".{p.id}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    base_file = f"{p.base_size}.glb"
    write_mesh_file(tmp / base_file, v, f, uv)
    base_finished = pt.finished_measurements(v, f, p.category, form)
    base_index = p.sizes.index(p.base_size)
    sizes = []
    for i, name in enumerate(p.sizes):
        entry = {"name": name, "sku": f"{p.sku}-{name}"}
        if name == p.base_size:
            entry["finished"] = base_finished
            entry["mesh"] = base_file
        else:
            grade = grade_for(p, i - base_index, v, form, base_finished)
            gv = apply_grade(v, grade)
            entry["finished"] = pt.finished_measurements(gv, f, p.category, form)
            if per_size_meshes:  # a size with its own mesh file (the format allows both)
                write_mesh_file(tmp / f"{name}.glb", gv, f, uv)
                entry["mesh"] = f"{name}.glb"
            else:
                entry["grade"] = grade
        sizes.append(entry)
    data = {
        "schema_version": CATALOG_SCHEMA_VERSION, "id": p.id, "name": p.name, "category": p.category,
        "fits": p.fits, "price": p.price, "currency": "EUR", "stretch": p.stretch, "layer": p.layer,
        "colours": list(p.colours), "sizes": sizes,
    }
    (tmp / "garment.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return data


# Garments whose sizes are written as separate mesh files instead of grading rules.
PER_SIZE_MESHES = ("slim-chino",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate the built-in garment catalog.")
    parser.add_argument("--out", type=Path, default=ASSETS_DIR)
    parser.add_argument("ids", nargs="*", help="only these garments")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for p in PATTERNS:
        if args.ids and p.id not in args.ids:
            continue
        data = write_garment(p, args.out, per_size_meshes=p.id in PER_SIZE_MESHES)
        print(p.id, ", ".join(f"{s['name']}: {s['finished']}" for s in data["sizes"][:1]), "...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
