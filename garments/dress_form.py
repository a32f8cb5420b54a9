"""The reference body as a dress form, and how far points sit from it.

``body_form(sex)`` gives the landmark levels (chest, waist, hip, crotch, ...) and limb axes of
``avatar.avatar.reference_avatar(sex)`` that the generator places cross-sections at and the catalog
uses for measurement zones; ``body_clearance`` and ``finished_measurements`` measure garments
against it. The mesh operations garments are made with live in ``garments.mesh_ops``.

Frame: metres, Y up, facing +Z, feet on y = 0, A-pose.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.spatial import ConvexHull, cKDTree

from avatar.surface import vertex_face_table, vertex_normals
from avatar.tape import hull_perimeter

from .dress_form_store import stored_levels
from .mesh_ops import section_polylines
from .sdf import closest_points_on_triangles

# Within this distance of the nearest skin vertex, clearance is measured exactly to the skin's triangles.
NEAR_SKIN_M = 0.03
# Garment girths are measured out to the body's half-width plus this at each side (the side seam),
# so that a loose sleeve hanging against the body is not counted in the chest, metres.
SIDE_SEAM_M = 0.045
# A garment vertex is on a sleeve when it is this far along an arm axis past the shoulder joint
# and this close to the axis (loose sleeves are up to ~8 cm from it, the body's side ~15 cm), metres.
SLEEVE_MIN_T_M = 0.08
SLEEVE_MAX_R_M = 0.12


@dataclass(frozen=True, eq=False)
class BodyForm:
    """Landmarks of a reference body.

    Attributes
    ----------
    sex : "female" | "male"
    vertices : (V, 3) float, metres; the whole avatar mesh
    body_faces : (F, 3) int; skin triangles
    normals : (V, 3) float; unit outward vertex normals of the skin
    joints : name -> (3,) float, metres
    levels : name -> y in metres: neck, neck_front, shoulder, armpit, chest, waist, hip, crotch, knee, ankle
    arm_axes : "l"/"r" -> (4, 3) float; shoulder, elbow, wrist, fingertip estimate
    leg_axes : "l"/"r" -> (3, 3) float; hip, knee, ankle
    grid_y : (G,) float, metres; heights where ``centre_z`` and ``girth`` are tabulated
    centre_z : (G,) float, metres; front-back centre of the torso (legs below the crotch)
    girth : (G,) float, metres; convex perimeter of the torso slab (both legs below the crotch)
    """

    sex: str
    vertices: np.ndarray
    body_faces: np.ndarray
    normals: np.ndarray
    joints: dict
    levels: dict
    arm_axes: dict
    leg_axes: dict
    grid_y: np.ndarray
    centre_z: np.ndarray
    girth: np.ndarray

    def centre_at(self, y) -> np.ndarray:
        """Torso centre z at heights ``y`` (array or float), metres."""
        return np.interp(y, self.grid_y, self.centre_z)

    def arm_coords(self, points: np.ndarray, side: str) -> tuple[np.ndarray, np.ndarray]:
        """Arc length along the arm axis from the shoulder joint and distance to the axis.

        Parameters
        ----------
        points : (n, 3) float, metres
        side : "l" (+X) or "r"

        Returns
        -------
        t : (n,) float, metres along shoulder -> elbow -> wrist -> fingertips
        r : (n,) float, metres from the axis polyline
        """
        return polyline_coords(points, self.arm_axes[side])


def polyline_coords(points: np.ndarray, line: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arc length of the closest point on a polyline and the distance to it.

    Parameters
    ----------
    points : (n, 3) float
    line : (k, 3) float, k >= 2

    Returns
    -------
    t : (n,) float; arc length from ``line[0]``
    r : (n,) float; distance to the polyline
    """
    a, b = line[:-1], line[1:]
    seg = b - a
    length = np.linalg.norm(seg, axis=1)
    start = np.concatenate([[0.0], np.cumsum(length)[:-1]])
    rel = points[:, None, :] - a[None]
    s = np.clip(np.einsum("nkj,kj->nk", rel, seg) / (length ** 2), 0.0, 1.0)
    closest = a[None] + s[..., None] * seg[None]
    d = np.linalg.norm(points[:, None, :] - closest, axis=2)
    k = np.argmin(d, axis=1)
    idx = np.arange(len(points))
    return start[k] + s[idx, k] * length[k], d[idx, k]


def hull_radius(points_xz: np.ndarray, centre: np.ndarray, thetas: np.ndarray) -> np.ndarray:
    """Distance from ``centre`` to the convex hull of ``points_xz`` along directions ``thetas``.

    Parameters
    ----------
    points_xz : (n, 2) float
    centre : (2,) float, inside the hull
    thetas : (m,) float, radians; direction (sin t, cos t) in (x, z), t = 0 facing +Z

    Returns
    -------
    r : (m,) float
    """
    hull = ConvexHull(points_xz)
    poly = points_xz[hull.vertices] - centre
    a, b = poly, np.roll(poly, -1, axis=0)
    e = b - a
    d = np.stack([np.sin(thetas), np.cos(thetas)], axis=1)
    cross = lambda u, v: u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]  # noqa: E731
    den = cross(d[:, None, :], e[None])
    with np.errstate(divide="ignore", invalid="ignore"):
        r = cross(a[None], e[None]) / den
        s = cross(a[None], d[:, None, :]) / den
    ok = (s >= -1e-9) & (s <= 1 + 1e-9) & (r > 0) & np.isfinite(r)
    r = np.where(ok, r, np.inf).min(axis=1)
    return np.where(np.isfinite(r), r, 0.0)


def torso_section(vertices, faces, y: float) -> np.ndarray | None:
    """The horizontal section loop of the skin at height ``y`` that encloses the body's midline, (k, 3) or None."""
    mid = vertices[(np.abs(vertices[:, 0]) < 0.03) & (np.abs(vertices[:, 1] - y) < 0.02)]
    if len(mid) == 0:
        return None
    centre = np.array([0.0, 0.5 * (mid[:, 2].min() + mid[:, 2].max())])
    best = None
    for loop in section_polylines(vertices, faces, np.array([0.0, y, 0.0]), np.array([0.0, 1.0, 0.0])):
        if _inside(loop[:, [0, 2]], centre) and (best is None or len(loop) > len(best)):
            best = loop
    return best


def _levels(vertices, faces, joints) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
    y = vertices[:, 1]
    grid = np.arange(0.3, joints["neck"][1] + 0.001, 0.01)
    centre = np.full(len(grid), np.nan)
    girth = np.zeros(len(grid))
    xmax = np.zeros(len(grid))
    for i, level in enumerate(grid):
        loop = torso_section(vertices, faces, level)
        if loop is not None:
            centre[i] = 0.5 * (loop[:, 2].min() + loop[:, 2].max())
            girth[i] = hull_perimeter(loop[:, [0, 2]])  # tape measure: bridges hollows
            xmax[i] = np.abs(loop[:, 0]).max()
    # below the crotch: centre between the legs' front and back
    for i, level in enumerate(grid):
        if np.isnan(centre[i]):
            slab = vertices[np.abs(y - level) < 0.01]
            centre[i] = 0.5 * (slab[:, 2].min() + slab[:, 2].max()) if len(slab) else 0.1
    mid = (np.abs(vertices[:, 0]) < 0.012) & (y < joints["root"][1] + 0.05) & (y > joints["knee_l"][1])
    mid &= np.isin(np.arange(len(vertices)), faces)
    crotch = float(y[mid].min())
    shoulder = float(0.5 * (joints["shoulder_l"][1] + joints["shoulder_r"][1]))
    shoulder_x = float(joints["shoulder_l"][0])
    below = (grid < shoulder) & (girth > 0) & (xmax < 1.1 * shoulder_x)
    armpit = float(grid[below].max()) if below.any() else shoulder - 0.08

    def pick(lo, hi, fn):
        sel = (grid >= lo) & (grid <= hi) & (girth > 0)
        return float(grid[sel][fn(girth[sel])])

    chest = pick(armpit - 0.14, armpit - 0.02, np.argmax)
    hip = pick(crotch + 0.02, joints["root"][1] + 0.03, np.argmax)
    waist = pick(hip + 0.12, chest - 0.08, np.argmin)
    neck = float(joints["neck"][1])
    levels = {
        "neck": neck, "neck_front": neck - 0.06, "shoulder": shoulder, "armpit": armpit, "chest": chest,
        "waist": waist, "hip": hip, "crotch": crotch,
        "knee": float(0.5 * (joints["knee_l"][1] + joints["knee_r"][1])),
        "ankle": float(0.5 * (joints["ankle_l"][1] + joints["ankle_r"][1])),
    }
    return levels, grid, centre, girth


@lru_cache(maxsize=2)
def body_form(sex: str = "female") -> BodyForm:
    """The reference body of ``sex`` with its landmark levels and limb axes (cached per process)."""
    from avatar.avatar import reference_avatar

    av = reference_avatar(sex)
    v = np.asarray(av.vertices, float)
    faces = np.asarray(av.body_faces, np.int64)
    j = {k: np.asarray(p, float) for k, p in av.joints.items()}
    arms = {}
    for s in "lr":
        sh, el, wr = j[f"shoulder_{s}"], j[f"elbow_{s}"], j[f"wrist_{s}"]
        arms[s] = np.stack([sh, el, wr, wr + 0.8 * (wr - el)])
    legs = {s: np.stack([j[f"hip_{s}"], j[f"knee_{s}"], j[f"ankle_{s}"]]) for s in "lr"}
    normals = vertex_normals(v, faces)
    levels, grid, centre, girth = stored_levels(v, faces, j, _levels)
    return BodyForm(sex=sex, vertices=v, body_faces=faces, normals=normals, joints=j, levels=levels,
                    arm_axes=arms, leg_axes=legs, grid_y=grid, centre_z=centre, girth=girth)



def _inside(poly: np.ndarray, p: np.ndarray) -> bool:
    x, y = poly[:, 0], poly[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    cond = (y > p[1]) != (y2 > p[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        xi = x + (p[1] - y) * (x2 - x) / (y2 - y)
    return bool(np.count_nonzero(cond & (p[0] < xi)) % 2)


def body_clearance(form: BodyForm, points: np.ndarray, k: int = 4, exact: bool = True) -> np.ndarray:
    """Signed distance of points from the skin (positive outside), (n,) metres.

    With ``exact`` the distance is to the closest point on the skin triangles around the ``k``
    nearest skin vertices (exact within ``NEAR_SKIN_M`` of the skin), signed by the pseudo-normal
    there. Farther out, or without ``exact`` (about 5x faster, good to the ~1 cm vertex spacing),
    the distance to the nearest vertex is used, signed by its normal.
    """
    points = np.asarray(points, float)
    tree = _skin_tree(form.sex)
    idx_skin = _skin_index(form.sex)
    d, i = tree.query(points, k=k)
    nearest = idx_skin[i[:, 0]]
    far_sign = np.where(np.einsum("nj,nj->n", points - form.vertices[nearest], form.normals[nearest]) < 0, -1.0, 1.0)
    out = far_sign * d[:, 0]
    near = np.flatnonzero(d[:, 0] < NEAR_SKIN_M)
    if len(near) == 0 or not exact:
        return out
    ring = _vertex_faces(form.sex)  # (V, m) face indices per vertex, -1 padded
    cand = ring[idx_skin[i[near]]].reshape(len(near), -1)  # (n, k*m)
    valid = cand >= 0
    tris = form.vertices[form.body_faces[np.where(valid, cand, 0)]]  # (n, c, 3, 3)
    p = points[near][:, None, :]
    closest = closest_points_on_triangles(np.broadcast_to(p, tris.shape[:2] + (3,)).reshape(-1, 3),
                                         tris.reshape(-1, 3, 3)).reshape(tris.shape[:2] + (3,))
    dist = np.linalg.norm(p - closest, axis=2)
    dist = np.where(valid, dist, np.inf)
    best = np.argmin(dist, axis=1)
    rows = np.arange(len(near))
    c = closest[rows, best]
    # sign by the pseudo-normal: the unit normals of every candidate face sharing the closest point
    # (one face inside a triangle, two on an edge, the fan at a vertex)
    fn = np.cross(tris[:, :, 1] - tris[:, :, 0], tris[:, :, 2] - tris[:, :, 0])
    fn /= np.maximum(np.linalg.norm(fn, axis=2, keepdims=True), 1e-20)
    sharing = valid & (np.linalg.norm(closest - c[:, None, :], axis=2) < 1e-9)
    normal = (fn * sharing[:, :, None]).sum(axis=1)
    side = np.where(np.einsum("nj,nj->n", points[near] - c, normal) < 0, -1.0, 1.0)
    out[near] = side * dist[rows, best]
    return out


@lru_cache(maxsize=2)
def _vertex_faces(sex: str) -> np.ndarray:
    """(V, m) int: the skin faces around each vertex, padded with -1."""
    form = body_form(sex)
    return vertex_face_table(form.body_faces, len(form.vertices))


@lru_cache(maxsize=2)
def _skin_index(sex: str) -> np.ndarray:
    return np.unique(body_form(sex).body_faces)


@lru_cache(maxsize=2)
def _skin_tree(sex: str) -> cKDTree:
    return cKDTree(body_form(sex).vertices[_skin_index(sex)])


def finished_measurements(vertices: np.ndarray, faces: np.ndarray, category: str, form: BodyForm) -> dict:
    """Garment measurements in cm, measured on its mesh placed on ``form``'s body.

    chest, waist, hip: horizontal section perimeters around the torso at the body's levels (for
    skirts, trousers, shorts and leggings "waist" is taken 2 cm under the garment's top edge);
    length: top to hem of the body part; inseam (legged garments): the crotch to the leg hem; sleeve: shoulder joint
    to cuff along the arm. A zone the garment does not reach is left out.
    """
    v = np.asarray(vertices, float)
    on_arm = np.zeros(len(v), bool)
    sleeve = 0.0
    for s in "lr":
        t, r = form.arm_coords(v, s)
        arm = (t > SLEEVE_MIN_T_M) & (r < SLEEVE_MAX_R_M)
        on_arm |= arm
        if arm.any():
            sleeve = max(sleeve, float(t[arm].max()))
    body = v[~on_arm] if (~on_arm).any() else v
    top, bottom = float(body[:, 1].max()), float(body[:, 1].min())
    bottoms = category in ("skirt", "trousers", "shorts", "leggings")
    levels = {"hip": form.levels["hip"]}
    if bottoms:
        levels["waist"] = top - 0.02
    else:
        levels["chest"] = chest_level(form)
        levels["waist"] = form.levels["waist"]
    out = {}
    for name in ("chest", "waist", "hip"):
        if name in levels and bottom + 0.01 < levels[name] < top - 0.005:
            y = levels[name]
            c = torso_girth(v, faces, y, form)
            if c > 0:
                out[name] = round(c * 100, 1)
    out["length"] = round((top - bottom) * 100, 1)
    if category in ("trousers", "shorts", "leggings", "jumpsuit") and bottom < form.levels["crotch"] - 0.02:
        out["inseam"] = round((form.levels["crotch"] - bottom) * 100, 1)
    if sleeve > 0.15:
        out["sleeve"] = round(sleeve * 100, 1)
    return out


def section_points(vertices: np.ndarray, faces: np.ndarray, y: float) -> np.ndarray:
    """Points where the mesh's edges cross the horizontal plane at height y, (k, 3)."""
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    e = np.unique(np.sort(e, axis=1), axis=0)
    d = vertices[:, 1] - y
    a, b = d[e[:, 0]], d[e[:, 1]]
    cross = (a > 0) != (b > 0)
    t = a[cross] / (a[cross] - b[cross])
    pa, pb = vertices[e[cross, 0]], vertices[e[cross, 1]]
    return pa + t[:, None] * (pb - pa)


def torso_girth(v: np.ndarray, faces: np.ndarray, y: float, form: BodyForm) -> float:
    """Tape-measure girth around the torso at height y, metres (0 if the mesh does not go around).

    The convex perimeter of the mesh's section loop around the body's axis. Where no single loop
    goes around (above the armpits, or a mesh made of loose panels) the section points are used
    without the sleeves: at and above the chest the section is cut at the side seams, taken as the
    wider of the body's half-width plus ``SIDE_SEAM_M`` and the garment's own half-width 8 cm lower
    (where sleeves have left the body). Below the chest only far-off parts (hands) are left out.
    """
    def half_width(level):
        body = torso_section(form.vertices, form.body_faces, level)
        return float(np.abs(body[:, 0]).max()) if body is not None else 0.2

    centre = np.array([0.0, float(form.centre_at(y))])
    # below the armpits a sleeve is its own section loop even where it touches the body
    around = [loop for loop in section_polylines(v, faces, np.array([0.0, y, 0.0]), np.array([0.0, 1.0, 0.0]))
              if _inside(loop[:, [0, 2]], centre)]
    if around and y < form.levels["armpit"]:
        return max(hull_perimeter(loop[:, [0, 2]]) for loop in around)
    pts = section_points(v, faces, y)
    if y > form.levels["waist"] + 0.05:
        lower = y - 0.08
        below = section_points(v, faces, lower)
        below = below[np.abs(below[:, 0]) <= half_width(lower) + 0.1]
        half = half_width(y) + SIDE_SEAM_M
        if len(below):
            half = max(half, float(np.abs(below[:, 0]).max()) + 0.01)
    else:
        half = half_width(y) + 0.15
    pts = pts[np.abs(pts[:, 0]) <= half]
    if len(pts) < 3:
        return 0.0
    xz = pts[:, [0, 2]]
    # the section must go around the body (points on both sides and in front and behind)
    if not ((xz[:, 0] > 0).any() and (xz[:, 0] < 0).any() and (xz[:, 1] > centre[1]).any()
            and (xz[:, 1] < centre[1]).any()):
        return 0.0
    return hull_perimeter(xz)


def chest_level(form: BodyForm) -> float:
    """Where a garment's chest is measured: the bust level, but at least 7 cm under the armpit (below a
    loose sleeve's seam, which hangs lower than the body's armpit)."""
    return min(form.levels["chest"], form.levels["armpit"] - 0.07)
