"""Grading a base mesh to the sizes of a size chart, so each size's tape girths are the chart's.

A chart grade scales the garment's length about its top edge, then its girth about the body's axis
by a factor that varies with height: piecewise linear through one knot per tape level (chest, waist,
hip), constant above the top knot and below the bottom one. The knots' factors are found by
measuring the graded mesh with the tape of ``garments.finished`` and correcting each factor by the
ratio of the chart's girth to the measured one until every girth is within ``GRADE_TOLERANCE_CM``.
"""

from __future__ import annotations

import numpy as np

from .chart_grade import apply_chart_grade
from .errors import GarmentImportError
from .finished import GIRTH_ZONES, measure_zones, torso_mask

# The chart promises the finished girths to 5 mm; grading stops at a fifth of that.
GRADE_TOLERANCE_CM = 0.1
GRADE_MAX_ROUNDS = 8
# A size more than this factor away from the base mesh is not a grade of it (a chart row in the wrong unit).
MAX_GRADE_FACTOR = 1.6


def grade_to_chart(v: np.ndarray, faces: np.ndarray, category: str, sex: str, base_length_cm: float | None,
                   row: dict, size: str) -> dict:
    """The chart grade that gives one size its chart row.

    Parameters
    ----------
    v : (N, 3) float, metres; the base mesh on the reference body of ``sex``
    faces : (F, 3) int
    category : the garment's category (which vertices are sleeves, left out of the tape's torso)
    base_length_cm : the base mesh's finished length, cm (None if it has none)
    row : measure -> cm; the chart's row for this size
    size : its name, for messages

    Returns
    -------
    dict : {"girth": [[y, factor], ...], "axis": [x, z], "length": [scale, top_y]} (metres), rounded for JSON
    """
    torso = torso_mask(v, category, sex)
    top = float(v[torso, 1].max()) if torso.any() else float(v[:, 1].max())
    length = row.get("length")
    length_scale = 1.0 if not length or not base_length_cm else float(length) / float(base_length_cm)
    base = measure_zones(v, faces, torso, sex)
    zones = [z for z in GIRTH_ZONES if z in base and z in row]
    axis = v[torso].mean(axis=0) if torso.any() else v.mean(axis=0)
    grade = {"girth": [[float(top), 1.0]], "axis": [round(float(axis[0]), 5), round(float(axis[2]), 5)],
             "length": [round(length_scale, 5), round(top, 5)]}
    if not zones:
        return grade
    heights = {z: _zone_height(base[z], v) for z in zones}
    factors = {z: row[z] / base[z].girth_cm for z in zones}
    for z, f in factors.items():
        if not 1 / MAX_GRADE_FACTOR < f < MAX_GRADE_FACTOR:
            raise GarmentImportError(f"size {size}'s {z} ({row[z]:.1f} cm) is not a grade of the base mesh's "
                                     f"{base[z].girth_cm:.1f} cm; check the chart's units and base size")
    for _ in range(GRADE_MAX_ROUNDS):
        grade["girth"] = [[round(heights[z], 5), round(factors[z], 6)] for z in zones]
        graded = apply_chart_grade(v, grade)
        measured = measure_zones(graded, faces, torso_mask(graded, category, sex), sex)
        misses = {z: row[z] - measured[z].girth_cm for z in zones if z in measured}
        if len(misses) < len(zones):
            raise GarmentImportError(f"size {size} graded from the base mesh no longer goes round the body; "
                                     "check the size chart")
        if max(abs(m) for m in misses.values()) <= GRADE_TOLERANCE_CM:
            break
        for z in zones:
            factors[z] *= row[z] / measured[z].girth_cm
    return grade


def _zone_height(zone, v: np.ndarray) -> float:
    """Height (m) of a zone's tape level on the mesh: the mean height of the vertices the zone holds."""
    return float(v[zone.vertices, 1].mean()) if len(zone.vertices) else 0.0


def chart_sizes(v: np.ndarray, faces: np.ndarray, category: str, sex: str, base_finished: dict, chart,
                names: list[str], garment_id: str, sku: str | None) -> tuple:
    """The SizeSpecs of a base mesh graded to every chart size in ``names`` (each grades "mesh.glb").

    Each size's ``finished`` is its chart row, completed with what the tape measures on its graded mesh
    for the measures the chart does not give; ``chart`` is True on each.
    """
    from .catalog import SizeSpec
    from .dress_form import body_form, finished_measurements

    form = body_form(sex)
    specs = []
    for name in names:
        row = chart.row(name)
        grade = grade_to_chart(v, faces, category, sex, base_finished.get("length"), row, name)
        measured = finished_measurements(apply_chart_grade(v, grade), faces, category, form)
        specs.append(SizeSpec(name=name, sku=f"{sku or garment_id.upper()}-{name}",
                              finished={**measured, **row}, mesh="mesh.glb", grade=grade, chart=True))
    return tuple(specs)
