"""Fit analysis: per-zone ease of a draped garment and size advice from finished measurements.

Ease has one definition: the garment's girth minus the body's girth at the same level, in cm (negative:
the garment is stretched around the body). Both girths are tape girths (convex hulls of the cross-section
in one plane). It is quoted two ways:

- finished ease, for size advice: a size's finished girth (catalog) minus the body's tape girth;
- ease as worn, for a draped garment: the girth of the draped cloth minus the body's girth in the tape's
  plane of the zone (``draped_zone_ease``).

Size advice aims at the ease the garment was designed with (its middle size on the reference body); the
waistbands of bottoms aim at a little ease only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .drape_constants import (
    BETWEEN_SIZES_EASE_CM,
    COMFORT_STRETCH_SHARE,
    MIN_COMFORT_EASE_CM,
    STRETCH_WORTH_QUOTING,
    WAISTBAND_MAX_EASE_CM,
    WAISTBAND_MIN_EASE_CM,
    ZONE_FALLBACK_NEIGHBOURS,
    ZONE_NEIGHBOURHOOD_M,
    ZONE_PLANE_BAND_M,
    ZONE_SLICE_HALF_HEIGHT_M,
)

# Zones a size's finished measurements are compared on, and the body girth each is measured against.
ZONE_GIRTHS = {"chest": "chest_girth", "waist": "waist_girth", "hip": "hip_girth"}


@dataclass(frozen=True)
class SizeAdvice:
    """The size to choose and why.

    Attributes
    ----------
    recommended : size name
    reasons : one line each, e.g. "M: 6 cm ease at chest", "S would stretch 4 % at chest"
    between : a note when the shopper is between two sizes that both fit, else None
    per_size : size -> zone -> ease in cm (finished measurement minus body girth)
    """

    recommended: str
    reasons: list[str] = field(default_factory=list)
    between: str | None = None
    per_size: dict[str, dict[str, float]] = field(default_factory=dict)


def body_girths(avatar) -> dict[str, float]:
    """The avatar's chest, waist and hip girths in cm (tape measure: convex around the torso).

    Uses ``avatar.measure.measure_all``; where it cannot measure, a horizontal slice of the skin at the
    level of the body's widest (chest, hip) or narrowest (waist) torso section is used.
    """
    out: dict[str, float] = {}
    try:
        from avatar.measure import measure_all

        measured = measure_all(avatar)
        for zone, name in ZONE_GIRTHS.items():
            if name in measured and np.isfinite(measured[name].value):
                out[zone] = float(measured[name].value)
    except Exception:  # a body the tape cannot read (no landmarks): fall back to slices below
        out = {}
    if len(out) < len(ZONE_GIRTHS):
        out = {**_slice_girths(avatar), **out}
    return out


def _hull_perimeter(points_2d: np.ndarray) -> float:
    from scipy.spatial import ConvexHull

    if len(points_2d) < 3:
        return 0.0
    try:
        hull = points_2d[ConvexHull(points_2d).vertices]
    except Exception:  # degenerate (collinear) points
        return 0.0
    return float(np.linalg.norm(hull - np.roll(hull, 1, axis=0), axis=1).sum())


def _torso_section(skin: np.ndarray, y: float, half_width: float) -> np.ndarray:
    sel = skin[(np.abs(skin[:, 1] - y) < ZONE_SLICE_HALF_HEIGHT_M) & (np.abs(skin[:, 0]) < half_width)]
    return sel[:, [0, 2]]


def _slice_girths(avatar) -> dict[str, float]:
    """Chest, waist and hip girths (cm) from horizontal slices of the skin between the hips and armpits."""
    skin = avatar.vertices[np.unique(avatar.body_faces)]
    j = avatar.joints
    hip_y, shoulder_y = float(j["hip_l"][1]), float(j["shoulder_l"][1])
    half = 0.9 * abs(float(j["shoulder_l"][0] - j["shoulder_r"][0])) / 2.0
    levels = np.linspace(hip_y - 0.12, shoulder_y - 0.12, 40)
    girth = np.array([_hull_perimeter(_torso_section(skin, y, half)) for y in levels]) * 100.0
    upper = levels > hip_y + 0.45 * (shoulder_y - hip_y)
    lower = levels < hip_y + 0.05
    middle = ~upper & ~lower
    return {"chest": float(girth[upper].max()), "waist": float(girth[middle].min()),
            "hip": float(girth[lower].max())}


_PLANES: list = []  # [(avatar, planes)] of the last avatar measured (measure_all takes a while)
# Body measurement whose plane each zone is measured in.
ZONE_PLANES = {**ZONE_GIRTHS, "sleeve": "upper_arm_girth"}


def zone_planes(avatar) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The tape's plane of each zone on a body: zone -> (origin (3,), unit normal (3,)), metres.

    chest, waist, hip: the horizontal planes of the body's chest, waist and hip girths; sleeve: the plane
    across the left upper arm. Zones the tape cannot measure are left out.
    """
    if _PLANES and _PLANES[0][0] is avatar:
        return _PLANES[0][1]
    try:
        from avatar.measure import measure_all

        measured = measure_all(avatar)
    except Exception:  # a body the tape cannot read (no landmarks): no planes
        measured = {}
    planes = {}
    for zone, name in ZONE_PLANES.items():
        m = measured.get(name)
        if m is not None and m.plane_origin is not None and m.plane_normal is not None:
            normal = np.asarray(m.plane_normal, float)
            planes[zone] = (np.asarray(m.plane_origin, float), normal / np.linalg.norm(normal))
    _PLANES[:] = [(avatar, planes)]
    return planes


def garment_edges(vertices: np.ndarray, faces: np.ndarray | None) -> np.ndarray:
    """Unique edges (E, 2) int of a garment: of its faces, or without them each vertex joined to its
    ``ZONE_FALLBACK_NEIGHBOURS`` nearest vertices (a mesh-like graph of the cloth; ``plane_crossings``
    adds the vertices next to the plane where such a graph misses it)."""
    if faces is not None:
        f = np.asarray(faces, np.int64)
        pairs = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    else:
        from scipy.spatial import cKDTree

        v = np.asarray(vertices, float)
        k = min(ZONE_FALLBACK_NEIGHBOURS + 1, len(v))
        _, nearest = cKDTree(v).query(v, k=k)
        pairs = np.stack([np.repeat(np.arange(len(v)), k - 1), nearest[:, 1:].ravel()], axis=1)
    return np.unique(np.sort(pairs, axis=1), axis=0)


def plane_crossings(vertices: np.ndarray, faces: np.ndarray | None, origin, normal,
                    keep: np.ndarray | None = None, edges: np.ndarray | None = None) -> np.ndarray:
    """Points where a (possibly open) surface crosses a plane.

    Parameters
    ----------
    vertices : (N, 3) float, metres
    faces : (F, 3) int, or None (see ``garment_edges``)
    origin, normal : (3,) float; the plane
    keep : (N,) bool or None; only edges with an end point kept (e.g. the garment's sleeve) count
    edges : (E, 2) int or None; the garment's edges when already known (else from ``garment_edges``)

    Returns
    -------
    (k, 3) float, metres; one point per crossed edge
    """
    v = np.asarray(vertices, float)
    d = (v - origin) @ normal
    edges = garment_edges(v, faces) if edges is None else edges
    a, b = edges[:, 0], edges[:, 1]
    crossed = (d[a] > 0) != (d[b] > 0)
    if keep is not None:
        crossed &= keep[a] | keep[b]
    a, b = a[crossed], b[crossed]
    t = d[a] / (d[a] - d[b])
    points = v[a] + t[:, None] * (v[b] - v[a])
    if faces is None and len(edges):
        # A neighbour graph of a mesh spaced more finely around than up and down can miss the plane in places:
        # add the vertices within half an edge of the plane, projected on it.
        half = 0.5 * float(np.median(np.linalg.norm(v[edges[:, 0]] - v[edges[:, 1]], axis=1)))
        near = np.abs(d) < half
        if keep is not None:
            near &= keep
        points = np.vstack([points, v[near] - d[near, None] * normal[None, :]])
    return points


def girth_pair(avatar, vertices: np.ndarray, faces: np.ndarray | None, origin, normal,
               keep: np.ndarray | None = None, edges: np.ndarray | None = None) -> tuple[float, float] | None:
    """Tape girths (cm) of the garment and of the body in one plane: (garment, body), or None.

    The body's girth is the convex loop around ``origin`` (``avatar.tape.girth_at`` on the skin); the
    garment's, the convex hull of its crossing points within ``ZONE_NEIGHBOURHOOD_M`` of that loop.
    """
    from avatar.tape import girth_at, hull_loop, plane_basis

    body = girth_at(np.asarray(avatar.vertices, float), np.asarray(avatar.body_faces), origin, normal)
    if body is None:
        return None
    pts = plane_crossings(vertices, faces, origin, normal, keep, edges)
    if len(pts) < 3:
        return None
    u, w = plane_basis(normal)
    centre = body.centre
    flat_body = np.stack([(body.points - centre) @ u, (body.points - centre) @ w], axis=1)
    reach = float(np.linalg.norm(flat_body, axis=1).max()) + ZONE_NEIGHBOURHOOD_M
    flat = np.stack([(pts - centre) @ u, (pts - centre) @ w], axis=1)
    pts = pts[np.linalg.norm(flat, axis=1) < reach]
    loop = hull_loop(pts, centre, normal) if len(pts) >= 3 else None
    if loop is None:
        return None
    return loop.girth_m * 100.0, body.girth_m * 100.0


def draped_zone_ease(avatar, vertices: np.ndarray, zones: dict, sdf=None, reference_vertices=None,
                     faces: np.ndarray | None = None) -> dict[str, float]:
    """Ease in cm of a draped garment at each of its zones, as worn.

    Ease is measured with a tape: the garment's girth minus the body's girth in the same plane (see
    ``girth_pair``). chest, waist, hip: the body's horizontal tape planes (moved to the level of the
    garment's zone vertices when its torso cloth does not reach the body's plane, e.g. a waistband
    sitting below the waist); sleeve:
    the plane across the upper arm; length: how much lower (positive) or higher the hem hangs than where
    the garment was placed.

    Parameters
    ----------
    avatar : the body it is draped on
    vertices : (N, 3) float, metres; the draped garment
    zones : name -> (k,) int vertex indices
    sdf : unused (kept for callers that pass the body's field)
    reference_vertices : (N, 3) float, metres; the garment as placed before draping (for length)
    faces : (F, 3) int; the garment's triangles (girths from their edge crossings; without them, from the
        edges of a nearest-neighbour graph of the garment as placed, see ``garment_edges``)
    """
    vertices = np.asarray(vertices, float)
    planes = zone_planes(avatar)
    sleeve = np.asarray(zones.get("sleeve", []), dtype=np.int64)
    on_sleeve = np.zeros(len(vertices), bool)
    on_sleeve[sleeve] = True
    # Without faces, neighbours in the garment as placed (before draping, folds have not brought layers together).
    graph = reference_vertices if faces is None and reference_vertices is not None else vertices
    edges = garment_edges(graph, faces)
    torso_y = vertices[~on_sleeve, 1] if (~on_sleeve).any() else vertices[:, 1]
    out: dict[str, float] = {}
    for zone in ("chest", "waist", "hip", "sleeve"):
        idx = np.asarray(zones.get(zone, []), dtype=np.int64)
        if idx.size < 3 or zone not in planes:
            continue
        origin, normal = planes[zone]
        origin = origin.copy()
        if zone != "sleeve" and not torso_y.min() + ZONE_PLANE_BAND_M < origin[1] < torso_y.max() - ZONE_PLANE_BAND_M:
            # The garment does not reach the body's level (a waistband below the waist): its own zone's level.
            origin[1] = float(np.median(vertices[idx, 1]))
        pair = girth_pair(avatar, vertices, faces, origin, normal, on_sleeve if zone == "sleeve" else ~on_sleeve,
                          edges)
        if pair is not None:
            out[zone] = round(pair[0] - pair[1], 1)
    hem = np.asarray(zones.get("length", zones.get("hem", [])), dtype=np.int64)
    if hem.size and reference_vertices is not None:
        out["length"] = round(float(reference_vertices[hem, 1].mean() - vertices[hem, 1].mean()) * 100.0, 1)
    return out


def _comfort_limit(garment) -> float:
    """Least ease (cm, may be negative for stretch fabric, as a share of the garment) a zone may have."""
    return float(getattr(garment, "stretch", 0.0) or 0.0) * COMFORT_STRETCH_SHARE


def size_ease(garment, girths: dict[str, float]) -> dict[str, dict[str, float]]:
    """Per size, per zone: finished measurement minus body girth, cm."""
    out = {}
    for spec in garment.sizes:
        out[spec.name] = {z: round(float(spec.finished[z]) - girths[z], 1)
                          for z in ZONE_GIRTHS if z in spec.finished and z in girths}
    return out


_DESIGN_EASE: dict[tuple[str, str], dict[str, float]] = {}


def design_ease(garment) -> dict[str, float]:
    """The ease the garment was made with: its middle size on its reference body, cm per zone."""
    key = (garment.id, garment.reference_sex)
    if key not in _DESIGN_EASE:
        from avatar.avatar import reference_avatar

        middle = garment.sizes[len(garment.sizes) // 2].name
        _DESIGN_EASE[key] = size_ease(garment, body_girths(reference_avatar(garment.reference_sex)))[middle]
    return _DESIGN_EASE[key]


def _waistband(garment, per_size: dict) -> bool:
    """Whether the garment's waist zone is a waistband that sits on the waist (bottoms)."""
    from .catalog import BOTTOM_CATEGORIES

    return garment.category in BOTTOM_CATEGORIES and any("waist" in e for e in per_size.values())


def recommend_size(avatar, garment, girths: dict[str, float] | None = None) -> SizeAdvice:
    """The size whose ease is closest to the garment's design ease without being tight.

    Ease here is finished ease: a size's finished girth minus the body's tape girth at the zone, cm.
    Bottoms (skirts, trousers, shorts, leggings) sit on the waist: their waist aims for
    ``WAISTBAND_MIN_EASE_CM``..``WAISTBAND_MAX_EASE_CM`` of ease and, among sizes whose waists fit equally
    well, the other zones (the hip) decide by their design ease.

    Parameters
    ----------
    avatar : the shopper's body
    garment : garments.catalog.Garment
    girths : zone -> cm; measured from ``avatar`` when None

    Returns
    -------
    SizeAdvice
    """
    girths = body_girths(avatar) if girths is None else girths
    per_size = size_ease(garment, girths)
    names = garment.size_names
    if not any(per_size.values()):
        middle = names[len(names) // 2]
        return SizeAdvice(middle, [f"{middle}: the garment lists no girths to compare; its middle size"], None,
                          per_size)
    target = design_ease(garment)
    allowance = _comfort_limit(garment)
    waistband = _waistband(garment, per_size)

    def tight(name: str) -> list[tuple[str, float]]:
        """Zones where a size is tighter than comfortable: (zone, stretch fraction or negative ease cm)."""
        out = []
        spec = garment.size(name)
        for zone, ease in per_size[name].items():
            finished = float(spec.finished[zone])
            strain = girths[zone] / finished - 1.0
            least = WAISTBAND_MIN_EASE_CM if waistband and zone == "waist" else MIN_COMFORT_EASE_CM
            if strain > allowance or (allowance < 0.02 and ease < least):
                out.append((zone, strain))
        return out

    def distance(name: str) -> tuple[float, float]:
        """(waistband miss, cm; mean distance of the other zones from the design ease, cm): lower is better."""
        eases = dict(per_size[name])
        miss = 0.0
        if waistband:
            waist = eases.pop("waist")
            miss = round(max(0.0, WAISTBAND_MIN_EASE_CM - waist, waist - WAISTBAND_MAX_EASE_CM), 1)
            if not eases:
                return miss, abs(waist - (WAISTBAND_MIN_EASE_CM + WAISTBAND_MAX_EASE_CM) / 2.0)
        zones = [z for z in eases if z in target] or list(eases)
        return miss, float(np.mean([abs(eases[z] - target.get(z, MIN_COMFORT_EASE_CM)) for z in zones]))

    fitting = [n for n in names if per_size[n] and not tight(n)]
    pool = fitting or [names[-1]]
    recommended = min(pool, key=distance)
    i = names.index(recommended)

    def describe(name: str) -> str:
        eases = per_size[name]
        zone = min(eases, key=lambda z: eases[z])
        return f"{name}: {eases[zone]:.1f} cm finished ease at {zone}"

    reasons = [describe(recommended)]
    if not fitting:
        zone, strain = max(tight(recommended), key=lambda t: t[1])
        reasons.append(f"even {recommended} would stretch {max(strain, 0) * 100:.0f} % at {zone}")
    if i > 0:
        smaller = names[i - 1]
        problems = tight(smaller)
        if problems:
            zone, strain = max(problems, key=lambda t: t[1])
            if strain >= STRETCH_WORTH_QUOTING:
                reasons.append(f"{smaller} would stretch {strain * 100:.0f} % at {zone}")
            else:
                reasons.append(f"{smaller} would leave only {per_size[smaller][zone]:.1f} cm finished ease at {zone}")
        else:
            reasons.append(describe(smaller) + " (closer fit)")
    if i + 1 < len(names):
        reasons.append(describe(names[i + 1]) + " (looser)")
    between = None
    for j in (i - 1, i + 1):
        if 0 <= j < len(names) and names[j] in fitting:
            a, b = sorted((i, j))
            (miss_a, far_a), (miss_b, far_b) = distance(names[a]), distance(names[b])
            if miss_a == miss_b and abs(far_a - far_b) < BETWEEN_SIZES_EASE_CM / 2.0:
                between = (f"between {names[a]} and {names[b]}: {names[a]} for a closer fit, "
                           f"{names[b]} for a looser one")
                break
    return SizeAdvice(recommended=recommended, reasons=reasons, between=between, per_size=per_size)


def worn_reason(size: str, zones: dict[str, float], finished: dict[str, float] | None = None) -> str | None:
    """One line quoting a draped size's ease as worn, with the value of ``zones``.

    Parameters
    ----------
    size : the draped size's name
    zones : zone -> ease cm as worn, as returned by ``draped_zone_ease``
    finished : zone -> finished ease cm of that size (``SizeAdvice.per_size[size]``); when given, the
        line quotes the zone the advice quotes (the size's tightest finished zone) with both figures

    Returns
    -------
    e.g. "M as worn: 5.9 cm ease at waist (4.4 cm finished)", or None when no girth zone was measured
    """
    girth_zones = {z: e for z, e in zones.items() if z in ZONE_PLANES}
    both = {z: e for z, e in (finished or {}).items() if z in girth_zones}
    if both:
        zone = min(both, key=lambda z: both[z])
        return f"{size} as worn: {girth_zones[zone]:.1f} cm ease at {zone} ({both[zone]:.1f} cm finished)"
    if not girth_zones:
        return None
    zone = min(girth_zones, key=lambda z: girth_zones[z])
    return f"{size} as worn: {girth_zones[zone]:.1f} cm ease at {zone}"
