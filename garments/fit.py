"""Fit analysis: per-zone ease of a draped garment and size advice from finished measurements.

Ease is the garment's girth minus the body's girth at a zone, in cm (negative: the garment is stretched
around the body). Size advice compares each size's finished measurements with the shopper's girths,
aiming at the ease the garment was designed with: the ease of its middle size on the reference body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .drape_constants import (
    BETWEEN_SIZES_EASE_CM,
    COMFORT_STRETCH_SHARE,
    MIN_COMFORT_EASE_CM,
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

    Uses ``avatar.tape.measure_all``; where it cannot measure, a horizontal slice of the skin at the
    level of the body's widest (chest, hip) or narrowest (waist) torso section is used.
    """
    out: dict[str, float] = {}
    try:
        from avatar.tape import measure_all

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


def draped_zone_ease(avatar, vertices: np.ndarray, zones: dict, sdf=None, reference_vertices=None) -> dict[str, float]:
    """Ease in cm of a draped garment at each of its zones.

    chest, waist, hip: convex girth of the zone's vertices minus the body's convex girth at the same
    height (both horizontal, torso only); sleeve: 2 pi times the mean gap between sleeve and skin;
    length: how much lower (positive) or higher the hem hangs than where the garment was placed.

    Parameters
    ----------
    avatar : the body it is draped on
    vertices : (N, 3) float, metres; the draped garment
    zones : name -> (k,) int vertex indices
    sdf : the body's SignedDistanceField (for sleeves)
    reference_vertices : (N, 3) float, metres; the garment as placed before draping (for length)
    """
    skin = avatar.vertices[np.unique(avatar.body_faces)]
    out: dict[str, float] = {}
    for zone in ("chest", "waist", "hip"):
        idx = np.asarray(zones.get(zone, []), dtype=np.int64)
        if idx.size < 3:
            continue
        pts = vertices[idx]
        y = float(np.median(pts[:, 1]))
        half = float(np.abs(pts[:, 0]).max()) + 0.01
        body = _hull_perimeter(_torso_section(skin, y, half))
        cloth = _hull_perimeter(pts[:, [0, 2]])
        if body > 0 and cloth > 0:
            out[zone] = round((cloth - body) * 100.0, 1)
    sleeve = np.asarray(zones.get("sleeve", []), dtype=np.int64)
    if sleeve.size and sdf is not None:
        gap = np.maximum(sdf.distance(vertices[sleeve]), 0.0)
        out["sleeve"] = round(float(2.0 * np.pi * np.median(gap)) * 100.0, 1)
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


def recommend_size(avatar, garment, girths: dict[str, float] | None = None) -> SizeAdvice:
    """The size whose ease is closest to the garment's design ease without being tight.

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
    target = design_ease(garment) if any(per_size.values()) else {}
    if not any(per_size.values()):
        middle = names[len(names) // 2]
        return SizeAdvice(middle, [f"{middle}: the garment lists no girths to compare; its middle size"], None,
                          per_size)
    allowance = _comfort_limit(garment)

    def tight(name: str) -> list[tuple[str, float]]:
        """Zones where a size is tighter than comfortable: (zone, stretch fraction or negative ease cm)."""
        out = []
        spec = garment.size(name)
        for zone, ease in per_size[name].items():
            finished = float(spec.finished[zone])
            strain = girths[zone] / finished - 1.0
            if strain > allowance or (allowance < 0.02 and ease < MIN_COMFORT_EASE_CM):
                out.append((zone, strain))
        return out

    def distance(name: str) -> float:
        eases = per_size[name]
        zones = [z for z in eases if z in target] or list(eases)
        return float(np.mean([abs(eases[z] - target.get(z, MIN_COMFORT_EASE_CM)) for z in zones]))

    fitting = [n for n in names if per_size[n] and not tight(n)]
    pool = fitting or [names[-1]]
    recommended = min(pool, key=distance)
    i = names.index(recommended)

    def describe(name: str) -> str:
        eases = per_size[name]
        zone = min(eases, key=lambda z: eases[z])
        return f"{name}: {eases[zone]:.0f} cm ease at {zone}"

    reasons = [describe(recommended)]
    if not fitting:
        zone, strain = max(tight(recommended), key=lambda t: t[1])
        reasons.append(f"even {recommended} would stretch {max(strain, 0) * 100:.0f} % at {zone}")
    if i > 0:
        smaller = names[i - 1]
        problems = tight(smaller)
        if problems:
            zone, strain = max(problems, key=lambda t: t[1])
            if strain > 0:
                reasons.append(f"{smaller} would stretch {strain * 100:.0f} % at {zone}")
            else:
                reasons.append(f"{smaller} would leave only {per_size[smaller][zone]:.0f} cm ease at {zone}")
        else:
            reasons.append(describe(smaller) + " (closer fit)")
    if i + 1 < len(names):
        reasons.append(describe(names[i + 1]) + " (looser)")
    between = None
    for j in (i - 1, i + 1):
        if 0 <= j < len(names) and names[j] in fitting:
            a, b = sorted((i, j))
            gap = abs(distance(names[a]) - distance(names[b]))
            if gap < BETWEEN_SIZES_EASE_CM / 2.0:
                between = (f"between {names[a]} and {names[b]}: {names[a]} for a closer fit, "
                           f"{names[b]} for a looser one")
                break
    return SizeAdvice(recommended=recommended, reasons=reasons, between=between, per_size=per_size)
